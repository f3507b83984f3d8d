"""The yearly verantwoording: "Verantwoording datalekken {jaar} — {organisatie}".

Built from the same protected figures as the dashboard (``stats.dashboard``), so every
number in the report equals the number on the dashboard, and the same database and year
give the same figures. An organisation's totals are always there; breakdowns hide small
numbers as everywhere (``datalek.insight.disclosure``). No personal data and no free text
from incidents: only counts, shares, medians and fixed Dutch labels. The HTML works offline
(plotly.js is embedded) and escapes every text it writes; the XLSX holds every figure and
chart; the Word document is the board's (``board_report``). Charts, sheets and tables take
their names and labels from one table in the core (``figures``), so the app, the HTML, the
XLSX and the DOCX say the same. Each generation is written to the audit trail (codes only).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import date

import plotly.offline
from openpyxl import Workbook
from sqlite_utils import Database

from datalek import store
from datalek.accounts import audit
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, OrgSelection, require
from datalek.insight import charts, disclosure, informing_figures, narrative, stats
from datalek.insight import figures as figure_codes
from datalek.models import Actor

FORMATS = ("html", "xlsx", "docx")
MEDIA_TYPES = {
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SECTIONS = [
    ("summary", "Samenvatting"),
    ("trend", "Aantallen en trend"),
    ("authority", "Meldingen bij de AP en tijdigheid"),
    ("subjects", "Betrokkenen"),
    ("informing", informing_figures.TITLE),
    ("causes", "Oorzaken en soorten gegevens"),
    ("chain", "Verwerkers en keten-incidenten"),
    ("measures", "Maatregelen en de opvolging van preventieve maatregelen"),
    ("repeats", "Herhaalde incidenten"),
    ("attention", "Aandachtspunten voor volgend jaar"),
]
#: The key figures of each section, by their code in ``stats.COUNTS`` / ``stats.DERIVED``.
_SECTION_FIGURES = {
    "trend": [
        "total", "breach", "not_breach", "lawful", "no_personal_data", "no_incident", "duplicate",
        "undecided", "open",
    ],
    "authority": [
        "notified", "notified_on_time", "notified_late", "withdrawn", "notified_share", "within72_share",
        "notify_median", "decision_median", "late_report", "bad_time",
    ],
    "subjects": ["informed", "inform_median", "people", "minors", "special", "bsn", "youth_file"],
    "chain": [
        "processor", "proc_told_on_time", "proc_told_late", "proc_told_share", "proc_delay_median", "chain",
    ],
    "measures": [
        "measures", "measures_open", "measures_overdue", "measures_on_time", "preventive", "preventive_done",
    ],
    "repeats": ["repeat"],
}  # fmt: skip
#: The charts of each section, by their code in ``stats.SERIES`` ("dept" is "org" for several
#: organisations together).
_SECTION_CHARTS = {
    "trend": ["month", "funnel", "outcome", "dept"],
    "authority": ["notify_bucket", "late_reason"],
    "subjects": ["people"],
    "causes": ["type", "data", "nature", "risk"],
    "chain": ["processor"],
}
#: The columns of the trend table.
TREND = ("total", "breach", "not_breach", "duplicate", "undecided", "notified", "informed")


@dataclass(frozen=True)
class AnnualReport:
    title: str
    organisation: str
    year: int
    dashboard: stats.Dashboard
    trend: dict[int, stats.Figures]
    attention: list[str]
    informing: informing_figures.InformingFigures | None = None
    #: The FG's narrative and the lessons by theme, per organisation (``narrative.for_board``).
    accounts: tuple[narrative.Accounting, ...] = ()


def _organisation(db: Database, actor: Actor, org_id: int | None) -> str:
    if org_id is None:
        return "alle organisaties"
    names = {o.id: o.name for o in list_organisations(db, actor)}
    return names.get(org_id, str(org_id))


def build(
    db: Database, actor: Actor, year: int, org_id: int | None = None, today: date | None = None
) -> AnnualReport:
    board = stats.dashboard(db, actor, year, org_id, today=today)
    trend = {
        y: stats.dashboard(db, actor, y, org_id, today=today).current
        for y in sorted(stats.available_years(db, actor, org_id))
        if y <= year
    }
    trend[year] = board.current
    name = _organisation(db, actor, org_id)
    return AnnualReport(
        f"Verantwoording datalekken {year} — {name}",
        name,
        year,
        board,
        dict(sorted(trend.items())),
        attention(board),
        informing_figures.figures(db, actor, year, org_id, today),
        tuple(narrative.for_board(db, actor, year, org_id)),
    )


def attention(board: stats.Dashboard) -> list[str]:
    """Points of attention for next year, derived from the figures only."""
    now, before = board.current, board.previous
    points = []
    total, late = now.value("total"), now.value("late_report")
    if total and late is not None and late / total > 0.2:
        points.append(
            f"{round(late / total * 100)}% van de interne meldingen kwam later dan 24 uur"
            " na ontdekking binnen. Maak melden makkelijker en bekender."
        )
    within = now.value("within72_share")
    if within is not None and within < 0.9:
        points.append(
            f"Maar {round(within * 100)}% van de AP-meldingen was binnen 72 uur."
            " Kijk waar de tijd verloren gaat."
        )
    if before is not None:
        old = {c.label: c.count for c in before.series["type"]}
        for cell in now.series["type"]:
            was = old.get(cell.label)
            if cell.count and was and cell.count >= 1.25 * was and cell.count - was >= 5:
                points.append(
                    f"Meer datalekken van de soort '{cell.label}': {was} in {before.year},"
                    f" {cell.count} in {now.year}."
                )
    overdue = now.value("measures_overdue")
    if overdue:
        points.append(f"{overdue} maatregelen zijn niet op tijd uitgevoerd.")
    done, planned = now.value("preventive_done"), now.value("preventive")
    if done is not None and planned and done / planned < 0.8:
        points.append(f"Maar {round(done / planned * 100)}% van de preventieve maatregelen is uitgevoerd.")
    if now.value("repeat"):
        points.append(f"{now.value('repeat')} incidenten waren een herhaling. Pak de oorzaak aan.")
    if now.value("bad_time"):
        points.append(
            f"Bij {now.value('bad_time')} meldingen kloppen de tijden niet (een besluit vóór de melding,"
            " of een AP-melding vóór het lek bekend was). Verbeter die in het register."
        )
    return points or ["Uit de cijfers volgen geen bijzondere aandachtspunten."]


def summary(report: AnnualReport) -> list[str]:
    f = report.dashboard.current.figures

    def say(code: str) -> str:
        return "een verborgen aantal" if f[code].value is None else f[code].shown

    return [
        f"In {report.year} kwamen {say('total')} interne meldingen binnen. De FG beoordeelde"
        f" {say('breach')} daarvan als datalek en {say('not_breach')} als geen datalek;"
        f" {say('duplicate')} waren dubbel en over {say('undecided')} is nog geen besluit.",
        f"{say('notified')} datalekken zijn gemeld bij de Autoriteit Persoonsgegevens"
        f" ({f['notified_share'].shown}); {say('notified_on_time')} daarvan binnen 72 uur en"
        f" {say('notified_late')} later. {say('withdrawn')} meldingen zijn ingetrokken.",
        f"Bij {say('informed')} datalekken zijn de betrokkenen geïnformeerd.",
        *([informing_figures.sentence(report.informing)] if report.informing else []),
        figure_codes.chain_sentence(report.dashboard.current.figures),
    ]


def chart_codes(report: AnnualReport, section: str) -> list[str]:
    """The charts of a section that this selection has (per organisation or per department)."""
    series = report.dashboard.current.series
    return [stats.chart_of_parts(series) if c == "dept" else c for c in _SECTION_CHARTS.get(section, [])]


# --- rendering --------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#111;line-height:1.5}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #999;padding:.3rem .6rem;
text-align:left}.chart{page-break-inside:avoid;break-inside:avoid}
@media print{section{page-break-inside:avoid}.chart{width:100%}}
"""


