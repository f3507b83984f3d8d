"""Everything one account can see of one year, and the one suppression pattern over all of it.

The dashboard offers a fixed set of selections: all organisations the account may see (when
there are several), each organisation, and within one organisation each department the
filter offers (a department whose count is shown in the organisation's department chart).
There is no department across organisations. Every chart and key figure of every selection,
the department and organisation charts included, goes into ``disclosure.protect`` at once;
every view and export of the account reads its counts from the resulting ``Pattern``, so
nothing one view hides is shown, or can be recomputed, from another.

Patterns are kept in memory per account, year, day of judgement, thresholds and the roll-up's
counts; a change that moves no published count into another band (``disclosure.band``) reuses
the hidden counts of the pattern before it (``signature``), with the counts as they are now, so
only a change across a band runs the rank audit again.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from datalek.insight import figures as fig
from datalek.insight.disclosure import EXACT, Block, Count, Query, limit_for, protect, protect_vector

Part = tuple[int, str]
#: roll-up dimensions that are distributions (medians, the sum of people), not counts
DISTRIBUTIONS = ("notify_hours", "decision_hours", "inform_days", "people_n", "proc_delay_hours")
#: blocks no chart draws: only the key figures made of them are published
UNDRAWN = frozenset({"t", "M", "notification", "measure"})


@functools.lru_cache(maxsize=1 << 16)
def _atom(dimension: str, key: str) -> tuple[str, str] | None:
    """(block, key) of a roll-up cell; None for a distribution. Kept per cell: a view reads
    some 25 000 rows a year, of a few thousand different cells."""
    if dimension in DISTRIBUTIONS:
        return None
    if dimension == "total":
        return ("t", "")
    if dimension == "measures":
        return ("M", "")
    if dimension == "notify_bucket":
        return ("bucket_on_time" if key in fig.ON_TIME_BUCKETS else "bucket_late", key)
    if dimension in ("data", "nature", fig.PROCESSOR_BLOCK):  # one flag block per key
        return (f"{dimension}:{key}", "")
    return (dimension, key)


@dataclass
class Pattern:
    """One year of one account: the counts per part, the departments each organisation
    offers, and which counts are hidden."""

    year: int
    as_of: date
    org_ids: tuple[int, ...]
    limits: dict[int, int]
    blocks: dict[str, Block]
    atoms: dict[Part, Counter] = field(default_factory=dict)
    spread: dict[Part, dict[str, Counter]] = field(default_factory=dict)
    departments: dict[int, list[str]] = field(default_factory=dict)
    hidden: frozenset = frozenset()
    published: frozenset | None = None  # None: nothing protected (``stats.figures``)
    #: what was worked out from this pattern per selection (``stats.figures_of``): a pattern
    #: read again from memory (the same counts) gives the same figures
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def parts(self, org_id: int | None, department: str | None = None) -> frozenset:
        orgs = self.org_ids if org_id is None else (org_id,)
        return frozenset(p for p in self.atoms if p[0] in orgs and department in (None, p[1]))

    def limit(self, parts) -> int:
        orgs = {o for o, _ in parts} or set(self.org_ids)
        return max(self.limits.get(o, limit_for(None)) for o in orgs)

    def value(self, query: Query) -> int:
        return sum(self.atoms[p][(query.block, k)] for p in query.parts for k in query.keys)

    def summed(self, parts) -> Mapping[tuple[str, str], int]:
        """The counts of ``parts`` added up, per (block, key): a selection's every query reads
        them instead of adding its parts again (``value`` of one query). Read only: one part's
        are its own counts, not a copy."""
        if len(parts) == 1:
            return self.atoms[next(iter(parts))]
        total = Counter()
        for p in parts:
            total.update(self.atoms[p])
        return total

    def count(self, parts, block: str, keys) -> int | None:
        """The count as shown: None when it is hidden, or when it was never protected."""
        query = Query(frozenset(parts), block, frozenset(keys))
        value = self.value(query)
        unknown = self.published is not None and value and query not in self.published
        return None if query in self.hidden or unknown else value

    def distribution(self, parts, dimension: str) -> Counter:
        total = Counter()
        for p in parts:
            total.update(self.spread.get(p, {}).get(dimension, Counter()))
        return total

    def offered(self, org_id: int | None) -> list[str]:
        """The departments the filter offers: within one organisation only."""
        if org_id is None:
            return self.departments.get(self.org_ids[0], []) if len(self.org_ids) == 1 else []
        return self.departments.get(org_id, [])


def _published(blocks: dict[str, Block]) -> list[tuple[str, tuple[str, ...]]]:
    """Every (block, keys) a selection publishes: each bar of each chart and each key figure."""
    queries = {(c.block, c.keys) for c in fig.COUNTS.values()}
    for name, block in blocks.items():
        if name not in UNDRAWN:
            queries |= {(name, (k,)) for k in block.keys}
    return sorted(queries)


def fill(pattern: Pattern, rows: list[tuple]) -> None:
    """The pattern's counts per part from roll-up rows (nothing hidden yet)."""
    blocks = pattern.blocks
    known = {(name, k) for name, block in blocks.items() for k in block.keys}
    atoms: dict[Part, Counter] = {}
    extra: dict[str, set] = defaultdict(set)
    spread = pattern.spread
    # no ``Counter[x] += n``: a new key calls ``Counter.__missing__``, in Python, ~25 000 rows a year
    for y, org, dept, dimension, key, n in rows:
        if y != pattern.year or org not in pattern.org_ids:
            continue
        atom = _atom(dimension, key)
        if atom is None:  # a distribution (no Counter made per row)
            of_part = spread.get((org, dept))
            if of_part is None:
                of_part = spread[(org, dept)] = {}
            counts = of_part.get(dimension)
            if counts is None:
                counts = of_part[dimension] = Counter()
            counts[key] = counts.get(key, 0) + n
            continue
        counts = atoms.get((org, dept))
        if counts is None:
            counts = atoms[(org, dept)] = Counter()
        counts[atom] = counts.get(atom, 0) + n
        if atom not in known:
            extra[atom[0]].add(atom[1])
    for name, keys in extra.items():  # a code this version does not know (an old value)
        base = blocks.get(name) or Block(("",), fig.BREACH, closed=False)
        blocks[name] = Block(base.keys + tuple(sorted(keys - set(base.keys))), base.population, base.closed)
    for part in pattern.spread:
        atoms.setdefault(part, Counter())
    pattern.atoms = dict(atoms)


