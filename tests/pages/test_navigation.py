"""The role x page matrix: each role reaches exactly its pages, and each of them renders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.runtime.pages_manager import PagesManager

from datalek import clock
from datalek.handling import incidents
from datalek.models import Role
from tests.conftest import make_report
from tests.pages.conftest import STREAMLIT_PAGES_MANAGER_INIT, open_db, signed_in, titles
from ui import navigation

ROLE_KEYS = {
    Role.REPORTER: "reporter",
    Role.DPO: "dpo",
    Role.MANAGEMENT: "management",
    Role.ADMIN: "admin",
}
PAGES = {spec.path: spec for spec in navigation.ALL_PAGES}
CELLS = [(role, path) for role in Role for path in PAGES]


def test_the_matrix_covers_every_role_and_every_page_file():
    assert set(ROLE_KEYS) == set(Role)
    for role, pages in navigation.PAGES_BY_ROLE.items():
        assert set(pages) <= set(navigation.ALL_PAGES), role
        assert len(set(pages)) == len(pages), role
    assert all(spec.path.startswith("views/") for spec in navigation.ALL_PAGES)


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
    """The pages ``switch_page`` accepts for this session (the navigation's pages)."""
    found = set()
    for path in PAGES:
        try:
            at.switch_page(path)
        except ValueError:
            continue
        found.add(path)
    return found


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_reachable_pages_are_exactly_the_roles_pages(world, role):
    at = signed_in(world[ROLE_KEYS[role]])
    assert reachable(at) == {spec.path for spec in navigation.PAGES_BY_ROLE[role]}
    for never in ("views/setup.py", "views/signin.py"):
        with pytest.raises(ValueError):
            at.switch_page(never)


@pytest.mark.parametrize(("role", "path"), CELLS, ids=[f"{r.value}-{p[6:-3]}" for r, p in CELLS])
def test_role_page_cell(world_with_reports, role, path):
    actor = world_with_reports[ROLE_KEYS[role]]
    at = signed_in(actor)
    if PAGES[path] not in navigation.PAGES_BY_ROLE[role]:
        with pytest.raises(ValueError):
            at.switch_page(path)
        return
    at.switch_page(path).run()
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
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, [e.value for e in at.exception])
        assert titles(at) == [spec.title]


def test_first_page_after_signin_is_the_first_of_the_roles_menu(world):
    for role, key in ROLE_KEYS.items():
        at = signed_in(world[key])
        assert titles(at) == [navigation.PAGES_BY_ROLE[role][0].title], role


def test_page_files_never_run_without_app_py(world, monkeypatch):
    # Streamlit's unpinned behaviour, as right after a server start
    monkeypatch.setattr(PagesManager, "__init__", STREAMLIT_PAGES_MANAGER_INIT)
    at = signed_in(world["reporter"], "views/report.py")
    at.session_state["last_seen"] = clock.to_iso(clock.now() - timedelta(minutes=31))
    at.run()
    assert titles(at) == ["Aanmelden bij Datalek"]
