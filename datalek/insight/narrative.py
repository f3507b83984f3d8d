"""The FG's account of a year for the board, and the paragraph the figures write themselves.

Per organisation and year the FG writes a narrative (her assessment, the trends, what the
board should look at) and picks the themes of the year's lessons to show, each with her own
summary. Both are append-only — the newest row counts, the older ones stay — and audited with
codes only. Only the FG of the organisation writes them and reads the lessons they sum up;
the board reads them in the yearly report, with the number of lessons per theme (small numbers
hidden, ``disclosure``), never the lesson of one incident.

``paragraph`` turns the year's protected figures and the year before into a few plain Dutch
sentences. A figure the dashboard hides is left out, never guessed, and so is any difference
with a hidden figure.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, OrgRef, OrgSelection, require
from datalek.handling import lessons
from datalek.handling.lessons import LessonTheme
from datalek.insight import disclosure, stats
from datalek.insight.disclosure import Cell
from datalek.models import Actor, InvalidInput
from datalek.store import lessons as sql

MAX_NARRATIVE = 6000
MAX_SUMMARY = 2000
TOO_LONG = "Dit is te lang: gebruik hoogstens {} tekens."
NOTHING_CHANGED = "Er is niets veranderd."
NARRATIVE_TITLE = "Toelichting van de FG"
LESSONS_TITLE = "Lessen uit afgeronde incidenten"


@dataclass(frozen=True)
class Editing:
    """What the FG sees while she writes: her texts as they are, and the year's lessons."""

    narrative: str
    summaries: dict[LessonTheme, str]
    counts: Counter
    #: theme -> (reference, lesson) of each closed incident of the year: for the FG only
    learned: dict[LessonTheme, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Accounting:
    """One organisation's account of a year, as the board reads it: no text of an incident."""

    org_id: int
    organisation: str
    narrative: str
    themes: list[Cell]  # lessons per theme, small numbers hidden
    summaries: list[tuple[LessonTheme, str]]  # the themes the FG picked, in the list's order


# --- writing ------------------------------------------------------------------------------


def write_narrative(db: Database, actor: Actor, org_id: int, year: int, text: str) -> None:
    """Store a new version of the year's narrative (empty: none is shown)."""
    require(db, actor, Action.WRITE_NARRATIVE, OrgRef(org_id))
    text = (text or "").strip()
    if len(text) > MAX_NARRATIVE:
        raise InvalidInput({"narrative": TOO_LONG.format(MAX_NARRATIVE)})
    at = clock.to_iso(clock.now())
    with store.write(db):
        if sql.narratives(db, [org_id], year).get(org_id, "") == text:
            raise InvalidInput({"form": NOTHING_CHANGED})
        sql.insert_narrative(
            db, {"org_id": org_id, "year": year, "text": text, "written_by": actor.user_id, "written_at": at}
        )
        audit.append(db, actor, "narrative.write", "organisation", org_id, year=year)


def write_summaries(
    db: Database, actor: Actor, org_id: int, year: int, shown: dict[LessonTheme, str]
) -> None:
    """The themes the FG shows, each with its summary; a theme left out is no longer shown.
    Only what changed gets a new row."""
    require(db, actor, Action.WRITE_NARRATIVE, OrgRef(org_id))
    shown = {LessonTheme(t): (text or "").strip() for t, text in shown.items()}
    errors = {}
    for theme, text in shown.items():
        if not text:
            errors[f"summary_{theme.value}"] = "Schrijf een samenvatting, of laat het thema weg."
        elif len(text) > MAX_SUMMARY:
            errors[f"summary_{theme.value}"] = TOO_LONG.format(MAX_SUMMARY)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        now = _summaries(db, org_id, year)
        wanted = {theme: shown.get(theme, "") for theme in sorted({*now, *shown}, key=lambda t: t.value)}
        changed = {theme: text for theme, text in wanted.items() if now.get(theme, "") != text}
        if not changed:
            raise InvalidInput({"form": NOTHING_CHANGED})
        for theme, text in changed.items():
            sql.insert_theme_summary(
                db,
                {
                    "org_id": org_id,
                    "year": year,
                    "theme": theme.value,
                    "summary": text,
                    "written_by": actor.user_id,
                    "written_at": at,
                },
            )
        audit.append(
            db,
            actor,
            "theme_summary.write",
            "organisation",
            org_id,
            year=year,
            shown=sorted(t.value for t in shown),
            hidden=sorted(t.value for t, text in changed.items() if not text),
        )


def _summaries(db: Database, org_id: int, year: int) -> dict[LessonTheme, str]:
    """The themes shown now, with their summary (a newest summary that is empty: not shown)."""
    return {
        LessonTheme(r["theme"]): r["summary"] for r in sql.theme_summaries(db, [org_id], year) if r["summary"]
    }


# --- reading ------------------------------------------------------------------------------


def for_editing(db: Database, actor: Actor, org_id: int, year: int) -> Editing:
    """The FG's texts and the year's lessons of her organisation, to write from."""
    require(db, actor, Action.WRITE_NARRATIVE, OrgRef(org_id))
    learned: dict[LessonTheme, list[tuple[str, str]]] = {}
    for row in sql.learned_of_year(db, org_id, year):
        learned.setdefault(LessonTheme(row["theme"]), []).append((row["reference"], row["learned"]))
    return Editing(
        sql.narratives(db, [org_id], year).get(org_id, ""),
        _summaries(db, org_id, year),
        lessons.counts_by_theme(db, [org_id], year).get(org_id, Counter()),
        learned,
    )


def for_board(db: Database, actor: Actor, year: int, org_id: int | None) -> list[Accounting]:
    """Each organisation's account of ``year`` (one, or all the actor may see), for the yearly
    report: the narrative, the picked themes with their summary, and the lessons per theme
    with small numbers hidden. Each organisation's counts stand on their own, never summed
    across organisations, so no selection can be subtracted from another."""
    selection = (org_id,) if org_id is not None else tuple(actor.org_ids)
    require(db, actor, Action.MAKE_ANNUAL_REPORT, OrgSelection(selection))
    names = {o.id: o.name for o in list_organisations(db, actor)}
    ids = sorted(selection, key=lambda i: (names.get(i, ""), i))
    texts = sql.narratives(db, ids, year)
    counts = lessons.counts_by_theme(db, ids, year)
    limit = small_number_limit(db, ids)
    found = []
    for org in ids:
        mine = counts.get(org, Counter())
        picked = _summaries(db, org, year)
        found.append(
            Accounting(
                org,
                names.get(org, str(org)),
                texts.get(org, ""),
                disclosure.suppress({t.label: mine[t] for t in LessonTheme if mine[t]}, limit),
                [(t, picked[t]) for t in LessonTheme if t in picked],
            )
        )
    return found


# --- the FG's account in the yearly report's HTML and XLSX (the DOCX: ``board_report``) ---------


def html_sections(accounts: list[Accounting], year: int) -> tuple[str, str]:
    """(the narrative, to go above the figures; the lessons by theme), as escaped HTML."""
    e = html.escape
    several = len(accounts) > 1

    def lines(text: str) -> str:
        return "".join(f"<p>{e(line.strip())}</p>" for line in text.splitlines() if line.strip())

    told, learned = [], []
    for a in accounts:
        head = f"<h3>{e(a.organisation)}</h3>" if several else ""
        told.append(
            head + (lines(a.narrative) or f"<p>De FG heeft voor {year} nog geen toelichting geschreven.</p>")
        )
        if not a.themes:
            learned.append(
                head + f"<p>Er zijn voor {year} nog geen lessen vastgelegd bij afgeronde incidenten.</p>"
            )
            continue
        rows = "".join(f"<tr><td>{e(c.label)}</td><td>{e(c.shown)}</td></tr>" for c in a.themes)
        summaries = "".join(f"<h4>{e(t.label)}</h4>{lines(text)}" for t, text in a.summaries)
        learned.append(
            f"{head}<table><tr><th>Thema</th><th>Aantal incidenten</th></tr>{rows}</table>{summaries}"
        )
    return (
        f'<section id="fg"><h2>{NARRATIVE_TITLE}</h2>{"".join(told)}</section>',
        f'<section id="lessons"><h2>{LESSONS_TITLE}</h2>{"".join(learned)}</section>',
    )


def add_sheet(book, accounts: list[Accounting]) -> None:
    """A sheet "Toelichting en lessen" in an openpyxl workbook: every text a text cell, never a
    formula (the FG's text may start with '=')."""
    sheet = book.create_sheet("Toelichting en lessen")
    sheet.append(["Organisatie", "Onderdeel", "Aantal", "Tekst"])
    for a in accounts:
        summaries = dict(a.summaries)
        by_label = {t.label: summaries.get(t, "") for t in LessonTheme}
        rows = [[a.organisation, NARRATIVE_TITLE, "", a.narrative]]
        rows += [[a.organisation, c.label, c.shown, by_label.get(c.label, "")] for c in a.themes]
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"


def small_number_limit(db: Database, org_ids: list[int]) -> int:
    """The smallest count shown for these organisations together: each one's own threshold
    (``disclosure.limit_for``), the largest of them for several."""
    return max((disclosure.limit_for(n) for n in sql.small_numbers(db, org_ids)), default=disclosure.DEFAULT)


# --- the paragraph generated from the figures ----------------------------------------------


def _breaches(n: int) -> str:
    return "geen datalekken" if n == 0 else f"{n} datalek" if n == 1 else f"{n} datalekken"


def _is(n: int) -> str:
    return "is" if n == 1 else "zijn"


def _on_time(figures: stats.Figures, notified: int) -> int | None:
    """How many AP notifications were on time: the count where the figures have it, else from
    the share of the notifications with a known time; None when hidden."""
    if "notified_on_time" in figures.figures:
        return figures.value("notified_on_time")
    share = figures.value("within72_share")
    return None if share is None else round(share * notified)


def _within(figures: stats.Figures, notified: int) -> str:
    """', waarvan 8 binnen 72 uur' and its variants; '' when that count is hidden."""
    within = _on_time(figures, notified) if notified else None
    if within is None:
        return ""
    if within == notified:
        return ", binnen 72 uur" if notified == 1 else ", alle binnen 72 uur"
    if within == 0:
        return ", niet binnen 72 uur" if notified == 1 else ", geen ervan binnen 72 uur"
    return f", waarvan {within} binnen 72 uur"


def _compared(now: int, before: stats.Figures | None) -> str:
    """', 6 meer dan in 2024' and its variants; '' without a comparable year before (none,
    hidden, or a year without any report: then the register was not kept in Datalek yet)."""
    if before is None or not before.value("total") or before.value("breach") is None:
        return ""
    difference = now - before.value("breach")
    if difference == 0:
        return f", evenveel als in {before.year}"
    return f", {abs(difference)} {'meer' if difference > 0 else 'minder'} dan in {before.year}"


def paragraph(
    figures: stats.Figures, before: stats.Figures | None, organisation: str, plural: bool = False
) -> str:
    """Plain Dutch from the year's protected figures and the year before, e.g. "In 2025
    registreerde Gemeente X 43 datalekken, 6 meer dan in 2024; 9 zijn gemeld bij de AP, waarvan
    8 binnen 72 uur." A hidden figure is left out, with everything that would give it away.
    ``plural``: ``organisation`` names several ("de organisaties samen")."""
    year = figures.year
    breach, notified, informed = (figures.value(c) for c in ("breach", "notified", "informed"))
    sentences = []
    if breach is not None:
        verb = "registreerden" if plural else "registreerde"
        first = f"In {year} {verb} {organisation} {_breaches(breach)}{_compared(breach, before)}"
        if breach and notified is not None:
            told = f"{notified} {_is(notified)}" if notified else "geen ervan is"
            first += f"; {told} gemeld bij de AP{_within(figures, notified)}"
        sentences.append(first + ".")
    elif notified is not None:
        told = f"{_is(notified)} {_breaches(notified)}" if notified else "is geen datalek"
        sentences.append(f"In {year} {told} gemeld bij de AP{_within(figures, notified)}.")
    if informed is not None and breach != 0:
        which = "geen enkel datalek" if informed == 0 else _breaches(informed)
        sentences.append(f"Bij {which} zijn de betrokkenen geïnformeerd.")
    return " ".join(sentences) or f"De aantallen van {year} zijn te klein om hier te noemen."
