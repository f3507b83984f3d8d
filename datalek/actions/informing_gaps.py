"""What the informing list still lacks before the incident may close (issue #15), added to the
dossier check of ``datalek.handling.completeness`` when this module is imported (by
``households``, which writes the list: wherever a list was made, its check is there).

Every person on the list must be settled: informed (a notice that counts), postponed with the
family (``completeness`` names the family), or not informed with a reason on record (flagged
as a safety risk, no letter by the rules, or the FG's deviation with her reason). A person
still to inform, or waiting for the family's safety judgement (also a person added after it),
keeps the incident open. Notices to a recipient group do not settle a person on the list: who
is on the list is informed by a letter to that person. Named by the person's number on the
list ("persoon 12") and the family's label: never a file number.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from datalek.actions import informing, informing_list
from datalek.actions.informing_status import InformState, standings
from datalek.handling import completeness

READY = (
    "{n} op de lijst {verb} nog niet geïnformeerd ({who}). Verstuur de brief en leg vast dat hij "
    "verstuurd is, of leg vast waarom deze persoon geen bericht krijgt."
)
WAITING = (
    "{n} op de lijst {verb} nog niet geïnformeerd: de veiligheidsvraag voor het gezin is nog niet "
    "(opnieuw) beantwoord ({who})."
)


def _people(count: int) -> tuple[str, str]:
    return ("1 persoon", "is") if count == 1 else (f"{count} personen", "zijn")


def unsettled(db: Database, incident_id: int, today: date) -> list[str]:
    """The Dutch gaps of the incident's informing list: one line for the persons still to
    inform, one for those waiting for a safety judgement."""
    listed = informing_list.load(db, incident_id)
    notices = informing.load(db, incident_id).notices
    states = standings(listed, notices, today)
    labels = {h.id: h.label for h in listed.households}
    gaps = []
    for state, line in ((InformState.READY, READY), (InformState.WAITING, WAITING)):
        found = sorted((s.household_id, s.member_id) for s in states.values() if s.state is state)
        if not found:
            continue
        per_family: dict[int, list[str]] = {}
        for household_id, member_id in found:
            per_family.setdefault(household_id, []).append(f"persoon {member_id}")
        who = "; ".join(f"{labels[h]}: {', '.join(people)}" for h, people in per_family.items())
        n, verb = _people(len(found))
        gaps.append(line.format(n=n, verb=verb, who=who))
    return gaps


completeness.add_check(completeness.INFORMING_LIST, unsettled)
