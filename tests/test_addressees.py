"""Who receives the message to betrokkenen when they are minors (docs/domain/youth-care.md §4)."""

import pytest

from datalek.actions import addressees
from datalek.actions.addressees import Addressee, AgeGroup, addressees_for, age_group, note_for
from datalek.models import InvalidInput

PARENTS = (Addressee.PARENTS,)
YOUNG = (Addressee.YOUNG_PERSON,)
BOTH = (Addressee.YOUNG_PERSON, Addressee.PARENTS)
PERSON = (Addressee.PERSON,)


@pytest.mark.parametrize(
    ("age", "group", "expected"),
    [
        (0, AgeGroup.UNDER_12, PARENTS),
        (6, AgeGroup.UNDER_12, PARENTS),
        (11, AgeGroup.UNDER_12, PARENTS),
        (12, AgeGroup.FROM_12_TO_15, BOTH),
        (15, AgeGroup.FROM_12_TO_15, BOTH),
        (16, AgeGroup.FROM_16_TO_17, YOUNG),
        (17, AgeGroup.FROM_16_TO_17, YOUNG),
        (18, AgeGroup.ADULT, PERSON),
        (45, AgeGroup.ADULT, PERSON),
        (130, AgeGroup.ADULT, PERSON),
    ],
    ids=[
        "newborn",
        "child-6",
        "last-year-under-12",
        "first-year-12-15",
        "last-year-12-15",
        "first-year-16-17",
        "last-year-minor",
        "just-adult",
        "adult",
        "oldest-accepted",
    ],
)
def test_competent_people_are_informed_according_to_their_age(age, group, expected):
    assert age_group(age) is group
    assert addressees_for(age) == expected


@pytest.mark.parametrize("age", [0, 11, 12, 15, 16, 17], ids=lambda a: f"age-{a}")
def test_a_minor_who_is_not_competent_is_informed_through_the_parents(age):
    assert age_group(age, competent=False) is AgeGroup.NOT_COMPETENT
    assert addressees_for(age, competent=False) == PARENTS


@pytest.mark.parametrize("age", [18, 40, 130], ids=lambda a: f"age-{a}")
def test_an_adult_is_informed_personally_whatever_the_competence_flag(age):
    assert age_group(age, competent=False) is AgeGroup.ADULT
    assert addressees_for(age, competent=False) == PERSON


def test_twelve_to_fifteen_year_olds_get_their_own_letter_and_so_do_their_parents():
    readers = addressees_for(13)
    assert len(set(readers)) == 2 and Addressee.YOUNG_PERSON in readers and Addressee.PARENTS in readers


def test_sixteen_and_seventeen_year_olds_are_informed_without_their_parents():
    assert Addressee.PARENTS not in addressees_for(16)
    assert Addressee.PARENTS not in addressees_for(17)


@pytest.mark.parametrize("age", [-1, -30, 131, 500], ids=["minus-one", "very-negative", "131", "500"])
@pytest.mark.parametrize("competent", [True, False], ids=["competent", "not-competent"])
def test_impossible_ages_are_refused_with_a_dutch_message(age, competent):
    with pytest.raises(InvalidInput) as refused:
        addressees_for(age, competent)
    assert refused.value.errors == {"age": "Vul een leeftijd in tussen 0 en 130 jaar."}


@pytest.mark.parametrize(
    ("group", "phrase"),
    [
        (AgeGroup.ADULT, "betrokkene zelf"),
        (AgeGroup.UNDER_12, "zonder gezag krijgt"),
        (AgeGroup.FROM_12_TO_15, "eigen brief"),
        (AgeGroup.FROM_16_TO_17, "toestemming"),
        (AgeGroup.NOT_COMPETENT, "ouders of voogd met gezag"),
    ],
    ids=[g.value for g in AgeGroup],
)
def test_each_age_group_has_a_dutch_note_for_the_dpo(group, phrase):
    assert phrase in note_for(group)


def test_every_group_and_recipient_has_a_dutch_label():
    assert {g.label for g in AgeGroup} == {
        "18 jaar of ouder",
        "Jonger dan 12 jaar",
        "12 tot en met 15 jaar",
        "16 of 17 jaar",
        "Minderjarig en niet wilsbekwaam",
    }
    assert Addressee.PARENTS.label == "Ouders of voogd met gezag"


@pytest.mark.parametrize(
    ("age", "competent", "expected"),
    [
        (
            11,
            True,
            "Jonger dan 12 jaar: Informeer de ouders of voogd met gezag. Een ouder zonder gezag "
            "krijgt deze informatie niet. Ontvangers: ouders of voogd met gezag.",
        ),
        (
            14,
            True,
            "12 tot en met 15 jaar: Informeer de jongere én de ouders of voogd met gezag, ieder met "
            "een eigen brief. Ontvangers: de jongere zelf en ouders of voogd met gezag.",
        ),
        (
            40,
            True,
            "18 jaar of ouder: Informeer de betrokkene zelf. Ontvangers: de betrokkene zelf (volwassene).",
        ),
    ],
)
def test_the_proposal_says_who_and_why(age, competent, expected):
    proposal = addressees.propose(age, competent)
    assert proposal.explanation == expected
    assert proposal.addressees == addressees.addressees_for(age, competent)
