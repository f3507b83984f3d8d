"""The FG's queue, issue #20: the sentence above the table says what is shown (with correct
Dutch singular and plural, never "melding(en)"), the table is one that wraps (st.table), the
FG sees who reported and how to reach them, management never does, and the status form
records once."""

from __future__ import annotations

import pytest
from streamlit.testing.v1.element_tree import Dataframe, Table

import navigation
from datalek.accounts.users import set_active
from datalek.models import Actor, Status
from tests.pages.conftest import (
    button,
    once_key,
    rows,
    signed_in,
    successes,
    table_with,
    walk,
)
from tests.pages.test_queue_page import queue_world  # noqa: F401 - a fixture
from ui import queue_table

PAGE = navigation.QUEUE
REPORTER_NAME = "Reporter"  # the name tests/conftest.World gives the reporter's account
REPORTER_EMAIL = "reporter@test.invalid"


def shown_text(at) -> str:
    """Everything the page shows as text: Markdown, text, captions, alerts and table cells."""
    parts = []
    for node in walk(at.main):
        if isinstance(node, Dataframe | Table):
            parts.append(node.value.to_string())
        value = getattr(node, "value", None)
        if isinstance(value, str):
            parts.append(value)
        for attr in ("label", "body"):
            if isinstance(getattr(node, attr, None), str):
                parts.append(getattr(node, attr))
    return "\n".join(parts)


def count_sentence(at) -> str:
    (line,) = [m.value for m in at.markdown if "melding" in str(m.value) and str(m.value)[:1].isdigit()] or [
        m.value for m in at.markdown if str(m.value).startswith("Er zijn geen")
    ]
    return line


# --- the sentence above the table -----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "statuses", "expected"),
    [
        (1, [], "1 open melding."),
        (2, [], "2 open meldingen."),
        (1, [Status.CLOSED], "1 melding met status Afgerond."),
        (3, [Status.CLOSED], "3 meldingen met status Afgerond."),
        (2, [Status.REPORTED, Status.IN_PROGRESS], "2 meldingen met status Gemeld of In behandeling."),
        (
            4,
            [Status.REPORTED, Status.IN_PROGRESS, Status.DECIDED],
            "4 meldingen met status Gemeld, In behandeling of Besloten.",
        ),
        (0, [], "Er zijn geen open meldingen."),
        (0, [Status.CLOSED], "Er zijn geen meldingen met status Afgerond."),
    ],
)
def test_the_count_sentence_says_what_is_shown(count, statuses, expected):
    line = queue_table.count_line(count, statuses)
    assert line.startswith(expected)
    assert "(en)" not in line


def test_with_a_status_filter_the_page_no_longer_says_open(world, queue_world):  # noqa: F811
    at = signed_in(world["dpo"], PAGE)
    assert count_sentence(at).startswith("4 open meldingen.")
    at.multiselect(key="q_status").set_value(["not_a_breach"]).run()
    assert count_sentence(at).startswith("1 melding met status Geen datalek.")
    assert list(table_with(at, "Nummer")["Nummer"]) == [queue_world["closed"].reference]
    assert "(en)" not in shown_text(at)
    assert "open melding" not in shown_text(at)


def test_the_queue_is_a_table_that_wraps_with_all_columns(world, queue_world):  # noqa: F811
    """st.table (its cells wrap; tests/e2e/test_screens_fit.py measures it at 1280 px), with
    every column the FG had."""
    at = signed_in(world["dpo"], PAGE)
    (table,) = [n for n in walk(at.main) if isinstance(n, Table) and "Nummer" in n.value.columns]
    assert list(table.value.columns) == [
        "Nummer",
        "Termijn",
        "Urgentie",
        "Status",
        "Aandacht",
        "Wat er gebeurde",
        "Afdeling",
        "Organisatie",
        "Gemeld",
    ]
    assert not [n for n in walk(at.main) if isinstance(n, Dataframe)]


# --- who reported ------------------------------------------------------------------------------


