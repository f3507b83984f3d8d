"""What the Art. 33(5) register holds for one incident, as the AP may ask for it: the facts,
the advice with its reasons as it was at the decision, the decision, its motivation and any
deviation from the advice, who decided and who was consulted, the notifications to the AP,
the informing of the betrokkenen, the measures, the linked incidents (repeats and duplicates,
both ways) and the references of the incident's audit entries (what followed the decision:
``register_follow_up``).

A value is text, a moment (an aware datetime), a day (a date) or a number; the formats
(``register_export``, ``register_record``) write each as their reader expects it.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from datalek import clock, corrections
from datalek.accounts import audit_trail
from datalek.actions import informing_list
from datalek.handling import chains, moments, partner_notices
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason, differences
from datalek.insight import register_follow_up as follow_up
from datalek.insight.register_follow_up import INFORMING_COLUMNS, WITHIN, Value
from datalek.models import AwareBasis, IncidentType, Status
from datalek.store import informing_record as informing_sql
from datalek.store import moments as moments_sql
from datalek.store import register as sql
from datalek.triage import Advice, EnisaLevel, RiskLevel
from datalek.triage.ap_vocabulary import SecurityMeasure
from datalek.triage.facts import SPECIAL_CATEGORIES, Cause, DataCategory, Facts

#: The sections of one incident's page, and the columns each shows (together: every column).
SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Melding en tijdlijn",
        [
            "Kenmerk",
            "Status",
            "Afdeling",
            "Gemeld intern",
            "Ontdekt",
            "Organisatie wist het",
            "Hoe de organisatie het wist",
            "Eerst vastgelegd moment van weten",
            "Wijzigingen in de tijdlijn",
        ],
    ),
    (
        "Feiten",
        [
            "Soort incident",
            "Oorzaak",
            "Aard van de inbreuk",
            "Soorten persoonsgegevens",
            "Bijzondere persoonsgegevens",
            "Aantal betrokkenen",
            "Versleuteld",
            "Omschrijving",
            "Gevolgen",
            "Risico",
            "ENISA-ernst",
            "Aanpassing door de FG (ENISA)",
        ],
    ),
    ("Advies bij het besluit", ["Beoordeling bij besluit", "Advies bij besluit", "Redenen van het advies"]),
    (
        "Besluit",
        [
            "Besluit",
            "Reden geen datalek",
            "Motivering besluit",
            "Afwijking van advies",
            "Besluit genomen",
            "Besluit genomen door",
            "Geraadpleegd",
        ],
    ),
    (
        "Melding bij de AP",
        [
            "Gemeld bij AP",
            "Meldnummer AP",
            "Gemeld bij AP op",
            WITHIN,
            "Reden vertraging",
            "Aanvullingen en intrekking",
        ],
    ),
    ("Betrokkenen informeren", INFORMING_COLUMNS),
    ("Maatregelen", ["Genomen maatregelen", "Maatregelen"]),
    ("Gekoppelde meldingen", ["Herhaling van", "Herhaald in", "Dubbele melding van", "Dubbele meldingen"]),
    ("Keten en ketenpartners", ["Keten-incident", "Ketenpartners geïnformeerd"]),  # issue #16
    ("Afronding en audit", ["Afgerond op", "Auditverwijzingen"]),
]

#: Every column of the register, in the order of the sections (one list: the printed record
#: groups what the spreadsheet lists).
COLUMNS = [column for _, columns in SECTIONS for column in columns]

#: The columns that hold a moment or a day: a date cell in a spreadsheet.
DATE_COLUMNS = [
    "Gemeld intern",
    "Ontdekt",
    "Organisatie wist het",
    "Eerst vastgelegd moment van weten",
    "Besluit genomen",
    "Gemeld bij AP op",
    "Eerst geïnformeerd op",
    "Laatst geïnformeerd op",
    "Afgerond op",
]

#: Reading an incident is audited too, but is no event of the incident itself.
READS = ("incident.read", "incident.reporter")

DUPLICATE = "Dubbele melding"


def _when(iso: str | None) -> datetime | None:
    return clock.from_iso(iso)


def _local(iso: str | None) -> str:
    return clock.format_local(clock.from_iso(iso)) if iso else ""


def _facts(row: dict) -> dict[str, Value]:
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
        "Versleuteld": _encrypted(f),
        "Aanpassing door de FG (ENISA)": _adjustments(f, row.get("assessment_advice")),
    }


def _encrypted(f: Facts) -> str:
    """Whether the data were unreadable (encrypted) and whether encryption was one of the
    security measures in place, from the newest facts."""
    measures = set(f.security_measures)
    if SecurityMeasure.TBD in measures or not measures:
        encryption = "nog te bepalen"
    else:
        encryption = "ja" if SecurityMeasure.ENCRYPTION in measures else "nee"
    return f"{f.unintelligible.label}. Versleuteling als beveiligingsmaatregel: {encryption}."


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


def _advice(row: dict) -> dict[str, Value]:
    """The advice the decision was taken on, with its reasons, and which assessment it was."""
    if not row["decision_advice"]:
        return {}
    advice = Advice.model_validate_json(row["decision_advice"])
    version = f"versie {row['decision_version']}" if row["decision_version"] else "onbekend"
    if row["latest_version"] and row["latest_version"] != row["decision_version"]:
        version += f"; de nieuwste beoordeling is versie {row['latest_version']}"
    reasons = [f"{r.text} ({r.ref})" for r in advice.breach_reasons + advice.reasons]
    reasons += [f"Risicofactor: {r.text} ({r.ref})" for r in advice.risk_factors]
    return {
        "Beoordeling bij besluit": version,
        "Advies bij besluit": advice.summary(),
        "Redenen van het advies": "\n".join(reasons),
    }


def _deviation(row: dict) -> str:
    """How the decision departs from the advice it was taken on, and the FG's motivation."""
    if not row["deviates"]:
        return ""
    gaps = differences(_as_input(row), Advice.model_validate_json(row["decision_advice"]))
    return "\n".join([*gaps, f"Motivering: {row['deviation_motivation']}"])


