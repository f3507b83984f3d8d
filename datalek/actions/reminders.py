"""Reminders of the notification period (art. 33 AVG; docs/domain/rules.md §2).

While a clock runs (a decision about notifying, or the notification itself, is outstanding;
``datalek.handling.outstanding``) the organisation's FG, every active FG account of it and the
named deputy FG get an e-mail at each reminder point of the organisation (hours after
awareness; by default those of the regime: 24, 48, 60, 70). At the regime's escalation point
(72 hours) the organisation's management contact gets it too. The mail holds the reference,
where the clock stands, the hours left, the deadline and a link: no names, no description, no
data categories.

At most once per incident and point, across restarts and processes: the (incident, regime,
point) row is claimed in a write transaction before the mail goes out (UNIQUE), and only then
sent. A pass after several points went by (a server that was down) sends only the latest
point; the earlier ones are recorded as skipped. A send that fails is recorded as failed and
tried again on the next pass for as long as its point is the latest one passed; nobody got a
failed mail, so nobody gets it twice. A row left 'sending' by a process that stopped mid-send
is taken again after ``STALE``: the one case in which a mail could go out twice.

The claim of a row is shared with the mails on the review date of a postponement for safety
(``reminder_claims``, ``review_reminders``); ``send_due`` sends those too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlite_utils import Database

from datalek import clock, deadlines, mail, regime, store
from datalek.accounts import audit
from datalek.accounts.organisations import reminder_recipients, settings_from_row
from datalek.accounts.permissions import Action, require
from datalek.actions.reminder_claims import QUEUE_PATH, SIGNATURE, STALE, is_retry, take
from datalek.actions.review_reminders import send_reviews
from datalek.config import SmtpSettings
from datalek.handling import outstanding
from datalek.handling.outstanding import Clock, Phase
from datalek.models import Actor
from datalek.store import reminders as sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder to send now: the latest point passed, and what it leaves behind."""

    clock: Clock
    point: int
    escalation: bool
    skipped: tuple[int, ...] = ()
    retry: bool = False


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def points_for(hours: tuple[int, ...], rule: regime.Regime = regime.CURRENT) -> list[int]:
    """The organisation's reminder points and the regime's escalation point, ascending."""
    return sorted(set(hours) | {rule.escalation_hours})


def elapsed_hours(c: Clock, now: datetime) -> float:
    """Elapsed hours since awareness (UTC: a daylight-saving change bends nothing)."""
    return (clock.to_utc(now) - clock.to_utc(c.aware_at)).total_seconds() / 3600


def plan(
    clocks: list[Clock],
    hours_by_org: dict[int, tuple[int, ...]],
    rows_by_incident: dict[int, dict[int, dict]],
    now: datetime,
    rule: regime.Regime = regime.CURRENT,
) -> list[Due]:
    """Which reminders are due at ``now``: pure, over the running clocks, each organisation's
    points and the reminder rows recorded so far."""
    found = []
    stale_before = clock.to_iso(now - STALE)
    for c in clocks:
        if not c.phase.running:
            continue
        elapsed = elapsed_hours(c, now)
        passed = [
            p for p in points_for(hours_by_org.get(c.org_id, rule.reminder_hours), rule) if elapsed >= p
        ]
        if not passed:
            continue
        latest, rows = passed[-1], rows_by_incident.get(c.incident_id, {})
        row = rows.get(latest)
        retry = is_retry(row, stale_before)
        if row is not None and not retry:
            continue
        skipped = tuple(p for p in passed[:-1] if p not in rows)
        found.append(Due(c, latest, latest >= rule.escalation_hours, skipped, retry))
    return found


def due(db: Database, now: datetime, rule: regime.Regime = regime.CURRENT) -> list[Due]:
    """The reminders due at ``now`` in every organisation (the system itself asks: no actor)."""
    clocks = outstanding.running(db)
    org_ids = sorted({c.org_id for c in clocks})
    settings = sql.settings(db, org_ids)
    hours = {org_id: settings_from_row(org_id, settings.get(org_id)).hours for org_id in org_ids}
    rows = sql.rows_for(db, [c.incident_id for c in clocks], rule.code)
    return plan(clocks, hours, rows, now, rule)


# --- the message --------------------------------------------------------------------------------

PHASES = {
    Phase.AWAITING_DECISION: "besluit over melden nodig",
    Phase.DECIDED_TO_NOTIFY: "besloten te melden, melding nog niet gedaan",
}


def subject(item: Due, now: datetime, rule: regime.Regime = regime.CURRENT) -> str:
    left = item.clock.hours_left(now)
    if item.escalation or left <= 0:
        return f"Datalek {item.clock.reference}: termijn van {rule.period_hours} uur verstreken"
    return f"Datalek {item.clock.reference}: {deadlines.describe_hours_left(left)} om te melden"