def build(
    rows: list[tuple], year: int, org_ids: tuple[int, ...], limits: dict[int, int], as_of: date
) -> Pattern:
    pattern = Pattern(year, as_of, org_ids, limits, dict(fig.BLOCKS))
    fill(pattern, rows)
    return _protected(pattern)


def _protected(pattern: Pattern) -> Pattern:
    """A filled ``pattern`` with its hidden counts, published counts and departments."""
    org_ids, limits = pattern.org_ids, pattern.limits
    blocks = pattern.blocks
    counts: dict[Query, Count] = {}
    # (block, keys, the keys as a set) of every published count, the set made once
    published = [(block, keys, frozenset(keys)) for block, keys in _published(blocks)]
    totals = {(fig.COUNTS[c].block, fig.COUNTS[c].keys) for c in fig.TOTALS}

    def publish(parts: frozenset, fixed: set, only: list | None = None, hidden: bool = False) -> None:
        limit = pattern.limit(parts)
        summed = pattern.summed(parts)
        for block, keys, key_set in only or published:
            query = Query(parts, block, key_set)
            pinned = (block, keys) in fixed
            if pinned or query not in counts:
                # ``pattern.value(query)``: over the set of keys, as the query holds them
                value = (
                    sum([summed.get((block, k), 0) for k in key_set])
                    if len(key_set) > 1
                    else summed.get((block, keys[0]), 0)
                )
                counts[query] = Count(value, limit, pinned, hidden and value > 0)

    orgs = [o for o in org_ids if pattern.parts(o)]
    for org in orgs:
        mine = sorted(p for p in pattern.atoms if p[0] == org)
        sizes = {d: pattern.atoms[(org, d)][("t", "")] for _, d in mine}
        hidden = protect_vector(sizes, limits.get(org, limit_for(None)), by_band=True)
        pattern.departments[org] = [d for d, n in sizes.items() if n and d not in hidden]
        publish(pattern.parts(org), totals)
        for _, d in mine:  # a department the filter does not offer: only its bar, hidden
            if d in pattern.departments[org]:
                publish(frozenset({(org, d)}), {("t", ("",))})
            else:
                publish(frozenset({(org, d)}), set(), [("t", ("",), frozenset({""}))], hidden=d in hidden)
    if len(orgs) > 1:
        publish(pattern.parts(None), totals)
    pattern.hidden = frozenset(protect(blocks, sorted(pattern.atoms), counts))
    pattern.published = frozenset(counts)
    return pattern


