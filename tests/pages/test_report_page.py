"""Datalek melden: the adaptive questions, validation, the PII review step, the confirmation
and a failed save."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

import navigation
from datalek import clock, deadlines, store
from datalek.accounts.users import create_user
from datalek.intake import guidance
from datalek.intake.report import applicable
from datalek.intake.situations import Situation
from datalek.models import Actor, Role
from tests.conftest import PASSWORD
from tests.pages.conftest import (
    button,
    choose_situation,
    count_rows,
    error_after,
    errors,
    fill_valid_report,
    has_key,
    open_db,
    past_local,
    rows,
    signed_in,
    state_get,
    submit_report_form,
    successes,
    switch_to,
    titles,
)

REPORT = navigation.REPORT
BSN = "111222333"  # passes the 11-proef
REVIEW = "In je tekst staan gegevens waarmee iemand te herkennen is."
FAILED = "Je melding is NIET opgeslagen."
# Friday 20 November 2026, 11:00 in the Netherlands
NOON_ISH = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def reporter_page(world):
    at = signed_in(world["reporter"], REPORT)
    assert titles(at) == ["Datalek melden"]
    return at


@pytest.fixture
def frozen_clock(monkeypatch):
    """A fixed 'now' for everything that reads ``clock.now()`` (page, session, domain)."""
    monkeypatch.setattr(clock, "now", lambda: NOON_ISH)
    return NOON_ISH


def incidents_in(db_path) -> list[dict]:
    return rows(db_path, "select * from incidents order by id")


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def markdown_text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


# --- the adaptive questions ---------------------------------------------------------------


def test_letter_wrong_address_does_not_ask_about_protection(reporter_page):
    at = choose_situation(reporter_page, "letter_wrong_address")
    assert not has_key(at, "radio", "r_protection")
    assert has_key(at, "multiselect", "r_recipients")


def test_email_wrong_person_asks_about_protection(reporter_page):
    at = choose_situation(reporter_page, "email_wrong_person")
    assert has_key(at, "radio", "r_protection")
    assert has_key(at, "multiselect", "r_recipients")
    assert has_key(at, "radio", "r_retrieval")


def test_lost_device_has_no_recipients_question(reporter_page):
    at = choose_situation(reporter_page, "device_lost")
    assert not has_key(at, "multiselect", "r_recipients")
    assert has_key(at, "radio", "r_protection")
    assert at.radio(key="r_retrieval").label == "Is het teruggevonden?"


def test_questions_adapt_when_the_situation_changes(reporter_page):
    at = choose_situation(reporter_page, "email_wrong_person")
    assert has_key(at, "radio", "r_protection")
    at.radio(key="r_situation").set_value("letter_wrong_address").run()
    assert not has_key(at, "radio", "r_protection")
    at.radio(key="r_situation").set_value("hack").run()
    assert has_key(at, "radio", "r_protection")
    assert not has_key(at, "multiselect", "r_recipients")
    assert not has_key(at, "radio", "r_retrieval")


@pytest.mark.parametrize("situation", [s.value for s in Situation])
def test_every_situation_asks_exactly_its_questions(reporter_page, situation):
    at = choose_situation(reporter_page, situation)
    asks = applicable(situation)
    assert has_key(at, "radio", "r_protection") == asks["protection"]
    assert has_key(at, "multiselect", "r_recipients") == asks["recipients"]
    assert has_key(at, "radio", "r_retrieval") == asks["retrieval"]
    if asks["retrieval"]:
        assert at.radio(key="r_retrieval").label == Situation(situation).info.retrieval_question


@pytest.mark.parametrize(
    ("occurrence", "from_shown", "to_shown"),
    [("moment", True, False), ("period", True, True), ("ongoing", True, False), ("unknown", False, False)],
)
def test_the_time_questions_follow_the_occurrence(reporter_page, occurrence, from_shown, to_shown):
    at = choose_situation(reporter_page, "email_wrong_person", occurrence)
    assert has_key(at, "date_input", "r_from_date") == from_shown
    assert has_key(at, "time_input", "r_from_time") == from_shown
    assert has_key(at, "date_input", "r_to_date") == to_shown
    assert has_key(at, "time_input", "r_to_time") == to_shown
    # the discovery moment is always asked, and defaults to now
    assert at.date_input(key="r_found_date").value == clock.now().astimezone(clock.AMSTERDAM).date()


# --- validation ---------------------------------------------------------------------------


def test_empty_form_shows_dutch_messages_next_to_the_fields(reporter_page, db_path):
    at = submit_report_form(reporter_page)
    assert not at.exception
    assert error_after(at, "r_situation") == "Kies wat er is gebeurd."
    assert error_after(at, "r_occurrence") == "Kies wanneer het gebeurde, of 'Weet ik niet'."
    assert error_after(at, "r_department") == "Vul je afdeling of team in."
    assert error_after(at, "r_data_kinds") == "Kies minstens één soort gegevens, of 'Weet ik niet'."
    assert error_after(at, "r_subject_groups") == "Kies over wie het gaat, of 'Weet ik niet'."
    assert error_after(at, "r_count_kind") == ("Kies of je het aantal precies weet, ongeveer, of niet.")
    assert error_after(at, "r_description") == "Beschrijf kort wat er is gebeurd."
    assert error_after(at, "r_actions") is None  # optional
    assert any("je antwoorden zijn bewaard" in w for w in warnings(at))
    assert "Beschrijf kort wat er is gebeurd." in errors(at)
    assert successes(at) == []
    assert count_rows(db_path, "incidents") == 0


def test_typed_values_survive_a_validation_error(reporter_page, db_path):
    at = reporter_page
    at.radio(key="r_situation").set_value("email_wrong_person").run()
    at.text_input(key="r_department").input("Jeugd")
    at.multiselect(key="r_data_kinds").set_value(["health"])
    at.radio(key="r_count_kind").set_value("approximate")
    at.number_input(key="r_count").set_value(12)
    at.radio(key="r_protection").set_value("password")
    at.text_area(key="r_actions").input("Ontvanger gebeld.")
    submit_report_form(at)
    assert not at.exception
    assert error_after(at, "r_description") == "Beschrijf kort wat er is gebeurd."
    assert error_after(at, "r_occurrence") == "Kies wanneer het gebeurde, of 'Weet ik niet'."
    assert error_after(at, "r_department") is None
    assert error_after(at, "r_situation") is None
    assert at.radio(key="r_situation").value == "email_wrong_person"
    assert at.text_input(key="r_department").value == "Jeugd"
    assert at.multiselect(key="r_data_kinds").value == ["health"]
    assert at.radio(key="r_count_kind").value == "approximate"
    assert at.number_input(key="r_count").value == 12
    assert at.radio(key="r_protection").value == "password"
    assert at.text_area(key="r_actions").value == "Ontvanger gebeld."
    assert count_rows(db_path, "incidents") == 0

    # another run (e.g. answering the next question) keeps them as well
    at.radio(key="r_occurrence").set_value("unknown").run()
    assert at.text_input(key="r_department").value == "Jeugd"
    assert at.text_area(key="r_actions").value == "Ontvanger gebeld."


def test_dates_and_times_survive_a_validation_error(reporter_page, db_path):
    at = fill_valid_report(reporter_page, occurrence="period", description="")
    keys = ["r_from_date", "r_from_time", "r_to_date", "r_to_time", "r_found_date", "r_found_time"]
    typed = dict(zip(keys, [*past_local(5), *past_local(3), *past_local(2)], strict=True))
    submit_report_form(at)
    assert error_after(at, "r_description") == "Beschrijf kort wat er is gebeurd."
    shown = {k: (at.date_input(key=k) if k.endswith("_date") else at.time_input(key=k)).value for k in keys}
    assert shown == typed
    # and they are what gets stored once the form is complete
    at.text_area(key="r_description").input("Verslag naar de verkeerde ouder.")
    submit_report_form(at)
    (stored,) = incidents_in(db_path)
    to_utc = lambda d, t: clock.to_iso(clock.local_to_utc(datetime.combine(d, t)))  # noqa: E731
    assert stored["occurred_from"] == to_utc(typed["r_from_date"], typed["r_from_time"])
    assert stored["occurred_to"] == to_utc(typed["r_to_date"], typed["r_to_time"])
    assert stored["discovered_at"] == to_utc(typed["r_found_date"], typed["r_found_time"])


def test_count_is_required_when_the_number_is_known(reporter_page):
    at = fill_valid_report(reporter_page)
    at.number_input(key="r_count").set_value(None)
    submit_report_form(at)
    assert error_after(at, "r_count") == "Vul het aantal mensen in."


def test_future_discovery_time_is_refused_next_to_it(frozen_clock, world, db_path):
    at = signed_in(world["reporter"], REPORT)
    fill_valid_report(at)
    today = frozen_clock.astimezone(clock.AMSTERDAM).date()
    at.date_input(key="r_found_date").set_value(today)
    at.time_input(key="r_found_time").set_value(datetime(2026, 11, 20, 14, 0).time())  # 13:00 UTC
    submit_report_form(at)
    assert not at.exception
    # the message belongs to the date-and-time pair: it follows the time input
    assert "dat ligt in de toekomst" in error_after(at, "r_found_time")
    assert at.time_input(key="r_found_time").value == datetime(2026, 11, 20, 14, 0).time()
    assert count_rows(db_path, "incidents") == 0


def test_discovery_within_five_minutes_of_now_is_accepted(frozen_clock, world, db_path):
    at = signed_in(world["reporter"], REPORT)
    fill_valid_report(at)
    at.date_input(key="r_found_date").set_value(frozen_clock.astimezone(clock.AMSTERDAM).date())
    at.time_input(key="r_found_time").set_value(datetime(2026, 11, 20, 11, 5).time())  # clock skew
    submit_report_form(at)
    assert errors(at) == []
    assert count_rows(db_path, "incidents") == 1


def test_period_end_before_its_start_is_refused(reporter_page):
    at = fill_valid_report(reporter_page, occurrence="period")
    day, moment = past_local(30)
    at.date_input(key="r_to_date").set_value(day)
    at.time_input(key="r_to_time").set_value(moment)
    submit_report_form(at)
    assert error_after(at, "r_to_time").startswith("Het lek eindigde (")
    assert error_after(at, "r_from_time") is None


def test_a_period_is_stored_with_its_start_and_end(reporter_page, db_path):
    at = fill_valid_report(reporter_page, occurrence="period")
    submit_report_form(at)
    assert errors(at) == []
    (stored,) = incidents_in(db_path)
    start, end = (clock.from_iso(stored[k]) for k in ("occurred_from", "occurred_to"))
    assert start < end <= clock.from_iso(stored["discovered_at"])
    assert json.loads(stored["report"])["occurrence"] == "period"


def test_discovered_before_it_happened_is_refused(reporter_page):
    at = fill_valid_report(reporter_page)
    day, moment = past_local(50)
    at.date_input(key="r_found_date").set_value(day)
    at.time_input(key="r_found_time").set_value(moment)
    submit_report_form(at)
    assert "vóór het lek begon (" in error_after(at, "r_found_time")


def test_answers_to_questions_that_no_longer_apply_are_not_stored(reporter_page, db_path):
    at = fill_valid_report(reporter_page, situation="email_wrong_person", description="")
    at.radio(key="r_protection").set_value("encrypted")
    submit_report_form(at)  # refused (no description), but the answers are now committed
    assert error_after(at, "r_description") == "Beschrijf kort wat er is gebeurd."
    assert at.radio(key="r_protection").value == "encrypted"
    at.radio(key="r_situation").set_value("letter_wrong_address").run()
    assert not has_key(at, "radio", "r_protection")
    at.text_area(key="r_description").input("Brief naar een oud adres.")
    submit_report_form(at)
    assert errors(at) == []
    (stored,) = incidents_in(db_path)
    assert stored["situation"] == "letter_wrong_address"
    assert json.loads(stored["report"])["protection"] is None


# --- the PII review step ------------------------------------------------------------------


def test_bsn_in_the_description_stops_for_review_before_anything_is_stored(reporter_page, db_path):
    at = fill_valid_report(reporter_page, description=f"Brief met BSN {BSN} naar oud adres.")
    submit_report_form(at)
    assert not at.exception
    assert any(w.startswith(REVIEW) and "Er is nog niets opgeslagen." in w for w in warnings(at))
    assert count_rows(db_path, "incidents") == 0
    # one choice per finding, the number itself is masked in the question
    (choice,) = at.radio
    assert choice.key == "r_pii_0"
    assert choice.value == "replace"
    assert BSN not in choice.label
    assert [b.label for b in at.main.button] == [
        "Alles vervangen en versturen",
        "Versturen met deze keuzes",
        "Terug naar het formulier",
    ]


def test_replace_all_stores_the_placeholder_not_the_number(reporter_page, db_path):
    at = fill_valid_report(reporter_page, description=f"Brief met BSN {BSN} naar oud adres.")
    submit_report_form(at)
    button(at, "Alles vervangen en versturen").click().run()
    assert not at.exception
    (stored,) = incidents_in(db_path)
    assert "[BSN]" in stored["description"]
    assert BSN not in stored["description"]
    assert stored["pii_kept"] == 0
    (message,) = successes(at)
    assert f"Het nummer van je melding is {stored['reference']}." in message
    assert stored["reference"].startswith("DL-")
    # the number is not kept in the session either
    assert BSN not in str(state_get(at, "r_description", ""))
    assert state_get(at, "r_pending") is None and state_get(at, "r_snapshot") is None


def test_keeping_the_number_on_purpose_stores_it_and_marks_the_report(reporter_page, db_path):
    at = fill_valid_report(reporter_page, description=f"Brief met BSN {BSN} naar oud adres.")
    submit_report_form(at)
    at.radio(key="r_pii_0").set_value("keep")
    button(at, "Versturen met deze keuzes").click().run()
    assert not at.exception
    (stored,) = incidents_in(db_path)
    assert BSN in stored["description"]
    assert stored["pii_kept"] == 1
    assert successes(at) and "DL-" in successes(at)[0]
    audit = rows(db_path, "select detail from audit_log where action = 'incident.create'")
    assert len(audit) == 1 and BSN not in audit[0]["detail"]


def test_choices_per_finding_across_both_text_fields(reporter_page, db_path):
    at = fill_valid_report(
        reporter_page,
        description=f"Verslag met BSN {BSN} verstuurd.",
        actions="Ontvanger gebeld op 06-12345678 en gevraagd te verwijderen.",
    )
    submit_report_form(at)
    assert [r.key for r in at.radio] == ["r_pii_0", "r_pii_1"]
    at.radio(key="r_pii_0").set_value("replace")
    at.radio(key="r_pii_1").set_value("keep")
    button(at, "Versturen met deze keuzes").click().run()
    (stored,) = incidents_in(db_path)
    assert stored["description"] == "Verslag met BSN [BSN] verstuurd."
    assert "06-12345678" in stored["actions_taken"]
    assert stored["pii_kept"] == 1


def test_back_to_the_form_keeps_every_answer(reporter_page, db_path):
    at = fill_valid_report(reporter_page, description=f"Brief met BSN {BSN}.", department="Wmo")
    submit_report_form(at)
    button(at, "Terug naar het formulier").click().run()
    assert not at.exception
    assert count_rows(db_path, "incidents") == 0
    assert at.radio(key="r_situation").value == "email_wrong_person"
    assert at.radio(key="r_occurrence").value == "moment"
    assert at.text_input(key="r_department").value == "Wmo"
    assert at.text_area(key="r_description").value == f"Brief met BSN {BSN}."
    assert at.multiselect(key="r_data_kinds").value == ["name_address", "care_file"]
    assert at.number_input(key="r_count").value == 3
    assert at.radio(key="r_protection").value == "none"
    # the user edits the number out and sends: no review step any more
    at.text_area(key="r_description").input("Brief naar een oud adres.")
    submit_report_form(at)
    (stored,) = incidents_in(db_path)
    assert stored["description"] == "Brief naar een oud adres."
    assert stored["department"] == "Wmo"


# --- the confirmation ---------------------------------------------------------------------


@pytest.mark.parametrize("situation", ["email_wrong_person", "device_lost", "verbal"])
def test_confirmation_shows_reference_deadline_and_dos(reporter_page, db_path, situation):
    at = fill_valid_report(reporter_page, situation=situation)
    submit_report_form(at)
    assert not at.exception
    (stored,) = incidents_in(db_path)
    assert successes(at) == [f"Je melding is verstuurd. Het nummer van je melding is {stored['reference']}."]
    year = clock.now().astimezone(clock.AMSTERDAM).year
    assert stored["reference"] == f"DL-{year}-0001"
    deadline = clock.format_local(deadlines.deadline(clock.from_iso(stored["aware_at"])))
    text = markdown_text(at)
    assert f"uiterlijk **{deadline}** beslissen" in text
    assert "72 uur na het moment dat het ontdekt werd" in text
    for line in guidance.for_situation(Situation(situation)):
        assert f"- {line}" in [m.value for m in at.markdown]
    assert guidance.NEXT_STEPS in text
    # the deadline is 72 hours after the discovery the employee typed
    found = clock.from_iso(stored["discovered_at"])
    assert clock.from_iso(stored["aware_at"]) == found
    assert stored["reporter_id"] == reporter_page.session_state["user_id"]
    assert stored["status"] == "reported"
    assert errors(at) == []


def test_new_report_button_starts_an_empty_form(reporter_page, db_path):
    at = fill_valid_report(reporter_page)
    submit_report_form(at)
    assert successes(at)
    button(at, "Nieuwe melding maken").click().run()
    assert not at.exception
    assert successes(at) == []
    assert at.radio(key="r_situation").value is None
    assert at.text_input(key="r_department").value == ""
    assert at.text_area(key="r_description").value == ""
    assert count_rows(db_path, "incidents") == 1


def test_a_second_report_gets_the_next_number(reporter_page, db_path):
    at = fill_valid_report(reporter_page)
    submit_report_form(at)
    button(at, "Nieuwe melding maken").click().run()
    fill_valid_report(at, situation="paper_lost")
    submit_report_form(at)
    first, second = incidents_in(db_path)
    assert int(second["reference"][-4:]) == int(first["reference"][-4:]) + 1
    assert second["reference"] in successes(at)[0]


def test_member_of_two_organisations_chooses_the_organisation(world, db_path):
    db = open_db(db_path)
    try:
        user = create_user(
            db,
            Actor.cli(),
            "Twee Petten",
            "tweepetten@test.invalid",
            Role.REPORTER,
            PASSWORD,
            [world.org.id, world.other_org.id],
        )
    finally:
        db.close()
    actor = Actor(user_id=user.id, role=Role.REPORTER, org_ids=user.org_ids)
    at = signed_in(actor, REPORT)
    fill_valid_report(at)
    assert at.selectbox(key="r_org").options == ["Gemeente Test", "Jeugdzorg Test"]
    at.selectbox(key="r_org").set_value(world.other_org.id)
    submit_report_form(at)
    assert errors(at) == []
    (stored,) = incidents_in(db_path)
    assert stored["org_id"] == world.other_org.id


# --- a failed save ------------------------------------------------------------------------


class BrokenStorage:
    """``store.write`` raises ``StorageError`` (disk full, read-only file) until repaired."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self._monkeypatch = monkeypatch
        self._original = store.write
        monkeypatch.setattr(store, "write", self._refuse)

    @staticmethod
    def _refuse(db):
        raise store.StorageError("disk I/O error")

    def repair(self) -> None:
        self._monkeypatch.setattr(store, "write", self._original)


