"""Figures for the dashboard and the yearly report. Management and the FG get counts,
shares and medians — never rows, names or free text.

The selection is a year, an organisation (one, or all the actor may see) and a
department (one, or all). Never an arbitrary subset of organisations: together with
``datalek.insight.disclosure`` that guarantees a count hidden as "< 5" cannot be recomputed by
subtracting two selections, or a selection and its visible parts. The suppression is
applied here, in the domain core, so pages, exports and the yearly report all show the
same, already protected, figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, OrgSelection, refuse, require
from datalek.insight.disclosure import (
    HIDDEN,
    Cell,
    Node,
    Values,
    add,
    leaf,
    median_from,
    protect,
    protect_vector,
    threshold,
)
from datalek.models import Actor, IncidentType, Nature, Status
from datalek.store import stats as sql
from datalek.triage import RiskLevel
from datalek.triage.facts import DataCategory

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
#: Hours from awareness to the AP notification (rounded down), for the 72-hour chart.
BUCKETS = [
    (0, 24, "0-24 uur"),
    (24, 48, "24-48 uur"),
    (48, 72, "48-72 uur"),
    (72, 96, "72-96 uur"),
    (96, 168, "4-7 dagen"),
    (168, 10**9, "meer dan 7 dagen"),
]
VECTORS = {"month", "type", "status", "risk", "data", "nature", "notify_bucket", "dept"}
NO_ASSESSMENT = "Nog niet beoordeeld"


@dataclass(frozen=True)
class Series:
    """The Dutch names of one chart: its title, and a short name (an Excel sheet's, at most
    31 characters)."""

    title: str
    short: str


#: chart code -> its Dutch names: the one table the dashboard, its tables for screen readers,
#: and the yearly report's HTML, XLSX and DOCX all take their chart names from.
SERIES = {
    "month": Series("Meldingen per maand", "Per maand"),
    "funnel": Series("Van melding tot betrokkenen geïnformeerd", "Van melding tot informeren"),
    "type": Series("Soort incident", "Soort incident"),
    "status": Series("Status van de meldingen", "Status"),
    "data": Series("Soort gegevens", "Soort gegevens"),
    "dept": Series("Per afdeling", "Per afdeling"),
    "nature": Series("Vertrouwelijkheid, integriteit, beschikbaarheid", "Soort inbreuk"),
    "risk": Series("Risico volgens de beoordeling", "Risico"),
    "notify_bucket": Series("Tijd tot de melding bij de AP", "Tijd tot de AP-melding"),
}

#: key figure code -> Dutch label (counts)
COUNTS = {
    "total": "Interne meldingen",
    "breach": "Beoordeeld als datalek",
    "notified": "Gemeld bij de AP",
    "informed": "Betrokkenen geïnformeerd",
    "late_report": "Te laat intern gemeld (meer dan 24 uur na ontdekking)",
    "open": "Incidenten nu nog open",
    "repeat": "Herhaalde incidenten",
    "measures": "Maatregelen",
    "measures_open": "Maatregelen open",
    "measures_overdue": "Maatregelen over de termijn",
    "preventive": "Preventieve maatregelen",
    "preventive_done": "Preventieve maatregelen uitgevoerd",
}
DERIVED = {
    "notified_share": "Deel van de datalekken gemeld bij de AP",
    "within72_share": "Deel van de AP-meldingen binnen 72 uur",
    "notify_median": "Mediaan uren van ontdekking tot AP-melding",
    "decision_median": "Mediaan uren van interne melding tot besluit FG",
}


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: float | int | None  # None = hidden or not computable
    shown: str


@dataclass(frozen=True)
class Figures:
    """One year of one selection, already protected."""

    year: int
    as_of: date
    figures: dict[str, Figure]
    series: dict[str, list[Cell]] = field(default_factory=dict)

    def value(self, code: str):
        return self.figures[code].value


@dataclass(frozen=True)
class Dashboard:
    year: int
    org_id: int | None  # None = all organisations the actor may see
    department: str | None
    departments: list[str]  # the departments that can be chosen for this selection
    current: Figures
    previous: Figures | None  # None when the selection does not exist in the year before


# --- access --------------------------------------------------------------------------


def _scope(db: Database, actor: Actor, org_id: int | None, action: Action) -> list[int]:
    org_ids = [org_id] if org_id is not None else list(actor.org_ids)
    require(db, actor, action, OrgSelection(tuple(org_ids)))
    return org_ids


def available_years(db: Database, actor: Actor, org_id: int | None = None) -> list[int]:
    org_ids = _scope(db, actor, org_id, Action.SEE_DASHBOARD)
    return sql.years(db, org_ids)


def local_today() -> date:
    return clock.today()


def as_of_for(year: int, today: date | None = None) -> date:
    """Measures are judged at the end of a finished year, today for the current one, so
    the report of a finished year stays the same when it is made again."""
    return min(today or local_today(), date(year, 12, 31))


def dashboard(
    db: Database,
    actor: Actor,
    year: int,
    org_id: int | None = None,
    department: str | None = None,
    today: date | None = None,
) -> Dashboard:
    """Every figure of the dashboard for one selection, and the year before."""
    org_ids = _scope(db, actor, org_id, Action.SEE_DASHBOARD)
    today = today or local_today()
    rows = sql.cube(db, org_ids, [year, year - 1], today)
    lattices = {y: Lattice(rows, y, org_ids, threshold(), as_of_for(y, today)) for y in (year, year - 1)}
    now = lattices[year]
    if department is not None and department not in now.departments:
        refuse(
            db,
            actor,
            Action.SEE_DEPARTMENT,
            message="Deze afdeling heeft te weinig meldingen om apart te tonen.",
        )
    previous = lattices[year - 1].node(department)
    return Dashboard(
        year,
        org_id,
        department,
        now.departments,
        figures(now.node(department), year, now.as_of),
        figures(previous, year - 1, lattices[year - 1].as_of) if previous else None,
    )


# --- the lattice of selections ---------------------------------------------------------


def _bucket(hours: int) -> str:
    return next(label for low, high, label in BUCKETS if low <= hours < high)


def _part_values(raw: dict[tuple[str, str], int]) -> Values:
    """The dimensions of one (organisation, department) part."""
    values: Values = {code: Counter({"": 0}) for code in (*COUNTS, "within72")}
    for (dimension, key), n in raw.items():
        counts = values.get(dimension)
        if counts is None:
            counts = values[dimension] = Counter()
        counts[key] += n
    buckets = Counter()
    for key, n in values.get("notify_hours", {}).items():
        buckets[_bucket(int(key))] += n
    values["notify_bucket"] = buckets
    return values


class Lattice:
    """The released selections of one year: per organisation its selectable departments
    and itself; for several organisations also the departments across them and the whole."""

    def __init__(self, rows: list[tuple], year: int, org_ids: list[int], limit: int, as_of: date):
        self.as_of = as_of
        raw: dict[tuple[int, str], dict[tuple[str, str], int]] = {}
        for y, org, dept, dimension, key, n in rows:
            if y == year:
                raw.setdefault((org, dept), {})[(dimension, key)] = n
        parts = {k: _part_values(v) for k, v in raw.items()}
        for (_, dept), values in parts.items():
            values["dept"] = Counter({dept: values["total"][""]})
        self.orgs: dict[int, Node] = {}
        self.leaves: dict[int, dict[str, Node]] = {}
        for org in org_ids:
            mine = {d: v for (o, d), v in parts.items() if o == org}
            totals = {d: v["total"][""] for d, v in sorted(mine.items())}
            hidden = protect_vector(totals, limit, set())
            selectable = [d for d, n in totals.items() if n and d not in hidden]
            leaves = {d: leaf(mine[d], limit, VECTORS) for d in selectable}
            rest = Node(add([Node(v) for d, v in mine.items() if d not in leaves]), released=False)
            self.leaves[org] = leaves
            self.orgs[org] = protect(
                add([Node(v) for v in mine.values()]),
                limit,
                [[*leaves.values(), rest]],
                VECTORS,
                {"dept": hidden},
            )
        self.single = len(org_ids) == 1
        if self.single:
            self.whole = self.orgs[org_ids[0]]
            self.by_dept = self.leaves[org_ids[0]]
            self.departments = list(self.by_dept)
            return
        # A department across organisations: only where every organisation shows it.
        names = {d for (o, d) in parts}
        candidates = sorted(
            d for d in names if all(d in self.leaves[o] or (o, d) not in parts for o in org_ids)
        )
        while True:
            self.by_dept = {
                d: protect(
                    add([self.leaves[o][d] for o in org_ids if d in self.leaves[o]]),
                    limit,
                    [[self.leaves[o][d] for o in org_ids if d in self.leaves[o]]],
                    VECTORS,
                )
                for d in candidates
            }
            rest = Node(
                add([Node(v) for (o, d), v in parts.items() if d not in self.by_dept]), released=False
            )
            self.whole = protect(
                add([Node(v) for v in parts.values()]),
                limit,
                [list(self.orgs.values()), [*self.by_dept.values(), rest]],
                VECTORS,
            )
            shown = [d for d in candidates if self.whole.count("dept", d)]
            if shown == candidates:
                break
            candidates = shown
        self.departments = candidates

    def node(self, department: str | None) -> Node | None:
        if department is None:
            return self.whole
        return self.by_dept.get(department)


# --- from a protected node to figures ----------------------------------------------------


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _pct(value: float | None) -> str:
    return "niet te tonen" if value is None else f"{round(value * 100)}%"


def _hours(value: float | None) -> str:
    if value is not None and value >= sql.HOURS_CAP:
        return f"{sql.HOURS_CAP} uur of meer"
    return "niet te tonen" if value is None else f"{value:g} uur"


def _cells(node: Node, dimension: str) -> list[Cell]:
    counts = node.values.get(dimension, Counter())
    keys = ORDER.get(dimension) or sorted(
        (k for k, n in counts.items() if n), key=lambda k: (-counts[k], label(dimension, k))
    )
    return [Cell(label(dimension, k), node.count(dimension, k)) for k in keys]


#: A code in the figures that no label table knows (an old value in an old assessment).
UNKNOWN = "Onbekend"


def _short(label: str) -> str:
    """'Vertrouwelijkheid (iemand kon ...)' -> 'Vertrouwelijkheid'."""
    return label.split(" (")[0]


#: dimension -> code -> Dutch label: every code a chart can show, also when no incident of the
#: selection has it (a chart with only "high" risks still names its other bars in Dutch).
LABELS: dict[str, dict[str, str]] = {
    "month": {f"{m:02d}": MONTHS[m - 1] for m in range(1, 13)},
    "type": {t.value: t.label for t in IncidentType},
    "status": {s.value: s.label for s in Status},
    "data": {c.value: c.label for c in DataCategory} | {"_none": NO_ASSESSMENT},
    "nature": {n.value: _short(n.label) for n in Nature} | {"_none": NO_ASSESSMENT},
    "risk": {r.value: r.label for r in RiskLevel} | {"_none": NO_ASSESSMENT},
    "notify_bucket": {label: label for _, _, label in BUCKETS},
}
#: The bars a chart always shows, in this order (the others: the codes found, largest first).
ORDER = {
    "month": list(LABELS["month"]),
    "risk": [r.value for r in RiskLevel] + ["_none"],
    "notify_bucket": list(LABELS["notify_bucket"]),
}


def label(dimension: str, code: str) -> str:
    """The Dutch label of a code in the figures; department names are shown as typed."""
    if dimension == "dept":
        return code
    return LABELS.get(dimension, {}).get(code, UNKNOWN)


def figures(node: Node, year: int, as_of: date) -> Figures:
    limit = threshold()
    result: dict[str, Figure] = {}
    for code, label in COUNTS.items():
        value = node.count(code)
        result[code] = Figure(code, label, value, HIDDEN if value is None else str(value))
    notified, within = node.count("notified"), node.count("within72")
    shares = {
        "notified_share": _share(notified, node.count("breach")),
        "within72_share": _share(within, notified),
    }
    for code, value in shares.items():
        result[code] = Figure(code, DERIVED[code], value, _pct(value))
    decided = node.values.get("decision_hours", Counter())
    medians = {
        "notify_median": median_from(node.values["notify_hours"])
        if notified is not None and notified >= limit and "notify_hours" in node.values
        else None,
        "decision_median": median_from(decided) if sum(decided.values()) >= limit else None,
    }
    for code, value in medians.items():
        result[code] = Figure(code, DERIVED[code], value, _hours(value))
    series = {
        code: _cells(node, code)
        for code in ("month", "type", "status", "data", "nature", "risk", "dept", "notify_bucket")
    }
    series["funnel"] = [Cell(COUNTS[c], node.count(c)) for c in ("total", "breach", "notified", "informed")]
    return Figures(year, as_of, result, series)


# --- the legacy overview API (kept for callers of the first version) ---------------------


@dataclass(frozen=True)
class Overview:
    year: int
    total: int | None
    by_status: list[Cell]
    by_type: list[Cell]
    by_month: list[Cell]


def years(db: Database, actor: Actor, org_ids: list[int]) -> list[int]:
    require(db, actor, Action.SEE_OVERVIEW, OrgSelection(tuple(org_ids)))
    return sql.years(db, org_ids)


def overview(db: Database, actor: Actor, org_ids: list[int], year: int) -> Overview:
    """Counts of a year's reports per status, incident type and month, for one organisation
    or all the actor may see (see ``dashboard``)."""
    require(db, actor, Action.SEE_OVERVIEW, OrgSelection(tuple(org_ids)))
    org_id = org_ids[0] if len(set(org_ids)) == 1 and len(actor.org_ids) > 1 else None
    data = dashboard(db, actor, year, org_id).current
    months = [Cell(f"{i + 1:02d}", c.count) for i, c in enumerate(data.series["month"])]
    return Overview(year, data.value("total"), data.series["status"], data.series["type"], months)
