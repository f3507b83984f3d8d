"""The role x page matrix: each role reaches exactly its pages, and each of them renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.util import calc_hash

import navigation
from datalek.handling import incidents
from datalek.models import Role
from tests.conftest import make_report
from tests.pages.conftest import (
    STREAMLIT_PAGES_MANAGER_INIT,
    app,
    open_db,
    seed_session,
    signed_in,
    switch_to,
    titles,
    walk,
)

ROLE_KEYS = {
    Role.REPORTER: "reporter",
    Role.DPO: "dpo",
    Role.MANAGEMENT: "management",
    Role.ADMIN: "admin",
}
PAGES = {spec.url_path: spec for spec in navigation.ALL_PAGES}
PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
CELLS = [(role, path) for role in Role for path in PAGES]


def test_the_matrix_covers_every_role_and_every_page():
    assert set(ROLE_KEYS) == set(Role)
    for role, pages in navigation.PAGES_BY_ROLE.items():
        assert set(pages) <= set(navigation.ALL_PAGES), role
        assert len(set(pages)) == len(pages), role
    every_screen = {p.stem for p in PAGES_DIR.glob("*.py")} - {"__init__"}
    specs = (*navigation.ALL_PAGES, navigation.SETUP, navigation.SIGNIN, navigation.SET_PASSWORD)
    specs += (navigation.GUEST_FOLLOW_UP,)  # a guest's follow-up token (#16); its report page is REPORT's
    assert {spec.render.__module__ for spec in specs} == {f"pages.{name}" for name in every_screen}
    # A page's URL is never a file's name: in Streamlit's legacy mode that URL would run the file.
    assert not {spec.url_path for spec in specs} & every_screen


@pytest.fixture
def world_with_reports(world, db_path):
    """A few reports so that the lists, the queue and the overview have something to show."""
    db = open_db(db_path)
    try:
        for key in ("reporter", "reporter", "reporter2", "dpo"):
            actor = world[key]
            incidents.submit_report(db, actor, make_report(actor.org_ids[0]))
        other = world["other_reporter"]
        incidents.submit_report(db, other, make_report(other.org_ids[0]))
    finally:
        db.close()
    return world


def reachable(at) -> set[str]:
    """The pages ``switch_to`` accepts for this session (the navigation's pages)."""
    found = set()
    for path, spec in PAGES.items():
        try:
            switch_to(at, spec)
        except ValueError:
            continue
        found.add(path)
    return found


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_reachable_pages_are_exactly_the_roles_pages(world, role):
    at = signed_in(world[ROLE_KEYS[role]])
    assert reachable(at) == {spec.url_path for spec in navigation.PAGES_BY_ROLE[role]}
    for never in (navigation.SETUP, navigation.SIGNIN, navigation.SET_PASSWORD):
        with pytest.raises(ValueError):
            switch_to(at, never)


@pytest.mark.parametrize(("role", "path"), CELLS, ids=[f"{r.value}-{p}" for r, p in CELLS])
def test_role_page_cell(world_with_reports, role, path):
    actor = world_with_reports[ROLE_KEYS[role]]
    at = signed_in(actor)
    if PAGES[path] not in navigation.PAGES_BY_ROLE[role]:
        with pytest.raises(ValueError):
            switch_to(at, PAGES[path])
        return
    switch_to(at, PAGES[path]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == [PAGES[path].title]
    assert [c.value for c in at.sidebar.caption] == [f"Aangemeld als {role.label}"]
    # a second run (any interaction) stays on the page and still renders
    at.run()
    assert not at.exception
    assert titles(at) == [PAGES[path].title]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_pages_render_on_an_empty_database_too(world, role):
    """No incidents at all: lists and charts show their empty state, not an error."""
    at = signed_in(world[ROLE_KEYS[role]])
    for spec in navigation.PAGES_BY_ROLE[role]:
        switch_to(at, spec).run()
        assert not at.exception, (spec.url_path, [e.value for e in at.exception])
        assert titles(at) == [spec.title]


def test_first_page_after_signin_is_the_first_of_the_roles_menu(world):
    for role, key in ROLE_KEYS.items():
        at = signed_in(world[key])
        assert titles(at) == [navigation.PAGES_BY_ROLE[role][0].title], role


SCREENS = sorted(p.stem for p in PAGES_DIR.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_page_file_run_without_app_py_shows_nothing(world, monkeypatch, screen):
    """Right after a server start Streamlit runs a ``pages/<file>`` directly for a URL such as
    ``/queue`` (its legacy multipage mode, until the first ``st.navigation`` call). The file
    only defines functions, so nothing is shown — even for a signed-in FG whose session holds
    a valid actor, because the page function is never called."""
    monkeypatch.setattr(PagesManager, "__init__", STREAMLIT_PAGES_MANAGER_INIT)  # unpinned
    at = app()
    seed_session(at, world["dpo"])
    at._page_hash = calc_hash(screen)  # the page a request for /<screen> asks for
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [type(node).__name__ for node in walk(at.main)][1:] == []


@pytest.mark.parametrize("url_path", ["", *PAGES], ids=["main", *PAGES])
def test_a_page_url_right_after_a_start_still_signs_in_first(world, monkeypatch, url_path):
    """In that same legacy mode a page's own URL finds no file and runs ``app.py``, which
    signs in first; the main URL too."""
    monkeypatch.setattr(PagesManager, "__init__", STREAMLIT_PAGES_MANAGER_INIT)  # unpinned
    at = app()
    at._page_hash = calc_hash(url_path) if url_path else ""
    at.run()
    assert not at.exception
    assert titles(at) == ["Aanmelden bij Datalek"]
