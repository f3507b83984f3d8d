"""Issue #18: the first dashboard view after a change reuses the suppression pattern when no
count moved into another band, and the pattern it reuses is exactly the one a fresh audit
gives (in any process, whatever happened before), with the counts as they are now."""

from __future__ import annotations

import random
from datetime import date

import pytest

from datalek.insight import disclosure, selections
from datalek.insight import figures as fig

YEAR = 2026
AS_OF = date(2026, 11, 20)
ORGS = (1, 2)
LIMITS = {1: 5, 2: 5}
SEEDS = [1, 2, 3, 5, 8, 13]


def band(value: int, limit: int) -> int:
    """The test's own bands: zero, below the threshold, exact up to twice the threshold,
    then powers of two."""
    if value <= 0:
        return 0
    if value < limit:
        return 1
    if value < 2 * limit:
        return 2 + value - limit
    k = 0
    while value >= 2 * limit:
        value //= 2
        k += 1
    return 1 + limit + 1 + k


def _split(rng: random.Random, total: int, keys) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for _ in range(total):
        counts[rng.choice(keys)] += 1
    return counts


def cube_rows(seed: int) -> list[tuple]:
    """Roll-up rows of one year for two organisations with departments large and small."""
    rng = random.Random(seed)
    rows = []
    departments = {1: ["Jeugd", "Wmo", "ICT", "Zorg"], 2: ["Jeugd", "Burgerzaken"]}
    for org, depts in departments.items():
        for dept in depts:
            total = rng.choice([2, 3, 40, 75, 1500, 3000])
            outcome = _split(rng, total, list(fig.OUTCOMES))
            cells = {("total", ""): total}
            cells |= {
                ("month", k): n for k, n in _split(rng, total, [f"{m:02d}" for m in range(1, 13)]).items()
            }
            cells |= {("outcome", k): n for k, n in outcome.items()}
            cells |= {("notification", k): n for k, n in _split(rng, total, list(fig.NOTIFICATIONS)).items()}
            types = list(fig.LABELS["type"])[:5]
            cells |= {("type", k): n for k, n in _split(rng, outcome["breach"], types).items()}
            cells[("informed", "")] = rng.randint(0, outcome["breach"])
            rows += [(YEAR, org, dept, d, k, n) for (d, k), n in sorted(cells.items()) if n]
    return rows


def changed(rows: list[tuple], dimension: str, key: str, by: int, *, smallest: bool = False) -> list[tuple]:
    """``rows`` with one cell of the largest (or smallest) department moved by ``by``."""
    totals = {(r[1], r[2]): r[5] for r in rows if r[3] == "total"}
    part = (min if smallest else max)(totals, key=lambda p: (totals[p], p))
    out, done = [], False
    for r in rows:
        if (r[1], r[2]) == part and r[3] == dimension and r[4] == key:
            r, done = (*r[:5], r[5] + by), True
        out.append(r)
    if not done:
        out.append((YEAR, *part, dimension, key, by))
    return out


def fresh(rows: list[tuple]) -> selections.Pattern:
    return selections.build(list(rows), YEAR, ORGS, LIMITS, AS_OF)


@pytest.fixture
def audits(monkeypatch):
    """How often the rank audit ran (through ``disclosure.protect``)."""
    calls = []
    real = disclosure.protect

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(disclosure, "protect", counted)
    monkeypatch.setattr(selections, "protect", counted)
    monkeypatch.setattr(selections, "_CACHE", {})
    monkeypatch.setattr(selections, "_PROTECTED", {}, raising=False)
    return calls


