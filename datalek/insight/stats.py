"""Figures for the dashboard and the yearly report. Management and the FG get counts,
shares and medians — never rows, names or free text.

The selection is a year, an organisation (one, or all the actor may see) and, within one
organisation, a department. Every selection of the account is protected together
(``datalek.insight.selections``): an organisation's totals are always shown, breakdowns hide
small numbers, and no hidden count can be recomputed from everything the account can see.
The suppression is applied here, in the domain core, so pages, exports and the yearly report
all show the same, already protected, figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, OrgSelection, refuse, require
from datalek.insight import figures as fig
from datalek.insight import rollup_rows, selections
from datalek.insight.disclosure import HIDDEN, Cell, Node, limit_for, median_from
from datalek.models import Actor
from datalek.store import stats as sql

MONTHS = fig.MONTHS
UNKNOWN = fig.UNKNOWN
LABELS, ORDER, SERIES, label = fig.LABELS, fig.ORDER, fig.SERIES, fig.label
#: key figure code -> Dutch label (counts)
COUNTS = {code: c.label for code, c in fig.COUNTS.items()}
#: shares, medians and the sum of people: code -> Dutch label
DERIVED = (
    {code: s[0] for code, s in fig.SHARES.items()}
    | {code: m[0] for code, m in fig.MEDIANS.items()}
    | {"people": fig.PEOPLE_SUM}
)
NOT_SHOWN = "niet te tonen"
#: The risk chart's bar for a breach without a risk level.
NO_ASSESSMENT = fig.LABELS["risk"]["_none"]
#: Hours from awareness to the AP notification: (from, up to and including, label).
BUCKETS = [
    (low, high if high is not None else 10**9, label)
    for low, (_, high, label) in zip([0, *(b[1] for b in fig.BUCKETS[:-1])], fig.BUCKETS, strict=True)
]


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
    limit: int = 5

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


def chart_of_parts(series: dict[str, list[Cell]]) -> str:
    """'org' for all organisations together (per organisation), else 'dept'."""
    return "org" if "org" in series else "dept"


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


def limits(db: Database, org_ids) -> dict[int, int]:
    """organisation id -> the threshold of its figures (``disclosure.limit_for``)."""
    return {o: limit_for(n) for o, n in sql.small_numbers(db, list(org_ids)).items()}


def dashboard(
    db: Database,
    actor: Actor,
    year: int,
    org_id: int | None = None,
    department: str | None = None,
    today: date | None = None,
) -> Dashboard:
    """Every figure of the dashboard for one selection, and the year before."""
    _scope(db, actor, org_id, Action.SEE_DASHBOARD)
    today = today or local_today()
    account = tuple(actor.org_ids)
    rows = rollup_rows.cube(db, list(account), [year, year - 1], today)
    thresholds = limits(db, account)
    names = sql.organisation_names(db, list(account))
    parties = sql.processor_names(db, list(account))
    now, before = (
        selections.pattern(rows, y, account, thresholds, as_of_for(y, today)) for y in (year, year - 1)
    )
    offered = now.offered(org_id)
    if department is not None and department not in offered:
        refuse(
            db,
            actor,
            Action.SEE_DEPARTMENT,
            message="Deze afdeling heeft te weinig meldingen om apart te tonen.",
        )
    previous = None
    if department is None or department in before.offered(org_id):
        previous = figures_of(before, org_id, department, names, parties)
    current = figures_of(now, org_id, department, names, parties)
    return Dashboard(year, org_id, department, offered, current, previous)


# --- from the protected pattern to figures ------------------------------------------------


def _pct(value: float | None) -> str:
    return NOT_SHOWN if value is None else f"{round(value * 100)}%"


def _amount(value: float | None, unit: str) -> str:
    if value is not None and value >= (sql.DAYS_CAP if unit == "dagen" else sql.HOURS_CAP):
        return f"{value:g} {unit} of meer"
    return NOT_SHOWN if value is None else f"{value:g} {unit}"


def _bars(pattern, parts, chart: str) -> list[Cell]:
    """One chart's bars: the fixed ones in order, else every bar above zero or hidden,
    largest first (a bar left out is a zero)."""
    counts = {code: pattern.count(parts, *fig.bar_atoms(chart, code)) for code in fig.LABELS[chart]}
    for block in pattern.blocks:  # codes this version has no label for
        name = f"{fig.SERIES[chart].block}:" if chart in ("data", "nature") else None
        if name and block.startswith(name) and block[len(name) :] not in counts:
            counts[block[len(name) :]] = pattern.count(parts, block, ("",))
        if chart in ("type", "risk") and block == chart:
            for key in pattern.blocks[block].keys:
                counts.setdefault(key, pattern.count(parts, block, (key,)))
    if chart in fig.ORDER:
        keys = fig.ORDER[chart]
    else:
        keys = sorted(
            (k for k, n in counts.items() if n != 0),
            key=lambda k: (-(counts[k] or 0), counts[k] is None, fig.label(chart, k)),
        )
    return [Cell(fig.label(chart, k), counts[k]) for k in keys]


def _parts_chart(pattern, parts, org_id, names: dict[int, str]) -> dict[str, list[Cell]]:
    orgs = sorted({o for o, _ in parts})
    if org_id is None and len(pattern.org_ids) > 1:
        return {
            "org": [Cell(names.get(o, str(o)), pattern.count(pattern.parts(o), "t", ("",))) for o in orgs]
        }
    sizes = {p: pattern.value(selections.Query(frozenset({p}), "t", frozenset({""}))) for p in parts}
    ordered = sorted(parts, key=lambda p: (-sizes[p], p[1]))
    return {"dept": [Cell(p[1], pattern.count({p}, "t", ("",))) for p in ordered]}


def figures(node: Node, year: int, as_of: date) -> Figures:
    """The figures of one selection's unprotected counts (``disclosure.Node``: callers of the
    first version, tests of labels and charts): nothing hidden."""
    pattern = selections.Pattern(year, as_of, (0,), {0: 1}, dict(fig.BLOCKS))
    selections.fill(pattern, [(year, 0, "", d, k, n) for d, c in node.values.items() for k, n in c.items()])
    return figures_of(pattern, None, None)


def processor_label(
    party: str, parties: dict[str, tuple[int, str]], names: dict[int, str], several: bool
) -> str:
    """A processor's bar: its name, with its organisation's when several are shown together
    (two organisations may each have a processor of the same name)."""
    org, name = parties.get(party, (None, fig.UNKNOWN))
    return f"{name} ({names.get(org, org)})" if several and org is not None else name


def _processor_bars(pattern, parts, org_id, names, parties) -> list[Cell]:
    """The breaches per processor that caused them: every bar above zero or hidden, largest
    first (a processor left out caused none this year)."""
    prefix = f"{fig.PROCESSOR_BLOCK}:"
    counts = {
        block[len(prefix) :]: pattern.count(parts, block, ("",))
        for block in pattern.blocks
        if block.startswith(prefix)
    }
    several = org_id is None and len(pattern.org_ids) > 1
    labels = {k: processor_label(k, parties, names, several) for k in counts}
    keys = sorted(
        (k for k, n in counts.items() if n != 0),
        key=lambda k: (-(counts[k] or 0), counts[k] is None, labels[k]),
    )
    return [Cell(labels[k], counts[k]) for k in keys]


def figures_of(
    pattern,
    org_id: int | None,
    department: str | None,
    names: dict[int, str] | None = None,
    parties: dict[str, tuple[int, str]] | None = None,
) -> Figures:
    """The figures of one selection of a protected pattern; worked out once per pattern and
    selection (a pattern from memory has the same counts, so the same figures)."""
    key = (org_id, department, tuple(sorted((names or {}).items())), tuple(sorted((parties or {}).items())))
    found = pattern.memo.get(key)
    if found is None:
        found = pattern.memo[key] = _figures_of(pattern, org_id, department, names, parties)
    return found


def _figures_of(pattern, org_id, department, names, parties) -> Figures:
    parts = pattern.parts(org_id, department)
    limit = pattern.limit(parts)
    result: dict[str, Figure] = {}
    for code, count in fig.COUNTS.items():
        value = pattern.count(parts, count.block, count.keys)
        result[code] = Figure(code, count.label, value, HIDDEN if value is None else str(value))
    for code, (text, numerator, denominators) in fig.SHARES.items():
        values = [result[numerator].value, *(result[d].value for d in denominators)]
        share = None if None in values or not sum(values[1:]) else values[0] / sum(values[1:])
        result[code] = Figure(code, text, share, _pct(share))
    for code, (text, dimension, unit, needs) in fig.MEDIANS.items():
        spread = pattern.distribution(parts, dimension)
        enough = sum(spread.values()) >= limit and all(result[c].value is not None for c in needs)
        value = median_from(spread) if enough else None
        result[code] = Figure(code, text, value, _amount(value, unit))
    people = _people(pattern, parts, org_id, department)
    result["people"] = Figure("people", fig.PEOPLE_SUM, people, NOT_SHOWN if people is None else str(people))
    series = {chart: _bars(pattern, parts, chart) for chart, s in fig.SERIES.items() if chart in fig.LABELS}
    series["processor"] = _processor_bars(pattern, parts, org_id, names or {}, parties or {})
    series["notify_bucket"] = _bars(pattern, parts, "notify_bucket")
    series["funnel"] = [Cell(COUNTS[c], result[c].value) for c in fig.FUNNEL]
    series |= _parts_chart(pattern, parts, org_id, names or {})
    return Figures(pattern.year, pattern.as_of, result, series, limit)


def _people(pattern, parts, org_id, department) -> int | None:
    """The sum of the people affected: for an organisation (or all) only, over at least
    ``limit`` breaches with a known number, and for all only when every organisation shows it."""
    if department is not None:
        return None

    def total(of) -> int | None:
        spread = pattern.distribution(of, "people_n")
        if sum(spread.values()) < pattern.limit(of):
            return None
        return sum(int(k) * n for k, n in spread.items())

    if org_id is None and len(pattern.org_ids) > 1:
        each = [total(pattern.parts(o)) for o in pattern.org_ids if pattern.parts(o)]
        return None if None in each else total(parts)
    return total(parts)


# --- the legacy overview API (kept for callers of the first version) ---------------------


@dataclass(frozen=True)
class Overview:
    year: int
    total: int | None
    by_status: list[Cell]  # the outcome of the reports (breach, not a breach, undecided)
    by_type: list[Cell]
    by_month: list[Cell]


def years(db: Database, actor: Actor, org_ids: list[int]) -> list[int]:
    require(db, actor, Action.SEE_OVERVIEW, OrgSelection(tuple(org_ids)))
    return sql.years(db, org_ids)


def overview(db: Database, actor: Actor, org_ids: list[int], year: int) -> Overview:
    """Counts of a year's reports per outcome, breaches per incident type and reports per
    month, for one organisation or all the actor may see (see ``dashboard``)."""
    require(db, actor, Action.SEE_OVERVIEW, OrgSelection(tuple(org_ids)))
    org_id = org_ids[0] if len(set(org_ids)) == 1 and len(actor.org_ids) > 1 else None
    data = dashboard(db, actor, year, org_id).current
    months = [Cell(f"{i + 1:02d}", c.count) for i, c in enumerate(data.series["month"])]
    return Overview(year, data.value("total"), data.series["outcome"], data.series["type"], months)
