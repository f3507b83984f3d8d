"""Who receives the message to betrokkenen (art. 34 AVG) when they are minors.

The age rules for exercising privacy rights in youth care (docs/domain/youth-care.md §4):
under 12 the parents or guardians with parental authority (gezag); 12 to 15 the young person
*and* the parents with gezag, each with a letter written for them; 16 and 17 the young person
(parents only with the young person's consent); a young person judged not competent
(wilsonbekwaam): the parents with gezag. A parent without gezag has no right to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from datalek.models import InvalidInput, LabelledEnum

ADULT_AGE = 18


class Addressee(LabelledEnum):
    """A kind of reader; each gets a letter written for them."""

    PERSON = "person"
    PARENTS = "parents"
    YOUNG_PERSON = "young_person"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "person": "De betrokkene zelf (volwassene)",
            "parents": "Ouders of voogd met gezag",
            "young_person": "De jongere zelf",
        }


class AgeGroup(LabelledEnum):
    ADULT = "adult"
    UNDER_12 = "under_12"
    FROM_12_TO_15 = "12_15"
    FROM_16_TO_17 = "16_17"
    NOT_COMPETENT = "not_competent"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "adult": "18 jaar of ouder",
            "under_12": "Jonger dan 12 jaar",
            "12_15": "12 tot en met 15 jaar",
            "16_17": "16 of 17 jaar",
            "not_competent": "Minderjarig en niet wilsbekwaam",
        }


ADDRESSEES: dict[AgeGroup, tuple[Addressee, ...]] = {
    AgeGroup.ADULT: (Addressee.PERSON,),
    AgeGroup.UNDER_12: (Addressee.PARENTS,),
    AgeGroup.FROM_12_TO_15: (Addressee.YOUNG_PERSON, Addressee.PARENTS),
    AgeGroup.FROM_16_TO_17: (Addressee.YOUNG_PERSON,),
    AgeGroup.NOT_COMPETENT: (Addressee.PARENTS,),
}


def age_group(age: int, competent: bool = True) -> AgeGroup:
    """The group for a person of ``age`` (whole years at the moment of informing)."""
    if age < 0 or age > 130:
        raise InvalidInput({"age": "Vul een leeftijd in tussen 0 en 130 jaar."})
    if age >= ADULT_AGE:
        return AgeGroup.ADULT
    if not competent:
        return AgeGroup.NOT_COMPETENT
    if age < 12:
        return AgeGroup.UNDER_12
    if age < 16:
        return AgeGroup.FROM_12_TO_15
    return AgeGroup.FROM_16_TO_17


def addressees_for(age: int, competent: bool = True) -> tuple[Addressee, ...]:
    """Who must be informed about a person of this age."""
    return ADDRESSEES[age_group(age, competent)]


def note_for(group: AgeGroup) -> str:
    """What the FG should keep in mind for this group (Dutch)."""
    return {
        AgeGroup.ADULT: "Informeer de betrokkene zelf.",
        AgeGroup.UNDER_12: "Informeer de ouders of voogd met gezag. Een ouder zonder gezag krijgt "
        "deze informatie niet.",
        AgeGroup.FROM_12_TO_15: "Informeer de jongere én de ouders of voogd met gezag, ieder met "
        "een eigen brief.",
        AgeGroup.FROM_16_TO_17: "Informeer de jongere zelf. De ouders alleen als de jongere daar "
        "toestemming voor geeft.",
        AgeGroup.NOT_COMPETENT: "De jongere is niet in staat dit zelf te beoordelen: informeer de "
        "ouders of voogd met gezag.",
    }[group]


@dataclass(frozen=True)
class Proposal:
    """Who receives a message about a person of some age, and why (for the FG)."""

    group: AgeGroup
    addressees: tuple[Addressee, ...]

    @property
    def explanation(self) -> str:
        readers = " en ".join(a.label.lower() for a in self.addressees)
        return f"{self.group.label}: {note_for(self.group)} Ontvangers: {readers}."


def propose(age: int, competent: bool = True) -> Proposal:
    """The addressees for a person of ``age`` (whole years), with the rule that chose them."""
    group = age_group(age, competent)
    return Proposal(group, ADDRESSEES[group])
