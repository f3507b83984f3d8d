"""The lattice behind ``test_disclosure_derivation``: the atoms of the figures, the identities
that hold between them by definition, each figure as a sum of atoms, the true counts from the
database, and the rank test.

The atoms: per part (year, organisation, department) the counts of the full lattice month x
outcome x notification time x type x ... The published cells are margins of that lattice, so it
never needs to be written out: per part, each attribute's counts (a *block*) are unknowns tied
by one identity (they add up to the block's population: the reports, the breaches, the late
notifications). On the full lattice a set of margins has exactly these linear relations, so the
rank test on the blocks is the rank test on the lattice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

from datalek.insight import figures as fig
from datalek.insight import informing_figures as informing
from datalek.insight import stats
from datalek.models import IncidentType, Nature
from datalek.triage import RiskLevel
from datalek.triage.facts import DataCategory

#: The day the demo's figures are judged on.
TODAY = date(2026, 11, 20)
#: A relative tolerance for the rank test: the matrices hold small integers and shares.
TOL = 1e-7

# --- the model: blocks of atoms, and what every published figure adds up ------------------

ON_TIME, LATE = ("h24", "h48", "h72"), ("h96", "d7", "more")
MEASURE_KINDS = ("preventive", "other")
MEASURE_STATES = ("open", "overdue", "on_time", "late", "undated", "other")
#: block -> its keys. Roots: "t" the part's reports, "M" its measures, "people" the sum of the
#: people affected by its breaches.
BLOCKS: dict[str, list[str]] = {
    "t": [""],
    "M": [""],
    "people_sum": [""],
    "month": [f"{m:02d}" for m in range(1, 13)],
    "outcome": ["breach", "lawful", "no_personal_data", "no_incident", "duplicate", "undecided"],
    "notification": ["on_time", "late", "bad", "withdrawn", "none"],
    "bucket": [*ON_TIME, *LATE],
    "late_reason": list(fig.LATE_REASONS),
    "type": [t.value for t in IncidentType],
    "risk": [r.value for r in RiskLevel] + ["_none"],
    "people": list(fig.PEOPLE),
    "measure": [f"{k}|{s}" for k in MEASURE_KINDS for s in MEASURE_STATES],
    # the yearly report's figures about informing (issue #15): persons and postponements
    "persons": [""],
    "reader": list(informing.READERS),
    "postponed": [""],
    "ended": list(informing.ENDED),
    # issue #16: the processors told us within the agreed hours, or not (not every breach has one)
    "proc_told": list(fig.PROC_TOLD),
}
#: Flags: only their "yes" atom is an unknown (their "no" atom is never published, so it and
#: the identity that fixes it drop out of the system).
FLAGS = [
    "informed",
    "late_report",
    "repeat",
    "open",
    "bad_time",
    "minors",
    "special",
    "bsn",
    "youth_file",
    "processor",
    "chain",
]
MULTI = {"data": [c.value for c in DataCategory] + ["_none"], "nature": [n.value for n in Nature] + ["_none"]}
#: issue #16: the breaches per processor, a flag per processor (``proc:<party id>``), an unknown
#: only in the parts of the processor's own organisation (elsewhere it is zero by definition).
#: party id -> (organisation id, name), read from the database by ``true_counts``.
PROCESSORS: dict[str, tuple[int, str]] = {}
#: The identities that hold by definition: (block, its keys) adds up to (block, keys).
BREACH = [("outcome", "breach")]
IDENTITIES = [
    (("month", BLOCKS["month"]), [("t", "")]),
    (("outcome", BLOCKS["outcome"]), [("t", "")]),
    (("notification", BLOCKS["notification"]), [("t", "")]),
    (("bucket", ON_TIME), [("notification", "on_time")]),
    (("bucket", LATE), [("notification", "late")]),
    (("late_reason", BLOCKS["late_reason"]), [("notification", "late")]),
    (("type", BLOCKS["type"]), BREACH),
    (("risk", BLOCKS["risk"]), BREACH),
    (("people", BLOCKS["people"]), BREACH),
    (("measure", BLOCKS["measure"]), [("M", "")]),
    (("reader", BLOCKS["reader"]), [("persons", "")]),
    (("ended", BLOCKS["ended"]), [("postponed", "")]),
]


def atoms_of(block: str, keys) -> list[tuple[str, str]]:
    return [(block, k) for k in keys]


def measures(kinds=MEASURE_KINDS, states=MEASURE_STATES) -> list[tuple[str, str]]:
    return [("measure", f"{k}|{s}") for k in kinds for s in states]


#: key figure code -> the atoms one part adds to it
FIGURES = {
    "total": [("t", "")],
    "breach": BREACH,
    "not_breach": atoms_of("outcome", ["lawful", "no_personal_data", "no_incident"]),
    **{
        code: [("outcome", code)]
        for code in ("lawful", "no_personal_data", "no_incident", "duplicate", "undecided")
    },
    "notified": atoms_of("notification", ["on_time", "late", "bad"]),
    "notified_on_time": [("notification", "on_time")],
    "notified_late": [("notification", "late")],
    "withdrawn": [("notification", "withdrawn")],
    **{flag: [(flag, "yes")] for flag in FLAGS},
    "measures": [("M", "")],
    "measures_open": measures(states=("open", "overdue")),
    "measures_overdue": measures(states=("overdue",)),
    "measures_on_time": measures(states=("on_time",)),
    "preventive": measures(kinds=("preventive",)),
    "preventive_done": measures(kinds=("preventive",), states=("on_time", "late", "undated")),
    "people": [("people_sum", "")],
    "proc_told_on_time": [("proc_told", "on_time")],
    "proc_told_late": [("proc_told", "late")],
}
SHARES = {
    "notified_share": ("notified", ["breach"]),
    "within72_share": ("notified_on_time", ["notified_on_time", "notified_late"]),
    "proc_told_share": ("proc_told_on_time", ["proc_told_on_time", "proc_told_late"]),
}
#: median -> the counts it is taken over (shown only when at least the threshold)
MEDIANS = {
    "notify_median": ["notified_on_time", "notified_late"],
    "decision_median": None,
    "inform_median": None,
    "proc_delay_median": None,
}


def figure_atoms(code: str) -> list[tuple[str, str]] | None:
    return FIGURES.get(code)


def processor_atoms(label: str, parts, org_names: dict[int, str]) -> list[tuple[str, str]]:
    """The atoms of a processor's bar in a selection of ``parts``: the processor of that name of
    the selection's organisation ("name (organisation)" when several are shown together)."""
    orgs = {o for o, _ in parts}
    found = [
        (f"proc:{party}", "yes")
        for party, (org, name) in PROCESSORS.items()
        if org in orgs and label in (name, f"{name} ({org_names.get(org)})")
    ]
    assert len(found) == 1, (label, found)
    return found


