"""Who receives which letter, per person and per family (issue #15; youth-context §4-§5).

The rule tables hold one child with a parent with gezag (or a guardian) and a parent without
gezag, at the age boundaries on the exact birthday; the ages are taken on the date of informing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datalek.actions.addressees import Addressee, AgeBand, ParentsWithheld, Relation
from datalek.actions.recipients import Member, age_band_on, age_on, gaps, propose
from datalek.models import InvalidInput

ON = date(2026, 6, 15)  # the date of informing
A, R = Addressee, Relation
HARM, SECRECY = ParentsWithheld.HARM, ParentsWithheld.PROFESSIONAL_SECRECY
CHILD, GEZAG, NO_GEZAG = 1, 2, 3


def born(years: int, *, birthday_tomorrow: bool = False) -> date:
    """A birth date on which the child turns ``years`` on ON (or tomorrow: one year younger today)."""
    birth = ON.replace(year=ON.year - years)
    return birth + timedelta(days=1) if birthday_tomorrow else birth


def aged(years: int, *, birthday_tomorrow: bool = False, **details) -> dict:
    return dict(birth_date=born(years, birthday_tomorrow=birthday_tomorrow), **details)


def child(**kw) -> Member:
    return Member(CHILD, R.CHILD, **kw)


def family(kid: Member, carer: Relation = R.PARENT_GEZAG) -> list[Member]:
    return [kid, Member(GEZAG, carer), Member(NO_GEZAG, R.PARENT_NO_GEZAG)]


def by_id(proposals) -> dict:
    return {p.member_id: p for p in proposals}


YOUNG_12, YOUNG_16 = A.YOUNG_12_15, A.YOUNG_16_17
# (child's details, the child's letter or None, whether the parents get a letter about the child)
RULES = {
    "11-day-before-12th-birthday": (aged(12, birthday_tomorrow=True), None, True),
    "11-competent": (aged(11, competent=True), None, True),
    "11-not-competent": (aged(11, competent=False), None, True),
    "12-on-birthday-not-judged": (aged(12), YOUNG_12, True),
    "12-competent": (aged(12, competent=True), YOUNG_12, True),
    "12-not-competent": (aged(12, competent=False), None, True),
    "12-withheld-harm": (aged(12, parents_withheld=HARM), YOUNG_12, False),
    "12-withheld-secrecy": (aged(12, parents_withheld=SECRECY), YOUNG_12, False),
    "12-not-competent-withheld": (aged(12, competent=False, parents_withheld=HARM), None, True),
    "15-day-before-16th-birthday": (aged(16, birthday_tomorrow=True), YOUNG_12, True),
    "15-withheld-secrecy": (aged(15, parents_withheld=SECRECY), YOUNG_12, False),
    "15-consent-irrelevant": (aged(15, consent_parents=False), YOUNG_12, True),
    "16-on-birthday-consent-not-asked": (aged(16), YOUNG_16, False),
    "16-consent": (aged(16, consent_parents=True), YOUNG_16, True),
    "16-no-consent": (aged(16, consent_parents=False), YOUNG_16, False),
    "16-not-competent": (aged(16, competent=False), None, True),
    "16-not-competent-no-consent": (aged(16, competent=False, consent_parents=False), None, True),
    "16-withheld-only-counts-12-15": (aged(16, consent_parents=True, parents_withheld=HARM), YOUNG_16, True),
    "17-day-before-18th-birthday": (aged(18, birthday_tomorrow=True, consent_parents=True), YOUNG_16, True),
    "17-competent-not-asked": (aged(17, competent=True), YOUNG_16, False),
    "18-on-birthday": (aged(18), A.PERSON, False),
    "18-whatever-competence-or-consent": (aged(18, competent=False, consent_parents=True), A.PERSON, False),
    "band-under-12": (dict(age_band=AgeBand.UNDER_12), None, True),
    "band-12-15": (dict(age_band=AgeBand.FROM_12_TO_15), YOUNG_12, True),
    "band-12-15-withheld": (dict(age_band=AgeBand.FROM_12_TO_15, parents_withheld=HARM), YOUNG_12, False),
    "band-16-17-consent": (dict(age_band=AgeBand.FROM_16_TO_17, consent_parents=True), YOUNG_16, True),
    "band-adult": (dict(age_band=AgeBand.ADULT), A.PERSON, False),
    "birth-date-wins-over-band": (aged(11, age_band=AgeBand.ADULT), None, True),
    "age-unknown": (dict(), None, True),
}  # fmt: skip
FLAGS = {"nobody": (), "child": (CHILD,), "gezag-parent": (GEZAG,), "no-gezag-parent": (NO_GEZAG,)}


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("carer", [R.PARENT_GEZAG, R.GUARDIAN], ids=["parent-gezag", "guardian"])
@pytest.mark.parametrize("case", RULES)
def test_one_child_with_a_parent_with_and_a_parent_without_gezag(case, carer, flag):
    details, letter, parents_informed = RULES[case]
    flagged = FLAGS[flag]
    got = by_id(propose(family(child(**details), carer), ON, flagged))

    kid = got[CHILD]
    expect_kid = None if CHILD in flagged else letter
    assert (kid.receives, kid.reader, kid.about) == (
        (True, expect_kid, (CHILD,)) if expect_kid else (False, None, ())
    )
    carer_gets = parents_informed and GEZAG not in flagged
    assert (got[GEZAG].receives, got[GEZAG].reader, got[GEZAG].about) == (
        (True, A.PARENTS, (CHILD,)) if carer_gets else (False, None, ())
    )
    assert (got[NO_GEZAG].receives, got[NO_GEZAG].reader, got[NO_GEZAG].about) == (False, None, ())
    assert not any(p.deviated for p in got.values())


NO_CHILD = "Geen kind in dit gezin waarover de ouders een brief krijgen"
RULE_TEXTS = {
    "under-12": (aged(11), CHILD, "Jonger dan 12: de ouders met gezag of de voogd krijgen de brief"),
    "withheld-harm": (aged(12, parents_withheld=HARM), CHILD, "Reden: informeren van de ouders schaadt het kind"),
    "withheld-secrecy": (aged(14, parents_withheld=SECRECY), CHILD, "Reden: beroepsgeheim tegenover de ouders"),
    "competence-presumed": (aged(14), CHILD, "niet beoordeeld"),
    "consent-not-asked": (aged(16), CHILD, "niet gevraagd"),
    "no-consent": (aged(16, consent_parents=False), CHILD, "geen toestemming"),
    "not-competent": (aged(13, competent=False), CHILD, "niet wilsbekwaam"),
    "age-unknown": (dict(), CHILD, "Leeftijd onbekend"),
    "no-gezag": (aged(14), NO_GEZAG, "Ouder zonder gezag: krijgt geen informatie over het kind"),
    "parent-no-child-to-write-about": (aged(16), GEZAG, NO_CHILD),
    "parent-of-an-adult": (aged(20), GEZAG, NO_CHILD),
}  # fmt: skip


@pytest.mark.parametrize("case", RULE_TEXTS)
def test_every_proposal_names_its_rule_in_dutch(case):
    details, member, rule = RULE_TEXTS[case]
    assert rule in by_id(propose(family(child(**details)), ON))[member].rule


def test_the_age_is_taken_on_the_date_of_informing_not_of_the_breach():
    breach = ON - timedelta(days=30)
    twelfth_birthday = ON - timedelta(days=10)  # between the breach and the informing
    kid = child(birth_date=twelfth_birthday.replace(year=twelfth_birthday.year - 12))
    assert age_on(kid.birth_date, breach) == 11 and age_on(kid.birth_date, ON) == 12
    assert by_id(propose(family(kid), breach))[CHILD].receives is False
    assert by_id(propose(family(kid), ON))[CHILD].reader is A.YOUNG_12_15


LEAP = date(2008, 2, 29)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [(LEAP, date(2026, 2, 28), 17), (LEAP, date(2026, 3, 1), 18), (LEAP, date(2028, 2, 28), 19),
     (LEAP, date(2028, 2, 29), 20), (LEAP, LEAP, 0), (date(2014, 2, 28), date(2026, 2, 28), 12),
     (date(2014, 3, 1), date(2026, 2, 28), 11), (date(2010, 6, 15), date(2026, 6, 14), 15),
     (date(2010, 6, 15), date(2026, 6, 15), 16)],
    ids=str,
)  # fmt: skip
def test_age_in_whole_years_and_leap_day_birthdays_count_on_1_march(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("on", "letter"),
    [(date(2026, 2, 28), A.YOUNG_16_17), (date(2026, 3, 1), A.PERSON), (date(2028, 2, 29), A.PERSON)],
    ids=["28-feb-still-17", "1-march-adult", "leap-year"],
)
def test_a_leap_day_child_comes_of_age_on_1_march_in_a_common_year(on, letter):
    assert by_id(propose(family(child(birth_date=LEAP)), on))[CHILD].reader is letter


def test_a_birth_date_after_the_date_of_informing_is_refused_in_dutch():
    with pytest.raises(InvalidInput) as refused:
        age_on(date(2026, 6, 16), ON)
    assert refused.value.errors == {"birth_date": "De geboortedatum ligt na de datum van informeren."}


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_age_on_is_the_number_of_birthdays_passed(a, b):
    birth, on = min(a, b), max(a, b)

    def birthday(years: int) -> date:
        try:
            return birth.replace(year=birth.year + years)
        except ValueError:  # 29 February in a common year: the birthday counts on 1 March
            return date(birth.year + years, 3, 1)

    age = age_on(birth, on)
    assert birthday(age) <= on < birthday(age + 1)


@pytest.mark.parametrize(
    ("years", "band"),
    [(0, AgeBand.UNDER_12), (11, AgeBand.UNDER_12), (12, AgeBand.FROM_12_TO_15), (15, AgeBand.FROM_12_TO_15),
     (16, AgeBand.FROM_16_TO_17), (17, AgeBand.FROM_16_TO_17), (18, AgeBand.ADULT), (90, AgeBand.ADULT)],
    ids=str,
)  # fmt: skip
def test_the_age_band_follows_the_birth_date_on_the_day_of_informing(years, band):
    assert age_band_on(child(birth_date=born(years), age_band=AgeBand.ADULT), ON) is band
    assert age_band_on(child(age_band=band), ON) is band
    assert age_band_on(child(), ON) is None


def test_the_family_from_the_issue_gets_exactly_the_expected_letters():
    nine, fourteen, parent, flagged_parent = 11, 12, 13, 14
    members = [
        Member(nine, R.CHILD, birth_date=born(9)),
        Member(fourteen, R.CHILD, birth_date=born(14)),
        Member(parent, R.PARENT_GEZAG),
        Member(flagged_parent, R.PARENT_GEZAG),
    ]
    got = [(p.member_id, p.receives, p.reader, p.about) for p in propose(members, ON, {flagged_parent})]
    assert got == [
        (nine, False, None, ()),
        (fourteen, True, A.YOUNG_12_15, (fourteen,)),
        (parent, True, A.PARENTS, (nine, fourteen)),
        (flagged_parent, False, None, ()),
    ]
    assert propose(members, ON, {flagged_parent})[3].rule == "Veiligheidsrisico: krijgt geen bericht"


M, KID = Member, R.CHILD
# a family of adults and staff -> per member (receives, reader, about)
OTHERS = {
    "adult": ([M(1, R.ADULT_CLIENT)], [(True, A.PERSON, (1,))]),
    "competent-adult-with-representative": (
        [M(1, R.ADULT_CLIENT, competent=True), M(2, R.REPRESENTATIVE)], [(True, A.PERSON, (1,)), (False, None, ())]),
    "adult-not-competent": (
        [M(1, R.ADULT_CLIENT, competent=False), M(2, R.REPRESENTATIVE)],
        [(False, None, ()), (True, A.REPRESENTATIVE, (1,))]),
    "two-clients-two-representatives": (
        [M(1, R.ADULT_CLIENT, competent=False), M(2, R.ADULT_CLIENT), M(3, R.REPRESENTATIVE), M(4, R.REPRESENTATIVE)],
        [(False, None, ()), (True, A.PERSON, (2,)), (True, A.REPRESENTATIVE, (1,)), (True, A.REPRESENTATIVE, (1,))]),
    "representative-alone": ([M(1, R.REPRESENTATIVE)], [(False, None, ())]),
    "employee": ([M(1, R.EMPLOYEE)], [(True, A.EMPLOYEE, (1,))]),
    "other": ([M(1, R.OTHER)], [(False, None, ())]),
    "guardian-without-child": ([M(1, R.GUARDIAN)], [(False, None, ())]),
    "guardian-and-parent": (
        [M(1, KID, birth_date=born(5)), M(2, R.GUARDIAN), M(3, R.PARENT_GEZAG)],
        [(False, None, ()), (True, A.PARENTS, (1,)), (True, A.PARENTS, (1,))]),
}  # fmt: skip


@pytest.mark.parametrize("case", OTHERS)
def test_adults_representatives_employees_and_others(case):
    members, expected = OTHERS[case]
    assert [(p.receives, p.reader, p.about) for p in propose(members, ON)] == expected


@pytest.mark.parametrize(
    ("relation", "rule"),
    [(R.OTHER, "Geen vaste regel: kies zelf, met een reden"), (R.EMPLOYEE, "Medewerker"), (R.ADULT_CLIENT, "Volwassene")],
    ids=str,
)  # fmt: skip
def test_the_rule_for_people_outside_the_age_rules(relation, rule):
    assert rule in propose([Member(1, relation)], ON)[0].rule


def with_deviation(details: dict, member_id: int, **deviation) -> list[Member]:
    """The family of the rule table, with ``member_id`` departing from the rule."""
    kid, gezag, no_gezag = family(child(**details))
    return [replace(m, **deviation) if m.id == member_id else m for m in (kid, gezag, no_gezag)]


EXCLUDE = dict(deviation="exclude", deviation_reason="Kind woont in het buitenland")
INCLUDE_PARENTS = dict(deviation="include", deviation_reader=A.PARENTS, deviation_reason="Omgangsregeling")
INCLUDE_YOUNG = dict(deviation="include", deviation_reader=A.YOUNG_12_15, deviation_reason="Kind vraagt zelf")
# (child's details, who deviates and how, who is flagged, whose proposal) -> (receives, reader, about, deviated)
DEVIATIONS = {
    "exclude-child": ((aged(14), CHILD, EXCLUDE, ()), CHILD, (False, None, (), True)),
    "exclude-parent": ((aged(14), GEZAG, EXCLUDE, ()), GEZAG, (False, None, (), True)),
    "exclude-parent-keeps-childs-letter": ((aged(14), GEZAG, EXCLUDE, ()), CHILD, (True, A.YOUNG_12_15, (CHILD,), False)),
    "include-parent-no-gezag": ((aged(9), NO_GEZAG, INCLUDE_PARENTS, ()), NO_GEZAG, (True, A.PARENTS, (CHILD,), True)),
    "include-parent-without-consent": ((aged(16), GEZAG, INCLUDE_PARENTS, ()), GEZAG, (True, A.PARENTS, (CHILD,), True)),
    "include-child-under-12": ((aged(11), CHILD, INCLUDE_YOUNG, ()), CHILD, (True, A.YOUNG_12_15, (CHILD,), True)),
    "include-flagged": ((aged(9), NO_GEZAG, INCLUDE_PARENTS, (NO_GEZAG,)), NO_GEZAG, (False, None, (), False)),
    "exclude-flagged": ((aged(14), CHILD, EXCLUDE, (CHILD,)), CHILD, (False, None, (), False)),
    "include-without-letter-kind-follows-the-rule": (
        (aged(9), NO_GEZAG, dict(deviation="include", deviation_reason="Omgangsregeling"), ()),
        NO_GEZAG, (False, None, (), False)),
}  # fmt: skip


@pytest.mark.parametrize("case", DEVIATIONS)
def test_the_fg_may_deviate_but_never_past_a_safety_flag(case):
    (details, deviating, deviation, flagged), member, expected = DEVIATIONS[case]
    got = by_id(propose(with_deviation(details, deviating, **deviation), ON, flagged))[member]
    assert (got.receives, got.reader, got.about, got.deviated) == expected
    if member in flagged:
        assert got.rule == "Veiligheidsrisico: krijgt geen bericht"


def test_a_deviation_names_the_rule_it_departs_from_and_the_reason():
    got = by_id(propose(with_deviation(aged(9), GEZAG, **EXCLUDE), ON))[GEZAG]
    assert got.rule.startswith("Afgeweken van de regel (Ouder met gezag")
    assert got.rule.endswith("): Kind woont in het buitenland")


def test_an_included_representative_writes_about_the_adult_clients_of_the_family():
    include = dict(
        deviation="include", deviation_reader=A.REPRESENTATIVE, deviation_reason="Cliënt vraagt het"
    )
    members = [Member(1, R.ADULT_CLIENT, competent=True), Member(2, R.REPRESENTATIVE, **include)]
    got = propose(members, ON)[1]
    assert (got.receives, got.reader, got.about, got.deviated) == (True, A.REPRESENTATIVE, (1,), True)


def test_an_unknown_deviation_is_refused_in_dutch():
    with pytest.raises(InvalidInput) as refused:
        Member(1, R.OTHER, deviation="maybe")
    assert set(refused.value.errors) == {"deviation"}


NO_CARER = "Persoon 1: in dit gezin staat geen ouder met gezag en geen voogd"
JUDGE = "Persoon 1: beoordeel of de jongere wilsbekwaam is"
CONSENT = "Persoon 1: vraag de jongere of de ouders een brief mogen krijgen"
UNREPRESENTED = "Persoon 1: deze volwassene is niet wilsbekwaam"
CHOOSE = "Persoon 1: kies welke brief deze persoon krijgt"
GAPS = {
    "under-12-without-carer": ([M(1, KID, birth_date=born(5))], [NO_CARER]),
    "12-15-without-carer": ([M(1, KID, birth_date=born(13), competent=True)], [NO_CARER]),
    "not-competent-only-parent-without-gezag": (
        [M(1, KID, birth_date=born(13), competent=False), M(2, R.PARENT_NO_GEZAG)], [NO_CARER]),
    "competence-not-judged": ([M(1, KID, birth_date=born(13)), M(2, R.GUARDIAN)], [JUDGE]),
    "consent-not-asked": ([M(1, KID, birth_date=born(16), competent=True), M(2, R.GUARDIAN)], [CONSENT]),
    "both-not-recorded": ([M(1, KID, birth_date=born(16)), M(2, R.GUARDIAN)], [JUDGE, CONSENT]),
    "age-missing": ([M(1, KID), M(2, R.PARENT_GEZAG)], ["Persoon 1: vul de geboortedatum of de leeftijd in"]),
    "adult-without-representative": ([M(1, R.ADULT_CLIENT, competent=False)], [UNREPRESENTED]),
    "include-without-letter": ([M(1, R.OTHER, deviation="include")], [CHOOSE]),
    "parents-letter-without-child": ([M(1, R.OTHER, deviation="include", deviation_reader=A.PARENTS)], [CHOOSE]),
}  # fmt: skip


@pytest.mark.parametrize("case", GAPS)
def test_gaps_tell_the_fg_what_to_record(case):
    members, hints = GAPS[case]
    got = gaps(members, ON)
    assert len(got) == len(hints), got
    for hint, text in zip(hints, got, strict=True):
        assert text.startswith(hint)


COMPLETE = {
    "under-12": [M(1, KID, birth_date=born(5)), M(2, R.PARENT_GEZAG)],
    "12-15": [M(1, KID, birth_date=born(13), competent=True), M(2, R.GUARDIAN)],
    "16-17-no-consent": [M(1, KID, birth_date=born(16), competent=True, consent_parents=False)],
    "12-15-withheld": [M(1, KID, birth_date=born(13), competent=True, parents_withheld=HARM)],
    "adult-child": [M(1, KID, birth_date=born(18))],
    "represented": [M(1, R.ADULT_CLIENT, competent=False), M(2, R.REPRESENTATIVE)],
    "staff": [M(1, R.EMPLOYEE), M(2, R.OTHER)],
}


@pytest.mark.parametrize("case", COMPLETE)
def test_a_complete_family_has_no_gaps(case):
    assert gaps(COMPLETE[case], ON) == []


def test_gaps_say_what_the_app_assumes_meanwhile():
    text = " ".join(gaps([Member(1, R.CHILD, birth_date=born(16)), Member(2, R.GUARDIAN)], ON))
    assert "Tot dan gaan we ervan uit dat de jongere wilsbekwaam is" in text
    assert "Tot dan krijgen de ouders geen brief" in text


# --- properties over any family ---------------------------------------------------------------------

member_fields = st.fixed_dictionaries(
    {
        "relation": st.sampled_from(list(Relation)),
        "birth_date": st.none() | st.dates(ON - timedelta(days=30 * 365), ON),
        "age_band": st.none() | st.sampled_from(list(AgeBand)),
        "competent": st.sampled_from([None, True, False]),
        "consent_parents": st.sampled_from([None, True, False]),
        "parents_withheld": st.sampled_from(list(ParentsWithheld)),
        "deviation": st.sampled_from(["", "include", "exclude"]),
        "deviation_reader": st.none() | st.sampled_from(Addressee.options()),
        "deviation_reason": st.sampled_from(["", "Reden"]),
        "flagged": st.booleans(),
    }
)
families = st.lists(st.lists(member_fields, min_size=1, max_size=7), min_size=1, max_size=4)


@settings(max_examples=400)
@given(families)
def test_whatever_the_family_the_safety_and_gezag_promises_hold(drawn):
    ids = iter(range(1, 100))
    for drawn_family in drawn:
        numbered = [(next(ids), dict(fields)) for fields in drawn_family]
        flagged = {i for i, fields in numbered if fields.pop("flagged")}
        members = [Member(i, **fields) for i, fields in numbered]
        proposals = propose(members, ON, flagged)
        relation = {m.id: m.relation for m in members}
        assert [p.member_id for p in proposals] == [m.id for m in members]
        for p in proposals:
            assert p.rule
            if p.member_id in flagged:
                assert not p.receives and not p.deviated
            if p.receives:
                assert p.reader is not None and p.about
            else:
                assert p.reader is None and p.about == ()
            if relation[p.member_id] is R.PARENT_NO_GEZAG and p.reader is A.PARENTS:
                assert p.deviated
            if p.reader is A.PARENTS:
                assert all(relation.get(i) is R.CHILD for i in p.about)
            if p.reader is A.REPRESENTATIVE:
                assert all(relation.get(i) is R.ADULT_CLIENT for i in p.about)
            if p.receives and not p.deviated and relation[p.member_id] is R.CHILD:  # 12 or older
                assert age_band_on(next(m for m in members if m.id == p.member_id), ON) not in (
                    AgeBand.UNDER_12,
                    None,
                )
