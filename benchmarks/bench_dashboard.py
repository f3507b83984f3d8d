"""The dashboard and the yearly report on demo databases of 10^5 and 10^6 incidents.

Databases are built once and cached under ``data/bench/`` (gitignored), keyed by their
parameters: 10^5 with the demo generator (incidents, assessments, decisions, AP
notifications, informed betrokkenen, measures, repeats), 10^6 by copying the 10^5 incidents
and their follow-up nine more times with shifted ids (the demo generator would need minutes).

Measured against the plain SQL baseline in the same run: one ``GROUP BY`` of a year's
incidents per organisation, department and incident type (``store.stats.baseline``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import signed_in_app, summary_ms, times_ms
from datalek import store
from datalek.accounts import auth
from datalek.demo import dataset
from datalek.insight import annual_report, selections, stats
from datalek.store import rollup
from datalek.store import stats as sql

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "data" / "bench"
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
SEED = 1


def database(incidents: int) -> Path:
    """The cached demo database with ``incidents`` incidents (built when missing)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"dashboard_n{incidents}_y3_s{SEED}.db"
    if path.exists():
        store.migrate(path)
        return path
    base = 100_000
    if incidents <= base:
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        dataset.generate(str(tmp), incidents, years=3, seed=SEED, now=NOW)  # with its follow-up
        _move(tmp, path)
        return path
    source = database(base)
    tmp = path.with_suffix(".tmp")
    shutil.copy(source, tmp)
    _multiply(tmp, incidents // base)
    _move(tmp, path)
    return path


def _move(tmp: Path, path: Path) -> None:
    """Rename a built database with the files the audit trail keeps next to it (its key and
    checkpoints), so that ``audit verify`` works on the cached copy."""
    for suffix in (".auditkey", ".auditlog-checkpoints"):
        side = Path(f"{tmp}{suffix}")
        if side.exists():
            side.rename(Path(f"{path}{suffix}"))
    tmp.rename(path)


def _multiply(path: Path, times: int) -> None:
    """Copy every incident and its follow-up ``times - 1`` more times, ids shifted."""
    with store.unit(path) as db, store.write(db):
        rollup.uninstall(db)  # a bulk copy: counted once afterwards, not row by row
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    tables = [
        "incidents",
        "assessments",
        "decisions",
        "authority_notifications",
        "safety_checks",
        "subject_notices",
        "public_notices",
        "measures",
    ]
    shift = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in tables}
    seq = conn.execute("SELECT max(seq) FROM incidents").fetchone()[0]
    for k in range(1, times):
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            exprs = {
                "id": f"id + {k * shift[table]}",
                "incident_id": f"incident_id + {k * shift['incidents']}",
                "repeat_of": f"repeat_of + {k * shift['incidents']}",
                "assessment_id": f"assessment_id + {k * shift['assessments']}",
                "seq": f"seq + {k * seq}",
                "reference": f"reference || '-{k}'",
                "advice": "'{}'",
            }
            select = ", ".join(exprs.get(c, c) for c in cols)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table}"
                f" WHERE id <= {shift[table]}"
            )
        conn.commit()
    conn.close()
    with store.unit(path) as db:
        sql.rebuild(db)


def _change(db, k: int) -> None:
    """One write that changes the figures: an incident of the latest year moves status (the
    ``k``-th from the end: every change of a run touches another incident, so no state of the
    register comes back and no cache of an earlier state can answer)."""
    with store.write(db):
        db.execute(
            "UPDATE incidents SET status = CASE status WHEN 'closed' THEN 'decided' ELSE 'closed' END"
            " WHERE id = (SELECT max(id) FROM incidents) - ?",
            [k],
        )


_SEEN = {"k": 0}


class _Calls(list):
    """The calls counted, and ``restore`` to stop counting."""


def _audits() -> list:
    """Count the rank audits (``disclosure.protect``) the next views run."""
    calls = _Calls()
    real = selections.protect

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    selections.protect = counted
    calls.restore = lambda: setattr(selections, "protect", real)
    return calls


def _first_view(db, actor, year, changes: int, runs: int = 5, forced: bool = False) -> dict:
    """``changes`` writes, then the dashboard (timed): what the first reader after them waits.
    ``forced``: the patterns in memory are dropped first (a count crossed a band, or a new
    process): the rank audit runs."""
    latencies = []
    audits = _audits()
    try:
        for _ in range(runs):
            for _ in range(changes):
                _SEEN["k"] += 1
                _change(db, _SEEN["k"])
            if forced:
                selections._CACHE.clear()
                selections._PROTECTED.clear()
            start = time.perf_counter()
            stats.dashboard(db, actor, year)
            latencies.append(time.perf_counter() - start)
    finally:
        audits.restore()
    return summary_ms(latencies) | {"audits": len(audits), "views": runs}


def _write_cost(n: int = 60) -> dict:
    """``submit_report`` p50 with the roll-up's triggers and without them (same database)."""
    from benchmarks.common import seeded_db
    from datalek.handling import incidents
    from tests.conftest import make_report

    path, reporter = seeded_db()
    result = {}
    with store.unit(path) as db:
        for label in ("with", "without", "with again"):
            with store.write(db):
                (rollup.uninstall if label == "without" else rollup.install)(db)
            result[label] = times_ms(
                lambda: incidents.submit_report(db, reporter, make_report(reporter.org_ids[0])), n
            )
    return result


