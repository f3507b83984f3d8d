"""Informing the betrokkenen (art. 34 AVG): a safety check per recipient group before any
letter, a documented postponement when informing could endanger a child or someone else,
a record of who was informed (how many, when, how), and a public notice when informing
everyone individually takes disproportionate effort (art. 34(3)(c)).

Safety before speed (docs/domain/youth-care.md §5): no letter is ever proposed to a
recipient group whose latest safety check found a risk, nor before the check was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions.addressees import Addressee
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


@dataclass(frozen=True)
class PublicNotice:
    text: str
    published_on: date


@dataclass(frozen=True)
class Overview:
    checks: dict[Addressee, SafetyCheck]  # the latest check per recipient group
    notices: list[Notice]
    public: list[PublicNotice]

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
    notices = [
        Notice(
            Addressee(r["recipient"]),
            r["people_count"],
            date.fromisoformat(r["informed_on"]),
            Channel(r["channel"]),
        )
        for r in sql.subject_notices(db, incident_id)
    ]
    public = [
        PublicNotice(r["text"], date.fromisoformat(r["published_on"]))
        for r in sql.public_notices(db, incident_id)
    ]
    return Overview(checks, notices, public)


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
    at = clock.to_iso(clock.now())
    with store.write(db):
        allowed, why = load(db, incident_id).allowed(recipient)
        if not allowed:
            errors["recipient"] = why
        aware = clock.from_iso(incident_sql.incident(db, incident_id)["aware_at"])
        if informed_on and informed_on < aware.astimezone(clock.AMSTERDAM).date():
            errors["informed_on"] = "Deze datum ligt vóór het ontdekken van het datalek."
        if errors:
            raise InvalidInput(errors)
        sql.insert_subject_notice(
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
    return Notice(recipient, people_count, informed_on, channel)


def record_public_notice(
    db: Database, actor: Actor, incident_id: int, text: str, published_on: date | None
) -> PublicNotice:
    """Record the public announcement (website text) and the date it was published."""
    require(db, actor, Action.RECORD_PUBLIC_NOTICE, IncidentRef(incident_id))
    errors: dict[str, str] = {}
    text = text.strip()
    if not text:
        errors["text"] = "Schrijf de tekst van de mededeling."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if published_on is None:
        errors["published_on"] = "Kies de datum van publicatie."
    elif published_on > clock.today():
        errors["published_on"] = "Deze datum ligt in de toekomst."
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
                "recorded_by": actor.user_id,
                "recorded_at": at,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "subjects.public_notice", "incident", incident_id)
    return PublicNotice(text, published_on)


@dataclass(frozen=True)
class Review:
    incident_id: int
    reference: str
    recipient: Addressee
    review_on: date


def reviews_due(db: Database, actor: Actor, today: date | None = None) -> list[Review]:
    """Postponements whose review date has come: the incident is back in the FG's queue."""
    require(db, actor, Action.SEE_REVIEWS)
    day = (today or clock.today()).isoformat()
    return [
        Review(
            r["incident_id"], r["reference"], Addressee(r["recipient"]), date.fromisoformat(r["review_on"])
        )
        for r in sql.postponements_due(db, list(actor.org_ids), day)
    ]
