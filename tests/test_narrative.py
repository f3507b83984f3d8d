"""The FG's account of a year (#17): her narrative and her summary per theme of the lessons
(append-only, newest counts, audited, only the FG of the organisation writes; management reads
them in the yearly report, never a lesson of one incident), and the paragraph of plain Dutch
generated from the figures, which never names a number the figures hide."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import lifecycle
from datalek.handling.lessons import LessonTheme
from datalek.insight import narrative, stats
from datalek.insight.disclosure import HIDDEN
from datalek.models import InvalidInput
from tests.test_lessons import a_lesson, decided_and_complete

YEAR = 2026
ORG = "Gemeente X"


# --- the generated paragraph ---------------------------------------------------------------


def figures(year: int, **values) -> stats.Figures:
    """Figures of one year as ``stats.figures`` makes them: a value None is hidden. ``within``:
    the AP notifications on time, as a count and as their share of ``notified``."""
    within = values.pop("within", None)
    counts = {code: values.get(code) for code in stats.COUNTS}
    if "notified_on_time" in counts:  # the figures that count the notifications on time
        counts["notified_on_time"] = within
    made = {
        code: stats.Figure(code, label, counts[code], HIDDEN if counts[code] is None else str(counts[code]))
        for code, label in stats.COUNTS.items()
    }
    notified = counts["notified"]
    share = None if within is None or not notified else within / notified
    made["within72_share"] = stats.Figure("within72_share", "", share, "")
    return stats.Figures(year, date(year, 12, 31), made)


def say(now: dict, before: dict | None = None) -> str:
    previous = figures(YEAR - 1, **before) if before is not None else None
    return narrative.paragraph(figures(YEAR, **now), previous, ORG)


PREVIOUS_37 = {"total": 60, "breach": 37}


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (
            {"breach": 43, "notified": 9, "within": 8},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 43 datalekken, 6 meer dan in 2025; 9 zijn gemeld bij de AP,"
            " waarvan 8 binnen 72 uur.",
        ),
        (
            {"breach": 1, "notified": 1, "within": 1},
            {"total": 3, "breach": 1},
            "In 2026 registreerde Gemeente X 1 datalek, evenveel als in 2025; 1 is gemeld bij de AP,"
            " binnen 72 uur.",
        ),
        (
            {"breach": 34, "notified": 3, "within": 0},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 34 datalekken, 3 minder dan in 2025; 3 zijn gemeld bij de AP,"
            " geen ervan binnen 72 uur.",
        ),
        (
            {"breach": 38, "notified": 1, "within": 0},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 38 datalekken, 1 meer dan in 2025; 1 is gemeld bij de AP,"
            " niet binnen 72 uur.",
        ),
        (
            {"breach": 36, "notified": 4, "within": 4},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 36 datalekken, 1 minder dan in 2025; 4 zijn gemeld bij de AP,"
            " alle binnen 72 uur.",
        ),
        (
            {"breach": 12, "notified": 0},
            None,
            "In 2026 registreerde Gemeente X 12 datalekken; geen ervan is gemeld bij de AP.",
        ),
        (
            {"breach": 0, "notified": 0, "informed": 0},
            {"total": 9, "breach": 2},
            "In 2026 registreerde Gemeente X geen datalekken, 2 minder dan in 2025.",
        ),
        (
            {"breach": 43, "notified": 9, "within": 8},
            {"total": 0, "breach": 0},
            "In 2026 registreerde Gemeente X 43 datalekken; 9 zijn gemeld bij de AP, waarvan 8 binnen 72 uur.",
        ),
        (
            {"breach": 43, "notified": 9, "within": 8},
            {"total": 60, "breach": None},
            "In 2026 registreerde Gemeente X 43 datalekken; 9 zijn gemeld bij de AP, waarvan 8 binnen 72 uur.",
        ),
        (
            {"breach": None, "notified": 9, "within": 8},
            PREVIOUS_37,
            "In 2026 zijn 9 datalekken gemeld bij de AP, waarvan 8 binnen 72 uur.",
        ),
        (
            {"breach": None, "notified": 1, "within": 1},
            PREVIOUS_37,
            "In 2026 is 1 datalek gemeld bij de AP, binnen 72 uur.",
        ),
        ({"breach": None, "notified": 0}, PREVIOUS_37, "In 2026 is geen datalek gemeld bij de AP."),
        (
            {"breach": 43, "notified": None},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 43 datalekken, 6 meer dan in 2025.",
        ),
        (
            {"breach": 43, "notified": 9, "within": None},
            PREVIOUS_37,
            "In 2026 registreerde Gemeente X 43 datalekken, 6 meer dan in 2025; 9 zijn gemeld bij de AP.",
        ),
        (
            {"breach": 43, "notified": None, "informed": 5},
            None,
            "In 2026 registreerde Gemeente X 43 datalekken. Bij 5 datalekken zijn de betrokkenen geïnformeerd.",
        ),
        (
            {"breach": 43, "notified": None, "informed": 1},
            None,
            "In 2026 registreerde Gemeente X 43 datalekken. Bij 1 datalek zijn de betrokkenen geïnformeerd.",
        ),
        (
            {"breach": 43, "notified": None, "informed": 0},
            None,
            "In 2026 registreerde Gemeente X 43 datalekken. Bij geen enkel datalek zijn de betrokkenen"
            " geïnformeerd.",
        ),
        ({}, PREVIOUS_37, "De aantallen van 2026 zijn te klein om hier te noemen."),
    ],
    ids=[
        "more",
        "one-the-same",
        "fewer-none-in-time",
        "one-more-one-late",
        "one-fewer-all-in-time",
        "no-previous-year-none-notified",
        "no-breaches",
        "previous-year-had-no-reports",
        "previous-year-hidden",
        "breaches-hidden",
        "breaches-hidden-one-notified",
        "breaches-hidden-none-notified",
        "notified-hidden",
        "within-72-hidden",
        "informed",
        "informed-one",
        "informed-none",
        "everything-hidden",
    ],
)
def test_the_paragraph_says_the_figures_in_plain_dutch(now, before, expected):
    assert say(now, before) == expected


def test_several_organisations_are_said_in_the_plural():
    now = figures(YEAR, breach=43, notified=9, within=8)
    assert narrative.paragraph(
        now, figures(YEAR - 1, total=50, breach=43), "de organisaties samen", plural=True
    ) == (
        "In 2026 registreerden de organisaties samen 43 datalekken, evenveel als in 2025; 9 zijn gemeld bij"
        " de AP, waarvan 8 binnen 72 uur."
    )


def _maybe(upper: int):
    return st.one_of(st.none(), st.integers(0, upper))


@st.composite
def year_figures(draw):
    breach = draw(_maybe(300))
    notified = draw(_maybe(breach if breach is not None else 300))
    within = draw(_maybe(notified)) if notified else None
    informed = draw(_maybe(breach if breach is not None else 300))
    before = draw(st.one_of(st.none(), st.fixed_dictionaries({"total": _maybe(400), "breach": _maybe(300)})))
    return {"breach": breach, "notified": notified, "within": within, "informed": informed}, before


@settings(max_examples=400, deadline=None)
@given(year_figures())
def test_the_paragraph_names_no_hidden_figure_and_says_one_and_many_right(drawn):
    now, before = drawn
    text = say(now, before)
    allowed = {YEAR, YEAR - 1} | {v for v in now.values() if v is not None}
    if now["within"] is not None:
        allowed.add(72)
    previous = (before or {}).get("breach")
    if now["breach"] is not None and previous is not None and (before or {}).get("total"):
        allowed.add(abs(now["breach"] - previous))
    assert {int(n) for n in re.findall(r"\d+", text)} <= allowed, text
    if now["breach"] is None:
        assert "registreerde" not in text
    if now["notified"] is None:
        assert "AP" not in text
    if now["within"] is None:
        assert "72 uur" not in text
    assert text.endswith(".") and "None" not in text and HIDDEN not in text
    words = text.replace(f"In {YEAR} ", "In het jaar ")
    assert not re.search(r"\b1 datalekken\b|\b([02-9]|\d\d+) datalek\b", words), text
    assert not re.search(r"\b1 zijn\b|\b([02-9]|\d\d+) is\b|\bzijn (1|geen) datalek\b", words), text


# --- the narrative and the summaries per theme ----------------------------------------------


def small_number(db, monkeypatch, limit: int) -> None:
    """Every organisation's small-number threshold, and the installation's, set to ``limit``."""
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", str(limit))
    with db.conn:
        db.execute("UPDATE organisations SET small_number = ?", [limit])


def test_the_fg_writes_the_narrative_newest_counts_older_rows_stay(fresh_db, world):
    dpo, org = world["dpo"], world.org.id
    narrative.write_narrative(fresh_db, dpo, org, YEAR, "Eerste versie.")
    narrative.write_narrative(fresh_db, dpo, org, YEAR, "  Het bestuur let op e-mail.  ")
    assert narrative.for_editing(fresh_db, dpo, org, YEAR).narrative == "Het bestuur let op e-mail."
    rows = fresh_db.execute("SELECT text, written_by FROM year_narratives ORDER BY id").fetchall()
    assert rows == [("Eerste versie.", dpo.user_id), ("Het bestuur let op e-mail.", dpo.user_id)]
    (board,) = narrative.for_board(fresh_db, world["management"], YEAR, org)
    assert board.narrative == "Het bestuur let op e-mail."
    details = [
        json.loads(d)
        for (d,) in fresh_db.execute("SELECT detail FROM audit_log WHERE action = 'narrative.write'")
    ]
    assert details == [{"year": YEAR}, {"year": YEAR}]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("x" * 6001, "narrative", "Dit is te lang: gebruik hoogstens 6000 tekens."),
        ("Eerste versie.", "form", "Er is niets veranderd."),
    ],
    ids=["too-long", "unchanged"],
)
def test_the_narrative_rules(fresh_db, world, text, field, message):
    narrative.write_narrative(fresh_db, world["dpo"], world.org.id, YEAR, "Eerste versie.")
    with pytest.raises(InvalidInput) as refused:
        narrative.write_narrative(fresh_db, world["dpo"], world.org.id, YEAR, text)
    assert refused.value.errors == {field: message}
    assert fresh_db.execute("SELECT count(*) FROM year_narratives").fetchone()[0] == 1


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_fg_of_the_organisation_writes_and_edits(fresh_db, world, who):
    org = world.org.id
    for call in (
        lambda: narrative.write_narrative(fresh_db, world[who], org, YEAR, "Tekst."),
        lambda: narrative.write_summaries(fresh_db, world[who], org, YEAR, {LessonTheme.EMAIL: "Tekst."}),
        lambda: narrative.for_editing(fresh_db, world[who], org, YEAR),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.action == "narrative.write"
    assert fresh_db.execute("SELECT count(*) FROM year_narratives").fetchone()[0] == 0
    assert fresh_db.execute("SELECT count(*) FROM theme_summaries").fetchone()[0] == 0


def test_the_fg_picks_and_edits_the_themes_and_management_sees_only_those(fresh_db, world):
    dpo, org = world["dpo"], world.org.id
    narrative.write_summaries(
        fresh_db,
        dpo,
        org,
        YEAR,
        {LessonTheme.EMAIL: "Meer controle op adressen.", LessonTheme.ACCESS: "Rechten."},
    )
    narrative.write_summaries(fresh_db, dpo, org, YEAR, {LessonTheme.EMAIL: "Adrescontrole met z'n tweeën."})
    assert narrative.for_editing(fresh_db, dpo, org, YEAR).summaries == {
        LessonTheme.EMAIL: "Adrescontrole met z'n tweeën."
    }
    (board,) = narrative.for_board(fresh_db, world["management"], YEAR, org)
    assert board.summaries == [(LessonTheme.EMAIL, "Adrescontrole met z'n tweeën.")]
    rows = fresh_db.execute("SELECT theme, summary FROM theme_summaries ORDER BY id").fetchall()
    assert rows == [
        ("access", "Rechten."),
        ("email", "Meer controle op adressen."),
        ("access", ""),
        ("email", "Adrescontrole met z'n tweeën."),
    ]
    details = [
        json.loads(d)
        for (d,) in fresh_db.execute("SELECT detail FROM audit_log WHERE action = 'theme_summary.write'")
    ]
    assert details == [
        {"year": YEAR, "shown": ["access", "email"], "hidden": []},
        {"year": YEAR, "shown": ["email"], "hidden": ["access"]},
    ]


@pytest.mark.parametrize(
    ("shown", "field", "message"),
    [
        ({LessonTheme.POST: "  "}, "summary_post", "Schrijf een samenvatting, of laat het thema weg."),
        ({LessonTheme.POST: "x" * 2001}, "summary_post", "Dit is te lang: gebruik hoogstens 2000 tekens."),
        ({LessonTheme.EMAIL: "Eerst."}, "form", "Er is niets veranderd."),
    ],
    ids=["empty", "too-long", "unchanged"],
)
def test_the_summary_rules(fresh_db, world, shown, field, message):
    narrative.write_summaries(fresh_db, world["dpo"], world.org.id, YEAR, {LessonTheme.EMAIL: "Eerst."})
    with pytest.raises(InvalidInput) as refused:
        narrative.write_summaries(fresh_db, world["dpo"], world.org.id, YEAR, shown)
    assert refused.value.errors == {field: message}
    assert fresh_db.execute("SELECT count(*) FROM theme_summaries").fetchone()[0] == 1


def test_the_fg_reads_the_lessons_of_the_year_management_only_counts(fresh_db, world, monkeypatch):
    small_number(fresh_db, monkeypatch, 1)
    dpo, org = world["dpo"], world.org.id
    for theme in (LessonTheme.EMAIL, LessonTheme.EMAIL, LessonTheme.PAPER):
        lifecycle.close(fresh_db, dpo, decided_and_complete(fresh_db, world), a_lesson(theme=theme))
    editing = narrative.for_editing(fresh_db, dpo, org, YEAR)
    assert editing.counts == {LessonTheme.EMAIL: 2, LessonTheme.PAPER: 1}
    assert [learned for _, learned in editing.learned[LessonTheme.EMAIL]] == [a_lesson().learned] * 2
    (board,) = narrative.for_board(fresh_db, world["management"], YEAR, org)
    assert [(c.label, c.count) for c in board.themes] == [
        ("E-mail en adressering", 2),
        ("Papieren dossiers", 1),
    ]
    assert a_lesson().learned not in repr(board)


def test_small_lesson_counts_are_hidden_from_the_board(fresh_db, world, monkeypatch):
    small_number(fresh_db, monkeypatch, 5)
    dpo = world["dpo"]
    for theme in [LessonTheme.EMAIL] * 6 + [LessonTheme.PAPER]:
        lifecycle.close(fresh_db, dpo, decided_and_complete(fresh_db, world), a_lesson(theme=theme))
    (board,) = narrative.for_board(fresh_db, world["management"], YEAR, world.org.id)
    assert [(c.label, c.count) for c in board.themes] == [
        ("E-mail en adressering", None),
        ("Papieren dossiers", None),
    ]


def test_the_board_of_all_organisations_gets_each_organisations_own_account(fresh_db, world):
    from tests import dashboard_world as dw

    both = dw.fill(fresh_db, world)
    narrative.write_narrative(fresh_db, world["dpo"], world.org.id, YEAR, "Van de gemeente.")
    narrative.write_narrative(fresh_db, world["other_dpo"], world.other_org.id, YEAR, "Van jeugdzorg.")
    found = narrative.for_board(fresh_db, both, YEAR, None)
    assert [(a.organisation, a.narrative) for a in found] == [
        ("Gemeente Test", "Van de gemeente."),
        ("Jeugdzorg Test", "Van jeugdzorg."),
    ]
    with pytest.raises(PermissionDenied):
        narrative.for_board(fresh_db, world["reporter"], YEAR, world.org.id)


# --- the FG's account in the yearly report's HTML and XLSX ----------------------------------


def _accounts(fresh_db, world, monkeypatch, text: str) -> list[narrative.Accounting]:
    small_number(fresh_db, monkeypatch, 1)
    dpo, org = world["dpo"], world.org.id
    lifecycle.close(fresh_db, dpo, decided_and_complete(fresh_db, world), a_lesson())
    narrative.write_narrative(fresh_db, dpo, org, YEAR, text)
    narrative.write_summaries(fresh_db, dpo, org, YEAR, {LessonTheme.EMAIL: "=SOM(A1:A9) <b>dubbel</b>"})
    return narrative.for_board(fresh_db, world["management"], YEAR, org)


def test_the_html_sections_escape_the_fgs_text_and_hold_no_lesson(fresh_db, world, monkeypatch):
    told, learned = narrative.html_sections(
        _accounts(fresh_db, world, monkeypatch, "<script>alert(1)</script>\nTweede regel."), YEAR
    )
    assert told == (
        '<section id="fg"><h2>Toelichting van de FG</h2><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
        "<p>Tweede regel.</p></section>"
    )
    assert learned == (
        '<section id="lessons"><h2>Lessen uit afgeronde incidenten</h2><table><tr><th>Thema</th>'
        "<th>Aantal incidenten</th></tr><tr><td>E-mail en adressering</td><td>1</td></tr></table>"
        "<h4>E-mail en adressering</h4><p>=SOM(A1:A9) &lt;b&gt;dubbel&lt;/b&gt;</p></section>"
    )
    assert a_lesson().learned not in told + learned


def test_the_sheet_keeps_every_text_a_text_never_a_formula(fresh_db, world, monkeypatch):
    import io

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    narrative.add_sheet(book, _accounts(fresh_db, world, monkeypatch, "=1+1 is geen formule."))
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Toelichting en lessen"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Organisatie", "Onderdeel", "Aantal", "Tekst"],
        ["Gemeente Test", "Toelichting van de FG", None, "=1+1 is geen formule."],
        ["Gemeente Test", "E-mail en adressering", "1", "=SOM(A1:A9) <b>dubbel</b>"],
    ]
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row if c.value} == {"s"}


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_the_yearly_report_places_the_narrative_above_the_figures_and_the_lessons(
    fresh_db, world, monkeypatch, fmt
):
    """Issue #17: "the yearly report places it above the figures" — in every format, not only the
    board's Word document."""
    import io

    from openpyxl import load_workbook

    from datalek.insight import annual_report

    _accounts(fresh_db, world, monkeypatch, "Het bestuur let op e-mail.\n<b>Vet</b>")
    data = annual_report.generate(fresh_db, world["management"], YEAR, world.org.id, fmt)
    if fmt == "html":
        page = data.decode()
        assert page.index("Toelichting van de FG") < page.index("Het bestuur let op e-mail.")
        assert page.index("Het bestuur let op e-mail.") < page.index("Samenvatting")
        assert "&lt;b&gt;Vet&lt;/b&gt;" in page and "<b>Vet</b>" not in page
        assert page.index("Lessen uit afgeronde incidenten") < page.index("Aandachtspunten voor volgend jaar")
        assert "E-mail en adressering" in page
    else:
        book = load_workbook(io.BytesIO(data))
        rows = [[c.value for c in row] for row in book["Toelichting en lessen"].iter_rows()]
        assert [
            "Gemeente Test",
            "Toelichting van de FG",
            None,
            "Het bestuur let op e-mail.\n<b>Vet</b>",
        ] in rows
    assert a_lesson().learned not in (data.decode() if fmt == "html" else "")
