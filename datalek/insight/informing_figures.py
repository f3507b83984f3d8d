"""Figures for the yearly report about informing the people (issue #15, "On record"): persons
informed per kind of reader, the median days from the decision to informing, and the
postponements for safety with how they ended. Aggregate only, per organisation and year.

What is counted, for the incidents of the year (their reference's year) as it stood on the day
the year is judged (``stats.as_of_for``: 31 December of a finished year, today for the current
one, so the report of a finished year stays the same):

* **persons informed**: every notice that counts (not withdrawn) sent by then: a letter to one
  person on the informing list counts 1, a letter to a group and an older per-incident notice
  count the people they name; per kind of reader (the older code "De jongere zelf" apart). A
  public announcement names no number and is not counted. These are *persons*, not incidents:
  the dashboard's "Betrokkenen geïnformeerd" (incidents with a notice) stays as it is.
* **median days from the decision to informing**: per person informed, the days from the first
  decision that it is a breach to the day sent; shown only over at least the threshold of
  persons.
* **postponements for safety**: each family whose messages were postponed and each recipient
  group whose safety check postponed it, with how it ended by the day judged: informed later,
  decided not to inform (nobody of the family is still to be informed; for a group: the
  decision says not to inform), lifted but not informed yet, or still postponed.

Small numbers: the totals of an organisation (persons informed, postponements) are always shown,
like every organisation total; the breakdowns (per kind of reader, per way it ended) hide counts
below the threshold, with one pattern over every selection the account can see in the year
(each organisation and all together), computed by ``disclosure.protect`` so that no hidden count
follows from the shown ones. The units (persons, postponements) are not those of the dashboard's
counts (incidents), so no equation ties them to the dashboard's figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, OrgSelection, require
from datalek.actions import informing, informing_list
from datalek.actions.addressees import Addressee
from datalek.actions.informing_list import InformingList
from datalek.actions.informing_status import InformState, standings
from datalek.insight import disclosure, stats
from datalek.insight.disclosure import Block, Cell, Count, Query
from datalek.models import Actor
from datalek.store import actions as actions_sql
from datalek.store import informing_record as sql

PERSONS = "Personen geïnformeerd"
MEDIAN = "Mediaan dagen van besluit tot informeren (per persoon)"
POSTPONEMENTS = "Uitstel vanwege de veiligheid (gezinnen en groepen)"
TITLE = "Betrokkenen informeren: personen en uitstel"
#: How a postponement ended, by the day the year is judged.
ENDED = {
    "informed": "Later geïnformeerd",
    "not_informed": "Besloten niet te informeren",
    "pending": "Opgeheven, nog niet geïnformeerd",
    "open": "Nog uitgesteld",
}
READERS = {a.value: a.label for a in Addressee}
BLOCKS = {
    "persons": Block(("",)),
    "reader": Block(tuple(READERS), ("persons", ("",))),
    "postponed": Block(("",)),
    "ended": Block(tuple(ENDED), ("postponed", ("",))),
}
#: Persons still to be informed in a family whose postponement was lifted.
STILL_TO_INFORM = (InformState.READY, InformState.WAITING)


@dataclass(frozen=True)
class InformingFigures:
    """One selection's figures of one year, protected."""

    year: int
    as_of: date
    limit: int
    persons: int
    readers: list[Cell]  # persons informed per kind of reader
    median_days: float | None  # None: too few persons, or none
    postponements: int
    ended: list[Cell]  # postponements per way they ended

    @property
    def median_text(self) -> str:
        return stats.NOT_SHOWN if self.median_days is None else f"{self.median_days:g} dagen"

    def rows(self) -> list[tuple[str, str]]:
        """Every figure as (label, value as shown): the XLSX sheet, the HTML and DOCX tables."""
        return [
            (PERSONS, str(self.persons)),
            *[(f"{PERSONS}: {c.label}", c.shown) for c in self.readers],
            (MEDIAN, self.median_text),
            (POSTPONEMENTS, str(self.postponements)),
            *[(f"{POSTPONEMENTS}: {c.label}", c.shown) for c in self.ended],
        ]


