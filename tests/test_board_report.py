"""The board-ready DOCX of the yearly verantwoording (#17): title, the FG's narrative above
the figures, the paragraph generated from the figures, the totals, every chart as a PNG with
its table, the lessons by theme with the FG's summaries (never a lesson of one incident), and
what hidden small numbers mean. The charts are drawn with matplotlib, in Dutch, a hidden count
never drawn as a value."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling.lessons import LessonTheme
from datalek.insight import board_report, chart_images, disclosure, narrative, stats
from datalek.insight.disclosure import Cell
from tests import dashboard_world as dw
from tests.test_narrative import small_number

YEAR = 2026
SECRET_LESSON = "Mevrouw Jansen van Jeugd stuurde het verslag naar de verkeerde ouder."
NARRATIVE = "Dit jaar ging het vaak mis met e-mail.\n\nHet bestuur vraagt om een adrescontrole."
SUMMARY = "Adressen worden voortaan door twee mensen gecontroleerd."


@pytest.fixture
def board_world(world, fresh_db, monkeypatch):
    """The hand-made register of ``dashboard_world`` (nothing hidden), a lesson for each of its
    six closed incidents of 2026, and the FG's narrative and one theme summary."""
    small_number(fresh_db, monkeypatch, 1)
    both = dw.fill(fresh_db, world)
    closed = [r[0] for r in fresh_db.execute("SELECT id FROM incidents WHERE status = 'closed' ORDER BY id")]
    themes = ["email", "email", "email", "post", "technology", "technology"]
    with fresh_db.conn:
        for incident_id, theme in zip(closed, themes, strict=True):
            fresh_db.execute(
                "INSERT INTO lessons (incident_id, theme, learned, prevention, no_measure_reason,"
                " recorded_at) VALUES (?, ?, ?, 'none', 'Eenmalig.', '2026-10-01T00:00:00+00:00')",
                [incident_id, theme, SECRET_LESSON],
            )
    narrative.write_narrative(fresh_db, world["dpo"], world.org.id, YEAR, NARRATIVE)
    narrative.write_summaries(fresh_db, world["dpo"], world.org.id, YEAR, {LessonTheme.EMAIL: SUMMARY})
    return world, fresh_db, both


def _document(world, db, actor_key="management", org_id=None) -> docx.document.Document:
    made = board_report.docx(db, world[actor_key], YEAR, org_id or world.org.id, today=dw.TODAY)
    return docx.Document(io.BytesIO(made))


def _blocks(document) -> list[tuple[str, object]]:
    """The body in order: ('Heading 1', text), ('p', text), ('table', rows), ('picture', None)."""
    found = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            table = docx.table.Table(child, document)
            found.append(("table", [[c.text for c in row.cells] for row in table.rows]))
        elif tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if child.xpath(".//pic:pic"):
                found.append(("picture", None))
            elif paragraph.text:
                style = paragraph.style.name
                found.append((style if style.startswith("Heading") else "p", paragraph.text))
    return found


