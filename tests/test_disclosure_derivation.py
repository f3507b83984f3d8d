"""Issue #17: no hidden count can be recomputed from everything one management account can see.

The attacker: the demo's management account, which sees every organisation of the demo. It
collects every selection the dashboard offers (each organisation and "all", each year, each
department the filter offers, with the year before) and every yearly report's XLSX. Each
published cell is a linear combination of the underlying atomic counts; a hidden cell is an
unknown. A hidden cell is uniquely determined when its vector lies in the row space of the
published (shown) cells and the identities between the atoms: equivalently, when its unit
vector lies in the row space of the relations between the figures restricted to the unknowns.
``numpy`` decides it with a rank test (an SVD and a tolerance).

The atoms and their identities are in ``tests/disclosure_lattice.py`` (the full lattice month
x outcome x notification time x type x ..., written as its margins per part). Relations that
hold by definition are part of the model: the "binnen 72 uur" share is the notifications on
time over those on time and late, the time buckets add up to those, the reasons to the late
ones, the causes and data to the breaches, a department's counts to its organisation's. Not
modelled: non-negativity, whole numbers, and coincidences of the data that the definitions do
not imply. Medians are not linear; the test checks they are shown only over at least the
threshold. The independent code is the test's own: it reads what the account sees from the
public API and the XLSX, and the true counts from the roll-up's facts of each incident.
"""

from __future__ import annotations

import io
import math
import shutil
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from datalek import store
from datalek.accounts import auth
from datalek.demo import dataset
from datalek.insight import annual_report, disclosure, figures_policy, informing_figures, stats
from datalek.insight import figures as fig
from datalek.insight.disclosure import Block, Count, Query
from datalek.models import Actor
from tests.disclosure_lattice import (
    MEDIANS,
    PROCESSORS,
    SHARES,
    TODAY,
    Seen,
    determined,
    figure_atoms,
    processor_atoms,
    read_processors,
    series_atoms,
    true_counts,
)

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)

# --- what the account sees ------------------------------------------------------------------


def parts_of(db, year: int, org: int | None, dept: str | None, org_ids) -> frozenset:
    orgs = [org] if org is not None else list(org_ids)
    rows = db.execute(
        "SELECT DISTINCT org_id, department FROM stats_facts WHERE year = ?"
        " UNION SELECT DISTINCT org_id, department FROM stats_measure_facts WHERE year = ?",
        [year, year],
    ).fetchall()
    return frozenset((o, d) for o, d in rows if o in orgs and (dept is None or d == dept))


def from_figures(db, figures: stats.Figures, org, dept, org_ids, name: str, names: dict) -> list[Seen]:
    year = figures.year
    parts = parts_of(db, year, org, dept, org_ids)
    seen = []
    for code, figure in figures.figures.items():
        where = f"{name} {year} {figure.label}"
        if code == "people" and dept is not None:
            assert figure.value is None  # never for a department: one large breach would show
        elif (atoms := figure_atoms(code)) is not None:
            seen.append(Seen(year, where, parts, tuple(atoms), figure.value))
        elif code in SHARES and figure.value is not None:
            numerator, denominators = SHARES[code]
            den = tuple(a for c in denominators for a in figure_atoms(c))
            seen.append(
                Seen(year, where, parts, (), None, (tuple(figure_atoms(numerator)), den, figure.value))
            )
    for code, cells in figures.series.items():
        seen += bars(code, [(c.label, c.count) for c in cells], year, parts, f"{name} {year}", names)
    return seen


def bars(code: str, cells: list[tuple], year: int, parts: frozenset, where: str, names: dict) -> list[Seen]:
    """The bars of one chart; a bar a chart with bars "largest first" leaves out is a zero."""
    seen = []
    if code == "processor":
        return processor_bars(cells, year, parts, where, names)
    for text, count in cells:
        atoms, cell_parts = series_atoms(code, text), parts
        if code == "dept":
            atoms, cell_parts = [("t", "")], frozenset(p for p in parts if p[1] == text)
        elif code == "org":
            atoms, cell_parts = [("t", "")], frozenset(p for p in parts if p[0] == names[text])
        seen.append(Seen(year, f"{where} {code}: {text}", cell_parts, tuple(atoms), count))
    if code in fig.LABELS and code not in fig.ORDER:
        listed = {text for text, _ in cells}
        for text in fig.LABELS[code].values():
            if text not in listed:
                seen.append(
                    Seen(year, f"{where} {code}: {text} (0)", parts, tuple(series_atoms(code, text)), 0)
                )
    return seen


