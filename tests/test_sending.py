"""Letters made and sent, on record (issue #15): the one gate before a letter to a person (the
family judged safe, nobody flagged, not postponed, the rules give this person this letter) and
the group gate before a letter to a group; the text, its SHA-256 and the template version kept;
sending recorded once per person, the gate checked again; what each person's standing is."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import households as hh
from datalek.actions import informing, letter_templates, letter_texts, letters, sending
from datalek.actions.addressees import Addressee, AddressForm, Concern, Relation
from datalek.actions.informing import Channel
from datalek.actions.recipients import EXCLUDE
from datalek.actions.sending import InformState
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.models import InvalidInput, Organisation
from datalek.store import audit_log
from tests.conftest import NOW, make_report

TODAY = date(2026, 11, 25)  # the clock below, in Amsterdam
LATER = TODAY + timedelta(days=14)
NINE, FOURTEEN = date(2017, 3, 1), date(2012, 5, 1)
R = Relation
SECRET = "Vader dreigt de moeder"  # free text: never in the audit trail, never in §8
PARTS = letters.LetterText(
    what_happened="Een verslag is naar een verkeerd adres gestuurd.",
    consequences="Iemand anders kon het verslag lezen.",
    measures="Wij hebben het verslag teruggevraagd.",
)
FIRST = "Beantwoord eerst de veiligheidsvraag voor dit gezin."
FLAGGED = "Veiligheidsrisico: deze persoon krijgt nooit een bericht."
POSTPONED = f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {LATER:%d-%m-%Y}."


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch):
    """Today is TODAY; every call a millisecond later, so the order of writes shows in the times."""
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5, milliseconds=next(ticks)))


def decided(db, world) -> int:
    incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    assessment.save(db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m")
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    return incident.id


def issue_family(db, dpo, incident_id) -> dict[str, int]:
    """The issue's family: a 9-year-old, a 14-year-old, two parents with gezag, one without."""
    ids = {"house": hh.add_household(db, dpo, incident_id).id}
    for key, relation, ref, extra in [
        ("c9", R.CHILD, "C-9001", dict(birth_date=NINE)),
        ("c14", R.CHILD, "C-1401", dict(birth_date=FOURTEEN, competent=True)),
        ("p1", R.PARENT_GEZAG, "O-1", {}),
        ("p2", R.PARENT_GEZAG, "O-2", {}),
        ("p3", R.PARENT_NO_GEZAG, "O-3", {}),
    ]:
        ids[key] = hh.add_member(db, dpo, ids["house"], relation=relation, file_ref=ref, **extra).id
    return ids


def judge(db, dpo, house, flagged=(), postponed=False, reason="", review_on=None):
    concerns = {Concern.VIOLENT_PARTNER} if flagged else set()
    if flagged and not reason:
        reason = "De andere ouder en de kinderen zijn veilig."
    return hh.judge_safety(
        db, dpo, house, flagged=set(flagged), concerns=concerns, postponed=postponed, reason=reason,
        review_on=review_on,
    )  # fmt: skip


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    return decided(fresh_db, world)


@pytest.fixture
def family(fresh_db, world, incident_id) -> dict[str, int]:
    return issue_family(fresh_db, world["dpo"], incident_id)


def _make(db, world, incident_id, reader, member=None, who="dpo"):
    return sending.make_letter(db, world[who], incident_id, reader, PARTS, member_id=member)


def _refused(call) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.errors


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _last_audit(db, action: str) -> dict:
    return json.loads(audit_log.recent(db, 1, action=action)[0]["detail"])


# --- the gate: a rule table ----------------------------------------------------------------------


def _safe(db, world, f, i):
    judge(db, world["dpo"], f["house"])


def _postponed(db, world, f, i):
    judge(db, world["dpo"], f["house"], [f["p2"]], True, SECRET, LATER)


def _flag_p2(db, world, f, i):
    judge(db, world["dpo"], f["house"], [f["p2"]])


def _removed_p1(db, world, f, i):
    _safe(db, world, f, i)
    hh.remove_member(db, world["dpo"], f["p1"], "Verkeerd ingevoerd.")


