"""The yearly verantwoording: sections, equality with the dashboard, offline, escaped,
reproducible, audited; and ``python -m datalek report``."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from datalek import store
from datalek.accounts import auth
from datalek.accounts.permissions import PermissionDenied
from datalek.cli import main
from datalek.demo import dataset
from datalek.insight import annual_report, figures, narrative, stats
from tests import dashboard_world as dw
from tests.test_dashboard import small_number
from tests.test_disclosure_derivation import NOW, TODAY


@pytest.fixture
def report_world(world, fresh_db, monkeypatch):
    small_number(fresh_db, monkeypatch, 1)
    both = dw.fill(fresh_db, world)
    return world, fresh_db, both


def test_html_has_every_section_in_order(report_world):
    world, db, _ = report_world
    page = annual_report.generate(
        db, world["management"], 2026, world.org.id, "html", today=dw.TODAY
    ).decode()
    titles = re.findall(r"<h2>([^<]*)</h2>", page)
    # the FG's narrative above the figures, the lessons by theme before the attention points
    *figures, attention = [t for _, t in annual_report.SECTIONS]
    assert titles == [narrative.NARRATIVE_TITLE, *figures, narrative.LESSONS_TITLE, attention]
    assert "<title>Verantwoording datalekken 2026 — Gemeente Test</title>" in page
    report = annual_report.build(db, world["management"], 2026, world.org.id, today=dw.TODAY)
    drawn = [c for code, _ in annual_report.SECTIONS for c in annual_report.chart_codes(report, code)]
    assert len(drawn) == 12 and "dept" in drawn  # 12: the breaches per processor (#16)
    assert page.count('class="plotly-graph-div"') == len(drawn)


def test_every_figure_is_in_a_section_of_the_html(report_world):
    world, db, _ = report_world
    page = annual_report.generate(
        db, world["management"], 2026, world.org.id, "html", today=dw.TODAY
    ).decode()
    in_sections = {code for codes in annual_report._SECTION_FIGURES.values() for code in codes}
    assert in_sections == set(stats.COUNTS) | set(stats.DERIVED)
    for code in in_sections:
        label = {**stats.COUNTS, **stats.DERIVED}[code]
        assert html.escape(label) in page, label


def test_docx_is_the_boards_document_with_the_figures_of_the_dashboard(report_world):
    import docx

    world, db, _ = report_world
    made = annual_report.generate(db, world["management"], 2026, world.org.id, "docx", today=dw.TODAY)
    document = docx.Document(io.BytesIO(made))
    assert document.paragraphs[0].text == "Verantwoording datalekken 2026 — Gemeente Test"
    board = stats.dashboard(db, world["management"], 2026, world.org.id, today=dw.TODAY)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {f.label for f in board.current.figures.values()} <= cells
    assert {f.shown for f in board.current.figures.values()} <= cells
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
    assert book["Per organisatie"]["A2"].value == annual_report.NOT_HERE["org"]
    for code, row in board.current.series.items():
        sheet = book[stats.SERIES[code].short]
        assert {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]} == {
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


# --- issue #17: a report a board can publish -------------------------------------------------


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    """Every yearly report (XLSX) of the demo database that its management can make."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    dataset.generate(str(path), 1000, 3, seed=1, now=NOW)
    made = {}
    with store.unit(path) as db:
        user = db.execute("SELECT id FROM users WHERE email = 'directie@demo.invalid'").fetchone()[0]
        actor = auth.actor_for(db, user)
        for org in actor.org_ids:
            for year in stats.available_years(db, actor, org):
                data = annual_report.generate(db, actor, year, org, "xlsx", today=TODAY)
                book = load_workbook(io.BytesIO(data))
                made[(org, year)] = {
                    r[0]: r[1] for r in book["Kerncijfers"].iter_rows(min_row=2, values_only=True)
                }
    return made


@pytest.mark.parametrize("code", sorted(figures.TOTALS))
def test_every_organisation_year_of_the_demo_shows_its_totals(demo_reports, code):
    """The headline totals were hidden in half of the demo's organisation-years (small-number
    suppression applied to the totals themselves); a board publishes how many breaches it had."""
    label = stats.COUNTS[code]
    hidden = [key for key, rows in demo_reports.items() if rows[label] == stats.HIDDEN]
    assert len(demo_reports) == 12 and not hidden, hidden
    assert all(rows[label].isdigit() for rows in demo_reports.values())
