"""The one rule for changing a recorded fact (``datalek.corrections``), as a table: which fields
changed, when a reason is needed (a recorded value overwritten, not an empty one filled in), and
the change rows with old and new value, who, when and why."""

from __future__ import annotations

import pytest

from datalek import corrections
from datalek.models import Actor, InvalidInput, Role

WHY = "Geef de reden."
TOO_LONG = {"reason": f"Dit is te lang: gebruik hoogstens {corrections.MAX_REASON} tekens."}
LONG = "x" * (corrections.MAX_REASON + 1)
ROW = {"id": 7, "incident_id": 3, "name": "Cloudzorg", "reply": "", "told_at": None, "count": 2}


def _minute(field: str, old, new) -> bool:
    """Moments equal to the minute count as one (as the partner notice and involvement rules do)."""
    return (old or "")[:16] == (new or "")[:16] if field == "told_at" else old == new


#: id -> (new values, reason, options, expected changes as (field, old, new), expected errors)
CASES = {
    "changed-with-reason": ({"name": "Zorgcloud"}, "Typfout", {}, [("name", "Cloudzorg", "Zorgcloud")], {}),
    "empty-list-counts-as-empty": (
        {"roles": '["holds"]'},
        "",
        {"empty": (*corrections.EMPTY, "[]"), "row": {"roles": "[]"}},
        [("roles", "[]", '["holds"]')],
        {},
    ),
    "filled-in-empty-text": ({"reply": "Meldt zelf"}, "", {}, [("reply", "", "Meldt zelf")], {}),
    "filled-in-none": ({"told_at": "2026-12-01T10:00"}, "", {}, [("told_at", None, "2026-12-01T10:00")], {}),
    "filled-in-with-too-long-reason": ({"reply": "Ja"}, LONG, {}, [("reply", "", "Ja")], TOO_LONG),
    "filled-in-and-overwritten-needs-reason": (
        {"reply": "Ja", "name": "Zorgcloud"},
        "",
        {},
        [("reply", "", "Ja"), ("name", "Cloudzorg", "Zorgcloud")],
        {"reason": WHY},
    ),
    "number-kept-as-text": ({"count": 3}, "Telfout", {}, [("count", "2", "3")], {}),
    "overwritten-with-blank-reason": (
        {"name": "Zorgcloud"},
        "   ",
        {},
        [("name", "Cloudzorg", "Zorgcloud")],
        {"reason": WHY},
    ),
    "overwritten-with-too-long-reason": (
        {"name": "Zorgcloud"},
        LONG,
        {},
        [("name", "Cloudzorg", "Zorgcloud")],
        TOO_LONG,
    ),
    "overwritten-without-reason": (
        {"name": "Zorgcloud"},
        "",
        {},
        [("name", "Cloudzorg", "Zorgcloud")],
        {"reason": WHY},
    ),
    "same-to-the-minute-is-unchanged": (
        {"told_at": "2026-12-01T10:00:59"},
        "",
        {"same": _minute, "row": {"told_at": "2026-12-01T10:00:00"}},
        [],
        {},
    ),
    "unchanged": ({"name": "Cloudzorg", "reply": ""}, "", {}, [], {}),
    "value-emptied-needs-reason": ({"name": None}, "", {}, [("name", "Cloudzorg", None)], {"reason": WHY}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_rule_table(case):
    new, reason, options, expected, errors = CASES[case]
    row = {**ROW, **options.get("row", {})}
    rule = {k: v for k, v in options.items() if k != "row"}
    found, problems = corrections.review(row, new, reason, missing=WHY, **rule)
    assert [(c["field"], c["old_value"], c["new_value"]) for c in found] == expected
    assert problems == errors


@pytest.mark.parametrize("case", sorted(CASES))
def test_checked_raises_the_forms_errors_and_the_reasons_together(case):
    new, reason, options, expected, errors = CASES[case]
    row = {**ROW, **options.get("row", {})}
    rule = {k: v for k, v in options.items() if k != "row"}
    form = {"told_what": "Vul in wat je de partner hebt verteld."}
    with pytest.raises(InvalidInput) as refused:
        corrections.checked(row, new, reason, form, missing=WHY, **rule)
    assert refused.value.errors == form | errors
    if not errors:
        assert len(corrections.checked(row, new, reason, {}, missing=WHY, **rule)) == len(expected)


@pytest.mark.parametrize(
    ("reason", "errors"),
    [("", {"reason": WHY}), ("Dubbel vastgelegd", {}), (LONG, TOO_LONG)],
    ids=["missing", "given", "too-long"],
)
def test_a_correction_that_always_asks_why(reason, errors):
    """Measures and notices to data subjects always need a reason (``required=True``)."""
    assert corrections.reason_errors(reason, required=True, missing=WHY) == errors


def test_the_change_rows_keep_old_new_who_when_why_and_the_callers_keys():
    found = corrections.changes(ROW, {"name": "Zorgcloud", "count": 2, "told_at": None, "reply": "Ja"})
    actor = Actor(user_id=5, role=Role.DPO, org_ids=(1,))
    rows = corrections.change_rows(
        found, "Typfout", actor, "2026-12-04T21:00:00+00:00", notice_id=7, incident_id=3
    )
    assert rows == [
        {
            "notice_id": 7,
            "incident_id": 3,
            "field": field,
            "old_value": old,
            "new_value": new,
            "reason": "Typfout",
            "changed_by": 5,
            "changed_at": "2026-12-04T21:00:00+00:00",
        }
        for field, old, new in [("name", "Cloudzorg", "Zorgcloud"), ("reply", "", "Ja")]
    ]


def test_a_withdrawal_is_one_change_from_nothing_to_its_moment():
    actor = Actor(user_id=None, role=Role.ADMIN, system=True)
    at = "2026-12-04T21:00:00+00:00"
    rows = corrections.change_rows(corrections.marked("withdrawn", at), "Dubbel", actor, at, notice_id=7)
    assert rows == [
        {
            "notice_id": 7,
            "field": "withdrawn",
            "old_value": None,
            "new_value": at,
            "reason": "Dubbel",
            "changed_by": None,
            "changed_at": at,
        }
    ]


@pytest.mark.parametrize(
    ("user_id", "name", "shown_as"),
    [
        (None, None, corrections.CLI_NAME),
        (None, "Fien", corrections.CLI_NAME),
        (7, None, corrections.GONE),
        (7, "Fien", "Fien"),
    ],
)
def test_who_made_a_change(user_id, name, shown_as):
    assert corrections.who(user_id, name) == shown_as


def test_a_history_line_shows_label_words_reason_and_author():
    row = {
        "field": "reply",
        "old_value": "a",
        "new_value": "",
        "reason": "Typfout.",
        "changed_by": 3,
        "changed_by_name": None,
    }
    line = corrections.shown(row, {"reply": "Antwoord"}, lambda f, v: v.upper() or None)
    assert line == {
        "field": "reply",
        "label": "Antwoord",
        "old": "A",
        "new": None,
        "reason": "Typfout.",
        "changed_by": corrections.GONE,
    }
