"""Readability: sentences and their length, legal terms; the built-in letters pass the B1
thresholds of ``datalek.actions.readability`` with realistic parts for a care-file breach."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datalek.actions import letter_texts, letters, readability
from datalek.actions.addressees import Addressee, AddressForm
from datalek.models import IncidentType, Organisation
from datalek.triage.facts import DataCategory, Facts
from tests.conftest import NOW

ORG = Organisation(id=1, name="Jeugdhulp Test", dpo_name="Fien FG", dpo_email="fg@test.invalid")
DAY = date(2026, 11, 25)
#: What an FG writes for a care-file breach, in the plain words the screen asks for.
CONSEQUENCES = (
    "Iemand anders kon het dossier lezen. Die persoon heeft het bericht meteen verwijderd. "
    "Wij denken niet dat het verder is verspreid."
)
MEASURES = (
    "Wij hebben de ontvanger gebeld. Hij heeft het bericht gewist. "
    "Onze medewerkers letten nu extra op als zij een e-mail versturen."
)
CARE_FILE_BREACH = [DataCategory.CARE_FILE, DataCategory.HEALTH, DataCategory.NAME_ADDRESS, DataCategory.BSN]
#: Every way an incident happened that the prefill can describe.
KINDS = [k for k in IncidentType if letters.prefill(Facts(incident_type=k, aware_at=NOW)).what_happened]
YOUNG = [Addressee.YOUNG_12_15, Addressee.YOUNG_16_17]
ADULT_VARIANTS = [
    (r, f)
    for r in (Addressee.PERSON, Addressee.PARENTS, Addressee.REPRESENTATIVE, Addressee.EMPLOYEE)
    for f in AddressForm
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallo. Dit is kort!", ["Hallo.", "Dit is kort!"]),
        ("Wat is er gebeurd?\nEen brief ging mis.", ["Wat is er gebeurd?", "Een brief ging mis."]),
        ("Zie art. 34 AVG voor meer.", ["Zie art. 34 AVG voor meer."]),
        ("Mail fg@test.invalid of bel 020-1234567.", ["Mail fg@test.invalid of bel 020-1234567."]),
        ("Bijv. een brief, o.a. aan ouders.", ["Bijv. een brief, o.a. aan ouders."]),
        ("Regel zonder punt\nTweede regel", ["Regel zonder punt", "Tweede regel"]),
        ("Echt?! Ja...", ["Echt?!", "Ja..."]),
        ("Het is 25-11-2026. Goed.", ["Het is 25-11-2026.", "Goed."]),
        ("\n \n- \n", []),
    ],
    ids=["two", "line", "article", "address", "abbreviations", "no-stop", "marks", "date", "empty"],
)
def test_sentences(text, expected):
    assert readability.sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("e-mailadres", 1),
        ("af- en bijgeschreven", 3),
        ("fg@test.invalid", 1),
        ("020-1234567", 1),
        ("- naam en adres", 3),
        ("Hoi,", 1),
        ("Ons kenmerk: DL-2026-0007", 3),
        ("'s avonds", 1),
    ],
    ids=str,
)
def test_words(text, count):
    assert len(readability.words(text)) == count


@pytest.mark.parametrize(
    ("text", "average", "longest"),
    [
        ("Een twee drie. Vier.", 2.0, 3),
        ("Een zin van vijf woorden.\nKort.", 3.0, 5),
        ("", 0.0, 0),
    ],
    ids=["two", "line", "empty"],
)
def test_sentence_length(text, average, longest):
    assert readability.average_sentence_words(text) == average
    assert readability.longest_sentence_words(text) == longest


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zie art. 34 AVG.", ["art. 34", "AVG"]),
        ("Volgens artikel 9 mag dat.", ["artikel 9"]),
        ("Art.33 lid 2", ["Art.33"]),
        ("In de artikelen staat het.", ["artikelen"]),
        ("De betrokkene en de betrokkenen.", ["betrokkene", "betrokkenen"]),
        ("De Autoriteit Persoonsgegevens.", ["Persoonsgegevens"]),
        ("Bel de Functionaris Gegevensbescherming.", ["Functionaris Gegevensbescherming"]),
        ("Een inbreuk op de verwerkingsverantwoordelijke.", ["inbreuk", "verwerkingsverantwoordelijke"]),
        ("De UAVG en de GDPR.", ["UAVG", "GDPR"]),
        ("Je gegevens zijn per ongeluk verstuurd.", []),
        ("Bel je partner over de kunst. Start opnieuw.", []),
        ("Vraag het aan de persoon die bij ons let op privacy.", []),
    ],
    ids=str,
)
def test_legal_terms(text, found):
    assert readability.legal_terms(text) == found


PLAIN_WORDS = st.sampled_from(
    ["je", "gegevens", "brief", "wij", "dossier", "hulp", "vraag", "ouders", "privacy"]
)
SENTENCE = st.lists(PLAIN_WORDS, min_size=1, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")


@given(st.lists(SENTENCE, max_size=12), st.sampled_from([" ", "\n"]))
def test_every_sentence_and_every_word_is_counted(written, glue):
    text = glue.join(written)
    assert readability.sentences(text) == written
    lengths = [len(s.split()) for s in written]
    assert readability.longest_sentence_words(text) == max(lengths, default=0)
    assert readability.average_sentence_words(text) == pytest.approx(
        sum(lengths) / len(lengths) if lengths else 0
    )


@given(
    st.lists(PLAIN_WORDS, max_size=20),
    st.lists(PLAIN_WORDS, max_size=20),
    st.sampled_from(["AVG", "art. 9", "artikel 34", "persoonsgegevens", "betrokkene", "inbreuk", "Inbreuk"]),
)
def test_a_legal_term_is_found_wherever_it_stands(before, after, term):
    text = " ".join([*before, term, *after])
    assert readability.legal_terms(" ".join([*before, *after])) == []
    assert readability.legal_terms(text) == [term]


def _care_file_letter(recipient, form, kind=IncidentType.SENT_BY_MISTAKE):
    facts = Facts(incident_type=kind, aware_at=NOW, data_categories=CARE_FILE_BREACH)
    text = letters.prefill(facts, CONSEQUENCES, MEASURES, recipient, form)
    template = letter_texts.builtin(recipient, form)
    return letters.compose(recipient, text, ORG, "DL-2026-0007", DAY, template=template)


def _prose(letter) -> str:
    return readability.prose("\n".join(text for _, text in letter.sections))


def test_a_hard_text_fails_the_thresholds():
    """The measure can fail: the old young person's contact sentence and a legal one."""
    hard = (
        "Je mag altijd contact opnemen met onze functionaris gegevensbescherming, die binnen onze "
        "organisatie toezicht houdt op de verwerking van persoonsgegevens en die je kan helpen."
    )
    assert readability.longest_sentence_words(hard) > readability.YOUNG_LONGEST_WORDS
    assert readability.average_sentence_words(hard) > readability.YOUNG_AVERAGE_WORDS