def series_atoms(code: str, label: str) -> list[tuple[str, str]] | None:
    """The atoms one part adds to a chart's bar; None for a department's or organisation's bar."""
    if code in ("dept", "org"):
        return None
    if code == "funnel":
        return FIGURES[{stats.COUNTS[c]: c for c in fig.FUNNEL}[label]]
    key = {text: k for k, text in fig.LABELS[code].items()}[label]
    if code == "notify_bucket":
        return [("bucket", key)]
    if code in MULTI:
        return [(f"{code}:{key}", "yes")]
    if code == "processor":
        raise ValueError("a processor's bar depends on the selection: processor_atoms")
    return [(code, key)]


@dataclass(frozen=True)
class Seen:
    """One published cell: the parts it adds up, its atoms per part, and what it shows."""

    year: int
    where: str  # for messages: selection and label
    parts: frozenset
    atoms: tuple
    value: int | None  # None: hidden
    share: tuple | None = None  # (numerator atoms, denominator atoms, value) for a share


# --- the true atomic counts, to check the model against the database ------------------------


def read_processors(db) -> None:
    """``PROCESSORS`` from the database."""
    PROCESSORS.clear()
    rows = db.execute("SELECT id, org_id, name FROM parties WHERE kind = 'processor'").fetchall()
    PROCESSORS.update((str(i), (o, name)) for i, o, name in rows)


