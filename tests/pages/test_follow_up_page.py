"""Afhandelen: the FG notifies the AP from the concept, informs the parents after the safety
check, records a measure and closes the incident — with Dutch messages for bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.triage.facts import DataCategory
from tests.conftest import make_report
from tests.pages.conftest import (
    button,
    count_rows,
    download_links,
    error_after,
    fetch,
    once_key,
    open_db,
    rows,
    signed_in,
    state_get,
    successes,
)
from tests.test_lessons import LEARNED

PAGE = navigation.QUEUE


@pytest.fixture
def decided(world, db_path):
    """A report discovered 20 h ago, assessed and decided as the advice says (notify, inform)."""
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
                description="<script>alert(1)</script> fout",
            ),
        )
        saved = assessment.save(
            db,
            world["dpo"],
            incident.id,
            prefill.facts_from_report(incident, world.org),
            "Ouders van een ander kind lazen het verslag.",
            "Mail teruggehaald.",
        )
        assert saved.advice.notify_authority and saved.advice.inform_subjects
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Volgens advies."
            ),
        )
    finally:
        db.close()
    return incident


def opened(world, incident):
    """The incident open on tab Afhandelen, sub-tab AP-melding (the other sub-tabs are drawn
    too; the AP concept only when its tab is open, because making it is audited)."""
    at = signed_in(world["dpo"], PAGE)
    at.session_state[f"q_tab_{incident.id}"] = "Afhandelen"
    at.session_state[f"q_follow_{incident.id}"] = "AP-melding"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def answer_areas(at) -> list[str]:
    """The concept's answers: each in a text area labelled with the AP form's question."""
    return [t.value for t in at.text_area if t.key and "_draft_" in t.key]


def test_the_concept_answers_each_question_in_its_own_copyable_block(world, decided):
    at = opened(world, decided)
    blocks = answer_areas(at)
    assert "Algemene verordening gegevensbescherming (AVG)" in blocks
    assert decided.reference in blocks
    assert "Onbekend — nog aanvullen" in blocks  # e.g. the security measures in place
    assert any("<script>alert(1)</script>" in b for b in blocks)  # literal text, in a text area
    assert list(at.code) == []  # st.code's copy button says "Copy to clipboard" (English)
    p = f"ap{decided.id}_"
    button(at, "Maak download (Markdown)").click().run()
    made = fetch(download_links(at)["Download als Markdown"])
    assert made.file_name == f"concept-ap-melding-{decided.reference}.md"
    assert decided.reference in made.data.decode()
    assert f"{p}md_offer" in at.session_state


def test_recording_the_ap_notification_needs_the_reference(world, decided, db_path):
    at = opened(world, decided)
    p = f"ap{decided.id}_initial_"
    button(at, "Melding vastleggen").click().run()
    assert "meldnummer van de AP" in error_after(at, once_key(at, p, "reference"))
    assert rows(db_path, "SELECT * FROM authority_notifications") == []
    at.text_input(key=once_key(at, p, "reference")).set_value("M-2026-123456")
    button(at, "Melding vastleggen").click().run()
    assert "De melding bij de AP is vastgelegd." in successes(at)
    (saved,) = rows(db_path, "SELECT kind, ap_reference, late_reason FROM authority_notifications")
    assert saved == {"kind": "initial", "ap_reference": "M-2026-123456", "late_reason": ""}
    assert button(at, "Aanvulling vastleggen")  # the next step is a supplement


def test_parents_of_an_eleven_year_old_get_a_letter_after_the_safety_check(world, decided, db_path):
    at = opened(world, decided)
    p = f"inf{decided.id}_"
    at.number_input(key=p + "age").set_value(11).run()
    assert any("ouders of voogd met gezag" in i.value for i in at.info)
    assert not any(b.key == p + "parents_make" for b in at.button)  # no letter before the check
    s = p + "parents_safety_"
    at.radio(key=once_key(at, s, "risk")).set_value("yes")
    [b for b in at.button if b.label == "Veiligheidscheck vastleggen"][1].click().run()
    assert "Leg uit waarom" in error_after(at, once_key(at, s, "reason"))
    at.radio(key=once_key(at, s, "risk")).set_value("no")
    [b for b in at.button if b.label == "Veiligheidscheck vastleggen"][1].click().run()
    assert "De veiligheidscheck is vastgelegd." in successes(at)
    at.button(key=p + "parents_make").click().run()
    letter = state_get(at, p + "parents_letter")
    assert letter is not None and "Beste ouder of verzorger," in letter[1]
    assert "<script>" not in letter[1]  # the reporter's description is never copied in
    assert any("Beste ouder of verzorger," in t.value for t in at.text)


def _fill_measure(at, p: str, owner: str | None = "Teamleider Jeugd") -> None:
    at.radio(key=once_key(at, p, "kind")).set_value("preventive")
    at.text_area(key=once_key(at, p, "description")).set_value("Adrescontrole in het sjabloon.")
    if owner:
        at.text_input(key=once_key(at, p, "owner")).set_value(owner)
    at.date_input(key=once_key(at, p, "due")).set_value(clock.now().date() + timedelta(days=30))


def test_a_measure_keeps_the_input_when_the_owner_is_missing(world, decided, db_path):
    at = opened(world, decided)
    p = f"ms{decided.id}_add_"
    _fill_measure(at, p, owner=None)
    button(at, "Maatregel toevoegen").click().run()
    assert "wie de maatregel uitvoert" in error_after(at, once_key(at, p, "owner"))
    assert at.text_area(key=once_key(at, p, "description")).value == "Adrescontrole in het sjabloon."
    assert rows(db_path, "SELECT * FROM measures") == []
    at.text_input(key=once_key(at, p, "owner")).set_value("Teamleider Jeugd")
    button(at, "Maatregel toevoegen").click().run()
    assert "De maatregel is toegevoegd." in successes(at)
    (saved,) = rows(db_path, "SELECT kind, owner, status FROM measures")
    assert saved == {"kind": "preventive", "owner": "Teamleider Jeugd", "status": "planned"}
    assert at.text_area(key=once_key(at, p, "description")).value == ""  # drawn empty for the next one


def test_a_measure_submitted_twice_is_recorded_once(world, decided, db_path, fixed_submission_key):
    at = opened(world, decided)
    p = f"ms{decided.id}_add_"
    for _ in range(2):
        _fill_measure(at, p)
        button(at, "Maatregel toevoegen").click().run()
    assert count_rows(db_path, "measures") == 1
    assert "Dit was al vastgelegd. Er is niets dubbel opgeslagen." in [i.value for i in at.info]


def test_closing_lists_what_is_missing_until_the_file_is_complete(world, decided, db_path):
    at = opened(world, decided)
    markdown = " ".join(m.value for m in at.markdown)
    assert "De melding bij de AP is nog niet vastgelegd" in markdown
    assert not [b for b in at.button if b.label == "Afronden"]


def test_a_postponement_needs_its_review_date_and_returns_in_the_queue(world, decided, db_path):
    at = opened(world, decided)
    p = f"inf{decided.id}_parents_"
    s = p + "safety_"
    at.radio(key=once_key(at, s, "risk")).set_value("yes")
    at.text_area(key=once_key(at, s, "reason")).set_value("Melding bij Veilig Thuis loopt.")
    [b for b in at.button if b.label == "Veiligheidscheck vastleggen"][1].click().run()
    assert "Kies een datum na vandaag" in error_after(at, once_key(at, s, "review"))
    assert at.text_area(key=once_key(at, s, "reason")).value == "Melding bij Veilig Thuis loopt."
    review = clock.now().astimezone(clock.AMSTERDAM).date() + timedelta(days=1)
    at.date_input(key=once_key(at, s, "review")).set_value(review)
    [b for b in at.button if b.label == "Veiligheidscheck vastleggen"][1].click().run()
    assert "De veiligheidscheck is vastgelegd." in successes(at)
    assert not any(b.key == p + "make" for b in at.button)  # never a letter to a flagged group
    assert any("Uitgesteld vanwege de veiligheid" in w.value for w in at.warning)
    db = open_db(db_path)  # on the review date the incident is back at the top of the queue
    try:
        db.execute("UPDATE safety_checks SET review_on = ?", [(review - timedelta(days=1)).isoformat()])
        db.conn.commit()
    finally:
        db.close()
    at = signed_in(world["dpo"], PAGE)
    assert any(decided.reference in w.value and "opnieuw bekijken" in w.value for w in at.warning)


def test_the_complete_file_can_be_closed(world, decided, db_path):
    from tests.conftest import complete_actions

    db = open_db(db_path)
    try:
        complete_actions(db, world["dpo"], decided.id)
    finally:
        db.close()
    at = opened(world, decided)
    assert "Het dossier is compleet." in [m.value for m in at.markdown]
    # closing asks what the organisation learned (issue #17): without it, a message per field
    p = f"close_{decided.id}_"
    button(at, "Afronden").click().run()
    assert error_after(at, once_key(at, p, "theme")) == "Kies het thema waar de les over gaat."
    assert error_after(at, once_key(at, p, "learned")) == "Schrijf op wat de organisatie hiervan leert."
    assert error_after(at, once_key(at, p, "prevention")) == "Kies of er een preventieve maatregel volgt."
    (row,) = rows(db_path, "SELECT status, closed_at FROM incidents WHERE id = ?", [decided.id])
    assert row == {"status": "decided", "closed_at": None}
    assert rows(db_path, "SELECT * FROM lessons") == []
    (measure,) = rows(db_path, "SELECT id FROM measures WHERE kind = 'preventive'")
    at.selectbox(key=once_key(at, p, "theme")).set_value("email")
    at.text_area(key=once_key(at, p, "learned")).set_value(LEARNED)
    at.radio(key=once_key(at, p, "prevention")).set_value("measure")
    at.selectbox(key=once_key(at, p, "measure")).set_value(measure["id"])
    button(at, "Afronden").click().run()
    assert not at.exception, at.exception
    assert "Afgerond. Wat de organisatie leert, is vastgelegd." in successes(at)
    (row,) = rows(db_path, "SELECT status, closed_at FROM incidents WHERE id = ?", [decided.id])
    assert row["status"] == "closed" and row["closed_at"]
    (lesson,) = rows(db_path, "SELECT incident_id, theme, learned, prevention, measure_id FROM lessons")
    assert lesson == {
        "incident_id": decided.id,
        "theme": "email",
        "learned": LEARNED,
        "prevention": "measure",
        "measure_id": measure["id"],
    }


def test_after_the_notification_the_concept_is_a_supplement_with_only_the_changes(world, decided, db_path):
    from datalek.actions import authority

    db = open_db(db_path)
    try:
        authority.record_initial(db, world["dpo"], decided.id, "M-1234567", clock.now() - timedelta(hours=1))
    finally:
        db.close()
    at = opened(world, decided)
    assert any("Concept aanvulling" in m.value for m in at.subheader)
    p = f"ap{decided.id}_supplement_"
    button(at, "Aanvulling vastleggen").click().run()
    assert "Schrijf kort wat er is veranderd" in error_after(at, once_key(at, p, "note"))
    at.text_area(key=once_key(at, p, "note")).set_value("Aantal betrokkenen bekend.")
    button(at, "Aanvulling vastleggen").click().run()
    assert "De aanvulling is vastgelegd." in successes(at)
    kinds = [r["kind"] for r in rows(db_path, "SELECT kind FROM authority_notifications ORDER BY id")]
    assert kinds == ["initial", "supplement"]


def test_recording_who_was_informed_empties_the_form_so_it_is_not_saved_twice(world, decided, db_path):
    db = open_db(db_path)
    try:
        from datalek.actions import informing
        from datalek.actions.addressees import Addressee

        informing.record_safety_check(db, world["dpo"], decided.id, Addressee.PARENTS, False)
    finally:
        db.close()
    at = opened(world, decided)
    p = f"inf{decided.id}_parents_notice_"
    at.number_input(key=once_key(at, p, "count")).set_value(2)
    at.date_input(key=once_key(at, p, "on")).set_value(clock.now().astimezone(clock.AMSTERDAM).date())
    at.selectbox(key=once_key(at, p, "channel")).set_value("letter")
    [b for b in at.button if b.label == "Informeren vastleggen"][0].click().run()
    assert "Vastgelegd wie er zijn geïnformeerd." in successes(at)
    assert at.number_input(key=once_key(at, p, "count")).value is None
    [b for b in at.button if b.label == "Informeren vastleggen"][0].click().run()  # a second click
    assert len(rows(db_path, "SELECT * FROM subject_notices")) == 1
    assert "minstens 1" in error_after(at, once_key(at, p, "count"))


def test_the_repeat_warning_stays_until_a_preventive_measure_is_planned(world, decided, db_path):
    from datalek.actions import measures

    db = open_db(db_path)
    try:
        db.execute("UPDATE incidents SET repeat_of = id WHERE id = ?", [decided.id])
        db.conn.commit()
        at = opened(world, decided)
        assert any(w.value.startswith("Herhaling") for w in at.warning)
        measures.add(
            db,
            world["dpo"],
            decided.id,
            measures.MeasureInput(
                kind=measures.MeasureKind.PREVENTIVE,
                description="Dubbele controle.",
                owner="Team",
                due_on=clock.now().date() + timedelta(days=30),
            ),
        )
    finally:
        db.close()
    at = opened(world, decided)
    assert not any(w.value.startswith("Herhaling") for w in at.warning)


def test_the_concept_is_made_and_audited_only_when_its_tab_is_open(world, decided, db_path):
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(decided.id).run()  # opens on tab "Melding"
    assert not at.code
    assert rows(db_path, "SELECT * FROM audit_log WHERE action = 'authority.concept'") == []
    opened(world, decided)
    assert len(rows(db_path, "SELECT * FROM audit_log WHERE action = 'authority.concept'")) == 1


def test_kinds_of_data_in_the_old_division_are_flagged_before_notifying(world, decided, db_path):
    """An assessment saved before 0.5.0 holds the coarse kinds ("Contactgegevens (adres,
    telefoon, e-mail)"): the concept says them as recorded, and the FG is asked to refine them."""
    db = open_db(db_path)
    try:
        latest = assessment.current(db, world["dpo"], decided.id)
        old = latest.facts.model_copy(update={"data_categories": [DataCategory.BASIC, DataCategory.CONTACT]})
        assessment.save(db, world["dpo"], decided.id, old, latest.effects, latest.remedial_action)
    finally:
        db.close()
    at = opened(world, decided)
    assert any("oude indeling" in w.value for w in at.warning), [w.value for w in at.warning]
    assert "Contactgegevens (adres, telefoon, e-mail)" in " ".join(answer_areas(at))
    db = open_db(db_path)  # refined: no warning
    try:
        latest = assessment.current(db, world["dpo"], decided.id)
        assessment.save(
            db,
            world["dpo"],
            decided.id,
            latest.facts.model_copy(update={"data_categories": [DataCategory.NAME_ADDRESS]}),
            latest.effects,
            latest.remedial_action,
        )
    finally:
        db.close()
    fine = opened(world, decided)
    assert not any("oude indeling" in w.value for w in fine.warning)
