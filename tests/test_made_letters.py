"""A letter made in an earlier session is offered again (issue #15): rebuilt from the text kept
when it was made, never composed again from today's template, and checked against the SHA-256
kept with it; a text that no longer matches its hash offers nothing."""

from __future__ import annotations

import io
import itertools
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import letter_templates as lt
from datalek.actions import letter_texts, made_letters, sending
from datalek.actions.addressees import Addressee, AddressForm
from datalek.models import InvalidInput
from tests.conftest import NOW
from tests.test_sending import PARTS, decided, issue_family, judge


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5, milliseconds=next(ticks)))


@pytest.fixture
def made(fresh_db, world):
    incident_id = decided(fresh_db, world)
    f = issue_family(fresh_db, world["dpo"], incident_id)
    judge(fresh_db, world["dpo"], f["house"])
    return sending.make_letter(
        fresh_db, world["dpo"], incident_id, Addressee.PARENTS, PARTS, member_id=f["p1"]
    )


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_a_stored_letter_is_the_letter_made_even_after_the_template_changed(fresh_db, world, made):
    body = letter_texts.builtin_body(Addressee.PARENTS, AddressForm.U).replace("Beste ouder", "Geachte ouder")
    lt.save(fresh_db, world["dpo"], world.org.id, Addressee.PARENTS, AddressForm.U, body)
    again = made_letters.stored_letter(fresh_db, world["dpo"], made.id)
    assert again.letter.to_text() == made.letter.to_text()
    assert (again.sha256, again.template_version, again.made_at) == (made.sha256, 0, made.made_at)
    assert "Geachte ouder" not in again.letter.to_text()
    docx = _docx_text(again.letter.to_docx())
    for heading, text in made.letter.sections:
        assert heading in docx and text.split("\n")[0] in docx


def test_a_text_that_no_longer_matches_its_hash_offers_nothing(fresh_db, world, made):
    with store.write(fresh_db):
        fresh_db.execute(
            "UPDATE letters SET text = replace(text, 'Ons kenmerk', 'Kenmerk') WHERE id = ?", [made.id]
        )
    with pytest.raises(InvalidInput) as refused:
        made_letters.stored_letter(fresh_db, world["dpo"], made.id)
    assert refused.value.errors == {"letter": made_letters.ALTERED}
    [listed] = sending.letters_made(fresh_db, world["dpo"], made.incident_id)
    assert listed.intact is False


@pytest.mark.parametrize("who", ["management", "other_dpo", "reporter"])
def test_only_the_fg_of_the_incident_gets_a_stored_letter(fresh_db, world, made, who):
    with pytest.raises(PermissionDenied):
        made_letters.stored_letter(fresh_db, world[who], made.id)


def test_an_unknown_letter_is_refused_like_someone_elses(fresh_db, world, made):
    with pytest.raises(PermissionDenied):
        made_letters.stored_letter(fresh_db, world["dpo"], made.id + 1000)
