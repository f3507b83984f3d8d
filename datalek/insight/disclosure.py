"""Small numbers stay hidden across everything one account can see together.

A count below the threshold (default 5) can point at a colleague or a client, so it is shown
as "verborgen". Hiding a cell is not enough on its own: the figures are related (the months
add up to the reports, the notification times to the notifications, the departments to the
organisation), so a hidden count could be recomputed from the counts that are shown. The rules:

1. **Totals.** An organisation's totals (reports, breaches, not-a-breach by kind, AP
   notifications on time / late / withdrawn, people informed) are always shown: they say
   how the organisation did, not who was involved. Every other count is a breakdown.
2. **Primary.** A breakdown count ``0 < n < limit`` is hidden (zero is shown). The limit is
   the organisation's ``small_number``; for several organisations together the largest.
3. **Complementary, across every view.** ``protect`` takes every count one account can see
   in one year: every selection (all organisations, each organisation, each department the
   filter offers) and every chart, the yearly report's sheets included. Each count is a sum
   of atoms: per part (organisation, department) the counts of one attribute (a *block*: the
   months, the outcome, the notification time, ...), which add up to the block's population
   (the reports, the breaches, the late notifications). A hidden count is *determined* when
   its vector of atoms lies in the span of the shown counts and those identities: linear
   algebra would give it back. ``protect`` hides more counts (the smallest ones that take
   part in the derivation, in the same selection first) until no hidden count is determined.

The audit works block by block: blocks meet only in their populations (the *interface*), so
what the shown counts tell about those is collected from every block first (the span of a
block's rows restricted to the interface), and each hidden count is then checked against its
own block plus that knowledge. ``tests/test_disclosure_derivation.py`` checks the result
independently over the whole lattice. Shares are shown only when both their counts are, and
medians only over at least ``limit`` values, so neither adds an equation.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from datalek.insight.derivation import Audit

#: How a hidden count is shown. One word for every hidden count: a count hidden only so that a
#: small one cannot be recomputed may be large, and a different word for it would pin it down.
HIDDEN = "verborgen"
#: What an empty chart says instead of drawing an axis from -1 to 1.
NO_DATA = "Nog geen gegevens"
#: What a chart says when every count in it is hidden.
ALL_HIDDEN = "Verborgen (te weinig meldingen om te tonen)"
#: The schema's default of ``organisations.small_number``.
DEFAULT = 5


def installation_minimum() -> int:
    """The installation's lower bound (``DATALEK_SMALL_NUMBER``; unset: 1, so each
    organisation's own ``small_number``, default 5, decides)."""
    try:
        return max(1, int(os.environ.get("DATALEK_SMALL_NUMBER", 1)))
    except ValueError:
        return DEFAULT


def limit_for(small_number: int | None) -> int:
    """An organisation's threshold: its own ``small_number``, never below the installation's."""
    own = DEFAULT if small_number is None else max(1, int(small_number))
    return max(own, installation_minimum())


def explanation(limit: int) -> str:
    return (
        f"Aantallen kleiner dan {limit} staan er als '{HIDDEN}', net als de aantallen waarmee "
        "je zo'n klein aantal zou kunnen terugrekenen. Totalen van een organisatie staan er "
        "altijd. Zo wordt niemand herkenbaar."
    )


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None = hidden
    limit: int | None = None

    @property
    def shown(self) -> str:
        return HIDDEN if self.count is None else str(self.count)


def empty_note(cells: list[Cell]) -> str | None:
    """Why a chart shows no bar at all: no data, or every count hidden; None when it has one."""
    if any(c.count for c in cells):
        return None
    return ALL_HIDDEN if any(c.count is None for c in cells) else NO_DATA


def suppress(counts: dict[str, int], limit: int) -> list[Cell]:
    """One chart on its own that adds up to a shown total: primary, and a second hidden
    count when one alone would follow from the total."""
    hidden = protect_vector(counts, limit)
    return [Cell(k, None if k in hidden else v, limit) for k, v in counts.items()]


#: Counts below ``EXACT`` times the threshold are compared exactly; above, by power-of-two band.
EXACT = 2


