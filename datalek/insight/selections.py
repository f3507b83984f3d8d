"""Everything one account can see of one year, and the one suppression pattern over all of it.

The dashboard offers a fixed set of selections: all organisations the account may see (when
there are several), each organisation, and within one organisation each department the
filter offers (a department whose count is shown in the organisation's department chart).
There is no department across organisations. Every chart and key figure of every selection,
the department and organisation charts included, goes into ``disclosure.protect`` at once;
every view and export of the account reads its counts from the resulting ``Pattern``, so
nothing one view hides is shown, or can be recomputed, from another.

Patterns are kept in memory per account, year, day of judgement, thresholds and the roll-up's
counts: the first view after a change computes it, the next ones read it.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from datalek.insight import figures as fig
from datalek.insight.disclosure import Block, Count, Query, limit_for, protect, protect_vector

Part = tuple[int, str]
#: roll-up dimensions that are distributions (medians, the sum of people), not counts
DISTRIBUTIONS = ("notify_hours", "decision_hours", "inform_days", "people_n")
#: blocks no chart draws: only the key figures made of them are published
UNDRAWN = frozenset({"t", "M", "notification", "measure"})


def _atom(dimension: str, key: str) -> tuple[str, str] | None:
    """(block, key) of a roll-up cell; None for a distribution."""
    if dimension in DISTRIBUTIONS:
        return None
    if dimension == "total":
        return ("t", "")
    if dimension == "measures":
        return ("M", "")
    if dimension == "notify_bucket":
        return ("bucket_on_time" if key in fig.ON_TIME_BUCKETS else "bucket_late", key)
    if dimension in ("data", "nature"):
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

    def parts(self, org_id: int | None, department: str | None = None) -> frozenset:
        orgs = self.org_ids if org_id is None else (org_id,)
        return frozenset(p for p in self.atoms if p[0] in orgs and department in (None, p[1]))

    def limit(self, parts) -> int:
        orgs = {o for o, _ in parts} or set(self.org_ids)
        return max(self.limits.get(o, limit_for(None)) for o in orgs)

    def value(self, query: Query) -> int:
        return sum(self.atoms[p][(query.block, k)] for p in query.parts for k in query.keys)

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
    atoms: dict[Part, Counter] = defaultdict(Counter)
    extra: dict[str, set] = defaultdict(set)
    for y, org, dept, dimension, key, n in rows:
        if y != pattern.year or org not in pattern.org_ids:
            continue
        atom = _atom(dimension, key)
        if atom is None:
            pattern.spread.setdefault((org, dept), {}).setdefault(dimension, Counter())[key] += n
            continue
        atoms[(org, dept)][atom] += n
        if atom[0] not in blocks or atom[1] not in blocks[atom[0]].keys:
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
    blocks = pattern.blocks
    counts: dict[Query, Count] = {}
    published = _published(blocks)
    totals = {(fig.COUNTS[c].block, fig.COUNTS[c].keys) for c in fig.TOTALS}

    def publish(parts: frozenset, fixed: set, only: list | None = None, hidden: bool = False) -> None:
        limit = pattern.limit(parts)
        for block, keys in only or published:
            query = Query(parts, block, frozenset(keys))
            if query not in counts or (block, keys) in fixed:
                value = pattern.value(query)
                counts[query] = Count(value, limit, (block, keys) in fixed, hidden and value > 0)

    orgs = [o for o in org_ids if pattern.parts(o)]
    for org in orgs:
        mine = sorted(p for p in pattern.atoms if p[0] == org)
        sizes = {d: pattern.atoms[(org, d)][("t", "")] for _, d in mine}
        hidden = protect_vector(sizes, limits.get(org, limit_for(None)))
        pattern.departments[org] = [d for d, n in sizes.items() if n and d not in hidden]
        publish(pattern.parts(org), totals)
        for _, d in mine:  # a department the filter does not offer: only its bar, hidden
            if d in pattern.departments[org]:
                publish(frozenset({(org, d)}), {("t", ("",))})
            else:
                publish(frozenset({(org, d)}), set(), [("t", ("",))], hidden=d in hidden)
    if len(orgs) > 1:
        publish(pattern.parts(None), totals)
    pattern.hidden = frozenset(protect(blocks, sorted(pattern.atoms), counts))
    pattern.published = frozenset(counts)
    return pattern


_CACHE: dict[tuple, Pattern] = {}
_LOCK = threading.Lock()
_KEEP = 64


def pattern(
    rows: list[tuple], year: int, org_ids: tuple[int, ...], limits: dict[int, int], as_of: date
) -> Pattern:
    """The pattern of one account's year, computed once for the same counts."""
    mine = tuple(r for r in rows if r[0] == year and r[1] in org_ids)  # in the index's order
    key = (year, org_ids, as_of, tuple(sorted(limits.items())), hash(mine))
    with _LOCK:
        found = _CACHE.get(key)
    if found is not None:
        return found
    made = build(list(mine), year, org_ids, limits, as_of)
    with _LOCK:
        if len(_CACHE) >= _KEEP:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = made
    return made
