"""Reminders through a real SMTP server (aiosmtpd in this process): a fake clock walks 72 hours
across the end of summer time, a restart in between sends nothing twice, missed points, the
escalation to management, stopped clocks, failed sends, the scheduler thread and the command
line. Issue #14."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from datalek import clock, store
from datalek.accounts.organisations import set_reminder_settings
from datalek.accounts.users import create_user
from datalek.actions import authority, reminder_scheduler, reminders, review_reminders
from datalek.cli import main
from datalek.config import SmtpSettings
from datalek.handling import incidents
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, eventually, make_report
from tests.test_notice import Inbox, smtp_server

BASE_URL = "https://datalek.test.invalid"
#: Saturday 24 October 2026, 12:00 in Amsterdam (summer time, UTC+2); summer time ends on
#: Sunday 25 October at 03:00, so 72 elapsed hours end on Tuesday 27 October at 11:00.
AWARE = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)
DESCRIPTION = "Verslag over Jantje Jansen naar een verkeerde ouder gestuurd."
DEPARTMENT = "Team Jeugd Noord"


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpSettings, Inbox, Controller]]:
    with smtp_server(BASE_URL) as found:
        yield found


class FakeClock:
    def __init__(self, monkeypatch, at: datetime):
        self.at = at
        monkeypatch.setattr(clock, "now", lambda: self.at)


@pytest.fixture
def now(monkeypatch) -> FakeClock:
    return FakeClock(monkeypatch, AWARE + timedelta(minutes=5))


@pytest.fixture
def setup(fresh_db, world, now):
    """An incident known since AWARE, a deputy FG and a management contact."""
    deputy = create_user(
        fresh_db, Actor.cli(), "Plaats Vervanger", "deputy@test.invalid", Role.DPO, PASSWORD, [world.org.id]
    )
    set_reminder_settings(
        fresh_db, world["dpo"], world.org.id, deputy.id, "mt@test.invalid", "24, 48, 60, 70"
    )
    report = make_report(
        world.org.id,
        now=now.at,
        discovered_at=AWARE,
        occurred_from=AWARE - timedelta(hours=1),
        description=DESCRIPTION,
        department=DEPARTMENT,
    )
    return incidents.submit_report(fresh_db, world["reporter"], report, at=now.at)


FG = ["deputy@test.invalid", "dpo@test.invalid", "fg@test.invalid"]


def test_72_hours_across_the_end_of_summer_time_with_a_restart(db_path, setup, now, smtp):
    settings, inbox, _ = smtp
    db = store.connect(db_path)
    sent_at: dict[int, float] = {}
    for quarter in range(0, 80 * 4 + 1):  # every 15 minutes, 80 hours
        elapsed = quarter / 4
        now.at = AWARE + timedelta(hours=elapsed)
        if elapsed == 50:  # a restart: a new connection (and process) over the same file
            db.close()
            db = store.connect(db_path)
        before = len(inbox.messages)
        reminders.send_due(db, settings, now.at)
        for message in inbox.messages[before:]:
            point = {"48": 24, "24": 48, "12": 60, "2": 70}.get(
                message.message["Subject"].split("nog ")[-1].split(" ")[0], 72
            )
            assert point not in sent_at, f"point {point} sent twice"
            sent_at[point] = elapsed
    db.close()
    assert sent_at == {24: 24, 48: 48, 60: 60, 70: 70, 72: 72}
    subjects = [m.message["Subject"] for m in inbox.messages]
    assert subjects == [
        f"Datalek {setup.reference}: nog 48 uur om te melden",
        f"Datalek {setup.reference}: nog 24 uur om te melden",
        f"Datalek {setup.reference}: nog 12 uur om te melden",
        f"Datalek {setup.reference}: nog 2 uur om te melden",
        f"Datalek {setup.reference}: termijn van 72 uur verstreken",
    ]
    assert [sorted(m.rcpt_tos) for m in inbox.messages] == [FG] * 4 + [sorted([*FG, "mt@test.invalid"])]
    for m in inbox.messages:
        assert "Uiterste moment: 27-10-2026 11:00 (Nederlandse tijd)." in m.body
        assert f"{BASE_URL}/werkvoorraad" in m.body and setup.reference in m.body
        # no personal data: no description, department, names or data categories
        for personal in (
            DESCRIPTION,
            "Jantje",
            DEPARTMENT,
            "Fien",
            "Reporter",
            "Plaats Vervanger",
            "Dpo",
            "zorg",
        ):
            assert personal not in m.body and personal not in m.message["Subject"]
    with store.unit(db_path) as check:
        rows = list(check.query("SELECT point_hours, state, recipients FROM reminders ORDER BY point_hours"))
        audits = list(check.query("SELECT detail FROM audit_log WHERE action = 'reminder.sent'"))
    assert [(r["point_hours"], r["state"], r["recipients"]) for r in rows] == [
        (24, "sent", 3),
        (48, "sent", 3),
        (60, "sent", 3),
        (70, "sent", 3),
        (72, "sent", 4),
    ]
    assert len(audits) == 5 and all("@" not in a["detail"] for a in audits)


def test_a_server_down_for_a_day_sends_one_reminder(fresh_db, setup, now, smtp):
    settings, inbox, _ = smtp
    now.at = AWARE + timedelta(hours=24, minutes=10)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 1
    now.at = AWARE + timedelta(hours=61)  # 48 passed while the server was down
    outcome = reminders.send_due(fresh_db, settings, now.at)
    assert (outcome.sent, outcome.skipped) == (1, 1)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 0
    assert [m.message["Subject"].split(": ")[1] for m in inbox.messages] == [
        "nog 47 uur om te melden",
        "nog 11 uur om te melden",
    ]
    states = {r["point_hours"]: r["state"] for r in fresh_db.query("SELECT * FROM reminders")}
    assert states == {24: "sent", 48: "skipped", 60: "sent"}


def test_two_processes_at_once_send_once(db_path, setup, now, smtp):
    settings, inbox, _ = smtp
    now.at = AWARE + timedelta(hours=25)
    first, second = store.connect(db_path), store.connect(db_path)
    try:
        due_in_second = reminders.due(second, now.at)  # both decided before either claimed
        assert reminders.send_due(first, settings, now.at).sent == 1
        assert len(due_in_second) == 1
        assert (
            reminders._claim(second, due_in_second[0], clock.to_iso(now.at), reminders.regime.CURRENT)
            is False
        )
    finally:
        first.close()
        second.close()
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("stop", ["notified", "not_notifying"])
def test_a_stopped_clock_gets_no_more_reminders(fresh_db, world, setup, now, smtp, stop):
    from tests.test_outstanding import decide

    settings, inbox, _ = smtp
    now.at = AWARE + timedelta(hours=25)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 1
    if stop == "notified":
        decide(fresh_db, world, setup, "notify")
        authority.record_initial(fresh_db, world["dpo"], setup.id, "M-2026-000123", now.at)
    else:
        decide(fresh_db, world, setup, "no_notify")
    for hours in (48, 60, 70, 72, 100):
        now.at = AWARE + timedelta(hours=hours)
        assert reminders.send_due(fresh_db, settings, now.at).sent == 0
    assert len(inbox.messages) == 1


def test_a_failed_send_is_recorded_and_tried_again(fresh_db, setup, now, smtp, monkeypatch):
    settings, inbox, _ = smtp
    now.at = AWARE + timedelta(hours=24)

    def refused(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as m:
        m.setattr(reminders.mail, "deliver", refused)
        outcome = reminders.send_due(fresh_db, settings, now.at)
    assert (outcome.sent, outcome.failed) == (0, 1)
    row = next(fresh_db.query("SELECT state, failed FROM reminders"))
    assert (row["state"], row["failed"]) == ("failed", 1)
    assert (
        next(fresh_db.query("SELECT count(*) AS n FROM audit_log WHERE action = 'reminder.failed'"))["n"] == 1
    )
    now.at += timedelta(minutes=1)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 1
    assert reminders.send_due(fresh_db, settings, now.at).sent == 0
    assert len(inbox.messages) == 1
    assert next(fresh_db.query("SELECT state, failed FROM reminders"))["state"] == "sent"


def test_without_a_mail_server_nothing_is_claimed(fresh_db, setup, now):
    now.at = AWARE + timedelta(hours=25)
    assert reminders.send_due(fresh_db, None, now.at) == reminders.Outcome()
    assert next(fresh_db.query("SELECT count(*) AS n FROM reminders"))["n"] == 0


# --- the scheduler thread and the command line -----------------------------------------------------


def _smtp_env(monkeypatch, settings: SmtpSettings) -> None:
    monkeypatch.setenv("DATALEK_SMTP_HOST", settings.host)
    monkeypatch.setenv("DATALEK_SMTP_PORT", str(settings.port))
    monkeypatch.setenv("DATALEK_BASE_URL", BASE_URL)


def test_the_scheduler_runs_once_per_process_and_sends(db_path: Path, setup, now, smtp, monkeypatch):
    settings, inbox, _ = smtp
    _smtp_env(monkeypatch, settings)
    now.at = AWARE + timedelta(hours=25)
    try:
        first = reminder_scheduler.start(interval=0.05, path=db_path)
        assert reminder_scheduler.start(interval=0.05, path=db_path) is first  # a second import
        assert eventually(lambda: len(inbox.messages) == 1, timeout=10)
        done = reminder_scheduler.passes
        assert eventually(lambda: reminder_scheduler.passes >= done + 3, timeout=10)  # three more passes
        assert len(inbox.messages) == 1
    finally:
        reminder_scheduler.stop()
    assert not first.is_alive()


def test_the_scheduler_survives_a_failing_pass(db_path, monkeypatch, caplog):
    calls = []

    def broken(path=None):
        calls.append(path)
        raise RuntimeError("DL-2026-0001 geheim")

    monkeypatch.setattr(reminder_scheduler, "run_once", broken)
    try:
        thread = reminder_scheduler.start(interval=0.01, path=db_path)
        assert eventually(lambda: len(calls) >= 3, timeout=10)
        assert thread.is_alive()
    finally:
        reminder_scheduler.stop()
    assert "reminder pass failed: RuntimeError" in caplog.text and "geheim" not in caplog.text


def test_the_scheduler_can_be_switched_off(monkeypatch, db_path):
    monkeypatch.setenv("DATALEK_REMINDERS", "off")
    assert reminder_scheduler.start(interval=0.01, path=db_path) is None


def test_the_command_line_does_one_pass(db_path, setup, now, smtp, monkeypatch):
    settings, inbox, _ = smtp
    _smtp_env(monkeypatch, settings)
    now.at = AWARE + timedelta(hours=49)
    result = CliRunner().invoke(main, ["reminders", "run", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Verstuurd: 1. Mislukt: 0. Overgeslagen: 1."
    again = CliRunner().invoke(main, ["reminders", "run", "--db", str(db_path)])
    assert again.output.strip() == "Verstuurd: 0. Mislukt: 0. Overgeslagen: 0."
    assert len(inbox.messages) == 1
    listed = CliRunner().invoke(main, ["reminders", "list", "--db", str(db_path)])
    assert f"{setup.reference}  na 48 uur  verstuurd" in listed.output
    assert f"{setup.reference}  na 24 uur  overgeslagen" in listed.output
    assert "@" not in listed.output


# --- the review date of a postponement for safety (issue #15) ---------------------------------------

#: The family's label and a reason: typed by the FG, never in a mail.
LABEL, REASON = "Gezin Jansen", "Vader dreigt de moeder; Veilig Thuis is ingelicht."
REVIEW_ON = date(2026, 10, 31)  # a Saturday; the family was postponed on 24 October


@pytest.fixture
def postponed(fresh_db, world, setup, now):
    """The setup's incident, decided not to notify (no clock, no 72-hour reminders), with a
    family whose informing is postponed until REVIEW_ON; and a group postponement elsewhere."""
    from datalek.actions import households
    from datalek.actions.addressees import Relation
    from tests.test_outstanding import decide
    from tests.test_sending import judge

    decide(fresh_db, world, setup, "no_notify")
    house = households.add_household(fresh_db, world["dpo"], setup.id, LABEL).id
    households.add_member(fresh_db, world["dpo"], house, relation=Relation.PARENT_GEZAG, file_ref="O-4711")
    judge(fresh_db, world["dpo"], house, (), True, REASON, REVIEW_ON)
    return house


def _walk(db_path, now, settings, start: datetime, hours: int, restart_at: int | None = None) -> None:
    """A pass every two hours from ``start``; at ``restart_at`` hours a new connection."""
    db = store.connect(db_path)
    try:
        for step in range(0, hours + 1, 2):
            now.at = start + timedelta(hours=step)
            if step == restart_at:
                db.close()
                db = store.connect(db_path)
            reminders.send_due(db, settings, now.at)
    finally:
        db.close()


def test_the_review_date_of_a_postponement_brings_one_mail_per_judgement(
    db_path, setup, postponed, now, smtp
):
    from tests.test_sending import judge

    settings, inbox, _ = smtp
    _walk(db_path, now, settings, AWARE, 14 * 24, restart_at=8 * 24)  # 24 Oct to 7 Nov, a restart on 1 Nov
    [mail] = inbox.messages
    assert mail.message["Subject"] == f"Herbeoordeling uitstel informeren: {setup.reference}"
    assert sorted(mail.rcpt_tos) == FG  # the FG addresses of the organisation, not the management
    assert f"Datum om opnieuw te bekijken: {REVIEW_ON:%d-%m-%Y}." in mail.body
    assert setup.reference in mail.body and f"{BASE_URL}/werkvoorraad" in mail.body
    for personal in (LABEL, "Jansen", REASON, "Veilig Thuis", "O-4711", DESCRIPTION, "Fien", "Dpo"):
        assert personal not in mail.body and personal not in mail.message["Subject"]
    with store.unit(db_path) as check:
        sent_at = check.execute("SELECT sent_at FROM reminders WHERE state = 'sent'").fetchone()[0]
        [audit] = list(check.query("SELECT detail FROM audit_log WHERE action = 'reminder.review_sent'"))
    # the first pass on the review date in Amsterdam (UTC+1 after 25 October): 01:00 there; the
    # pass at 23:00 the evening before sent nothing
    assert clock.from_iso(sent_at) == datetime(2026, 10, 31, 0, 0, tzinfo=UTC)
    assert json.loads(audit["detail"]) == {"recipients": 3}

    # judged again, postponed once more: its own mail on its own date, once
    with store.unit(db_path) as db:
        now.at = datetime(2026, 11, 7, 12, 0, tzinfo=UTC)
        judge(db, setup_dpo(db), postponed, (), True, REASON, date(2026, 11, 10))
    _walk(db_path, now, settings, now.at, 6 * 24)
    assert len(inbox.messages) == 2
    assert "Datum om opnieuw te bekijken: 10-11-2026." in inbox.messages[1].body


def setup_dpo(db):
    from datalek.accounts import auth

    return auth.actor_for(db, next(db.query("SELECT id FROM users WHERE email = 'dpo@test.invalid'"))["id"])


def test_a_postponement_resolved_before_its_date_brings_no_mail(db_path, setup, postponed, now, smtp):
    from tests.test_sending import judge

    settings, inbox, _ = smtp
    with store.unit(db_path) as db:
        judge(db, setup_dpo(db), postponed, (), False)
    _walk(db_path, now, settings, AWARE, 10 * 24)
    assert inbox.messages == []


def test_a_group_postponement_is_reminded_too(fresh_db, world, setup, now, smtp):
    from datalek.actions import informing
    from datalek.actions.addressees import Addressee
    from tests.test_outstanding import decide

    settings, inbox, _ = smtp
    decide(fresh_db, world, setup, "no_notify")
    informing.record_safety_check(
        fresh_db, world["dpo"], setup.id, Addressee.PARENTS, True, REASON, REVIEW_ON
    )
    now.at = datetime(2026, 10, 31, 7, 0, tzinfo=UTC)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 1
    assert reminders.send_due(fresh_db, settings, now.at).sent == 0
    [mail] = inbox.messages
    assert setup.reference in mail.body and REASON not in mail.body and "ouders" not in mail.body.lower()


def test_two_processes_send_a_review_mail_once(db_path, setup, postponed, now, smtp):
    settings, inbox, _ = smtp
    now.at = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)
    first, second = store.connect(db_path), store.connect(db_path)
    try:
        due_in_second = review_reminders.reviews_due(second, now.at)  # both decided before either claimed
        assert reminders.send_due(first, settings, now.at).sent == 1
        assert len(due_in_second) == 1
        assert review_reminders.claim(second, due_in_second[0], clock.to_iso(now.at)) is False
    finally:
        first.close()
        second.close()
    assert len(inbox.messages) == 1


def test_a_failed_review_mail_is_tried_again(fresh_db, setup, postponed, now, smtp, monkeypatch):
    settings, inbox, _ = smtp
    now.at = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)

    def refused(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as m:
        m.setattr(reminders.mail, "deliver", refused)
        assert reminders.send_due(fresh_db, settings, now.at).failed == 1
    assert next(fresh_db.query("SELECT state FROM reminders"))["state"] == "failed"
    now.at += timedelta(minutes=1)
    assert reminders.send_due(fresh_db, settings, now.at).sent == 1
    assert reminders.send_due(fresh_db, settings, now.at).sent == 0
    assert len(inbox.messages) == 1


def test_without_a_mail_server_no_review_is_claimed(fresh_db, setup, postponed, now):
    now.at = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)
    assert reminders.send_due(fresh_db, None, now.at) == reminders.Outcome()
    assert next(fresh_db.query("SELECT count(*) AS n FROM reminders"))["n"] == 0
