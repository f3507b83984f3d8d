"""The Art. 33(5) register: every incident documented with its facts, effects, remedial
action and a motivated decision — also when it was not notified, or was no breach at all."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import assessments as sql


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
    return gaps


def gaps_for(db: Database, actor, incident_id: int) -> list[str]:
    """``documentation_gaps`` for the FG of the incident's organisation."""
    from datalek import incidents  # incidents imports this module for its closing check

    incidents.require_handler(db, actor, incident_id, "register.read")
    return documentation_gaps(db, incident_id)
