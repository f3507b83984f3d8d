"""Figures that the test suite records while proving reliability and accessibility
(`.cache/figures/*.json`, written by tests/test_crash.py, tests/test_backup_restore.py,
tests/e2e/test_concurrent_sessions.py and tests/e2e/test_accessibility.py), as a section
for docs/benchmarks.md. They come from the last `make test` on this machine."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

FIGURES = Path(__file__).resolve().parents[1] / ".cache" / "figures"


def _load(name: str) -> dict | None:
    path = FIGURES / name
    return json.loads(path.read_text()) if path.exists() else None


def section() -> list[str]:
    lines = ["", "## Reliability and accessibility (recorded by the last `make test`)", ""]
    found = _load("reliability.json")
    if found is None:
        return lines + ["No figures yet: run `make test` first (see docs/reliability.md).", ""]
    crash = found.get("crash_test", {})
    sessions = found.get("concurrent_sessions", {})
    backup = found.get("backup_during_writes", {})
    lines += [
        "| what | figure |",
        "|---|---|",
        f"| crash test: writers / SIGKILLs | {crash.get('writers')} / {crash.get('kills')} |",
        f"| crash test: reports confirmed → present after restart | {crash.get('confirmed')} → "
        f"{crash.get('present_of_confirmed')} |",
        f"| concurrent browser sessions held | {sessions.get('sessions')} "
        f"({sessions.get('confirmed_round_1')} reports confirmed, "
        f"{sessions.get('present_round_1')} present) |",
        f"| backup during writes: incidents in the copy / live afterwards | "
        f"{backup.get('incidents_in_copy')} / {backup.get('incidents_live_after')} |",
    ]
    axe = _load("axe.json")
    if axe is not None:
        counts = Counter((v["id"], v["impact"]) for page in axe.values() for v in page)
        shown = ", ".join(
            f"{rule} ({impact}) on {n} page states" for (rule, impact), n in sorted(counts.items())
        )
        lines.append(f"| axe-core: page states checked / findings left | {len(axe)} / {shown or 'none'} |")
    return lines + [
        "",
        "Details and what each figure proves: docs/reliability.md, docs/accessibility.md.",
        "",
    ]
