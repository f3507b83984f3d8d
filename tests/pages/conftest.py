"""Helpers for the AppTest page tests: start the app, sign in, walk the element tree, fill
the report form. The database comes from the ``db_path``/``world`` fixtures of
``tests/conftest.py`` (DATALEK_DB points at a fresh migrated temp file)."""

from __future__ import annotations

import html
import pickle
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database
from streamlit.runtime.context import ContextProxy, StreamlitCookies
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.state.common import TESTING_KEY
from streamlit.runtime.state.session_state import SessionState, UnserializableSessionStateError
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, Error, Table, Widget
from streamlit.util import calc_hash

from datalek import clock, store
from datalek.accounts import downloads, sessions
from datalek.config import SessionPolicy
from datalek.models import Actor
from datalek.store import sessions as session_sql
from navigation import PageSpec

APP = str(Path(__file__).parents[2] / "app.py")
#: Streamlit's own ``PagesManager.__init__``, before the fixture below pins the MPA mode.
STREAMLIT_PAGES_MANAGER_INIT = PagesManager.__init__


def navigation_mode_pinned(self, *args, **kwargs) -> None:
    """``PagesManager.__init__`` as in a server after its first ``st.navigation`` call."""
    STREAMLIT_PAGES_MANAGER_INIT(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def _navigation_always_runs_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every AppTest run go through ``app.py`` (sessions, timeouts, the role's menu).

    ``AppTest.run`` resets ``PagesManager.uses_pages_directory`` to None; with the ``pages/``
    folder next to ``app.py`` each run would then start in Streamlit's legacy multipage mode,
    as a real server does until the first ``st.navigation`` call. Pinned to False, as in a
    running server after that first call, so these tests exercise ``app.py``. What the legacy
    mode does with our page files (nothing) is tested in ``test_navigation.py`` and, in a real
    browser against a fresh server, in ``tests/e2e/test_first_request.py``.
    """

    monkeypatch.setattr(PagesManager, "__init__", navigation_mode_pinned)


@pytest.fixture(autouse=True)
def _serializable_state_without_apptest_bookkeeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep ``runner.enforceSerializableSessionState`` (from .streamlit/config.toml) on for the
    app's own keys, but skip AppTest's private bookkeeping key: AppTest stores each widget's
    ``format_func`` there, and the lambdas in ``ui/report_form.py`` cannot be pickled. A real
    server never stores that key, so without this every page with such a widget would crash
    under AppTest only."""

    monkeypatch.setattr(SessionState, "_check_serializable", check_app_keys_serializable)


def check_app_keys_serializable(self: SessionState) -> None:
    for k in self:
        if k == TESTING_KEY:
            continue
        try:
            pickle.dumps(self[k])
        except Exception as exc:
            raise UnserializableSessionStateError(f"cannot pickle session_state[{k!r}]") from exc


#: The cookies "the browser" sends with the next AppTest run (AppTest cannot seed st.context.cookies).
BROWSER_COOKIES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _browser_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    """``st.context.cookies`` as a browser would send them: what ``BROWSER_COOKIES`` holds.

    AppTest runs the script in this process but has no websocket, hence no cookies; the app
    reads its session token from ``st.context.cookies`` exactly as under a real server."""
    BROWSER_COOKIES.clear()
    monkeypatch.setattr(ContextProxy, "cookies", property(cookies_from_jar))


def cookies_from_jar(_self) -> StreamlitCookies:
    """The cookies of the shared jar, as ``st.context.cookies`` (also used by ``benchmarks/``)."""
    return StreamlitCookies(dict(BROWSER_COOKIES))


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def seed_session(
    at: AppTest | None,
    actor: Actor,
    *,
    login_ago: timedelta = timedelta(0),
    idle: timedelta = timedelta(0),
    policy: SessionPolicy | None = None,
) -> str:
    """Sign ``actor`` in the way ``/auth/signin`` does: a session row in the database and its
    token in the browser's cookie. Returns the token. (``at`` is unused: the cookie jar is
    shared, as one browser's is between its tabs.)"""
    now = clock.now()
    with store.unit() as db:
        token = sessions.open_session(
            db,
            actor.user_id,
            method="password",
            client="127.0.0.1",
            user_agent="AppTest",
            policy=policy,
            at=now - login_ago,
        )
        with store.write(db):
            session_sql.touch(
                db, session_sql.by_token_hash(db, sessions.token_hash(token))["id"], clock.to_iso(now - idle)
            )
    BROWSER_COOKIES[sessions.COOKIE] = token
    return token


def switch_to(at: AppTest, page: PageSpec) -> AppTest:
    """Open ``page`` on the next run, as a click in the menu does.

    ``AppTest.switch_page`` takes a page *file*; our pages are functions, registered by
    ``st.navigation`` under their URL path. A page is identified by the hash of that path
    (Streamlit's own rule), and must be among the pages the last run registered — a page the
    role may not see raises ``ValueError``, like ``switch_page`` does."""
    wanted = calc_hash(page.url_path)
    if wanted not in at._registered_pages:  # AppTest keeps no public view of this registry
        raise ValueError(f"page {page.url_path!r} is not in this session's navigation")
    at._page_hash = wanted
    return at


def signed_in(actor: Actor, page: PageSpec | None = None) -> AppTest:
    """A running app with ``actor`` signed in, optionally switched to ``page``."""
    at = app()
    seed_session(at, actor)
    at.run()
    assert not at.exception, at.exception
    if page:
        switch_to(at, page).run()
    return at


def state_get(at: AppTest, key: str, default=None):
    return at.session_state[key] if key in at.session_state else default  # noqa: SIM401 - no .get()


def once_key(at: AppTest, prefix: str, name: str) -> str:
    """The widget key of field ``name`` of the once-form ``prefix`` as drawn now (``ui.once``)."""
    return f"{prefix}{state_get(at, prefix + 'key')}_{name}"


@pytest.fixture
def fixed_submission_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every form drawn gets the same submission key: submitting the form again after a save is
    then exactly a repeated submission (a double click, a replayed message)."""
    from datalek import submissions

    key = "f" * 32
    monkeypatch.setattr(submissions, "new_key", lambda: key)
    return key


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def successes(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def walk(node):
    """Every node below ``node`` in display order (children sorted by their index)."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for idx in sorted(children):
            yield from walk(children[idx])


def error_after(at: AppTest, widget_key: str) -> str | None:
    """The error shown right under the widget with ``widget_key`` (before the next widget),
    i.e. the message "next to the field"; None when there is none."""
    seen = False
    for node in walk(at.main):
        if isinstance(node, Widget) and node.key == widget_key:
            seen = True
        elif seen and isinstance(node, Error):
            return node.value
        elif seen and isinstance(node, Widget):
            return None
    assert seen, f"no widget with key {widget_key!r} on the page"
    return None


def tables(at: AppTest) -> list:
    """Every table shown (``st.dataframe`` and ``st.table``) as pandas frames, in page order."""
    return [n.value for n in walk(at.main) if isinstance(n, (Dataframe, Table))]


def table_with(at: AppTest, column: str):
    """The one table on the page that has ``column``."""
    found = [t for t in tables(at) if column in t.columns]
    assert len(found) == 1, [list(t.columns) for t in tables(at)]
    return found[0]


def has_key(at: AppTest, kind: str, key: str) -> bool:
    """Whether a widget of ``kind`` (e.g. "radio") with ``key`` is on the page."""
    return any(getattr(w, "key", None) == key for w in getattr(at, kind))


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def count_rows(db_path: Path, table: str) -> int:
    db = store.connect(db_path)
    try:
        return db.execute(f"select count(*) from [{table}]").fetchone()[0]
    finally:
        db.close()


def rows(db_path: Path, sql: str, params=()) -> list[dict]:
    db = store.connect(db_path)
    try:
        return list(db.query(sql, params))
    finally:
        db.close()


def open_db(db_path: Path) -> Database:
    return store.connect(db_path)


# --- the report form --------------------------------------------------------------------


def local_now() -> datetime:
    return clock.now().astimezone(clock.AMSTERDAM)


def past_local(hours: float) -> tuple[date, time]:
    """A date and a whole-minute time ``hours`` before now, on the Dutch clock."""
    moment = local_now() - timedelta(hours=hours)
    return moment.date(), moment.time().replace(second=0, microsecond=0)


def choose_situation(at: AppTest, situation: str, occurrence: str = "moment") -> AppTest:
    """Answer the two questions outside the form; the form adapts on the next run."""
    at.radio(key="r_situation").set_value(situation)
    at.radio(key="r_occurrence").set_value(occurrence)
    return at.run()


def fill_valid_report(
    at: AppTest,
    situation: str = "email_wrong_person",
    occurrence: str = "moment",
    description: str = "Verslag per e-mail naar een verkeerde ouder gestuurd.",
    actions: str = "Ontvanger gevraagd de e-mail te verwijderen.",
    department: str = "Jeugd",
) -> AppTest:
    """Fill every question that ``situation`` asks with valid answers (does not submit).

    The two questions outside the form are answered first (with a run, so the form adapts):
    AppTest sends form values only with the form's submit, and forgets values set on form
    widgets when another run comes in between.
    """
    choose_situation(at, situation, occurrence)
    if occurrence != "unknown":
        day, moment = past_local(5)
        at.date_input(key="r_from_date").set_value(day)
        at.time_input(key="r_from_time").set_value(moment)
    if occurrence == "period":
        day, moment = past_local(3)
        at.date_input(key="r_to_date").set_value(day)
        at.time_input(key="r_to_time").set_value(moment)
    day, moment = past_local(2)
    at.date_input(key="r_found_date").set_value(day)
    at.time_input(key="r_found_time").set_value(moment)
    at.text_input(key="r_department").input(department)
    at.multiselect(key="r_data_kinds").set_value(["name_address", "care_file"])
    at.multiselect(key="r_subject_groups").set_value(["children", "parents"])
    at.radio(key="r_count_kind").set_value("exact")
    at.number_input(key="r_count").set_value(3)
    if has_key(at, "radio", "r_protection"):
        at.radio(key="r_protection").set_value("none")
    if has_key(at, "multiselect", "r_recipients"):
        at.multiselect(key="r_recipients").set_value(["known_person"])
    if has_key(at, "radio", "r_retrieval"):
        at.radio(key="r_retrieval").set_value("unconfirmed")
    at.text_area(key="r_description").input(description)
    at.text_area(key="r_actions").input(actions)
    return at


def submit_report_form(at: AppTest) -> AppTest:
    return button(at, "Versturen").click().run()


def download_links(at: AppTest) -> dict[str, str]:
    """The download links on the page (label -> URL path), as ``ui/downloads.link`` draws them."""
    found = {}
    for element in at.get("html"):
        for href, label in re.findall(r'<a href="(/download/[^"]+)"[^>]*>([^<]+)</a>', element.proto.body):
            found[html.unescape(label)] = href
    return found


def fetch(path: str) -> downloads.Download:
    """What ``/download/<token>`` hands this browser's session (see ``web/downloads.py``)."""
    with store.unit() as db:
        resolved = sessions.resolve(db, BROWSER_COOKIES.get(sessions.COOKIE))
        return downloads.collect(db, path.removeprefix(downloads.PATH), resolved.actor, resolved.session_id)
