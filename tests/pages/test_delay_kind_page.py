"""Issue #17 on the FG's incident screen: the reason for a delay is recorded with its kind. A
missing kind gets a Dutch message next to the field and keeps the text typed; the saved kind is
shown in Dutch and preselected when the FG changes it."""

from __future__ import annotations

import navigation
from datalek.handling import delay
from tests.pages.conftest import button, error_after, once_key, rows, signed_in, successes
from tests.pages.test_queue_page import queue_world  # noqa: F401 - a fixture

PAGE = navigation.QUEUE
TEXT = "De leverancier meldde het lek pas na vier dagen."


def test_a_missing_kind_is_asked_next_to_its_field_and_the_text_stays(world, queue_world, db_path):  # noqa: F811
    late = queue_world["eighty"]
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(late.id).run()
    prefix = f"delay_{late.id}_"
    kind = at.radio(key=once_key(at, prefix, "kind"))
    assert kind.label == "Wat voor reden is het?" and kind.value is None
    assert kind.options == list(delay.KINDS.values())
    at.text_area(key=once_key(at, prefix, "reason")).input(TEXT)
    button(at, "Reden vastleggen").click().run()
    assert not at.exception
    assert error_after(at, once_key(at, prefix, "kind")) == "Kies wat voor reden het is."
    assert at.text_area(key=once_key(at, prefix, "reason")).value == TEXT  # kept
    assert (
        rows(db_path, "select delay_reason from incidents where id = ?", [late.id])[0]["delay_reason"] == ""
    )

    at.radio(key=once_key(at, prefix, "kind")).set_value("processor")
    button(at, "Reden vastleggen").click().run()
    assert not at.exception
    assert "De reden van de vertraging is vastgelegd." in successes(at)
    (row,) = rows(db_path, "select delay_reason, delay_kind from incidents where id = ?", [late.id])
    assert row == {"delay_reason": TEXT, "delay_kind": "processor"}
    shown = [t.value for t in at.text]
    assert f"Soort reden: {delay.KINDS['processor']}" in shown and TEXT in shown
    # changing it later: the saved kind is chosen already
    assert at.radio(key=once_key(at, prefix, "kind")).value == "processor"