def _table(rows: list[tuple]) -> str:
    e = html.escape
    head, *body = rows
    return (
        "<table><tr>"
        + "".join(f"<th>{e(str(h))}</th>" for h in head)
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in body)
        + "</table>"
    )


def _figure_rows(report: AnnualReport, codes: list[str]) -> list[tuple]:
    now, before = report.dashboard.current, report.dashboard.previous
    rows = [("Cijfer", str(report.year), str(report.year - 1))]
    for code in codes:
        rows.append(
            (now.figures[code].label, now.figures[code].shown, before.figures[code].shown if before else "-")
        )
    return rows


def _trend_rows(report: AnnualReport) -> list[tuple]:
    rows = [("Jaar", *[stats.COUNTS[c] for c in TREND])]
    return rows + [(y, *[f.figures[c].shown for c in TREND]) for y, f in report.trend.items()]


def note(report: AnnualReport) -> str:
    return (
        f"{disclosure.explanation(report.dashboard.current.limit)} Maatregelen zijn beoordeeld op"
        f" {report.dashboard.current.as_of:%d-%m-%Y}."
    )


def to_html(report: AnnualReport) -> str:
    e = html.escape
    board = report.dashboard
    figs = charts.dashboard_figures(
        board.current.series, report.year, board.previous.series if board.previous else None
    )
    chart = {
        charts.SERIES_OF.get(k, k): '<div class="chart">'
        + fig.to_html(full_html=False, include_plotlyjs=False, config=charts.CONFIG)
        + "</div>"
        for k, fig in figs.items()
    }
    body = {code: "" for code, _ in SECTIONS}
    body["summary"] = "".join(f"<p>{e(s)}</p>" for s in summary(report))
    body["trend"] = _table(_trend_rows(report))
    for code in body:
        if code in _SECTION_FIGURES:
            body[code] += _table(_figure_rows(report, _SECTION_FIGURES[code]))
        body[code] += "".join(chart[c] for c in chart_codes(report, code))
    if report.informing:
        body["informing"] = f"<p>{e(informing_figures.note(report.informing))}</p>" + _table(
            [("Cijfer", str(report.year)), *report.informing.rows()]
        )
    body["attention"] = "<ul>" + "".join(f"<li>{e(p)}</li>" for p in report.attention) + "</ul>"
    sections = "".join(
        f'<section id="{code}"><h2>{e(title)}</h2>{body[code]}</section>' for code, title in SECTIONS
    )
    told, learned = narrative.html_sections(list(report.accounts), report.year)
    attention_at = sections.index('<section id="attention">')
    sections = told + sections[:attention_at] + learned + sections[attention_at:]
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{e(report.title)}</title>'
        f"<style>{_CSS}</style><script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f"<h1>{e(report.title)}</h1><p>{e(note(report))}</p>{sections}</body></html>"
    )


