"""Export of the Art. 33(5) register for the FG: every incident of one organisation and
year — breaches, incidents not notified and "geen datalek" alike — with facts, effects,
decision, motivation, notification, informed people and measures. CSV or XLSX; audited.

Cells are written as text: a value starting with = + - @ (or a tab or carriage return)
gets a leading apostrophe so a spreadsheet never runs it as a formula, and control
characters that XLSX cannot hold are removed.
"""

from __future__ import annotations

import csv
import io
import re

from sqlite_utils import Database

from datalek import clock, regime, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, OrgRef, require
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureKind, MeasureStatus
from datalek.handling import moments
from datalek.handling.decisions import Inform, NotBreachReason
from datalek.models import Actor, AwareBasis, IncidentType, InvalidInput, Status
from datalek.store import moments as moments_sql
from datalek.store import register as sql
from datalek.triage import Advice, EnisaLevel, RiskLevel
from datalek.triage.facts import SPECIAL_CATEGORIES, Cause, DataCategory, Facts

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def file_name(organisation: str, year: int, fmt: str) -> str:
    """'Gemeente Waterdam', 2026, 'xlsx' -> 'datalekkenregister-gemeente-waterdam-2026.xlsx'."""
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.lower()).strip("-") or "organisatie"
    return f"datalekkenregister-{slug}-{year}.{fmt}"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The register's verdict on the notification period of the regime (72 hours under art. 33 AVG).
WITHIN = f"Binnen {regime.CURRENT.period_hours} uur"
COLUMNS = [
    "Kenmerk",
    "Status",
    "Afdeling",
    "Gemeld intern",
    "Ontdekt",
    "Organisatie wist het",
    "Hoe de organisatie het wist",
    "Eerst vastgelegd moment van weten",
    "Wijzigingen in de tijdlijn",
    "Soort incident",
    "Oorzaak",
    "Aard van de inbreuk",
    "Soorten persoonsgegevens",
    "Bijzondere persoonsgegevens",
    "Aantal betrokkenen",
    "Omschrijving",
    "Gevolgen",
    "Risico",
    "ENISA-ernst",
    "Aanpassing door de FG (ENISA)",
    "Besluit",
    "Reden geen datalek",
    "Motivering besluit",
    "Afwijking van advies",
    "Besluit genomen",
    "Gemeld bij AP",
    "Meldnummer AP",
    "Gemeld bij AP op",
    WITHIN,
    "Reden vertraging",
    "Aanvullingen en intrekking",
    "Betrokkenen geïnformeerd",
    "Uitstel (veiligheid)",
    "Openbare mededeling",
    "Genomen maatregelen",
    "Maatregelen",
    "Herhaling van",
    "Afgerond op",
]


def safe_cell(value) -> str:
    text = _CONTROL.sub("", "" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(iso: str | None) -> str:
    return clock.format_local(clock.from_iso(iso)) if iso else ""


def _day(iso: str | None) -> str:
    """An ISO date in the Dutch way (31-01-2027), like the moments in the other columns."""
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}" if iso else ""


def _postponements(checks: list[dict]) -> list[str]:
    """Every postponement for safety, also one lifted later: the register keeps the weighing."""
    lines = []
    for n, check in enumerate(checks):
        if not check["risk"]:
            continue
        lifted = next((c for c in checks[n + 1 :] if c["recipient"] == check["recipient"]), None)
        state = (
            f"opgeheven op {_when(lifted['recorded_at'])}"
            if lifted and not lifted["risk"]
            else "vervangen"
            if lifted
            else "loopt"
        )
        lines.append(
            f"{Addressee(check['recipient']).label}: uitgesteld op {_when(check['recorded_at'])}"
            f" tot {_day(check['review_on'])} ({state}): {check['reason']}"
        )
    return lines


