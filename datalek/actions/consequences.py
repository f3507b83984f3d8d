"""§7 and §8 of the concept AP-melding, kept consistent with each other and with the decision.

§7 states the consequences for the people (the EU template's impact list) and their severity
in the AP form's own terms (gering / aanzienlijk / ernstig / nog niet bekend). Both are derived
from the assessment; the FG may state her own view, with a reason (``Facts.impacts``,
``Facts.severity``, ``Facts.consequences_reason``). The ENISA score and the risk level stay in
the internal motivation: they are not text for the AP.

§8 says whether the people are informed exactly as the decision says, and never gives "no high
risk" as the reason next to a §7 that calls the consequences severe. It takes over what is on
record (``InformingRecord``, from ``informing_status.informing_record``): the people informed
per kind of reader with dates and channels, the postponements for safety (how many, and the
review dates), who is not informed and why (counted per kind of reason), and the public notice
with where and when. Counts only: never a file number, a name or the reason of a postponement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from datalek.models import Nature
from datalek.triage.advice import RiskLevel
from datalek.triage.facts import (
    SPECIAL_CATEGORIES,
    AvailabilityEffect,
    AvailabilityState,
    ConfidentialityState,
    DataCategory,
    Facts,
    Impact,
    RecipientKind,
    Severity,
)

D = DataCategory
#: The severity that follows from the engine's risk level (EDPB 9/2022 §IV).
SEVERITY_OF_RISK: dict[RiskLevel | None, Severity] = {
    RiskLevel.HIGH: Severity.SEVERE,
    RiskLevel.RISK: Severity.MODERATE,
    RiskLevel.NONE: Severity.MINOR,
    None: Severity.TBD,
}
NO_HIGH_RISK = "Er is geen hoog risico voor de betrokkenen."
_DISCRIMINATING = frozenset({D.RACIAL_ETHNIC, D.POLITICAL, D.RELIGIOUS, D.SEX_LIFE, D.UNION, D.CRIMINAL})


def _exposed(f: Facts) -> bool:
    """Someone who should not have them may have seen the data."""
    return (
        Nature.CONFIDENTIALITY in f.natures
        and f.confidentiality is not ConfidentialityState.NOT_DISCLOSED
        and set(f.recipients) != {RecipientKind.NONE}
    )


def derived_impacts(f: Facts) -> list[Impact]:
    """The consequences that follow from the facts (EU template impact list), in its order."""
    cats = set(f.data_categories)
    found: set[Impact] = set()
    if _exposed(f):
        found |= {Impact.LOSS_OF_CONTROL, Impact.DISCLOSURE}
        if cats & {D.BSN, D.ID_DOCUMENT}:
            found |= {Impact.IDENTITY_THEFT, Impact.FRAUD}
        if cats & {D.PAYMENT_MEANS, D.CREDENTIALS}:
            found.add(Impact.FRAUD)
        if cats & {D.FINANCIAL, D.PAYMENT_MEANS}:
            found.add(Impact.FINANCIAL_LOSS)
        if f.professional_secrecy or cats & {D.CARE_FILE, D.HEALTH, D.CHILD_PROTECTION}:
            found.add(Impact.PROFESSIONAL_SECRECY)
        if cats & SPECIAL_CATEGORIES:
            found.add(Impact.REPUTATION)
        if cats & _DISCRIMINATING:
            found.add(Impact.DISCRIMINATION)
        if f.child_safety:
            found.add(Impact.PHYSICAL_MENTAL_HARM)
    if Nature.AVAILABILITY in f.natures and f.availability is not AvailabilityState.TEMPORARY:
        found.add(Impact.LIMITATION_OF_RIGHTS)
    # EDPB 01/2021 casus 3: an outage is judged by its effect on the people (issue #19).
    if f.availability_effect is AvailabilityEffect.DELAYED:
        found.add(Impact.LIMITATION_OF_RIGHTS)  # help, care, a decision or a payment came later
    if f.availability_effect is AvailabilityEffect.HARM:
        found |= {Impact.LIMITATION_OF_RIGHTS, Impact.PHYSICAL_MENTAL_HARM}
    if Nature.INTEGRITY in f.natures and f.integrity is not None and f.integrity.value != "altered_no_misuse":
        found.add(Impact.LIMITATION_OF_RIGHTS)
    return [i for i in Impact if i in found]


@dataclass(frozen=True)
class Consequences:
    impacts: list[Impact]
    severity: Severity
    reason: str  # the FG's reason for her own view; "" when derived

    @property
    def impacts_text(self) -> str:
        if not self.impacts:
            return "Geen gevolgen voor de betrokkenen vastgesteld."
        return "; ".join(i.label for i in self.impacts)

    @property
    def severity_text(self) -> str:
        return self.severity.label + (f". Toelichting: {self.reason}" if self.reason else "")


def consequences(f: Facts, risk: RiskLevel | None) -> Consequences:
    """§7 from the assessment: the FG's own view where she gave one, else derived."""
    reason = f.consequences_reason.strip() if (f.impacts or f.severity is not None) else ""
    impacts = list(f.impacts) or derived_impacts(f)
    severity = f.severity or SEVERITY_OF_RISK[risk]
    if not f.severity and not impacts and severity in (Severity.MODERATE, Severity.SEVERE):
        # A risk the engine assumes for want of facts names no consequence: the severity of
        # consequences nobody can name yet is not known (never "Ernstig" next to none).
        severity = Severity.TBD
    return Consequences(impacts=impacts, severity=severity, reason=reason)


