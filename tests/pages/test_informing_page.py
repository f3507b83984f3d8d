"""Issue #15 on the FG's screen: informing per person and per family, and by groups with counts.

The FG puts families and their persons on the list and sees per person the proposal, the rule
it follows and where the person stands; judges each family's safety (a postponed family makes
no letters; a person added after the judgement blocks them until it is judged again); changes,
deviates or takes a person off the list, always with a reason, the old values shown; makes the
letter per receiving person (text, DOCX and text downloads) and records it as sent; makes a
letter per group (also as a mail-merge DOCX) and records it sent to a number of people; and
records the public notice with where it was published. Refused input is said next to its field
and everything typed stays; a failed write is said as a failure; typed text is never Markdown."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pytest

import navigation
from datalek import clock, store
from datalek.actions import households as hh
from datalek.actions import informing, recipients, sending
from datalek.actions.addressees import Addressee, Concern, Relation
from datalek.actions.informing_list import FIRST_QUESTION, JUDGE_AGAIN, NOT_JUDGED
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.store import households as household_sql
from tests.conftest import make_report
from tests.pages.conftest import (
    count_rows,
    download_links,
    error_after,
    errors,
    fetch,
    once_key,
    open_db,
    rows,
    signed_in,
    successes,
    table_with,
)
from tests.pages.test_dutch_only import framework_defaults, page_offences
from ui import callbacks
from ui.forms import md_escape

PAGE = navigation.QUEUE
MARKUP = "**vet** [link](https://x.invalid) <b>html</b>"


def _today() -> date:
    return clock.today()


def born(age: int) -> date:
    """A date of birth that makes a person ``age`` today (a month past the birthday)."""
    day = _today() - timedelta(days=31)
    return day.replace(year=day.year - age, day=min(day.day, 28))


def plain(text: str) -> str:
    """A cell or caption without its Markdown escapes, as the FG reads it."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.fixture
def decided(world, db_path):
    """A youth-care report discovered 20 h ago, assessed and decided: notify the AP, inform."""
    now = clock.now()
    db = open_db(db_path)
    try:
        incident = incidents.submit_report(
            db, world["reporter"], make_report(world.org.id, now=now, discovered_at=now - timedelta(hours=20))
        )
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(db, world["dpo"], incident.id, facts, "Een andere ouder las het verslag.", "Gebeld.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Volgens advies."
            ),
        )
    finally:
        db.close()
    return incident


def core(db_path, work):
    db = open_db(db_path)
    try:
        return work(db)
    finally:
        db.close()


def family(world, db_path, incident_id: int) -> dict[str, int]:
    """The issue's family: a 9-year-old, a 14-year-old (competent) and two parents with gezag."""

    def make(db):
        dpo, house = world["dpo"], hh.add_household(db, world["dpo"], incident_id)
        ids = {"house": house.id}
        for key, relation, ref, extra in [
            ("c9", Relation.CHILD, "C-9001", {"birth_date": born(9)}),
            ("c14", Relation.CHILD, "C-1401", {"birth_date": born(14), "competent": True}),
            ("p1", Relation.PARENT_GEZAG, "O-1", {}),
            ("p2", Relation.PARENT_GEZAG, "O-2", {}),
        ]:
            ids[key] = hh.add_member(db, dpo, house.id, relation=relation, file_ref=ref, **extra).id
        return ids

    return core(db_path, make)


def judge(world, db_path, house: int, flagged=(), postponed=False, reason="", review_on=None) -> None:
    concerns = {Concern.VIOLENT_PARTNER} if flagged else set()
    reason = reason or ("De andere ouder en de kinderen zijn veilig." if flagged else "")
    core(
        db_path,
        lambda db: hh.judge_safety(
            db,
            world["dpo"],
            house,
            flagged=set(flagged),
            concerns=concerns,
            postponed=postponed,
            reason=reason,
            review_on=review_on,
        ),  # fmt: skip
    )


def opened(world, incident):
    """The incident open on "Afhandelen", sub-tab "Betrokkenen informeren"."""
    at = signed_in(world["dpo"], PAGE)
    at.session_state[f"q_tab_{incident.id}"] = "Afhandelen"
    at.session_state[f"q_follow_{incident.id}"] = "Betrokkenen informeren"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def submit(at, prefix: str):
    """Click the submit button of the once-form ``prefix`` as drawn now."""
    found = [b for b in at.button if str(b.key).startswith(f"FormSubmitter:{prefix}")]
    assert len(found) == 1, [b.key for b in at.button]
    found[0].click().run()
    assert not at.exception, at.exception
    return at


