"""Informing the betrokkenen (art. 34 AVG): a safety check per recipient group before any
letter, a documented postponement when informing could endanger a child or someone else,
a record of who was informed (how many, when, how), and a public notice when informing
everyone individually takes disproportionate effort (art. 34(3)(c)).

Safety before speed (docs/domain/youth-care.md §5): no letter is ever proposed to a
recipient group whose latest safety check found a risk, nor before the check was done.

A recorded notice entered wrongly is corrected or withdrawn with a reason, never deleted: the
old values stay in ``corrections`` (who, when, why); a withdrawn notice stays visible in the
incident's history but counts nowhere (informed or not, register, figures, completeness).

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
from datalek.actions.measures import (
    MAX_REASON,  # noqa: F401 - the limit of a reason, for the screen
    NOTHING_CHANGED,
    Correction,
    correction_rows,
    corrections_by_row,
    reason_errors,
)
from datalek.actions.postponements import Review, reviews_due  # noqa: F401 - read through here too
from datalek.models import Actor, InvalidInput, LabelledEnum
from datalek.store import actions as sql
from datalek.store import incidents as incident_sql

MAX_TEXT = 4000
MAX_POSTPONEMENT = timedelta(days=366)


class Channel(LabelledEnum):
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in_person"
    PHONE = "phone"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"letter": "Brief", "email": "E-mail", "in_person": "In een gesprek", "phone": "Telefonisch"}


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
class Notice:
    recipient: Addressee
    people_count: int
    informed_on: date
    channel: Channel
    id: int | None = None
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = ""
    corrections: tuple[Correction, ...] = ()
    member_id: int | None = None  # sent to one person on the informing list (``sending``)
    letter_id: int | None = None  # the letter made that was sent (``sending``)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @classmethod
    def from_row(cls, row: dict, corrections: tuple[Correction, ...] = ()) -> Notice:
        withdrawn = row.get("withdrawn_at")
        return cls(
            Addressee(row["recipient"]),
            row["people_count"],
            date.fromisoformat(row["informed_on"]),
            Channel(row["channel"]),
            row.get("id"),
            clock.from_iso(withdrawn) if withdrawn else None,
            row.get("withdrawn_reason") or "",
            corrections,
            row.get("member_id"),
            row.get("letter_id"),
        )


@dataclass(frozen=True)
class PublicNotice:
    text: str
    published_on: date
    published_where: str = ""  # the website address, the local paper, ...


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
    errors = _notice_errors(people_count, informed_on, channel)
    at = clock.to_iso(clock.now())
    with store.write(db):
        allowed, why = load(db, incident_id).allowed(recipient)
        if not allowed:
            errors["recipient"] = why
        errors |= _before_aware(db, incident_id, informed_on)
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


def _notice_errors(
    people_count: int | None, informed_on: date | None, channel: Channel | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if people_count is None or people_count < 1:
        errors["people_count"] = "Vul in hoeveel ontvangers zijn geïnformeerd (minstens 1)."
    elif people_count > 10_000_000:
        errors["people_count"] = "Dit aantal is te groot."
    if informed_on is None:
        errors["informed_on"] = "Kies de datum waarop je hebt geïnformeerd."
    elif informed_on > clock.today():
        errors["informed_on"] = "Deze datum ligt in de toekomst."
    if channel is None:
        errors["channel"] = "Kies hoe je hebt geïnformeerd."
    return errors


def _before_aware(db: Database, incident_id: int, informed_on: date | None) -> dict[str, str]:
    aware = clock.from_iso(incident_sql.incident(db, incident_id)["aware_at"])
    if informed_on and informed_on < aware.astimezone(clock.AMSTERDAM).date():
        return {"informed_on": "Deze datum ligt vóór het ontdekken van het datalek."}
    return {}


NOTICE_WITHDRAWN = "Deze regel is ingetrokken. Er kan niets meer aan veranderen."


def _may_change(db: Database, actor: Actor, notice_id: int) -> None:
    """The permission check on the notice's incident (an unknown notice is refused like
    someone else's: the check then runs on an incident that does not exist)."""
    row = sql.subject_notice(db, notice_id)
    require(db, actor, Action.RECORD_NOTICE, IncidentRef(row["incident_id"] if row else 0))