def _exclude_p1(db, world, f, i):
    _safe(db, world, f, i)
    hh.set_deviation(db, world["dpo"], f["p1"], EXCLUDE, None, "Woont in het buitenland.")


def _group_checked(db, world, f, i):
    informing.record_safety_check(db, world["dpo"], i, Addressee.PARENTS, False)


def _group_postponed(db, world, f, i):
    informing.record_safety_check(db, world["dpo"], i, Addressee.PARENTS, True, SECRET, LATER)


def _other_incident(db, world, f, i):
    _safe(db, world, f, i)
    f["elsewhere"] = issue_family(db, world["dpo"], decided(db, world))["p1"]


GATE = {
    # (set-up, reader, member key or None for a group letter, refused field, Dutch message or a part)
    "unchecked-family": (lambda *a: None, Addressee.PARENTS, "p1", "recipient", FIRST),
    "postponed-family": (_postponed, Addressee.PARENTS, "p1", "recipient", POSTPONED),
    "postponed-young-person": (_postponed, Addressee.YOUNG_12_15, "c14", "recipient", POSTPONED),
    "flagged": (_flag_p2, Addressee.PARENTS, "p2", "recipient", FLAGGED),
    "rule-no-gezag": (_safe, Addressee.PARENTS, "p3", "recipient", "Ouder zonder gezag"),
    "rule-under-12": (_safe, Addressee.YOUNG_12_15, "c9", "recipient", "Jonger dan 12"),
    "deviation-exclude": (_exclude_p1, Addressee.PARENTS, "p1", "recipient", "Woont in het buitenland"),
    "removed-member": (_removed_p1, Addressee.PARENTS, "p1", "recipient", "van de lijst gehaald"),
    "member-of-another-incident": (_other_incident, Addressee.PARENTS, "elsewhere", "recipient",
                                   "staat niet op de lijst"),
    "wrong-reader-parent": (_safe, Addressee.PERSON, "p1", "reader", "Ouders of voogd met gezag"),
    "wrong-reader-young": (_safe, Addressee.YOUNG_16_17, "c14", "reader", "Jongere van 12 tot en met 15"),
    "group-unchecked": (lambda *a: None, Addressee.PARENTS, None, "recipient",
                        "Beantwoord eerst de veiligheidsvraag voor deze ontvanger."),
    "group-postponed": (_group_postponed, Addressee.PARENTS, None, "recipient", "Uitgesteld vanwege de veiligheid"),
    "group-checked-for-another-reader": (_group_checked, Addressee.PERSON, None, "recipient", "Beantwoord eerst"),
    "family-safe-is-not-a-group-check": (_safe, Addressee.PARENTS, None, "recipient", "Beantwoord eerst"),
}  # fmt: skip


@pytest.mark.parametrize("case", GATE)
def test_the_gate_refuses_a_letter(fresh_db, world, incident_id, family, case):
    setup, reader, key, field, message = GATE[case]
    setup(fresh_db, world, family, incident_id)
    before = _count(fresh_db, "letters")
    errors = _refused(lambda: _make(fresh_db, world, incident_id, reader, family.get(key)))
    assert list(errors) == [field] and message in errors[field]
    assert _count(fresh_db, "letters") == before


ALLOWED = {
    "parent-with-gezag": (_safe, Addressee.PARENTS, "p1"),
    "14-year-old": (_safe, Addressee.YOUNG_12_15, "c14"),
    "other-parent-when-one-is-flagged": (_flag_p2, Addressee.PARENTS, "p1"),
    "group-after-its-check": (_group_checked, Addressee.PARENTS, None),
}


@pytest.mark.parametrize("case", ALLOWED)
def test_the_gate_lets_a_letter_through(fresh_db, world, incident_id, family, case):
    setup, reader, key = ALLOWED[case]
    setup(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, reader, family.get(key))
    assert (made.incident_id, made.member_id, made.reader) == (incident_id, family.get(key), reader)
    assert sending.letters_made(fresh_db, world["dpo"], incident_id) == [made]