@pytest.fixture
def broken_storage(monkeypatch):
    return BrokenStorage(monkeypatch)


def test_failed_save_says_not_saved_and_keeps_the_answers(reporter_page, db_path, broken_storage, caplog):
    at = fill_valid_report(
        reporter_page, department="Wijkteam Noord", description="Verslag naar de verkeerde ouder."
    )
    with caplog.at_level(logging.ERROR, logger="datalek.pages.report"):
        submit_report_form(at)
    assert not at.exception
    assert any(e.startswith(FAILED) for e in errors(at))
    assert successes(at) == []
    assert count_rows(db_path, "incidents") == 0
    assert at.text_input(key="r_department").value == "Wijkteam Noord"
    assert at.text_area(key="r_description").value == "Verslag naar de verkeerde ouder."
    assert at.radio(key="r_situation").value == "email_wrong_person"
    assert at.multiselect(key="r_recipients").value == ["known_person"]
    # the log says what failed, not what was reported
    assert "StorageError" in caplog.text
    assert "verkeerde ouder" not in caplog.text

    # storage is back: sending again works and the failure message goes away
    broken_storage.repair()
    submit_report_form(at)
    assert not any(e.startswith(FAILED) for e in errors(at))
    assert successes(at) and "DL-" in successes(at)[0]
    assert count_rows(db_path, "incidents") == 1