def _bands(values: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """``disclosure.band`` of every value (rows: one limit each)."""
    limits = np.maximum(limits, 1)
    top = EXACT * limits
    ratio = np.maximum(values // top, 1)
    above = 2 + (EXACT - 1) * limits + 1 + np.floor(np.log2(ratio)).astype(np.int64)
    middle = 2 + values - limits
    return np.where(values <= 0, 0, np.where(values < limits, 1, np.where(values < top, middle, above)))


def signature(pattern: Pattern) -> tuple:
    """Everything ``build`` decides the hidden counts from, for a filled ``pattern``: the
    parts, the blocks and their keys, the thresholds, and the band (``disclosure.band``) of
    every count any selection could publish (each part, each organisation, all together).

    ``build`` reads a count only through its band (primary: below the threshold; zero or
    not; the smallest band first), and the audit reads no counts at all, so two fillings
    with the same signature get the same hidden counts, the same published counts and the
    same departments: the pattern of one is the pattern of the other, in any process."""
    parts = sorted(pattern.atoms)
    names = sorted(pattern.blocks)
    atoms = [(b, k) for b in names for k in pattern.blocks[b].keys]
    column = {a: i for i, a in enumerate(atoms)}
    x = np.zeros((len(parts), len(atoms)), dtype=np.int64)
    for i, part in enumerate(parts):
        for atom, n in pattern.atoms[part].items():
            x[i, column[atom]] = n
    queries = _published(pattern.blocks)
    incidence = np.zeros((len(atoms), len(queries)), dtype=np.int64)
    for j, (block, keys) in enumerate(queries):
        for k in keys:
            if (block, k) in column:
                incidence[column[(block, k)], j] = 1
    per_part = x @ incidence
    orgs = [o for o in pattern.org_ids if any(p[0] == o for p in parts)]
    groups = [[i] for i in range(len(parts))]
    groups += [[i for i, p in enumerate(parts) if p[0] == o] for o in orgs]
    groups.append(list(range(len(parts))))
    values = np.vstack([per_part[g].sum(axis=0) for g in groups] + [np.zeros((0, len(queries)))])
    limits = np.array([[pattern.limit([parts[i] for i in g])] for g in groups] + [[1]])[:-1]
    bands = _bands(values.astype(np.int64), limits.astype(np.int64))
    return (
        pattern.year,
        pattern.org_ids,
        pattern.as_of,
        tuple(sorted(pattern.limits.items())),
        tuple(parts),
        tuple((b, pattern.blocks[b].keys) for b in names),
        bands.astype(np.int64).tobytes(),
    )


_CACHE: dict[tuple, Pattern] = {}
#: signature -> (hidden, published, departments) of the pattern built for it
_PROTECTED: dict[tuple, tuple] = {}
_LOCK = threading.Lock()
_KEEP = 64


def _keep(cache: dict, key, value) -> None:
    with _LOCK:
        if len(cache) >= _KEEP:
            cache.pop(next(iter(cache)))
        cache[key] = value


def pattern(
    rows: list[tuple], year: int, org_ids: tuple[int, ...], limits: dict[int, int], as_of: date
) -> Pattern:
    """The pattern of one account's year: the same counts read it from memory; other counts
    with the same ``signature`` (no count moved into another band) reuse its hidden counts,
    so only a change that moves a count across a band runs the audit again."""
    mine = tuple(r for r in rows if r[0] == year and r[1] in org_ids)  # in the index's order
    key = (year, org_ids, as_of, tuple(sorted(limits.items())), hash(mine))
    with _LOCK:
        found = _CACHE.get(key)
    if found is not None:
        return found
    made = Pattern(year, as_of, org_ids, limits, dict(fig.BLOCKS))
    fill(made, list(mine))
    sign = signature(made)
    with _LOCK:
        protected = _PROTECTED.get(sign)
    if protected is None:
        made = _protected(made)  # filled once: the audit reads the same counts
        protected = (made.hidden, made.published, made.departments)
        _keep(_PROTECTED, sign, protected)
    else:
        made.hidden, made.published, made.departments = protected
    _keep(_CACHE, key, made)
    return made