def _facts(row: dict) -> dict:
    if not row["facts"]:
        return {}
    f = Facts.model_validate_json(row["facts"])
    kinds = [c for c in f.data_categories if c is not DataCategory.UNKNOWN]
    count = (
        ""
        if f.people_count is None
        else (str(f.people_count) if f.people_count_kind.value == "exact" else f"ongeveer {f.people_count}")
    )
    return {
        "Oorzaak": "" if f.cause in (Cause.TBD,) else f.cause.label,
        "Aard van de inbreuk": "; ".join(n.label for n in f.natures),
        "Soorten persoonsgegevens": "; ".join(c.label for c in kinds),
        "Bijzondere persoonsgegevens": "ja" if any(c in SPECIAL_CATEGORIES for c in kinds) else "nee",
        "Aantal betrokkenen": count,
        "Aanpassing door de FG (ENISA)": _adjustments(f, row.get("assessment_advice")),
    }


def _adjustments(f: Facts, advice_json: str | None) -> str:
    """The FG's adjustment of the ENISA scores with its reason, as kept with the advice."""
    lines = []
    enisa = Advice.model_validate_json(advice_json).enisa if advice_json else None
    if enisa and enisa.adjustment_reason:
        lines.append(enisa.adjustment_reason.text)
    if f.identification is not None:
        lines.append(
            f"Herkenbaarheid volgens de FG: {f.identification.label}. Reden: {f.identification_reason}"
        )
    return "\n".join(lines)


def _decision(row: dict) -> dict:
    if not row["decision_kind"]:
        return {"Besluit": "nog geen besluit"}
    if row["decision_kind"] == "not_a_breach":
        return {
            "Besluit": "geen datalek",
            "Reden geen datalek": NotBreachReason(row["lawful_basis"]).label,
            "Motivering besluit": row["motivation"],
            "Besluit genomen": _when(row["decided_at"]),
        }
    inform = Inform(row["decision_inform"]).label
    return {
        "Besluit": "datalek; AP: "
        + ("melden" if row["decision_notify"] else "niet melden")
        + f"; betrokkenen informeren: {inform.lower()}",
        "Motivering besluit": row["motivation"],
        "Afwijking van advies": row["deviation_motivation"] if row["deviates"] else "",
        "Besluit genomen": _when(row["decided_at"]),
    }


def _actions_columns(row: dict, extra: dict) -> dict:
    i = row["id"]
    notes = extra["notifications"][i]
    initial = next((n for n in notes if n["kind"] == "initial"), None)
    later = [
        ("Aanvulling" if n["kind"] == "supplement" else "Intrekking")
        + f" {_when(n['submitted_at'])}: {n['note']}"
        for n in notes
        if n["kind"] != "initial"
    ]
    withdrawn = any(n["kind"] == "withdrawal" for n in notes)
    out = {"Gemeld bij AP": "ingetrokken" if withdrawn else ("ja" if initial else "nee")}
    if initial:
        # Judged against the awareness when notified: a later change never makes it on time.
        judged = moments.judged_from(clock.from_iso(row["aware_at"]), extra["changes"][i])
        hours = (clock.from_iso(initial["submitted_at"]) - judged).total_seconds() / 3600
        out |= {
            "Meldnummer AP": initial["ap_reference"],
            "Gemeld bij AP op": _when(initial["submitted_at"]),
            WITHIN: "ja" if hours <= regime.CURRENT.period_hours else "nee",
            "Reden vertraging": initial["late_reason"],
        }
    out["Aanvullingen en intrekking"] = "\n".join(later)
    out["Betrokkenen geïnformeerd"] = "\n".join(
        f"{Addressee(n['recipient']).label}: {n['people_count']} op {_day(n['informed_on'])} "
        f"({Channel(n['channel']).label.lower()})"
        for n in extra["notices"][i]
    )
    out["Uitstel (veiligheid)"] = "\n".join(_postponements(extra["checks"][i]))
    out["Openbare mededeling"] = "\n".join(
        f"{_day(p['published_on'])}: {p['text']}" for p in extra["public"][i]
    )
    out["Maatregelen"] = "\n".join(
        f"{MeasureKind(m['kind']).label}: {m['description']} — {m['owner']}, uiterlijk {_day(m['due_on'])}, "
        f"{MeasureStatus(m['status']).label.lower()}"
        + (f" op {_day(m['done_on'])}" if m["status"] == "done" and m["done_on"] else "")
        for m in extra["measures"][i]
    )
    return out