def field(at, prefix: str, name: str) -> str:
    return once_key(at, prefix, name)


def persons(at) -> dict[str, dict[str, str]]:
    """The persons' table of the one family on the page: person -> column -> text as read."""
    frame = table_with(at, "Voorstel")
    return {plain(r["Persoon"]): {c: plain(str(r[c])) for c in frame.columns} for _, r in frame.iterrows()}


def has_button(at, key: str) -> bool:
    return any(b.key == key for b in at.button)


# --- the two ways of informing ---------------------------------------------------------------


def test_both_ways_of_informing_are_sections_of_the_screen(world, decided):
    at = opened(world, decided)
    assert [
        s.value
        for s in at.subheader
        if s.value in ("Per persoon en gezin", "Groepen met aantallen (grote incidenten)")
    ] == [
        "Per persoon en gezin",
        "Groepen met aantallen (grote incidenten)",
    ]
    assert any(a.label == "Om welke gegevens gaat het?" for a in at.text_area)  # LetterText.data, shown
    readers = {a.label for a in at.text_area if a.key and a.key.endswith("_you")}
    assert readers == {r.label for r in Addressee.options()}  # what the reader can do, per reader


# --- families and persons ----------------------------------------------------------------------


def _add_person(at, prefix: str, relation: str, ref: str, birth: date | None = None, competent: str = ""):
    at.selectbox(key=field(at, prefix, "relation")).set_value(relation)
    at.text_input(key=field(at, prefix, "file_ref")).set_value(ref)
    if birth:
        at.date_input(key=field(at, prefix, "birth_date")).set_value(birth)
    at.radio(key=field(at, prefix, "competent")).set_value(competent)
    return submit(at, prefix)


def test_the_fg_lists_a_family_and_sees_per_person_the_proposal_its_rule_and_the_gaps(
    world, decided, db_path
):
    at = opened(world, decided)
    at = submit(at, f"inf{decided.id}_family_")
    assert "Het gezin is toegevoegd. Zet er nu de personen in." in successes(at)
    (house,) = rows(db_path, "SELECT id, label FROM households")
    assert house["label"] == "Gezin 1"
    p = f"inf{decided.id}_h{house['id']}_add_"
    _add_person(at, p, "child", "C-9001", born(9))
    assert "De persoon staat op de lijst." in successes(at)
    assert at.text_input(key=field(at, p, "file_ref")).value == ""  # a new, empty form
    _add_person(at, p, "child", "C-1401", born(14))
    _add_person(at, p, "parent_gezag", "O-1")
    _add_person(at, p, "parent_gezag", "O-2")
    ids = {r["file_ref"]: r["id"] for r in rows(db_path, "SELECT id, file_ref FROM household_members")}
    table = persons(at)
    c9, c14, p1 = (table[f"Persoon {ids[ref]} · dossier {ref}"] for ref in ("C-9001", "C-1401", "O-1"))
    assert (c9["Relatie"], c9["Leeftijd vandaag"], c9["Voorstel"]) == (
        "Kind of jongere (cliënt)",
        "9 jaar",
        "geen bericht",
    )
    assert c9["Regel"].startswith("Jonger dan 12: de ouders met gezag of de voogd krijgen de brief")
    assert (c14["Leeftijd vandaag"], c14["Voorstel"]) == ("14 jaar", "Jongere van 12 tot en met 15 jaar")
    assert recipients.PRESUMED in c14["Regel"]
    assert p1["Voorstel"] == f"Ouders of voogd met gezag (over persoon {ids['C-9001']}, {ids['C-1401']})"
    assert c9["Status"] == "Geen eigen bericht volgens de regels"
    assert {c14["Status"], p1["Status"]} == {"Wacht op de veiligheidsvraag"}
    warnings = [plain(w.value) for w in at.warning]
    assert f"Persoon {ids['C-1401']}: beoordeel of de jongere wilsbekwaam is." in " ".join(warnings)
    assert FIRST_QUESTION in [i.value for i in at.info]
    assert not any(str(b.key).endswith("_make") and "_m" in str(b.key) for b in at.button)  # no letter yet
    assert {t: bad for t, bad in page_offences(at).items() if bad != ["Reporter"]} == {}  # a name
    assert framework_defaults(at) == []  # no "Choose an option" from a select box


