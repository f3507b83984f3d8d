"""The informing list in families (issue #15): who must be informed, each family's safety, and
the one gate every letter passes (``InformingList.may_make_letter``). A flagged person never
gets a letter; a family's letters wait while it is postponed; every change keeps its old value."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import households as hh
from datalek.actions.addressees import Addressee, AgeBand, Concern, ParentsWithheld, Relation
from datalek.actions.corrections import NOTHING_CHANGED
from datalek.actions.recipients import EXCLUDE, INCLUDE
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.models import InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report

TODAY = date(2026, 11, 25)  # the clock below, in Amsterdam
NINE, FOURTEEN, SIXTEEN = date(2017, 3, 1), date(2012, 5, 1), date(2010, 2, 1)
R = Relation
SECRET = "Zorgen over vader thuis"  # a reason: free text that must never reach the audit trail


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch):
    """Today is TODAY; every call a millisecond later, so the order of writes shows in the times."""
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5, milliseconds=next(ticks)))


def _decided(db, world) -> int:
    incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    assessment.save(db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m")
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    return incident.id


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    return _decided(fresh_db, world)


@pytest.fixture
def family(fresh_db, world, incident_id) -> dict[str, int]:
    """The issue's family: a 9-year-old, a 14-year-old, two parents with gezag, one without."""
    dpo, house = world["dpo"], hh.add_household(fresh_db, world["dpo"], incident_id)
    ids = {"house": house.id}
    for key, relation, ref, extra in [
        ("c9", R.CHILD, "C-9001", dict(birth_date=NINE)),
        ("c14", R.CHILD, "C-1401", dict(birth_date=FOURTEEN, competent=True)),
        ("p1", R.PARENT_GEZAG, "O-1", {}),
        ("p2", R.PARENT_GEZAG, "O-2", {}),
        ("p3", R.PARENT_NO_GEZAG, "O-3", {}),
    ]:
        ids[key] = hh.add_member(fresh_db, dpo, house.id, relation=relation, file_ref=ref, **extra).id
    return ids


def _judge(db, world, house, flagged=(), postponed=False, reason="", review_on=None, concerns=None):
    if concerns is None:
        concerns = {Concern.SUBJECT_OF_CONCERN} if flagged else set()
    return hh.judge_safety(
        db,
        world["dpo"],
        house,
        flagged=set(flagged),
        concerns=concerns,
        postponed=postponed,
        reason=reason,
        review_on=review_on,
    )


def _refused(call) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.errors


def _last_audit(db) -> dict:
    entry = audit_log.recent(db, 1)[0]
    return {"action": entry["action"], **json.loads(entry["detail"])}


# --- a family and its members ---------------------------------------------------------------


def test_families_are_numbered_and_a_label_is_short(fresh_db, world, incident_id):
    first = hh.add_household(fresh_db, world["dpo"], incident_id)
    second = hh.add_household(fresh_db, world["dpo"], incident_id, "  Gezin aan de Dorpsstraat  ")
    third = hh.add_household(fresh_db, world["dpo"], incident_id)
    assert [first.label, second.label, third.label] == ["Gezin 1", "Gezin aan de Dorpsstraat", "Gezin 3"]
    errors = _refused(lambda: hh.add_household(fresh_db, world["dpo"], incident_id, "x" * 41))
    assert errors == {"label": "Gebruik hoogstens 40 tekens."}
    assert [h.id for h in hh.load(fresh_db, incident_id).households] == [first.id, second.id, third.id]