@pytest.mark.parametrize("kind", KINDS, ids=str)
@pytest.mark.parametrize("recipient", YOUNG, ids=str)
def test_a_young_persons_letter_about_a_care_file_is_easy_to_read(recipient, kind):
    letter = _care_file_letter(recipient, AddressForm.JE, kind)
    prose = _prose(letter)
    assert readability.average_sentence_words(prose) <= readability.YOUNG_AVERAGE_WORDS
    assert readability.longest_sentence_words(prose) <= readability.YOUNG_LONGEST_WORDS
    assert readability.legal_terms(letter.to_text()) == []


@pytest.mark.parametrize(("recipient", "form"), ADULT_VARIANTS, ids=[f"{r}-{f}" for r, f in ADULT_VARIANTS])
def test_an_adults_letter_has_no_legal_terms_outside_the_complaint(recipient, form):
    text = _care_file_letter(recipient, form).to_text()
    complaint = letter_texts.complaint(recipient, form)
    assert text.count(complaint) == 1
    assert readability.legal_terms(text.replace(complaint, "")) == []
    assert readability.legal_terms(complaint) == ["Persoonsgegevens"]


@pytest.mark.parametrize("kind", KINDS, ids=str)
@pytest.mark.parametrize(("recipient", "form"), ADULT_VARIANTS, ids=[f"{r}-{f}" for r, f in ADULT_VARIANTS])
def test_an_adults_letter_about_a_care_file_is_plain_dutch(recipient, form, kind):
    prose = _prose(_care_file_letter(recipient, form, kind))
    assert readability.average_sentence_words(prose) <= readability.AVERAGE_WORDS
    assert readability.longest_sentence_words(prose) <= readability.LONGEST_WORDS


def test_the_prose_leaves_out_lists_names_and_dates_but_not_a_long_line_without_a_stop():
    text = "Hoi,\n- naam en adres\nGemeente Test\n25-11-2026\nEen lange regel zonder punt aan het eind ervan"
    assert readability.sentences(readability.prose(text)) == [
        "Een lange regel zonder punt aan het eind ervan"
    ]
