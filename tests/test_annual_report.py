"""The yearly verantwoording: sections, equality with the dashboard, offline, escaped,
reproducible, audited; and ``python -m datalek report``."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from datalek.accounts.permissions import PermissionDenied
from datalek.cli import main
from datalek.insight import annual_report, stats
from tests import dashboard_world as dw


@pytest.fixture
def report_world(world, fresh_db, monkeypatch):
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", "1")
    both = dw.fill(fresh_db, world)
    return world, fresh_db, both


def test_html_has_every_section_in_order(report_world):
    world, db, _ = report_world
    page = annual_report.generate(
        db, world["management"], 2026, world.org.id, "html", today=dw.TODAY
    ).decode()
    titles = re.findall(r"<h2>([^<]*)</h2>", page)
    assert titles == [t for _, t in annual_report.SECTIONS]
    assert "<title>Verantwoording datalekken 2026 — Gemeente Test</title>" in page
    assert page.count('class="plotly-graph-div"') == 8


def test_docx_has_every_section_in_order_and_the_figures_of_the_dashboard(report_world):
    import docx

    world, db, _ = report_world
    made = annual_report.generate(db, world["management"], 2026, world.org.id, "docx", today=dw.TODAY)
    document = docx.Document(io.BytesIO(made))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [t for _, t in annual_report.SECTIONS]
    assert document.paragraphs[0].text == "Verantwoording datalekken 2026 — Gemeente Test"
    board = stats.dashboard(db, world["management"], 2026, world.org.id, today=dw.TODAY)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    in_sections = [code for codes in annual_report._SECTION_FIGURES.values() for code in codes]
    assert {board.current.figures[code].label for code in in_sections} <= cells
    assert {c.label for c in board.current.series["risk"]} <= cells


def test_html_works_offline(report_world):
    world, db, _ = report_world
    page = annual_report.generate(db, world["management"], 2026, world.org.id, "html").decode()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page), "nothing loaded from outside"
    assert len(page) > 1_000_000, "plotly.js is embedded"


def test_html_escapes_every_text(report_world):
    world, db, _ = report_world
    db.execute("UPDATE organisations SET name = '<script>alert(1)</script>' WHERE id = ?", [world.org.id])
    db.conn.commit()
    page = annual_report.generate(db, world["management"], 2026, world.org.id, "html").decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_free_text_from_incidents(report_world):
    world, db, both = report_world
    for fmt in annual_report.FORMATS:
        data = annual_report.generate(db, both, 2026, None, fmt)
        assert b"geheim" not in data


def test_report_equals_dashboard_and_is_reproducible(report_world):
    world, db, _ = report_world
    actor = world["management"]
    first = annual_report.build(db, actor, 2026, world.org.id, today=dw.TODAY)
    again = annual_report.build(db, actor, 2026, world.org.id, today=dw.TODAY)
    assert first == again
    board = stats.dashboard(db, actor, 2026, world.org.id, today=dw.TODAY)
    assert first.dashboard.current == board.current
    book = load_workbook(io.BytesIO(annual_report.to_xlsx(first)))
    rows = {r[0]: r[1] for r in book["Kerncijfers"].iter_rows(min_row=2, values_only=True)}
    assert rows == {f.label: f.shown for f in board.current.figures.values()}
    for code, row in board.current.series.items():
        sheet = book[stats.SERIES[code].short]
        assert {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)} == {
            c.label: c.shown for c in row
        }


def test_trend_covers_the_available_years(report_world):
    world, db, _ = report_world
    report = annual_report.build(db, world["management"], 2026, world.org.id)
    assert {y: f.value("total") for y, f in report.trend.items()} == {2025: 7, 2026: 18}


@pytest.mark.parametrize(
    "fragment",
    [
        "Maar 60% van de AP-meldingen was binnen 72 uur",
        "1 maatregelen zijn niet op tijd uitgevoerd",
        "Maar 33% van de preventieve maatregelen is uitgevoerd",
        "1 incidenten waren een herhaling",
    ],
)
def test_points_of_attention_follow_from_the_figures(report_world, fragment):
    world, db, _ = report_world
    report = annual_report.build(db, world["management"], 2026, world.org.id, today=dw.TODAY)
    assert any(fragment in p for p in report.attention), report.attention


def test_generation_is_audited_with_codes_only(report_world):
    world, db, _ = report_world
    annual_report.generate(db, world["dpo"], 2026, world.org.id, "xlsx")
    row = db.execute(
        "SELECT actor_id, object_id, detail FROM audit_log WHERE action = 'annual_report.generate'"
    ).fetchone()
    assert row[0] == world["dpo"].user_id and row[1] == str(world.org.id)
    assert json.loads(row[2]) == {"year": 2026, "format": "xlsx"}


def test_cli_report(report_world, db_path, tmp_path):
    out = tmp_path / "verantwoording.html"
    result = CliRunner().invoke(
        main, ["report", "--db", str(db_path), "--org", "Gemeente Test", "--year", "2026", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Verantwoording datalekken 2026 — Gemeente Test" in out.read_text()
    xlsx = tmp_path / "cijfers.xlsx"
    result = CliRunner().invoke(
        main, ["report", "--db", str(db_path), "--org", "1", "--year", "2026", "--out", str(xlsx)]
    )
    assert result.exit_code == 0 and load_workbook(xlsx)["Kerncijfers"]
    unknown = CliRunner().invoke(
        main, ["report", "--db", str(db_path), "--org", "Nergens", "--year", "2026", "--out", str(out)]
    )
    assert unknown.exit_code != 0 and "Onbekende organisatie" in unknown.output


@pytest.mark.parametrize("who", ["reporter", "admin", "other_management"])
def test_only_management_and_the_dpo_of_the_organisation_make_its_report(fresh_db, world, who):
    before = fresh_db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
    with pytest.raises(PermissionDenied) as refused:
        annual_report.generate(fresh_db, world[who], 2026, world.org.id, "html")
    assert refused.value.action == "annual_report.generate"
    after = fresh_db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
    assert after == before + 1
