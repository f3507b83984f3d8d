"""The informing list of one incident as recorded (issue #15): its families, each person with
every change of them, each family's safety judgements, and the one gate every letter to a person
passes (``InformingList.may_make_letter``). Written by ``datalek.actions.households``.

The gate, in order: the person must be on the list; the family's safety must be judged; a
flagged person never gets a letter, whatever the rules or a deviation say; a person put on the
list after the latest judgement waits until the family is judged again (that judgement did not
consider them); a postponed family waits until it is judged safe; the rules
(``datalek.actions.recipients``) must give the person a letter on the date of informing; and a
letter about a person the judgement did not consider (the parents' letter about a child added
later) waits too. The other members are not held up by a newcomer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import household_rules, recipients
from datalek.actions.addressees import Addressee, AgeBand, Concern, ParentsWithheld, Relation
from datalek.actions.corrections import Correction
from datalek.models import Actor
from datalek.store import households as sql

FLAGGED = household_rules.FLAGGED
FIRST_QUESTION = "Beantwoord eerst de veiligheidsvraag voor dit gezin."
JUDGE_AGAIN = "Er is iemand aan dit gezin toegevoegd na de veiligheidsvraag. Beantwoord de vraag opnieuw."
NOT_JUDGED = (
    "Deze persoon is na de veiligheidsvraag aan het gezin toegevoegd. Die vraag ging nog niet over "
    "deze persoon. Beantwoord de vraag opnieuw voor dit gezin."
)
ABOUT_NOT_JUDGED = (
    "Deze brief gaat ook over persoon {ids}, na de veiligheidsvraag aan het gezin toegevoegd. "
    "Beantwoord de vraag opnieuw voor dit gezin."
)
REMOVED = "Deze persoon is van de lijst gehaald."
NOT_ON_LIST = "Deze persoon staat niet op de lijst van deze melding."
NOTHING_BY_RULE = "Volgens het voorstel krijgt deze persoon geen bericht"


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


@dataclass(frozen=True)
class MemberRecord:
    """One person on the informing list, as recorded, with every change of it."""

    id: int
    household_id: int
    relation: Relation
    incident_id: int = 0
    file_ref: str = ""
    birth_date: date | None = None
    age_band: AgeBand | None = None
    competent: bool | None = None
    consent_parents: bool | None = None
    parents_withheld: ParentsWithheld = ParentsWithheld.NONE
    parents_withheld_reason: str = ""
    deviation: str = ""
    deviation_reader: Addressee | None = None
    deviation_reason: str = ""
    removed_at: datetime | None = None
    removed_by: int | None = None
    removed_reason: str = ""
    recorded_by: int | None = None
    recorded_at: datetime | None = None
    changes: tuple[Correction, ...] = ()  # (field, old value, new value, reason, who, when)

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def member(self) -> recipients.Member:
        """What the rules need about this person."""
        return recipients.Member(
            self.id,
            self.relation,
            self.birth_date,
            self.age_band,
            self.competent,
            self.consent_parents,
            self.parents_withheld,
            self.deviation,
            self.deviation_reader,
            self.deviation_reason,
        )

    @classmethod
    def from_row(cls, row: dict, changes: tuple[Correction, ...] = ()) -> MemberRecord:
        return cls(
            id=row["id"],
            household_id=row["household_id"],
            relation=Relation(row["relation"]),
            incident_id=row["incident_id"],
            file_ref=row["file_ref"],
            birth_date=_day(row["birth_date"]),
            age_band=AgeBand(row["age_band"]) if row["age_band"] else None,
            competent=_flag(row["competent"]),
            consent_parents=_flag(row["consent_parents"]),
            parents_withheld=ParentsWithheld(row["parents_withheld"]),
            parents_withheld_reason=row["parents_withheld_reason"],
            deviation=row["deviation"],
            deviation_reader=Addressee(row["deviation_reader"]) if row["deviation_reader"] else None,
            deviation_reason=row["deviation_reason"],
            removed_at=clock.from_iso(row["removed_at"]),
            removed_by=row["removed_by"],
            removed_reason=row["removed_reason"],
            recorded_by=row["recorded_by"],
            recorded_at=clock.from_iso(row["recorded_at"]),
            changes=changes,
        )


@dataclass(frozen=True)
class SafetyJudgement:
    """A family's safety: who never gets a message, and whether the family's messages wait."""

    id: int
    household_id: int
    flagged: frozenset[int]
    concerns: frozenset[Concern]
    postponed: bool
    reason: str
    review_on: date | None
    recorded_at: datetime
    recorded_by: int | None

    @classmethod
    def from_row(cls, row: dict) -> SafetyJudgement:
        return cls(
            row["id"],
            row["household_id"],
            frozenset(json.loads(row["flagged"])),
            frozenset(Concern(c) for c in row["concern"].split(",") if c),
            bool(row["postponed"]),
            row["reason"],
            _day(row["review_on"]),
            clock.from_iso(row["recorded_at"]),
            row["recorded_by"],
        )


@dataclass(frozen=True)
class Household:
    id: int
    incident_id: int
    label: str
    members: tuple[MemberRecord, ...]  # still on the list
    removed: tuple[MemberRecord, ...]  # taken off the list, kept with the reason
    history: tuple[SafetyJudgement, ...] = ()  # every judgement, oldest first

    @property
    def judgement(self) -> SafetyJudgement | None:
        """The latest safety judgement: the one that counts."""
        return self.history[-1] if self.history else None

    @property
    def flagged(self) -> frozenset[int]:
        return self.judgement.flagged if self.judgement else frozenset()

    @property
    def not_judged(self) -> frozenset[int]:
        """The persons put on the list after the latest safety judgement: it did not consider
        them, so no letter to or about them until the family is judged again."""
        judged = self.judgement
        if judged is None:
            return frozenset(m.id for m in self.members)
        return frozenset(
            m.id for m in self.members if m.recorded_at is not None and m.recorded_at > judged.recorded_at
        )

    def proposals(self, on: date) -> list[recipients.Proposal]:
        return recipients.propose([m.member() for m in self.members], on, self.flagged)


@dataclass(frozen=True)
class InformingList:
    """The families of one incident."""

    incident_id: int
    households: tuple[Household, ...]

    def household(self, household_id: int) -> Household | None:
        return next((h for h in self.households if h.id == household_id), None)

    def _find(self, member_id: int) -> tuple[Household, MemberRecord] | None:
        for house in self.households:
            for record in (*house.members, *house.removed):
                if record.id == member_id:
                    return house, record
        return None

    def member(self, member_id: int) -> MemberRecord | None:
        found = self._find(member_id)
        return found[1] if found else None

    def proposals(self, on: date) -> dict[int, list[recipients.Proposal]]:
        """Per family (by id): who receives what on the date of informing ``on``, and why."""
        return {house.id: house.proposals(on) for house in self.households}

    def gaps(self, on: date) -> dict[int, list[str]]:
        """Per family (by id): what the FG must still record (Dutch)."""
        return {
            house.id: recipients.gaps([m.member() for m in house.members], on) for house in self.households
        }

    def may_make_letter(self, member_id: int, on: date) -> tuple[bool, str]:
        """May a letter to this person be made now, for informing on ``on``? With the Dutch reason
        when not. The one gate: callers ask it inside the transaction that makes the letter."""
        found = self._find(member_id)
        if found is None:
            return False, NOT_ON_LIST
        house, record = found
        if record.removed:
            return False, REMOVED
        judgement = house.judgement
        if judgement is None:
            return False, FIRST_QUESTION
        if record.id in judgement.flagged:
            return False, FLAGGED
        newcomers = house.not_judged
        if record.id in newcomers:
            return False, NOT_JUDGED
        if judgement.postponed:
            return (
                False,
                f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {judgement.review_on:%d-%m-%Y}.",
            )
        proposal = next(p for p in house.proposals(on) if p.member_id == member_id)
        if not proposal.receives:
            return False, f"{NOTHING_BY_RULE}. {proposal.rule}."
        if about := sorted(set(proposal.about) & newcomers):
            return False, ABOUT_NOT_JUDGED.format(ids=", ".join(map(str, about)))
        return True, ""


# --- reading ------------------------------------------------------------------------------------


def informing_list(db: Database, actor: Actor, incident_id: int) -> InformingList:
    require(db, actor, Action.READ_INFORMING, IncidentRef(incident_id))
    return load(db, incident_id)


def load(db: Database, incident_id: int) -> InformingList:
    """Without a permission check: for callers that checked already (letters, register)."""
    changes: dict[int, list[Correction]] = {}
    for row in sql.changes(db, incident_id):
        changes.setdefault(row["member_id"], []).append(Correction.from_row(row))
    members = [
        MemberRecord.from_row(r, tuple(changes.get(r["id"], ()))) for r in sql.members(db, incident_id)
    ]
    judgements = [SafetyJudgement.from_row(r) for r in sql.judgements(db, incident_id)]
    return InformingList(
        incident_id,
        tuple(
            Household(
                h["id"],
                incident_id,
                h["label"],
                tuple(m for m in members if m.household_id == h["id"] and not m.removed),
                tuple(m for m in members if m.household_id == h["id"] and m.removed),
                tuple(j for j in judgements if j.household_id == h["id"]),
            )
            for h in sql.households(db, incident_id)
        ),
    )