def test_a_purged_incident_makes_no_letter(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    with store.write(fresh_db):
        fresh_db.execute("UPDATE incidents SET purged_at = ? WHERE id = ?", [clock.to_iso(NOW), incident_id])
    errors = _refused(lambda: _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"]))
    assert "opgeschoond" in errors["form"]


# --- what is kept --------------------------------------------------------------------------------


def test_the_text_its_hash_and_the_template_version_are_kept(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    body = letter_texts.builtin_body(Addressee.PARENTS, AddressForm.U).replace("Beste ouder", "Geachte ouder")
    saved = letter_templates.save(
        fresh_db, world["dpo"], world.org.id, Addressee.PARENTS, AddressForm.U, body
    )
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    [row] = fresh_db.query("SELECT * FROM letters")
    assert row["text"] == made.letter.to_text()
    assert row["sha256"] == made.sha256 == hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
    assert (row["template_id"], row["template_version"], made.template_version) == (saved.id, 1, 1)
    assert (row["member_id"], row["reader"], row["made_by"]) == (
        family["p1"],
        "parents",
        world["dpo"].user_id,
    )
    assert made.letter.salutation.startswith("Geachte ouder")
    # about both children of the family: the parents' letter says "uw kinderen"
    assert "uw kinderen" in made.letter.to_text() and "uw kind " not in made.letter.to_text()
    [again] = sending.letters_made(fresh_db, world["dpo"], incident_id)
    assert again == made
    assert again.letter.sections == made.letter.sections  # headings read back as headings


def test_the_builtin_template_is_version_0(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.YOUNG_12_15, family["c14"])
    [row] = fresh_db.query("SELECT template_id, template_version FROM letters")
    assert (row["template_id"], row["template_version"], made.template_version) == (None, 0, 0)
    assert made.letter.salutation == "Hoi,"
    assert "art." not in made.letter.to_text()


ORG = Organisation(id=1, name="Gemeente Test", dpo_name="Fien FG", dpo_email="fg@test.invalid")
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(Addressee.options()),
    st.lists(_TEXT.filter(str.strip), min_size=3, max_size=3),
    st.sampled_from(["", "\n", "\n\n"]),
    st.integers(1, 3),
)
def test_a_letter_read_back_from_its_text_is_the_letter_made(reader, texts, joint, children):
    """Whatever the FG typed (blank lines, lines that look like headings), the letter read back
    from the stored text gives exactly the stored text again."""
    parts = letters.LetterText(
        what_happened=texts[0] + joint + "Wat is er gebeurd?", consequences=texts[1], measures=texts[2]
    )
    for form in letter_texts.FORMS[letter_texts.text_reader(reader)]:
        template = letter_texts.builtin(reader, form)
        made = letters.compose(
            reader, parts, ORG, "DL-2026-0001", TODAY, template=template, children=children
        )
        text = made.to_text()
        read = sending.read_letter(text, template.body, "DL-2026-0001", 0)
        assert read.to_text() == text
        if not joint:  # nothing that looks like a heading after a blank line: the same parts
            assert (read.title, read.salutation, read.sections) == (
                made.title,
                made.salutation,
                made.sections,
            )


# --- sending, on record --------------------------------------------------------------------------


def _sent(db, world, letter_id, on=TODAY, channel=Channel.LETTER, people=None, who="dpo"):
    return sending.record_sent(db, world[who], letter_id, channel, on, people)


def test_sending_is_recorded_with_the_letter_and_the_person(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    notice = _sent(fresh_db, world, made.id, channel=Channel.EMAIL)
    assert (notice.recipient, notice.people_count, notice.informed_on, notice.channel) == (
        Addressee.PARENTS, 1, TODAY, Channel.EMAIL,
    )  # fmt: skip
    assert (notice.member_id, notice.letter_id) == (family["p1"], made.id)
    [row] = fresh_db.query("SELECT * FROM subject_notices")
    assert (row["member_id"], row["letter_id"], row["recorded_by"]) == (
        family["p1"],
        made.id,
        world["dpo"].user_id,
    )
    assert informing.overview(fresh_db, world["dpo"], incident_id).notices == [notice]
    assert _last_audit(fresh_db, "subjects.notice") == {
        "recipient": "parents", "people_count": 1, "channel": "email", "letter_id": made.id,
        "member_id": family["p1"],
    }  # fmt: skip


def test_a_person_informed_is_not_informed_twice(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    first = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    second = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])  # a copy may be made
    notice = _sent(fresh_db, world, first.id, channel=Channel.PHONE)
    for letter_id in (first.id, second.id):
        errors = _refused(lambda: _sent(fresh_db, world, letter_id))  # noqa: B023
        assert errors == {"recipient": "Al verstuurd op 25-11-2026."}
    assert _count(fresh_db, "subject_notices") == 1
    informing.withdraw_notice(fresh_db, world["dpo"], notice.id, "Niet verstuurd, toch blijven liggen.")
    assert _sent(fresh_db, world, second.id).letter_id == second.id  # withdrawn: no longer standing


@pytest.mark.parametrize("after", ["flagged", "postponed", "removed", "excluded"])
def test_a_letter_made_before_a_flag_or_postponement_can_never_be_recorded_as_sent(
    fresh_db, world, incident_id, family, after
):
    """A letter to a flagged recipient can never be generated, nor sent: the gate is asked
    again when sending is recorded."""
    dpo = world["dpo"]
    _safe(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p2"])
    expected = {
        "flagged": FLAGGED,
        "postponed": POSTPONED,
        "removed": "van de lijst gehaald",
        "excluded": "Afgeweken van de regel",
    }[after]
    if after == "flagged":
        judge(fresh_db, dpo, family["house"], [family["p2"]])
    elif after == "postponed":
        judge(fresh_db, dpo, family["house"], (), True, SECRET, LATER)
    elif after == "removed":
        hh.remove_member(fresh_db, dpo, family["p2"], "Woont niet meer in Nederland.")
    else:
        hh.set_deviation(fresh_db, dpo, family["p2"], EXCLUDE, None, "Krijgt het bericht mondeling.")
    errors = _refused(lambda: _sent(fresh_db, world, made.id))
    assert list(errors) == ["recipient"] and expected in errors["recipient"]
    assert _count(fresh_db, "subject_notices") == 0


def test_a_group_letter_is_sent_to_a_number_of_people(fresh_db, world, incident_id, family):
    _group_checked(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS)
    errors = _refused(lambda: _sent(fresh_db, world, made.id))
    assert errors == {"people_count": "Vul in hoeveel ontvangers deze brief kregen (minstens 1)."}
    notice = _sent(fresh_db, world, made.id, people=412)
    assert (notice.people_count, notice.member_id, notice.letter_id) == (412, None, made.id)
    assert _sent(fresh_db, world, made.id, people=3).people_count == 3  # a second batch of the same letter
    _group_postponed(fresh_db, world, family, incident_id)
    assert "Uitgesteld" in _refused(lambda: _sent(fresh_db, world, made.id, people=5))["recipient"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"channel": None}, "channel", "Kies hoe de brief is verstuurd."),
        ({"on": None}, "sent_on", "Kies de datum waarop de brief is verstuurd."),
        ({"on": TODAY + timedelta(days=1)}, "sent_on", "Deze datum ligt in de toekomst."),
        ({"on": date(2026, 11, 19)}, "sent_on", "Deze datum ligt vóór het ontdekken van het datalek."),
        ({"on": TODAY - timedelta(days=1)}, "sent_on", "Deze datum ligt vóór het maken van de brief."),
        ({"people": 2}, "people_count", "Een brief aan één persoon telt voor 1 persoon."),
    ],
    ids=["no-channel", "no-date", "future", "before-aware", "before-made", "a-person-counted-twice"],
)
def test_sending_needs_a_channel_and_a_possible_date(
    fresh_db, world, incident_id, family, changes, field, message
):
    _safe(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    values = {"on": TODAY, "channel": Channel.LETTER, "people": None} | changes
    errors = _refused(lambda: _sent(fresh_db, world, made.id, **values))
    assert errors == {field: message}
    assert _count(fresh_db, "subject_notices") == 0


# --- the issue's family, end to end ------------------------------------------------------------


def test_the_issues_family_gets_exactly_the_expected_letters_and_one_postponement(
    fresh_db, world, incident_id, family
):
    """A 9-year-old, a 14-year-old and two parents with gezag of whom one is flagged: first the
    family waits (one postponement, nothing can be made); once judged safe for the others, one
    parents' letter about both children and one letter for the 14-year-old are made and sent;
    the flagged parent, the parent without gezag and the 9-year-old get nothing of their own."""
    dpo, f = world["dpo"], family
    judge(fresh_db, dpo, f["house"], [f["p2"]], True, SECRET, LATER)
    tries = {
        "c9": Addressee.YOUNG_12_15, "c14": Addressee.YOUNG_12_15, "p1": Addressee.PARENTS,
        "p2": Addressee.PARENTS, "p3": Addressee.PARENTS,
    }  # fmt: skip
    for key, reader in tries.items():
        _refused(lambda: _make(fresh_db, world, incident_id, reader, f[key]))  # noqa: B023
    assert [p.household_id for p in hh.open_postponements(fresh_db, dpo)] == [f["house"]]
    waiting = sending.member_status(fresh_db, dpo, incident_id, TODAY)
    assert {k: waiting[f[k]].state for k in tries} == {
        "c9": InformState.BY_RULE, "c14": InformState.POSTPONED, "p1": InformState.POSTPONED,
        "p2": InformState.FLAGGED, "p3": InformState.BY_RULE,
    }  # fmt: skip

    judge(fresh_db, dpo, f["house"], [f["p2"]], False, "Vader woont elders. Moeder en kinderen zijn veilig.")
    made = {}
    for key, reader in tries.items():
        with contextlib.suppress(InvalidInput):  # the others are refused (the gate table says why)
            made[key] = _make(fresh_db, world, incident_id, reader, f[key])
    assert {k: m.reader for k, m in made.items()} == {"p1": Addressee.PARENTS, "c14": Addressee.YOUNG_12_15}
    assert "uw kinderen" in made["p1"].letter.to_text()
    for m in made.values():
        _sent(fresh_db, world, m.id)
    status = sending.member_status(fresh_db, dpo, incident_id, TODAY)
    assert {k: status[f[k]].state for k in tries} == {
        "c9": InformState.BY_RULE, "c14": InformState.INFORMED, "p1": InformState.INFORMED,
        "p2": InformState.FLAGGED, "p3": InformState.BY_RULE,
    }  # fmt: skip
    notices = informing.overview(fresh_db, dpo, incident_id).notices
    assert sorted((n.member_id, n.letter_id) for n in notices) == sorted(
        (m.member_id, m.id) for m in made.values()
    )
    postponements = [j for j in hh.load(fresh_db, incident_id).household(f["house"]).history if j.postponed]
    assert len(postponements) == 1 and hh.open_postponements(fresh_db, dpo) == []
    assert sending.letters_made(fresh_db, dpo, incident_id) == [made["c14"], made["p1"]]


# --- each person's standing ----------------------------------------------------------------------


def test_member_status_says_per_person_what_was_done_and_why_not(fresh_db, world, incident_id, family):
    dpo, f = world["dpo"], family
    second = hh.add_household(fresh_db, dpo, incident_id)
    lone = hh.add_member(fresh_db, dpo, second.id, relation=R.PARENT_GEZAG, file_ref="O-9").id
    hh.add_member(fresh_db, dpo, second.id, relation=R.CHILD, file_ref="C-9", birth_date=NINE)
    judge(fresh_db, dpo, f["house"], [f["p2"]])
    hh.set_deviation(fresh_db, dpo, f["c14"], EXCLUDE, None, "Wordt in een gesprek verteld.")
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, f["p1"])
    _sent(fresh_db, world, made.id, channel=Channel.IN_PERSON)
    status = sending.member_status(fresh_db, dpo, incident_id, TODAY)
    p1, p2, c14, p3, waiting = (status[i] for i in (f["p1"], f["p2"], f["c14"], f["p3"], lone))
    assert (p1.state, p1.may_make, p1.letters, p1.notice.channel, p1.notice.informed_on) == (
        InformState.INFORMED, True, (made,), Channel.IN_PERSON, TODAY,
    )  # fmt: skip
    assert (p2.state, p2.may_make, p2.reason) == (InformState.FLAGGED, False, FLAGGED)
    assert c14.state is InformState.BY_DEVIATION and "Wordt in een gesprek verteld." in c14.reason
    assert p3.state is InformState.BY_RULE and "Ouder zonder gezag" in p3.reason
    assert (waiting.state, waiting.may_make, waiting.reason) == (InformState.WAITING, False, FIRST)
    assert waiting.proposal.reader is Addressee.PARENTS and waiting.notice is None
    judge(fresh_db, dpo, second.id)
    assert sending.member_status(fresh_db, dpo, incident_id, TODAY)[lone].state is InformState.READY
    assert set(status) == {m.id for h in hh.load(fresh_db, incident_id).households for m in h.members}