NOT_A_NUMBER = "Vul het dossier- of cliëntnummer in, geen naam."
# (relation, details, the refused field, a word of its Dutch message)
INVALID = {
    "relation-missing": (None, dict(file_ref="C-1"), "relation", "Kies"),
    "file-ref-a-name": (R.PARENT_GEZAG, dict(file_ref="Jan de Vries"), "file_ref", NOT_A_NUMBER),
    "file-ref-without-digit": (R.PARENT_GEZAG, dict(file_ref="JANSEN"), "file_ref", NOT_A_NUMBER),
    "file-ref-an-address": (R.PARENT_GEZAG, dict(file_ref="jan@mail.nl1"), "file_ref", NOT_A_NUMBER),
    "file-ref-too-long": (R.PARENT_GEZAG, dict(file_ref="D" + "1" * 40), "file_ref", NOT_A_NUMBER),
    "file-ref-missing-parent": (R.PARENT_GEZAG, dict(), "file_ref", NOT_A_NUMBER),
    "file-ref-missing-employee": (R.EMPLOYEE, dict(), "file_ref", NOT_A_NUMBER),
    "file-ref-of-other-still-checked": (R.OTHER, dict(file_ref="Buurvrouw"), "file_ref", NOT_A_NUMBER),
    "child-without-age": (R.CHILD, dict(file_ref="C-1"), "birth_date", "geboortedatum of de leeftijd"),
    "child-with-both": (R.CHILD, dict(file_ref="C-1", birth_date=NINE, age_band=AgeBand.UNDER_12),
                        "age_band", "niet allebei"),
    "birth-date-in-future": (R.CHILD, dict(file_ref="C-1", birth_date=TODAY + timedelta(days=1)),
                             "birth_date", "toekomst"),
    "birth-date-before-1900": (R.CHILD, dict(file_ref="C-1", birth_date=date(1899, 12, 31)),
                               "birth_date", "1900"),
    "age-of-a-parent": (R.PARENT_GEZAG, dict(file_ref="O-1", birth_date=date(1980, 1, 1)),
                        "birth_date", "Alleen voor een kind"),
    "competent-9-year-old": (R.CHILD, dict(file_ref="C-1", birth_date=NINE, competent=True),
                             "competent", "12 tot en met 17"),
    "competent-parent": (R.PARENT_GEZAG, dict(file_ref="O-1", competent=False), "competent", "12 tot en met 17"),
    "consent-14-year-old": (R.CHILD, dict(file_ref="C-1", birth_date=FOURTEEN, consent_parents=True),
                            "consent_parents", "16 of 17"),
    "consent-adult-client": (R.ADULT_CLIENT, dict(file_ref="A-1", consent_parents=True),
                             "consent_parents", "16 of 17"),
    "withheld-16-year-old": (R.CHILD, dict(file_ref="C-1", birth_date=SIXTEEN,
                             parents_withheld=ParentsWithheld.HARM, parents_withheld_reason="Gevaar."),
                             "parents_withheld", "12 tot en met 15"),
    "withheld-without-reason": (R.CHILD, dict(file_ref="C-1", birth_date=FOURTEEN,
                                parents_withheld=ParentsWithheld.HARM), "parents_withheld_reason", "Leg uit"),
}  # fmt: skip


@pytest.mark.parametrize("case", INVALID)
def test_a_member_is_validated_per_field_in_dutch(fresh_db, world, incident_id, case):
    relation, details, field, word = INVALID[case]
    house = hh.add_household(fresh_db, world["dpo"], incident_id)
    errors = _refused(lambda: hh.add_member(fresh_db, world["dpo"], house.id, relation=relation, **details))
    assert word in errors[field], errors
    assert hh.load(fresh_db, incident_id).household(house.id).members == ()


VALID = {
    "other-without-file-ref": (R.OTHER, dict()),
    "file-ref-with-signs": (R.PARENT_GEZAG, dict(file_ref="CL-2024/00.17_b")),
    "child-by-age-band": (R.CHILD, dict(file_ref="C-1", age_band=AgeBand.FROM_12_TO_15)),
    "competent-14-year-old": (R.CHILD, dict(file_ref="C-1", birth_date=FOURTEEN, competent=False)),
    "competent-adult-client": (R.ADULT_CLIENT, dict(file_ref="A-1", competent=False)),
    "consent-16-year-old": (R.CHILD, dict(file_ref="C-1", birth_date=SIXTEEN, consent_parents=False)),
    "withheld-14-with-reason": (R.CHILD, dict(file_ref="C-1", birth_date=FOURTEEN,
                                parents_withheld=ParentsWithheld.PROFESSIONAL_SECRECY,
                                parents_withheld_reason="Beroepsgeheim van de jeugdarts.")),
}  # fmt: skip


