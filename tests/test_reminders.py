"""Reminders of the notification period (issue #14): the organisation's settings (deputy FG,
management contact, reminder points), who gets a reminder, which point is due when, and the
mail's text without personal data. Sending through a real SMTP server and the scheduler:
``test_reminder_scheduler.py``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from datalek.accounts import audit_trail
from datalek.accounts.organisations import (
    hours_error,
    reminder_recipients,
    reminder_settings,
    set_reminder_settings,
)
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user, set_active
from datalek.actions import reminders
from datalek.handling.outstanding import Clock, Phase
from datalek.models import Actor, InvalidInput, Role
from tests.conftest import PASSWORD

# --- the reminder points: a rule table --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24, 48, 60, 70", None),
        ("24,48,60,70", None),
        ("1", None),
        ("71", None),
        ("1 2 3 4 5 6 7 8", None),
        ("", "Vul minstens één moment in."),
        ("24, 48, x", "Vul hele uren in, gescheiden door komma's. Bijvoorbeeld: 24, 48, 60, 70."),
        ("24.5", "Vul hele uren in, gescheiden door komma's. Bijvoorbeeld: 24, 48, 60, 70."),
        ("-1", "Vul hele uren in, gescheiden door komma's. Bijvoorbeeld: 24, 48, 60, 70."),
        ("0, 24", "Elk moment moet groter zijn dan 0 en kleiner dan 72 uur."),
        ("24, 72", "Elk moment moet groter zijn dan 0 en kleiner dan 72 uur."),
        ("48, 24", "Zet de uren van laag naar hoog, en elk uur maar één keer."),
        ("24, 24", "Zet de uren van laag naar hoog, en elk uur maar één keer."),
        ("1 2 3 4 5 6 7 8 9", "Kies hoogstens 8 momenten."),
    ],
)
def test_reminder_points_rule(text, message):
    assert hours_error(text) == message


# --- the settings: who may set them, what is checked -----------------------------------------------


@pytest.fixture
def deputy(fresh_db, world):
    user = create_user(
        fresh_db, Actor.cli(), "Plaats Vervanger", "deputy@test.invalid", Role.DPO, PASSWORD, [world.org.id]
    )
    return user.id


def test_the_defaults_are_the_regimes(fresh_db, world):
    found = reminder_settings(fresh_db, world["dpo"], world.org.id)
    assert (found.deputy_dpo_id, found.management_email, found.hours) == (None, "", (24, 48, 60, 70))


@pytest.mark.parametrize(
    ("who", "org", "allowed"),
    [
        ("dpo", "org", True),
        ("dpo", "other_org", False),
        ("other_dpo", "org", False),
        ("reporter", "org", False),
        ("management", "org", False),
        ("admin", "org", False),
    ],
)
def test_who_may_set_the_reminders(fresh_db, world, who, org, allowed):
    org_id = getattr(world, org).id
    call = lambda: set_reminder_settings(fresh_db, world[who], org_id, None, "mt@test.invalid", "24, 48")  # noqa: E731
    if allowed:
        assert call().hours == (24, 48)
        assert reminder_settings(fresh_db, world[who], org_id).management_email == "mt@test.invalid"
    else:
        with pytest.raises(PermissionDenied):
            call()
        row = fresh_db.query("SELECT management_email FROM organisations WHERE id = ?", [org_id])
        assert next(row)["management_email"] == ""


def test_settings_are_kept_and_audited(fresh_db, world, deputy):
    set_reminder_settings(fresh_db, world["dpo"], world.org.id, deputy, " mt@test.invalid ", "12, 36, 60")
    found = reminder_settings(fresh_db, world["dpo"], world.org.id)
    assert (found.deputy_dpo_id, found.management_email, found.hours) == (
        deputy,
        "mt@test.invalid",
        (12, 36, 60),
    )
    entry = next(fresh_db.query("SELECT * FROM audit_log WHERE action = 'organisation.reminders'"))
    assert "mt@" not in entry["detail"] and '"points":3' in entry["detail"]
    assert "organisation.reminders" in audit_trail.LABELS


@pytest.mark.parametrize(
    ("deputy_of", "email", "hours", "field"),
    [
        ("reporter", "", "24", "deputy_dpo_id"),  # not an FG
        ("other_dpo", "", "24", "deputy_dpo_id"),  # an FG of another organisation
        ("disabled", "", "24", "deputy_dpo_id"),  # switched off
        (None, "geen-adres", "24", "management_email"),
        (None, "", "72", "reminder_hours"),
    ],
)
def test_wrong_settings_are_refused_next_to_their_field(
    fresh_db, world, deputy, deputy_of, email, hours, field
):
    if deputy_of == "disabled":
        set_active(fresh_db, Actor.cli(), deputy, False)
        deputy_id = deputy
    else:
        deputy_id = world[deputy_of].user_id if deputy_of else None
    with pytest.raises(InvalidInput) as refused:
        set_reminder_settings(fresh_db, world["dpo"], world.org.id, deputy_id, email, hours)
    assert list(refused.value.errors) == [field]
    assert reminder_settings(fresh_db, world["dpo"], world.org.id).hours == (24, 48, 60, 70)


def test_nothing_changed_is_said(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        set_reminder_settings(fresh_db, world["dpo"], world.org.id, None, "", "24, 48, 60, 70")
    assert refused.value.errors == {"form": "Er is niets veranderd."}


def test_recipients_are_the_fgs_the_deputy_and_at_the_end_management(fresh_db, world, deputy):
    set_reminder_settings(fresh_db, world["dpo"], world.org.id, deputy, "mt@test.invalid", "24")
    fgs = ["deputy@test.invalid", "dpo@test.invalid", "fg@test.invalid"]
    assert reminder_recipients(fresh_db, world.org.id, management=False) == fgs
    assert reminder_recipients(fresh_db, world.org.id, management=True) == sorted([*fgs, "mt@test.invalid"])
    set_active(fresh_db, Actor.cli(), deputy, False)  # a switched-off deputy gets nothing
    assert "deputy@test.invalid" not in reminder_recipients(fresh_db, world.org.id, management=False)


# --- which point is due: pure ----------------------------------------------------------------------

AWARE = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)  # Saturday 12:00 in Amsterdam (summer time)


def _clock(phase: Phase = Phase.AWAITING_DECISION) -> Clock:
    return Clock(7, 1, "DL-2026-0014", AWARE, phase)


def _plan(hours_after: float, rows: dict | None = None, phase: Phase = Phase.AWAITING_DECISION):
    return reminders.plan(
        [_clock(phase)], {1: (24, 48, 60, 70)}, {7: rows or {}}, AWARE + timedelta(hours=hours_after)
    )


def _row(state: str, minutes_ago: float = 1, hours_after: float = 49) -> dict:
    at = AWARE + timedelta(hours=hours_after) - timedelta(minutes=minutes_ago)
    return {"state": state, "sent_at": at.isoformat()}


@pytest.mark.parametrize(
    ("hours_after", "rows", "expected"),
    [
        (23.99, {}, None),
        (24, {}, (24, False, (), False)),
        (47, {24: _row("sent")}, None),
        # a server that was down for a day: one reminder, the earlier points skipped
        (49, {}, (48, False, (24,), False)),
        (61, {24: _row("sent")}, (60, False, (48,), False)),
        (72, {24: 1, 48: 1, 60: 1, 70: 1}, (72, True, (), False)),
        (200, {}, (72, True, (24, 48, 60, 70), False)),
        (300, {72: _row("sent", hours_after=300)}, None),
        # a failed send is tried again while it is the latest point; a claim in progress is not
        (49, {48: _row("failed")}, (48, False, (24,), True)),
        (49, {48: _row("sending", minutes_ago=1)}, None),
        (49, {48: _row("sending", minutes_ago=20)}, (48, False, (24,), True)),
        (61, {48: _row("failed")}, (60, False, (24,), False)),
    ],
)
def test_which_reminder_is_due(hours_after, rows, expected):
    rows = {p: (r if isinstance(r, dict) else _row("sent")) for p, r in rows.items()}
    found = _plan(hours_after, rows)
    assert [(d.point, d.escalation, d.skipped, d.retry) for d in found] == ([expected] if expected else [])


@pytest.mark.parametrize("phase", [Phase.NOTIFIED, Phase.NOT_NOTIFYING])
def test_a_stopped_clock_gets_no_reminder(phase):
    assert _plan(49, phase=phase) == []


# --- the mail --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours_after", "phase", "subject", "lines"),
    [
        (
            24,
            Phase.AWAITING_DECISION,
            "Datalek DL-2026-0014: nog 48 uur om te melden",
            ["Stand: besluit over melden nodig.", "Tijd over: nog 48 uur."],
        ),
        (
            63,
            Phase.DECIDED_TO_NOTIFY,
            "Datalek DL-2026-0014: nog 9 uur om te melden",
            ["Stand: besloten te melden, melding nog niet gedaan.", "Tijd over: nog 9 uur."],
        ),
        (
            75,
            Phase.DECIDED_TO_NOTIFY,
            "Datalek DL-2026-0014: termijn van 72 uur verstreken",
            ["De termijn is verstreken (3 uur te laat).", "contactpersoon van het management"],
        ),
    ],
)
def test_the_mail_says_reference_phase_time_left_deadline_and_link(hours_after, phase, subject, lines):
    now = AWARE + timedelta(hours=hours_after)
    item = reminders.Due(_clock(phase), min(int(hours_after), 72), hours_after >= 72)
    assert reminders.subject(item, now) == subject
    text = reminders.body(item, now, "https://datalek.test.invalid/")
    for line in lines:
        assert line in text
    # 72 elapsed hours across the end of summer time: 11:00 winter time, not 12:00
    assert "Uiterste moment: 27-10-2026 11:00 (Nederlandse tijd)." in text
    assert "https://datalek.test.invalid/werkvoorraad" in text
