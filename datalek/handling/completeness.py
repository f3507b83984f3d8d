"""Is the dossier complete? The Art. 33(5) register needs every incident documented with its
facts, effects, remedial action and a motivated decision — also when it was not notified, or
was no breach at all — and, for a breach, the notification to the AP, who was informed and the
measures. An incident closes only when nothing is missing (``lifecycle.change_status``).

Informing is unfinished while a recipient group or a family is postponed for safety (also when
its review date passed without a new judgement), and while a person on the informing list is
neither informed, nor postponed, nor recorded as not informed with a reason. Whether a person
gets a letter follows the rules of a later stage (``datalek.actions``), which adds that check
here (``add_check``); until it has, an incident with persons on its list does not close. An
incident informed by groups only, as before 0.6.0, closes as it did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor
from datalek.store import actions as actions_sql
from datalek.store import assessments as sql
from datalek.store import households as family_sql

#: A check a later stage adds: the Dutch gaps of one incident on a day, read inside the
#: transaction that closes it. By name, so that adding it twice keeps one.
Check = Callable[[Database, int, date], list[str]]
_LATER: dict[str, Check] = {}
INFORMING_LIST = "informing_list"
NOT_CHECKED = (
    "De lijst van mensen die je informeert, kan nu niet worden nagekeken. Open het scherm "
    "'Betrokkenen informeren' en probeer het opnieuw."
)


def add_check(name: str, check: Check) -> None:
    """Add a later stage's check of the dossier (``INFORMING_LIST``: every person on it)."""
    _LATER[name] = check


def _families(count: int) -> str:
    return f"{count} gezin" if count == 1 else f"{count} gezinnen"


def family_postponements(db: Database, incident_id: int, today: date) -> list[str]:
    """The families whose messages wait for safety: still postponed, or postponed until a day
    that passed without a new judgement. With the family's label, never the reason."""
    rows = family_sql.incident_postponements(db, incident_id)
    passed = [r for r in rows if date.fromisoformat(r["review_on"]) < today]
    waiting = [r for r in rows if r not in passed]
    gaps = []
    for found, line in (
        (
            waiting,
            "Informeren van {n} is uitgesteld tot {day}: beslis eerst opnieuw over de veiligheid van {who}.",
        ),
        (
            passed,
            "Informeren van {n} was uitgesteld tot {day}. Die datum is voorbij: beslis eerst opnieuw "
            "over de veiligheid van {who}.",
        ),
    ):
        if found:
            days = sorted({r["review_on"] for r in found})
            day = f"{date.fromisoformat(days[0]):%d-%m-%Y}" + (" (de eerste)" if len(days) > 1 else "")
            who = ", ".join(r["label"] for r in found)
            gaps.append(line.format(n=_families(len(found)), day=day, who=who) + " Daarna kun je afronden.")
    return gaps


def _informing_gaps(db: Database, incident_id: int, decision: dict, today: date) -> list[str]:
    gaps = family_postponements(db, incident_id, today)
    listed = family_sql.count_listed(db, incident_id)
    if listed:
        check = _LATER.get(INFORMING_LIST)
        gaps += check(db, incident_id, today) if check is not None else [NOT_CHECKED]
    if decision["inform_subjects"] in ("yes", "later"):
        latest: dict[str, dict] = {}
        for check in actions_sql.safety_checks(db, incident_id):
            latest[check["recipient"]] = check
        if any(c["risk"] for c in latest.values()):
            gaps.append(
                "Het informeren van betrokkenen is uitgesteld vanwege de veiligheid. "
                "Bekijk het uitstel opnieuw voordat je afrondt."
            )
        elif not (
            listed
            or actions_sql.subject_notices(db, incident_id)
            or actions_sql.public_notices(db, incident_id)
        ):
            gaps.append("Er is nog niet vastgelegd wie er zijn geïnformeerd, wanneer en hoe.")
    return gaps


def _action_gaps(db: Database, incident_id: int, decision: dict, today: date) -> list[str]:
    gaps = []
    kinds = {n["kind"] for n in actions_sql.notifications(db, incident_id)}
    if decision["notify_authority"] and "initial" not in kinds:
        gaps.append("De melding bij de AP is nog niet vastgelegd (meldnummer en tijdstip).")
    gaps += _informing_gaps(db, incident_id, decision, today)
    if not actions_sql.measures(db, incident_id):
        gaps.append("Er is nog geen maatregel vastgelegd (herstel of preventie).")
    return gaps


def documentation_gaps(db: Database, incident_id: int, today: date | None = None) -> list[str]:
    """What is still missing before the incident may be closed (Dutch, one line each), on
    ``today`` (default: the clock's)."""
    gaps = []
    assessment = sql.latest_assessment(db, incident_id)
    decision = sql.latest_decision(db, incident_id)
    if assessment is None:
        gaps.append("De feiten (beoordeling) zijn nog niet vastgelegd.")
    no_breach = decision is not None and decision["kind"] == "not_a_breach"
    if assessment is not None and not no_breach:
        if not assessment["effects"].strip():
            gaps.append("De gevolgen zijn nog niet beschreven.")
        if not assessment["remedial_action"].strip():
            gaps.append("De genomen maatregelen zijn nog niet beschreven.")
    if decision is None:
        gaps.append("Er is nog geen besluit met motivering.")
    elif not no_breach:
        gaps += _action_gaps(db, incident_id, decision, today or clock.today())
    return gaps


def gaps_for(db: Database, actor: Actor, incident_id: int) -> list[str]:
    """``documentation_gaps`` for the FG of the incident's organisation."""

    require(db, actor, Action.READ_COMPLETENESS, IncidentRef(incident_id))
    return documentation_gaps(db, incident_id)
