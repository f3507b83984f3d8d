"""Issue #17: the FG's decision form records who was consulted, and a duplicate report with
the reference of the main incident; the message for a wrong reference stands next to its
field, and the decision shown reads "dubbele melding van ...", never "geen datalek"."""

from __future__ import annotations

import pytest

import navigation
from datalek import clock
from datalek.handling import assessment, incidents, prefill
from tests.conftest import make_report
from tests.pages.conftest import button, error_after, once_key, open_db, rows, signed_in, successes

PAGE = navigation.QUEUE


@pytest.fixture
def two_reports(world, db_path):
    """The main incident and a second report of it, both assessed."""
    db = open_db(db_path)
    try:
        made = []
        for who in ("reporter", "reporter2"):
            incident = incidents.submit_report(db, world[who], make_report(world.org.id, now=clock.now()))
            assessment.save(
                db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m"
            )
            made.append(incident)
    finally:
        db.close()
    return made


def _open(world, incident):
    at = signed_in(world["dpo"], PAGE)
    at.session_state[f"q_tab_{incident.id}"] = "Advies en besluit"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def test_who_was_consulted_is_recorded_and_shown(world, two_reports, db_path):
    main, _ = two_reports
    at = _open(world, main)
    p = f"d{main.id}_"
    at.radio(key=once_key(at, p, "notify")).set_value("yes")
    at.radio(key=once_key(at, p, "inform")).set_value("yes")
    at.text_area(key=once_key(at, p, "motivation")).input("Volgens advies.")
    at.text_input(key=once_key(at, p, "consulted")).input("leidinggevende, CISO")
    button(at, "Besluit vastleggen").click().run()
    assert "Het besluit is vastgelegd." in successes(at)
    assert rows(db_path, "SELECT consulted FROM decisions") == [{"consulted": "leidinggevende, CISO"}]
    assert "Geraadpleegd: leidinggevende, CISO" in [t.value for t in at.text]


def _decide_duplicate(at, incident_id: int, reference: str) -> None:
    p = f"d{incident_id}_"
    at.radio(key=p + "breach").set_value("no").run()
    at.selectbox(key=once_key(at, p, "reason")).set_value("duplicate")
    at.text_input(key=once_key(at, p, "duplicate_of")).input(reference)
    at.text_area(key=once_key(at, p, "motivation")).input("Dezelfde e-mail, gemeld door een collega.")
    button(at, "Besluit vastleggen").click().run()
    assert not at.exception, at.exception


def test_a_duplicate_names_the_main_incident_and_is_shown_as_a_duplicate(world, two_reports, db_path):
    main, copy = two_reports
    at = _open(world, copy)
    _decide_duplicate(at, copy.id, main.reference)
    assert rows(db_path, "SELECT lawful_basis, duplicate_of FROM decisions") == [
        {"lawful_basis": "duplicate", "duplicate_of": main.id}
    ]
    at.multiselect(key="q_status").set_value(["merged"]).run()  # merged: left the open queue
    at.selectbox(key="q_choice").set_value(copy.id).run()
    shown = " ".join(s.value for s in at.success)
    assert f"Besluit: dubbele melding van {main.reference}." in shown
    assert "geen datalek" not in shown.lower()


def test_a_wrong_main_incident_is_refused_next_to_its_field(world, two_reports, db_path):
    _, copy = two_reports
    at = _open(world, copy)
    p = f"d{copy.id}_"
    key = once_key(at, p, "duplicate_of")
    _decide_duplicate(at, copy.id, "DL-2099-0042")
    assert error_after(at, key) == (
        "Er is geen melding met dit kenmerk in je organisatie. Vul het kenmerk in zoals DL-2026-0001."
    )
    assert rows(db_path, "SELECT count(*) AS n FROM decisions") == [{"n": 0}]
