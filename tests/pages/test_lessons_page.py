"""Afronden asks what the organisation learned (#17): without a theme, the lesson and the
preventive measure (or why none) the incident stays open, with a Dutch message under each
field; with them it closes, and the closed incident shows its lesson. On the register page the
FG writes the year's narrative and her summaries per theme for the board."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import assessment, decisions, incidents, lifecycle, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import complete_actions, make_report
from tests.pages.conftest import button, error_after, errors, once_key, open_db, rows, signed_in, successes
from tests.test_lessons import a_lesson

LEARNED = "Voortaan controleert een collega het adres <b>voor</b> het versturen."


@pytest.fixture
def complete(world, db_path):
    """A breach decided as the advice says, with everything the register needs to close it
    (one preventive measure among it)."""
    now = clock.now()
    db = open_db(db_path)
    try:
        incident = incidents.submit_report(
            db,
            world["reporter"],
            make_report(
                world.org.id,
                now=now,
                discovered_at=now - timedelta(hours=20),
                occurred_from=now - timedelta(hours=21),
            ),
        )
        facts = prefill.facts_from_report(incident, world.org)
        saved = assessment.save(db, world["dpo"], incident.id, facts, "Een ouder las het.", "Teruggehaald.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True,
                notify_authority=saved.advice.notify_authority,
                inform=Inform.YES if saved.advice.inform_subjects else Inform.NO,
                motivation="Volgens advies.",
            ),
        )
        complete_actions(db, world["dpo"], incident.id)
    finally:
        db.close()
    return incident


def closing(world, incident):
    """The incident open on Afhandelen, sub-tab Afronden."""
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.session_state[f"q_tab_{incident.id}"] = "Afhandelen"
    at.session_state[f"q_follow_{incident.id}"] = "Afronden"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def _status(db_path, incident) -> str:
    return rows(db_path, "SELECT status FROM incidents WHERE id = ?", [incident.id])[0]["status"]


def _fill(at, p: str, prevention: str) -> None:
    at.selectbox(key=once_key(at, p, "theme")).set_value("email")
    at.text_area(key=once_key(at, p, "learned")).set_value(LEARNED)
    at.radio(key=once_key(at, p, "prevention")).set_value(prevention)


def test_closing_without_the_lesson_is_refused_with_a_message_under_each_field(world, complete, db_path):
    at = closing(world, complete)
    p = f"close_{complete.id}_"
    assert "Het dossier is compleet." in [m.value for m in at.markdown]
    button(at, "Afronden").click().run()
    assert error_after(at, once_key(at, p, "theme")) == "Kies het thema waar de les over gaat."
    assert error_after(at, once_key(at, p, "learned")) == "Schrijf op wat de organisatie hiervan leert."
    assert error_after(at, once_key(at, p, "prevention")) == "Kies of er een preventieve maatregel volgt."
    assert _status(db_path, complete) == "decided"
    at.text_area(key=once_key(at, p, "learned")).set_value(LEARNED)
    at.radio(key=once_key(at, p, "prevention")).set_value("none")
    button(at, "Afronden").click().run()
    assert error_after(at, once_key(at, p, "reason")) == "Schrijf waarom er geen preventieve maatregel volgt."
    assert at.text_area(key=once_key(at, p, "learned")).value == LEARNED  # what was typed stays
    assert rows(db_path, "SELECT * FROM lessons") == []


def test_closing_with_a_measure_of_the_incident_records_the_lesson_and_shows_it(world, complete, db_path):
    at = closing(world, complete)
    p = f"close_{complete.id}_"
    (measure,) = rows(db_path, "SELECT id FROM measures WHERE kind = 'preventive'")
    _fill(at, p, "measure")
    at.selectbox(key=once_key(at, p, "measure")).set_value(measure["id"])
    button(at, "Afronden").click().run()
    assert not at.exception, at.exception
    assert "Afgerond. Wat de organisatie leert, is vastgelegd." in successes(at)
    assert _status(db_path, complete) == "closed"
    (lesson,) = rows(db_path, "SELECT theme, learned, prevention, measure_id FROM lessons")
    assert lesson == {
        "theme": "email",
        "learned": LEARNED,
        "prevention": "measure",
        "measure_id": measure["id"],
    }
    at.multiselect(key="q_status").set_value(["closed"]).run()  # closed: no longer in the open list
    at.selectbox(key="q_choice").set_value(complete.id).run()
    assert LEARNED in [t.value for t in at.text]  # as typed: never as Markdown or HTML
    assert any("thema: E-mail en adressering" in m.value for m in at.markdown)


def test_closing_with_a_new_preventive_measure_adds_it(world, complete, db_path):
    at = closing(world, complete)
    p = f"close_{complete.id}_"
    _fill(at, p, "new")
    button(at, "Afronden").click().run()
    assert error_after(at, once_key(at, p, "new_description")) == "Beschrijf de maatregel."
    assert _status(db_path, complete) == "decided"
    at.text_area(key=once_key(at, p, "new_description")).set_value("Tweede controle op adressen.")
    at.text_input(key=once_key(at, p, "new_owner")).set_value("Teamleider")
    at.date_input(key=once_key(at, p, "new_due")).set_value(clock.today() + timedelta(days=30))
    button(at, "Afronden").click().run()
    assert "Afgerond. Wat de organisatie leert, is vastgelegd." in successes(at)
    new = rows(db_path, "SELECT id, kind FROM measures WHERE description = 'Tweede controle op adressen.'")
    assert [m["kind"] for m in new] == ["preventive"]
    (lesson,) = rows(db_path, "SELECT prevention, measure_id FROM lessons")
    assert lesson == {"prevention": "measure", "measure_id": new[0]["id"]}
    assert _status(db_path, complete) == "closed"


def test_the_fg_writes_the_narrative_and_the_theme_summaries_on_the_register_page(world, complete, db_path):
    db = open_db(db_path)
    try:
        lifecycle.close(db, world["dpo"], complete.id, a_lesson())
    finally:
        db.close()
    at = signed_in(world["dpo"], navigation.REGISTER)
    year = clock.today().year
    n, t = f"nar_{world.org.id}_{year}_", f"thm_{world.org.id}_{year}_"
    assert any("Verantwoording" in s.value for s in at.subheader)
    assert a_lesson().learned in [x.value for x in at.text]  # the FG reads the lessons she sums up
    button(at, "Toelichting opslaan").click().run()
    assert "Er is niets veranderd." in errors(at)
    assert rows(db_path, "SELECT * FROM year_narratives") == []
    at.text_area(key=once_key(at, n, "text")).set_value("Het bestuur let op **e-mail**.")
    button(at, "Toelichting opslaan").click().run()
    assert "De toelichting is opgeslagen." in successes(at)
    assert rows(db_path, "SELECT text FROM year_narratives") == [{"text": "Het bestuur let op **e-mail**."}]
    at.checkbox(key=once_key(at, t, "show_email")).check()
    button(at, "Samenvattingen opslaan").click().run()
    assert (
        error_after(at, once_key(at, t, "summary_email"))
        == "Schrijf een samenvatting, of laat het thema weg."
    )
    at.text_area(key=once_key(at, t, "summary_email")).set_value("Adressen dubbel gecontroleerd.")
    button(at, "Samenvattingen opslaan").click().run()
    assert "De samenvattingen zijn opgeslagen." in successes(at)
    assert rows(db_path, "SELECT theme, summary FROM theme_summaries") == [
        {"theme": "email", "summary": "Adressen dubbel gecontroleerd."}
    ]
    assert at.text_area(key=once_key(at, t, "summary_email")).value == "Adressen dubbel gecontroleerd."