def test_failed_save_after_the_review_step_keeps_the_answers(reporter_page, db_path, broken_storage):
    at = fill_valid_report(reporter_page, description=f"Brief met BSN {BSN}.", department="Wmo")
    submit_report_form(at)
    button(at, "Alles vervangen en versturen").click().run()
    assert not at.exception
    assert any(e.startswith(FAILED) for e in errors(at))
    assert successes(at) == []
    assert count_rows(db_path, "incidents") == 0
    assert at.text_input(key="r_department").value == "Wmo"
    assert at.text_area(key="r_description").value == "Brief met BSN [BSN]."
    assert at.radio(key="r_situation").value == "email_wrong_person"
    assert at.number_input(key="r_count").value == 3


# --- bugs found by these tests, fixed --------------------------------------------------


def test_answers_survive_a_visit_to_another_page(reporter_page):
    at = fill_valid_report(reporter_page, department="Jeugd", description="")
    submit_report_form(at)
    assert error_after(at, "r_description") == "Beschrijf kort wat er is gebeurd."
    switch_to(at, navigation.MY_REPORTS).run()
    switch_to(at, REPORT).run()
    assert not at.exception
    assert at.text_input(key="r_department").value == "Jeugd"
    assert at.radio(key="r_situation").value == "email_wrong_person"