def true_counts(db) -> dict[tuple, int]:
    """(year, part, block, key) -> count, from the roll-up's facts of each incident."""
    counts: dict[tuple, int] = defaultdict(int)
    read_processors(db)
    for f in db.query("SELECT * FROM stats_facts"):
        part = (f["org_id"], f["department"])

        def add(block: str, key: str, n: int = 1, f=f, part=part) -> None:
            counts[(f["year"], part, block, key)] += n

        add("t", "")
        add("month", f"{f['month']:02d}")
        add("outcome", f["outcome"])
        add("notification", f["notification"])
        if f["bucket"]:
            add("bucket", f["bucket"])
        if f["late_reason"]:
            add("late_reason", f["late_reason"])
        for flag, column in (("informed", "informed"), ("late_report", "late_report"), ("repeat", "is_repeat"),
                             ("open", "is_open"), ("bad_time", "bad_time")):  # fmt: skip
            if f[column] and (flag != "repeat" or f["outcome"] != "duplicate"):
                add(flag, "yes")
        if f["chain"]:
            add("chain", "yes")
        if f["outcome"] != "breach":
            continue
        add("type", f["incident_type"])
        add("risk", f["risk"] or "_none")
        add("people", f["people"])
        if f["people_count"]:
            add("people_sum", "", f["people_count"])
        for flag in ("minors", "special", "bsn", "youth_file", "processor"):
            if f[flag]:
                add(flag, "yes")
        for dim in MULTI:
            for key in json.loads(f[dim] or "[]") or ["_none"]:
                add(f"{dim}:{key}", "yes")
        if f["proc_notice"]:
            add("proc_told", f["proc_notice"])
        for party in json.loads(f["processors"] or "[]"):
            add(f"proc:{party}", "yes")
    for m in db.query("SELECT * FROM stats_measure_facts"):
        part, day = (m["org_id"], m["department"]), min(TODAY, date(m["year"], 12, 31)).isoformat()
        counts[(m["year"], part, "M", "")] += 1
        done_on, due_on = m["done_on"] or "", m["due_on"] or ""
        if m["status"] in ("planned", "in_progress") or (m["status"] == "done" and done_on > day):
            state = "overdue" if due_on and due_on < day else "open"
        elif m["status"] == "done" and not done_on:
            state = "undated"
        elif m["status"] == "done":
            state = "on_time" if not due_on or done_on <= due_on else "late"
        else:
            state = "other"
        kind = "preventive" if m["kind"] == "preventive" else "other"
        counts[(m["year"], part, "measure", f"{kind}|{state}")] += 1
    return informing_counts(db, counts)


def informing_counts(db, counts: dict[tuple, int]) -> dict[tuple, int]:
    """The persons informed per kind of reader (every notice that counts, sent by the day the
    year is judged) and the postponements per way they ended, per part."""
    for n in db.query(
        """SELECT i.year, i.org_id, i.department, s.recipient, s.people_count, s.informed_on
        FROM subject_notices s JOIN incidents i ON i.id = s.incident_id WHERE s.withdrawn_at IS NULL"""
    ):
        if n["informed_on"] <= min(TODAY, date(n["year"], 12, 31)).isoformat():
            part = (n["org_id"], n["department"])
            counts[(n["year"], part, "persons", "")] += n["people_count"]
            counts[(n["year"], part, "reader", n["recipient"])] += n["people_count"]
    for i in db.query("SELECT id, year, org_id, department FROM incidents"):
        decided_not = db.execute(
            "SELECT inform_subjects = 'no' FROM decisions WHERE incident_id = ?"
            " ORDER BY decided_at DESC, id DESC LIMIT 1",
            [i["id"]],
        ).fetchone()
        part = (i["org_id"], i["department"])
        day = min(TODAY, date(i["year"], 12, 31))
        for end in informing.ends(db, i["id"], day, bool(decided_not and decided_not[0])):
            counts[(i["year"], part, "postponed", "")] += 1
            counts[(i["year"], part, "ended", end)] += 1
    return counts


