"""Who receives which letter, per person and per family (issue #15; youth-context §4-§5).

The FG records the persons to inform, grouped in families (households). ``propose`` takes one
family and says per person whether they receive a letter, which kind, about whom, and the rule
it follows (in Dutch, shown next to the person). The age rules for minors: under 12 the parents
with gezag or the guardian; 12 to 15 the young person *and* the parents, unless informing the
parents harms the child or professional secrecy applies; 16 and 17 the young person, the parents
only with consent; a young person judged not competent: the parents. A parent without gezag gets
nothing about the child. A person flagged as a safety risk never receives anything.

Pure: no database, no clock; the date of informing is passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from datalek.actions.addressees import ADULT_AGE, Addressee, AgeBand, ParentsWithheld, Relation
from datalek.models import InvalidInput

INCLUDE, EXCLUDE = "include", "exclude"
DEVIATIONS = ("", INCLUDE, EXCLUDE)
CARERS = (Relation.PARENT_GEZAG, Relation.GUARDIAN)

FLAGGED = "Veiligheidsrisico: krijgt geen bericht"
PARENTS_RECEIVE = "de ouders met gezag of de voogd krijgen de brief"
UNDER_12 = f"Jonger dan 12: {PARENTS_RECEIVE}"
AGE_UNKNOWN = f"Leeftijd onbekend: {PARENTS_RECEIVE}. Vul de geboortedatum of de leeftijd in"
NO_CHILD = "Geen kind in dit gezin waarover de ouders een brief krijgen"
NO_GEZAG = "Ouder zonder gezag: krijgt geen informatie over het kind"
NO_RULE = "Geen vaste regel: kies zelf, met een reden"
PRESUMED = "Wilsbekwaamheid is niet beoordeeld: we gaan ervan uit dat de jongere wilsbekwaam is"
ONE_PARENTS_LETTER = "krijgt één brief over de kinderen waarover de ouders een brief krijgen"
PARENTS_TOO = "De ouders met gezag of de voogd krijgen ook een brief"
CLIENT_REPRESENTED = "Volwassene, niet wilsbekwaam: de wettelijk vertegenwoordiger krijgt de brief"
NOBODY_REPRESENTED = (
    "Geen volwassene in dit gezin die niet wilsbekwaam is: de vertegenwoordiger krijgt geen brief"
)
REPRESENTATIVE_WRITES = (
    "Wettelijk vertegenwoordiger: krijgt een brief over de volwassene die niet wilsbekwaam is"
)
UNUSED = "De afwijking is niet gebruikt: kies welke brief deze persoon krijgt"


@dataclass(frozen=True)
class Member:
    """What the rules need about one person on the informing list."""

    id: int
    relation: Relation
    birth_date: date | None = None
    age_band: AgeBand | None = None  # when no birth date is recorded
    competent: bool | None = None  # judged wilsbekwaam (12-17, and adults); None = not judged
    consent_parents: bool | None = None  # 16-17: consented to informing the parents; None = not asked
    parents_withheld: ParentsWithheld = ParentsWithheld.NONE  # 12-15 only
    deviation: str = ""  # "", "include", "exclude": the FG departs from the rule
    deviation_reader: Addressee | None = None  # the letter kind for "include"
    deviation_reason: str = ""

    def __post_init__(self) -> None:
        if self.deviation not in DEVIATIONS:
            raise InvalidInput(
                {"deviation": "Kies: volg de regel, geef deze persoon toch een brief, of juist geen brief."}
            )


@dataclass(frozen=True)
class Proposal:
    member_id: int
    receives: bool
    reader: Addressee | None  # the kind of letter, when receives
    about: tuple[int, ...]  # the member ids the letter is about (a parent's: their children)
    rule: str  # the rule followed, in Dutch, shown to the FG next to the person
    deviated: bool = False  # the FG departed from the rule (the rule text then says so + reason)


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on``.

    Someone born on 29 February turns a year older on 1 March in a common year (so is still the
    younger age on 28 February), as Dutch law counts it. Comparing (month, day) gives exactly that:
    (2, 28) comes before the birthday (2, 29), and (3, 1) comes after it."""
    if birth > on:
        raise InvalidInput({"birth_date": "De geboortedatum ligt na de datum van informeren."})
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def band_of(age: int) -> AgeBand:
    if age < 12:
        return AgeBand.UNDER_12
    if age < 16:
        return AgeBand.FROM_12_TO_15
    return AgeBand.FROM_16_TO_17 if age < ADULT_AGE else AgeBand.ADULT


