"""The informing of one incident as the register holds it (issue #15, "On record"): counts and
reasons, never persons.

From the informing list (families and persons, ``actions.informing_list``) and the notices that
count (``actions.informing``, written by ``actions.sending`` per person or per group, or the older
per-incident notices): per kind of reader how many persons are informed, postponed or not
informed; why persons are not informed (counted per reason, in the fixed Dutch words of
``InformState``); the first and last letter sent and the channels; every postponement of a family
for safety with its reason, review date and how it ended; the letters to groups and the older
notices with their counts. A family is named by its place on the list ("Gezin 2"), never by the
label the FG typed, and a person never by a file reference: the register names counts and
reasons, not persons.

Pure: no database and no clock (the date of informing is passed in).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from datalek import clock
from datalek.actions import recipients
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Notice
from datalek.actions.informing_list import Household, InformingList
from datalek.actions.informing_status import InformState, standings

#: The kind of a person the rules give no letter of their own (a child under 12 whose parents
#: get the letter, a parent without gezag), when no letter was sent to them either.
NO_OWN_LETTER = "Zonder eigen brief"
INFORMED, POSTPONED, NOT_INFORMED = "informed", "postponed", "not_informed"
#: The kinds of reader in the register's order: the kinds of letter, then the persons without one.
KINDS = [*(a.label for a in Addressee), NO_OWN_LETTER]


@dataclass(frozen=True)
class InformingSummary:
    """What the register says about informing one incident's people."""

    on_list: int = 0  # persons on the informing list (not those taken off it)
    by_kind: dict[str, Counter] = field(default_factory=dict)  # kind -> {INFORMED, POSTPONED, NOT_INFORMED}
    not_informed: Counter = field(default_factory=Counter)  # the Dutch reason -> how many persons
    first_sent: date | None = None
    last_sent: date | None = None
    channels: tuple[str, ...] = ()
    family_postponements: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # letters to groups and the older per-incident notices

    def total(self, state: str) -> int:
        return sum(c[state] for c in self.by_kind.values())


