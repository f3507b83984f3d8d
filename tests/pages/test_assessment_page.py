"""The FG opens an incident from the queue, saves the facts, sees the advice and decides;
a decision that deviates from the advice without its own motivation is refused."""

from __future__ import annotations

import pytest

import navigation
from datalek import clock
from datalek.handling import incidents
from tests.conftest import make_report
from tests.pages.conftest import button, errors, once_key, open_db, rows, signed_in, successes

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
    assert at.multiselect(key=p + "data_categories").value == ["basic", "contact", "care_file"]
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
    assert "De feiten (beoordeling) zijn nog niet vastgelegd." in markdown
