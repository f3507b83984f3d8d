"""The FG's decision (besluit): notify the AP or not, inform the people or not, "geen
datalek" with its legal basis, or a duplicate of an incident already registered — always
motivated, with who was consulted, and stored with the advice as it was.

A decision that differs from the advice needs its own motivation of the difference. A
duplicate names the main incident of the same organisation (``duplicate_of``); it is stored as
not a breach of its own (the breach is handled under the main incident), so it never deviates
from the advice, and the register and the figures count it apart, never as "geen datalek".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict
from sqlite_utils import Database

from datalek import clock, store, triage
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import lifecycle, merges
from datalek.handling.lifecycle import TRANSITIONS
from datalek.models import Actor, InvalidInput, LabelledEnum, Status
from datalek.store import assessments as sql
from datalek.store import incidents as incident_sql
from datalek.triage.facts import LawfulBasis

MAX_TEXT = 4000
MAX_CONSULTED = 500


class Inform(LabelledEnum):
    YES = "yes"
    NO = "no"
    LATER = "later"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"yes": "Ja", "no": "Nee", "later": "Later, op een vastgestelde datum"}


class NotBreachReason(LabelledEnum):
    """Why an incident is "geen datalek": no personal data, or sharing with a legal basis."""

    NO_PERSONAL_DATA = "no_personal_data"
    MELDRECHT = "meldrecht"
    INFORMATIEPLICHT = "informatieplicht"
    CONSENT = "consent"
    AFWEGINGSKADER = "afwegingskader"
    NO_INCIDENT = "no_incident"
    DUPLICATE = "duplicate"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        basis = {b.value: b.label for b in LawfulBasis if b is not LawfulBasis.NONE}
        return {
            "no_personal_data": "Er waren geen persoonsgegevens bij betrokken",
            **basis,
            "no_incident": "Er is geen beveiligingsincident gebeurd (vals alarm)",
            "duplicate": "Dubbele melding van een incident dat al geregistreerd is",
        }


class DecisionInput(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    breach: bool
    notify_authority: bool | None = None
    inform: Inform | None = None
    inform_date: date | None = None
    not_breach_reason: NotBreachReason | None = None
    motivation: str = ""
    deviation_motivation: str = ""
    #: Who the FG consulted, e.g. "leidinggevende, CISO" (optional).
    consulted: str = ""
    #: With ``NotBreachReason.DUPLICATE``: the reference of the main incident (DL-2026-0001).
    duplicate_of: str = ""

    @property
    def duplicate(self) -> bool:
        return not self.breach and self.not_breach_reason is NotBreachReason.DUPLICATE


@dataclass(frozen=True)
class Decision:
    id: int
    incident_id: int
    breach: bool
    notify_authority: bool
    inform: Inform
    inform_date: date | None
    not_breach_reason: str
    motivation: str
    deviates: bool
    deviation_motivation: str
    advice: triage.Advice
    decided_by: int | None
    decided_at: datetime
    consulted: str = ""
    duplicate_of: int | None = None  # the main incident's id
    duplicate_reference: str = ""  # and its reference, when loaded by ``latest``

    @classmethod
    def from_row(cls, row: dict, duplicate_reference: str = "") -> Decision:
        """A stored decision; one stored before migration 0020 has no ``consulted`` and
        ``duplicate_of``."""
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            breach=row["kind"] == "breach",
            notify_authority=bool(row["notify_authority"]),
            inform=Inform(row["inform_subjects"]),
            inform_date=date.fromisoformat(row["inform_date"]) if row["inform_date"] else None,
            not_breach_reason=row["lawful_basis"],
            motivation=row["motivation"],
            deviates=bool(row["deviates"]),
            deviation_motivation=row["deviation_motivation"],
            advice=triage.Advice.model_validate_json(row["advice"]),
            decided_by=row["decided_by"],
            decided_at=clock.from_iso(row["decided_at"]),
            consulted=row.get("consulted") or "",
            duplicate_of=row.get("duplicate_of"),
            duplicate_reference=duplicate_reference,
        )


def differences(decision: DecisionInput, advice: triage.Advice) -> list[str]:
    """Where the decision departs from the advice, in Dutch; empty when it follows it. A
    duplicate follows the main incident's decision, not an advice of its own."""
    if decision.duplicate:
        return []
    if decision.breach != advice.is_breach:
        return ["Het advies is: " + ("wel" if advice.is_breach else "geen") + " datalek."]
    if not decision.breach:
        return []
    found = []
    if decision.notify_authority != advice.notify_authority:
        found.append(
            "Het advies is: " + ("wel" if advice.notify_authority else "niet") + " melden bij de AP."
        )
    informs = decision.inform in (Inform.YES, Inform.LATER)
    if informs != advice.inform_subjects:
        found.append(
            "Het advies is: betrokkenen " + ("wel" if advice.inform_subjects else "niet") + " informeren."
        )
    return found