# --- audit and permissions -----------------------------------------------------------------------


def test_making_a_letter_is_audited_with_codes_and_ids_only(fresh_db, world, incident_id, family):
    judge(fresh_db, world["dpo"], family["house"], [family["p2"]], False, SECRET)
    before = fresh_db.execute("SELECT updated_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    [entry] = audit_log.recent(fresh_db, 1, action="subjects.letter")
    assert (entry["object_type"], entry["object_id"]) == ("incident", str(incident_id))
    assert json.loads(entry["detail"]) == {
        "letter_id": made.id, "recipient": "parents", "member_id": family["p1"], "template_version": 0,
    }  # fmt: skip
    for personal in (SECRET, "O-1", PARTS.what_happened, made.sha256):
        assert personal not in entry["detail"]
    after = fresh_db.execute("SELECT updated_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    assert after > before


CALLS = {
    "make": lambda db, a, f, i, letter: sending.make_letter(db, a, i, Addressee.PARENTS, PARTS, member_id=f["p1"]),
    "list": lambda db, a, f, i, letter: sending.letters_made(db, a, i),
    "sent": lambda db, a, f, i, letter: sending.record_sent(db, a, letter, Channel.LETTER, TODAY),
    "status": lambda db, a, f, i, letter: sending.member_status(db, a, i, TODAY),
}  # fmt: skip


@pytest.mark.parametrize("who", ["other_dpo", "management", "reporter", "admin"])
@pytest.mark.parametrize("call", CALLS)
def test_only_the_fg_of_the_incidents_organisation_makes_and_sends(
    fresh_db, world, incident_id, family, who, call
):
    _safe(fresh_db, world, family, incident_id)
    made = _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"])
    letters_before, notices_before = _count(fresh_db, "letters"), _count(fresh_db, "subject_notices")
    with pytest.raises(PermissionDenied):
        CALLS[call](fresh_db, world[who], family, incident_id, made.id)
    assert audit_log.recent(fresh_db, 1)[0]["action"] == "refused"
    assert (_count(fresh_db, "letters"), _count(fresh_db, "subject_notices")) == (
        letters_before,
        notices_before,
    )


def test_an_unknown_letter_is_refused_like_someone_elses(fresh_db, world, incident_id):
    with pytest.raises(PermissionDenied):
        _sent(fresh_db, world, 999)


def test_a_notice_to_a_person_is_corrected_but_always_counts_one(fresh_db, world, incident_id, family):
    _safe(fresh_db, world, family, incident_id)
    notice = _sent(fresh_db, world, _make(fresh_db, world, incident_id, Addressee.PARENTS, family["p1"]).id)

    def correct(count):
        return informing.correct_notice(
            fresh_db, world["dpo"], notice.id, count, TODAY, Channel.PHONE, "Gebeld."
        )

    assert _refused(lambda: correct(2)) == {"people_count": "Een brief aan één persoon telt voor 1 persoon."}
    fixed = correct(1)
    assert (fixed.people_count, fixed.channel, fixed.member_id, fixed.letter_id) == (
        1, Channel.PHONE, family["p1"], notice.letter_id,
    )  # fmt: skip