@pytest.mark.parametrize("case", VALID)
def test_a_valid_member_is_kept_as_given(fresh_db, world, incident_id, case):
    relation, details = VALID[case]
    house = hh.add_household(fresh_db, world["dpo"], incident_id)
    made = hh.add_member(fresh_db, world["dpo"], house.id, relation=relation, **details)
    [kept] = hh.load(fresh_db, incident_id).household(house.id).members
    assert kept == made
    assert (kept.relation, kept.file_ref) == (relation, details.get("file_ref", ""))
    for name, value in details.items():
        assert getattr(kept, name) == value
    assert kept.recorded_by == world["dpo"].user_id and kept.changes == ()


def test_the_same_file_twice_in_one_incident_is_refused(fresh_db, world, incident_id, family):
    other_house = hh.add_household(fresh_db, world["dpo"], incident_id)

    def add(ref):
        return hh.add_member(fresh_db, world["dpo"], other_house.id, relation=R.PARENT_GEZAG, file_ref=ref)

    assert "al op de lijst" in _refused(lambda: add("o-1"))["file_ref"]  # any case: the same dossier
    hh.remove_member(fresh_db, world["dpo"], family["p1"], "Dubbel ingevoerd.")
    assert add("O-1").file_ref == "O-1"  # off the list, the number may be used again
    elsewhere = hh.add_household(fresh_db, world["dpo"], _decided(fresh_db, world))
    assert hh.add_member(fresh_db, world["dpo"], elsewhere.id, relation=R.PARENT_GEZAG, file_ref="O-2")


def test_a_purged_incident_takes_no_family_and_no_member(fresh_db, world, incident_id, family):
    with store.write(fresh_db):
        fresh_db.execute("UPDATE incidents SET purged_at = ? WHERE id = ?", [clock.to_iso(NOW), incident_id])
    assert "opgeschoond" in _refused(lambda: hh.add_household(fresh_db, world["dpo"], incident_id))["form"]
    member = lambda: hh.add_member(fresh_db, world["dpo"], family["house"], relation=R.OTHER)  # noqa: E731
    assert "opgeschoond" in _refused(member)["form"]


# --- changes keep old values; a removal keeps the row -----------------------------------


def test_a_change_keeps_the_old_value_who_when_and_why(fresh_db, world, family):
    changed = hh.change_member(
        fresh_db, world["dpo"], family["c14"], "Geboortedatum verkeerd overgenomen.", birth_date=SIXTEEN,
        competent=None,
    )  # fmt: skip
    assert (changed.birth_date, changed.competent) == (SIXTEEN, None)
    assert [(c.field, c.old_value, c.new_value, c.reason, c.changed_by) for c in changed.changes] == [
        ("birth_date", FOURTEEN.isoformat(), SIXTEEN.isoformat(), "Geboortedatum verkeerd overgenomen.",
         world["dpo"].user_id),
        ("competent", "1", None, "Geboortedatum verkeerd overgenomen.", world["dpo"].user_id),
    ]  # fmt: skip
    assert hh.load(fresh_db, changed.incident_id).member(family["c14"]) == changed
    audit = _last_audit(fresh_db)
    assert audit == {"action": "subjects.member_change", "member_id": family["c14"],
                     "fields": ["birth_date", "competent"]}  # fmt: skip


def test_a_change_needs_a_reason_a_difference_and_a_valid_result(fresh_db, world, family):
    dpo, c14 = world["dpo"], family["c14"]
    assert "reason" in _refused(lambda: hh.change_member(fresh_db, dpo, c14, "  ", birth_date=SIXTEEN))
    assert _refused(lambda: hh.change_member(fresh_db, dpo, c14, "Nagekeken.", birth_date=FOURTEEN)) == {
        "form": NOTHING_CHANGED
    }
    consent = lambda: hh.change_member(fresh_db, dpo, c14, "Gevraagd.", consent_parents=True)  # noqa: E731
    assert "16 of 17" in _refused(consent)["consent_parents"]
    assert (
        "al op de lijst"
        in _refused(lambda: hh.change_member(fresh_db, dpo, c14, "X.", file_ref="O-1"))["file_ref"]
    )
    with pytest.raises(TypeError):
        hh.change_member(fresh_db, dpo, c14, "Nagekeken.", removed_at="2026-01-01")
    assert hh.load(fresh_db, family_incident(fresh_db, c14)).member(c14).changes == ()


