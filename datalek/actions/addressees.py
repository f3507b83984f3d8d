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
    """A kind of reader; each gets a letter written for them.

    ``YOUNG_PERSON`` is the older, coarser code (a young person of 12 to 17) of notices and
    checks recorded before 0.6.0; it keeps its meaning and label and is no longer offered."""

    PERSON = "person"
    PARENTS = "parents"
    YOUNG_PERSON = "young_person"
    YOUNG_12_15 = "young_12_15"
    YOUNG_16_17 = "young_16_17"
    REPRESENTATIVE = "representative"
    EMPLOYEE = "employee"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "person": "De betrokkene zelf (volwassene)",
            "parents": "Ouders of voogd met gezag",
            "young_person": "De jongere zelf",
            "young_12_15": "Jongere van 12 tot en met 15 jaar",
            "young_16_17": "Jongere van 16 of 17 jaar",
            "representative": "Wettelijk vertegenwoordiger (curator, mentor, bewindvoerder)",
            "employee": "Medewerker",
        }

    @classmethod
    def options(cls) -> list[Addressee]:
        """What can be chosen for new records: the legacy code is not."""
        return [a for a in cls if a is not cls.YOUNG_PERSON]

    @property
    def young(self) -> bool:
        """A letter for a young person: no article numbers or legal terms, always "je"."""
        return self in (Addressee.YOUNG_PERSON, Addressee.YOUNG_12_15, Addressee.YOUNG_16_17)


class Relation(LabelledEnum):
    """How a person on the informing list relates to the breach and to the others in the family."""

    CHILD = "child"
    PARENT_GEZAG = "parent_gezag"
    PARENT_NO_GEZAG = "parent_no_gezag"
    GUARDIAN = "guardian"
    ADULT_CLIENT = "adult_client"
    REPRESENTATIVE = "representative"
    EMPLOYEE = "employee"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "child": "Kind of jongere (cliënt)",
            "parent_gezag": "Ouder met gezag",
            "parent_no_gezag": "Ouder zonder gezag",
            "guardian": "Voogd",
            "adult_client": "Volwassen cliënt",
            "representative": "Wettelijk vertegenwoordiger van een volwassene",
            "employee": "Medewerker",
            "other": "Iemand anders",
        }


class AgeBand(LabelledEnum):
    """The age of a person when no date of birth is recorded (the least data that does the job)."""

    UNDER_12 = "under_12"
    FROM_12_TO_15 = "12_15"
    FROM_16_TO_17 = "16_17"
    ADULT = "adult"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "under_12": "Jonger dan 12 jaar",
            "12_15": "12 tot en met 15 jaar",
            "16_17": "16 of 17 jaar",
            "adult": "18 jaar of ouder",
        }


class ParentsWithheld(LabelledEnum):
    """Why the parents of a young person of 12 to 15 are not informed (documented by the FG)."""

    NONE = ""
    HARM = "harm"
    PROFESSIONAL_SECRECY = "professional_secrecy"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "": "De ouders met gezag worden geïnformeerd",
            "harm": "Informeren van de ouders schaadt het kind",
            "professional_secrecy": "Beroepsgeheim tegenover de ouders",
        }


class Concern(LabelledEnum):
    """Why a recipient must not receive a message (safety before speed)."""

    SUBJECT_OF_CONCERN = "subject_of_concern"
    VIOLENT_PARTNER = "violent_partner"
    VEILIG_THUIS = "veilig_thuis"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "subject_of_concern": "Ouder of verzorger over wie zorgen zijn",
            "violent_partner": "(Ex-)partner die geweld heeft gebruikt",
            "veilig_thuis": "Melding bij Veilig Thuis in het dossier",
            "other": "Een ander gevaar voor het kind of iemand anders",
        }


class AddressForm(LabelledEnum):
    """How a letter addresses its reader; the organisation chooses per kind of reader."""

    U = "u"
    JE = "je"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"u": "u (formeel)", "je": "je (informeel)"}


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
