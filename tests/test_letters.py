"""Letters to betrokkenen: a text per kind of reader and address form, the obligatory content
in every one, plain words for the data, what the reader can do in the reader's own voice, the
FG as contact point, Dutch errors for missing parts, no copy of the reporter's description,
text never interpreted, and the Word files (one per letter, or one to merge for a group)."""

import dataclasses
import hashlib
import io
import json
import re
from datetime import date, timedelta

import docx
import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import documents, informing, letter_advice, letter_templates, letter_texts, letters
from datalek.actions.addressees import Addressee, AddressForm
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
YOUNG = [Addressee.YOUNG_PERSON, Addressee.YOUNG_12_15, Addressee.YOUNG_16_17]
ADULTS = [Addressee.PERSON, Addressee.PARENTS, Addressee.REPRESENTATIVE, Addressee.EMPLOYEE]
SPECIAL = sorted(c for c in DataCategory if c.special)
#: Every text the organisation can choose: young readers "je" only, the others "u" and "je".
VARIANTS = [(r, f) for r in ADULTS for f in AddressForm] + [(r, AddressForm.JE) for r in YOUNG]
VARIANT_IDS = [f"{r}-{f}" for r, f in VARIANTS]


def _compose(recipient=Addressee.PERSON, text=TEXT, org=ORG, form=None, children=1):
    template = None if form is None else letter_texts.builtin(recipient, form)
    return letters.compose(recipient, text, org, "DL-2026-0007", DAY, template=template, children=children)


def _facts(*categories, kind=IncidentType.SENT_BY_MISTAKE):
    return Facts(incident_type=kind, aware_at=NOW, data_categories=list(categories))


def _letter_about(recipient, form, *categories, children=1) -> str:
    text = letters.prefill(
        _facts(*categories), "Iemand kon het lezen.", "Teruggevraagd.", recipient, form, children
    )
    return _compose(recipient, text, form=form, children=children).to_text()


def _docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


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
        (Addressee.YOUNG_12_15, "Er is iets misgegaan met jouw gegevens", "Hoi,", "Wat kun je zelf doen?"),
        (Addressee.YOUNG_16_17, "Er is iets misgegaan met jouw gegevens", "Hoi,", "Wat kun je zelf doen?"),
        (
            Addressee.REPRESENTATIVE,
            "Er is iets misgegaan met de gegevens van iemand die u vertegenwoordigt",
            "Beste heer, mevrouw,",
            "Wat kan dit voor deze persoon betekenen?",
        ),
        (
            Addressee.EMPLOYEE,
            "Er is iets misgegaan met uw gegevens",
            "Beste collega,",
            "Wat kunt u zelf doen?",
        ),
    ],
    ids=str,
)
def test_each_kind_of_reader_gets_its_own_title_and_salutation(recipient, title, salutation, phrase):
    letter = _compose(recipient)
    assert (letter.title, letter.salutation) == (title, salutation)
    text = letter.to_text()
    assert text.startswith(title + "\n") and salutation in text and phrase in text
    assert "Ons kenmerk: DL-2026-0007" in text


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
def test_every_text_holds_the_obligatory_content(recipient, form):
    marked = letters.LetterText(
        what_happened="GEBEURD-1.",
        consequences="GEVOLGEN-2.",
        measures="MAATREGELEN-3.",
        what_you_can_do="ADVIES-4.",
        data="GEGEVENS-5.",
    )
    text = _compose(recipient, marked, form=form).to_text()
    for part in ("GEBEURD-1", "GEVOLGEN-2", "MAATREGELEN-3", "ADVIES-4", "GEGEVENS-5"):
        assert part in text
    assert "Fien FG, fg@test.invalid, 020-1234567" in text and "let op privacy" in text
    assert ("Autoriteit Persoonsgegevens" in text) == (recipient not in YOUNG)
    assert "klacht" in text
    assert text.rstrip().endswith("Gemeente Test\n25-11-2026")


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
def test_a_text_speaks_to_its_reader_in_one_form_throughout(recipient, form):
    text = _letter_about(recipient, form, *DataCategory)
    wrong = INFORMAL if form is AddressForm.U else FORMAL
    assert not wrong.search(text), wrong.search(text)
    assert (FORMAL if form is AddressForm.U else INFORMAL).search(text)