def family_incident(db, member_id: int) -> int:
    return db.execute("SELECT incident_id FROM household_members WHERE id = ?", [member_id]).fetchone()[0]


def test_a_removed_member_keeps_its_row_and_its_reason(fresh_db, world, family):
    dpo, p3 = world["dpo"], family["p3"]
    assert "reason" in _refused(lambda: hh.remove_member(fresh_db, dpo, p3, ""))
    gone = hh.remove_member(fresh_db, dpo, p3, "Staat niet in het dossier.")
    house = hh.load(fresh_db, gone.incident_id).household(family["house"])
    assert p3 not in [m.id for m in house.members]
    assert [m.id for m in house.removed] == [p3]
    assert (gone.removed, gone.removed_by, gone.removed_reason) == (
        True,
        dpo.user_id,
        "Staat niet in het dossier.",
    )
    assert gone.file_ref == "O-3" and gone.relation is R.PARENT_NO_GEZAG
    assert "al van de lijst" in _refused(lambda: hh.remove_member(fresh_db, dpo, p3, "Nogmaals."))["form"]
    assert (
        "al van de lijst"
        in _refused(lambda: hh.change_member(fresh_db, dpo, p3, "X.", file_ref="O-9"))["form"]
    )


DEVIATIONS = {
    # (deviation, reader, reason, the refused field or None)
    "include-without-reader": (INCLUDE, None, "Vraagt er zelf om.", "reader"),
    "include-legacy-reader": (INCLUDE, Addressee.YOUNG_PERSON, "Vraagt er zelf om.", "reader"),
    "include-without-reason": (INCLUDE, Addressee.PERSON, "", "reason"),
    "exclude-without-reason": (EXCLUDE, None, " ", "reason"),
    "unknown": ("maybe", None, "Omdat.", "deviation"),
    "include": (INCLUDE, Addressee.PERSON, "Vraagt er zelf om.", None),
    "exclude": (EXCLUDE, None, "Woont in het buitenland.", None),
}


@pytest.mark.parametrize("case", DEVIATIONS)
def test_a_deviation_from_the_rule_needs_a_reason_and_is_a_change(fresh_db, world, family, case):
    deviation, reader, reason, field = DEVIATIONS[case]
    call = lambda: hh.set_deviation(fresh_db, world["dpo"], family["p3"], deviation, reader, reason)  # noqa: E731
    if field:
        assert field in _refused(call)
        return
    made = call()
    assert (made.deviation, made.deviation_reader, made.deviation_reason) == (deviation, reader, reason)
    assert {c.field: (c.old_value, c.new_value) for c in made.changes}["deviation"] == ("", deviation)
    assert _last_audit(fresh_db) == {"action": "subjects.deviation", "member_id": family["p3"],
                                     "deviation": deviation}  # fmt: skip
    back = hh.set_deviation(fresh_db, world["dpo"], family["p3"], "", None, "Toch de regel volgen.")
    assert back.deviation == "" and back.deviation_reason == "" and len(back.changes) > len(made.changes)
    assert _refused(
        lambda: hh.set_deviation(fresh_db, world["dpo"], family["p3"], "", None, "Nog eens.")
    ) == {"form": NOTHING_CHANGED}


# --- each family's safety ---------------------------------------------------------------------

LATER = TODAY + timedelta(days=14)
SAFETY = {
    # (flagged keys, concerns, postponed, reason, review_on, the refused field and a word, or None)
    "no-answer": ((), set(), None, "", None, ("postponed", "Kies ja of nee.")),
    "flagged-outsider": (("other",), None, True, SECRET, LATER, ("flagged", "dit gezin")),
    "flagged-removed": (("removed",), None, True, SECRET, LATER, ("flagged", "dit gezin")),
    "flagged-without-concern": (("p2",), set(), True, SECRET, LATER, ("concerns", "Kies")),
    "flagged-without-reason": (("p2",), None, True, "", LATER, ("reason", "Leg uit")),
    "flagged-not-postponed-without-reason": (("p2",), None, False, "", None,
                                             ("reason", "veilig is om de anderen")),
    "postponed-without-reason": ((), set(), True, "", LATER, ("reason", "niet veilig")),
    "postponed-without-review": ((), set(), True, SECRET, None, ("review_on", "na vandaag")),
    "postponed-review-today": ((), set(), True, SECRET, TODAY, ("review_on", "na vandaag")),
    "postponed-review-beyond-a-year": ((), set(), True, SECRET, TODAY + timedelta(days=367),
                                       ("review_on", "binnen een jaar")),
    "too-long": ((), set(), True, "x" * 4001, LATER, ("reason", "te lang")),
    "safe": ((), set(), False, "", None, None),
    "postponed-without-flag": ((), {Concern.VEILIG_THUIS}, True, SECRET, LATER, None),
    "flagged-and-postponed": (("p2",), None, True, SECRET, LATER, None),
    "flagged-resolved": (("p2",), None, False, "Vader woont elders; moeder is veilig.", None, None),
}  # fmt: skip


