"""No module of the store borrows another module's private names (``from datalek.store.x import
_y``): what two modules share is public, in one place (the decision's columns are
``datalek.store.assessments.DECISION_COLUMNS``). (The triage engine still shares the private
helpers of ``triage.context``; that is another change.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["datalek/store"]


def borrowed() -> list[str]:
    found = []
    for place in PLACES:
        for path in sorted((ROOT / place).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("datalek."):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}")
    return found


def test_no_private_name_is_imported_from_another_module():
    assert borrowed() == []


def test_a_decision_is_written_in_one_place(fresh_db, world):
    """Both ways of writing a decision (one, or the demo's many) take the same columns."""
    from datalek.handling import incidents
    from datalek.store import assessments
    from tests.conftest import NOW, make_report

    made = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    row = dict.fromkeys(assessments.DECISION_COLUMNS) | {
        "incident_id": made.id,
        "kind": "breach",
        "notify_authority": 0,
        "inform_subjects": "no",
        "lawful_basis": "",
        "motivation": "m",
        "deviates": 0,
        "deviation_motivation": "",
        "advice": "{}",
        "decided_at": "2026-01-01T00:00:00+00:00",
    }
    del row["consulted"], row["duplicate_of"]
    fresh_db.execute("BEGIN IMMEDIATE")
    first = assessments.insert_decision(fresh_db, row)
    assessments.insert_decisions(fresh_db, [row])
    fresh_db.conn.commit()
    stored = [dict(r) for r in fresh_db.query("SELECT consulted, duplicate_of FROM decisions ORDER BY id")]
    assert first and stored == [{"consulted": "", "duplicate_of": None}] * 2
