"""Where each person on the informing list stands (issue #15, "On record"): informed (the
notice that says when and how), still to inform, waiting for the family's safety judgement,
postponed for safety, or not informed and why: flagged as a safety risk, no letter by the
rules, or the FG's deviation with her reason. And what of it goes into §8 of the concept
AP-melding (``informing_record``): counts, dates and channels per kind of reader, never a file
number or the reason of a safety judgement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from datalek.actions import consequences, informing, informing_list
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Notice
from datalek.actions.informing_list import Household, InformingList
from datalek.actions.recipients import Proposal
from datalek.models import LabelledEnum


class InformState(LabelledEnum):
    INFORMED = "informed"
    READY = "ready"
    WAITING = "waiting"
    POSTPONED = "postponed"
    FLAGGED = "flagged"
    BY_RULE = "by_rule"
    BY_DEVIATION = "by_deviation"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "informed": "Geïnformeerd",
            "ready": "Nog te informeren",
            "waiting": "Wacht op de veiligheidsvraag",
            "postponed": "Uitgesteld vanwege de veiligheid",
            "flagged": "Geen bericht: veiligheidsrisico",
            "by_rule": "Geen eigen bericht volgens de regels",
            "by_deviation": "Geen bericht: besluit van de FG",
        }


#: The persons not informed, per reason, as §8 counts them (in this order).
NOT_INFORMED = {
    InformState.FLAGGED: "vanwege een veiligheidsrisico",
    InformState.BY_RULE: "zonder eigen bericht volgens de regels",
    InformState.BY_DEVIATION: "op besluit van de FG, met een reden",
}


@dataclass(frozen=True)
class Standing:
    """One person's standing on the date of informing ``on``."""

    member_id: int
    household_id: int
    proposal: Proposal
    may_make: bool  # the gate: may a letter to this person be made now
    why_not: str  # the gate's Dutch reason when not
    notice: Notice | None  # the standing notice: sent when and how
    state: InformState
    reason: str  # why not informed (yet), in Dutch; "" when informed or ready


def family_day(house: Household, sent: dict[int, Notice], on: date) -> date:
    """The day a family was informed (its first letter to a person on the list), else ``on``:
    ages count on the day of informing, so a child who turned 12 after the family was informed
    through the parents' letter does not need a letter of their own."""
    return min((sent[m.id].informed_on for m in house.members if m.id in sent), default=on)


def standings(listed: InformingList, notices: list[Notice], on: date) -> dict[int, Standing]:
    """Per person on the list (not those taken off it): where they stand, by the rules on the
    family's day of informing (``family_day``). ``notices``: the incident's notices that count
    (withdrawn ones left out)."""
    sent: dict[int, Notice] = {}
    for n in sorted(notices, key=lambda n: (n.informed_on, n.id or 0)):
        if n.member_id is not None:
            sent.setdefault(n.member_id, n)
    found: dict[int, Standing] = {}
    for house in listed.households:
        proposals = {p.member_id: p for p in house.proposals(family_day(house, sent, on))}
        judgement = house.judgement
        for member in house.members:
            proposal = proposals[member.id]
            may, why = listed.may_make_letter(member.id, on)
            notice = sent.get(member.id)
            if notice is not None:
                state, reason = InformState.INFORMED, ""
            elif member.id in house.flagged:
                state, reason = InformState.FLAGGED, why
            elif not proposal.receives:
                state = InformState.BY_DEVIATION if proposal.deviated else InformState.BY_RULE
                reason = proposal.rule
            elif judgement is not None and judgement.postponed:
                state, reason = InformState.POSTPONED, why
            elif not may:
                state, reason = InformState.WAITING, why
            else:
                state, reason = InformState.READY, ""
            found[member.id] = Standing(member.id, house.id, proposal, may, why, notice, state, reason)
    return found


def _dates(notices: list[Notice]) -> tuple[date, ...]:
    return tuple(sorted({n.informed_on for n in notices}))


def informing_record(db: Database, incident_id: int, on: date) -> consequences.InformingRecord:
    """What is on record about informing, for §8. Without a permission check: for callers
    that checked already (the concept AP-melding)."""
    overview = informing.load(db, incident_id)
    listed = informing_list.load(db, incident_id)
    by_reader: dict[Addressee, list[Notice]] = {}
    for n in overview.notices:
        by_reader.setdefault(n.recipient, []).append(n)
    informed = tuple(
        consequences.InformedGroup(
            reader.label,
            sum(n.people_count for n in found),
            _dates(found),
            tuple(dict.fromkeys(n.channel.label.lower() for n in found)),
        )
        for reader in Addressee
        if (found := by_reader.get(reader))
    )
    states = standings(listed, overview.notices, on)
    counted = Counter(s.state for s in states.values())
    waiting = [h.judgement for h in listed.households if h.judgement is not None and h.judgement.postponed]
    groups = overview.open_postponements
    return consequences.InformingRecord(
        informed=informed,
        postponed_families=len(waiting),
        postponed_people=counted[InformState.POSTPONED],
        postponed_groups=tuple(c.recipient.label.lower() for c in groups),
        review_dates=tuple(sorted({j.review_on for j in waiting} | {c.review_on for c in groups})),
        not_informed=tuple((why, counted[state]) for state, why in NOT_INFORMED.items() if counted[state]),
        public=tuple(
            consequences.PublicRecord(p.published_on, p.published_where, p.text) for p in overview.public
        ),
    )
