"""Informing the betrokkenen (art. 34 AVG): a safety check per recipient group before any
letter, a documented postponement when informing could endanger a child or someone else,
a record of who was informed (how many, when, how), and a public notice when informing
everyone individually takes disproportionate effort (art. 34(3)(c)).

Safety before speed (docs/domain/youth-care.md §5): no letter is ever proposed to a
recipient group whose latest safety check found a risk, nor before the check was done.

What was recorded as informed, its corrections and withdrawals and the public notice live in
``notices``; their names are read through here too.

Per person and per family: the letters made and sent (``sending``); a postponement back for
review, of a group or a family (``postponements``, its ``reviews_due`` read through here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions.addressees import Addressee
from datalek.actions.measures import MAX_REASON, corrections_by_row
from datalek.actions.notices import (
    MAX_TEXT,
    MAX_WHERE,
    NOTICE_WITHDRAWN,
    Channel,
    Notice,
    PublicNotice,
    before_aware,
    correct_notice,
    notice_errors,
    record_public_notice,
    withdraw_notice,
)
from datalek.actions.postponements import Review, reviews_due
from datalek.models import Actor, InvalidInput
from datalek.store import actions as sql
from datalek.store import incidents as incident_sql

MAX_POSTPONEMENT = timedelta(days=366)

SAFETY_QUESTION = (
    "Kan het informeren van deze ontvanger een kind of iemand anders in gevaar brengen? "
    "Denk aan huiselijk geweld, een ouder over wie zorgen zijn, of een melding bij Veilig Thuis."
)


@dataclass(frozen=True)
class SafetyCheck:
    recipient: Addressee
    risk: bool
    reason: str
    review_on: date | None
    recorded_at: datetime

    @property
    def postponed(self) -> bool:
        return self.risk


@dataclass(frozen=True)
class Overview:
    checks: dict[Addressee, SafetyCheck]  # the latest check per recipient group
    notices: list[Notice]  # what counts: the withdrawn ones are not here
    public: list[PublicNotice]
    withdrawn: list[Notice] = field(default_factory=list)  # kept for the history only

    @property
    def history(self) -> list[Notice]:
        """Every recorded notice, withdrawn ones included, in the order they were given."""
        return sorted([*self.notices, *self.withdrawn], key=lambda n: (n.informed_on, n.id or 0))

    def allowed(self, recipient: Addressee) -> tuple[bool, str]:
        """May a letter be proposed for this recipient group? With the reason if not."""
        check = self.checks.get(recipient)
        if check is None:
            return False, "Beantwoord eerst de veiligheidsvraag voor deze ontvanger."
        if check.risk:
            return False, (
                f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op "
                f"{clock.format_local(_midday(check.review_on), with_time=False)}."
            )
        return True, ""

    @property
    def informed(self) -> bool:
        return bool(self.notices or self.public)

    @property
    def open_postponements(self) -> list[SafetyCheck]:
        return [c for c in self.checks.values() if c.risk]


def _midday(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=clock.AMSTERDAM)


def overview(db: Database, actor: Actor, incident_id: int) -> Overview:
    require(db, actor, Action.READ_INFORMING, IncidentRef(incident_id))
    return load(db, incident_id)


def load(db: Database, incident_id: int) -> Overview:
    """Without a permission check: for callers that checked already (register, concept)."""
    checks: dict[Addressee, SafetyCheck] = {}
    for r in sql.safety_checks(db, incident_id):  # oldest first: the latest wins
        checks[Addressee(r["recipient"])] = SafetyCheck(
            Addressee(r["recipient"]),
            bool(r["risk"]),
            r["reason"],
            date.fromisoformat(r["review_on"]) if r["review_on"] else None,
            clock.from_iso(r["recorded_at"]),
        )
    fixes = corrections_by_row(sql.corrections(db, incident_id), "subject_notices")
    every = [
        Notice.from_row(r, fixes.get(r["id"], ()))
        for r in sql.subject_notices(db, incident_id, with_withdrawn=True)
    ]
    public = [
        PublicNotice(r["text"], date.fromisoformat(r["published_on"]), r["published_where"])
        for r in sql.public_notices(db, incident_id)
    ]
    return Overview(checks, [n for n in every if not n.withdrawn], public, [n for n in every if n.withdrawn])


def record_safety_check(
    db: Database,
    actor: Actor,
    incident_id: int,
    recipient: Addressee,
    risk: bool | None,
    reason: str = "",
    review_on: date | None = None,
) -> SafetyCheck:
    """Answer the safety question for a recipient group. A risk needs a documented
    postponement: the reason and a date on which the FG looks at it again."""
    require(db, actor, Action.RECORD_SAFETY_CHECK, IncidentRef(incident_id))
    errors: dict[str, str] = {}
    reason = reason.strip()
    today = clock.today()
    if risk is None:
        errors["risk"] = "Kies ja of nee."
    elif risk:
        if not reason:
            errors["reason"] = "Leg uit waarom informeren nu niet veilig is."
        if review_on is None or review_on <= today:
            errors["review_on"] = "Kies een datum na vandaag waarop je dit opnieuw bekijkt."
        elif review_on > today + MAX_POSTPONEMENT:
            errors["review_on"] = "Kies een datum binnen een jaar."
    if len(reason) > MAX_TEXT:
        errors["reason"] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        sql.insert_safety_check(
            db,
            {
                "incident_id": incident_id,
                "recipient": recipient.value,
                "risk": int(risk),
                "reason": reason if risk else "",
                "review_on": review_on.isoformat() if risk else None,
                "recorded_by": actor.user_id,
                "recorded_at": at,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "subjects.safety_check",
            "incident",
            incident_id,
            recipient=recipient.value,
            risk=bool(risk),
        )
    return SafetyCheck(
        recipient, bool(risk), reason if risk else "", review_on if risk else None, clock.from_iso(at)
    )


def record_notice(
    db: Database,
    actor: Actor,
    incident_id: int,
    recipient: Addressee,
    people_count: int | None,
    informed_on: date | None,
    channel: Channel | None,
) -> Notice:
    """Record that a recipient group was informed: how many, when and how."""
    require(db, actor, Action.RECORD_NOTICE, IncidentRef(incident_id))
    errors = notice_errors(people_count, informed_on, channel)
    at = clock.to_iso(clock.now())
    with store.write(db):
        allowed, why = load(db, incident_id).allowed(recipient)
        if not allowed:
            errors["recipient"] = why
        errors |= before_aware(db, incident_id, informed_on)
        if errors:
            raise InvalidInput(errors)
        notice_id = sql.insert_subject_notice(
            db,
            {
                "incident_id": incident_id,
                "recipient": recipient.value,
                "people_count": people_count,
                "informed_on": informed_on.isoformat(),
                "channel": channel.value,
                "recorded_by": actor.user_id,
                "recorded_at": at,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "subjects.notice",
            "incident",
            incident_id,
            recipient=recipient.value,
            people_count=people_count,
            channel=channel.value,
        )
    return Notice(recipient, people_count, informed_on, channel, notice_id)


__all__ = [
    "MAX_REASON",
    "MAX_TEXT",
    "MAX_WHERE",
    "NOTICE_WITHDRAWN",
    "SAFETY_QUESTION",
    "Channel",
    "Notice",
    "Overview",
    "PublicNotice",
    "Review",
    "SafetyCheck",
    "correct_notice",
    "load",
    "overview",
    "record_notice",
    "record_public_notice",
    "record_safety_check",
    "reviews_due",
    "withdraw_notice",
]
