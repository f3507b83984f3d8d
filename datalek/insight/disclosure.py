"""Small numbers stay hidden, also when two selections are subtracted from each other.

A count below the threshold (default 5) can point at a colleague or a client, so it is
shown as "< 5". Hiding a cell is not enough on its own: a total, or a wider selection,
minus the visible cells gives it back. The rules:

1. **Primary.** A count ``0 < n < limit`` is hidden. Zero is shown.
2. **Secondary within a chart.** If exactly one cell of a chart is hidden, the total
   would give it back, so the next-smallest cell is hidden too — preferring a cell
   that cannot itself be recomputed from narrower selections.
3. **Across selections.** The dashboard offers a fixed lattice of selections, never an
   arbitrary subset: organisation = one or all the user may see; department = one or
   all. A department can be chosen only when it is shown in the department chart (and,
   for all organisations, shown in every organisation where it occurs). So every
   selection is the sum of released *children*: all organisations = the organisations;
   an organisation = its selectable departments plus the *rest* (the hidden
   departments, never released on their own, always two or more by rule 2).
   A cell of a selection is hidden when exactly one child is unknown for it and that
   child is a released selection in which the cell is hidden: the selection minus the
   visible children would give that child's hidden count back. When two or more
   children are unknown, the subtraction yields only their sum — the same as what rule
   2 already lets through for a total — and when the only unknown child is the rest,
   it yields the sum over two or more hidden departments.

Shares and medians are shown only when the counts they are made of are shown.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field


def threshold() -> int:
    """The smallest count that is shown (``DATALEK_SMALL_NUMBER``, default 5)."""
    try:
        return max(1, int(os.environ.get("DATALEK_SMALL_NUMBER", 5)))
    except ValueError:
        return 5


#: dimension -> key -> count
Values = dict[str, Counter]


#: How a hidden count is shown. One word for every hidden count: a count hidden only so that
#: a small one cannot be recomputed may be large, and a different word for it would let a
#: total pin down the small one.
HIDDEN = "verborgen"
#: What an empty chart says instead of drawing an axis from -1 to 1.
NO_DATA = "Nog geen gegevens"
#: What a chart says when every count in it is hidden.
ALL_HIDDEN = "Verborgen (te weinig meldingen om te tonen)"


def explanation(limit: int) -> str:
    return (
        f"Aantallen kleiner dan {limit} staan er als '{HIDDEN}', net als de aantallen waarmee "
        "je zo'n klein aantal zou kunnen terugrekenen. Zo wordt niemand herkenbaar."
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
    """Rules 1 and 2 for one chart on its own (see the module docstring)."""
    hidden = protect_vector(counts, limit, set())
    return [Cell(k, None if k in hidden else v, limit) for k, v in counts.items()]


def protect_vector(
    counts: dict[str, int], limit: int, forced: set[str], derivable: set[str] = frozenset()
) -> set[str]:
    """Hidden keys of one chart: ``forced`` (rule 3), primary, then secondary."""
    hidden = {k for k, v in counts.items() if 0 < v < limit} | {k for k in forced if counts.get(k)}
    if len(hidden) == 1:
        visible = sorted((k in derivable, v, k) for k, v in counts.items() if v and k not in hidden)
        if visible:
            hidden.add(visible[0][2])
    return hidden


@dataclass
class Node:
    """One selection: its counts, which of them are hidden, and whether it is released
    (can be chosen in the filters) or only an unreleased remainder."""

    values: Values
    released: bool = True
    hidden: dict[str, set[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.values.get("total", Counter()).get("", 0)

    def count(self, dimension: str, key: str = "") -> int | None:
        """The count, or None when it is hidden."""
        if key in self.hidden.get(dimension, ()):
            return None
        return self.values.get(dimension, Counter()).get(key, 0)

    def unknown(self, dimension: str, key: str) -> bool:
        """Whether someone looking at the released figures cannot know this count."""
        if not self.released:
            return self.total > 0
        return key in self.hidden.get(dimension, ())


def add(nodes: list[Node]) -> Values:
    result: Values = {}
    for node in nodes:
        for dimension, counts in node.values.items():
            result.setdefault(dimension, Counter()).update(counts)
    return result


def protect(
    values: Values,
    limit: int,
    partitions: list[list[Node]],
    vectors: set[str],
    preset: dict[str, set[str]] | None = None,
    internal: frozenset[str] = frozenset({"notify_hours", "decision_hours"}),
) -> Node:
    """A released node over ``values`` whose children (each partition sums to the node)
    are already protected; applies rules 1-3 to every dimension except ``internal`` ones
    (distributions used for medians, never shown as counts)."""
    node = Node(values)
    for dimension, counts in values.items():
        if dimension in internal:
            continue
        if preset and dimension in preset:
            node.hidden[dimension] = set(preset[dimension])
            continue
        forced, derivable = set(), set()
        for key in counts:
            for children in partitions:
                unknown = [c for c in children if c.unknown(dimension, key)]
                if len(unknown) == 1 and unknown[0].released:
                    forced.add(key)
                if not unknown:
                    derivable.add(key)
        if dimension in vectors:
            node.hidden[dimension] = protect_vector(counts, limit, forced, derivable)
        else:
            node.hidden[dimension] = {k for k, v in counts.items() if 0 < v < limit} | {
                k for k in forced if counts.get(k)
            }
    return node


def leaf(values: Values, limit: int, vectors: set[str]) -> Node:
    """The narrowest released selection: rules 1 and 2 only."""
    return protect(values, limit, [], vectors)


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