@pytest.mark.parametrize("case", SAFETY)
def test_the_safety_judgement_of_a_family(fresh_db, world, incident_id, family, case):
    keys, concerns, postponed, reason, review_on, refused = SAFETY[case]
    outsider = hh.add_member(
        fresh_db, world["dpo"], hh.add_household(fresh_db, world["dpo"], incident_id).id, relation=R.OTHER
    )
    removed = hh.add_member(fresh_db, world["dpo"], family["house"], relation=R.OTHER)
    hh.remove_member(fresh_db, world["dpo"], removed.id, "Verkeerd gezin.")
    ids = {**family, "other": outsider.id, "removed": removed.id}
    flagged = {ids[k] for k in keys}
    judge = lambda: _judge(fresh_db, world, family["house"], flagged, postponed, reason, review_on, concerns)  # noqa: E731
    if refused:
        field, word = refused
        assert word in _refused(judge)[field]
        assert hh.load(fresh_db, incident_id).household(family["house"]).judgement is None
        return
    made = judge()
    assert (made.flagged, made.postponed) == (frozenset(flagged), postponed)
    assert made.review_on == (review_on if postponed else None)
    assert hh.load(fresh_db, incident_id).household(family["house"]).judgement == made
    audit = _last_audit(fresh_db)
    assert audit == {"action": "subjects.family_safety", "household_id": family["house"],
                     "flagged": len(flagged), "postponed": postponed}  # fmt: skip


def test_judgements_are_kept_in_order_and_the_latest_counts(fresh_db, world, incident_id, family):
    first = _judge(fresh_db, world, family["house"], [family["p2"]], True, SECRET, LATER)
    second = _judge(fresh_db, world, family["house"], [family["p2"]], False, "Opgelost.")
    house = hh.load(fresh_db, incident_id).household(family["house"])
    assert house.history == (first, second) and house.judgement == second
    assert first.concerns == frozenset({Concern.SUBJECT_OF_CONCERN})
    assert (first.recorded_by, first.reason) == (world["dpo"].user_id, SECRET)


# --- the one gate for a letter -------------------------------------------------------------

FIRST = "Beantwoord eerst de veiligheidsvraag voor dit gezin."
FLAGGED = "Veiligheidsrisico: deze persoon krijgt nooit een bericht."
POSTPONED = f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {LATER:%d-%m-%Y}."


def _safe(db, world, f):
    _judge(db, world, f["house"])


def _postponed(db, world, f):
    _judge(db, world, f["house"], (), True, SECRET, LATER, {Concern.VEILIG_THUIS})


def _flag_p2(db, world, f):
    _judge(db, world, f["house"], [f["p2"]], False, "De andere ouder en de kinderen zijn veilig.")


def _include_then_flag_p2(db, world, f):
    hh.set_deviation(db, world["dpo"], f["p2"], INCLUDE, Addressee.PARENTS, "Wil zelf een brief.")
    _flag_p2(db, world, f)


def _removed_p1(db, world, f):
    _safe(db, world, f)
    hh.remove_member(db, world["dpo"], f["p1"], "Verkeerd ingevoerd.")


def _exclude_p1(db, world, f):
    _safe(db, world, f)
    hh.set_deviation(db, world["dpo"], f["p1"], EXCLUDE, None, "Woont in het buitenland.")


