"""The small-number threshold on the FG-team page (issue #17): saved once with a reason, the new
value shown in a new empty form; a refusal said next to its field, with what was typed kept."""

from __future__ import annotations

import pytest

import navigation
from datalek import store
from datalek.insight import figures_policy
from tests.pages.conftest import error_after, once_key, signed_in, successes
from ui.figures_policy_view import SAVED


@pytest.fixture(autouse=True)
def _no_floor(monkeypatch):
    monkeypatch.delenv("DATALEK_SMALL_NUMBER", raising=False)


def _form(world):
    at = signed_in(world["dpo"], navigation.DPO_TEAM)
    assert not at.exception, at.exception
    return at, f"sn{world.org.id}_"


def _submit(at):
    next(b for b in at.button if b.label == "Drempel opslaan").click().run()
    assert not at.exception, at.exception


def test_the_fg_sets_the_threshold_with_a_reason(world):
    at, prefix = _form(world)
    assert at.number_input(key=once_key(at, prefix, "value")).value == 5
    at.number_input(key=once_key(at, prefix, "value")).set_value(9)
    at.text_area(key=once_key(at, prefix, "reason")).input("Kleine teams zijn herkenbaar")
    _submit(at)
    assert SAVED in successes(at)
    with store.unit() as db:
        assert figures_policy.threshold(db, world["dpo"], world.org.id).own == 9
        [change] = figures_policy.history(db, world["dpo"], world.org.id)
    assert (change.old, change.new, change.reason) == (5, 9, "Kleine teams zijn herkenbaar")
    # a new, empty form with the value as it is stored now
    assert at.number_input(key=once_key(at, prefix, "value")).value == 9
    assert at.text_area(key=once_key(at, prefix, "reason")).value == ""
    assert any("**9**" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("value", "reason", "field", "message"),
    [
        (
            1,
            "Minder verbergen",
            "value",
            "De drempel kan niet lager zijn dan 2: bij 1 wordt niets verborgen.",
        ),
        (
            80,
            "Alles verbergen",
            "value",
            "De drempel kan niet hoger zijn dan 50: dan blijft er bijna niets over om te tonen.",
        ),
        (7, "", "reason", "Schrijf waarom je de drempel verandert."),
    ],
)
def test_a_refusal_is_said_next_to_its_field_and_the_input_kept(world, value, reason, field, message):
    at, prefix = _form(world)
    at.number_input(key=once_key(at, prefix, "value")).set_value(value)
    at.text_area(key=once_key(at, prefix, "reason")).input(reason)
    _submit(at)
    assert error_after(at, once_key(at, prefix, field)) == message
    assert at.number_input(key=once_key(at, prefix, "value")).value == value
    assert at.text_area(key=once_key(at, prefix, "reason")).value == reason
    assert successes(at) == []
    with store.unit() as db:
        assert figures_policy.threshold(db, world["dpo"], world.org.id).own == 5


def test_management_and_the_beheerder_do_not_see_the_form(world):
    for who in ("management", "admin"):
        at = signed_in(world[who])
        assert not at.exception
        assert not any(b.label == "Drempel opslaan" for b in at.button)