def test_a_placeholder_that_makes_the_text_too_long_sends_you_back_with_the_text_kept(reporter_page, db_path):
    email = "a@b.nl"  # shorter than its placeholder
    text = "x" * (4000 - len(email) - 1) + " " + email
    at = fill_valid_report(reporter_page, description=text)
    submit_report_form(at)
    button(at, "Alles vervangen en versturen").click().run()
    assert not at.exception
    assert count_rows(db_path, "incidents") == 0
    assert "te lang" in error_after(at, "r_description")
    kept = state_get(at, "r_description")
    assert kept.startswith("x" * 100) and email not in kept  # redacted, nothing else lost


# --- a reload keeps the report being written --------------------------------------------

RESTORED = "We hebben je melding van"


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def fill_part_of_the_report(at):
    """Answer some questions, as an employee does before a reload; each answer starts a run."""
    choose_situation(at, "email_wrong_person")
    at.text_input(key="r_department").input("Wijkteam Zuid").run()
    at.multiselect(key="r_data_kinds").set_value(["care_file"]).run()
    at.number_input(key="r_count").set_value(4).run()
    at.text_area(key="r_description").input("Verslag naar de verkeerde ouder gestuurd.").run()
    assert not at.exception
    return at


def test_a_reload_brings_back_the_report_being_written(world, db_path):
    fill_part_of_the_report(signed_in(world["reporter"], REPORT))
    reloaded = signed_in(world["reporter"], REPORT)  # a reload: a new session, the same person
    assert not reloaded.exception
    assert any(i.startswith(RESTORED) for i in infos(reloaded)), infos(reloaded)
    assert reloaded.radio(key="r_situation").value == "email_wrong_person"
    assert reloaded.radio(key="r_occurrence").value == "moment"
    assert reloaded.text_input(key="r_department").value == "Wijkteam Zuid"
    assert reloaded.multiselect(key="r_data_kinds").value == ["care_file"]
    assert reloaded.number_input(key="r_count").value == 4
    assert reloaded.text_area(key="r_description").value == "Verslag naar de verkeerde ouder gestuurd."