def age_band_on(member: Member, on: date) -> AgeBand | None:
    """The age band on the date of informing: from the birth date when recorded, else the band."""
    if member.birth_date is not None:
        return band_of(age_on(member.birth_date, on))
    return member.age_band


@dataclass(frozen=True)
class ChildRule:
    """What the age rules say about one child: their own letter, and whether the parents get one."""

    reader: Addressee | None
    parents: bool
    text: str


def child_rule(member: Member, on: date) -> ChildRule:
    band = age_band_on(member, on)
    if band is None:
        return ChildRule(None, True, AGE_UNKNOWN)
    if band is AgeBand.UNDER_12:
        return ChildRule(None, True, UNDER_12)
    if band is AgeBand.ADULT:
        return ChildRule(Addressee.PERSON, False, "18 jaar of ouder: krijgt zelf een brief")
    if member.competent is False:
        return ChildRule(None, True, f"{band.label}, niet wilsbekwaam: {PARENTS_RECEIVE}")
    presumed = f". {PRESUMED}" if member.competent is None else ""
    own = f"{band.label}: de jongere krijgt een eigen brief"
    if band is AgeBand.FROM_12_TO_15:
        withheld = member.parents_withheld
        if withheld is ParentsWithheld.NONE:
            return ChildRule(Addressee.YOUNG_12_15, True, f"{own}. {PARENTS_TOO}{presumed}")
        reason = withheld.label[0].lower() + withheld.label[1:]
        return ChildRule(
            Addressee.YOUNG_12_15, False, f"{own}. De ouders krijgen geen brief. Reden: {reason}{presumed}"
        )
    consent = {
        True: f"De jongere geeft toestemming. {PARENTS_TOO}",
        False: "De jongere geeft geen toestemming: de ouders krijgen geen brief",
        None: "Toestemming voor de ouders is niet gevraagd: de ouders krijgen nog geen brief",
    }[member.consent_parents]
    return ChildRule(Addressee.YOUNG_16_17, member.consent_parents is True, f"{own}. {consent}{presumed}")


class Family:
    """One family's members and what the rules say about its children and adult clients."""

    def __init__(self, members: Sequence[Member], on: date):
        self.members = members
        self.children = [m for m in members if m.relation is Relation.CHILD]
        self.child_rules = {m.id: child_rule(m, on) for m in self.children}
        self.for_parents = tuple(m.id for m in self.children if self.child_rules[m.id].parents)
        self.clients = [m for m in members if m.relation is Relation.ADULT_CLIENT]
        self.represented = tuple(m.id for m in self.clients if m.competent is False)
        self.has_carer = any(m.relation in CARERS for m in members)
        self.has_representative = any(m.relation is Relation.REPRESENTATIVE for m in members)

    def by_rule(self, member: Member) -> tuple[Addressee | None, tuple[int, ...], str]:
        """The letter the rules give ``member`` (or None), whom it is about, and the rule."""
        relation = member.relation
        if relation is Relation.CHILD:
            rule = self.child_rules[member.id]
            return rule.reader, (member.id,), rule.text
        if relation in CARERS:
            if not self.for_parents:
                return None, (), NO_CHILD
            return Addressee.PARENTS, self.for_parents, f"{relation.label}: {ONE_PARENTS_LETTER}"
        if relation is Relation.PARENT_NO_GEZAG:
            return None, (), NO_GEZAG
        if relation is Relation.ADULT_CLIENT:
            if member.competent is False:
                return None, (), CLIENT_REPRESENTED
            return Addressee.PERSON, (member.id,), "Volwassene: krijgt zelf een brief"
        if relation is Relation.REPRESENTATIVE:
            if not self.represented:
                return None, (), NOBODY_REPRESENTED
            return Addressee.REPRESENTATIVE, self.represented, REPRESENTATIVE_WRITES
        if relation is Relation.EMPLOYEE:
            return Addressee.EMPLOYEE, (member.id,), "Medewerker: krijgt zelf een brief"
        return None, (), NO_RULE

    def included_about(self, member: Member) -> tuple[int, ...] | None:
        """Whom an "include" letter is about; None when the deviation cannot be followed (no letter
        kind chosen, or a letter for parents or a representative with nobody in the family to be about)."""
        reader = member.deviation_reader
        if reader is None:
            return None
        if reader is Addressee.PARENTS:
            return self.for_parents or tuple(m.id for m in self.children) or None
        if reader is Addressee.REPRESENTATIVE:
            return self.represented or tuple(m.id for m in self.clients) or None
        return (member.id,)