@dataclass
class _Atoms:
    """One organisation's counts: persons per reader, days per person, postponements per end."""

    readers: Counter
    days: Counter
    ended: Counter


def _end_of(day: date) -> str:
    """The first moment after ``day`` (Dutch time), as stored: what was recorded before it counts."""
    return clock.to_iso(clock.local_to_utc(datetime.combine(day + timedelta(days=1), time(0, 0))))


def _as_it_stood(listed: InformingList, until: datetime) -> InformingList:
    houses = tuple(
        replace(h, history=tuple(j for j in h.history if j.recorded_at < until)) for h in listed.households
    )
    return replace(listed, households=houses)


def _family_ends(listed: InformingList, notices: list, as_of: date) -> list[str]:
    """How each family that was postponed ended, by ``as_of``."""
    states = standings(listed, notices, as_of)
    ends = []
    for house in listed.households:
        postponed = [j for j in house.history if j.postponed]
        if not postponed:
            continue
        first = postponed[0].recorded_at.astimezone(clock.AMSTERDAM).date()
        mine = [states[m.id] for m in house.members]
        if house.judgement.postponed:
            ends.append("open")
        elif any(s.notice is not None and s.notice.informed_on >= first for s in mine):
            ends.append("informed")
        elif any(s.state in STILL_TO_INFORM for s in mine):
            ends.append("pending")
        else:
            ends.append("not_informed")
    return ends


def _group_ends(overview: informing.Overview, db_checks: list, decided_not: bool, as_of: date) -> list[str]:
    """How each recipient group whose safety check postponed it ended, by ``as_of``."""
    ends = []
    for reader in dict.fromkeys(c.recipient for c in db_checks if c.risk):
        mine = [c for c in db_checks if c.recipient is reader]
        first = next(c for c in mine if c.risk).recorded_at.astimezone(clock.AMSTERDAM).date()
        if mine[-1].risk:
            ends.append("open")
        elif any(
            n.member_id is None and n.recipient is reader and first <= n.informed_on <= as_of
            for n in overview.notices
        ):
            ends.append("informed")
        else:
            ends.append("not_informed" if decided_not else "pending")
    return ends


def _checks(db: Database, incident_id: int, until: datetime) -> list[informing.SafetyCheck]:
    """Every safety check of the incident's recipient groups recorded before ``until``, oldest first."""
    return [
        informing.SafetyCheck(
            Addressee(r["recipient"]),
            bool(r["risk"]),
            "",
            None,
            clock.from_iso(r["recorded_at"]),
        )
        for r in actions_sql.safety_checks(db, incident_id)
        if clock.from_iso(r["recorded_at"]) < until
    ]


def _atoms(db: Database, org_ids: list[int], year: int, as_of: date) -> dict[int, _Atoms]:
    found = {o: _Atoms(Counter(), Counter(), Counter()) for o in org_ids}
    for n in sql.notices_of_year(db, org_ids, year, as_of.isoformat()):
        mine = found[n["org_id"]]
        mine.readers[n["recipient"]] += n["people_count"]
        if n["decided_on"]:
            days = (date.fromisoformat(n["informed_on"]) - date.fromisoformat(n["decided_on"])).days
            if days >= 0:
                mine.days[str(days)] += n["people_count"]
    for row in sql.postponed_incidents(db, org_ids, year, _end_of(as_of)):
        found[row["org_id"]].ended.update(ends(db, row["id"], as_of, decided_not=row["inform"] == "no"))
    return found


def ends(db: Database, incident_id: int, as_of: date, decided_not: bool = False) -> list[str]:
    """How each postponement for safety of the incident ended by ``as_of`` (a key of ``ENDED``
    per postponed family, then per postponed recipient group). ``decided_not``: the latest
    decision says not to inform."""
    until = clock.from_iso(_end_of(as_of))
    overview = informing.load(db, incident_id)
    counting = [n for n in overview.notices if n.informed_on <= as_of]
    listed = _as_it_stood(informing_list.load(db, incident_id), until)
    return _family_ends(listed, counting, as_of) + _group_ends(
        replace(overview, notices=counting), _checks(db, incident_id, until), decided_not, as_of
    )