def correct_notice(
    db: Database,
    actor: Actor,
    notice_id: int,
    people_count: int | None,
    informed_on: date | None,
    channel: Channel | None,
    reason: str,
) -> Notice:
    """Correct a recorded notice (how many, when, how). Every changed value is kept with its
    old value, who, when and why, in the same transaction."""
    _may_change(db, actor, notice_id)
    reason = (reason or "").strip()
    errors = _notice_errors(people_count, informed_on, channel) | reason_errors(reason)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.subject_notice(db, notice_id)
        errors |= _before_aware(db, row["incident_id"], informed_on)
        if row["member_id"] is not None and people_count not in (None, 1):
            errors["people_count"] = "Een brief aan één persoon telt voor 1 persoon."
        if errors:
            raise InvalidInput(errors)
        if row["withdrawn_at"]:
            raise InvalidInput({"form": NOTICE_WITHDRAWN})
        new = {"people_count": people_count, "informed_on": informed_on.isoformat(), "channel": channel.value}
        changed = {column: value for column, value in new.items() if row[column] != value}
        if not changed:
            raise InvalidInput({"form": NOTHING_CHANGED})
        sql.insert_corrections(db, correction_rows("subject_notices", row, changed, reason, actor, at))
        sql.update_subject_notice(db, notice_id, changed)
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(
            db,
            actor,
            "subjects.notice_correct",
            "incident",
            row["incident_id"],
            notice_id=notice_id,
            recipient=row["recipient"],
            people_count=people_count,
        )
    return _notice(db, notice_id)


def withdraw_notice(db: Database, actor: Actor, notice_id: int, reason: str) -> Notice:
    """Withdraw a notice recorded by mistake: it stays in the incident's history, marked with
    the reason, and no longer counts as informing anyone."""
    _may_change(db, actor, notice_id)
    reason = (reason or "").strip()
    if errors := reason_errors(reason):
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.subject_notice(db, notice_id)
        if row["withdrawn_at"]:
            raise InvalidInput({"form": NOTICE_WITHDRAWN})
        sql.insert_corrections(
            db, correction_rows("subject_notices", row, {"withdrawn_at": at}, reason, actor, at)
        )
        sql.withdraw_subject_notice(db, notice_id, actor.user_id, reason, at)
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(
            db,
            actor,
            "subjects.notice_withdraw",
            "incident",
            row["incident_id"],
            notice_id=notice_id,
            recipient=row["recipient"],
        )
    return _notice(db, notice_id)


def _notice(db: Database, notice_id: int) -> Notice:
    row = sql.subject_notice(db, notice_id)
    fixes = corrections_by_row(sql.corrections(db, row["incident_id"]), "subject_notices")
    return Notice.from_row(row, fixes.get(notice_id, ()))


MAX_WHERE = 300


def record_public_notice(
    db: Database,
    actor: Actor,
    incident_id: int,
    text: str,
    published_on: date | None,
    published_where: str | None = None,
) -> PublicNotice:
    """Record the public announcement (art. 34(3)(c) AVG): its text, the date it was published
    and where (the website address, the local paper). The screen always asks where; None is
    only what a caller from before 0.6.0 passes, and keeps an empty place."""
    require(db, actor, Action.RECORD_PUBLIC_NOTICE, IncidentRef(incident_id))
    errors: dict[str, str] = {}
    text = text.strip()
    where = None if published_where is None else published_where.strip()
    if not text:
        errors["text"] = "Schrijf de tekst van de mededeling."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if published_on is None:
        errors["published_on"] = "Kies de datum van publicatie."
    elif published_on > clock.today():
        errors["published_on"] = "Deze datum ligt in de toekomst."
    if where == "":
        errors["published_where"] = "Vul in waar de mededeling staat. Bijvoorbeeld het adres van de website."
    elif where is not None and len(where) > MAX_WHERE:
        errors["published_where"] = f"Dit is te lang: gebruik hoogstens {MAX_WHERE} tekens."
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        sql.insert_public_notice(
            db,
            {
                "incident_id": incident_id,
                "text": text,
                "published_on": published_on.isoformat(),
                "published_where": where or "",
                "recorded_by": actor.user_id,
                "recorded_at": at,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "subjects.public_notice", "incident", incident_id)
    return PublicNotice(text, published_on, where or "")
