"""A chain incident's shared description corrected in Chromium (issue #16): the FG of a member
organisation changes it with a reason; without a reason the Dutch message stands next to the
field and the typed text stays; after saving, the chain shows the new text and the change (old,
new, who, when, why), also after a reload and to the FG of another member organisation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datalek import clock, store
from datalek.accounts import auth
from datalek.handling import chains
from datalek.handling.chain_description import WHY_DESCRIPTION
from datalek.handling.chains import Target
from tests.e2e.conftest import dutch_only, settle, sign_in, sign_out
from tests.e2e.test_chain_incidents import (
    SHARED,
    _form,
    _open_incident,
    shared_service,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.e2e

NEW = "Storing bij de leverancier van het zaaksysteem: dossiers waren twee dagen zichtbaar."
WHY = "De leverancier meldde later dat het twee dagen duurde."
LABEL = "Gedeelde beschrijving (zonder persoonsgegevens)"


@pytest.fixture
def chain(server, shared_service):  # noqa: F811 - the fixture imported above
    """The shared service's FG linked the report to Jeugdzorg Test: the linked incident."""
    source, _ = shared_service
    with store.unit(server.db_path) as db:
        shared = auth.actor_for(
            db, db.execute("SELECT id FROM users WHERE email = 'shared@test.invalid'").fetchone()[0]
        )
        other_org = db.execute("SELECT id FROM organisations WHERE name = 'Jeugdzorg Test'").fetchone()[0]
        (made,) = chains.create_linked(db, shared, source.id, [Target(other_org)], SHARED)
        reference = db.execute("SELECT reference FROM incidents WHERE id = ?", [made]).fetchone()[0]
    return source, reference


def _chain_text(page) -> str:
    return page.get_by_text(re.compile("Meldingen in de keten")).first.inner_text()


def test_an_fg_of_a_member_corrects_the_shared_description_with_a_reason(page, server, chain):
    source, reference = chain
    sign_in(page, server.url, "other_dpo@test.invalid")  # FG of Jeugdzorg Test only
    _open_incident(page, reference, reference)
    describing = _form(page, "Waarom pas je dit aan?")
    expect(describing.get_by_label(LABEL)).to_have_value(SHARED)  # the current text, to edit
    describing.get_by_label(LABEL).fill(NEW)
    describing.get_by_role("button", name="Beschrijving aanpassen").click()
    settle(page)
    describing.get_by_text(WHY_DESCRIPTION).wait_for()  # next to the field
    expect(describing.get_by_label(LABEL)).to_have_value(NEW)  # what was typed stays
    assert SHARED in _chain_text(page) and NEW not in _chain_text(page)  # nothing saved

    describing.get_by_label("Waarom pas je dit aan?").fill(WHY)
    describing.get_by_role("button", name="Beschrijving aanpassen").click()
    settle(page)
    page.get_by_text("De gedeelde beschrijving is aangepast.", exact=False).wait_for()
    history = f'door Other_Dpo: "{SHARED}" werd "{NEW}". Reden: {WHY}'
    text = _chain_text(page)
    assert f"Gedeelde beschrijving: {NEW}" in text and history in text
    expect(_form(page, "Waarom pas je dit aan?").get_by_label(LABEL)).to_have_value(NEW)  # a new form
    dutch_only(page, names=("Other_Dpo", "Other_Reporter"))
    with store.unit(server.db_path) as db:
        rows = db.execute("SELECT field, old_value, new_value, reason FROM chain_changes").fetchall()
        stored = db.execute("SELECT description FROM chains").fetchone()[0]
    assert [tuple(r) for r in rows] == [("description", SHARED, NEW, WHY)] and stored == NEW

    page.reload()
    settle(page)
    _open_incident(page, reference, reference)
    assert history in _chain_text(page)  # stored, not kept in the browser
    sign_out(page)

    sign_in(page, server.url, "dpo@test.invalid")  # FG of Gemeente Test, the other member
    _open_incident(page, source.reference, source.reference)
    text = _chain_text(page)
    assert f"Gedeelde beschrijving: {NEW}" in text and history in text
    day = clock.now().astimezone(clock.AMSTERDAM).strftime("%d-%m-%Y")
    assert re.search(re.escape(day) + r".*door Other_Dpo", text)  # when
