"""The FG opens an incident from the queue, saves the facts, sees the advice and decides;
a decision that deviates from the advice without its own motivation is refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import incidents
from tests.conftest import make_report
from tests.pages.conftest import button, error_after, errors, once_key, open_db, rows, signed_in, successes
from ui.forms import md_escape

PAGE = navigation.QUEUE


@pytest.fixture
def opened(world, db_path):
    db = open_db(db_path)
    try:
        report = make_report(
            world.org.id,
            now=clock.now(),
            data_kinds=["name_address", "care_file"],
            subject_groups=["children"],
        )
        incident = incidents.submit_report(db, world["reporter"], report)
    finally:
        db.close()
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception
    return at, incident


def _save_facts(at, incident_id):
    p = f"f{incident_id}_"
    at.text_area(key=p + "effects").input("Een ouder kan het dossier van een ander kind lezen.")
    at.text_area(key=p + "remedial_action").input("Ontvanger gevraagd de e-mail te verwijderen.")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    assert not at.exception


def test_the_facts_are_prefilled_from_the_report(opened):
    at, incident = opened
    p = f"f{incident.id}_"
    # "Naam en adres" is reported as such: not also a date of birth, a gender, phone and e-mail.
    assert at.multiselect(key=p + "data_categories").value == ["name_address", "care_file"]
    assert at.multiselect(key=p + "groups").value == ["minors"]
    assert at.selectbox(key=p + "incident_type").value == "sent_by_mistake"


def test_saving_the_facts_gives_an_advice_with_reasons(opened, db_path):
    at, incident = opened
    _save_facts(at, incident.id)
    assert "De feiten zijn opgeslagen en het advies is bijgewerkt." in successes(at)
    stored = rows(db_path, "SELECT version, notify_authority FROM assessments")
    assert stored == [{"version": 1, "notify_authority": 1}]
    markdown = " ".join(m.value for m in at.markdown)
    assert "art. 33 lid 1 AVG" in markdown and "Melden bij de AP: ja" in markdown
    assert rows(db_path, "SELECT status FROM incidents")[0]["status"] == "in_progress"


def test_a_deviating_decision_needs_its_own_motivation(opened, db_path):
    at, incident = opened
    _save_facts(at, incident.id)
    p = f"d{incident.id}_"
    at.radio(key=once_key(at, p, "notify")).set_value("no")
    at.radio(key=once_key(at, p, "inform")).set_value("no")
    at.text_area(key=once_key(at, p, "motivation")).input("Volgens mij valt het mee.")
    button(at, "Besluit vastleggen").click().run()
    assert any("wijkt af van het advies" in e for e in errors(at))
    assert rows(db_path, "SELECT count(*) AS n FROM decisions")[0]["n"] == 0
    assert at.text_area(key=once_key(at, p, "motivation")).value == "Volgens mij valt het mee."  # input kept
    at.text_area(key=once_key(at, p, "deviation")).input("De ontvanger is de pleegouder met gezag.")
    button(at, "Besluit vastleggen").click().run()
    assert "Het besluit is vastgelegd." in successes(at)
    decision = rows(db_path, "SELECT deviates, notify_authority, advice FROM decisions")[0]
    assert decision["deviates"] == 1 and decision["notify_authority"] == 0
    assert '"notify_authority":true' in decision["advice"]  # the advice as it was is kept


def test_closing_lists_what_the_register_still_needs(opened):
    at, incident = opened
    markdown = " ".join(m.value for m in at.markdown)
    # each gap is escaped Markdown (a family's label in a gap is the FG's own text)
    assert r"De feiten \(beoordeling\) zijn nog niet vastgelegd\." in markdown


# --- the moment of awareness and the timeline in the facts form ---------------------------------


def test_moving_the_awareness_needs_a_reason_and_shows_the_change(opened, db_path):
    at, incident = opened
    p = f"f{incident.id}_"
    moved = (incident.aware_at + timedelta(hours=1)).astimezone(clock.AMSTERDAM).time().replace(second=0)
    at.time_input(key=p + "aware_time").set_value(moved)
    at.text_input(key=p + "aware_source").input("Leverancier zaaksysteem")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    reason_key = once_key(at, p + "save_", "aware_reason")
    assert "72 uur" in error_after(at, reason_key)
    assert at.time_input(key=p + "aware_time").value == moved  # nothing typed is lost
    assert at.text_input(key=p + "aware_source").value == "Leverancier zaaksysteem"
    assert rows(db_path, "SELECT count(*) AS n FROM assessments")[0]["n"] == 0
    at.text_area(key=reason_key).input("Het team hoorde het een uur later.")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    assert "De feiten zijn opgeslagen en het advies is bijgewerkt." in successes(at)
    (change, source) = rows(db_path, "SELECT field, reason FROM incident_changes ORDER BY id")
    assert change == {"field": "aware_at", "reason": "Het team hoorde het een uur later."}
    assert source["field"] == "aware_source"
    shown = " ".join(t.value for t in at.text)
    assert "Moment van bewustwording: " in shown and "Reden: Het team hoorde het een uur later." in shown


def test_a_clash_in_the_timeline_names_both_moments(opened, db_path):
    at, incident = opened
    p = f"f{incident.id}_"
    found = incident.discovered_at.astimezone(clock.AMSTERDAM)
    at.date_input(key=p + "aware_date").set_value(found.date() - timedelta(days=1))
    at.text_area(key=once_key(at, p + "save_", "aware_reason")).input("Eerder gehoord.")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    message = error_after(at, p + "aware_time")
    assert message.startswith("De organisatie wist het (") and "vóór het lek ontdekt werd (" in message
    assert clock.format_local(incident.discovered_at) in message
    assert rows(db_path, "SELECT count(*) AS n FROM incident_changes")[0]["n"] == 0


def test_the_fg_answers_the_ap_forms_own_questions(opened, db_path):
    at, incident = opened
    p = f"f{incident.id}_"
    assert at.selectbox(key=p + "other_organisation").value == "tbd"  # an honest unknown first
    at.selectbox(key=p + "other_organisation").set_value("processor")
    at.text_input(key=p + "other_organisation_name").input("Zorgmail B.V.")
    at.multiselect(key=p + "security_measures").set_value(["encryption", "training"])
    at.selectbox(key=p + "cross_border").set_value("no")
    at.selectbox(key=p + "severity").set_value("moderate")  # her own view: without a reason ...
    _save_facts(at, incident.id)
    assert "Geef een reden: je wijkt af van de gevolgen die uit de beoordeling volgen." in errors(at)
    assert rows(db_path, "SELECT COUNT(*) AS n FROM assessments") == [{"n": 0}]
    assert at.text_input(key=p + "other_organisation_name").value == "Zorgmail B.V."  # nothing lost
    at.text_area(key=p + "consequences_reason").input("De ontvanger is een hulpverlener.")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    stored = rows(db_path, "SELECT facts FROM assessments")
    assert len(stored) == 1
    facts = json.loads(stored[0]["facts"])
    assert facts["other_organisation"] == "processor" and facts["other_organisation_name"] == "Zorgmail B.V."
    assert facts["security_measures"] == ["encryption", "training"] and facts["cross_border"] == "no"
    assert (
        facts["severity"] == "moderate"
        and facts["consequences_reason"] == "De ontvanger is een hulpverlener."
    )


def test_the_fg_adjusts_the_context_score_only_with_a_reason_and_sees_it_in_the_advice(opened, db_path):
    """Issue #19 principle 4 (ENISA 2013 §2): the adjustment is refused next to its reason field
    without one, nothing typed is lost, and once saved the advice says what the FG changed."""
    at, incident = opened
    p = f"f{incident.id}_"
    assert at.selectbox(key=p + "context_adjustment").value == 0
    at.selectbox(key=p + "context_adjustment").set_value(-2)
    at.selectbox(key=p + "availability_effect").set_value("none")
    _save_facts(at, incident.id)
    assert (
        error_after(at, p + "context_reason")
        == "Geef een reden: je past de score voor de soort gegevens aan."
    )
    assert rows(db_path, "SELECT COUNT(*) AS n FROM assessments") == [{"n": 0}]
    assert at.selectbox(key=p + "context_adjustment").value == -2  # nothing typed is lost
    at.text_area(key=p + "context_reason").input("Alleen een dieetwens; zegt niets over de zorg.")
    button(at, "Feiten opslaan en advies berekenen").click().run()
    assert not at.exception
    stored = json.loads(rows(db_path, "SELECT facts FROM assessments")[0]["facts"])
    assert (stored["context_adjustment"], stored["availability_effect"]) == (-2, "none")
    shown = [i.value for i in at.info]
    assert any(
        s.startswith(
            "Aangepast door de FG: "
            + md_escape("De FG heeft de score voor de soort gegevens verlaagd van 4 naar 2.")
        )
        for s in shown
    ), shown


def test_the_fg_judges_identification_only_with_a_reason(opened, db_path):
    at, incident = opened
    p = f"f{incident.id}_"
    at.selectbox(key=p + "identification").set_value("0.25")
    _save_facts(at, incident.id)
    assert error_after(at, p + "identification_reason") == (
        "Geef een reden: je beoordeelt zelf hoe herkenbaar de personen zijn."
    )
    assert rows(db_path, "SELECT COUNT(*) AS n FROM assessments") == [{"n": 0}]


def test_the_fgs_own_words_in_the_advice_are_shown_as_typed(opened, db_path):
    """A reason is the FG's free text: the advice shows it literally, never as Markdown (a link or
    an image in it would otherwise be drawn)."""
    at, incident = opened
    p = f"f{incident.id}_"
    typed = "**Vet** [klik](https://example.invalid) ![x](https://example.invalid/x.png)"
    at.selectbox(key=p + "context_adjustment").set_value(-2)
    at.selectbox(key=p + "availability_effect").set_value("none")
    at.text_area(key=p + "context_reason").input(typed)
    _save_facts(at, incident.id)
    assert not at.exception
    shown = [e.value for e in [*at.info, *at.markdown] if "Vet" in e.value]
    assert shown and all(md_escape(typed) in s for s in shown), shown
