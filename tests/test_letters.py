"""Letters to betrokkenen: one voice per kind of reader, the FG as contact point, Dutch
errors for missing parts, no copy of the reporter's description, text never interpreted."""

import io
import json
import re
from datetime import date, timedelta

import docx
import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import documents, informing, letters
from datalek.actions.addressees import Addressee
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.models import IncidentType, InvalidInput, Organisation
from datalek.store import audit_log
from datalek.triage.facts import DataCategory, Facts
from tests.conftest import NOW, make_report

ORG = Organisation(
    id=1, name="Gemeente Test", dpo_name="Fien FG", dpo_email="fg@test.invalid", dpo_phone="020-1234567"
)
TEXT = letters.LetterText(
    what_happened="Een brief ging naar een verkeerd adres.",
    consequences="Iemand anders kon de brief lezen.",
    measures="Wij hebben de brief teruggevraagd.",
)
DAY = date(2026, 11, 25)
FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
INFORMAL = re.compile(r"\b(je|jij|jouw|jou)\b", re.IGNORECASE)


def _compose(recipient=Addressee.PERSON, text=TEXT, org=ORG):
    return letters.compose(recipient, text, org, "DL-2026-0007", DAY)


def _docx_paragraphs(letter) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(letter.to_docx())).paragraphs]


@pytest.mark.parametrize(
    ("recipient", "title", "salutation", "phrase"),
    [
        (
            Addressee.PERSON,
            "Er is iets misgegaan met uw gegevens",
            "Beste heer, mevrouw,",
            "Wat kunt u zelf doen?",
        ),
        (
            Addressee.PARENTS,
            "Er is iets misgegaan met de gegevens van uw kind",
            "Beste ouder of verzorger,",
            "Wat kan dit voor uw kind en voor u betekenen?",
        ),
        (
            Addressee.YOUNG_PERSON,
            "Er is iets misgegaan met jouw gegevens",
            "Hoi,",
            "Wat betekent dit voor jou?",
        ),
    ],
    ids=["person", "parents", "young-person"],
)
def test_each_kind_of_reader_gets_its_own_title_and_salutation(recipient, title, salutation, phrase):
    letter = _compose(recipient)
    assert (letter.title, letter.salutation) == (title, salutation)
    text = letter.to_text()
    assert text.startswith(title + "\n") and salutation in text and phrase in text
    assert "Ons kenmerk: DL-2026-0007" in text


@pytest.mark.parametrize("recipient", [Addressee.PERSON, Addressee.PARENTS], ids=["person", "parents"])
def test_adults_are_addressed_formally(recipient):
    text = _compose(recipient).to_text()
    assert FORMAL.search(text) and not INFORMAL.search(text)
    assert ("uw kind" in text) == (recipient is Addressee.PARENTS)
    assert "U hoeft nu niets te doen." in text


def test_a_young_person_is_addressed_informally():
    text = _compose(Addressee.YOUNG_PERSON).to_text()
    assert "jouw" in text and "Je hoeft nu niets te doen." in text
    assert not FORMAL.search(text)


def test_the_letter_names_the_dpo_of_the_organisation_as_contact():
    text = _compose().to_text()
    assert "functionaris gegevensbescherming: Fien FG, fg@test.invalid, 020-1234567." in text
    assert "Autoriteit Persoonsgegevens" in text
    assert text.rstrip().endswith("Gemeente Test\n25-11-2026")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"what_happened": ""}, "what_happened", "Beschrijf wat er is gebeurd."),
        ({"consequences": "  "}, "consequences", "Beschrijf de mogelijke gevolgen."),
        ({"measures": ""}, "measures", "Beschrijf wat de organisatie heeft gedaan."),
        ({"what_you_can_do": "x" * 3001}, "what_you_can_do", "hoogstens 3000 tekens"),
    ],
    ids=["what-happened", "consequences", "measures", "too-long"],
)
def test_a_missing_part_gives_a_dutch_error(changes, field, message):
    with pytest.raises(InvalidInput) as refused:
        _compose(text=letters.LetterText(**{**TEXT.model_dump(), **changes}))
    assert message in refused.value.errors[field]


def test_without_dpo_contact_details_no_letter_is_made():
    with pytest.raises(InvalidInput) as refused:
        _compose(org=Organisation(id=2, name="Zonder FG"))
    assert "contactgegevens van de FG ontbreken" in refused.value.errors["form"]


def test_markup_in_a_letter_part_stays_literal_text():
    script = "<script>alert(1)</script>"
    letter = _compose(text=TEXT.model_copy(update={"measures": script}))
    assert script in letter.to_text()
    assert script in _docx_paragraphs(letter)


def test_the_word_file_holds_title_headings_and_every_line():
    letter = _compose(Addressee.PARENTS, TEXT.model_copy(update={"measures": "Regel een.\nRegel twee."}))
    document = docx.Document(io.BytesIO(letter.to_docx()))
    assert document.core_properties.title == letter.title
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == letter.title and "Wat hebben wij gedaan?" in headings
    assert {"Regel een.", "Regel twee.", "Beste ouder of verzorger,", "Gemeente Test"} <= {
        p.text for p in document.paragraphs
    }