def drafts_in(db_path) -> list[dict]:
    return rows(db_path, "select user_id, answers, updated_at from report_drafts order by user_id")


def test_the_draft_is_written_when_an_answer_changes_and_not_on_every_run(world, db_path):
    at = fill_part_of_the_report(signed_in(world["reporter"], REPORT))
    (draft,) = drafts_in(db_path)
    assert draft["user_id"] == world["reporter"].user_id
    assert json.loads(draft["answers"])["description"] == "Verslag naar de verkeerde ouder gestuurd."
    at.run()  # a run without a new answer
    assert drafts_in(db_path) == [draft]
    at.text_input(key="r_department").input("Wijkteam Noord").run()
    (changed,) = drafts_in(db_path)
    assert json.loads(changed["answers"])["department"] == "Wijkteam Noord"
    assert changed["updated_at"] > draft["updated_at"]


def test_an_empty_form_leaves_no_draft_and_a_new_session_no_notice(world, db_path):
    at = signed_in(world["reporter"], REPORT)
    at.run()
    assert drafts_in(db_path) == []
    again = signed_in(world["reporter"], REPORT)
    assert not any(i.startswith(RESTORED) for i in infos(again))
    assert not [b for b in again.button if b.label == "Weggooien en leeg beginnen"]


def test_someone_else_does_not_get_your_draft(world, db_path):
    fill_part_of_the_report(signed_in(world["reporter"], REPORT))
    colleague = signed_in(world["reporter2"], REPORT)
    assert not any(i.startswith(RESTORED) for i in infos(colleague))
    assert colleague.radio(key="r_situation").value is None
    assert colleague.text_input(key="r_department").value == ""