def body(item: Due, now: datetime, base_url: str, rule: regime.Regime = regime.CURRENT) -> str:
    """Dutch, short sentences; the reference and a link, never personal data."""
    c = item.clock
    left = c.hours_left(now)
    time_left = (
        f"Tijd over: {deadlines.describe_hours_left(left)}."
        if left > 0
        else f"De termijn is verstreken ({deadlines.describe_hours_left(left)})."
    )
    lines = [
        f"Herinnering: de termijn van {rule.period_hours} uur voor een melding bij de Autoriteit "
        "Persoonsgegevens (AP) loopt.",
        "",
        f"Melding: {c.reference}",
        f"Stand: {PHASES.get(c.phase, c.phase.label.lower())}.",
        time_left,
        f"Uiterste moment: {clock.format_local(c.deadline)} (Nederlandse tijd).",
        "",
        f"Open de werkvoorraad in Datalek: {base_url.rstrip('/')}{QUEUE_PATH}",
    ]
    if item.escalation:
        lines += [
            "",
            "Je krijgt dit bericht ook als contactpersoon van het management. Meld je bij de FG "
            "als de melding bij de AP nog niet is gedaan.",
        ]
    return "\n".join(lines) + SIGNATURE


def message(settings: SmtpSettings, to: list[str], item: Due, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject(item, now)
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg.set_content(body(item, now, settings.base_url))
    return msg


# --- sending ------------------------------------------------------------------------------------


def _claim(db: Database, item: Due, at: str, rule: regime.Regime) -> bool:
    """Take the reminder's row (and record the skipped points) in one write transaction."""
    incident_id = item.clock.incident_id
    with store.write(db):
        taken = take(db, incident_id, rule.code, item.point, item.retry, at)
        if taken:
            for point in item.skipped:
                sql.claim(db, incident_id, rule.code, point, at, state="skipped")
    return taken


def send_due(
    db: Database, settings: SmtpSettings | None, now: datetime, rule: regime.Regime = regime.CURRENT
) -> Outcome:
    """Send every reminder due at ``now``; nothing at all without SMTP settings (no row is
    claimed, so the reminders go out once mail is set up)."""
    outcome = Outcome()
    if settings is None:
        return outcome
    actor = Actor.cli()  # the system itself: audited as such
    at = clock.to_iso(now)
    for item in due(db, now, rule):
        if not _claim(db, item, at, rule):
            continue  # another pass or process has it
        recipients = reminder_recipients(db, item.clock.org_id, item.escalation)
        ok = True
        if recipients:
            try:
                mail.deliver(settings, message(settings, recipients, item, now), recipients)
            except mail.FAILURES as exc:
                ok = False
                log.warning(
                    "reminder %sh for incident %s not sent: %s",
                    item.point,
                    item.clock.incident_id,
                    type(exc).__name__,
                )
        with store.write(db):
            sql.finish(db, item.clock.incident_id, rule.code, item.point, len(recipients), ok)
            audit.append(
                db,
                actor,
                "reminder.sent" if ok else "reminder.failed",
                "incident",
                item.clock.incident_id,
                point_hours=item.point,
                recipients=len(recipients),
                escalation=item.escalation,
                skipped=len(item.skipped),
            )
        outcome.sent += ok
        outcome.failed += not ok
        outcome.skipped += len(item.skipped)
        log.info(
            "reminder %sh for incident %s: %d recipient(s)",
            item.point,
            item.clock.incident_id,
            len(recipients),
        )
    reviewed = send_reviews(db, settings, now)
    outcome.sent += reviewed.sent
    outcome.failed += reviewed.failed
    return outcome


# --- the banner ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attention:
    reference: str
    label: str  # "nog 9 uur", "Besloten te melden — 3 uur te laat"
    overdue: bool


def attention(
    db: Database, actor: Actor, now: datetime, rule: regime.Regime = regime.CURRENT
) -> list[Attention]:
    """The FG's running clocks that passed their organisation's first reminder point or the
    deadline, earliest deadline first: what the banner on every page names."""
    require(db, actor, Action.SEE_QUEUE)
    clocks = outstanding.running(db, list(actor.org_ids))
    settings = sql.settings(db, sorted({c.org_id for c in clocks}))
    found = []
    for c in clocks:
        first = settings_from_row(c.org_id, settings.get(c.org_id)).hours[0]
        overdue = c.hours_left(now) <= 0
        if overdue or elapsed_hours(c, now) >= first:
            found.append(Attention(c.reference, c.label(now), overdue))
    return found
