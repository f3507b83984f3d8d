"""The organisation's own letter texts: a template per kind of reader, checked for the
obligatory content, versioned, previewed with demo values, and filled in one pass."""

import dataclasses
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datalek.accounts.permissions import PermissionDenied
from datalek.actions import letter_templates, letter_texts, letters
from datalek.actions.addressees import Addressee, AddressForm
from datalek.models import InvalidInput, Organisation
from datalek.store import audit_log

ORG = Organisation(id=1, name="Gemeente Test", dpo_name="Fien FG", dpo_email="fg@test.invalid")
DAY = date(2026, 11, 25)
TEXT = letters.LetterText(
    what_happened="Een brief ging naar een verkeerd adres.",
    consequences="Iemand anders kon de brief lezen.",
    measures="Wij hebben de brief teruggevraagd.",
)
YOUNG = [Addressee.YOUNG_12_15, Addressee.YOUNG_16_17, Addressee.YOUNG_PERSON]
VARIANTS = [(r, f) for r in Addressee for f in letter_texts.FORMS[r]]
PERSON_U = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U)
YOUNG_JE = letter_texts.builtin_body(Addressee.YOUNG_12_15, AddressForm.JE)


def test_the_placeholders_are_described_in_dutch():
    assert set(letter_templates.OBLIGATORY) == {
        "gebeurd",
        "gegevens",
        "gevolgen",
        "maatregelen",
        "advies",
        "contact",
    }
    wanted = {"organisatie", "kenmerk", "datum", "uw_kind", "klacht", *letter_templates.OBLIGATORY}
    assert wanted <= set(letter_templates.PLACEHOLDERS)
    assert all(
        description and description[0].islower() for description in letter_templates.PLACEHOLDERS.values()
    )


@pytest.mark.parametrize(("reader", "form"), VARIANTS, ids=[f"{r}-{f}" for r, f in VARIANTS])
def test_every_built_in_text_passes_the_check(reader, form):
    assert letter_templates.check(reader, letter_texts.builtin_body(reader, form)) == {}


@pytest.mark.parametrize("name", ["gebeurd", "gegevens", "gevolgen", "maatregelen", "advies", "contact"])
@pytest.mark.parametrize("reader", [Addressee.PERSON, Addressee.YOUNG_16_17], ids=str)
def test_a_missing_obligatory_placeholder_is_named_in_words(reader, name):
    body = letter_texts.builtin_body(reader, letter_texts.default_form(reader)).replace("{" + name + "}", "")
    message = letter_templates.check(reader, body)["body"]
    assert "{" + name + "}" in message and letter_templates.PLACEHOLDERS[name] in message


#: (reader, body, the message the check gives) - one row per rule.
CHECKS = [
    (Addressee.PERSON, "", "Vul de tekst van de brief in."),
    (Addressee.PERSON, PERSON_U + "\n{onbekend}", "{onbekend} kennen we niet."),
    (Addressee.PERSON, PERSON_U + "\n{Advies}", "{Advies} kennen we niet."),
    (Addressee.PERSON, PERSON_U + "\n{advies", "Een { of } staat los."),
    (Addressee.PERSON, PERSON_U + "\nadvies}", "Een { of } staat los."),
    (Addressee.PERSON, PERSON_U.replace("# ", "", 1), "Begin met een titel"),
    (Addressee.PERSON, "#\n" + PERSON_U, "Begin met een titel"),
    (Addressee.PERSON, PERSON_U + "\n" + "x" * 10_000, "hoogstens 10.000 tekens"),
    (Addressee.PERSON, PERSON_U.replace("{klacht}", ""), "{klacht}"),
    (Addressee.PERSON, PERSON_U + "\n{uw_kind}", "{uw_kind} hoort alleen in een brief aan ouders."),
    (
        Addressee.YOUNG_12_15,
        YOUNG_JE + "\nZie art. 34 AVG.",
        "geen wetsartikelen of juridische woorden: art. 34, AVG",
    ),
    (Addressee.YOUNG_PERSON, YOUNG_JE + "\nJe persoonsgegevens.", "juridische woorden: persoonsgegevens"),
    (Addressee.YOUNG_16_17, YOUNG_JE + "\nBel de functionaris gegevensbescherming.", "functionaris"),
]


@pytest.mark.parametrize(("reader", "body", "message"), CHECKS, ids=[m[:30] for _, _, m in CHECKS])
def test_the_check(reader, body, message):
    assert message in letter_templates.check(reader, body)["body"]


@pytest.mark.parametrize("reader", YOUNG, ids=str)
def test_a_young_readers_template_needs_no_complaint_placeholder_and_may_cite_nothing(reader):
    assert letter_templates.check(reader, YOUNG_JE.replace("{klacht}", "")) == {}
    assert letter_templates.check(Addressee.PERSON, PERSON_U + "\nZie art. 34 AVG.") == {}


# --- versions in the database --------------------------------------------------------------


def _save(db, world, body, reader=Addressee.PERSON, form=AddressForm.U, who="dpo", org=None):
    return letter_templates.save(db, world[who], org or world.org.id, reader, form, body)


