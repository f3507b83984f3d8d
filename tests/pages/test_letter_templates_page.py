"""The organisation's letter texts on the FG-team page (issue #15, part I): the FG edits the
text per kind of reader, previews it with demo values as plain text, saves a new version
(refused input said next to the text, the typed text kept), sees the versions and restores
Datalek's own text. Another organisation's texts stay out of sight."""

from __future__ import annotations

import pytest

import navigation
from datalek import store
from datalek.accounts.users import create_user
from datalek.actions import letter_templates, letter_texts
from datalek.actions.addressees import Addressee, AddressForm
from datalek.models import Actor, Role
from datalek.store import letter_templates as template_sql
from tests.conftest import PASSWORD
from tests.pages.conftest import (
    button,
    error_after,
    errors,
    once_key,
    rows,
    signed_in,
    state_get,
    successes,
    table_with,
)
from tests.pages.test_dutch_only import framework_defaults, page_offences
from ui import callbacks

SAVE = "Opslaan als nieuwe versie"
PREVIEW = "Voorbeeld bekijken"
RESTORE = "Terugzetten naar de tekst van Datalek"
SENTENCE = "Bel ons gerust, ook in het weekend."
DATALEKS_OWN = "Dit is de tekst van Datalek."


def _prefix(org_id: int, reader: Addressee = Addressee.PERSON, form: AddressForm = AddressForm.U) -> str:
    return f"lt{org_id}_{reader.value}_{form.value}_"


def _page(actor: Actor):
    at = signed_in(actor, navigation.DPO_TEAM)
    assert not at.exception, at.exception
    return at


def _choose(at, reader: Addressee):
    at.selectbox(key="lt_reader").set_value(reader.value).run()
    assert not at.exception, at.exception
    return at


def _body(at, prefix: str):
    return at.text_area(key=once_key(at, prefix, "body"))


def _click(at, label: str):
    button(at, label).click().run()
    assert not at.exception, at.exception
    return at


def _versions(db_path, org_id: int) -> list[tuple[str, int, str]]:
    return [
        (r["reader"], r["version"], r["body"])
        for r in rows(db_path, "SELECT * FROM letter_templates WHERE org_id = ? ORDER BY id", [org_id])
    ]


def _with_sentence(body: str) -> str:
    return body.replace("{advies}", "{advies}\n" + SENTENCE)


def test_a_valid_text_is_saved_as_version_1_and_shown(world, db_path):
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    builtin = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U)
    assert _body(at, prefix).value == builtin
    assert any(DATALEKS_OWN in c.value for c in at.caption)
    assert RESTORE not in [b.label for b in at.button]  # nothing to restore yet
    _body(at, prefix).input(_with_sentence(builtin))
    _click(at, SAVE)
    assert "De nieuwe versie is opgeslagen." in successes(at)
    assert _versions(db_path, world.org.id) == [("person", 1, _with_sentence(builtin))]
    # the new, empty form shows the saved text, marked as the organisation's version 1
    assert _body(at, prefix).value == _with_sentence(builtin)
    assert any(c.value.startswith("Versie 1 van Gemeente Test") for c in at.caption)
    history = table_with(at, "Versie")
    assert list(history["Versie"]) == [1]
    assert list(history["Opgeslagen door"]) == ["Dpo"]
    assert list(history["Aanspreekvorm"]) == ["u"]
    assert RESTORE in [b.label for b in at.button]


@pytest.mark.parametrize(
    ("reader", "change", "said"),
    [
        (
            Addressee.PERSON,
            lambda b: b.replace("{advies}", ""),
            "Zet {advies} in de tekst: wat de lezer zelf kan doen.",
        ),
        (Addressee.PERSON, lambda b: b.replace("{klacht}", ""), "dat de lezer een klacht kan indienen"),
        (Addressee.PERSON, lambda b: b.replace("{contact}", "{kontakt}"), "{kontakt} kennen we niet."),
        (Addressee.PERSON, lambda b: b.replace("# ", "", 1), "Begin met een titel"),
        (Addressee.PERSON, lambda b: b + "\n{uw_kind}", "{uw_kind} hoort alleen in een brief aan ouders."),
        (
            Addressee.YOUNG_12_15,
            lambda b: b.replace("{advies}", "{advies}\nDit staat in artikel 34 AVG."),
            "Gebruik in een brief aan een jongere geen wetsartikelen of juridische woorden",
        ),
        (
            Addressee.YOUNG_16_17,
            lambda b: b.replace("{gegevens}", "Het gaat om persoonsgegevens."),
            "Zet {gegevens} in de tekst",
        ),
    ],
    ids=[
        "no-advice",
        "no-complaint",
        "unknown-field",
        "no-title",
        "child-words",
        "young-article",
        "young-data",
    ],
)
def test_a_refused_text_is_said_next_to_the_text_and_kept(world, db_path, reader, change, said):
    at = _choose(_page(world["dpo"]), reader)
    form = letter_texts.default_form(reader)
    prefix = _prefix(world.org.id, reader, form)
    typed = change(letter_texts.builtin_body(reader, form))
    _body(at, prefix).input(typed)
    _click(at, SAVE)
    key = once_key(at, prefix, "body")
    assert said in (error_after(at, key) or "")
    assert at.text_area(key=key).value == typed
    assert successes(at) == []
    assert _versions(db_path, world.org.id) == []


