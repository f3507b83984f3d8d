"""Datalek entry point: page config, setup, sign-in and the menu for the signed-in role.

Every page is a function from ``pages/`` (see ``navigation.py``): nothing of a page runs
unless this script chose it for the signed-in actor.
"""

from __future__ import annotations

import streamlit as st

import navigation
from datalek import config, store
from datalek.accounts import auth
from datalek.accounts.setup import needs_setup
from ui import oidc, session

st.set_page_config(page_title="Datalek", page_icon=":material/shield:", layout="wide")


def page(spec: navigation.PageSpec) -> st.Page:
    return st.Page(spec.render, title=spec.title, icon=spec.icon, url_path=spec.url_path)


@st.cache_resource(show_spinner=False)
def _migrated(path: str) -> bool:
    """Create or upgrade the database once per server process (holds no data)."""
    store.migrate(path)
    return True


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
        if st.session_state.get(session.USER_ID) is None and oidc.signed_in():
            try:
                session.start(auth.sign_in_oidc(db, oidc.email(), oidc.email_verified()))
            except auth.SigninRefused as refused:
                st.session_state[session.FLASH] = refused.message
                oidc.logout()
        had_session = st.session_state.get(session.USER_ID) is not None
        actor = session.resume(db)
        if actor is None and had_session:
            oidc.logout()  # otherwise the identity cookie would sign the person straight back in
        if actor is None:
            pages = [page(navigation.SIGNIN)]

if actor is not None:
    pages = {
        section: [page(spec) for spec in specs] for section, specs in navigation.sections(actor.role).items()
    }
    with st.sidebar:
        st.caption(f"Aangemeld als {actor.role.label}")
        if st.button("Afmelden", key="signout", icon=":material/logout:"):
            session.sign_out()
            oidc.logout()
            st.rerun()

st.navigation(pages).run()
