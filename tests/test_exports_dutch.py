"""Only Dutch in every file Datalek makes, and charts that tell the truth when there is little
data: the register export (CSV, XLSX), the yearly report (HTML, XLSX, DOCX, sheet names too)
and the dashboard's figures, made from demo data, hold no internal code; the risk categories
have the same Dutch labels in the app's chart, the HTML, the XLSX and the DOCX; an empty or a
hidden chart has a whole-number axis from 0 and says in Dutch why it is empty."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from docx.table import Table as DocxTable
from openpyxl import load_workbook

from datalek import store
from datalek.accounts import auth
from datalek.demo import dataset
from datalek.insight import annual_report, charts, disclosure, register_export, stats
from datalek.insight.disclosure import Cell
from datalek.models import Role
from datalek.triage import RiskLevel
from tests.pages.test_dutch_only import figure_texts, offences

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
TODAY = date(2026, 11, 20)
FORMATS = ("html", "xlsx", "docx")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[Role, object]]:
    path = tmp_path_factory.mktemp("exports") / "demo.db"
    made = dataset.generate(str(path), 300, years=2, seed=5, now=NOW)
    with store.unit(path) as db:
        ids = {r["email"]: r["id"] for r in db.query("SELECT id, email FROM users")}
        actors = {a.role: auth.actor_for(db, ids[a.email]) for a in made}
    return path, actors


def selections(path: Path, actor) -> list[tuple[int | None, int]]:
    """Every (organisation or all, year) the actor can make a report of."""
    with store.unit(path) as db:
        orgs = [None, *actor.org_ids] if len(actor.org_ids) > 1 else list(actor.org_ids)
        return [(org, year) for org in orgs for year in stats.available_years(db, actor, org)]


def bad_texts(texts) -> dict[str, list[str]]:
    return {t: found for t in texts if t and (found := offences(str(t)))}


# --- reading the files back ------------------------------------------------------------------


def html_figures(page: str) -> list[dict]:
    """The data and layout of every chart in the HTML (the arguments of ``Plotly.newPlot``)."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', page):
        data, end = decoder.raw_decode(page, match.end())
        layout, _ = decoder.raw_decode(page, page.index("{", end))
        found.append({"data": data, "layout": layout})
    return found


def html_texts(page: str) -> list[str]:
    """What a reader of the HTML sees: the text outside scripts and styles, and the charts."""
    visible = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    texts = [t.strip() for t in re.split(r"<[^>]+>", visible) if t.strip()]
    for fig in html_figures(page):
        texts.extend(figure_texts(fig))
    return texts


def xlsx_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    texts = list(book.sheetnames)
    for sheet in book.worksheets:
        texts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return texts


def docx_texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return texts


def docx_table_after(data: bytes, heading: str) -> list[list[str]]:
    """The rows of the first table after the paragraph ``heading``."""
    seen = False
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, DocxTable):
            if seen:
                return [[c.text for c in row.cells] for row in block.rows]
        elif block.text.strip() == heading:
            seen = True
    raise AssertionError(f"no table after {heading!r}")


READERS = {"html": lambda b: html_texts(b.decode("utf-8")), "xlsx": xlsx_texts, "docx": docx_texts}


# --- every file is Dutch ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_yearly_report_holds_no_internal_code(demo, fmt):
    path, actors = demo
    seen = {}
    with store.unit(path) as db:
        for org, year in selections(path, actors[Role.MANAGEMENT]):
            made = annual_report.generate(db, actors[Role.MANAGEMENT], year, org, fmt, today=TODAY)
            if found := bad_texts(READERS[fmt](made)):
                seen[(org, year)] = found
    assert seen == {}


def test_sheet_names_of_the_yearly_report_are_dutch(demo):
    path, actors = demo
    with store.unit(path) as db:
        made = annual_report.generate(db, actors[Role.MANAGEMENT], 2026, None, "xlsx", today=TODAY)
    names = load_workbook(io.BytesIO(made)).sheetnames
    assert names == [
        "Kerncijfers",
        "Trend",
        *(stats.SERIES[code].short for code in stats.SERIES),
        "Informeren",
        "Toelichting en lessen",
        "Aandachtspunten",
    ]
    assert bad_texts(names) == {}


@pytest.mark.parametrize("fmt", register_export.FORMATS)
def test_the_register_export_holds_no_internal_code(demo, fmt):
    path, actors = demo
    dpo = actors[Role.DPO]
    seen = {}
    with store.unit(path) as db:
        for org in dpo.org_ids:
            for year in register_export.years(db, dpo, org):
                made = register_export.export(db, dpo, org, year, fmt)
                if fmt == "csv":
                    reader = csv.reader(io.StringIO(made.decode("utf-8-sig")), delimiter=";")
                    texts = [v for row in reader for v in row]
                else:
                    texts = xlsx_texts(made)
                if found := bad_texts(texts):
                    seen[(org, year)] = found
    assert seen == {}


def test_the_dashboard_figures_hold_no_internal_code(demo):
    path, actors = demo
    board_actor = actors[Role.MANAGEMENT]
    seen = {}
    with store.unit(path) as db:
        for org, year in selections(path, board_actor):
            board = stats.dashboard(db, board_actor, year, org, today=TODAY)
            for department in [None, *board.departments]:
                made = stats.dashboard(db, board_actor, year, org, department, today=TODAY)
                previous = made.previous.series if made.previous else None
                for code, fig in charts.dashboard_figures(made.current.series, year, previous).items():
                    if found := bad_texts(figure_texts(fig.to_plotly_json())):
                        seen[(org, year, department, code)] = found
    assert seen == {}


# --- one set of labels for the risk categories ------------------------------------------------

RISK_LABELS = [level.label for level in RiskLevel] + [stats.NO_ASSESSMENT]


