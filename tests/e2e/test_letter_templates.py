"""The organisation's letter text in Chromium (issue #15, part I): the FG adds a sentence to the
adult's letter on the FG-team page, previews it, saves it, reloads the page and finds version 1
with her sentence; a letter made afterwards for an adult of a decided incident, through the path
the informing screen uses (``sending.make_letter``), holds it and is kept with version 1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datalek import store
from datalek.actions import documents, informing, letter_texts, sending
from datalek.actions.addressees import Addressee, AddressForm
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import World, make_report, settle
from tests.e2e.conftest import Server, dutch_only, open_page, sign_in

SENTENCE = "Bel ons gerust, ook in het weekend."
DEMO = "Een medewerker heeft per ongeluk een e-mail naar de verkeerde persoon gestuurd."
LABEL = "Tekst van de brief"


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """A server; one decided incident (inform: yes) whose adult reader is safe to write to."""
    path = tmp_path_factory.mktemp("e2e-letter-templates") / "datalek.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        world = World(db)
        incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id))
        assessment.save(
            db,
            world["dpo"],
            incident.id,
            prefill.facts_from_report(incident, world.org),
            "Weinig.",
            "Gebeld.",
        )
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."
            ),
        )
        informing.record_safety_check(db, world["dpo"], incident.id, Addressee.PERSON, False)
    finally:
        db.close()
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv, world, incident
    srv.stop()


def _letter_text(db_path, world, incident) -> tuple[str, int]:
    """Make and keep the adult's letter as the informing screen does; what is stored: its text
    and the template version (read back from the ``letters`` row, not from the made object)."""
    with store.unit(db_path) as db:
        text = documents.letter_prefill(db, world["dpo"], incident.id, Addressee.PERSON)
        made = sending.make_letter(db, world["dpo"], incident.id, Addressee.PERSON, text)
        row = db.execute("SELECT text, template_version FROM letters WHERE id = ?", [made.id]).fetchone()
    assert (row[0], row[1]) == (made.letter.to_text(), made.template_version)
    return row[0], row[1]


def test_the_fg_edits_previews_and_saves_the_adult_letter_and_letters_follow_it(decided, page):
    srv, world, incident = decided
    before, version = _letter_text(srv.db_path, world, incident)
    assert SENTENCE not in before and version == 0

    sign_in(page, srv.url, "dpo@test.invalid")
    open_page(page, "FG-team")
    area = page.get_by_label(LABEL, exact=True)
    builtin = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U)
    page.get_by_text("Dit is de tekst van Datalek.").wait_for()
    expect(area).to_have_value(builtin)  # the adult's letter, in "u", is the one shown first
    area.fill(builtin.replace("{advies}", "{advies}\n" + SENTENCE))

    page.get_by_role("button", name="Voorbeeld bekijken").click()
    settle(page)
    preview = page.locator("[data-testid=stText]", has_text=SENTENCE)
    preview.wait_for(timeout=20000)
    shown = preview.inner_text()
    assert DEMO in shown and "Ons kenmerk: DL-2026-0001" in shown
    assert SENTENCE in area.input_value()  # previewing keeps the text

    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    settle(page)
    page.locator("[data-testid=stAlertContentSuccess]", has_text="De nieuwe versie is opgeslagen.").wait_for()

    page.reload()
    settle(page)
    page.get_by_text("Versie 1 van Gemeente Test", exact=False).wait_for(timeout=20000)
    expect(page.get_by_label(LABEL, exact=True)).to_have_value(re.compile(re.escape(SENTENCE)))
    dutch_only(page, names=("Dpo",))

    after, version = _letter_text(srv.db_path, world, incident)
    assert SENTENCE in after and version == 1
    assert after.index("Wat kunt u zelf doen?") < after.index(SENTENCE) < after.index("Heeft u vragen?")