def to_xlsx(report: AnnualReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kerncijfers"
    for row in _figure_rows(report, list(report.dashboard.current.figures)):
        sheet.append(list(row))
    trend = book.create_sheet("Trend")
    trend.append(["Jaar", "Cijfer", "Waarde"])
    for year, figures in report.trend.items():
        for fig in figures.figures.values():
            trend.append([year, fig.label, fig.shown])
    for code, names in stats.SERIES.items():  # every sheet, so that each report has the same
        ws = book.create_sheet(names.short)
        ws.append([names.title, str(report.year)])
        for label, shown in _chart_rows(report, code):
            ws.append([label, shown])
    if report.informing:
        informing_figures.write_sheet(book.create_sheet(informing_figures.SHEET), report.informing)
    narrative.add_sheet(book, list(report.accounts))
    points = book.create_sheet("Aandachtspunten")
    for point in [note(report), *report.attention]:
        points.append([point])
    book.properties.creator = "Datalek"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Why a report has no chart of its departments, or of its organisations.
NOT_HERE = {
    "dept": "Afdelingen staan alleen in de verantwoording van één organisatie.",
    "org": "Organisaties staan alleen in de verantwoording van alle organisaties samen.",
}


def _chart_rows(report: AnnualReport, code: str) -> list[tuple[str, str]]:
    """A chart as rows (label, count as shown); an empty or hidden chart says why."""
    if code not in report.dashboard.current.series:
        return [(NOT_HERE[code], "")]
    cells = report.dashboard.current.series[code]
    rows = [(c.label, c.shown) for c in cells]
    empty = disclosure.empty_note(cells)
    return rows + [(empty, "")] if empty else rows


def generate(
    db: Database, actor: Actor, year: int, org_id: int | None, fmt: str, today: date | None = None
) -> bytes:
    """The report as 'html', 'xlsx' or 'docx' bytes; audited."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    selection = (org_id,) if org_id is not None else tuple(actor.org_ids)
    require(db, actor, Action.MAKE_ANNUAL_REPORT, OrgSelection(selection))
    if fmt == "docx":
        from datalek.insight import board_report  # the board's Word document, with its pictures

        data = board_report.docx(db, actor, year, org_id, today)
    else:
        report = build(db, actor, year, org_id, today)
        data = to_html(report).encode("utf-8") if fmt == "html" else to_xlsx(report)
    if db.conn.in_transaction:
        raise RuntimeError("generate must not run inside a transaction")
    with store.write(db):
        audit.append(db, actor, "annual_report.generate", "organisation", org_id, year=year, format=fmt)
    return data
