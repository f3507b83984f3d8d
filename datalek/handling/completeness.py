"""Is the dossier complete? The Art. 33(5) register needs every incident documented with its
facts, effects, remedial action and a motivated decision — also when it was not notified, or
was no breach at all — and, for a breach, the notification to the AP, who was informed and the
measures. An incident closes only when nothing is missing (``lifecycle.change_status``)."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor
from datalek.store import actions as actions_sql
from datalek.store import assessments as sql


def _action_gaps(db: Database, incident_id: int, decision: dict) -> list[str]:
    gaps = []
    kinds = {n["kind"] for n in actions_sql.notifications(db, incident_id)}
    if decision["notify_authority"] and "initial" not in kinds:
        gaps.append("De melding bij de AP is nog niet vastgelegd (meldnummer en tijdstip).")
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
            actions_sql.subject_notices(db, incident_id) or actions_sql.public_notices(db, incident_id)
        ):
            gaps.append("Er is nog niet vastgelegd wie er zijn geïnformeerd, wanneer en hoe.")
    if not actions_sql.measures(db, incident_id):
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
        gaps += _action_gaps(db, incident_id, decision)
    return gaps


def gaps_for(db: Database, actor: Actor, incident_id: int) -> list[str]:
    """``documentation_gaps`` for the FG of the incident's organisation."""

    require(db, actor, Action.READ_COMPLETENESS, IncidentRef(incident_id))
    return documentation_gaps(db, incident_id)