def _awareness(row: dict, changes: list[dict]) -> dict:
    """How the organisation became aware, the first recorded awareness, and every change of
    the incident's moments as text: old → new, who, when, why."""
    basis = AwareBasis(row["aware_basis"]).label + (
        f" ({row['aware_source']})" if row["aware_source"] else ""
    )
    lines = []
    for c in changes:
        readable = moments.readable
        who = moments.CLI_NAME if c["changed_by"] is None else (c["changed_by_name"] or moments.GONE)
        lines.append(
            f"{moments.FIELDS.get(c['field'], c['field'])}: {readable(c['field'], c['old_value']) or 'leeg'}"
            f" → {readable(c['field'], c['new_value']) or 'leeg'}, door {who} op {_when(c['changed_at'])}"
            + (", na de melding bij de AP" if c["after_notification"] else "")
            + f". Reden: {c['reason'] or 'geen (eerste invulling)'}"
        )
    return {
        "Hoe de organisatie het wist": basis,
        "Eerst vastgelegd moment van weten": _when(row["first_aware_at"] or row["aware_at"]),
        "Wijzigingen in de tijdlijn": "\n".join(lines),
    }


def rows(db: Database, org_id: int, year: int) -> list[dict[str, str]]:
    """The register rows (no permission check: callers check)."""
    found = sql.incidents_of_year(db, org_id, year)
    extra = sql.actions_of(db, [r["id"] for r in found])
    extra["changes"] = moments_sql.changes_of(db, [r["id"] for r in found])
    result = []
    for r in found:
        row = {
            "Kenmerk": r["reference"],
            "Status": Status(r["status"]).label,
            "Afdeling": r["department"],
            "Gemeld intern": _when(r["reported_at"]),
            "Ontdekt": _when(r["discovered_at"]),
            "Organisatie wist het": _when(r["aware_at"]),
            "Soort incident": IncidentType(r["incident_type"]).label,
            "Omschrijving": r["description"],
            "Gevolgen": r["effects"] or "",
            "Risico": RiskLevel(r["risk"]).label if r["risk"] else "",
            "ENISA-ernst": EnisaLevel(r["enisa_level"]).label if r["enisa_level"] else "",
            "Genomen maatregelen": r["remedial_action"] or "",
            "Herhaling van": r["repeat_reference"] or "",
            "Afgerond op": _when(r["closed_at"]),
        }
        row |= (
            _facts(r) | _decision(r) | _actions_columns(r, extra) | _awareness(r, extra["changes"][r["id"]])
        )
        result.append({c: safe_cell(row.get(c, "")) for c in COLUMNS})
    return result


def to_csv(table: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(table: list[dict[str, str]], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(COLUMNS)
    for row in table:
        sheet.append([row[c] for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "B2"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def years(db: Database, actor: Actor, org_id: int) -> list[int]:
    require(db, actor, Action.VIEW_REGISTER, OrgRef(org_id))
    return sql.years(db, org_id)


def view(db: Database, actor: Actor, org_id: int, year: int) -> list[dict[str, str]]:
    """The register on screen for the organisation's FG; audited like an export."""
    require(db, actor, Action.VIEW_REGISTER, OrgRef(org_id))
    table = rows(db, org_id, year)
    with store.write(db):
        audit.append(db, actor, "register.view", "organisation", org_id, year=year, rows=len(table))
    return table


def export(db: Database, actor: Actor, org_id: int, year: int, fmt: str) -> bytes:
    """The register of one organisation and year for its FG, as CSV or XLSX; audited."""
    require(db, actor, Action.EXPORT_REGISTER, OrgRef(org_id))
    if fmt not in FORMATS:
        raise InvalidInput({"format": "Kies CSV of XLSX."})
    table = rows(db, org_id, year)
    with store.write(db):
        audit.append(
            db, actor, "register.export", "organisation", org_id, year=year, format=fmt, rows=len(table)
        )
    if fmt == "csv":
        return to_csv(table)
    return to_xlsx(table, f"Datalekkenregister {year}")
