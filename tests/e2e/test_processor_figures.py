"""Issue #16 in a real browser: management sees the figures about processors and chain incidents
on the dashboard (the breaches per processor, the median delay of the processors, the share told
within the agreed hours, the chain incidents) and in the downloaded XLSX and DOCX, and nowhere a
name of a person."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from datalek import store
from datalek.demo import dataset
from datalek.demo.ap_answers import PROCESSORS
from datalek.insight import stats
from datalek.models import Role
from tests.e2e.conftest import Server, open_page, settle, sign_in

pytestmark = pytest.mark.e2e

#: The figures of issue #16 on the dashboard (their labels).
SHOWN = ["processor", "proc_delay_median", "proc_told_share", "proc_told_late", "chain"]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo: its breaches at a processor are linked to the organisation's processors."""
    path = tmp_path_factory.mktemp("e2e-processors") / "demo.db"
    made = dataset.generate(str(path), 400, years=1, seed=5, now=datetime(2026, 11, 20, 10, tzinfo=UTC))
    board = next(a for a in made if a.role is Role.MANAGEMENT)
    with store.unit(path) as db:
        people = sorted({r[0] for r in db.execute("SELECT name FROM users") if r[0]})
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv, board, people
    srv.stop()


def _download(page, link: str, target):
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("link", name=link).click()
    info.value.save_as(target)
    return target.read_bytes()


def test_management_sees_the_processor_figures_on_the_dashboard_and_in_the_downloads(
    page, demo_server, tmp_path
):
    srv, board, people = demo_server
    sign_in(page, srv.url, board.email, board.password)
    open_page(page, "Overzicht")
    metrics = page.locator("[data-testid=stMetric]")
    metrics.first.wait_for(timeout=30000)
    labels = [t.strip() for t in page.locator("[data-testid=stMetricLabel]").all_inner_texts()]
    for code in SHOWN:
        assert (stats.COUNTS | stats.DERIVED)[code] in labels, code
    chart = page.locator("[data-testid=stPlotlyChart]").filter(has_text=stats.SERIES["processor"].title)
    chart.locator(".main-svg").first.wait_for(timeout=30000)
    assert any(name in chart.inner_text() for name in PROCESSORS)

    page.get_by_role("button", name="Maak verantwoording").click()
    settle(page)
    book = load_workbook(
        io.BytesIO(_download(page, "Download alle cijfers (Excel)", tmp_path / "cijfers.xlsx"))
    )
    sheet = list(book[stats.SERIES["processor"].short].iter_rows(min_row=2, values_only=True))
    assert any(any(name in str(r[0]) for name in PROCESSORS) for r in sheet)
    key = {r[0] for r in book["Kerncijfers"].iter_rows(min_row=2, values_only=True)}
    assert {(stats.COUNTS | stats.DERIVED)[code] for code in SHOWN} <= key
    cells = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )

    docx = _download(page, "Download verantwoording (Word)", tmp_path / "verantwoording.docx")
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert stats.SERIES["processor"].title in text and "datalekken ontstonden bij een verwerker" in text
    assert any(name in text for name in PROCESSORS)
    for made in (cells, text):
        assert not [p for p in people if p in made], "a name of a person in a download"