def _errors(data: DecisionInput, advice: triage.Advice, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.breach:
        if data.notify_authority is None:
            errors["notify_authority"] = "Kies of je het datalek meldt bij de AP."
        if data.inform is None:
            errors["inform"] = "Kies of je de betrokkenen informeert."
        if data.inform is Inform.LATER and (data.inform_date is None or data.inform_date < today):
            errors["inform_date"] = "Kies de datum waarop je de betrokkenen informeert."
    elif data.not_breach_reason is None:
        errors["not_breach_reason"] = "Kies waarom dit geen datalek is."
    if not data.motivation:
        errors["motivation"] = "Motiveer je besluit."
    for field in ("motivation", "deviation_motivation"):
        if len(getattr(data, field)) > MAX_TEXT:
            errors[field] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if len(data.consulted) > MAX_CONSULTED:
        errors["consulted"] = f"Dit is te lang: gebruik hoogstens {MAX_CONSULTED} tekens."
    gaps = differences(data, advice)
    if gaps and not data.deviation_motivation:
        errors["deviation_motivation"] = (
            "Je besluit wijkt af van het advies. " + " ".join(gaps) + " Leg uit waarom je afwijkt."
        )
    return errors


UNKNOWN_REFERENCE = merges.UNKNOWN_REFERENCE


def _main_incident(db: Database, incident_id: int, reference: str) -> tuple[int | None, dict[str, str]]:
    """The id of the main incident a duplicate names (``merges.main_incident``: of the same
    organisation, not the incident itself, not merged itself), or the Dutch message for the field."""
    main_id = merges.by_reference(db, incident_id, reference)
    wrong = merges.main_incident(db, incident_id, main_id, "duplicate_of", reference)
    return (None, wrong) if wrong else (main_id, {})


def _target_path(current: Status, target: Status) -> list[Status]:
    """The status moves from ``current`` to ``target`` (through 'in behandeling' if needed)."""
    if current is target:
        return []
    if target in TRANSITIONS[current]:
        return [target]
    if Status.IN_PROGRESS in TRANSITIONS[current] and target in TRANSITIONS[Status.IN_PROGRESS]:
        return [Status.IN_PROGRESS, target]
    raise InvalidInput(
        {
            "form": f"Een melding met status '{current.label}' kan geen nieuw besluit "
            "krijgen. Heropen de melding eerst."
        }
    )


def record(
    db: Database, actor: Actor, incident_id: int, data: DecisionInput, assessment_version: int | None = None
) -> Decision:
    """Store a motivated decision with the advice it was taken on; moves the status.

    ``assessment_version`` is the version whose advice the FG saw; if a newer assessment was
    saved meanwhile, the decision is refused: it would be stored with an advice nobody read."""
    require(db, actor, Action.RECORD_DECISION, IncidentRef(incident_id))
    at = clock.now()
    with store.write(db):
        assessment = sql.latest_assessment(db, incident_id)
        if assessment is None:
            raise InvalidInput({"form": "Leg eerst de feiten vast: het besluit hoort bij een advies."})
        if assessment_version is not None and assessment["version"] != assessment_version:
            raise InvalidInput(
                {
                    "form": f"Het advies is intussen veranderd: er is een nieuwere "
                    f"beoordeling (versie {assessment['version']}). Bekijk het "
                    "nieuwe advies en leg dan je besluit vast."
                }
            )
        advice = triage.Advice.model_validate_json(assessment["advice"])
        errors = _errors(data, advice, at.astimezone(clock.AMSTERDAM).date())
        main_id, main_reference = None, ""
        if data.duplicate:
            main_id, wrong = _main_incident(db, incident_id, data.duplicate_of)
            errors |= wrong
            main_reference = incident_sql.incident(db, main_id)["reference"] if main_id else ""
        if errors:
            raise InvalidInput(errors)
        current = Status(incident_sql.incident(db, incident_id)["status"])
        if current is Status.MERGED:
            raise InvalidInput({"form": "Deze melding is samengevoegd. Maak het samenvoegen eerst ongedaan."})
        target = Status.DECIDED if data.breach else Status.MERGED if data.duplicate else Status.NOT_A_BREACH
        path = _target_path(current, target)
        deviates = bool(differences(data, advice))
        row = {
            "incident_id": incident_id,
            "assessment_id": assessment["id"],
            "kind": "breach" if data.breach else "not_a_breach",
            "notify_authority": int(bool(data.breach and data.notify_authority)),
            "inform_subjects": (data.inform or Inform.NO).value if data.breach else "no",
            "inform_date": data.inform_date.isoformat()
            if data.breach and data.inform is Inform.LATER and data.inform_date
            else None,
            "lawful_basis": "none" if data.breach else data.not_breach_reason.value,
            "motivation": data.motivation,
            "deviates": int(deviates),
            "deviation_motivation": data.deviation_motivation if deviates else "",
            "advice": assessment["advice"],
            "decided_by": actor.user_id,
            "decided_at": clock.to_iso(at),
            "consulted": data.consulted,
            "duplicate_of": main_id,
        }
        decision_id = sql.insert_decision(db, row)
        for step in path:
            lifecycle.record_move(db, actor, incident_id, current, step, "", row["decided_at"])
            current = step
        if main_id is not None:
            merges.record_in(db, actor, incident_id, main_id, data.motivation, decision_id, row["decided_at"])
        audit.append(
            db,
            actor,
            "decision.record",
            "incident",
            incident_id,
            decision_id=decision_id,
            kind="duplicate" if main_id is not None else row["kind"],  # merged: never read as "geen datalek"
            notify=bool(row["notify_authority"]),
            inform=row["inform_subjects"],
            deviates=deviates,
            duplicate_of=main_id,
        )
    return Decision.from_row({**row, "id": decision_id}, main_reference)


def latest(db: Database, actor: Actor, incident_id: int) -> Decision | None:
    require(db, actor, Action.READ_DECISION, IncidentRef(incident_id))
    row = sql.latest_decision(db, incident_id)
    if row is None:
        return None
    main = row.get("duplicate_of") and incident_sql.incident(db, row["duplicate_of"])
    return Decision.from_row(row, main["reference"] if main else "")
