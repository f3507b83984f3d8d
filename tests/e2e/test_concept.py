"""Issue #14 in Chromium: the FG sets her job title and phone, answers the AP form's own
questions in the facts form, and finds them in the concept AP-melding (not "Onbekend"), with
the kinds of data as recorded and §7 in the form's own terms; then the withdrawal concept with
its reason, and the withdrawal recorded with it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, choose_options, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

AP_NUMBER = "M-2026-515151"
REASON = "Bij nader inzien geen datalek: de ontvanger is de eigen gezinsvoogd."


@pytest.fixture(scope="module")
def decided(seeded):
    """An e-mail with a name and address and a youth-care file sent to the wrong parent,
    assessed from the report and decided: notify the AP, inform."""
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id, now=now, occurred_from=now - timedelta(hours=6), discovered_at=now - timedelta(hours=4)
    )
    db = store.connect(path)
    try:
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(
            db, world["dpo"], incident.id, facts, "Een ouder kon het verslag lezen.", "Verwijderd."
        )
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Melden."),
        )
    finally:
        db.close()
    return incident


def _flash(page, text: str) -> None:
    page.locator("[data-testid=stAlertContentSuccess]", has_text=text).first.wait_for()


def _answers(page) -> dict[str, str]:
    """The concept's answers: each text area's question (its label) and its value."""
    found = {}
    for area in page.locator("[data-testid=stTextArea]:visible").all():
        label = area.locator("label").inner_text().strip()
        found[label] = area.locator("textarea").input_value()
    return found


def test_the_fg_files_the_concept_as_it_stands_and_withdraws_it(page, server, seeded, decided):
    sign_in(page, server.url, "dpo@test.invalid")

    # Her job title and phone, on "Mijn account".
    open_page(page, "Mijn account")
    page.get_by_label("Functie").fill("Privacy officer")
    page.get_by_label("Telefoonnummer").fill("030 123 45 67")
    page.get_by_role("button", name="Gegevens opslaan").click()
    settle(page)
    _flash(page, "Je functie en telefoonnummer zijn opgeslagen.")

    # The AP form's own questions in the facts form.
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", decided.reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(decided.reference)).wait_for()
    open_tab(page, "Beoordeling")
    form = page.locator("[data-testid=stForm]").filter(has_text="Voor de melding bij de AP")
    choose_option(page, form, "Is er een andere organisatie betrokken?", "Ja, een verwerker", exact=True)
    form.get_by_label("Naam van die organisatie").fill("Zorgmail B.V.")
    choose_options(
        page, "Welke beveiligingsmaatregelen waren er vóór het datalek?", ["Versleuteling", "Training"]
    )
    choose_option(page, form, "Grensoverschrijdende verwerking?", "Nee, alleen in Nederland", exact=True)
    records = form.locator("[data-testid=stRadio]").filter(has_text="Aantal records")
    records.get_by_text("Precies", exact=True).click()
    form.locator("[data-testid=stNumberInput]").filter(has_text="Aantal records").locator("input").fill("4")
    dutch_only(page)
    form.get_by_role("button", name="Feiten opslaan en advies berekenen").click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()

    # The concept: those answers, the data as recorded, §7 in the form's terms.
    open_tab(page, "Afhandelen")
    open_tab(page, "AP-melding")
    page.get_by_text("Concept AP-melding").wait_for()
    answers = _answers(page)
    assert answers[
        "Is er een andere organisatie betrokken (verwerker, gezamenlijk verwerkingsverantwoordelijke)?"
    ] == ("Ja, een verwerker: Zorgmail B.V.")
    assert (
        answers["Welke beveiligingsmaatregelen waren er vooraf?"]
        == "Versleuteling; Training en bewustwording"
    )
    international = (
        "Gaat het om grensoverschrijdende verwerking of zijn toezichthouders in andere landen ingelicht?"
    )
    assert answers[international].startswith("Nee, alleen in Nederland.")
    assert answers["Om hoeveel records gaat het (ongeveer)?"] == "4"
    assert answers["Om welke soorten persoonsgegevens gaat het?"] == "Naam-, adres- en woonplaatsgegevens"
    assert answers["Gaat het om bijzondere of strafrechtelijke persoonsgegevens?"] == "Gezondheid"
    assert "jeugdhulpgegevens" in answers["Toelichting op de soorten persoonsgegevens"]
    assert answers["Hoe ernstig schat u de gevolgen in?"] in {"Gering", "Aanzienlijk", "Ernstig"}
    assert "ENISA" not in " ".join(answers.values())
    assert answers["Functie van de melder"] == "Privacy officer"
    assert answers["Telefoonnummer van de melder"] == "030 123 45 67"
    dutch_only(page, names=("Dpo",))  # the test account's name, the notifier

    # Notified; then the withdrawal: its concept follows the reason as typed.
    page.get_by_label("Meldnummer van de AP").fill(AP_NUMBER)
    page.get_by_role("button", name="Melding vastleggen").click()
    settle(page)
    _flash(page, "De melding bij de AP is vastgelegd.")
    page.locator("[data-testid=stRadio]").filter(has_text="Wat wil je vastleggen?").get_by_text(
        "Intrekking", exact=True
    ).click()
    settle(page)
    reason = page.get_by_label("Reden van de intrekking", exact=True).first
    reason.fill(REASON)
    reason.press("Tab")  # outside a form a text area runs the page when it loses focus
    settle(page)
    page.get_by_text("Concept intrekking", exact=True).wait_for()
    page.locator("textarea", has_text=REASON).first.wait_for()
    answers = _answers(page)
    assert answers["Soort melding"] == f"Intrekking van de melding met meldnummer {AP_NUMBER}."
    dutch_only(page, names=("Dpo",))  # the test account's name, the notifier
    page.get_by_role("button", name="Intrekking vastleggen").click()
    settle(page)
    page.get_by_text("De melding bij de AP is ingetrokken.").wait_for()
    with store.unit(server.db_path) as db:
        rows = db.execute(
            "SELECT kind, note FROM authority_notifications WHERE incident_id = ? ORDER BY id", [decided.id]
        ).fetchall()
    assert rows == [("initial", ""), ("withdrawal", REASON)]