def propose(members: Sequence[Member], on: date, flagged: Collection[int] = ()) -> list[Proposal]:
    """One proposal per member of one family, in the order given; ``on`` is the date of informing.

    A flagged member (a safety risk) never receives anything, whatever the rule or a deviation."""
    family = Family(members, on)
    return [_proposal(family, m, m.id in flagged) for m in members]


def _proposal(family: Family, member: Member, flagged: bool) -> Proposal:
    if flagged:
        return Proposal(member.id, False, None, (), FLAGGED)
    reader, about, rule = family.by_rule(member)
    if member.deviation:
        departed = f"Afgeweken van de regel ({rule}): {member.deviation_reason or 'geen reden vastgelegd'}"
        if member.deviation == EXCLUDE:
            return Proposal(member.id, False, None, (), departed, deviated=True)
        included = family.included_about(member)
        if included is not None:
            return Proposal(member.id, True, member.deviation_reader, included, departed, deviated=True)
        rule = f"{rule}. {UNUSED}"
    if reader is None:
        return Proposal(member.id, False, None, (), rule)
    return Proposal(member.id, True, reader, about, rule)


def gaps(members: Sequence[Member], on: date) -> list[str]:
    """What the FG must still record for this family before the proposal is complete (Dutch)."""
    family = Family(members, on)
    hints: list[str] = []
    for m in members:
        who = f"Persoon {m.id}: "
        if m.relation is Relation.CHILD:
            band = age_band_on(m, on)
            if band is None:
                hints.append(
                    f"{who}vul de geboortedatum of de leeftijd in. "
                    "Tot dan krijgen alleen de ouders met gezag of de voogd een brief."
                )
            if family.child_rules[m.id].parents and not family.has_carer:
                hints.append(
                    f"{who}in dit gezin staat geen ouder met gezag en geen voogd. "
                    "Voeg die toe. Zij krijgen een brief over dit kind."
                )
            if band in (AgeBand.FROM_12_TO_15, AgeBand.FROM_16_TO_17) and m.competent is None:
                hints.append(
                    f"{who}beoordeel of de jongere wilsbekwaam is. "
                    "Tot dan gaan we ervan uit dat de jongere wilsbekwaam is."
                )
            if band is AgeBand.FROM_16_TO_17 and m.competent is not False and m.consent_parents is None:
                hints.append(
                    f"{who}vraag de jongere of de ouders een brief mogen krijgen. "
                    "Tot dan krijgen de ouders geen brief."
                )
        if m.relation is Relation.ADULT_CLIENT and m.competent is False and not family.has_representative:
            hints.append(
                f"{who}deze volwassene is niet wilsbekwaam. "
                "Voeg de wettelijk vertegenwoordiger toe. Die krijgt de brief."
            )
        if m.deviation == INCLUDE and family.included_about(m) is None:
            hints.append(f"{who}kies welke brief deze persoon krijgt. {_why_unused(m)}")
    return hints


def _why_unused(member: Member) -> str:
    if member.deviation_reader is Addressee.PARENTS:
        return "Een brief voor ouders gaat over een kind. In dit gezin staat geen kind."
    if member.deviation_reader is Addressee.REPRESENTATIVE:
        return "Een brief voor een vertegenwoordiger gaat over een volwassen cliënt. Die staat niet in dit gezin."
    return "Tot dan volgen we de regel."
