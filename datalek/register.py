"""The Art. 33(5) register: every incident documented with its facts, effects, remedial
action and a motivated decision — also when it was not notified, or was no breach at all —
and, for a breach, the notification to the AP, who was informed and the measures."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import assessments as sql
from datalek.store import follow_up as follow_up_sql


def _follow_up_gaps(db: Database, incident_id: int, decision: dict) -> list[str]:
    gaps = []
    kinds = {n["kind"] for n in follow_up_sql.notifications(db, incident_id)}
    if decision["notify_authority"] and "initial" not in kinds:
        gaps.append("De melding bij de AP is nog niet vastgelegd (meldnummer en tijdstip).")
    if decision["inform_subjects"] in ("yes", "later"):
        latest: dict[str, dict] = {}
        for check in follow_up_sql.safety_checks(db, incident_id):
            latest[check["recipient"]] = check
        if any(c["risk"] for c in latest.values()):
            gaps.append(
                "Het informeren van betrokkenen is uitgesteld vanwege de veiligheid. "
                "Bekijk het uitstel opnieuw voordat je afrondt."
            )
        elif not (
            follow_up_sql.subject_notices(db, incident_id) or follow_up_sql.public_notices(db, incident_id)
        ):
            gaps.append("Er is nog niet vastgelegd wie er zijn geïnformeerd, wanneer en hoe.")
    if not follow_up_sql.measures(db, incident_id):
        gaps.append("Er is nog geen maatregel vastgelegd (herstel of preventie).")
    return gaps


def documentation_gaps(db: Database, incident_id: int) -> list[str]:
    """What is still missing before the incident may be closed (Dutch, one line each)."""
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
        gaps += _follow_up_gaps(db, incident_id, decision)
    return gaps


def gaps_for(db: Database, actor, incident_id: int) -> list[str]:
    """``documentation_gaps`` for the FG of the incident's organisation."""
    from datalek import incidents  # incidents imports this module for its closing check

    incidents.require_handler(db, actor, incident_id, "register.read")
    return documentation_gaps(db, incident_id)