def _band_safe_change(rows: list[tuple]) -> list[tuple]:
    """One incident of the largest department moves from one month to another, the two
    months staying in their band in the department, its organisation and all together."""
    part = _largest(rows)

    def months(within) -> dict[str, int]:
        found = dict.fromkeys([f"{m:02d}" for m in range(1, 13)], 0)
        for r in rows:
            if r[3] == "month" and within((r[1], r[2])):
                found[r[4]] += r[5]
        return found

    levels = [months(lambda p: p == part), months(lambda p: p[0] == part[0]), months(lambda p: True)]
    limit = 5
    for a in sorted(levels[0]):
        for b in sorted(levels[0]):
            if a != b and all(
                band(m[a] - 1, limit) == band(m[a], limit) and band(m[b] + 1, limit) == band(m[b], limit)
                for m in levels
            ):
                return changed(changed(rows, "month", a, -1), "month", b, 1)
    raise AssertionError("no month pair stays in its band")


def _largest(rows):
    totals = {(r[1], r[2]): r[5] for r in rows if r[3] == "total"}
    return max(totals, key=lambda p: (totals[p], p))


@pytest.mark.parametrize("seed", SEEDS)
def test_a_change_that_moves_no_count_into_another_band_runs_no_audit(audits, seed):
    rows = cube_rows(seed)
    selections.pattern(rows, YEAR, ORGS, LIMITS, AS_OF)
    assert len(audits) == 1
    after = _band_safe_change(rows)
    made = selections.pattern(after, YEAR, ORGS, LIMITS, AS_OF)
    assert len(audits) == 1, "the rank audit ran again although no count moved into another band"
    part = frozenset({_largest(after)})
    moved = {r[4]: r[5] for r in after if r[3] == "month" and (r[1], r[2]) == _largest(after)}
    for month, n in moved.items():  # fresh: the counts are the new ones
        assert made.value(selections.Query(part, "month", frozenset({month}))) == n


@pytest.mark.parametrize("seed", SEEDS)
def test_a_change_into_another_band_runs_the_audit_again(audits, seed):
    rows = cube_rows(seed)
    selections.pattern(rows, YEAR, ORGS, LIMITS, AS_OF)
    after = changed(rows, "type", sorted(fig.LABELS["type"])[0], 1, smallest=True)
    after = changed(after, "total", "", 1, smallest=True)
    selections.pattern(after, YEAR, ORGS, LIMITS, AS_OF)
    assert len(audits) == 2


@pytest.mark.parametrize("seed", SEEDS)
def test_the_pattern_reused_is_the_one_a_fresh_audit_gives(audits, seed):
    """Whatever the cache saw before, the hidden counts, the published counts and the
    departments offered are those of an audit of the counts as they are now."""
    rows = cube_rows(seed)
    selections.pattern(rows, YEAR, ORGS, LIMITS, AS_OF)
    for step in range(6):
        rows = (
            _band_safe_change(rows) if step % 2 else changed(rows, "informed", "", 1, smallest=step % 4 == 0)
        )
        made = selections.pattern(rows, YEAR, ORGS, LIMITS, AS_OF)
        audit = fresh(rows)
        assert (made.hidden, made.published, made.departments) == (
            audit.hidden,
            audit.published,
            audit.departments,
        ), f"step {step}"


@pytest.mark.parametrize("seed", SEEDS)
def test_counts_in_the_same_bands_get_the_same_hidden_counts(seed):
    """The suppression reads a count only through its band: two registers whose counts lie
    in the same bands get the same pattern, so no process can pick other cells to hide."""
    rows = cube_rows(seed)
    rng = random.Random(seed)
    moved = []
    for y, org, dept, d, k, n in rows:  # large counts move by one, within their band
        step = rng.choice([-1, 1]) if n >= 4 * LIMITS[org] else 0
        keep = band(n + step, LIMITS[org]) == band(n, LIMITS[org])
        moved.append((y, org, dept, d, k, n + step if keep else n))
    one, other = fresh(rows), fresh(moved)
    limit = max(LIMITS.values())
    if any(band(one.value(q), limit) != band(other.value(q), limit) for q in one.published):
        pytest.skip("a sum of counts crossed a band")
    assert (one.hidden, one.departments) == (other.hidden, other.departments)
