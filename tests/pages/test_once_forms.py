"""Every form that records something records once, is drawn empty after a save, and says what
it did right under its own button; no form says "Press Enter to submit form" (issue #20).

A repeated submission is the same drawn form sent again: with ``fixed_submission_key`` every
form gets the same submission key, so filling the form again after a save and clicking is
exactly what a double click or a replayed message sends. Widgets are found by their Dutch label
(not by key), as a user finds them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1.element_tree import Error, Info, Success, Warning, Widget

import navigation
from datalek import clock
from datalek.actions import authority
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.pages.conftest import (
    app,
    button,
    count_rows,
    open_db,
    rows,
    signed_in,
    switch_to,
    walk,
)

ALREADY = "Dit was al vastgelegd. Er is niets dubbel opgeslagen."


# --- helpers ------------------------------------------------------------------------------------


def labelled(at, kind: str, label: str, form: str | tuple[str, ...] | None = None):
    """The one widget of ``kind`` (e.g. "text_input") with ``label`` on the page (in the form
    whose id starts with ``form``)."""
    found = [
        w for w in getattr(at, kind) if w.label == label and (form is None or w.form_id.startswith(form))
    ]
    assert len(found) == 1, f"{len(found)} {kind} labelled {label!r}"
    return found[0]


def message_after(at, label: str) -> str | None:
    """The message shown right under the button ``label`` (before the next widget): the form's
    outcome "next to its own button"; None when there is none."""
    seen = False
    for node in walk(at.main):
        if isinstance(node, Widget) and getattr(node, "label", None) == label and node.type == "button":
            seen = True
        elif seen and isinstance(node, (Success, Info, Error, Warning)):
            return node.value
        elif seen and isinstance(node, Widget):
            return None
    assert seen, f"no button {label!r} on the page"
    return None


def forms(at) -> list:
    """Every form on the page (``st.form`` blocks), as their protos."""
    return [n.proto.form for n in walk(at.main) if getattr(n, "type", None) == "form"]


# --- Accounts (beheerder) -----------------------------------------------------------------------

NEW_ACCOUNT = {"Naam": "Nina Nieuw", "E-mailadres": "nina@test.invalid"}


def _fill_account(at, world) -> None:
    for label, value in NEW_ACCOUNT.items():
        labelled(at, "text_input", label).input(value)
    labelled(at, "multiselect", "Organisatie(s)").set_value([world.org.id])


def test_a_new_account_is_drawn_empty_after_the_save_and_said_under_its_button(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    _fill_account(at, world)
    button(at, "Account aanmaken").click().run()
    assert not at.exception, at.exception
    assert rows(db_path, "select name from users where email = 'nina@test.invalid'") == [
        {"name": "Nina Nieuw"}
    ]
    assert [labelled(at, "text_input", label).value for label in NEW_ACCOUNT] == ["", ""]
    assert labelled(at, "multiselect", "Organisatie(s)").value == []
    assert message_after(at, "Account aanmaken") == "Account voor Nina Nieuw aangemaakt."


def test_a_new_account_submitted_twice_is_recorded_once(world, db_path, fixed_submission_key):
    at = signed_in(world["admin"], navigation.USERS)
    for _ in range(2):
        _fill_account(at, world)
        button(at, "Account aanmaken").click().run()
    assert not at.exception, at.exception
    assert count_rows(db_path, "users") == len(world.actors) + 1
    assert message_after(at, "Account aanmaken") == ALREADY  # not "Er bestaat al een account"
    assert not any("Er bestaat al een account" in e.value for e in at.error)


# --- Mijn meldingen: the employee's supplement ----------------------------------------------------


@pytest.fixture
def my_report(world, db_path):
    db = open_db(db_path)
    try:
        return incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=clock.now()))
    finally:
        db.close()


def _open_mine(world, incident):
    at = signed_in(world["reporter"], navigation.MY_REPORTS)
    at.selectbox(key="mine_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def test_a_supplement_submitted_twice_is_recorded_once(world, db_path, my_report, fixed_submission_key):
    at = _open_mine(world, my_report)
    for _ in range(2):
        labelled(at, "text_area", "Wat wil je toevoegen?").input("De ontvanger heeft de mail gewist.")
        button(at, "Aanvulling toevoegen").click().run()
    assert not at.exception, at.exception
    assert count_rows(db_path, "supplements") == 1
    assert message_after(at, "Aanvulling toevoegen") == ALREADY


def test_a_supplement_is_drawn_empty_and_said_under_its_button(world, db_path, my_report):
    at = _open_mine(world, my_report)
    labelled(at, "text_area", "Wat wil je toevoegen?").input("De ontvanger heeft de mail gewist.")
    button(at, "Aanvulling toevoegen").click().run()
    assert count_rows(db_path, "supplements") == 1
    assert labelled(at, "text_area", "Wat wil je toevoegen?").value == ""
    assert message_after(at, "Aanvulling toevoegen") == "Je aanvulling is opgeslagen."


def test_a_supplement_kept_with_its_identifiers_is_recorded_once(
    world, db_path, my_report, fixed_submission_key
):
    at = _open_mine(world, my_report)
    for _ in range(2):
        labelled(at, "text_area", "Wat wil je toevoegen?").input("Gemaild naar jan.jansen@example.nl.")
        button(at, "Aanvulling toevoegen").click().run()
        button(at, "Toch toevoegen zoals het is").click().run()
    assert count_rows(db_path, "supplements") == 1


# --- Werkvoorraad: the FG's assessment and decision -------------------------------------------------


@pytest.fixture
def reported(world, db_path):
    db = open_db(db_path)
    try:
        return incidents.submit_report(
            db,
            world["reporter"],
            make_report(
                world.org.id,
                now=clock.now(),
                discovered_at=clock.now() - timedelta(hours=20),
                occurred_from=clock.now() - timedelta(hours=21),
            ),
        )
    finally:
        db.close()


@pytest.fixture
def assessed(world, db_path, reported):
    db = open_db(db_path)
    try:
        assessment.save(
            db,
            world["dpo"],
            reported.id,
            prefill.facts_from_report(reported, world.org),
            "Ouders van een ander kind lazen het verslag.",
            "Mail teruggehaald.",
        )
    finally:
        db.close()
    return reported


def _open_queue(world, incident, tab: str, follow: str | None = None):
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.session_state[f"q_tab_{incident.id}"] = tab
    if follow:
        at.session_state[f"q_follow_{incident.id}"] = follow
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


SAVE_FACTS = "Feiten opslaan en advies berekenen"


def test_the_facts_saved_twice_are_one_version(world, db_path, reported, fixed_submission_key):
    at = _open_queue(world, reported, "Beoordeling")
    for _ in range(2):
        labelled(at, "text_area", "Gevolgen voor de betrokkenen").input("Een ouder las het verslag.")
        button(at, SAVE_FACTS).click().run()
    assert not at.exception, at.exception
    assert rows(db_path, "select version from assessments") == [{"version": 1}]
    assert message_after(at, SAVE_FACTS) == ALREADY


def test_the_saved_facts_stay_in_the_form_and_are_said_under_its_button(world, db_path, reported):
    at = _open_queue(world, reported, "Beoordeling")
    labelled(at, "text_area", "Gevolgen voor de betrokkenen").input("Een ouder las het verslag.")
    button(at, SAVE_FACTS).click().run()
    assert message_after(at, SAVE_FACTS) == "De feiten zijn opgeslagen en het advies is bijgewerkt."
    # the form shows the facts as saved (it is not a form for a new record)
    assert labelled(at, "text_area", "Gevolgen voor de betrokkenen").value == "Een ouder las het verslag."
    button(at, SAVE_FACTS).click().run()  # a new click on the form drawn after the save: a new version
    assert [r["version"] for r in rows(db_path, "select version from assessments")] == [1, 2]


def _fill_decision(at) -> None:
    labelled(at, "radio", "Melden bij de AP? (advies: ja)").set_value("yes")
    labelled(at, "radio", "Betrokkenen informeren? (advies: ja)").set_value("yes")
    labelled(at, "text_area", "Motivering van je besluit").input("Het advies klopt.")


def test_a_decision_submitted_twice_is_recorded_once(world, db_path, assessed, fixed_submission_key):
    at = _open_queue(world, assessed, "Advies en besluit")
    for _ in range(2):
        _fill_decision(at)
        button(at, "Besluit vastleggen").click().run()
    assert not at.exception, at.exception
    assert count_rows(db_path, "decisions") == 1
    assert message_after(at, "Besluit vastleggen") == ALREADY


def test_a_decision_form_is_drawn_empty_and_said_under_its_button(world, db_path, assessed):
    at = _open_queue(world, assessed, "Advies en besluit")
    _fill_decision(at)
    button(at, "Besluit vastleggen").click().run()
    assert count_rows(db_path, "decisions") == 1
    assert message_after(at, "Besluit vastleggen") == "Het besluit is vastgelegd."
    assert labelled(at, "text_area", "Motivering van je besluit").value == ""
    assert labelled(at, "radio", "Melden bij de AP? (advies: ja)").value is None


# --- the AP notification, its supplement and its withdrawal ---------------------------------------


@pytest.fixture
def decided(world, db_path, assessed):
    db = open_db(db_path)
    try:
        decisions.record(
            db,
            world["dpo"],
            assessed.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Zoals geadviseerd."
            ),
        )
    finally:
        db.close()
    return assessed


def _notify(at) -> None:
    labelled(at, "text_input", "Meldnummer van de AP").input("M-2026-123456")
    button(at, "Melding vastleggen").click().run()
    assert not at.exception, at.exception


def test_the_ap_notification_is_said_where_its_form_was(world, db_path, decided):
    at = _open_queue(world, decided, "Afhandelen", "AP-melding")
    _notify(at)
    assert count_rows(db_path, "authority_notifications") == 1
    assert "De melding bij de AP is vastgelegd." in [s.value for s in at.success]
    assert not [b for b in at.button if b.label == "Melding vastleggen"]


@pytest.fixture
def notified(world, db_path, decided):
    """The AP notification recorded (through the core: with ``fixed_submission_key`` the page's
    notification form would take the one key every form gets)."""
    db = open_db(db_path)
    try:
        authority.record_initial(
            db, world["dpo"], decided.id, "M-2026-123456", clock.now() - timedelta(hours=1), "", {}
        )
    finally:
        db.close()
    return decided


def test_an_ap_supplement_submitted_twice_is_recorded_once(world, db_path, notified, fixed_submission_key):
    at = _open_queue(world, notified, "Afhandelen", "AP-melding")
    for _ in range(2):
        labelled(at, "text_area", "Wat is er veranderd of aangevuld?").input("Het aantal is nu bekend.")
        button(at, "Aanvulling vastleggen").click().run()
    assert not at.exception, at.exception
    kinds = [r["kind"] for r in rows(db_path, "select kind from authority_notifications order by id")]
    assert kinds == ["initial", "supplement"]
    assert message_after(at, "Aanvulling vastleggen") == ALREADY


def test_an_ap_supplement_is_drawn_empty_and_said_under_its_button(world, db_path, decided):
    at = _open_queue(world, decided, "Afhandelen", "AP-melding")
    _notify(at)
    labelled(at, "text_area", "Wat is er veranderd of aangevuld?").input("Het aantal is nu bekend.")
    button(at, "Aanvulling vastleggen").click().run()
    assert message_after(at, "Aanvulling vastleggen") == "De aanvulling is vastgelegd."
    assert labelled(at, "text_area", "Wat is er veranderd of aangevuld?").value == ""


def test_the_ap_concept_has_no_copy_button_with_english_text(world, decided):
    """``st.code`` draws a copy button titled "Copy to clipboard"; each answer is a text area
    labelled with the AP form's question instead."""
    at = _open_queue(world, decided, "Afhandelen", "AP-melding")
    assert list(at.code) == []
    answers = [t.value for t in at.text_area]
    assert decided.reference in answers and "Onbekend — nog aanvullen" in answers