def _added_after(db, world, f):
    _safe(db, world, f)
    f["new"] = hh.add_member(db, world["dpo"], f["house"], relation=R.GUARDIAN, file_ref="V-1").id


def _child_added_after(db, world, f):
    _safe(db, world, f)
    f["new"] = hh.add_member(db, world["dpo"], f["house"], relation=R.CHILD, file_ref="C-1002",
                             birth_date=date(2016, 6, 1)).id  # fmt: skip


def _judged_again_after_adding(db, world, f):
    _added_after(db, world, f)
    _safe(db, world, f)


ABOUT_NEWCOMER = "gaat ook over persoon"

GATE = {
    # (set-up, member, allowed, the reason or a part of it)
    "no-judgement": (lambda *a: None, "p1", False, FIRST),
    "postponed": (_postponed, "p1", False, POSTPONED),
    "postponed-young-person": (_postponed, "c14", False, POSTPONED),
    "flagged": (_flag_p2, "p2", False, FLAGGED),
    "flagged-even-with-include": (_include_then_flag_p2, "p2", False, FLAGGED),
    "removed": (_removed_p1, "p1", False, "van de lijst gehaald"),
    "excluded": (_exclude_p1, "p1", False, "Afgeweken van de regel"),
    "parent-without-gezag": (_safe, "p3", False, "Ouder zonder gezag"),
    "under-12-no-own-letter": (_safe, "c9", False, "Jonger dan 12"),
    "added-after-the-judgement": (_added_after, "new", False, "opnieuw"),
    "added-after-names-the-judgement-not-considering-them": (
        _added_after,
        "new",
        False,
        "niet over deze persoon",
    ),
    "others-not-blocked-by-a-newcomer": (_added_after, "p1", True, ""),
    "young-person-not-blocked-by-a-new-sibling": (_child_added_after, "c14", True, ""),
    "parents-letter-about-a-new-child-waits": (_child_added_after, "p1", False, ABOUT_NEWCOMER),
    "newcomer-after-a-new-judgement": (_judged_again_after_adding, "new", True, ""),
    "unknown": (_safe, "nobody", False, "staat niet op de lijst"),
    "parent-with-gezag": (_safe, "p1", True, ""),
    "14-year-old": (_safe, "c14", True, ""),
    "other-parent-when-one-is-flagged": (_flag_p2, "p1", True, ""),
}


@pytest.mark.parametrize("case", GATE)
def test_may_make_letter(fresh_db, world, incident_id, family, case):
    setup, key, allowed, reason = GATE[case]
    setup(fresh_db, world, family)
    may, why = hh.load(fresh_db, incident_id).may_make_letter(family.get(key, 10_000), TODAY)
    assert may is allowed
    assert reason in why if reason else why == ""


def test_a_flagged_member_cannot_be_given_a_letter_by_a_deviation(fresh_db, world, incident_id, family):
    _flag_p2(fresh_db, world, family)
    errors = _refused(
        lambda: hh.set_deviation(fresh_db, world["dpo"], family["p2"], INCLUDE, Addressee.PARENTS, "Wil het.")
    )
    assert errors == {"deviation": FLAGGED}


RELATIONS = list(Relation)
BANDS = [None, *AgeBand]


