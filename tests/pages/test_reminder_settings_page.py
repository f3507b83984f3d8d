"""The FG's reminder settings on the FG-team page, and the reminder banner on every FG page
(issue #14): Dutch messages next to the field, nothing typed lost, a save said under the button;
the banner for the FG only."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock, store
from datalek.accounts.organisations import reminder_settings
from datalek.accounts.users import create_user
from datalek.handling import incidents
from datalek.models import Actor, Role
from tests.conftest import NOW, PASSWORD, make_report
from tests.pages.conftest import error_after, once_key, signed_in, state_get, successes
from ui import reminder_banner
from ui.forms import md_escape

PREFIX_OF = "rs{}_"


@pytest.fixture
def deputy(world):
    with store.unit() as db:
        return create_user(
            db, Actor.cli(), "Plaats Vervanger", "deputy@test.invalid", Role.DPO, PASSWORD, [world.org.id]
        )


def _form(world):
    at = signed_in(world["dpo"], navigation.DPO_TEAM)
    assert not at.exception, at.exception
    return at, PREFIX_OF.format(world.org.id)


def _submit(at):
    next(b for b in at.button if b.label == "Herinneringen opslaan").click().run()
    assert not at.exception, at.exception


def test_the_fg_names_a_deputy_management_and_points(world, deputy):
    at, prefix = _form(world)
    at.selectbox(key=once_key(at, prefix, "deputy")).set_value(deputy.id)
    at.text_input(key=once_key(at, prefix, "management")).input("mt@test.invalid")
    at.text_input(key=once_key(at, prefix, "hours")).input("12, 36, 60")
    _submit(at)
    assert "De herinneringen zijn opgeslagen." in successes(at)
    with store.unit() as db:
        found = reminder_settings(db, world["dpo"], world.org.id)
    assert (found.deputy_dpo_id, found.management_email, found.hours) == (
        deputy.id,
        "mt@test.invalid",
        (12, 36, 60),
    )
    # the new, empty form shows what is stored now
    assert at.text_input(key=once_key(at, prefix, "hours")).value == "12, 36, 60"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "48, 24", "Zet de uren van laag naar hoog, en elk uur maar één keer."),
        ("hours", "24, 80", "Elk moment moet groter zijn dan 0 en kleiner dan 72 uur."),
        ("management", "geen adres", "Dit is geen geldig e-mailadres."),
    ],
)
def test_wrong_input_is_said_next_to_its_field_and_kept(world, field, value, message):
    at, prefix = _form(world)
    key = once_key(at, prefix, field)
    at.text_input(key=key).input(value)
    _submit(at)
    assert error_after(at, key) == message
    assert at.text_input(key=key).value == value
    assert successes(at) == []


def _incident(world, hours_ago: float):
    aware = NOW - timedelta(hours=hours_ago)
    with store.unit() as db:
        report = make_report(
            world.org.id, now=NOW, discovered_at=aware, occurred_from=aware - timedelta(hours=1)
        )
        return incidents.submit_report(db, world["reporter"], report, at=NOW)


def test_the_banner_names_the_clocks_past_their_first_point(world, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    near = _incident(world, 63)
    late = _incident(world, 75)
    _incident(world, 10)  # before the first reminder point: not named
    at = signed_in(world["dpo"])
    assert not at.error  # an error box is for what failed
    shown = [e.value for e in at.warning]
    assert shown == [
        "Let op: 1 melding nadert de termijn van 72 uur en 1 is te laat.\n\n"
        f"- {md_escape(late.reference)}: 3 uur te laat\n"
        f"- {md_escape(near.reference)}: nog 9 uur"
    ]
    for who in ("reporter", "management", "admin"):
        other = signed_in(world[who])
        assert not other.exception
        assert not any("termijn van 72 uur" in e.value for e in [*other.error, *other.warning])
    assert state_get(at, "rs_org") is None  # the banner draws no form


@pytest.mark.parametrize(
    ("count", "overdue", "expected"),
    [
        (1, 0, "Let op: 1 melding nadert de termijn van 72 uur."),
        (3, 0, "Let op: 3 meldingen naderen de termijn van 72 uur."),
        (1, 1, "Let op: 1 melding is over de termijn van 72 uur."),
        (14, 14, "Let op: 14 meldingen zijn over de termijn van 72 uur."),
        (3, 1, "Let op: 2 meldingen naderen de termijn van 72 uur en 1 is te laat."),
        (5, 3, "Let op: 2 meldingen naderen de termijn van 72 uur en 3 zijn te laat."),
        (2, 1, "Let op: 1 melding nadert de termijn van 72 uur en 1 is te laat."),
    ],
)
def test_the_banner_heading_says_what_is_near_and_what_is_late(count, overdue, expected):
    assert reminder_banner.heading(count, overdue) == expected


def test_a_long_banner_names_five_and_points_to_the_queue(world, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    for hours in range(73, 80):
        _incident(world, hours)
    (shown,) = [e.value for e in signed_in(world["dpo"]).warning]
    assert shown.startswith("Let op: 7 meldingen zijn over de termijn van 72 uur.")
    assert shown.count("uur te laat") == 5
    assert shown.endswith("- en nog 2: zie de Werkvoorraad.")