def _open(at, incident_id: int):
    at.selectbox(key="q_choice").set_value(incident_id).run()
    assert not at.exception, at.exception
    return at


def test_the_dpo_sees_who_reported_and_how_to_reach_them(world, queue_world, db_path):  # noqa: F811
    chosen = queue_world["thirty"]  # reported by world["reporter"]
    at = _open(signed_in(world["dpo"], PAGE), chosen.id)
    texts = [t.value for t in at.text]
    assert f"{REPORTER_NAME}\nAfdeling: Sociaal Domein\nE-mail: {REPORTER_EMAIL}" in texts
    assert any(c.value.endswith(f"Gemeld — Melder: {REPORTER_NAME}") for c in at.caption)
    reads = rows(
        db_path,
        "select actor_id from audit_log where action = 'incident.reporter' and object_id = ?",
        [str(chosen.id)],
    )
    assert reads and {r["actor_id"] for r in reads} == {world["dpo"].user_id}


def test_a_switched_off_reporter_reads_as_no_longer_active(world, queue_world, db_path):  # noqa: F811
    from tests.pages.conftest import open_db

    db = open_db(db_path)
    try:
        set_active(db, Actor.cli(), world["reporter2"].user_id, False)
    finally:
        db.close()
    at = _open(signed_in(world["dpo"], PAGE), queue_world["fifty"].id)  # reported by reporter2
    text = shown_text(at)
    assert "(account niet meer actief)" in text
    assert "reporter2@test.invalid" not in text and "Reporter2" not in text
    assert any("Melder: \\(account niet meer actief\\)" in c.value for c in at.caption)


def test_management_never_sees_a_reporter(world, queue_world):  # noqa: F811
    at = signed_in(world["management"], navigation.OVERVIEW)
    assert not at.exception
    text = shown_text(at)
    for reporter in ("reporter", "reporter2", "dpo"):
        assert f"{reporter}@test.invalid" not in text
    assert "Melder" not in text and REPORTER_NAME not in text


# --- the status form records once --------------------------------------------------------------


def test_a_status_change_is_recorded_once_with_its_form(world, queue_world, db_path):  # noqa: F811
    """The status form is a once-form: after the change the form's key is renewed and the
    message is shown under the form's own button."""
    chosen = queue_world["thirty"]
    at = _open(signed_in(world["dpo"], PAGE), chosen.id)
    prefix = f"status_{chosen.id}_"
    first_key = at.session_state[prefix + "key"]
    at.selectbox(key=once_key(at, prefix, "target")).set_value("in_progress")
    at.text_input(key=once_key(at, prefix, "reason")).input("Ik pak het op.")
    button(at, "Status wijzigen").click().run()
    assert not at.exception
    assert successes(at) == ["Status gewijzigd naar 'In behandeling'."]
    assert at.session_state[prefix + "key"] != first_key
    (claim,) = rows(db_path, "select form from submissions where key = ?", [first_key])
    assert claim["form"] == prefix


def test_the_same_status_submission_twice_changes_once(world, queue_world, db_path):  # noqa: F811
    """What a double click sends: the same submission key twice. (After the change the form
    offers no further status, so the repeat is sent as the callback would send it.)"""
    from datalek import store, submissions
    from datalek.handling import lifecycle

    chosen, key = queue_world["thirty"], "a" * 32
    outcomes = []
    for _ in range(2):
        with store.unit(db_path) as db:
            try:
                with submissions.once(db, world["dpo"], key, f"status_{chosen.id}_"):
                    lifecycle.change_status(db, world["dpo"], chosen.id, Status.IN_PROGRESS, "")
                outcomes.append("saved")
            except submissions.Repeated:
                outcomes.append("repeated")
    assert outcomes == ["saved", "repeated"]
    changes = rows(
        db_path, "select to_status from status_changes where incident_id = ? order by id", [chosen.id]
    )
    assert [c["to_status"] for c in changes] == ["reported", "in_progress"]