# --- Organisaties (beheerder) ---------------------------------------------------------------------


NEW_ORG = ("o_new_org_", "new_org")  # the id of the new organisation's form (before the fix: "new_org")


def _fill_organisation(at) -> None:
    labelled(at, "text_input", "Naam", NEW_ORG).input("Gemeente Nieuw")
    labelled(at, "text_input", "E-mailadres van de FG", NEW_ORG).input("fg@nieuw.invalid")


def test_a_new_organisation_submitted_twice_is_recorded_once(world, db_path, fixed_submission_key):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    for _ in range(2):
        _fill_organisation(at)
        button(at, "Organisatie toevoegen").click().run()
    assert not at.exception, at.exception
    assert rows(db_path, "select count(*) as n from organisations where name = 'Gemeente Nieuw'") == [
        {"n": 1}
    ]
    assert message_after(at, "Organisatie toevoegen") == ALREADY
    assert not any("Er bestaat al een organisatie" in e.value for e in at.error)


def test_a_new_organisation_is_drawn_empty_and_said_under_its_button(world, db_path):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    _fill_organisation(at)
    button(at, "Organisatie toevoegen").click().run()
    assert message_after(at, "Organisatie toevoegen") == "Organisatie Gemeente Nieuw toegevoegd."
    assert labelled(at, "text_input", "Naam", NEW_ORG).value == ""


