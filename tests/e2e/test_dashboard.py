"""The dashboard with demo data in a real browser, and the yearly report it downloads."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from datalek.demo import dataset
from datalek.insight import annual_report, narrative
from datalek.models import Role
from tests.e2e.conftest import Server, open_page, settle, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e-dashboard") / "demo.db"
    made = dataset.generate(str(path), 600, years=2, seed=3, now=datetime(2026, 11, 20, 10, tzinfo=UTC))
    board = next(a for a in made if a.role is Role.MANAGEMENT)
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv, board
    srv.stop()


def watch_errors(page) -> list[str]:
    """Script errors on the page (a blocked outside resource of Streamlit itself is not one:
    this machine has no internet)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    return errors


#: The dashboard's charts: types, months, outcomes, risk, data, nature, people, times and the new
#: figures of 0.6.0 (11 in all).
CHARTS = 12  # and the breaches per processor (#16)


def test_every_chart_renders_without_errors(page, demo_server):
    srv, board = demo_server
    errors = watch_errors(page)
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    charts = page.locator("[data-testid=stPlotlyChart]")
    charts.nth(CHARTS - 1).locator(".main-svg").first.wait_for(timeout=30000)
    assert charts.count() == CHARTS
    for i in range(CHARTS):
        assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} not drawn"
        assert charts.nth(i).locator(".gtitle").count() == 1, f"chart {i} has no title"
    assert page.locator("[data-testid=stException]").count() == 0
    assert (
        page.locator("[data-testid=stMetric]").count() == 32
    )  # the totals, always shown, and the new figures
    assert errors == []


def test_the_yearly_report_downloads_with_every_section(page, demo_server, tmp_path):
    srv, board = demo_server
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    page.get_by_role("button", name="Maak verantwoording").click()
    settle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("link", name="Download verantwoording (HTML)").click()
    target = tmp_path / "verantwoording.html"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    *figures, attention = [t for _, t in annual_report.SECTIONS]
    assert re.findall(r"<h2>([^<]*)</h2>", text) == [
        narrative.NARRATIVE_TITLE,  # the FG's narrative above the figures
        *figures,
        narrative.LESSONS_TITLE,
        attention,
    ]
    assert "Verantwoording datalekken" in text
    # Offline: open the file itself; every chart is drawn by the embedded plotly.js.
    errors = watch_errors(page)
    page.goto(target.as_uri())
    page.locator(".plotly-graph-div .main-svg").first.wait_for(timeout=30000)
    assert page.locator(".plotly-graph-div").count() == CHARTS
    assert (
        page.get_by_role("heading", level=2).count() == len(annual_report.SECTIONS) + 2
    )  # and the narrative and the lessons
    assert errors == []