def processor_bars(cells: list[tuple], year: int, parts: frozenset, where: str, names: dict) -> list[Seen]:
    """The breaches per processor (issue #16); a processor of the selection left out is a zero."""
    org_names = {i: n for n, i in names.items()}
    seen, listed = [], set()
    for text, count in cells:
        atoms = processor_atoms(text, parts, org_names)
        listed |= set(atoms)
        seen.append(Seen(year, f"{where} processor: {text}", parts, tuple(atoms), count))
    orgs = {o for o, _ in parts}
    for party, (org, name) in sorted(PROCESSORS.items()):
        if org in orgs and (f"proc:{party}", "yes") not in listed:
            seen.append(Seen(year, f"{where} processor: {name} (0)", parts, ((f"proc:{party}", "yes"),), 0))
    return seen


def shown_value(text) -> int | None | str:
    if text == stats.HIDDEN:
        return None
    if isinstance(text, str) and text.isdigit():
        return int(text)
    return "skip"  # shares, medians, text: checked on the dashboard's own figures


def from_xlsx(db, data: bytes, org, year: int, org_ids, name: str, names: dict) -> list[Seen]:
    """Every count in the yearly report's XLSX: key figures, the trend, every chart's sheet."""
    book = load_workbook(io.BytesIO(data))
    codes = {label: code for code, label in stats.COUNTS.items()} | {fig.PEOPLE_SUM: "people"}
    seen = []

    def add(y: int, label: str, text, where: str) -> None:
        value = "skip" if text == stats.NOT_SHOWN and codes.get(label) != "people" else shown_value(text)
        if text == stats.NOT_SHOWN and codes.get(label) == "people":
            value = None
        if label in codes and value != "skip":
            parts = parts_of(db, y, org, None, org_ids)
            seen.append(Seen(y, where, parts, tuple(figure_atoms(codes[label])), value))

    for label, now, before in book["Kerncijfers"].iter_rows(min_row=2, values_only=True):
        add(year, label, now, f"{name} xlsx {year} {label}")
        add(year - 1, label, before, f"{name} xlsx {year - 1} {label}")
    for y, label, text in book["Trend"].iter_rows(min_row=2, values_only=True):
        add(int(y), label, text, f"{name} xlsx trend {y} {label}")
    parts = parts_of(db, year, org, None, org_ids)
    for code, names_of in stats.SERIES.items():
        if names_of.short not in book.sheetnames:
            continue
        rows = [
            (label, shown_value(text))
            for label, text in book[names_of.short].iter_rows(min_row=2, values_only=True)
        ]
        rows = [
            (label, value) for label, value in rows if value != "skip" and label in known_labels(code, names)
        ]
        seen += bars(code, rows, year, parts, f"{name} xlsx", names)
    return seen + from_informing_sheet(book, year, parts, name)


def from_informing_sheet(book, year: int, parts: frozenset, name: str) -> list[Seen]:
    """The sheet about informing (issue #15): persons per kind of reader, postponements per way
    they ended, and their totals; the median is not a count."""
    inf = informing_figures
    atoms = {inf.PERSONS: ("persons", ""), inf.POSTPONEMENTS: ("postponed", "")}
    atoms |= {f"{inf.PERSONS}: {label}": ("reader", key) for key, label in inf.READERS.items()}
    atoms |= {f"{inf.POSTPONEMENTS}: {label}": ("ended", key) for key, label in inf.ENDED.items()}
    seen = []
    for label, value, *_ in book[inf.SHEET].iter_rows(min_row=2, values_only=True):
        if label in atoms:
            shown = None if value == stats.HIDDEN else value
            seen.append(Seen(year, f"{name} xlsx {label}", parts, (atoms[label],), shown))
    return seen


def known_labels(code: str, names: dict) -> set[str]:
    if code == "funnel":
        return {stats.COUNTS[c] for c in fig.FUNNEL}
    if code == "org":
        return set(names)
    if code == "dept":
        return set(ALL_DEPARTMENTS)
    if code == "processor":
        org_names = {i: n for n, i in names.items()}
        return {n for o, name in PROCESSORS.values() for n in (name, f"{name} ({org_names.get(o)})")}
    return set(fig.LABELS[code].values())