CHILD_AGE = "Vul de geboortedatum of de leeftijd van het kind in."
NOT_A_NAME = "Vul het dossier- of cliëntnummer in, geen naam."
CONSENT_16 = "Toestemming voor de ouders vraag je alleen aan een jongere van 16 of 17 jaar."
ONLY_A_CHILD = "Alleen voor een kind is de leeftijd nodig. Laat dit leeg."
BAD_PERSONS = {
    # name: (relation, file number, age (a date of birth), consent, the field, its message)
    "child-without-age": ("child", "C-1", None, "", "birth_date", CHILD_AGE),
    "a-name-not-a-number": ("parent_gezag", "Jan Jansen", None, "", "file_ref", NOT_A_NAME),
    "consent-at-14": ("child", "C-2", 14, "yes", "consent_parents", CONSENT_16),
    "age-of-a-parent": ("parent_gezag", "O-3", 40, "", "birth_date", ONLY_A_CHILD),
}


@pytest.mark.parametrize("case", BAD_PERSONS)
def test_a_person_refused_keeps_what_was_typed_with_the_message_next_to_the_field(
    world, decided, db_path, case
):
    relation, ref, age, consent, name, message = BAD_PERSONS[case]
    house = core(db_path, lambda db: hh.add_household(db, world["dpo"], decided.id)).id
    at = opened(world, decided)
    p = f"inf{decided.id}_h{house}_add_"
    at.selectbox(key=field(at, p, "relation")).set_value(relation)
    at.text_input(key=field(at, p, "file_ref")).set_value(ref)
    if age is not None:
        at.date_input(key=field(at, p, "birth_date")).set_value(born(age))
    at.radio(key=field(at, p, "consent_parents")).set_value(consent)
    submit(at, p)
    assert error_after(at, field(at, p, name)) == message
    assert at.text_input(key=field(at, p, "file_ref")).value == ref  # nothing typed is lost
    assert at.selectbox(key=field(at, p, "relation")).value == relation
    assert count_rows(db_path, "household_members") == 0


def test_a_failed_write_is_said_as_a_failure_and_keeps_what_was_typed(world, decided, db_path, monkeypatch):
    def broken(db, row):
        raise store.StorageError("disk I/O error")

    monkeypatch.setattr(household_sql, "insert_member", broken)
    house = core(db_path, lambda db: hh.add_household(db, world["dpo"], decided.id)).id
    at = opened(world, decided)
    p = f"inf{decided.id}_h{house}_add_"
    _add_person(at, p, "parent_gezag", "O-7")
    assert callbacks.FAILED in errors(at)
    assert "De persoon staat op de lijst." not in successes(at)
    assert at.text_input(key=field(at, p, "file_ref")).value == "O-7"
    assert count_rows(db_path, "household_members") == 0


# --- safety per family ------------------------------------------------------------------------


def test_a_postponed_family_shows_the_review_date_and_makes_no_letters(world, decided, db_path):
    f = family(world, db_path, decided.id)
    at = opened(world, decided)
    s = f"inf{decided.id}_h{f['house']}_safety_"
    flagged = at.multiselect(key=field(at, s, "flagged"))
    assert f"Persoon {f['p2']} · ouder met gezag · dossier O-2" in flagged.options
    flagged.set_value([f["p2"]])
    at.multiselect(key=field(at, s, "concerns")).set_value(["violent_partner"])
    at.radio(key=field(at, s, "postponed")).set_value("yes")
    at.text_area(key=field(at, s, "reason")).set_value(MARKUP)
    submit(at, s)
    assert (
        error_after(at, field(at, s, "review_on"))
        == "Kies een datum na vandaag waarop je dit opnieuw bekijkt."
    )
    assert at.multiselect(key=field(at, s, "flagged")).value == [f["p2"]]  # kept
    review = _today() + timedelta(days=14)
    at.date_input(key=field(at, s, "review_on")).set_value(review)
    submit(at, s)
    assert "De veiligheid van dit gezin is vastgelegd." in successes(at)
    assert f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {review:%d-%m-%Y}." in " ".join(
        w.value for w in at.warning
    )
    assert f"Reden: {MARKUP}" in [t.value for t in at.text]  # typed text as text
    assert not any(str(b.key).endswith("_make") and "_m" in str(b.key) for b in at.button)
    table = persons(at)
    assert table[f"Persoon {f['p2']} · dossier O-2"]["Voorstel"] == "geen bericht (veiligheid)"
    assert table[f"Persoon {f['p2']} · dossier O-2"]["Status"] == "Veiligheidsrisico"
    assert table[f"Persoon {f['p1']} · dossier O-1"]["Status"] == f"Uitgesteld tot {review:%d-%m-%Y}"
    # resolved: not postponed; the flagged parent stays flagged (the form starts from the flags)
    s = f"inf{decided.id}_h{f['house']}_safety_"
    assert at.multiselect(key=field(at, s, "flagged")).value == [f["p2"]]
    at.radio(key=field(at, s, "postponed")).set_value("no")
    at.text_area(key=field(at, s, "reason")).set_value("Vader woont elders. Moeder en kinderen zijn veilig.")
    submit(at, s)
    assert has_button(at, f"inf{decided.id}_m{f['p1']}_make")
    assert has_button(at, f"inf{decided.id}_m{f['c14']}_make")
    assert not has_button(at, f"inf{decided.id}_m{f['p2']}_make")  # never a letter to the flagged parent
    assert not has_button(at, f"inf{decided.id}_m{f['c9']}_make")  # the parents get the 9-year-old's