def test_without_a_saved_version_the_built_in_text_is_current(fresh_db, world):
    current = letter_templates.current(fresh_db, world.org.id, Addressee.YOUNG_16_17)
    assert (current.id, current.version, current.form) == (None, 0, AddressForm.JE)
    assert current.body == letter_texts.builtin_body(Addressee.YOUNG_16_17, AddressForm.JE)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON).form is AddressForm.U


def test_saving_twice_makes_versions_1_and_2_and_restoring_makes_3(fresh_db, world):
    first = _save(fresh_db, world, PERSON_U.replace("Beste heer, mevrouw,", "Geachte lezer,"))
    second = _save(fresh_db, world, PERSON_U.replace("Beste heer, mevrouw,", "Beste lezer,"))
    assert (first.version, second.version) == (1, 2)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON) == second
    history = letter_templates.history(fresh_db, world["dpo"], world.org.id, Addressee.PERSON)
    assert [(t.version, t.body) for t in history] == [(2, second.body), (1, first.body)]
    assert all(t.created_by == world["dpo"].user_id and t.created_at is not None for t in history)
    restored = letter_templates.restore_builtin(fresh_db, world["dpo"], world.org.id, Addressee.PERSON)
    assert (restored.version, restored.body, restored.form) == (3, PERSON_U, AddressForm.U)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON) == restored


def test_restoring_can_switch_to_the_other_built_in_form(fresh_db, world):
    made = letter_templates.restore_builtin(
        fresh_db, world["dpo"], world.org.id, Addressee.PARENTS, AddressForm.JE
    )
    assert (made.version, made.form) == (1, AddressForm.JE)
    assert made.body == letter_texts.builtin_body(Addressee.PARENTS, AddressForm.JE)


def test_saving_what_is_already_current_is_refused(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        _save(fresh_db, world, PERSON_U)
    assert "niets veranderd" in refused.value.errors["body"]
    changed = _save(fresh_db, world, PERSON_U + "\nTot ziens.")
    with pytest.raises(InvalidInput):
        _save(fresh_db, world, changed.body)
    with pytest.raises(InvalidInput):
        letter_templates.restore_builtin(fresh_db, world["dpo"], world.org.id, Addressee.YOUNG_12_15)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON).version == 1


def test_the_same_body_in_the_other_form_is_a_change(fresh_db, world):
    assert _save(fresh_db, world, PERSON_U, form=AddressForm.JE).version == 1


def test_an_invalid_template_is_not_saved(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        _save(fresh_db, world, PERSON_U.replace("{advies}", ""))
    assert "{advies}" in refused.value.errors["body"]
    assert letter_templates.history(fresh_db, world["dpo"], world.org.id, Addressee.PERSON) == []


@pytest.mark.parametrize("reader", YOUNG, ids=str)
def test_a_young_readers_letter_is_always_je(fresh_db, world, reader):
    with pytest.raises(InvalidInput) as refused:
        _save(fresh_db, world, YOUNG_JE + "\nTot ziens.", reader=reader, form=AddressForm.U)
    assert "je" in refused.value.errors["form"]


def test_the_legacy_young_person_shares_the_template_of_12_to_15(fresh_db, world):
    made = _save(
        fresh_db, world, YOUNG_JE + "\nTot ziens.", reader=Addressee.YOUNG_PERSON, form=AddressForm.JE
    )
    assert made.reader is Addressee.YOUNG_12_15
    assert letter_templates.current(fresh_db, world.org.id, Addressee.YOUNG_12_15) == made


def test_a_body_is_stored_without_control_characters_and_with_plain_line_ends(fresh_db, world):
    made = _save(fresh_db, world, PERSON_U.replace("\n", "\r\n") + "\r\nTot\x07 ziens.")
    assert "\r" not in made.body and "\x07" not in made.body and made.body.endswith("Tot ziens.")


def test_saving_is_audited_with_reader_and_version_only(fresh_db, world):
    _save(fresh_db, world, PERSON_U + "\nGeheim: Jan de Vries")
    entry = audit_log.recent(fresh_db, 1, action="letter_template.save")[0]
    assert json.loads(entry["detail"]) == {"recipient": "person", "version": 1}
    assert (entry["object_type"], entry["object_id"]) == ("organisation", str(world.org.id))
    assert "Jan" not in json.dumps(dict(entry))


def test_one_organisations_template_is_not_anothers(fresh_db, world):
    _save(fresh_db, world, PERSON_U + "\nTot ziens.")
    assert letter_templates.current(fresh_db, world.other_org.id, Addressee.PERSON).version == 0


@pytest.mark.parametrize("who", ["other_dpo", "reporter", "management", "admin"])
def test_only_the_organisations_own_fg_manages_its_templates(fresh_db, world, who):
    with pytest.raises(PermissionDenied):
        _save(fresh_db, world, PERSON_U + "\nTot ziens.", who=who)
    with pytest.raises(PermissionDenied):
        letter_templates.history(fresh_db, world[who], world.org.id, Addressee.PERSON)
    with pytest.raises(PermissionDenied):
        letter_templates.restore_builtin(fresh_db, world[who], world.org.id, Addressee.PERSON, AddressForm.JE)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON).version == 0


