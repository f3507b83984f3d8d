"""What was recorded as informed (art. 34 AVG): a notice per recipient group or per person (how
many, when, how), its correction and withdrawal, and the public notice when informing everyone
individually takes disproportionate effort (art. 34(3)(c)).

A recorded notice entered wrongly is corrected or withdrawn with a reason, never deleted: the
old values stay in ``corrections`` (who, when, why); a withdrawn notice stays visible in the
incident's history but counts nowhere (informed or not, register, figures, completeness).
Recording a notice to a group (after its safety check) is ``informing.record_notice``; to a
person, ``sending.record_sent``. Every name here is read through ``informing`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions.addressees import Addressee
from datalek.actions.measures import (
    NOTHING_CHANGED,
    Correction,
    correction_rows,
    corrections_by_row,
    reason_errors,
)
from datalek.models import Actor, InvalidInput, LabelledEnum
from datalek.store import actions as sql
from datalek.store import incidents as incident_sql

MAX_TEXT = 4000
MAX_PEOPLE = 10_000_000


class Channel(LabelledEnum):
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in_person"
    PHONE = "phone"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"letter": "Brief", "email": "E-mail", "in_person": "In een gesprek", "phone": "Telefonisch"}


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


def notice_errors(
    people_count: int | None, informed_on: date | None, channel: Channel | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if people_count is None or people_count < 1:
        errors["people_count"] = "Vul in hoeveel ontvangers zijn geïnformeerd (minstens 1)."
    elif people_count > MAX_PEOPLE:
        errors["people_count"] = "Dit aantal is te groot."
    if informed_on is None:
        errors["informed_on"] = "Kies de datum waarop je hebt geïnformeerd."
    elif informed_on > clock.today():
        errors["informed_on"] = "Deze datum ligt in de toekomst."
    if channel is None:
        errors["channel"] = "Kies hoe je hebt geïnformeerd."
    return errors


def before_aware(db: Database, incident_id: int, informed_on: date | None) -> dict[str, str]:
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
    errors = notice_errors(people_count, informed_on, channel) | reason_errors(reason)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.subject_notice(db, notice_id)
        errors |= before_aware(db, row["incident_id"], informed_on)
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