# --- the linear algebra ---------------------------------------------------------------------


def variables(year_parts: frozenset) -> dict[tuple, int]:
    names = []
    for part in sorted(year_parts):
        for block, keys in BLOCKS.items():
            names += [(part, block, k) for k in keys]
        names += [(part, flag, "yes") for flag in FLAGS]
        for dim, keys in MULTI.items():
            names += [(part, f"{dim}:{k}", "yes") for k in keys]
        names += [(part, f"proc:{k}", "yes") for k, (org, _) in sorted(PROCESSORS.items()) if org == part[0]]
    return {name: i for i, name in enumerate(names)}


def vector(index: dict, parts, atoms) -> np.ndarray:
    row = np.zeros(len(index))
    for part in parts:
        for block, key in atoms:
            if block.startswith("proc:") and (part, block, key) not in index:
                continue  # another organisation's processor: zero here by definition
            row[index[(part, block, key)]] += 1
    return row


def identities(index: dict, year_parts) -> list[np.ndarray]:
    rows = []
    for part in year_parts:
        for (block, keys), population in IDENTITIES:
            rows.append(vector(index, [part], atoms_of(block, keys)) - vector(index, [part], population))
    return rows


def components(rows: list[np.ndarray], width: int) -> list[list[int]]:
    """The columns split into groups no row connects (union-find over each row's support)."""
    parent = list(range(width))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in rows:
        support = np.flatnonzero(row)
        for j in support[1:]:
            parent[root(j)] = root(support[0])
    groups = defaultdict(list)
    for i in range(width):
        groups[root(i)].append(i)
    return list(groups.values())


def determined(seen: list[Seen]) -> list[tuple[Seen, float]]:
    """The hidden cells whose value the shown cells and the identities fix, with that value: a
    hidden cell's row lies in the row space of the known rows (an SVD with a tolerance)."""
    found = []
    for year in sorted({s.year for s in seen}):
        cells = [s for s in seen if s.year == year]
        year_parts = frozenset().union(*(s.parts for s in cells))
        if not year_parts:
            continue  # a year before the first report: every cell is an empty sum
        index = variables(year_parts)
        known = {row.tobytes(): (row, 0.0) for row in identities(index, year_parts)}
        unknown = {}
        for s in cells:
            if s.share is not None:
                num, den, value = s.share
                row = vector(index, s.parts, num) - value * vector(index, s.parts, den)
                known.setdefault(row.tobytes(), (row, 0.0))
            elif s.value is None:
                row = vector(index, s.parts, s.atoms)
                unknown.setdefault(row.tobytes(), (s, row))
            else:
                row = vector(index, s.parts, s.atoms)
                known.setdefault(row.tobytes(), (row, float(s.value)))
        a = np.array([row for row, _ in known.values()])
        values = np.array([value for _, value in known.values()])
        for columns in components(list(a) + [row for _, row in unknown.values()], len(index)):
            rows = np.flatnonzero(np.abs(a[:, columns]).sum(axis=1))
            secret = [(s, row[columns]) for s, row in unknown.values() if row[columns].any()]
            if not secret:
                continue
            part = a[np.ix_(rows, columns)]
            basis = np.zeros((0, len(columns)))
            if part.size:
                _, sing, vt = np.linalg.svd(part, full_matrices=False)
                basis = vt[: int((sing > TOL * sing[0]).sum())]
                solution = np.linalg.lstsq(part, values[rows], rcond=None)[0]
            for s, row in secret:
                rest = row - basis.T @ (basis @ row)
                if np.linalg.norm(rest) <= 1e-6 * max(1.0, np.linalg.norm(row)):
                    found.append((s, float(row @ solution)))
    return found