def measure(incidents: int, reruns: int = 10, report: bool = True) -> dict:
    path = database(incidents)
    os.environ["DATALEK_DB"] = str(path)
    with store.unit(path) as db:
        start = time.perf_counter()
        sql.rebuild(db)
        rebuild_s = time.perf_counter() - start
        board_id = db.execute("SELECT id FROM users WHERE role = 'management' LIMIT 1").fetchone()[0]
        actor = auth.actor_for(db, board_id)
        orgs = list(actor.org_ids)
        year = max(stats.available_years(db, actor))
        dept = stats.dashboard(db, actor, year, orgs[0]).departments[0]
        result = {
            "incidents": incidents,
            "year": year,
            "rebuild_s": rebuild_s,
            "baseline": times_ms(lambda: sql.baseline(db, orgs, year), reruns),
            "write": times_ms(lambda: _change(db, 0), reruns),
            "after1": _first_view(db, actor, year, 1, runs=20),
            "after100": _first_view(db, actor, year, 100),
            "forced": _first_view(db, actor, year, 1, forced=True),
            "cube": times_ms(lambda: sql.cube(db, orgs, [year, year - 1]), reruns),
            "all": times_ms(lambda: stats.dashboard(db, actor, year), reruns),
            "one": times_ms(lambda: stats.dashboard(db, actor, year, orgs[0]), reruns),
            "dept": times_ms(lambda: stats.dashboard(db, actor, year, orgs[0], dept), reruns),
        }
        start = time.perf_counter()
        result["verified"] = sql.differences(db)[1] == 0
        result["verify_s"] = time.perf_counter() - start
        if report:
            result["report"] = times_ms(
                lambda: (
                    annual_report.to_html(r := annual_report.build(db, actor, year, orgs[0])),
                    annual_report.to_xlsx(r),
                ),
                3,
            )
    result["page"] = _page(actor, reruns)
    return result


def _page(actor, reruns: int) -> dict:
    import navigation
    from tests.pages.conftest import switch_to

    at = signed_in_app(actor)
    switch_to(at, navigation.OVERVIEW).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 12  # with the breaches per processor (#16)
    return times_ms(at.run, reruns)


def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ")


def section(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[str]:
    runs = [measure(n, report=n <= 100_000) for n in sizes]
    lines = [
        "",
        "## Dashboard and yearly report",
        "",
        "Cached demo databases (`data/bench/`), management of all three organisations, the latest"
        " year. Baseline: the plain SQL `GROUP BY` of that year's incidents per organisation,"
        " department and incident type. Every figure comes from the roll-up `stats_cube`;"
        " kept exact inside every write (triggers); `stats.dashboard` = permission check, the"
        " versions of the roll-up's parts, the parts whose version moved read again (the others"
        " kept in memory, `insight/rollup_rows.py`) and the suppression, for this year and the"
        " year before.",
        "",
        "| incidents | what | p50 ms | p99 ms | ratio to baseline (p50) |",
        "|---|---|---|---|---|",
    ]
    for r in runs:
        base = r["baseline"]["p50_ms"]
        rows = [
            ("baseline: plain `GROUP BY`", r["baseline"]),
            ("one write changing an incident (roll-up kept in it)", r["write"]),
            ("first `stats.dashboard` (all organisations) after 1 change", r["after1"]),
            ("first `stats.dashboard` (all organisations) after 100 changes", r["after100"]),
            ("first view with the rank audit (a count crossed a band; a new process)", r["forced"]),
            ("roll-up query, every part read (two years)", r["cube"]),
            ("`stats.dashboard`, all organisations, no change in between (parts from memory)", r["all"]),
            ("`stats.dashboard`, one organisation, no change in between", r["one"]),
            ("`stats.dashboard`, one department, no change in between", r["dept"]),
            ("dashboard page rerun (AppTest)", r["page"]),
        ]
        if "report" in r:
            rows.append(("yearly report, one organisation (HTML + XLSX)", r["report"]))
        for label, t in rows:
            lines.append(
                f"| {_f(r['incidents'], 0)} | {label} | {_f(t['p50_ms'], 2)} |"
                f" {_f(t['p99_ms'], 2)} | {t['p50_ms'] / base:.2f} |"
            )
    lines += [
        "",
        "Full rebuild (`python -m datalek stats rebuild`, never needed in normal work): "
        + ", ".join(f"{_f(r['rebuild_s'], 1)} s at {_f(r['incidents'], 0)}" for r in runs)
        + "; `stats verify` after the changes above: "
        + ", ".join(f"{'equal' if r['verified'] else 'DIFFERENT'} ({_f(r['verify_s'], 1)} s)" for r in runs)
        + ".",
    ]
    lines += [
        "",
        "The rank audit ran in "
        + "; ".join(
            f"{r[k]['audits']} of {r[k]['views']} first views {what} at {_f(r['incidents'], 0)}"
            for r in runs
            for k, what in (("after1", "after 1 change"), ("after100", "after 100 changes"))
        )
        + " (two patterns per view: this year and the year before).",
    ]
    cost = _write_cost()
    lines += [
        "",
        "`submit_report` p50 / p99 ms on a small database, with the roll-up's triggers and without: "
        + "; ".join(f"{k} {_f(v['p50_ms'], 2)} / {_f(v['p99_ms'], 2)}" for k, v in cost.items())
        + ".",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(section()))