def test_the_preview_shows_the_letter_with_demo_values_as_plain_text(world, db_path):
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    typed = _with_sentence(letter_texts.builtin_body(Addressee.PERSON, AddressForm.U)) + "\n<b>*vet*</b>"
    _body(at, prefix).input(typed)
    _click(at, PREVIEW)
    [shown] = [t.value for t in at.text]
    assert shown.startswith("Er is iets misgegaan met uw gegevens\n\nOns kenmerk: DL-2026-0001")
    assert "Een medewerker heeft per ongeluk een e-mail naar de verkeerde persoon gestuurd." in shown
    assert SENTENCE in shown and "<b>*vet*</b>" in shown
    assert "Fien FG, fg@test.invalid" in shown  # the organisation's own FG contact
    assert not any("<b>" in m.value for m in at.markdown)
    assert _body(at, prefix).value == typed  # previewing saves nothing and keeps the text
    assert _versions(db_path, world.org.id) == []


def test_a_preview_of_a_refused_text_says_why_next_to_the_text(world):
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    _body(at, prefix).input(
        letter_texts.builtin_body(Addressee.PERSON, AddressForm.U).replace("{advies}", "")
    )
    _click(at, PREVIEW)
    assert "wat de lezer zelf kan doen" in error_after(at, once_key(at, prefix, "body"))
    assert [t.value for t in at.text] == []


@pytest.mark.parametrize(
    ("reader", "forms"),
    [(reader, [f.value for f in letter_texts.FORMS[reader]]) for reader in Addressee.options()],
)
def test_a_young_reader_is_addressed_with_je_only(world, reader, forms):
    at = _choose(_page(world["dpo"]), reader)
    radio = at.radio(key=f"lt_form_{world.org.id}_{reader.value}")
    assert radio.options == [AddressForm(f).label for f in forms]
    assert (forms == ["je"]) is reader.young


def test_choosing_je_for_an_adult_shows_datalek_s_je_text(world, db_path):
    at = _page(world["dpo"])
    at.radio(key=f"lt_form_{world.org.id}_person").set_value("je").run()
    prefix = _prefix(world.org.id, Addressee.PERSON, AddressForm.JE)
    builtin = letter_texts.builtin_body(Addressee.PERSON, AddressForm.JE)
    assert _body(at, prefix).value == builtin
    _body(at, prefix).input(_with_sentence(builtin))
    _click(at, SAVE)
    [saved] = rows(db_path, "SELECT form, version FROM letter_templates")
    assert (saved["form"], saved["version"]) == ("je", 1)


def test_restoring_datalek_s_text_is_a_new_version(world, db_path):
    with store.unit() as db:
        body = _with_sentence(letter_texts.builtin_body(Addressee.PERSON, AddressForm.U))
        letter_templates.save(db, world["dpo"], world.org.id, Addressee.PERSON, AddressForm.U, body)
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    assert _body(at, prefix).value == body
    _click(at, RESTORE)
    assert "De tekst van Datalek is teruggezet als nieuwe versie." in successes(at)
    builtin = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U)
    assert [v[1:] for v in _versions(db_path, world.org.id)] == [(1, body), (2, builtin)]
    assert _body(at, prefix).value == builtin
    assert list(table_with(at, "Versie")["Versie"]) == [2, 1]


def test_another_organisations_text_is_not_visible(world, db_path):
    marker = "Alleen voor Jeugdzorg Test."
    with store.unit() as db:
        body = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U).replace(
            "{advies}", "{advies}\n" + marker
        )
        letter_templates.save(
            db, world["other_dpo"], world.other_org.id, Addressee.PERSON, AddressForm.U, body
        )
    at = _page(world["dpo"])
    assert not any(marker in t.value for t in at.text_area)
    assert _body(at, _prefix(world.org.id)).value == letter_texts.builtin_body(
        Addressee.PERSON, AddressForm.U
    )
    assert not any("Jeugdzorg Test" in c.value for c in at.caption)
    assert "lt_org" not in [s.key for s in at.selectbox]  # one organisation: nothing to choose
    assert state_get(at, once_key(at, _prefix(world.other_org.id), "body")) is None