#: The first words of the lines of ``InformingRecord.lines`` that are not about people informed.
POSTPONED = "Uitgesteld vanwege de veiligheid"
NOT_INFORMED = "Niet geïnformeerd"


@dataclass(frozen=True)
class InformedGroup:
    """The people of one kind of reader informed, from the notices that count."""

    reader: str  # the kind of reader's label
    people: int
    dates: tuple[date, ...]
    channels: tuple[str, ...]  # lower case labels: "brief", "e-mail"


@dataclass(frozen=True)
class PublicRecord:
    published_on: date
    where: str
    text: str


def _people(n: int) -> str:
    return f"{n} persoon" if n == 1 else f"{n} personen"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _days(days: tuple[date, ...]) -> str:
    shown = [f"{d:%d-%m-%Y}" for d in sorted(days)]
    if len(shown) > 3:
        return f"tussen {shown[0]} en {shown[-1]}"
    return "op " + _and(shown)


@dataclass(frozen=True)
class InformingRecord:
    """What is on record about informing the people, for §8."""

    informed: tuple[InformedGroup, ...] = ()
    postponed_families: int = 0
    postponed_people: int = 0  # the people of those families whose message waits
    postponed_groups: tuple[str, ...] = ()  # recipient groups whose safety check postponed them
    review_dates: tuple[date, ...] = ()
    not_informed: tuple[tuple[str, int], ...] = ()  # (why, how many people) per kind of reason
    public: tuple[PublicRecord, ...] = ()

    def lines(self) -> list[str]:
        """One sentence per kind of reader informed, then the postponements, then who is not
        informed and why. A line never counts nobody."""
        found = [
            f"{g.reader}: {_people(g.people)} geïnformeerd {_days(g.dates)} ({', '.join(g.channels)})."
            for g in self.informed
            if g.people > 0 and g.dates
        ]
        waiting = []
        if self.postponed_families:
            families = "1 gezin" if self.postponed_families == 1 else f"{self.postponed_families} gezinnen"
            waiting.append(
                families + (f" ({_people(self.postponed_people)})" if self.postponed_people else "")
            )
        if self.postponed_groups:
            waiting.append("de groep " + _and(list(self.postponed_groups)))
        if waiting:
            review = f"; opnieuw bekijken {_days(self.review_dates)}" if self.review_dates else ""
            found.append(f"{POSTPONED}: {_and(waiting)}{review}.")
        counted = [f"{_people(n)} {why}" for why, n in self.not_informed if n > 0]
        if counted:
            found.append(f"{NOT_INFORMED}: " + "; ".join(counted) + ".")
        return found

    def public_text(self) -> str | None:
        """8.public: each public notice with when and where it was published, and its text."""
        shown = [
            f"Gepubliceerd op {p.published_on:%d-%m-%Y}."
            + (f" Waar: {p.where}." if p.where else "")
            + f" {p.text}"
            for p in self.public
        ]
        return "\n".join(shown) or None


def inform_answer(
    inform: str | None,
    inform_date: str | None,
    informed: list[str],
    exception: str | None,
    severity: Severity | None,
    motivation: str = "",
) -> str | None:
    """§8 "Zijn of worden de betrokkenen geïnformeerd?", exactly as decided, with what is on
    record (``informed``: ``InformingRecord.lines``). "No" is explained by the art. 34(3)
    exception, else by "no high risk" — but only next to minor or moderate consequences;
    otherwise by the FG's motivation of her decision. Never "not yet" or "still to be done"
    alone when people were informed already."""
    rest = [line for line in informed if line.startswith((POSTPONED, NOT_INFORMED))]
    done = [line for line in informed if line not in rest]
    if inform == "yes":
        return " ".join(["Ja.", *(done or ["Dit wordt nog gedaan."]), *rest])
    if inform == "later":
        when = f"; gepland op {inform_date}" if inform_date else ""
        return " ".join([f"Nog niet{' iedereen' if done else ''}{when}.", *done, *rest])
    if inform != "no":
        return None
    if exception:
        answer = f"Nee. {exception}"
    elif severity in (Severity.MINOR, Severity.MODERATE):
        answer = f"Nee. {NO_HIGH_RISK}"
    elif motivation.strip():
        answer = f"Nee. {motivation.strip()}"
    else:
        return None
    return " ".join([answer, *(["Toch geïnformeerd:", *done] if done else [])])