def _as_input(row: dict) -> DecisionInput:
    breach = row["decision_kind"] == "breach"
    return DecisionInput(
        breach=breach,
        notify_authority=bool(row["decision_notify"]),
        inform=Inform(row["decision_inform"]),
        not_breach_reason=None if breach else NotBreachReason(row["lawful_basis"]),
    )


def _decision(row: dict) -> dict[str, Value]:
    if not row["decision_kind"]:
        return {"Besluit": "nog geen besluit"}
    if row.get("merge_undone_at"):  # issue #16: the merge that decided it was undone
        return {"Besluit": "nog geen besluit (samenvoegen ongedaan gemaakt)"}
    who = row["decided_by_name"] or (corrections.CLI_NAME if row["decided_by"] is None else corrections.GONE)
    common = {
        "Motivering besluit": row["motivation"],
        "Afwijking van advies": _deviation(row),
        "Besluit genomen": _when(row["decided_at"]),
        "Besluit genomen door": who,
        "Geraadpleegd": row["consulted"] or "",
    }
    if row["decision_kind"] == "not_a_breach" and row["duplicate_of"] is not None:
        reference = row["duplicate_reference"]
        if row["status"] == Status.MERGED.value:  # issue #16: merged under its main incident
            return common | {"Besluit": f"samengevoegd met {reference}", "Dubbele melding van": reference}
        status = {"Status": DUPLICATE} if row["status"] == Status.NOT_A_BREACH.value else {}
        return common | status | {"Besluit": f"{DUPLICATE} van {reference}", "Dubbele melding van": reference}
    if row["decision_kind"] == "not_a_breach":
        return common | {
            "Besluit": "geen datalek",
            "Reden geen datalek": NotBreachReason(row["lawful_basis"]).label,
        }
    inform = Inform(row["decision_inform"]).label
    return common | {
        "Besluit": "datalek; AP: "
        + ("melden" if row["decision_notify"] else "niet melden")
        + f"; betrokkenen informeren: {inform.lower()}",
    }


def _awareness(row: dict, changes: list[dict]) -> dict[str, Value]:
    """How the organisation became aware, the first recorded awareness, and every change of
    the incident's moments as text: old → new, who, when, why."""
    basis = AwareBasis(row["aware_basis"]).label + (
        f" ({row['aware_source']})" if row["aware_source"] else ""
    )
    lines = []
    for c in changes:
        readable = moments.readable
        who = corrections.who(c["changed_by"], c["changed_by_name"])
        lines.append(
            f"{moments.FIELDS.get(c['field'], c['field'])}: {readable(c['field'], c['old_value']) or 'leeg'}"
            f" → {readable(c['field'], c['new_value']) or 'leeg'}, door {who} op {_local(c['changed_at'])}"
            + (", na de melding bij de AP" if c["after_notification"] else "")
            + f". Reden: {c['reason'] or 'geen (eerste invulling)'}"
        )
    return {
        "Hoe de organisatie het wist": basis,
        "Eerst vastgelegd moment van weten": _when(row["first_aware_at"] or row["aware_at"]),
        "Wijzigingen in de tijdlijn": "\n".join(lines),
    }


def _audit(entries: list[dict]) -> str:
    """The incident's audit entries: number, time, what happened and the start of its hash."""
    return "\n".join(
        f"nr. {e['seq']}: {audit_trail.label(e['action'])}, {_local(e['at'])}, hash {e['hash'][:16]}"
        for e in entries
    )


def entries(db: Database, found: list[dict]) -> list[dict[str, Value]]:
    """The register entry of every incident in ``found`` (rows of ``store.register``), with a
    value for every column (no permission check: callers check)."""
    ids = [r["id"] for r in found]
    extra = sql.actions_of(db, ids)
    extra["lists"] = {i: informing_list.load(db, i) for i in informing_sql.with_households(db, ids)}
    today = clock.today()
    changes = moments_sql.changes_of(db, ids)
    links = sql.linked(db, ids)
    audit = sql.audit_entries(db, ids, READS)
    in_chain, told = chains.register_texts(db, ids), partner_notices.register_texts(db, ids)
    result = []
    for r in found:
        i = r["id"]
        entry: dict[str, Value] = {
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
            "Maatregelen": follow_up.measures(extra["measures"][i]),
            "Herhaling van": r["repeat_reference"] or "",
            "Herhaald in": "\n".join(links["repeats"].get(i, [])),
            "Dubbele meldingen": "\n".join(links["duplicates"].get(i, [])),
            "Keten-incident": in_chain.get(i, ""),
            "Ketenpartners geïnformeerd": told.get(i, ""),
            "Afgerond op": _when(r["closed_at"]),
            "Auditverwijzingen": _audit(audit[i]),
        }
        entry |= (
            _facts(r)
            | _advice(r)
            | _decision(r)
            | follow_up.notifications(r, extra["notifications"][i], changes[i])
        )
        entry |= follow_up.informing(i, extra, today) | _awareness(r, changes[i])
        result.append({c: entry.get(c) for c in COLUMNS})
    return result