def _queries(parts: frozenset, atoms: dict[int, _Atoms], limit: int) -> dict[Query, Count]:
    readers = sum((atoms[o].readers for o in parts), Counter())
    ended = sum((atoms[o].ended for o in parts), Counter())
    counts = {
        Query(parts, "persons", frozenset({""})): Count(sum(readers.values()), limit, fixed=True),
        Query(parts, "postponed", frozenset({""})): Count(sum(ended.values()), limit, fixed=True),
    }
    counts |= {Query(parts, "reader", frozenset({k})): Count(readers[k], limit) for k in READERS}
    counts |= {Query(parts, "ended", frozenset({k})): Count(ended[k], limit) for k in ENDED}
    return counts


def figures(
    db: Database, actor: Actor, year: int, org_id: int | None = None, today: date | None = None
) -> InformingFigures:
    """The figures of one organisation (or all the actor may see together) for ``year``."""
    selection = [org_id] if org_id is not None else list(actor.org_ids)
    require(db, actor, Action.SEE_DASHBOARD, OrgSelection(tuple(selection)))
    account = sorted(actor.org_ids)
    as_of = stats.as_of_for(year, today)
    atoms = _atoms(db, account, year, as_of)
    thresholds = stats.limits(db, account)
    counts: dict[Query, Count] = {}
    for org in account:
        counts |= _queries(frozenset({org}), atoms, thresholds[org])
    if len(account) > 1:
        counts |= _queries(frozenset(account), atoms, max(thresholds.values()))
    hidden = disclosure.protect(BLOCKS, account, counts)
    parts = frozenset(selection)
    limit = max(thresholds[o] for o in parts)

    def cells(block: str, labels: dict[str, str]) -> list[Cell]:
        shown = []
        for key, label in labels.items():
            query = Query(parts, block, frozenset({key}))
            value = counts[query].value
            shown.append(Cell(label, None if query in hidden else value, limit))
        return shown

    days = sum((atoms[o].days for o in parts), Counter())
    persons = counts[Query(parts, "persons", frozenset({""}))].value
    median = disclosure.median_from(days) if sum(days.values()) >= limit else None
    return InformingFigures(
        year,
        as_of,
        limit,
        persons,
        [c for c in cells("reader", READERS) if c.count != 0 or c.label != READERS["young_person"]],
        median,
        counts[Query(parts, "postponed", frozenset({""}))].value,
        cells("ended", ENDED),
    )


# --- in words and in a sheet (the yearly report) ---------------------------------------------


def sentence(figures: InformingFigures) -> str:
    """The persons informed and the postponements for safety in one sentence (totals only)."""
    persons = "1 persoon" if figures.persons == 1 else f"{figures.persons} personen"
    waited = (
        "Het informeren is niet uitgesteld vanwege de veiligheid."
        if not figures.postponements
        else f"{figures.postponements} keer is het informeren van een gezin of groep uitgesteld"
        " vanwege de veiligheid."
    )
    return f"Bij de datalekken van {figures.year} zijn {persons} geïnformeerd. {waited}"


#: The sheet of the figures about informing the people.
SHEET = "Informeren"


def note(figures: InformingFigures) -> str:
    return (
        f"Personen, geen incidenten: elke brief aan één persoon telt 1, een brief aan een groep telt"
        f" het aantal ontvangers. Stand op {figures.as_of:%d-%m-%Y}. Een openbare mededeling telt niet mee."
    )


def write_sheet(sheet, figures: InformingFigures) -> None:
    """The figures as numbers a spreadsheet can add up; a hidden count says so."""
    sheet.append(["Cijfer", str(figures.year)])
    sheet.append([PERSONS, figures.persons])
    for cell in figures.readers:
        sheet.append([f"{PERSONS}: {cell.label}", cell.shown if cell.count is None else cell.count])
    sheet.append(
        [
            MEDIAN,
            figures.median_days if figures.median_days is not None else figures.median_text,
        ]
    )
    sheet.append([POSTPONEMENTS, figures.postponements])
    for cell in figures.ended:
        sheet.append(
            [
                f"{POSTPONEMENTS}: {cell.label}",
                cell.shown if cell.count is None else cell.count,
            ]
        )
    sheet.append([note(figures)])