def test_a_person_added_after_the_judgement_gets_no_letter_until_the_family_is_judged_again(
    world, decided, db_path
):
    f = family(world, db_path, decided.id)
    judge(world, db_path, f["house"])
    guardian = core(
        db_path,
        lambda db: hh.add_member(db, world["dpo"], f["house"], relation=Relation.GUARDIAN, file_ref="V-1"),
    ).id
    at = opened(world, decided)
    assert JUDGE_AGAIN in [w.value for w in at.warning]
    assert not has_button(at, f"inf{decided.id}_m{guardian}_make")
    assert NOT_JUDGED in [plain(c.value) for c in at.caption]  # said where the guardian's letter would be
    assert persons(at)[f"Persoon {guardian} · dossier V-1"]["Status"] == "Wacht op de veiligheidsvraag"
    s = f"inf{decided.id}_h{f['house']}_safety_"
    at.radio(key=field(at, s, "postponed")).set_value("no")
    submit(at, s)
    assert JUDGE_AGAIN not in [w.value for w in at.warning]
    assert has_button(at, f"inf{decided.id}_m{guardian}_make")


# --- change, remove, deviate: with a reason, the old values shown --------------------------------


def test_a_change_keeps_the_old_value_with_the_reason(world, decided, db_path):
    f = family(world, db_path, decided.id)
    at = opened(world, decided)
    c = f"inf{decided.id}_m{f['c9']}_change_"
    assert at.date_input(key=field(at, c, "birth_date")).value == born(9)  # starts from what is recorded
    at.date_input(key=field(at, c, "birth_date")).set_value(born(12))
    submit(at, c)
    assert error_after(at, field(at, c, "reason")) == "Schrijf waarom je dit corrigeert of intrekt."
    assert at.date_input(key=field(at, c, "birth_date")).value == born(12)
    at.text_area(key=field(at, c, "reason")).set_value(MARKUP)
    submit(at, c)
    assert "De wijziging is opgeslagen. De oude gegevens blijven bewaard." in successes(at)
    said = [x.value for x in at.caption if x.value.startswith("Geboortedatum")]
    assert len(said) == 1 and plain(said[0]).startswith(
        f"Geboortedatum: was {born(9):%d-%m-%Y}, werd {born(12):%d-%m-%Y}. Gewijzigd op"
    )
    assert said[0].endswith("Reden\\: " + md_escape(MARKUP))  # typed text, escaped: never Markdown
    assert persons(at)[f"Persoon {f['c9']} · dossier C-9001"]["Leeftijd vandaag"] == "12 jaar"


def test_a_person_taken_off_the_list_stays_visible_with_the_reason(world, decided, db_path):
    f = family(world, db_path, decided.id)
    at = opened(world, decided)
    r = f"inf{decided.id}_m{f['p2']}_remove_"
    submit(at, r)
    assert error_after(at, field(at, r, "reason")) == "Schrijf waarom deze persoon van de lijst gaat."
    at.text_area(key=field(at, r, "reason")).set_value("Verkeerd dossier gekozen.")
    submit(at, r)
    assert "De persoon is van de lijst gehaald. De gegevens blijven bewaard." in successes(at)
    assert f"Persoon {f['p2']} · dossier O-2" not in persons(at)
    gone = [plain(x.value) for x in at.caption if x.value.startswith("Van de lijst gehaald")]
    assert len(gone) == 1 and gone[0].startswith(f"Van de lijst gehaald: Persoon {f['p2']} · ouder met gezag")
    assert gone[0].endswith("Reden: Verkeerd dossier gekozen.")
    assert rows(db_path, "SELECT removed_reason FROM household_members WHERE id = ?", [f["p2"]]) == [
        {"removed_reason": "Verkeerd dossier gekozen."}
    ]