def test_a_pasted_control_character_does_not_break_the_word_file():
    letter = _compose(text=TEXT.model_copy(update={"measures": "Regel een\x0bRegel twee"}))
    assert any("Regel een" in p for p in _docx_paragraphs(letter))


def test_prefill_writes_from_the_facts_only():
    facts = Facts(
        incident_type=IncidentType.MAIL_MISDELIVERED,
        aware_at=NOW,
        data_categories=[DataCategory.BSN, DataCategory.UNKNOWN, DataCategory.OTHER],
    )
    made = letters.prefill(facts)
    assert made.what_happened == (
        "Een brief met gegevens is naar een verkeerd adres gestuurd. "
        "Het gaat om deze gegevens: burgerservicenummer (BSN)."
    )
    assert "Centraal Meldpunt Identiteitsfraude" in made.what_you_can_do
    assert made.consequences == "" and made.measures == ""
    assert letters.prefill(None) == letters.LetterText()


@pytest.mark.parametrize(
    "categories",
    [
        [DataCategory.CONTACT],
        [DataCategory.NAME_ADDRESS],
        [DataCategory.PHONE],
        [DataCategory.EMAIL],
        [DataCategory.EMAIL, DataCategory.PHONE, DataCategory.CONTACT],
    ],
    ids=["contact", "name-address", "phone", "email", "several"],
)
def test_leaked_contact_details_of_any_kind_get_the_phishing_advice_once(categories):
    made = letters.prefill(Facts(aware_at=NOW, data_categories=categories))
    assert made.what_you_can_do.count("Wees alert op berichten die u niet verwacht") == 1


# --- through documents: the incident's own letter ----------------------------------------

SECRET = "Jan de Vries, BSN 123456782, Dorpsstraat 1"


@pytest.fixture
def family(fresh_db, world, monkeypatch):
    """A decided incident whose description names a person; the parents' check is done."""
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))
    report = make_report(
        world.org.id,
        description=f"Dossier van {SECRET} naar verkeerde ouder.",
        actions_taken="Gebeld met Piet Puk.",
    )
    incident = incidents.submit_report(fresh_db, world["reporter"], report, at=NOW)
    assessment.save(
        fresh_db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m"
    )
    decisions.record(
        fresh_db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    for recipient in Addressee:
        informing.record_safety_check(fresh_db, world["dpo"], incident.id, recipient, False)
    return incident


def _family_letter(db, world, incident, recipient=Addressee.PARENTS):
    text = documents.letter_prefill(db, world["dpo"], incident.id, recipient).model_copy(
        update={"consequences": "Een andere ouder kon het lezen.", "measures": "Teruggevraagd."}
    )
    return documents.letter_for(db, world["dpo"], incident.id, recipient, text, today=DAY)


def test_a_family_letter_never_copies_the_reporters_description(fresh_db, world, family):
    letter = _family_letter(fresh_db, world, family)
    everything = letter.to_text() + "\n".join(_docx_paragraphs(letter))
    for fragment in ("Jan de Vries", "123456782", "Dorpsstraat", "Piet Puk", "verkeerde ouder"):
        assert fragment not in everything
    assert "Gegevens zijn per ongeluk naar de verkeerde persoon gestuurd." in letter.to_text()
    assert "Fien FG, fg@test.invalid" in letter.to_text()


def test_making_a_letter_is_audited_with_the_recipient_code(fresh_db, world, family):
    _family_letter(fresh_db, world, family, Addressee.YOUNG_PERSON)
    entry = audit_log.recent(fresh_db, 1, action="subjects.letter")[0]
    assert json.loads(entry["detail"]) == {"recipient": "young_person"}


def test_a_young_persons_letter_from_the_prefill_says_je_throughout(fresh_db, world, family):
    text = _family_letter(fresh_db, world, family, Addressee.YOUNG_PERSON).to_text()
    assert not FORMAL.search(text)


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_makes_letters(fresh_db, world, family, who):
    with pytest.raises(PermissionDenied):
        documents.letter_prefill(fresh_db, world[who], family.id)
    with pytest.raises(PermissionDenied):
        documents.letter_for(fresh_db, world[who], family.id, Addressee.PARENTS, TEXT, today=DAY)


def test_the_public_notice_tells_what_happened_and_how_to_reach_the_dpo():
    text = letters.public_notice(TEXT, ORG)
    lines = text.splitlines()
    assert lines[0] == "Datalek bij Gemeente Test"
    for part in (TEXT.what_happened, TEXT.consequences, TEXT.measures, "fg@test.invalid"):
        assert part in text
    assert "Wat kunt u zelf doen?" not in text  # only when there is something to do


def test_the_prefill_never_names_child_protection_information():
    facts = Facts(
        incident_type=IncidentType.SENT_BY_MISTAKE,
        aware_at=NOW,
        data_categories=[DataCategory.CARE_FILE, DataCategory.CHILD_PROTECTION],
    )
    made = letters.prefill(facts, recipient=Addressee.YOUNG_PERSON)
    assert "Veilig Thuis" not in made.what_happened and "eilig" not in made.what_happened
    assert "jeugdhulp- of zorgdossier" in made.what_happened