def test_the_notice_says_when_and_the_form_sends_as_usual(world, db_path):
    fill_part_of_the_report(signed_in(world["reporter"], REPORT))
    at = signed_in(world["reporter"], REPORT)
    (notice,) = [i for i in infos(at) if i.startswith(RESTORED)]
    assert notice.startswith(f"{RESTORED} vandaag om ")
    # the rest of the answers, then send: the report is stored and the draft is gone
    fill_valid_report(at, department="Wijkteam Zuid")
    submit_report_form(at)
    assert errors(at) == [] and successes(at)
    (stored,) = incidents_in(db_path)
    assert stored["department"] == "Wijkteam Zuid"
    assert drafts_in(db_path) == []
    reloaded = signed_in(world["reporter"], REPORT)
    assert not any(i.startswith(RESTORED) for i in infos(reloaded))
    assert reloaded.radio(key="r_situation").value is None
    assert reloaded.text_area(key="r_description").value == ""


def test_throwing_the_draft_away_starts_an_empty_form(world, db_path):
    fill_part_of_the_report(signed_in(world["reporter"], REPORT))
    at = signed_in(world["reporter"], REPORT)
    button(at, "Weggooien en leeg beginnen").click().run()
    assert not at.exception
    assert not any(i.startswith(RESTORED) for i in infos(at))
    assert at.radio(key="r_situation").value is None
    assert at.text_input(key="r_department").value == ""
    assert at.text_area(key="r_description").value == ""
    assert drafts_in(db_path) == []
    assert signed_in(world["reporter"], REPORT).radio(key="r_situation").value is None