@pytest.mark.parametrize("form", list(AddressForm), ids=str)
@pytest.mark.parametrize(("children", "words"), [(1, "uw kind"), (2, "uw kinderen")], ids=["one", "two"])
def test_a_parents_letter_speaks_of_their_child_or_children(form, children, words):
    if form is AddressForm.JE:
        words = words.replace("uw ", "je ")
    letter = _letter_about(
        Addressee.PARENTS, form, DataCategory.BSN, DataCategory.CARE_FILE, children=children
    )
    title = letter.splitlines()[0]
    assert title.endswith(words)
    advice = letter.split("zelf doen?")[1]
    assert words in advice
    if children == 2:
        assert re.search(r"\b(uw|je) kind\b", letter) is None


def test_a_young_person_of_12_to_15_hears_that_the_parents_usually_get_a_letter_too():
    text = _compose(Addressee.YOUNG_12_15).to_text()
    assert "Meestal krijgen je ouders of je voogd ook een brief." in text
    assert "als jij dat goed vindt" not in text


def test_a_young_person_of_16_or_17_hears_that_the_parents_only_get_a_letter_with_consent():
    text = _compose(Addressee.YOUNG_16_17).to_text()
    assert "Je ouders krijgen alleen een brief als jij dat goed vindt." in text
    assert "Meestal krijgen je ouders" not in text


def test_the_legacy_young_person_reads_the_letter_for_12_to_15():
    assert _compose(Addressee.YOUNG_PERSON).to_text() == _compose(Addressee.YOUNG_12_15).to_text()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"what_happened": ""}, "what_happened", "Beschrijf wat er is gebeurd."),
        ({"consequences": "  "}, "consequences", "Beschrijf de mogelijke gevolgen."),
        ({"measures": ""}, "measures", "Beschrijf wat de organisatie heeft gedaan."),
        ({"what_you_can_do": "x" * 3001}, "what_you_can_do", "hoogstens 3000 tekens"),
        ({"data": "x" * 3001}, "data", "hoogstens 3000 tekens"),
    ],
    ids=["what-happened", "consequences", "measures", "too-long", "data-too-long"],
)
def test_a_missing_part_gives_a_dutch_error(changes, field, message):
    with pytest.raises(InvalidInput) as refused:
        _compose(text=letters.LetterText(**{**TEXT.model_dump(), **changes}))
    assert message in refused.value.errors[field]


def test_without_dpo_contact_details_no_letter_is_made():
    with pytest.raises(InvalidInput) as refused:
        _compose(org=Organisation(id=2, name="Zonder FG"))
    assert "contactgegevens van de FG ontbreken" in refused.value.errors["form"]


@pytest.mark.parametrize("children", [0, -1], ids=str)
def test_a_letter_is_about_at_least_one_child(children):
    with pytest.raises(InvalidInput) as refused:
        _compose(Addressee.PARENTS, children=children)
    assert "1 of meer" in refused.value.errors["children"]


def test_markup_in_a_letter_part_stays_literal_text():
    script = "<script>alert(1)</script>\n## Geen kop\n# Geen titel"
    letter = _compose(text=TEXT.model_copy(update={"measures": script}))
    assert script in letter.to_text()
    paragraphs = docx.Document(io.BytesIO(letter.to_docx())).paragraphs
    assert [p.style.name for p in paragraphs if p.text == "## Geen kop"] == ["Normal"]
    assert "<script>alert(1)</script>" in [p.text for p in paragraphs]


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
    assert any("Regel een" in p for p in _docx_paragraphs(letter.to_docx()))