def band(value: int, limit: int) -> int:
    """How the suppression compares a count: 0 for zero, 1 below the threshold, the count
    itself up to ``EXACT`` times the threshold, and above that its power-of-two band.

    The pattern depends on each count only through its band, so a change that moves no count
    into another band keeps the same pattern, and every process computes the same pattern
    from the same data; "the smallest count first" holds exactly among the small counts (where
    a complementary count is chosen) and by band among the large ones."""
    limit = max(1, limit)
    if value <= 0:
        return 0
    if value < limit:
        return 1
    if value < EXACT * limit:
        return 2 + value - limit
    return 2 + (EXACT - 1) * limit + (value // (EXACT * limit)).bit_length()


def protect_vector(counts: dict[str, int], limit: int, by_band: bool = False) -> set[str]:
    """The hidden keys of one chart that adds up to a shown total: primary, and the smallest
    visible count with a lone hidden one (``by_band``: the smallest band, then the key)."""
    hidden = {k for k, v in counts.items() if 0 < v < limit}
    if len(hidden) == 1:
        order = (lambda v: band(v, limit)) if by_band else (lambda v: v)
        visible = sorted((order(v), k) for k, v in counts.items() if v and k not in hidden)
        if visible:
            hidden.add(visible[0][1])
    return hidden


def median_from(distribution: Counter) -> float | None:
    """Median of a distribution {value: count} (values as strings of numbers)."""
    items = sorted((float(k), n) for k, n in distribution.items() if n)
    size = sum(n for _, n in items)
    if not size:
        return None
    wanted = [(size - 1) // 2, size // 2]
    found, seen = [], 0
    for value, n in items:
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
    return (found[0] + found[1]) / 2


@dataclass
class Node:
    """One selection's counts by roll-up dimension and key, unprotected (how the first version
    handed counts to ``stats.figures``; kept for its callers)."""

    values: dict[str, Counter]


# --- the lattice of one account's year --------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One attribute of the reports of a part: its keys add up to ``population`` (a block and
    its keys; None for a root). ``closed=False``: a flag whose other atoms are never published."""

    keys: tuple[str, ...]
    population: tuple[str, tuple[str, ...]] | None = None
    closed: bool = True


class Query(NamedTuple):
    """A published count: the atoms of ``block`` with one of ``keys``, summed over ``parts``.
    A tuple: a view that runs the audit makes and looks up some 8 000 of them (a frozen
    dataclass made and hashed each in Python: a third of that view's time at 10^6)."""

    parts: frozenset
    block: str
    keys: frozenset


class Count(NamedTuple):
    value: int
    limit: int
    fixed: bool = False  # an organisation's total (or a department the filter offers): shown
    hidden: bool = False  # hidden from the start (a department the filter does not offer)


def protect(blocks: dict[str, Block], parts: list, counts: dict[Query, Count]) -> set[Query]:
    """The hidden queries of one account's year: primary, then complementary until the audit
    finds no hidden query determined (or nothing more can be hidden)."""
    fixed = {q for q, c in counts.items() if c.fixed}
    hidden = {q for q, c in counts.items() if not c.fixed and (c.hidden or 0 < c.value < c.limit)}
    if not hidden:
        return hidden
    groups = _groups(blocks, counts)
    _pairs(groups, counts, hidden, fixed)
    audit = Audit(blocks, parts, list(counts))
    for _ in range(100):
        found = audit.determined(hidden)
        if not found:
            return hidden
        added = set()
        for q in found:
            candidates = [c for c in audit.derivation(q, hidden | added) if c not in fixed]
            if candidates:
                added.add(min(candidates, key=lambda c, q=q: _cost(c, q, counts)))
            else:  # recomputed through other blocks: hide what it shares its parts with
                added |= {
                    c for c in counts if c.parts & q.parts and c not in fixed | hidden and counts[c].value
                }
        if not added:
            return hidden  # what is left follows from the totals, which are public
        hidden |= added
        _pairs(groups, counts, hidden, fixed)
    return hidden


def _cost(candidate: Query, query: Query, counts: dict[Query, Count]) -> tuple:
    """Hide in the same selection first, the smallest count first (a zero hides nothing), by
    band (``band``): the choice depends on no more than the pattern's cache key."""
    return (
        candidate.parts != query.parts,
        band(counts[candidate].value, counts[candidate].limit),
        len(candidate.parts),
        sorted(candidate.keys),
    )


def _groups(blocks: dict[str, Block], counts: dict[Query, Count]) -> list[list[Query]]:
    """Counts that add up: the bars of one chart of a selection with the population they
    split (the late notifications into time buckets and reasons), and a count of a selection
    with the same count of the selections it is made of (all organisations: the
    organisations; an organisation without other departments: its departments)."""
    rows: dict[tuple, list[Query]] = defaultdict(list)
    columns: dict[tuple, list[Query]] = defaultdict(list)
    for q in counts:
        if len(q.keys) == 1:
            rows[(q.parts, q.block)].append(q)
        columns[(q.block, q.keys)].append(q)
    groups = [g for g in rows.values() if len(g) > 1]
    for (parts, name), bars in rows.items():
        block = blocks[name]
        whole = block.population and Query(parts, block.population[0], frozenset(block.population[1]))
        if block.closed and whole in counts and len(bars) == len(block.keys):
            groups.append([whole, *bars])
    for q in counts:
        if len(q.keys) < 2:
            continue
        singles = [Query(q.parts, q.block, frozenset({k})) for k in q.keys]
        if all(s in counts for s in singles):
            groups.append([q, *singles])
    nested: dict[tuple, list[tuple[int, list[int]]]] = {}
    for column in columns.values():
        by_parts = {q.parts: q for q in column}
        shape = tuple(by_parts)  # nearly every column has the same selections, in the same order
        if shape not in nested:
            nested[shape] = _made_of(shape)
        row = list(by_parts.values())
        groups += [[row[whole], *(row[c] for c in exact)] for whole, exact in nested[shape]]
    return groups


def _made_of(shape: tuple[frozenset, ...]) -> list[tuple[int, list[int]]]:
    """(selection, the selections it is exactly made of) by position in ``shape``: the largest
    selections inside it, when together they cover it."""
    made = []
    for w, whole in enumerate(shape):
        children = [i for i, p in enumerate(shape) if p < whole]
        exact = [c for c in children if not any(shape[c] < shape[d] for d in children)]
        if exact and frozenset().union(*(shape[c] for c in exact)) == whole:
            made.append((w, exact))
    return made


def _pairs(
    groups: list[list[Query]], counts: dict[Query, Count], hidden: set[Query], fixed: set[Query]
) -> None:
    """Cheap rules first, so the audit has little left: within a group that adds up, one
    hidden count alone would follow from the others, so a second one is hidden with it."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            secret = [q for q in group if q in hidden]
            if len(secret) == 1:
                rest = [q for q in group if q not in hidden and q not in fixed]
                if rest:
                    hidden.add(min(rest, key=lambda c, q=secret[0]: _cost(c, q, counts)))
                    changed = True
