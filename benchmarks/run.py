"""`make bench`: run every benchmark, print the figures and write docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402 - after the path that makes them importable
    bench_browser,
    bench_clocks,
    bench_dashboard,
    bench_memory,
    bench_parties,
    bench_report,
    bench_sessions,
    bench_store,
    bench_triage,
    recorded_figures,
    slow_disk,
)


def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ")


def main() -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `make bench` (`python benchmarks/run.py`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}.",
        "Ratios compare against a baseline measured in the same run.",
        "",
        "## Incident creation under concurrent writers (WAL, synchronous=FULL)",
        "",
        "Domain = `incidents.submit_report` (permission check, reference number, status history,"
        " hash-chained audit row, the roll-up kept up to date in the write; the caller opens a"
        " connection per incident, the process's writer thread commits the queued reports in"
        " groups: `datalek/store/group_commit.py`). Baseline = raw `sqlite3` insert of one row per `BEGIN IMMEDIATE`"
        " transaction with the same pragmas and a new connection per insert.",
        "",
        "| writers | domain commits/s | p50 ms | p99 ms | raw commits/s | raw p50 ms | raw p99 ms"
        " | domain/raw throughput |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in bench_store.run():
        d, r = row["domain"], row["raw"]
        lines.append(
            f"| {row['writers']} | {_f(d['commits_per_s'])} | {_f(d['p50_ms'], 2)} |"
            f" {_f(d['p99_ms'], 2)} | {_f(r['commits_per_s'])} | {_f(r['p50_ms'], 2)} |"
            f" {_f(r['p99_ms'], 2)} | {row['ratio']:.2f} |"
        )
    lines += [
        "",
        "The same on a disk whose every fsync takes 16 ms (`benchmarks/slow_disk.py`: a shim"
        " preloaded in the benchmark's process slows SQLite's COMMITs and checkpoints alike):",
        "",
        slow_disk.run(),
    ]
    rt = bench_report.report_roundtrip()
    lines += [
        "",
        "## One employee report, server side",
        "",
        "Validate the answers (`intake.validate_report`), scan the free text for identifiers"
        " (`pii.find_pii`) and store it (`incidents.submit_report`), sequentially, 500 times:",
        "",
        f"p50 {_f(rt['p50_ms'], 2)} ms · p99 {_f(rt['p99_ms'], 2)} ms · mean {_f(rt['mean_ms'], 2)} ms",
    ]
    browser = bench_browser.run()
    lines += ["", '## Browser: clicking "Versturen" until the confirmation (Debian Chromium)', ""]
    if browser is None:
        lines.append("Not measured: Chromium is not installed.")
    else:
        s, e = browser["save"], browser["empty"]
        lines += [
            "| what | p50 ms | p99 ms |",
            "|---|---|---|",
            f"| submit a complete report -> confirmation | {_f(s['p50_ms'])} | {_f(s['p99_ms'])} |",
            f"| baseline: submit an empty form -> validation messages | {_f(e['p50_ms'])} |"
            f" {_f(e['p99_ms'])} |",
            "",
            f"Ratio (p50, save / baseline round trip): {browser['ratio']:.2f}",
        ]
    eng = bench_triage.engine()
    lines += [
        "",
        "## Triage engine",
        "",
        "`triage.assess` on complete facts (the jeugdhulp report e-mailed to a wrong parent) and on",
        "all-unknown facts (which also re-runs the rules for every missing fact). Baseline: parsing",
        "the same facts into the pydantic `Facts` model.",
        "",
        "| what | per second | ms each | ratio to baseline time |",
        "|---|---|---|---|",
        f"| baseline: `Facts.model_validate` | {_f(eng['parse_per_s'], 0)} | "
        f"{_f(1000 / eng['parse_per_s'], 3)} | 1.00 |",
        f"| assess, complete facts | {_f(eng['known_per_s'], 0)} | {_f(1000 / eng['known_per_s'], 3)} |"
        f" {eng['parse_per_s'] / eng['known_per_s']:.2f} |",
        f"| assess, unknown facts | {_f(eng['unknown_per_s'], 0)} | {_f(1000 / eng['unknown_per_s'], 3)} |"
        f" {eng['parse_per_s'] / eng['unknown_per_s']:.2f} |",
    ]
    q = bench_triage.queue_page()
    lines += [
        "",
        f"## The FG's queue page with {_f(q['incidents'], 0)} incidents",
        "",
        f"Demo database of {_f(q['incidents'], 0)} incidents, {_f(q['open'], 0)} of them open; the FG"
        " of all three organisations; the page rerun through AppTest (server side: script, queries,"
        " rendering to protobuf), against the queue's SQL query alone.",
        "",
        "| what | p50 ms | p99 ms |",
        "|---|---|---|",
        f"| queue page rerun (AppTest) | {_f(q['page']['p50_ms'])} | {_f(q['page']['p99_ms'])} |",
        f"| baseline: queue SQL query | {_f(q['sql']['p50_ms'], 2)} | {_f(q['sql']['p99_ms'], 2)} |",
        "",
        f"Ratio (p50): {q['page']['p50_ms'] / q['sql']['p50_ms']:.1f}",
    ]
    lines += bench_clocks.section()
    lines += bench_dashboard.section()
    lines += bench_memory.section()
    lines += bench_parties.section()
    lines += bench_sessions.section()
    lines += recorded_figures.section()
    rate = bench_report.demo_rate()
    lines += [
        "",
        "## Demo data",
        "",
        f"`python -m datalek demo --incidents {rate['incidents']}`: {_f(rate['seconds'], 2)} s,"
        f" {_f(rate['per_second'], 0)} incidents/s.",
        "",
    ]
    target = ROOT / "docs" / "benchmarks.md"
    text = merged("\n".join(lines), target.read_text() if target.exists() else "")
    print(text)
    (ROOT / "docs").mkdir(exist_ok=True)
    target.write_text(text)


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before its first ``## `` heading, and each ``## `` section as (heading, text)."""
    parts = re.split(r"(?m)^(?=## )", text)
    head = "" if parts[0].startswith("## ") else parts.pop(0)
    return head, [(part.splitlines()[0], part) for part in parts]


def merged(generated: str, old: str) -> str:
    """``generated`` with the sections of ``old`` that ``make bench`` does not write (an issue's
    goals and their analysis, dated partial runs) kept: those above the first generated section
    stay above the generated ones, the others below. A generated section replaces its old one."""
    head, new = _sections(generated)
    written = {heading for heading, _ in new}
    _, before = _sections(old)
    above, below, seen = [], [], False
    for heading, part in before:
        if heading in written:
            seen = True
        else:
            (below if seen else above).append(part)
    body = [part.rstrip("\n") + "\n" for part in [*above, *(p for _, p in new), *below]]
    return head.rstrip("\n") + "\n\n" + "\n".join(body)


if __name__ == "__main__":
    main()