def test_an_fg_of_two_organisations_chooses_one(world, db_path):
    marker = "Alleen voor Jeugdzorg Test."
    with store.unit() as db:
        body = letter_texts.builtin_body(Addressee.PERSON, AddressForm.U).replace(
            "{advies}", "{advies}\n" + marker
        )
        letter_templates.save(
            db, world["other_dpo"], world.other_org.id, Addressee.PERSON, AddressForm.U, body
        )
        both = create_user(
            db,
            Actor.cli(),
            "Beide FG",
            "beide@test.invalid",
            Role.DPO,
            PASSWORD,
            [world.org.id, world.other_org.id],
        )
    from datalek.accounts import auth

    with store.unit() as db:
        actor = auth.actor_for(db, both.id)
    at = _page(actor)
    assert _body(at, _prefix(world.org.id)).value == letter_texts.builtin_body(
        Addressee.PERSON, AddressForm.U
    )
    at.selectbox(key="lt_org").set_value(world.other_org.id).run()
    assert _body(at, _prefix(world.other_org.id)).value == body
    assert any(c.value.startswith("Versie 1 van Jeugdzorg Test") for c in at.caption)


def test_a_failed_save_is_shown_as_a_failure_never_as_saved(world, db_path, monkeypatch):
    def broken(db, row):
        raise store.StorageError("disk I/O error")

    monkeypatch.setattr(template_sql, "insert_template", broken)
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    typed = _with_sentence(letter_texts.builtin_body(Addressee.PERSON, AddressForm.U))
    _body(at, prefix).input(typed)
    _click(at, SAVE)
    assert callbacks.FAILED in errors(at)
    assert successes(at) == []
    assert _body(at, prefix).value == typed
    assert _versions(db_path, world.org.id) == []


def test_a_double_click_saves_one_version(world, db_path, fixed_submission_key):
    at, prefix = _page(world["dpo"]), _prefix(world.org.id)
    typed = _with_sentence(letter_texts.builtin_body(Addressee.PERSON, AddressForm.U))
    _body(at, prefix).input(typed)
    _click(at, SAVE)
    _body(at, prefix).input(typed + "\nNog een zin.")
    _click(at, SAVE)
    assert [v[1] for v in _versions(db_path, world.org.id)] == [1]
    assert "Dit was al vastgelegd. Er is niets dubbel opgeslagen." in [i.value for i in at.info]


@pytest.mark.parametrize("reader", Addressee.options())
def test_the_fields_are_listed_with_their_meaning_and_the_obligatory_ones_marked(world, reader):
    at = _choose(_page(world["dpo"]), reader)
    fields = table_with(at, "Veld")
    shown = dict(zip(fields["Veld"], fields["Moet erin"], strict=True))
    meaning = dict(zip(fields["Veld"], fields["Wat Datalek invult"], strict=True))
    obligatory = {"{gebeurd}", "{gegevens}", "{gevolgen}", "{maatregelen}", "{advies}", "{contact}"}
    if not reader.young:
        obligatory.add("{klacht}")
    assert {f for f, must in shown.items() if must == "ja"} == obligatory
    assert set(shown.values()) == {"ja", "nee"}
    assert ("{uw_kind}" in shown) is (reader is Addressee.PARENTS)
    assert meaning["{advies}"] == "wat de lezer zelf kan doen"
    # what the table promises is what the core's check asks for
    body = letter_texts.builtin_body(reader, letter_texts.default_form(reader))
    for field in shown:
        refused = letter_templates.check(reader, body.replace(field, ""))
        assert bool(refused) is (field in obligatory), field


@pytest.mark.parametrize("reader", Addressee.options())
def test_every_reader_s_view_shows_only_dutch(world, reader):
    """The field name {uw_kind} is what the FG types in a parents' letter, so it is shown;
    "Dpo" is the name of the test world's FG."""
    at = _choose(_page(world["dpo"]), reader)
    found = {t: [w for w in bad if w not in ("uw_kind", "Dpo")] for t, bad in page_offences(at).items()}
    assert {t: bad for t, bad in found.items() if bad} == {}
    assert framework_defaults(at) == []
