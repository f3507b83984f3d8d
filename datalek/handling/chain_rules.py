"""The rules of a chain incident (``datalek.handling.chains``), pure: the shared description
(short, and without personal data: every member's FG reads it), an earlier awareness of a
linked incident (with a reason, in the order of ``datalek.chronology``), and the row of a linked
incident: the event's type and timing and the shared description, nothing else of the incident
it was made from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from datalek import chronology, clock
from datalek.handling.incidents import reference
from datalek.intake import pii
from datalek.models import Actor, AwareBasis, Status

MAX_DESCRIPTION = 1000
MAX_REASON = 2000


@dataclass(frozen=True)
class Target:
    """A linked incident to make: for which organisation, and an earlier awareness (with its
    reason) when that organisation knew before the moment it is made."""

    org_id: int
    aware_at: datetime | None = None
    reason: str = ""


def description_errors(text: str) -> dict[str, str]:
    """The shared description: short, and without personal data (every member's FG reads it)."""
    text = (text or "").strip()
    if not text:
        return {
            "description": "Beschrijf kort wat er gebeurde. Deze tekst zien de FG's van alle organisaties in de keten."
        }
    if len(text) > MAX_DESCRIPTION:
        return {"description": f"Dit is te lang: gebruik hoogstens {MAX_DESCRIPTION} tekens."}
    found = personal_data(text)
    return {"description": found} if found else {}


def personal_data(text: str) -> str | None:
    """Why a text every member's FG reads (the description, a reason for changing it) may not be
    kept as typed: the kinds of personal data in it; None when there are none."""
    found = pii.find_pii(text)
    if not found:
        return None
    kinds = ", ".join(dict.fromkeys(f.kind.label for f in found))
    return f"Er staan persoonsgegevens in ({kinds}). Haal ze weg: de FG's van alle organisaties in de keten lezen dit."


def linked_row(source: dict, org_id: int, actor: Actor, description: str, at: datetime, seq: int) -> dict:
    """A linked incident: the event's type and timing, the shared description, nothing else of
    the source incident (its report, department and facts stay with it)."""
    year = at.astimezone(clock.AMSTERDAM).year
    iso = clock.to_iso(at)
    return {
        "org_id": org_id,
        "year": year,
        "month": at.astimezone(clock.AMSTERDAM).month,
        "seq": seq,
        "reference": reference(year, seq),
        "reporter_id": actor.user_id,
        "department": "",
        "situation": source["situation"],
        "incident_type": source["incident_type"],
        "status": Status.REPORTED.value,
        "occurred_from": source["occurred_from"],
        "occurred_to": source["occurred_to"],
        "ongoing": source["ongoing"],
        "discovered_at": iso,
        "reported_at": iso,
        "aware_at": iso,
        "first_aware_at": iso,
        "aware_basis": AwareBasis.PARTNER.value,
        "aware_source": "",
        "occurrence": source["occurrence"],
        "report": "{}",
        "description": description,
        "actions_taken": "",
        "pii_kept": 0,
        "created_at": iso,
        "updated_at": iso,
        "repeat_of": None,
    }


def target_errors(source: dict, target: Target, now: datetime) -> dict[str, str]:
    if target.aware_at is None:
        return {}
    errors = {}
    if not target.reason.strip():
        errors["aware_reason"] = (
            "Geef de reden van het eerdere moment. Het moment van bewustwording bepaalt de termijn "
            "van 72 uur van deze organisatie."
        )
    elif len(target.reason.strip()) > MAX_REASON:
        errors["aware_reason"] = f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."
    if target.aware_at > now:
        errors["aware_at"] = (
            "Dit moment ligt na het maken van de melding. Laat het leeg of kies een eerder moment."
        )
    start = clock.from_iso(source["occurred_from"])
    clash = chronology.check(now=now, occurred_from=start, aware_at=target.aware_at)
    if "aware_at" in clash:
        errors.setdefault("aware_at", clash["aware_at"])
    return errors