@st.composite
def informing_lists(draw):
    """A family of random members (any relation, age, competence, consent, deviation), with a
    random latest judgement: who is flagged and whether the family waits."""
    count = draw(st.integers(1, 6))
    members = []
    for member_id in range(1, count + 1):
        deviation = draw(st.sampled_from(["", INCLUDE, EXCLUDE]))
        members.append(
            hh.MemberRecord(
                id=member_id,
                household_id=1,
                relation=draw(st.sampled_from(RELATIONS)),
                age_band=draw(st.sampled_from(BANDS)),
                competent=draw(st.sampled_from([None, True, False])),
                consent_parents=draw(st.sampled_from([None, True, False])),
                deviation=deviation,
                deviation_reader=draw(st.sampled_from(Addressee.options())) if deviation == INCLUDE else None,
                recorded_at=datetime(2026, 11, 1, tzinfo=clock.AMSTERDAM),
            )
        )
    flagged = draw(st.frozensets(st.sampled_from([m.id for m in members])))
    judgement = hh.SafetyJudgement(
        id=1,
        household_id=1,
        flagged=flagged,
        concerns=frozenset({Concern.OTHER}) if flagged else frozenset(),
        postponed=draw(st.booleans()),
        reason="x",
        review_on=LATER,
        recorded_at=datetime(2026, 11, 2, tzinfo=clock.AMSTERDAM),
        recorded_by=1,
    )
    house = hh.Household(1, 1, "Gezin 1", tuple(members), (), (judgement,))
    return hh.InformingList(1, (house,)), flagged


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(informing_lists())
def test_a_flagged_member_never_gets_a_letter_whatever_the_family(made):
    informing, flagged = made
    [house] = informing.households
    for member in house.members:
        may, why = informing.may_make_letter(member.id, TODAY)
        if member.id in flagged:
            assert (may, why) == (False, FLAGGED)
        if may:  # a letter only when the family is safe now and the rules give this person one
            assert not house.judgement.postponed
            [proposal] = [p for p in informing.proposals(TODAY)[house.id] if p.member_id == member.id]
            assert proposal.receives and proposal.reader is not None


# --- the issue's family ------------------------------------------------------------------------


def test_the_issues_family_waits_and_then_gets_exactly_the_safe_letters(fresh_db, world, incident_id, family):
    """A 9-year-old, a 14-year-old and two parents with gezag of whom one is flagged: the family
    is postponed; after a resolving judgement the other parent (about both children) and the
    14-year-old get a letter, the flagged parent never, the 9-year-old none of their own."""
    f = family
    _judge(fresh_db, world, f["house"], [f["p2"]], True, SECRET, LATER, {Concern.VIOLENT_PARTNER})
    waiting = hh.load(fresh_db, incident_id)
    assert all(not waiting.may_make_letter(f[k], TODAY)[0] for k in ("c9", "c14", "p1", "p2", "p3"))
    [open_one] = hh.open_postponements(fresh_db, world["dpo"])
    assert (open_one.incident_id, open_one.household_id, open_one.label, open_one.review_on) == (
        incident_id, f["house"], "Gezin 1", LATER,
    )  # fmt: skip

    _judge(
        fresh_db, world, f["house"], [f["p2"]], False, "Vader woont elders. Moeder en kinderen zijn veilig."
    )
    resolved = hh.load(fresh_db, incident_id)
    allowed = {k for k in ("c9", "c14", "p1", "p2", "p3") if resolved.may_make_letter(f[k], TODAY)[0]}
    assert allowed == {"c14", "p1"}
    proposals = {p.member_id: p for p in resolved.proposals(TODAY)[f["house"]]}
    assert (proposals[f["p1"]].reader, proposals[f["p1"]].about) == (Addressee.PARENTS, (f["c9"], f["c14"]))
    assert proposals[f["c14"]].reader is Addressee.YOUNG_12_15
    assert resolved.may_make_letter(f["p2"], TODAY) == (False, FLAGGED)
    assert hh.open_postponements(fresh_db, world["dpo"]) == []


def test_gaps_say_per_family_what_is_still_missing(fresh_db, world, incident_id, family):
    hh.change_member(fresh_db, world["dpo"], family["c14"], "Nog niet beoordeeld.", competent=None)
    assert any("wilsbekwaam" in hint for hint in hh.load(fresh_db, incident_id).gaps(TODAY)[family["house"]])


# --- postponements for the queue -------------------------------------------------------------


def test_open_and_due_postponements_per_organisation(fresh_db, world, incident_id, family):
    second = hh.add_household(fresh_db, world["dpo"], incident_id, "Gezin B")
    _judge(fresh_db, world, family["house"], (), True, SECRET, LATER, {Concern.VEILIG_THUIS})
    _judge(fresh_db, world, second.id, (), True, SECRET, TODAY + timedelta(days=2), {Concern.OTHER})
    found = hh.open_postponements(fresh_db, world["dpo"])
    assert [(p.label, p.review_on) for p in found] == [
        ("Gezin B", TODAY + timedelta(days=2)),
        ("Gezin 1", LATER),
    ]
    assert hh.open_postponements(fresh_db, world["other_dpo"]) == []
    from datalek.store import households as sql

    org = [world.org.id]
    assert [r["household_id"] for r in sql.postponements_due(fresh_db, org, TODAY.isoformat())] == []
    due = sql.postponements_due(fresh_db, org, (TODAY + timedelta(days=2)).isoformat())
    assert [(r["household_id"], r["label"], r["reference"]) for r in due] == [
        (
            second.id,
            "Gezin B",
            incidents.read_incident(fresh_db, world["dpo"], incident_id).incident.reference,
        )
    ]
    assert sql.postponements_due(fresh_db, [world.other_org.id], LATER.isoformat()) == []