def test_the_risk_categories_have_the_same_dutch_labels_everywhere(demo):
    path, actors = demo
    actor = actors[Role.MANAGEMENT]
    title = stats.SERIES["risk"].title
    with store.unit(path) as db:
        for org, year in selections(path, actor):
            board = stats.dashboard(db, actor, year, org, today=TODAY)
            app = charts.dashboard_figures(board.current.series, year, None)["risk"]
            assert list(app.data[0].x) == RISK_LABELS, (org, year)
            made = {f: annual_report.generate(db, actor, year, org, f, today=TODAY) for f in FORMATS}
            (in_html,) = [
                f for f in html_figures(made["html"].decode()) if f["layout"]["title"]["text"] == title
            ]
            assert in_html["data"][0]["x"] == RISK_LABELS, (org, year)
            sheet = load_workbook(io.BytesIO(made["xlsx"]))[stats.SERIES["risk"].short]
            assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)][:4] == RISK_LABELS
            assert [r[0] for r in docx_table_after(made["docx"], title)[1:5]] == RISK_LABELS


def test_a_risk_level_without_incidents_keeps_its_dutch_label():
    """The finding of issue #20: with only 'high' in the figures the chart showed none, risk, _none."""
    from collections import Counter

    from datalek.insight.disclosure import Node

    node = Node({"risk": Counter({"high": 7}), "total": Counter({"": 7})})
    figures = stats.figures(node, 2026, TODAY)
    assert [c.label for c in figures.series["risk"]] == RISK_LABELS
    assert [c.count for c in figures.series["risk"]] == [0, 0, 7, 0]


# --- empty and hidden charts ------------------------------------------------------------------

EMPTY = [Cell("Jeugd", 0, 5), Cell("Wmo", 0, 5)]
HIDDEN = [Cell("Jeugd", None, 5), Cell("Wmo", None, 5), Cell("ICT", 0, 5)]
MONTHS = [Cell(m, 0, 5) for m in charts.MONTHS]
HIDDEN_MONTHS = [Cell(m, None if i in (2, 5) else 0, 5) for i, m in enumerate(charts.MONTHS)]
BUCKETS = [Cell(b[2], 0, 5) for b in stats.BUCKETS]
HIDDEN_BUCKETS = [Cell(b[2], None if i < 2 else 0, 5) for i, b in enumerate(stats.BUCKETS)]
FUNNEL = [Cell(stats.COUNTS[c], 0) for c in ("total", "breach", "notified", "informed")]
HIDDEN_FUNNEL = [Cell(stats.COUNTS[c], None) for c in ("total", "breach", "notified", "informed")]

MAKERS = {
    "bar": lambda cells: charts.bar(cells, "Per afdeling", "Afdeling"),
    "bar, horizontal": lambda cells: charts.bar(cells, "Per afdeling", "Afdeling", horizontal=True),
    "per month": lambda cells: charts.per_month(cells, 2026),
    "per month with the year before": lambda cells: charts.per_month(cells, 2026, cells),
    "notify time": charts.notify_time,
    "funnel": charts.funnel,
}
CHART_CASES = [
    pytest.param(maker, cells, note, id=f"{maker}-{state}")
    for maker, empty, hidden in [
        ("bar", EMPTY, HIDDEN),
        ("bar", [], []),
        ("bar, horizontal", EMPTY, HIDDEN),
        ("per month", MONTHS, HIDDEN_MONTHS),
        ("per month with the year before", MONTHS, HIDDEN_MONTHS),
        ("notify time", BUCKETS, HIDDEN_BUCKETS),
        ("funnel", FUNNEL, HIDDEN_FUNNEL),
    ]
    for state, cells, note in [
        ("empty", empty, disclosure.NO_DATA),
        ("hidden", hidden, disclosure.ALL_HIDDEN),
    ]
    if cells or state == "empty"
]


def value_axes(fig) -> list[dict]:
    """The axes that carry counts (a funnel has none)."""
    layout = fig.to_plotly_json()["layout"]
    kinds = {t.type for t in fig.data}
    if kinds == {"funnel"}:
        return []
    horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    return [layout.get("xaxis" if horizontal else "yaxis", {})]


@pytest.mark.parametrize(("maker", "cells", "note"), CHART_CASES)
def test_an_empty_or_hidden_chart_says_why_in_dutch(maker, cells, note):
    fig = MAKERS[maker](cells)
    notes = [a["text"] for a in fig.to_plotly_json()["layout"].get("annotations", [])]
    assert note in notes
    assert bad_texts(figure_texts(fig.to_plotly_json())) == {}


@pytest.mark.parametrize(("maker", "cells", "note"), CHART_CASES)
def test_an_empty_or_hidden_chart_has_a_whole_number_axis_from_zero(maker, cells, note):
    for axis in value_axes(MAKERS[maker](cells)):
        assert axis.get("range") == [0, 1], axis
        assert axis.get("dtick") == 1 and axis.get("tickformat") == "d", axis


@pytest.mark.parametrize(
    ("counts", "dtick"),
    [([1, 2, 0], 1), ([3, 0, 9], 1), ([40, 12, 7], None)],
)
def test_a_chart_with_figures_counts_in_whole_numbers_from_zero(counts, dtick):
    fig = charts.bar([Cell(str(i), n, 1) for i, n in enumerate(counts)], "Per afdeling", "Afdeling")
    (axis,) = value_axes(fig)
    assert axis["rangemode"] == "tozero" and axis["tickformat"] == "d"
    assert axis.get("dtick") == dtick
    assert "annotations" not in fig.to_plotly_json()["layout"] or not any(
        a["text"] in (disclosure.NO_DATA, disclosure.ALL_HIDDEN) for a in fig.layout.annotations
    )