def _day(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else ""


def _kind(house: Household, member_id: int, notice: Notice | None, on: date) -> str:
    """The kind of reader of a person: the letter sent to them, else the letter they get leaving
    any safety flag aside (a flagged parent is still a parent), else the letter the rules give
    them before the FG's deviation (a parent the FG leaves out is still a parent), else none."""
    if notice is not None:
        return notice.recipient.label
    members = [m.member() for m in house.members]
    unflagged = recipients.propose(members, on, ())
    reader = next(p.reader for p in unflagged if p.member_id == member_id)
    if reader is None:
        member = next(m for m in members if m.id == member_id)
        reader = recipients.Family(members, on).by_rule(member)[0]
    return reader.label if reader is not None else NO_OWN_LETTER


def _ended(house: Household, n: int, informed_after: list[date]) -> str:
    """How the ``n``-th judgement of a family (a postponement) ended."""
    later = house.history[n + 1 :]
    if not later:
        return "loopt nog"
    nxt = later[0]
    when = clock.format_local(nxt.recorded_at, with_time=False)
    if nxt.postponed:
        return f"verlengd op {when}"
    sent = [d for d in informed_after if d >= nxt.recorded_at.astimezone(clock.AMSTERDAM).date()]
    result = (
        f"daarna geïnformeerd op {_day(min(sent))}" if sent else "daarna niemand van het gezin geïnformeerd"
    )
    return f"opgeheven op {when}, {result}"


def _postponements(listed: InformingList, sent: dict[int, date]) -> list[str]:
    lines = []
    for number, house in enumerate(listed.households, start=1):
        informed = sorted(sent[m.id] for m in house.members if m.id in sent)
        for n, judgement in enumerate(house.history):
            if not judgement.postponed:
                continue
            since = clock.format_local(judgement.recorded_at, with_time=False)
            lines.append(
                f"Gezin {number}: uitgesteld op {since} tot {_day(judgement.review_on)}"
                f" ({_ended(house, n, informed)}): {judgement.reason}"
            )
    return lines


def _group_lines(notices: list[Notice]) -> list[str]:
    return [
        f"{n.recipient.label}: {n.people_count} op {_day(n.informed_on)} ({n.channel.label.lower()})"
        for n in sorted(notices, key=lambda n: (n.informed_on, n.id or 0))
        if n.member_id is None
    ]


def summarise(listed: InformingList, notices: list[Notice], on: date) -> InformingSummary:
    """The register's account of informing: ``notices`` are the incident's notices that count
    (withdrawn ones left out); ``on`` the date of informing the standings are judged on."""
    states = standings(listed, notices, on)
    by_kind: dict[str, Counter] = {}
    reasons: Counter = Counter()
    sent: dict[int, date] = {}
    for house in listed.households:
        for member in house.members:
            s = states[member.id]
            kind = _kind(house, member.id, s.notice, on)
            if s.state is InformState.INFORMED:
                state = INFORMED
                sent[member.id] = s.notice.informed_on
            elif s.state is InformState.POSTPONED:
                state = POSTPONED
            else:
                state = NOT_INFORMED
                reasons[s.state.label] += 1
            by_kind.setdefault(kind, Counter())[state] += 1
    days = sorted(n.informed_on for n in notices)
    return InformingSummary(
        on_list=sum(len(h.members) for h in listed.households),
        by_kind={k: by_kind[k] for k in KINDS if k in by_kind},
        not_informed=Counter({r: reasons[r] for r in (s.label for s in InformState) if reasons[r]}),
        first_sent=days[0] if days else None,
        last_sent=days[-1] if days else None,
        channels=tuple(dict.fromkeys(n.channel.label for n in sorted(notices, key=lambda n: n.informed_on))),
        family_postponements=tuple(_postponements(listed, sent)),
        groups=tuple(_group_lines(notices)),
    )


def _by_reader(notices: list[Notice]) -> list[str]:
    """Per kind of reader: how many informed, on which days, how (every notice that counts)."""
    lines = []
    for reader in Addressee:
        found = [n for n in notices if n.recipient is reader]
        if not found:
            continue
        days = sorted({n.informed_on for n in found})
        shown = [_day(d) for d in days]
        when = f"tussen {shown[0]} en {shown[-1]}" if len(shown) > 3 else "op " + _and(shown)
        channels = ", ".join(dict.fromkeys(n.channel.label.lower() for n in found))
        lines.append(f"{reader.label}: {sum(n.people_count for n in found)} {when} ({channels})")
    return lines


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _kinds(summary: InformingSummary) -> list[str]:
    return [
        f"{kind}: {c[INFORMED]} geïnformeerd, {c[POSTPONED]} uitgesteld, {c[NOT_INFORMED]} niet geïnformeerd"
        for kind, c in summary.by_kind.items()
    ]


def columns(listed: InformingList, notices: list[Notice], on: date) -> dict[str, str | int | date | None]:
    """The register's informing columns that come from the informing list and the notices (the
    rest, group postponements and public notices, are ``register_follow_up``'s)."""
    s = summarise(listed, notices, on)
    return {
        "Betrokkenen geïnformeerd": "\n".join(_by_reader(notices)),
        "Aantal geïnformeerd": sum(n.people_count for n in notices) if notices else None,
        "Eerst geïnformeerd op": s.first_sent,
        "Laatst geïnformeerd op": s.last_sent,
        "Kanalen": ", ".join(s.channels),
        "Personen op de informeerlijst": s.on_list if listed.households else None,
        "Per soort lezer": "\n".join(_kinds(s)),
        "Niet geïnformeerd, met reden": "\n".join(f"{r}: {n}" for r, n in s.not_informed.items()),
        "Uitstel per gezin (veiligheid)": "\n".join(s.family_postponements),
        "Groepen en eerdere berichten": "\n".join(s.groups),
    }