def test_the_narrative_comes_above_the_figures_then_charts_lessons_and_the_explanation(board_world):
    world, db, _ = board_world
    blocks = _blocks(_document(world, db))
    headings = [text for kind, text in blocks if kind in ("Heading 1", "Heading 2")]
    assert headings == [
        "Verantwoording datalekken 2026 — Gemeente Test",
        "Toelichting van de FG",
        "De cijfers in het kort",
        "Kerncijfers",
        "Betrokkenen informeren: personen en uitstel",
        "Grafieken",
        "Lessen uit afgeronde incidenten",
        "Over de verborgen aantallen",
    ]
    texts = [text for kind, text in blocks if kind == "p"]
    assert "Dit jaar ging het vaak mis met e-mail." in texts
    assert "Het bestuur vraagt om een adrescontrole." in texts
    board = stats.dashboard(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    assert narrative.paragraph(board.current, board.previous, "Gemeente Test") in texts
    assert texts.index("Dit jaar ging het vaak mis met e-mail.") < texts.index(
        narrative.paragraph(board.current, board.previous, "Gemeente Test")
    )
    assert disclosure.explanation(1) in " ".join(texts)


def test_the_totals_are_the_dashboards(board_world):
    world, db, _ = board_world
    blocks = _blocks(_document(world, db))
    board = stats.dashboard(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    at = blocks.index(("Heading 2", "Kerncijfers"))
    kind, rows = blocks[at + 1]
    assert kind == "table" and rows[0] == ["Cijfer", "2026", "2025"]
    assert {r[0]: r[1] for r in rows[1:]} == {f.label: f.shown for f in board.current.figures.values()}
    assert {r[0]: r[2] for r in rows[1:]} == {f.label: f.shown for f in board.previous.figures.values()}


def test_every_chart_is_a_picture_followed_by_its_table(board_world):
    world, db, _ = board_world
    blocks = _blocks(_document(world, db))
    board = stats.dashboard(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    codes = chart_images.order(board.current.series)
    assert "month" in codes and "notify_bucket" in codes
    charts = [i for i, (kind, _) in enumerate(blocks) if kind == "Heading 3"][: len(codes)]
    assert [blocks[i][1] for i in charts] == [stats.SERIES[code].title for code in codes]
    for i, code in zip(charts, codes, strict=True):
        assert blocks[i + 1] == ("picture", None)
        kind, rows = blocks[i + 2]
        assert kind == "table" and rows[0] == ["Onderdeel", "2026"]
        assert rows[1:] == [[c.label, c.shown] for c in board.current.series[code]]


def test_the_lessons_by_theme_with_the_fgs_summary_and_never_a_lesson_of_an_incident(board_world):
    world, db, _ = board_world
    made = board_report.docx(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    blocks = _blocks(docx.Document(io.BytesIO(made)))
    at = blocks.index(("Heading 2", "Lessen uit afgeronde incidenten"))
    kind, rows = blocks[at + 1]
    assert kind == "table" and rows == [
        ["Thema", "Aantal incidenten"],
        ["E-mail en adressering", "3"],
        ["Post en printen", "1"],
        ["Techniek en beveiliging", "2"],
    ]
    assert blocks[at + 2 : at + 4] == [("Heading 3", "E-mail en adressering"), ("p", SUMMARY)]
    with zipfile.ZipFile(io.BytesIO(made)) as package:
        xml = " ".join(
            package.read(n).decode("utf-8", "replace") for n in package.namelist() if n.endswith(".xml")
        )
    assert "Jansen" not in xml and "geheim" not in xml and "Eenmalig" not in xml


def test_hidden_small_numbers_stay_hidden_in_tables_and_charts(board_world, monkeypatch):
    world, db, _ = board_world
    small_number(db, monkeypatch, 5)
    blocks = _blocks(_document(world, db))
    at = blocks.index(("Heading 2", "Lessen uit afgeronde incidenten"))
    assert blocks[at + 1][1][1:] == [
        ["E-mail en adressering", "verborgen"],
        ["Post en printen", "verborgen"],
        ["Techniek en beveiliging", "verborgen"],
    ]
    board = stats.dashboard(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    hidden = [c for cells in board.current.series.values() for c in cells if c.count is None]
    assert hidden, "the test needs a hidden cell"
    texts = " ".join(t for kind, t in blocks if kind == "p")
    assert disclosure.explanation(5) in texts


def test_all_organisations_get_each_their_own_narrative(board_world):
    world, db, both = board_world
    narrative.write_narrative(db, world["other_dpo"], world.other_org.id, YEAR, "Van jeugdzorg.")
    made = board_report.docx(db, both, YEAR, None, today=dw.TODAY)
    blocks = _blocks(docx.Document(io.BytesIO(made)))
    at = blocks.index(("Heading 2", "Toelichting van de FG"))
    assert blocks[at + 1 : at + 6] == [
        ("Heading 3", "Gemeente Test"),
        ("p", "Dit jaar ging het vaak mis met e-mail."),
        ("p", "Het bestuur vraagt om een adrescontrole."),
        ("Heading 3", "Jeugdzorg Test"),
        ("p", "Van jeugdzorg."),
    ]
    assert blocks[0] == ("Heading 1", "Verantwoording datalekken 2026 — alle organisaties")
    assert any(
        kind == "p" and t.startswith("In 2026 registreerden de organisaties samen") for kind, t in blocks
    )


def test_without_a_narrative_the_document_says_so(world, fresh_db, monkeypatch):
    small_number(fresh_db, monkeypatch, 1)
    dw.fill(fresh_db, world)
    blocks = _blocks(_document(world, fresh_db))
    at = blocks.index(("Heading 2", "Toelichting van de FG"))
    assert blocks[at + 1] == ("p", "De FG heeft voor 2026 nog geen toelichting geschreven.")
    at = blocks.index(("Heading 2", "Lessen uit afgeronde incidenten"))
    assert blocks[at + 1] == ("p", "Er zijn voor 2026 nog geen lessen vastgelegd bij afgeronde incidenten.")


def test_generating_is_audited_with_codes_only_and_refused_to_others(board_world):
    world, db, _ = board_world
    data = board_report.generate(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    assert data[:2] == b"PK"
    (detail,) = db.execute("SELECT detail FROM audit_log WHERE action = 'annual_report.generate'").fetchone()
    assert json.loads(detail) == {"year": YEAR, "format": "docx"}
    for who in ("reporter", "admin", "other_management"):
        with pytest.raises(PermissionDenied):
            board_report.generate(db, world[who], YEAR, world.org.id)


# --- the charts as pictures ----------------------------------------------------------------


def _bars(figure) -> list[float]:
    axes = figure.axes[0]
    return [p.get_width() for p in axes.patches]


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].texts] + [t.get_text() for t in figure.texts]


def test_a_hidden_count_gets_no_bar_and_says_verborgen():
    cells = [Cell("Post", 7), Cell("E-mail", None), Cell("Anders", 0)]
    figure = chart_images.bars(cells, "Soort incident")
    assert _bars(figure) == [7, 0, 0]
    assert _texts(figure) == ["7", "verborgen", "0"]
    assert figure.axes[0].get_title(loc="left") == "Soort incident"
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["Post", "E-mail", "Anders"]


@pytest.mark.parametrize(
    ("cells", "note"),
    [
        ([Cell("Post", 0), Cell("E-mail", 0)], disclosure.NO_DATA),
        ([Cell("Post", None), Cell("E-mail", None)], disclosure.ALL_HIDDEN),
    ],
    ids=["no-data", "all-hidden"],
)
def test_a_chart_without_a_bar_says_why(cells, note):
    assert note in _texts(chart_images.bars(cells, "Soort incident"))


def test_the_months_show_the_year_before_next_to_them():
    now = [Cell(m, i) for i, m in enumerate(stats.MONTHS)]
    before = [Cell(m, None if i == 3 else 1) for i, m in enumerate(stats.MONTHS)]
    figure = chart_images.per_month(now, YEAR, before)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["2026", "2025"]
    assert [p.get_height() for p in axes.patches] == [*range(12), *([1] * 3 + [0] + [1] * 8)]
    assert "verborgen" in [t.get_text() for t in axes.texts]
    assert axes.get_title(loc="left") == "Meldingen per maand in 2026 en 2025"


def test_every_chart_of_the_report_is_a_reproducible_png(board_world):
    world, db, _ = board_world
    board = stats.dashboard(db, world["management"], YEAR, world.org.id, today=dw.TODAY)
    first = chart_images.pngs(board.current.series, YEAR, board.previous.series)
    again = chart_images.pngs(board.current.series, YEAR, board.previous.series)
    assert list(first) == chart_images.order(board.current.series)
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in first.values())
    assert first == again