ALL_DEPARTMENTS: set[str] = set()


def everything_seen(db, actor) -> tuple[list[Seen], list[tuple]]:
    """Every cell the account can see, and every median shown with the count behind it."""
    ALL_DEPARTMENTS.update(r[0] for r in db.execute("SELECT DISTINCT department FROM incidents"))
    read_processors(db)
    names = dict(db.execute("SELECT name, id FROM organisations").fetchall())
    seen, medians = [], []
    said = {None: "alle organisaties", **{o: f"organisatie {o}" for o in actor.org_ids}}
    for org in [None, *actor.org_ids]:
        for year in stats.available_years(db, actor, org):
            board = stats.dashboard(db, actor, year, org, today=TODAY)
            for dept in [None, *board.departments]:
                chosen = board if dept is None else stats.dashboard(db, actor, year, org, dept, today=TODAY)
                name = f"{said[org]} / {dept or 'alle afdelingen'}"
                for figures in (chosen.current, chosen.previous):
                    if figures is not None:
                        seen += from_figures(db, figures, org, dept, actor.org_ids, name, names)
                        medians += [(name, figures, code) for code in MEDIANS]
            data = annual_report.generate(db, actor, year, org, "xlsx", today=TODAY)
            seen += from_xlsx(db, data, org, year, actor.org_ids, said[org], names)
    return seen, medians


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo database (``python -m datalek demo``: 1000 incidents, three years, seed 1)."""
    path = tmp_path_factory.mktemp("derivation") / "demo.db"
    dataset.generate(str(path), 1000, 3, seed=1, now=NOW)
    return path


#: The default threshold, and one an FG set higher (``figures_policy``): more hidden, still none derivable.
THRESHOLDS = [5, 10]


@pytest.fixture(scope="module", params=THRESHOLDS, ids=[f"threshold{t}" for t in THRESHOLDS])
def demo(demo_db, tmp_path_factory, request):
    """Everything the demo's management account can see, with every organisation's threshold
    set to ``request.param`` by the operator."""
    path = tmp_path_factory.mktemp(f"derivation{request.param}") / "demo.db"
    shutil.copyfile(demo_db, path)
    with store.unit(path) as db:
        if request.param != disclosure.DEFAULT:
            for (org_id,) in db.execute("SELECT id FROM organisations").fetchall():
                figures_policy.set_threshold(db, Actor.cli(), org_id, request.param, "Strenger (test)")
        user = db.execute("SELECT id FROM users WHERE email = 'directie@demo.invalid'").fetchone()[0]
        actor = auth.actor_for(db, user)
        seen, medians = everything_seen(db, actor)
        counts = true_counts(db)
    return actor, seen, medians, counts


def test_the_model_adds_up_to_every_shown_cell(demo):
    """Each shown count equals the sum of its atoms in the database: the model is the data's."""
    _, seen, _, counts = demo
    wrong = []
    for s in seen:
        if s.value is None or s.share is not None:
            continue
        total = sum(counts.get((s.year, p, b, k), 0) for p in s.parts for b, k in s.atoms)
        if total != s.value:
            wrong.append((s.where, s.value, total))
    assert not wrong, wrong[:20]


def test_no_hidden_cell_is_determined(demo):
    _, seen, _, counts = demo
    hidden = [s for s in seen if s.value is None]
    assert len(hidden) > 100, "the demo has hidden cells, or this test proves nothing"
    found = determined(seen)
    shown = [
        (s.where, round(v, 3), sum(counts.get((s.year, p, b, k), 0) for p in s.parts for b, k in s.atoms))
        for s, v in found
    ]
    assert not found, f"{len(found)} hidden cells are determined, e.g. {shown[:15]}"


def test_the_processor_figures_are_in_what_the_account_sees(demo):
    """Issue #16: the breaches per processor (dashboard and the XLSX sheet), the processors that
    told us in time or late, and the chain incidents are all in the attacker's collection, and
    some of them are hidden, so the rank test covers them."""
    _, seen, _, _ = demo
    bars = [s for s in seen if " processor: " in s.where]
    assert any("xlsx" in s.where for s in bars) and any("xlsx" not in s.where for s in bars)
    assert any(s.value is None for s in bars) and any(s.value is not None for s in bars)
    told = [s for s in seen if any(b == "proc_told" for b, _ in s.atoms)]
    assert told and any(s.value is None for s in told)
    assert any(("chain", "yes") in s.atoms for s in seen)