def test_a_deviation_needs_a_reason_and_shows_in_the_proposal(world, decided, db_path):
    f = family(world, db_path, decided.id)
    at = opened(world, decided)
    d = f"inf{decided.id}_m{f['p1']}_deviate_"
    at.radio(key=field(at, d, "deviation")).set_value("exclude")
    submit(at, d)
    assert error_after(at, field(at, d, "reason")) == "Schrijf waarom je van de regel afwijkt."
    at.text_area(key=field(at, d, "reason")).set_value("Woont in het buitenland.")
    submit(at, d)
    assert "De afwijking is vastgelegd." in successes(at)
    row = persons(at)[f"Persoon {f['p1']} · dossier O-1"]
    assert row["Voorstel"] == "geen bericht"
    assert row["Regel"].startswith("Afgeweken van de regel (Ouder met gezag:")
    assert row["Regel"].endswith(": Woont in het buitenland.")
    assert row["Status"] == "Geen bericht: besluit van de FG"


# --- the letter per person ---------------------------------------------------------------------


def test_the_letter_per_person_is_shown_offered_and_recorded_as_sent_once(world, decided, db_path):
    f = family(world, db_path, decided.id)
    judge(world, db_path, f["house"], flagged=[f["p2"]])
    at = opened(world, decided)
    p = f"inf{decided.id}_m{f['c14']}_"
    at.button(key=p + "make").click().run()
    assert any(
        t.value.startswith("Er is iets misgegaan met jouw gegevens") and "Hoi," in t.value for t in at.text
    )
    links = download_links(at)
    word = fetch(links["Download als Word (DOCX)"])
    assert word.file_name == f"brief-{decided.reference}-jongere-12-15-persoon-{f['c14']}.docx"
    body = "\n".join(par.text for par in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert re.search(r"\bje\b", body) and "AVG" not in body
    text = fetch(links["Download als tekst (voor e-mail)"])
    assert text.file_name == f"brief-{decided.reference}-jongere-12-15-persoon-{f['c14']}.txt"
    assert "Download voor samenvoegen (Word)" not in links  # merge fields are for a group letter
    s = p + "sent_"
    submit(at, s)
    assert error_after(at, field(at, s, "channel")) == "Kies hoe de brief is verstuurd."
    assert error_after(at, field(at, s, "sent_on")) == "Kies de datum waarop de brief is verstuurd."
    at.selectbox(key=field(at, s, "channel")).set_value("email")
    at.date_input(key=field(at, s, "sent_on")).set_value(_today())
    submit(at, s)
    assert "Verstuurd vastgelegd." in successes(at)
    assert not any(str(b.key).startswith(f"FormSubmitter:{s}") for b in at.button)  # nothing to send twice
    assert (
        persons(at)[f"Persoon {f['c14']} · dossier C-1401"]["Status"]
        == f"Verstuurd op {_today():%d-%m-%Y} (e-mail)"
    )
    (made,) = core(db_path, lambda db: sending.letters_made(db, world["dpo"], decided.id))
    notices = rows(db_path, "SELECT member_id, letter_id, people_count, channel FROM subject_notices")
    assert notices == [{"member_id": f["c14"], "letter_id": made.id, "people_count": 1, "channel": "email"}]
    line = [t.value for t in at.text if t.value.startswith("Geïnformeerd: Jongere van 12")]
    assert line == [
        f"Geïnformeerd: Jongere van 12 tot en met 15 jaar, 1 op {_today():%d-%m-%Y} (e-mail). "
        f"Persoon {f['c14']}. Brief: sjabloon versie 0, controlecode {made.sha256[:12]}."
    ]


def test_a_missing_part_is_said_at_the_part_and_at_the_button(world, decided, db_path):
    f = family(world, db_path, decided.id)
    judge(world, db_path, f["house"])
    at = opened(world, decided)
    at.text_area(key=f"inf{decided.id}_what_happened").set_value("")
    at.button(key=f"inf{decided.id}_m{f['p1']}_make").click().run()
    assert error_after(at, f"inf{decided.id}_what_happened") == "Beschrijf wat er is gebeurd."
    assert "Vul eerst de inhoud van de brief in. Kijk bij de delen met een melding." in errors(at)
    assert count_rows(db_path, "letters") == 0


# --- groups with counts ------------------------------------------------------------------------

FILE_NAMES = {
    Addressee.PERSON: "betrokkene",
    Addressee.PARENTS: "ouders",
    Addressee.YOUNG_12_15: "jongere-12-15",
    Addressee.YOUNG_16_17: "jongere-16-17",
    Addressee.REPRESENTATIVE: "vertegenwoordiger",
    Addressee.EMPLOYEE: "medewerker",
}


@pytest.mark.parametrize("reader", Addressee.options(), ids=lambda r: r.value)
def test_a_group_letter_for_every_kind_of_reader_has_its_file_and_a_mail_merge_file(
    world, decided, db_path, reader
):
    core(db_path, lambda db: informing.record_safety_check(db, world["dpo"], decided.id, reader, False))
    at = opened(world, decided)
    at.button(key=f"inf{decided.id}_{reader.value}_make").click().run()
    assert not at.exception, at.exception
    links = download_links(at)
    name = f"brief-{decided.reference}-{FILE_NAMES[reader]}"
    assert fetch(links["Download als Word (DOCX)"]).file_name == f"{name}.docx"
    assert fetch(links["Download als tekst (voor e-mail)"]).file_name == f"{name}.txt"
    merged = fetch(links["Download voor samenvoegen (Word)"])
    assert merged.file_name == f"{name}-samenvoegen.docx"
    assert "MERGEFIELD Naam" in docx.Document(io.BytesIO(merged.data)).element.xml
    (made,) = rows(db_path, "SELECT reader, member_id FROM letters")
    assert made == {"reader": reader.value, "member_id": None}


def test_a_group_letter_is_recorded_as_sent_to_a_number_of_people(world, decided, db_path):
    core(
        db_path,
        lambda db: informing.record_safety_check(db, world["dpo"], decided.id, Addressee.PARENTS, False),
    )
    at = opened(world, decided)
    p = f"inf{decided.id}_parents_"
    at.button(key=p + "make").click().run()
    s = p + "sent_"
    at.selectbox(key=field(at, s, "channel")).set_value("letter")
    at.date_input(key=field(at, s, "sent_on")).set_value(_today())
    submit(at, s)
    assert (
        error_after(at, field(at, s, "people_count"))
        == "Vul in hoeveel ontvangers deze brief kregen (minstens 1)."
    )
    at.number_input(key=field(at, s, "people_count")).set_value(412)
    submit(at, s)
    assert "Verstuurd vastgelegd." in successes(at)
    (notice,) = rows(
        db_path,
        "SELECT recipient, people_count, member_id, letter_id IS NOT NULL AS made FROM subject_notices",
    )
    assert notice == {"recipient": "parents", "people_count": 412, "member_id": None, "made": 1}
    assert "Vastgelegd als geïnformeerd in deze groep: 412 mensen." in [c.value for c in at.caption]


# --- the public notice -------------------------------------------------------------------------


def test_the_public_notice_says_where_and_when_it_was_published(world, decided, db_path):
    at = opened(world, decided)
    p = f"inf{decided.id}_public_notice_"
    at.date_input(key=field(at, p, "on")).set_value(_today())
    submit(at, p)
    assert error_after(at, field(at, p, "where")).startswith("Vul in waar de mededeling staat.")
    assert rows(db_path, "SELECT * FROM public_notices") == []
    at.text_input(key=field(at, p, "where")).set_value("https://www.voorbeeld.nl/datalek")
    submit(at, p)
    assert "De openbare mededeling is vastgelegd." in successes(at)
    (row,) = rows(db_path, "SELECT published_on, published_where FROM public_notices")
    assert row == {
        "published_on": _today().isoformat(),
        "published_where": "https://www.voorbeeld.nl/datalek",
    }
    shown = [t.value for t in at.text if t.value.startswith("Gepubliceerd op")]
    assert len(shown) == 1 and shown[0].startswith(
        f"Gepubliceerd op {_today():%d-%m-%Y}, https://www.voorbeeld.nl/datalek: Datalek bij"
    )
