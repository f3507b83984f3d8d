"""Mijn meldingen: only the employee's own reports, and adding information (aanvulling)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

import navigation
from datalek import clock, store
from datalek.handling import incidents
from tests.conftest import make_report
from tests.pages.conftest import (
    button,
    errors,
    once_key,
    open_db,
    rows,
    signed_in,
    state_get,
    successes,
    table_with,
    tables,
    titles,
)

PAGE = navigation.MY_REPORTS
ORIGINAL = "Verslag naar een verkeerde ouder gestuurd."


@pytest.fixture
def reports(world, db_path) -> dict[str, list]:
    """Reports by two colleagues, the FG and someone of the other organisation."""
    made: dict[str, list] = {}
    db = open_db(db_path)
    try:
        now = clock.now()
        for n, key in enumerate(["reporter", "reporter2", "reporter", "dpo", "other_reporter"]):
            actor = world[key]
            report = make_report(
                actor.org_ids[0],
                now=now,
                description=f"{ORIGINAL} ({key})",
                discovered_at=now - timedelta(hours=2),
            )
            at = now - timedelta(minutes=10 - n)  # distinct reporting times, in this order
            made.setdefault(key, []).append(incidents.submit_report(db, actor, report, at=at))
    finally:
        db.close()
    return made


def numbers(at) -> list[str]:
    return list(table_with(at, "Nummer")["Nummer"])


def open_report(at, incident):
    at.selectbox(key="mine_choice").set_value(incident.id).run()
    assert not at.exception
    return at


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def supplements_of(db_path, incident_id: int) -> list[dict]:
    return rows(db_path, "select * from supplements where incident_id = ? order by id", [incident_id])


def test_a_colleague_sees_only_their_own_report(world, reports):
    at = signed_in(world["reporter2"], PAGE)
    assert titles(at) == ["Mijn meldingen"]
    assert numbers(at) == [i.reference for i in reports["reporter2"]]
    assert at.selectbox(key="mine_choice").options == [reports["reporter2"][0].reference]


def test_the_employee_sees_all_own_reports_newest_first(world, reports):
    at = signed_in(world["reporter"], PAGE)
    assert numbers(at) == [i.reference for i in reversed(reports["reporter"])]
    table = table_with(at, "Nummer")
    assert list(table.columns) == ["Nummer", "Wat er gebeurde", "Gemeld op", "Status"]
    assert set(table["Status"]) == {"Gemeld"}


def test_the_dpo_sees_only_the_reports_they_made_themselves(world, reports):
    at = signed_in(world["dpo"], PAGE)
    assert numbers(at) == [reports["dpo"][0].reference]


def test_no_reports_yet(world):
    at = signed_in(world["reporter"], PAGE)
    assert [i.value for i in at.info] == ["Je hebt nog geen meldingen gedaan."]
    assert tables(at) == []


def test_opening_a_report_shows_it_and_is_audited(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    assert f"{ORIGINAL} (reporter)" in texts(at)
    facts = table_with(at, "Antwoord")
    assert dict(zip(facts["Vraag"], facts["Antwoord"], strict=True))["Nummer"] == mine.reference
    assert [c.value for c in at.caption if c.value == "Nog geen aanvullingen."]
    audit = rows(
        db_path, "select * from audit_log where action = 'incident.read' and object_id = ?", [str(mine.id)]
    )
    assert len(audit) == 1 and audit[0]["actor_id"] == world["reporter"].user_id


def test_adding_a_supplement_appends_it_and_keeps_the_original(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("De ontvanger heeft bevestigd dat de mail is verwijderd.")
    button(at, "Aanvulling toevoegen").click().run()
    assert not at.exception
    assert successes(at) == ["Je aanvulling is opgeslagen."]
    key = once_key(at, f"sup{mine.id}_", "text")  # a new, empty form after the save
    assert at.text_area(key=key).value == ""
    assert "De ontvanger heeft bevestigd dat de mail is verwijderd." in texts(at)
    assert f"{ORIGINAL} (reporter)" in texts(at)

    (stored,) = supplements_of(db_path, mine.id)
    assert stored["text"] == "De ontvanger heeft bevestigd dat de mail is verwijderd."
    assert stored["author_id"] == world["reporter"].user_id
    (incident,) = rows(db_path, "select * from incidents where id = ?", [mine.id])
    assert incident["description"] == f"{ORIGINAL} (reporter)"

    # a second supplement comes after the first
    at.text_area(key=key).input("Ook de bijlage is verwijderd.")
    button(at, "Aanvulling toevoegen").click().run()
    assert [s["text"] for s in supplements_of(db_path, mine.id)] == [
        "De ontvanger heeft bevestigd dat de mail is verwijderd.",
        "Ook de bijlage is verwijderd.",
    ]
    shown = texts(at)
    assert shown.index("De ontvanger heeft bevestigd dat de mail is verwijderd.") < shown.index(
        "Ook de bijlage is verwijderd."
    )


def test_an_empty_supplement_is_refused_in_dutch(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    at.text_area(key=once_key(at, f"sup{mine.id}_", "text")).input("   ")
    button(at, "Aanvulling toevoegen").click().run()
    assert errors(at) == ["Schrijf wat je wilt toevoegen."]
    assert successes(at) == []
    assert supplements_of(db_path, mine.id) == []


def test_an_email_address_in_a_supplement_is_replaced_on_request(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("Ontvanger was jan.jansen@example.nl, die heeft het gewist.")
    button(at, "Aanvulling toevoegen").click().run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert "e-mailadres" in warning and "Er is nog niets opgeslagen." in warning
    assert supplements_of(db_path, mine.id) == []
    assert [b.label for b in at.main.button] == [
        "Vervangen en toevoegen",
        "Toch toevoegen zoals het is",
    ]

    button(at, "Vervangen en toevoegen").click().run()
    assert not at.exception
    (stored,) = supplements_of(db_path, mine.id)
    assert stored["text"] == "Ontvanger was [e-mail], die heeft het gewist."
    assert successes(at) == ["Je aanvulling is opgeslagen."]
    assert [w.value for w in at.warning] == []
    assert not any("jan.jansen@example.nl" in str(state_get(at, k)) for k in at.session_state)
    audit = rows(db_path, "select detail from audit_log where action = 'incident.supplement'")
    assert json.loads(audit[0]["detail"])["pii_kept"] is False


def test_keeping_the_address_on_purpose_is_recorded(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    at.text_area(key=once_key(at, f"sup{mine.id}_", "text")).input("Gemaild naar jan.jansen@example.nl.")
    button(at, "Aanvulling toevoegen").click().run()
    button(at, "Toch toevoegen zoals het is").click().run()
    (stored,) = supplements_of(db_path, mine.id)
    assert stored["text"] == "Gemaild naar jan.jansen@example.nl."
    audit = rows(db_path, "select detail from audit_log where action = 'incident.supplement'")
    assert json.loads(audit[0]["detail"])["pii_kept"] is True


def test_a_failed_supplement_says_not_saved_and_keeps_the_text(world, reports, db_path, monkeypatch):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("Nog iets vergeten te melden.")

    def disk_full(db, row):
        raise sqlite3.OperationalError("database or disk is full")

    # only the supplement's insert fails; reading the incident (audited) still works
    monkeypatch.setattr(store.incidents, "insert_supplement", disk_full)
    button(at, "Aanvulling toevoegen").click().run()
    assert not at.exception
    assert errors(at) == ["Je aanvulling is NIET opgeslagen. Probeer het opnieuw."]
    assert successes(at) == []
    assert at.text_area(key=key).value == "Nog iets vergeten te melden."
    assert supplements_of(db_path, mine.id) == []


# --- bugs found by these tests, fixed --------------------------------------------------


def test_editing_the_text_after_the_warning_then_replacing_does_not_crash(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("Mail van jan@example.nl gekregen.")
    button(at, "Aanvulling toevoegen").click().run()
    at.text_area(key=key).input("Ook piet@example.nl kreeg de mail.")
    button(at, "Vervangen en toevoegen").click().run()
    assert not at.exception
    assert [s["text"] for s in supplements_of(db_path, mine.id)] in (
        [],
        ["Ook [e-mail] kreeg de mail."],
    )


def test_keep_as_is_only_keeps_what_the_user_was_warned_about(world, reports, db_path):
    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("Mail van jan@example.nl gekregen.")
    button(at, "Aanvulling toevoegen").click().run()
    at.text_area(key=key).input("Ook BSN 111222333 stond erin.")
    button(at, "Toch toevoegen zoals het is").click().run()
    assert not any("111222333" in s["text"] for s in supplements_of(db_path, mine.id))


@pytest.mark.parametrize(
    "typed",
    [
        "[klik hier](javascript:alert(1))",
        "![beeld](http://example.invalid/x.png)",
        "**vet** _schuin_",
        ":red[rood] :material/warning:",
        "<b>html</b>",
    ],
    ids=["link", "image", "emphasis", "streamlit-directives", "html"],
)
def test_typed_text_in_the_facts_table_is_shown_as_typed_not_as_markdown(world, db_path, typed):
    """st.table renders Markdown in its cells: what a user typed must be escaped."""
    from datalek.handling import incidents
    from tests.conftest import make_report

    db = open_db(db_path)
    try:
        made = incidents.submit_report(db, world["reporter"], make_report(world.org.id, department=typed))
    finally:
        db.close()
    at = open_report(signed_in(world["reporter"], PAGE), made)
    facts = table_with(at, "Antwoord")
    shown = dict(zip(facts["Vraag"], facts["Antwoord"], strict=True))["Afdeling"]
    assert shown != typed and shown.replace("\\", "") == typed
    assert all(f"\\{ch}" in shown for ch in "[]*<>:" if ch in typed)


def test_a_disabled_account_cannot_save_through_a_button_callback(world, reports, db_path):
    """Callbacks run before app.py's session check: they must check the account themselves."""
    from datalek.accounts.users import set_active

    mine = reports["reporter"][0]
    at = open_report(signed_in(world["reporter"], PAGE), mine)
    key = once_key(at, f"sup{mine.id}_", "text")
    at.text_area(key=key).input("Nog een aanvulling.")
    db = open_db(db_path)
    try:
        set_active(db, world["admin"], world["reporter"].user_id, False)
    finally:
        db.close()
    button(at, "Aanvulling toevoegen").click().run()
    assert supplements_of(db_path, mine.id) == []
    assert titles(at) == ["Aanmelden bij Datalek"]
