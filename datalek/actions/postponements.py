"""Informing postponed for safety, in the FG's lists (safety before speed, issue #15).

Two kinds of postponement exist: per recipient group (``informing``'s safety check, for a large
incident informed by counts) and per family (``households``' safety judgement, whose latest
judgement counts). An open one is shown in the FG's queue until it is resolved; on its review
date it is back in the attention list, and the FG gets one e-mail about it
(``datalek.actions.reminders``). What the FG sees here holds the reference, the kind of
recipient or the family's label, and the review date: never the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, require
from datalek.actions.addressees import Addressee
from datalek.models import Actor
from datalek.store import actions as group_sql
from datalek.store import households as family_sql

#: The queue's words for an incident whose informing waits for safety.
QUEUE_FLAG = "Informeren uitgesteld (veiligheid) tot {:%d-%m-%Y}"


@dataclass(frozen=True)
class Review:
    """A postponement whose review date has come: of a recipient group, or of a family."""

    incident_id: int
    reference: str
    recipient: Addressee | None  # the recipient group; None for a family
    review_on: date
    household_id: int | None = None
    label: str = ""  # the family's label ("Gezin 1")

    @property
    def what(self) -> str:
        """What waits, in Dutch: "ouders of voogd met gezag" or "Gezin 1"."""
        return self.recipient.label.lower() if self.recipient is not None else self.label


def reviews_due(db: Database, actor: Actor, today: date | None = None) -> list[Review]:
    """Postponements whose review date has come: the incident is back in the FG's queue."""
    require(db, actor, Action.SEE_REVIEWS)
    day = (today or clock.today()).isoformat()
    orgs = list(actor.org_ids)
    found = [
        Review(
            r["incident_id"], r["reference"], Addressee(r["recipient"]), date.fromisoformat(r["review_on"])
        )
        for r in group_sql.postponements_due(db, orgs, day)
    ] + [
        Review(
            r["incident_id"],
            r["reference"],
            None,
            date.fromisoformat(r["review_on"]),
            r["household_id"],
            r["label"],
        )
        for r in family_sql.postponements_due(db, orgs, day)
    ]
    return sorted(found, key=lambda r: (r.review_on, r.reference, r.household_id or 0))


def queue_flags(db: Database, actor: Actor) -> dict[int, str]:
    """Per incident with an open postponement of a family or a recipient group: the queue's
    words for it, with the earliest review date ("Informeren uitgesteld (veiligheid) tot ...")."""
    require(db, actor, Action.SEE_REVIEWS)
    orgs = list(actor.org_ids)
    soonest: dict[int, date] = {}
    rows = [*family_sql.open_postponements(db, orgs), *group_sql.open_postponements(db, orgs)]
    for r in rows:
        day = date.fromisoformat(r["review_on"])
        soonest[r["incident_id"]] = min(day, soonest.get(r["incident_id"], day))
    return {incident_id: QUEUE_FLAG.format(day) for incident_id, day in soonest.items()}