def test_a_reload_at_the_identifiers_step_brings_back_what_was_typed(world, db_path):
    """The draft holds the text as typed: the choice to replace an identifier is made after
    "Versturen", and a reload before that choice returns to the form, not to the choice."""
    at = fill_valid_report(signed_in(world["reporter"], REPORT), description=f"Brief met BSN {BSN}.")
    submit_report_form(at)
    assert any(w.startswith(REVIEW) for w in warnings(at))
    reloaded = signed_in(world["reporter"], REPORT)
    assert not any(w.startswith(REVIEW) for w in warnings(reloaded))
    assert reloaded.text_area(key="r_description").value == f"Brief met BSN {BSN}."
    button(reloaded, "Versturen").click().run()
    assert any(w.startswith(REVIEW) for w in warnings(reloaded))  # the choice is asked again
    assert count_rows(db_path, "incidents") == 0


def test_a_full_disk_does_not_stop_the_form(world, db_path, monkeypatch):
    at = signed_in(world["reporter"], REPORT)
    broken_storage = BrokenStorage(monkeypatch)
    fill_part_of_the_report(at)
    assert errors(at) == []
    assert at.text_input(key="r_department").value == "Wijkteam Zuid"
    broken_storage.repair()
    assert drafts_in(db_path) == []


def test_a_report_sent_again_with_the_same_key_is_stored_once(fixed_submission_key, reporter_page, db_path):
    """A replayed or doubled 'Versturen' carries the key of the form already sent: one report."""
    at = fill_valid_report(reporter_page, description="Brief naar een oud adres.")
    submit_report_form(at)
    assert count_rows(db_path, "incidents") == 1
    button(at, "Nieuwe melding maken").click().run()  # the new form gets the same key (fixture)
    at = fill_valid_report(at, description="Brief naar een oud adres.")
    submit_report_form(at)
    assert not at.exception
    assert count_rows(db_path, "incidents") == 1
    assert any("Deze melding was al verstuurd." in i.value for i in at.info)
