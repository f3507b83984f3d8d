"""Datalek entry point: page config, setup, sign-in and the menu for the signed-in role.

Every page is a function from ``pages/`` (see ``navigation.py``): nothing of a page runs
unless this script chose it for the signed-in actor. Who is signed in comes from the
HttpOnly session cookie on every run (``ui/session.py``); ``server.py`` serves this script
together with the sign-in, sign-out and download routes.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import navigation
from datalek import config, store
from datalek.accounts import auth, sessions
from datalek.accounts.guest import GuestActor
from datalek.accounts.setup import needs_setup
from datalek.models import Role
from ui import links, oidc, reminder_banner, session

#: A local file: a Material icon as page icon would make every browser fetch it from Google.
ICON = str(Path(__file__).parent / "assets" / "icon.png")
st.set_page_config(page_title="Datalek", page_icon=ICON, layout="wide")


def page(spec: navigation.PageSpec) -> st.Page:
    return st.Page(spec.render, title=spec.title, icon=spec.icon, url_path=spec.url_path)


#: A URL path Streamlit accepts as a page's ``url_path``.
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def requested_path() -> str:
    """The page name in the address the browser opened ("/beoordelen" -> "beoordelen"), on a
    run started by an address (a new tab, a reload, a bookmark); "" on a run started by the
    menu, which asks for a page by its hash. Streamlit keeps it in its pages manager."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return ""
    return manager.intended_page_name or ""


def with_unknown_path(pages: list[st.Page]) -> list[st.Page]:
    """An address that is no page of this visitor (an old bookmark, another role's page, the
    sign-in page after signing in) gets a hidden page of its own that says so in Dutch: else
    Streamlit shows its English "Page not found ... Running the app's main page"."""
    wanted = requested_path()
    home = pages[0]
    if wanted and wanted == home.url_path:
        # Streamlit serves its default page at "/" only: asked by its own address (a bookmark,
        # the link in a reminder) it says "Page not found" in English and runs it anyway. For
        # this run another, hidden page is the default, so the address finds its own page.
        return [
            st.Page(lambda: None, title=home.title, url_path="start", default=True, visibility="hidden"),
            *pages,
        ]
    if not wanted or not _PATH.fullmatch(wanted) or wanted in {p.url_path for p in pages}:
        return pages

    def unknown_page() -> None:
        st.title("Pagina niet gevonden", anchor=False)
        st.write("Deze pagina bestaat niet, of hij is niet voor jou.")
        st.page_link(home, label=f"Naar {home.title}", icon=":material/arrow_forward:")

    return [*pages, st.Page(unknown_page, title="Pagina niet gevonden", url_path=wanted, visibility="hidden")]


@st.cache_resource(show_spinner=False)
def _migrated(path: str) -> bool:
    """Create or upgrade the database once per server process (holds no data)."""
    store.migrate(path)
    return True


def _organisation_sign_in(db) -> None:
    """After ``st.login``: map the verified e-mail address to an account, open a session and
    send the browser to /auth/activate, which sets the cookie (a script cannot)."""
    try:
        actor = auth.sign_in_oidc(db, oidc.email(), oidc.email_verified())
    except auth.SigninRefused as refused:
        st.session_state[session.FLASH] = refused.message
        oidc.logout()
        return
    token = sessions.open_session(
        db, actor.user_id, method="oidc", client=session.client(), user_agent=session.user_agent()
    )
    st.success("Je bent aangemeld via je organisatie.")
    links.link_button(f"/auth/activate?code={sessions.activation_code(token)}", "Verder naar Datalek")
    st.stop()


# A full disk or a read-only file: say so in Dutch instead of a crash; the answers a user
# typed stay in the session (ui/report_form.keep) for the next try.
storage_failed = st.session_state.pop(session.STORAGE_FAILED, False)
try:
    store.connect(must_exist=False).close()
except store.StorageError:
    st.error(session.STORAGE_MESSAGE, icon=":material/error:")
    st.stop()
if storage_failed:
    st.error(session.STORAGE_MESSAGE, icon=":material/error:")

_migrated(str(config.db_path()))

with store.unit() as db:
    if needs_setup(db):
        pages = [page(navigation.SETUP)]
        actor = None
    else:
        actor = session.resume(db)
        if actor is None and oidc.signed_in():
            _organisation_sign_in(db)
        if actor is None:
            pages = [page(navigation.SIGNIN), page(navigation.SET_PASSWORD)]

guest = isinstance(actor, GuestActor)
if guest:  # from a report link or a follow-up token: its one page, no menu (issue #16)
    pages = [page(spec) for spec in navigation.guest_pages(actor)]
elif actor is not None:
    # One flat list, no sections: with sections Streamlit puts each section's header and
    # items in a <div> inside the menu's <ul>, which screen readers cannot read as a list
    # (axe: list, listitem; docs/accessibility.md). The order keeps related pages together.
    pages = [page(spec) for spec in navigation.PAGES_BY_ROLE[actor.role]]
    with st.sidebar:
        st.caption(f"Aangemeld als {actor.role.label}")
        links.sign_out_form()
    if actor.role is Role.DPO:  # the clocks near or past the deadline, on every page
        reminder_banner.render(actor)

# Without a session there is no menu: the sign-in page, or a one-time link's own page.
st.navigation(
    with_unknown_path(pages), position="sidebar" if actor is not None and not guest else "hidden"
).run()