def test_the_other_organisations_fg_saves_for_her_own_organisation(fresh_db, world):
    made = _save(fresh_db, world, PERSON_U + "\nTot ziens.", who="other_dpo", org=world.other_org.id)
    assert (made.org_id, made.version) == (world.other_org.id, 1)
    assert letter_templates.current(fresh_db, world.org.id, Addressee.PERSON).version == 0


# --- filling a template ----------------------------------------------------------------------


def _fill(body, text=TEXT, reader=Addressee.PERSON, form=AddressForm.U):
    template = letter_templates.Template(None, ORG.id, reader, 4, form, body)
    return letters.compose(reader, text, ORG, "DL-2026-0007", DAY, template=template)


def test_a_value_typed_by_the_fg_is_never_expanded():
    tricky = TEXT.model_copy(update={"measures": "Zie {advies} en {contact} en {{gebeurd}}."})
    text = _fill(PERSON_U, tricky).to_text()
    assert "Zie {advies} en {contact} en {{gebeurd}}." in text
    assert text.count("Fien FG, fg@test.invalid") == 1


@given(st.text(min_size=1, max_size=200).filter(lambda s: letters.LetterText(measures=s).measures))
def test_every_value_arrives_verbatim(value):
    text = TEXT.model_copy(update={"measures": value})
    letter = _fill("# Titel\n## Kop\n{maatregelen}", text)
    assert letter.sections == [("Kop", text.measures)]


def test_placeholders_in_the_title_and_headings_are_filled_and_the_version_is_kept():
    body = "# Brief van {organisatie}\nHallo,\n\n## Over {kenmerk}\n{gebeurd}\n\n## Leeg\n{advies_leeg}\n"
    letter = _fill(body.replace("{advies_leeg}", ""))
    assert letter.title == "Brief van Gemeente Test"
    assert letter.salutation == "Hallo,"
    assert letter.sections == [("Over DL-2026-0007", TEXT.what_happened)]  # an empty section is left out
    assert letter.template_version == 4


def test_a_template_for_another_reader_is_refused():
    template = letter_texts.builtin(Addressee.PARENTS, AddressForm.U)
    with pytest.raises(InvalidInput) as refused:
        letters.compose(Addressee.PERSON, TEXT, ORG, "DL-1", DAY, template=template)
    assert "andere lezer" in refused.value.errors["template"]


@pytest.mark.parametrize(("reader", "form"), VARIANTS, ids=[f"{r}-{f}" for r, f in VARIANTS])
def test_the_preview_fills_every_placeholder_with_demo_values(reader, form):
    template = letter_texts.builtin(reader, form)
    letter = letter_templates.preview(template, Organisation(id=3, name="Voorbeeldgemeente"))
    text = letter.to_text()
    assert "{" not in text and "}" not in text
    assert "Voorbeeldgemeente" in text and "@" in text  # a demo contact when the FG's is missing
    assert letter.template_version == 0 and letter.title


def test_the_preview_of_an_unsaved_body_shows_its_errors():
    broken = dataclasses.replace(letter_texts.builtin(Addressee.PERSON, AddressForm.U), body="geen titel")
    with pytest.raises(InvalidInput) as refused:
        letter_templates.preview(broken, ORG)
    assert "titel" in refused.value.errors["body"]


# --- which fields a reader's template has: one function, used by the screen ---------------------

READERS = sorted(Addressee, key=lambda a: a.value)


@pytest.mark.parametrize("reader", READERS, ids=str)
def test_fields_say_which_placeholders_a_readers_template_has_and_which_must_be_in(reader):
    fields = letter_templates.fields(reader)
    names = [f.name for f in fields]
    assert ("uw_kind" in names) is (reader is Addressee.PARENTS)
    assert set(names) == set(letter_templates.PLACEHOLDERS) - ({"uw_kind"} - set(names))
    young = letter_texts.text_reader(reader).young
    needed = {f.name for f in fields if f.obligatory}
    assert needed == set(letter_templates.OBLIGATORY) | (set() if young else {"klacht"})
    assert all(f.meaning == letter_templates.PLACEHOLDERS[f.name] for f in fields)


@pytest.mark.parametrize("reader", READERS, ids=str)
def test_the_check_asks_exactly_for_the_obligatory_fields(reader):
    body = letter_texts.builtin_body(reader, letter_texts.default_form(reader))
    for field in letter_templates.fields(reader):
        if "{" + field.name + "}" not in body:
            continue
        message = letter_templates.check(reader, body.replace("{" + field.name + "}", "")).get("body", "")
        assert ("{" + field.name + "}" in message) is field.obligatory, field.name


def test_the_screen_asks_the_core_which_fields_a_reader_has():
    from pathlib import Path

    screen = (Path(__file__).resolve().parents[1] / "ui" / "letter_templates_view.py").read_text()
    assert "letter_templates.fields(" in screen
    assert "OBLIGATORY" not in screen and '"uw_kind"' not in screen and '"klacht"' not in screen