def test_the_merge_file_has_merge_fields_for_name_and_address_and_then_the_letter():
    letter = _compose(Addressee.PARENTS)
    document = docx.Document(io.BytesIO(letter.to_merge_docx()))
    fields = document.element.body.xpath(".//w:fldSimple")
    instructions = [
        f.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr") for f in fields
    ]
    assert [i.split()[:2] for i in instructions] == [
        ["MERGEFIELD", "Naam"],
        ["MERGEFIELD", "Adres"],
        ["MERGEFIELD", "Postcode"],
        ["MERGEFIELD", "Woonplaats"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert texts.index(letter.title) > 2  # the address block comes first
    assert set(_docx_paragraphs(letter.to_docx())) <= set(texts)
    assert not document.element.body.xpath(".//w:fldSimple[not(contains(@w:instr, 'MERGEFIELD'))]")


def test_the_single_word_file_has_no_merge_fields():
    document = docx.Document(io.BytesIO(_compose().to_docx()))
    assert document.element.body.xpath(".//w:fldSimple") == []


def test_a_letter_knows_its_template_version_and_the_hash_of_its_text():
    letter = _compose()
    assert letter.template_version == 0
    assert letter.sha256 == hashlib.sha256(letter.to_text().encode("utf-8")).hexdigest()
    assert _compose(text=TEXT.model_copy(update={"measures": "Anders."})).sha256 != letter.sha256


def test_prefill_writes_from_the_facts_only():
    made = letters.prefill(
        _facts(
            DataCategory.BSN, DataCategory.UNKNOWN, DataCategory.OTHER, kind=IncidentType.MAIL_MISDELIVERED
        )
    )
    assert made.what_happened == "Een brief met gegevens is naar een verkeerd adres gestuurd."
    assert made.data == "Het gaat om deze gegevens:\n- burgerservicenummer (BSN)"
    assert "Centraal Meldpunt Identiteitsfraude" in made.what_you_can_do
    assert made.consequences == "" and made.measures == ""
    assert letters.prefill(None) == letters.LetterText()


# --- what the reader can do, tailored to the data ------------------------------------------

#: (categories, what the advice must say) - each group of data has its own advice.
ADVICE = [
    *[(c, "dossier") for c in SPECIAL],
    (DataCategory.BSN, "Centraal Meldpunt Identiteitsfraude (CMI)"),
    (DataCategory.ID_DOCUMENT, "Centraal Meldpunt Identiteitsfraude (CMI)"),
    (DataCategory.CREDENTIALS, "wachtwoord"),
    (DataCategory.FINANCIAL, "bankrekening"),
    (DataCategory.PAYMENT_MEANS, "bankrekening"),
    *[(c, "niet verwacht") for c in sorted(letter_advice.CONTACT)],
]
#: How each reader is spoken to about whose data it is.
PERSPECTIVE = {
    Addressee.PARENTS: "kind",
    Addressee.REPRESENTATIVE: "vertegenwoordigt",
}


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
@pytest.mark.parametrize(("category", "said"), ADVICE, ids=[str(c) for c, _ in ADVICE])
def test_each_kind_of_data_gets_its_advice_in_the_readers_voice(recipient, form, category, said):
    made = letters.prefill(_facts(category), recipient=recipient, form=form)
    advice = made.what_you_can_do
    assert said in advice
    wrong = INFORMAL if form is AddressForm.U else FORMAL
    assert not wrong.search(advice)
    if recipient in PERSPECTIVE:
        assert PERSPECTIVE[recipient] in advice
    if recipient in YOUNG:
        assert advice.endswith("Vertel het aan een volwassene die je vertrouwt.")
    assert "niets te doen" not in advice


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
@pytest.mark.parametrize(
    "categories",
    [
        [DataCategory.CONTACT],
        [DataCategory.NAME_ADDRESS, DataCategory.PHONE],
        [DataCategory.EMAIL, DataCategory.PHONE, DataCategory.CONTACT, DataCategory.NAME_ADDRESS],
    ],
    ids=["one", "two", "four"],
)
def test_leaked_contact_details_of_any_kind_get_the_phishing_advice_once(recipient, form, categories):
    made = letters.prefill(_facts(*categories), recipient=recipient, form=form)
    assert made.what_you_can_do.count("niet verwacht") == 1


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
@pytest.mark.parametrize(
    "category",
    [DataCategory.DEMOGRAPHIC, DataCategory.LOCATION, DataCategory.OTHER, DataCategory.UNKNOWN],
    ids=str,
)
def test_other_data_gets_a_neutral_sentence_that_invites_questions(recipient, form, category):
    advice = letters.prefill(_facts(category), recipient=recipient, form=form).what_you_can_do
    assert advice == letter_advice.advice([category], recipient, form)
    assert "vragen" in advice and "contact met ons op" in advice and "niets te doen" not in advice


@pytest.mark.parametrize("recipient", YOUNG, ids=str)
@pytest.mark.parametrize("category", list(DataCategory), ids=str)
def test_a_young_persons_letter_never_cites_an_article(recipient, category):
    text = letters.prefill(_facts(category), "Iemand kon het lezen.", "Teruggevraagd.", recipient)
    letter = _compose(recipient, text).to_text()
    for cited in ("(art. 9 AVG)", "(art. 10 AVG)", "AVG", "art."):
        assert cited not in letter


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
@pytest.mark.parametrize("category", SPECIAL, ids=str)
def test_a_leaked_care_file_never_tells_the_reader_to_do_nothing(recipient, form, category):
    letter = _letter_about(recipient, form, category)
    assert "niets te doen" not in letter.lower()
    assert re.search(r"\bin(zien| te zien)\b", letter)  # the right to see the file


@pytest.mark.parametrize(("recipient", "form"), VARIANTS, ids=VARIANT_IDS)
def test_a_letter_without_advice_invites_questions_instead_of_saying_do_nothing(recipient, form):
    text = _compose(recipient, TEXT, form=form).to_text()
    assert "niets te doen" not in text
    assert letter_advice.advice([], recipient, form) in text


@pytest.mark.parametrize("category", list(DataCategory), ids=str)
def test_the_data_is_named_in_plain_words(category):
    data = letters.prefill(_facts(category)).data
    for legal in ("art.", "AVG", "Veilig Thuis", "jeugdbescherming", "Anders", "onbekend"):
        assert legal not in data
    named = letter_advice.DATA_WORDS.get(category)
    assert (named is not None and named in data) == (data != "")


def test_a_letter_without_known_data_says_whom_to_ask():
    text = _compose(Addressee.YOUNG_12_15, TEXT).to_text()
    assert "Wil je weten om welke gegevens het gaat? Vraag het ons." in text


# --- through documents: the incident's own letter ----------------------------------------

SECRET = "Jan de Vries, BSN 123456782, Dorpsstraat 1"


@pytest.fixture
def family(fresh_db, world, monkeypatch):
    """A decided incident whose description names a person; every recipient's check is done."""
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


def _family_letter(db, world, incident, recipient=Addressee.PARENTS, **kw):
    text = documents.letter_prefill(db, world["dpo"], incident.id, recipient).model_copy(
        update={"consequences": "Een andere ouder kon het lezen.", "measures": "Teruggevraagd."}
    )
    return documents.letter_for(db, world["dpo"], incident.id, recipient, text, today=DAY, **kw)


def test_a_family_letter_never_copies_the_reporters_description(fresh_db, world, family):
    letter = _family_letter(fresh_db, world, family)
    everything = letter.to_text() + "\n".join(_docx_paragraphs(letter.to_docx()))
    for fragment in ("Jan de Vries", "123456782", "Dorpsstraat", "Piet Puk", "verkeerde ouder"):
        assert fragment not in everything
    assert "Gegevens zijn per ongeluk naar de verkeerde persoon gestuurd." in letter.to_text()
    assert "Fien FG, fg@test.invalid" in letter.to_text()


def test_a_letter_from_the_screen_without_data_names_the_data_of_the_incident(fresh_db, world, family):
    """The current screen sends the shared parts without ``data``: the letter takes the data
    from the incident's assessment, in plain words."""
    text = letters.LetterText(what_happened="Er ging iets mis.", consequences="Weinig.", measures="Hersteld.")
    letter = documents.letter_for(fresh_db, world["dpo"], family.id, Addressee.PARENTS, text, today=DAY)
    assert "- gegevens uit een dossier van jeugdhulp of zorg" in letter.to_text()


def test_making_a_letter_is_audited_with_the_recipient_code(fresh_db, world, family):
    _family_letter(fresh_db, world, family, Addressee.YOUNG_PERSON)
    entry = audit_log.recent(fresh_db, 1, action="subjects.letter")[0]
    assert json.loads(entry["detail"]) == {"recipient": "young_person"}


def test_a_young_persons_letter_from_the_prefill_says_je_throughout(fresh_db, world, family):
    text = _family_letter(fresh_db, world, family, Addressee.YOUNG_PERSON).to_text()
    assert not FORMAL.search(text)


def test_the_letter_follows_the_organisations_current_template(fresh_db, world, family):
    body = letter_texts.builtin_body(Addressee.PARENTS, AddressForm.JE).replace(
        "Beste ouder of verzorger,", "Beste ouder,"
    )
    letter_templates.save(fresh_db, world["dpo"], world.org.id, Addressee.PARENTS, AddressForm.JE, body)
    prefilled = documents.letter_prefill(fresh_db, world["dpo"], family.id, Addressee.PARENTS)
    assert not FORMAL.search(prefilled.what_you_can_do)  # the advice in the template's form
    letter = _family_letter(fresh_db, world, family, Addressee.PARENTS)
    assert (letter.salutation, letter.template_version) == ("Beste ouder,", 1)
    assert not FORMAL.search(letter.to_text())
    other = _family_letter(fresh_db, world, family, Addressee.PERSON)
    assert (other.salutation, other.template_version) == ("Beste heer, mevrouw,", 0)


def test_a_parents_letter_for_two_children(fresh_db, world, family):
    letter = _family_letter(fresh_db, world, family, Addressee.PARENTS, children=2)
    assert letter.title == "Er is iets misgegaan met de gegevens van uw kinderen"


def test_another_organisations_template_is_refused(fresh_db, world, family):
    foreign = dataclasses.replace(
        letter_texts.builtin(Addressee.PARENTS, AddressForm.U), org_id=world.other_org.id
    )
    with pytest.raises(InvalidInput) as refused:
        _family_letter(fresh_db, world, family, Addressee.PARENTS, template=foreign)
    assert "andere organisatie" in refused.value.errors["template"]


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_makes_letters(fresh_db, world, family, who):
    with pytest.raises(PermissionDenied):
        documents.letter_prefill(fresh_db, world[who], family.id)
    with pytest.raises(PermissionDenied):
        documents.letter_for(fresh_db, world[who], family.id, Addressee.PARENTS, TEXT, today=DAY)


def test_the_public_notice_tells_what_happened_and_how_to_reach_the_dpo():
    text = letters.public_notice(TEXT.model_copy(update={"data": "Het gaat om: naam."}), ORG)
    lines = text.splitlines()
    assert lines[0] == "Datalek bij Gemeente Test"
    for part in (
        TEXT.what_happened,
        TEXT.consequences,
        TEXT.measures,
        "Het gaat om: naam.",
        "fg@test.invalid",
    ):
        assert part in text
    assert "Wat kunt u zelf doen?" not in text  # only when there is something to do


def test_the_prefill_never_names_child_protection_information():
    made = letters.prefill(
        _facts(DataCategory.CARE_FILE, DataCategory.CHILD_PROTECTION), recipient=Addressee.YOUNG_PERSON
    )
    for part in (made.what_happened, made.data):
        assert "Veilig Thuis" not in part and "eilig" not in part and "bescherming" not in part
    assert "dossier van jeugdhulp of zorg" in made.data
