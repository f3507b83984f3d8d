"""The yearly verantwoording as a Word document a board can edit and take into its annual
report: "Verantwoording datalekken {jaar} — {organisatie}".

In this order: the FG's narrative (above the figures), a paragraph of plain Dutch generated
from the figures (``narrative.paragraph``), the key figures next to the year before and the
figures about informing the people (``informing_figures``), every chart as a picture
(``chart_images``) with its numbers in a table under it, the lessons by theme with the FG's
summaries, and what the hidden small numbers mean. Built from the same
protected figures as the dashboard and the other formats (``stats.dashboard``), so it says
what they say; no personal data and no free text of an incident — the only texts are the
FG's own, written for the board. Everything is text, tables and pictures that Word edits.
"""

from __future__ import annotations

import io
from datetime import date

from sqlite_utils import Database

from datalek import store
from datalek.accounts import audit
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, OrgSelection, require
from datalek.insight import chart_images, disclosure, informing_figures, narrative, stats
from datalek.insight import figures as fig
from datalek.models import Actor

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALL = "alle organisaties"


def _paragraphs(document, text: str) -> None:
    """The FG's text as she typed it: a paragraph per line, no markup."""
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())


#: Column widths in cm: the label wide, the numbers narrow (16 cm fits an A4 page's text).
_WIDTHS = {2: (12, 4), 3: (10, 3, 3)}


def _table(document, rows: list[tuple]) -> None:
    from docx.shared import Cm

    made = document.add_table(rows=0, cols=len(rows[0]))
    made.style = "Table Grid"
    made.autofit = False
    widths = _WIDTHS.get(len(rows[0]))
    for row in rows:
        for i, (cell, value) in enumerate(zip(made.add_row().cells, row, strict=True)):
            cell.text = str(value)
            if widths:
                cell.width = Cm(widths[i])
    for column, width in zip(made.columns, widths or (), strict=False):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    document.add_paragraph()


def _dutch(document) -> None:
    """Spelling and hyphenation in Dutch for everything typed into the document later."""
    from docx.oxml.ns import qn

    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.append(language)
    language.set(qn("w:val"), "nl-NL")


def docx(db: Database, actor: Actor, year: int, org_id: int | None, today: date | None = None) -> bytes:
    """The document for one organisation (or all the actor may see); not audited — ``generate``
    is the audited entry point, and ``annual_report.generate`` audits when it calls this."""
    from docx import Document  # python-docx: only needed when a Word file is made
    from docx.shared import Cm

    selection = (org_id,) if org_id is not None else tuple(actor.org_ids)
    require(db, actor, Action.MAKE_ANNUAL_REPORT, OrgSelection(selection))
    board = stats.dashboard(db, actor, year, org_id, today=today)
    accounts = narrative.for_board(db, actor, year, org_id)
    names = {o.id: o.name for o in list_organisations(db, actor)}
    name = names.get(org_id, str(org_id)) if org_id is not None else ALL
    now, before = board.current, board.previous

    document = Document()
    _dutch(document)
    title = f"Verantwoording datalekken {year} — {name}"
    document.core_properties.title = title
    document.core_properties.author = "Datalek"
    document.core_properties.language = "nl-NL"
    document.add_heading(title, level=1)

    document.add_heading(narrative.NARRATIVE_TITLE, level=2)
    for account in accounts:
        if len(accounts) > 1:
            document.add_heading(account.organisation, level=3)
        if account.narrative:
            _paragraphs(document, account.narrative)
        else:
            document.add_paragraph(f"De FG heeft voor {year} nog geen toelichting geschreven.")

    document.add_heading("De cijfers in het kort", level=2)
    several = org_id is None and len(selection) > 1
    document.add_paragraph(
        narrative.paragraph(now, before, "de organisaties samen" if several else name, plural=several)
    )
    document.add_paragraph(fig.chain_sentence(now.figures))

    document.add_heading("Kerncijfers", level=2)
    rows = [("Cijfer", str(year), str(year - 1))]
    rows += [
        (f.label, f.shown, before.figures[code].shown if before else "-") for code, f in now.figures.items()
    ]
    _table(document, rows)
    informed = informing_figures.figures(db, actor, year, org_id, today)
    document.add_heading(informing_figures.TITLE, level=2)
    document.add_paragraph(informing_figures.note(informed))
    _table(document, [("Cijfer", str(year)), *informed.rows()])

    document.add_heading("Grafieken", level=2)
    pictures = chart_images.pngs(now.series, year, before.series if before else None)
    for code in pictures:
        document.add_heading(stats.SERIES[code].title, level=3)
        document.add_picture(io.BytesIO(pictures[code]), width=Cm(16))
        cells = now.series[code]
        note = disclosure.empty_note(cells)
        _table(document, [("Onderdeel", str(year)), *[(c.label, c.shown) for c in cells]])
        if note:
            document.add_paragraph(note)

    document.add_heading(narrative.LESSONS_TITLE, level=2)
    for account in accounts:
        if len(accounts) > 1:
            document.add_heading(account.organisation, level=3)
        if not account.themes:
            document.add_paragraph(
                f"Er zijn voor {year} nog geen lessen vastgelegd bij afgeronde incidenten."
            )
            continue
        _table(document, [("Thema", "Aantal incidenten"), *[(c.label, c.shown) for c in account.themes]])
        for theme, summary in account.summaries:
            document.add_heading(theme.label, level=4 if len(accounts) > 1 else 3)
            _paragraphs(document, summary)

    document.add_heading("Over de verborgen aantallen", level=2)
    document.add_paragraph(disclosure.explanation(narrative.small_number_limit(db, list(selection))))
    document.add_paragraph(
        f"Maatregelen zijn beoordeeld op {now.as_of:%d-%m-%Y}. Elk cijfer is hetzelfde als op het"
        " dashboard van Datalek."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def generate(db: Database, actor: Actor, year: int, org_id: int | None, today: date | None = None) -> bytes:
    """The document, and its generation in the audit trail (codes only)."""
    data = docx(db, actor, year, org_id, today)
    if db.conn.in_transaction:
        raise RuntimeError("generate must not run inside a transaction")
    with store.write(db):
        audit.append(db, actor, "annual_report.generate", "organisation", org_id, year=year, format="docx")
    return data
