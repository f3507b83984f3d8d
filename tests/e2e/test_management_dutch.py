"""Management in Chromium: the overview and the yearly report it downloads show only Dutch
(no internal code, none of Streamlit's or Plotly's English), and the report holds nothing
personal. What the browser draws itself — Streamlit's placeholders, Plotly's toolbar, the
texts inside the SVG charts — is only visible here, not to AppTest."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from datalek import store
from datalek.demo import dataset
from datalek.models import Role
from tests.e2e.conftest import Server, bad, open_page, settle, shown_texts, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e-dutch") / "demo.db"
    made = dataset.generate(str(path), 400, years=2, seed=11, now=datetime(2026, 11, 20, 10, tzinfo=UTC))
    board = next(a for a in made if a.role is Role.MANAGEMENT)
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv, board, path
    srv.stop()


def personal(path) -> list[str]:
    """What would be personal in a management report: people's names and e-mail addresses,
    incidents' references and their free text."""
    with store.unit(path) as db:
        people = [r["name"] for r in db.query("SELECT name FROM users")]
        people += [r["email"] for r in db.query("SELECT email FROM users")]
        incidents = [
            r["description"]
            for r in db.query("SELECT description FROM incidents WHERE length(description) > 20 LIMIT 200")
        ]
    return people + incidents


def test_the_overview_shows_only_dutch(page, demo_server):
    srv, board, _ = demo_server
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    charts = page.locator("[data-testid=stPlotlyChart]")
    charts.nth(7).locator(".main-svg").first.wait_for(timeout=30000)
    page.get_by_text("De cijfers achter de grafieken").click()  # the tables, too
    page.locator("[data-testid=stTable]").first.wait_for()
    texts = shown_texts(page, "[data-testid=stMain]")
    assert bad(texts) == {}
    assert "Alle organisaties" in texts  # not empty with Streamlit's "Choose an option"
    assert "Hoog risico" in texts and "Nog geen besluit" in texts
    assert page.locator(".modebar").count() == 0  # Plotly's English toolbar is not drawn
    charts.nth(3).hover()
    assert page.locator(".modebar-btn").count() == 0


def test_the_overview_of_one_department_shows_only_dutch(page, demo_server):
    srv, board, _ = demo_server
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    # Departments are offered within one organisation only (one suppression pattern per account).
    page.locator("[data-testid=stSelectbox]").filter(has_text="Organisatie").click()
    page.get_by_role("option").nth(1).click()
    settle(page)
    page.locator("[data-testid=stSelectbox]").filter(has_text="Afdeling").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    assert options.count() > 1
    options.nth(1).click()
    settle(page)
    page.locator("[data-testid=stPlotlyChart]").nth(7).locator(".main-svg").first.wait_for(timeout=30000)
    assert bad(shown_texts(page, "[data-testid=stMain]")) == {}


def test_the_yearly_report_shows_only_dutch_and_nothing_personal(page, demo_server, tmp_path):
    srv, board, path = demo_server
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    page.get_by_role("button", name="Maak verantwoording").click()
    settle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("link", name="Download verantwoording (HTML)").click()
    target = tmp_path / "verantwoording.html"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    leaked = [p for p in personal(path) if p and p in text]
    assert leaked == []
    assert not re.search(r"DL-\d{4}-\d{4}", text)  # no incident's reference
    page.goto(target.as_uri())
    page.locator(".plotly-graph-div .main-svg").first.wait_for(timeout=30000)
    texts = shown_texts(page, "body")
    assert bad(texts) == {}
    assert page.locator(".modebar").count() == 0
