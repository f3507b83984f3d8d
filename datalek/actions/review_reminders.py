"""The review date of a postponement for safety (issue #15): on that date the organisation's FG
addresses get one e-mail — the reference, the review date and a link; never the family, the
reason or a name.

A postponement is a family's latest judgement, or a recipient group's latest safety check, that
postpones informing. Once per judgement, the way the reminders of the notification period are
(``datalek.actions.reminder_claims``): its row (regime ``review.family`` or ``review.group``, the
judgement's id as its point) is claimed before the mail goes out; a failed send is tried again.
``datalek.actions.reminders.send_due`` sends these too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage

from sqlite_utils import Database

from datalek import clock, mail, store
from datalek.accounts import audit
from datalek.accounts.organisations import reminder_recipients
from datalek.actions.reminder_claims import QUEUE_PATH, SIGNATURE, STALE, is_retry, take
from datalek.config import SmtpSettings
from datalek.models import Actor
from datalek.store import reminders as sql

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0


REVIEW = {"family": "review.family", "group": "review.group"}


@dataclass(frozen=True)
class ReviewDue:
    """A postponement whose review date has come, with no mail about it yet (or a failed one)."""

    kind: str  # "family" or "group"
    row_id: int  # the family's judgement, or the group's safety check
    incident_id: int
    org_id: int
    reference: str
    review_on: date
    retry: bool = False


def reviews_due(db: Database, now: datetime) -> list[ReviewDue]:
    """The review mails due at ``now`` in every organisation (the system itself asks)."""
    rows = sql.reviews_due(db, now.astimezone(clock.AMSTERDAM).date().isoformat())
    incident_ids = sorted({r["incident_id"] for r in rows})
    claimed = {code: sql.rows_for(db, incident_ids, code) for code in REVIEW.values()}
    stale_before = clock.to_iso(now - STALE)
    found = []
    for r in rows:
        row = claimed[REVIEW[r["kind"]]].get(r["incident_id"], {}).get(r["row_id"])
        if row is None or is_retry(row, stale_before):
            fields = {k: r[k] for k in ("kind", "row_id", "incident_id", "org_id", "reference")}
            found.append(
                ReviewDue(**fields, review_on=date.fromisoformat(r["review_on"]), retry=row is not None)
            )
    return found


def review_message(settings: SmtpSettings, to: list[str], item: ReviewDue) -> EmailMessage:
    """Dutch, short sentences; the reference, the review date and a link, never personal data."""
    msg = EmailMessage()
    msg["Subject"] = f"Herbeoordeling uitstel informeren: {item.reference}"
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg.set_content(
        "Het informeren van betrokkenen is uitgesteld vanwege de veiligheid. Bekijk nu opnieuw of "
        "informeren veilig is. Leg je besluit vast bij de melding.\n\n"
        f"Melding: {item.reference}\nDatum om opnieuw te bekijken: {item.review_on:%d-%m-%Y}.\n\n"
        f"Open de werkvoorraad in Datalek: {settings.base_url.rstrip('/')}{QUEUE_PATH}{SIGNATURE}"
    )
    return msg


def claim(db: Database, item: ReviewDue, at: str) -> bool:
    with store.write(db):
        return take(db, item.incident_id, REVIEW[item.kind], item.row_id, item.retry, at)


def send_reviews(db: Database, settings: SmtpSettings | None, now: datetime) -> Outcome:
    """Send every review mail due at ``now``; nothing without SMTP settings (nothing claimed)."""
    outcome = Outcome()
    if settings is None:
        return outcome
    at = clock.to_iso(now)
    for item in reviews_due(db, now):
        if not claim(db, item, at):
            continue  # another pass or process has it
        recipients = reminder_recipients(db, item.org_id, False)
        ok = True
        if recipients:
            try:
                mail.deliver(settings, review_message(settings, recipients, item), recipients)
            except mail.FAILURES as exc:
                ok = False
                log.warning("review mail for incident %s not sent: %s", item.incident_id, type(exc).__name__)
        with store.write(db):
            sql.finish(db, item.incident_id, REVIEW[item.kind], item.row_id, len(recipients), ok)
            audit.append(
                db, Actor.cli(), "reminder.review_sent" if ok else "reminder.review_failed", "incident",
                item.incident_id, recipients=len(recipients),
            )  # fmt: skip
        outcome.sent += ok
        outcome.failed += not ok
    return outcome