# --- who may ----------------------------------------------------------------------------------

CALLS = {
    "read": lambda db, a, f, i: hh.informing_list(db, a, i),
    "add-household": lambda db, a, f, i: hh.add_household(db, a, i),
    "add-member": lambda db, a, f, i: hh.add_member(db, a, f["house"], relation=R.OTHER),
    "change": lambda db, a, f, i: hh.change_member(db, a, f["p1"], "Omdat.", file_ref="O-77"),
    "remove": lambda db, a, f, i: hh.remove_member(db, a, f["p1"], "Omdat."),
    "deviation": lambda db, a, f, i: hh.set_deviation(db, a, f["p1"], EXCLUDE, None, "Omdat."),
    "judge": lambda db, a, f, i: hh.judge_safety(
        db, a, f["house"], flagged=set(), concerns=set(), postponed=False, reason="", review_on=None
    ),
}


@pytest.mark.parametrize("who", ["other_dpo", "management", "reporter"])
@pytest.mark.parametrize("call", CALLS)
def test_only_the_fg_of_the_incidents_organisation_keeps_the_list(
    fresh_db, world, incident_id, family, who, call
):
    before = hh.load(fresh_db, incident_id)
    with pytest.raises(PermissionDenied):
        CALLS[call](fresh_db, world[who], family, incident_id)
    assert _last_audit(fresh_db)["action"] == "refused"
    assert hh.load(fresh_db, incident_id) == before


@pytest.mark.parametrize("who", ["management", "reporter"])
def test_only_an_fg_sees_the_open_postponements(fresh_db, world, who):
    with pytest.raises(PermissionDenied):
        hh.open_postponements(fresh_db, world[who])


def test_an_unknown_family_or_member_is_refused_like_someone_elses(fresh_db, world, incident_id):
    for call in (
        lambda: hh.add_member(fresh_db, world["dpo"], 999, relation=R.OTHER),
        lambda: hh.remove_member(fresh_db, world["dpo"], 999, "Omdat."),
        lambda: _judge(fresh_db, world, 999),
    ):
        with pytest.raises(PermissionDenied):
            call()


WRITES = {
    "subjects.household": lambda db, a, f: hh.add_household(db, a, f["incident"]),
    "subjects.member": lambda db, a, f: hh.add_member(db, a, f["house"], relation=R.CHILD, file_ref="C-55",
                                                       birth_date=NINE),
    "subjects.member_change": lambda db, a, f: hh.change_member(db, a, f["p1"], SECRET, file_ref="O-55"),
    "subjects.member_remove": lambda db, a, f: hh.remove_member(db, a, f["p1"], SECRET),
    "subjects.deviation": lambda db, a, f: hh.set_deviation(db, a, f["p1"], EXCLUDE, None, SECRET),
    "subjects.family_safety": lambda db, a, f: _judge(db, {"dpo": a}, f["house"], [f["p2"]], True, SECRET,
                                                      LATER),
}  # fmt: skip


@pytest.mark.parametrize("code", WRITES)
def test_every_write_is_audited_with_codes_only_and_touches_the_incident(
    fresh_db, world, incident_id, family, code
):
    before = fresh_db.execute("SELECT updated_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    WRITES[code](fresh_db, world["dpo"], {**family, "incident": incident_id})
    [entry] = audit_log.recent(fresh_db, 1)
    assert (entry["action"], entry["object_type"], entry["object_id"]) == (code, "incident", str(incident_id))
    for personal in (SECRET, "O-55", "C-55", "O-1", NINE.isoformat()):
        assert personal not in entry["detail"]
    after = fresh_db.execute("SELECT updated_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    assert after > before