def test_medians_only_over_enough_counts(demo):
    _, _, medians, _ = demo
    for name, figures, code in medians:
        if figures.value(code) is not None and MEDIANS[code]:
            count = sum(figures.value(c) for c in MEDIANS[code])
            assert count >= figures.limit, (name, figures.year, code, count)
            assert not math.isnan(figures.value(code))


# --- the promise for any register: a property test of ``disclosure.protect`` ------------------

PARTS = [(o, d) for o in (1, 2) for d in ("A", "B", "C")]
SMALL_BLOCKS = {
    "t": Block(("",)),
    "x": Block(("a", "b", "c"), ("t", ("",))),
    "y": Block(("p", "q"), ("x", ("a",))),
    "f": Block(("",), ("t", ("",)), closed=False),
}


@st.composite
def registers(draw) -> dict:
    """Atoms per part that keep the identities: x splits the reports, y splits x=a, f <= t."""
    atoms = {}
    for part in PARTS:
        x = [draw(st.integers(0, 9)) for _ in range(3)]
        p = draw(st.integers(0, x[0]))
        atoms[part] = {("t", ""): sum(x), ("x", "a"): x[0], ("x", "b"): x[1], ("x", "c"): x[2]}
        atoms[part] |= {("y", "p"): p, ("y", "q"): x[0] - p, ("f", ""): draw(st.integers(0, sum(x)))}
    return atoms


def _queries(atoms: dict, limit: int) -> dict[Query, Count]:
    nodes = [frozenset({p}) for p in PARTS] + [frozenset(p for p in PARTS if p[0] == o) for o in (1, 2)]
    nodes.append(frozenset(PARTS))
    shapes = [("t", ("",)), ("f", ("",)), ("x", ("a", "b"))]
    shapes += [(b, (k,)) for b in ("x", "y") for k in SMALL_BLOCKS[b].keys]
    counts = {}
    for node in nodes:
        for block, keys in shapes:
            value = sum(atoms[p][(block, k)] for p in node for k in keys)
            fixed = block == "t" and len(node) > 1  # an organisation's total, and all together
            counts[Query(node, block, frozenset(keys))] = Count(value, limit, fixed)
    return counts


def _still_determined(counts: dict[Query, Count], hidden: set[Query]) -> list[Query]:
    """A plain SVD over every atom of the small lattice: no blocks, no interface."""
    names = [(b, p, k) for b in SMALL_BLOCKS for p in PARTS for k in SMALL_BLOCKS[b].keys]
    index = {n: i for i, n in enumerate(names)}

    def row(q: Query) -> np.ndarray:
        r = np.zeros(len(index))
        for p in q.parts:
            for k in q.keys:
                r[index[(q.block, p, k)]] = 1
        return r

    known = [row(q) for q in counts if q not in hidden]
    for name, block in SMALL_BLOCKS.items():
        if block.population and block.closed:
            pb, pkeys = block.population
            for p in PARTS:
                r = np.zeros(len(index))
                for k in block.keys:
                    r[index[(name, p, k)]] = 1
                for k in pkeys:
                    r[index[(pb, p, k)]] -= 1
                known.append(r)
    _, sing, vt = np.linalg.svd(np.array(known), full_matrices=False)
    basis = vt[: int((sing > 1e-9 * sing[0]).sum())]
    found = []
    for q in hidden:
        r = row(q)
        if np.linalg.norm(r - basis.T @ (basis @ r)) <= 1e-6 * max(1.0, np.linalg.norm(r)):
            found.append(q)
    return found


@settings(max_examples=60, deadline=None)
@given(registers(), st.sampled_from([2, 3, 5]))
def test_protect_leaves_no_hidden_count_determined_for_any_register(atoms, limit):
    counts = _queries(atoms, limit)
    hidden = disclosure.protect(SMALL_BLOCKS, PARTS, counts)
    assert all(q in hidden for q, c in counts.items() if not c.fixed and 0 < c.value < limit)
    assert not any(counts[q].fixed for q in hidden)
    assert _still_determined(counts, hidden) == []
