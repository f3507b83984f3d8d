"""Merged reports are counted once (issue #16): in the roll-up behind the dashboard, the yearly
report and the register, reports = breaches + not-a-breach + merged + undecided, and a merged
report is never counted as not-a-breach nor as a breach of its own."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import assessment, decisions, incidents, merges, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.insight.figures import NOT_A_BREACH
from datalek.models import InvalidInput, Status
from datalek.store import rollup_facts
from datalek.store import stats as stats_sql
from tests.conftest import NOW, make_report

REASON = "Zelfde gebeurtenis, door een collega gemeld."


def _outcomes(db, org_id: int) -> dict[str, int]:
    """The outcome cells of the roll-up for the organisation, summed over departments."""
    rows = db.execute(
        "SELECT key, sum(n) FROM stats_cube WHERE org_id = ? AND dimension = 'outcome' GROUP BY key", [org_id]
    )
    return dict(rows.fetchall())


def _outcome_of(db) -> dict[int, str]:
    """Each incident's outcome as the roll-up defines it (a fresh count, not the cells)."""
    return dict(db.execute(f"SELECT id, outcome FROM ({rollup_facts.facts_now(db)})").fetchall())


def _report(db, world):
    return incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)


def _decide(db, world, incident_id: int, breach: bool) -> None:
    facts = prefill.facts_from_report(
        incidents.read_incident(db, world["dpo"], incident_id).incident, world.org
    )
    saved = assessment.save(db, world["dpo"], incident_id, facts)
    if breach:
        data = DecisionInput(
            breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."
        )
    else:
        data = DecisionInput(
            breach=False,
            not_breach_reason=NotBreachReason.CONSENT,
            motivation="Toestemming.",
            deviation_motivation="Er was toestemming.",
        )
    decisions.record(db, world["dpo"], incident_id, data, saved.version)


def _step(db, world, ids: list[int], op: str, a: int, b: int) -> None:
    one, two = ids[a % len(ids)], ids[b % len(ids)]
    reference = db.execute("SELECT reference FROM incidents WHERE id = ?", [two]).fetchone()[0]
    if op == "report":
        ids.append(_report(db, world).id)
    elif op == "merge":
        merges.merge(db, world["dpo"], one, reference, REASON)
    elif op == "merge_into":
        merges.merge_into(
            db,
            world["dpo"],
            two,
            db.execute("SELECT reference FROM incidents WHERE id = ?", [one]).fetchone()[0],
            REASON,
        )
    elif op == "breach":
        _decide(db, world, one, True)
    elif op == "not_a_breach":
        _decide(db, world, one, False)


OPS = sorted(["breach", "merge", "merge_into", "not_a_breach", "report"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=10)
)
def test_every_report_is_counted_once_and_a_merged_one_never_as_not_a_breach(fresh_db, world, steps):
    ids = [r[0] for r in fresh_db.execute("SELECT id FROM incidents WHERE org_id = ?", [world.org.id])]
    if not ids:
        ids = [_report(fresh_db, world).id, _report(fresh_db, world).id]
    for op, a, b in steps:
        with contextlib.suppress(InvalidInput, PermissionDenied):  # refused: nothing changed
            _step(fresh_db, world, ids, op, a, b)
    assert stats_sql.differences(fresh_db) == ([], 0)  # the cells are exact
    cells = _outcomes(fresh_db, world.org.id)
    total = fresh_db.execute("SELECT count(*) FROM incidents WHERE org_id = ?", [world.org.id]).fetchone()[0]
    not_breach = sum(cells.get(k, 0) for k in NOT_A_BREACH)
    assert (
        cells.get("breach", 0) + not_breach + cells.get("duplicate", 0) + cells.get("undecided", 0) == total
    )
    merged = [
        r[0] for r in fresh_db.execute("SELECT id FROM incidents WHERE status = ?", [Status.MERGED.value])
    ]
    event(f"merged reports: {min(len(merged), 3)}{'+' if len(merged) >= 3 else ''}")
    outcome = _outcome_of(fresh_db)
    assert {outcome[i] for i in merged} <= {"duplicate"}
    assert cells.get("duplicate", 0) == len(merged)


def test_an_undone_merge_counts_as_undecided_again(fresh_db, world):
    main, copy = _report(fresh_db, world), _report(fresh_db, world)
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    assert _outcome_of(fresh_db)[copy.id] == "duplicate"
    merges.undo(fresh_db, world["dpo"], copy.id, "Toch twee verschillende incidenten.")
    assert _outcome_of(fresh_db)[copy.id] == "undecided"
