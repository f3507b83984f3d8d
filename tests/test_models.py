"""The shared vocabulary: the status machine and the Dutch labels of every code."""

from __future__ import annotations

import itertools

import pytest

from datalek.handling.lifecycle import TRANSITIONS
from datalek.models import (
    Actor,
    IncidentType,
    LabelledEnum,
    Nature,
    Role,
    Status,
)

S = Status

#: The status machine as the FG works with it, written out independently of the code.
#: Reopening is allowed: new facts can turn a closed case or "geen datalek" into a breach.
ALLOWED = {
    (S.REPORTED, S.IN_PROGRESS),
    (S.REPORTED, S.NOT_A_BREACH),
    (S.IN_PROGRESS, S.DECIDED),
    (S.IN_PROGRESS, S.NOT_A_BREACH),
    (S.DECIDED, S.CLOSED),
    (S.DECIDED, S.IN_PROGRESS),
    (S.CLOSED, S.IN_PROGRESS),
    (S.NOT_A_BREACH, S.IN_PROGRESS),
    # a duplicate report merged into its main incident, and the merge undone (issue #16)
    (S.REPORTED, S.MERGED),
    (S.IN_PROGRESS, S.MERGED),
    (S.NOT_A_BREACH, S.MERGED),
    (S.MERGED, S.IN_PROGRESS),
}

PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(
    "current, target",
    PAIRS,
    ids=[f"{a.value}->{b.value}:{'allowed' if (a, b) in ALLOWED else 'refused'}" for a, b in PAIRS],
)
def test_status_transitions(current: Status, target: Status) -> None:
    assert (target in TRANSITIONS[current]) == ((current, target) in ALLOWED)


def test_every_status_has_a_row_in_the_machine() -> None:
    assert set(TRANSITIONS) == set(Status)


def test_every_status_can_be_reached_from_a_new_report() -> None:
    reached, todo = {S.REPORTED}, [S.REPORTED]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    assert reached == set(Status)


def test_a_closed_case_can_only_be_closed_after_a_decision() -> None:
    assert {a for a in Status if S.CLOSED in TRANSITIONS[a]} == {S.DECIDED}


@pytest.mark.parametrize(
    "status, is_open",
    [
        (S.REPORTED, True),
        (S.IN_PROGRESS, True),
        (S.DECIDED, True),
        (S.CLOSED, False),
        (S.NOT_A_BREACH, False),
    ],
    ids=lambda v: v.value if isinstance(v, Status) else ("open" if v else "finished"),
)
def test_status_is_open(status: Status, is_open: bool) -> None:
    assert status.is_open is is_open


# --- Dutch labels -----------------------------------------------------------------------

ENUMS: list[type[LabelledEnum]] = [Status, Role, IncidentType, Nature]
MEMBERS = [m for enum in ENUMS for m in enum]


@pytest.mark.parametrize("member", MEMBERS, ids=[f"{type(m).__name__}.{m.value}" for m in MEMBERS])
def test_every_code_has_a_dutch_label(member: LabelledEnum) -> None:
    label = member.label
    assert isinstance(label, str)
    assert label.strip() == label and label
    assert label != member.value  # a label, not the stored code
    assert label[0].isupper()


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_labels_are_distinct_within_a_list(enum: type[LabelledEnum]) -> None:
    """Two options with the same text could not be told apart in a select box."""
    labels = [m.label for m in enum]
    assert len(set(labels)) == len(labels)
    assert set(enum._labels()) == {m.value for m in enum}  # no label for a code that is gone
    assert enum.options() == list(enum)


@pytest.mark.parametrize(
    "status, label",
    [
        (S.REPORTED, "Gemeld"),
        (S.IN_PROGRESS, "In behandeling"),
        (S.DECIDED, "Besloten"),
        (S.CLOSED, "Afgerond"),
        (S.NOT_A_BREACH, "Geen datalek"),
    ],
    ids=lambda v: v.value if isinstance(v, Status) else v,
)
def test_status_labels(status: Status, label: str) -> None:
    assert status.label == label


def test_codes_are_the_stored_strings() -> None:
    assert Status("in_progress") is S.IN_PROGRESS
    assert Role.DPO == "dpo"
    with pytest.raises(ValueError):
        Status("open")


def test_cli_actor_is_the_system_operator() -> None:
    actor = Actor.cli()
    assert (actor.user_id, actor.role, actor.system, actor.org_ids) == (None, Role.ADMIN, True, ())