def test_the_retention_is_said_under_its_button(world, db_path):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    labelled(at, "number_input", "Bewaartermijn in jaren na afronden").set_value(7)
    button(at, "Bewaartermijn opslaan").click().run()
    assert message_after(at, "Bewaartermijn opslaan") == "Bewaartermijn van Gemeente Test: 7 jaar."


# --- no form says "Press Enter to submit form" ------------------------------------------------------


def _setup(world, db_path):
    return app().run()


def _users(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    options = at.selectbox(key="u_target")
    return options.select_index(next(i for i, v in enumerate(options.options) if "reporter2@" in v)).run()


def _organisations(world, db_path):
    return signed_in(world["admin"], navigation.ORGANISATIONS)


def _dpo_team(world, db_path):
    return signed_in(world["dpo"], navigation.DPO_TEAM)


def _account(world, db_path):
    return signed_in(world["reporter"], navigation.ACCOUNT)


def _set_password(world, db_path):
    from datalek import store
    from datalek.accounts import invitations
    from datalek.models import Actor

    with store.unit() as db:
        printed = invitations.print_dpo_invitation(db, Actor.cli(), world.org.id, "https://x.invalid")
    at = app()
    at.query_params[invitations.QUERY_KEY] = printed.link.split("code=")[1]
    at.run()
    return switch_to(at, navigation.SET_PASSWORD).run()


def _queue(world, db_path):
    """An incident with facts, a decision and the AP notification: every form of the FG's screen."""
    db = open_db(db_path)
    try:
        made = incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=clock.now()))
        assessment.save(db, world["dpo"], made.id, prefill.facts_from_report(made, world.org), "x", "y")
        decisions.record(
            db,
            world["dpo"],
            made.id,
            DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Zo."),
        )
    finally:
        db.close()
    return _open_queue(world, made, "Afhandelen", "AP-melding")


@pytest.mark.parametrize(
    ("opened", "world_needed"),
    [
        (_setup, False),
        (_users, True),
        (_organisations, True),
        (_dpo_team, True),
        (_account, True),
        (_set_password, True),
        (_queue, True),
    ],
    ids=["setup", "users", "organisations", "dpo-team", "account", "set-password", "queue"],
)
def test_no_form_submits_on_enter(request, db_path, opened, world_needed):
    """Streamlit says "Press Enter to submit form" (English) under a form's text field unless
    the form has ``enter_to_submit=False``."""
    world = request.getfixturevalue("world") if world_needed else None
    at = opened(world, db_path)
    assert not at.exception, at.exception
    found = forms(at)
    assert found, "no form on the page"
    assert [f.form_id for f in found if f.enter_to_submit] == []
