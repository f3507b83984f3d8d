"""Issue #18: the roll-up follows every kind of change inside the write that makes it. Right
after each domain call (no reader in between, nothing refreshed) ``stats_cube`` equals a fresh
``GROUP BY`` over the same definitions (``rollup.differences``); a failed write leaves it as it
was; ``python -m datalek stats verify`` names the cells that differ."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock, store
from datalek.actions import authority, informing, measures
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from datalek.cli import main
from datalek.demo import dataset
from datalek.handling import assessment, decisions, incidents, lifecycle, prefill, retention
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.handling.lessons import LessonInput, LessonTheme, Prevention
from datalek.models import Actor, AwareBasis, InvalidInput, Status
from datalek.store import rollup, rollup_facts, rollup_recount
from datalek.store import stats as stats_sql
from datalek.triage.facts import DataCategory
from tests import party_changes
from tests.conftest import NOW, complete_actions, make_report

TODAY = date(2026, 11, 25)
MEASURE = MeasureInput(
    kind=MeasureKind.PREVENTIVE, description="Adrescontrole.", owner="Teamleider", due_on=TODAY
)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


@pytest.fixture(autouse=True)
def counted_in_ranges(monkeypatch):
    """``stats verify`` counts these few incidents in ranges on other connections, as it counts
    a large register (``rollup_recount``)."""
    monkeypatch.setattr(rollup_recount, "SMALL", 2)


def _fresh(db) -> None:
    """The roll-up as the write left it equals a fresh count (read, never refreshed), counted
    in ranges on other connections and on this connection alone."""
    assert stats_sql.differences(db) == ([], 0)
    with store.write(db):
        assert rollup.differences(db) == ([], 0)


def _cube(db) -> dict:
    return {r[:5]: r[5] for r in db.execute("SELECT * FROM stats_cube")}


def _report(db, world, at=NOW, **changes):
    return incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=at, **changes), at=at)


def _decided(db, world) -> int:
    incident = _report(db, world)
    assessment.save(db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m")
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    informing.record_safety_check(db, world["dpo"], incident.id, Addressee.PARENTS, False)
    return incident.id


def _notified(db, world, i):
    aware = clock.from_iso(db.execute("SELECT aware_at FROM incidents WHERE id = ?", [i]).fetchone()[0])
    authority.record_initial(db, world["dpo"], i, "M-2026-000123", aware + timedelta(hours=80), "Ziekte.")


def _notice(db, world, i) -> int:
    return informing.record_notice(db, world["dpo"], i, Addressee.PARENTS, 5, TODAY, Channel.LETTER).id


def _measure(db, world, i) -> int:
    return measures.add(db, world["dpo"], i, MEASURE).id


def _moved_awareness(db, world, i):
    incident = incidents.read_incident(db, world["dpo"], i).incident
    facts = prefill.facts_from_report(incident, world.org)
    moved = facts.model_copy(update={"aware_at": incident.aware_at + timedelta(hours=70)})
    assessment.save(
        db,
        world["dpo"],
        i,
        moved,
        "g",
        "m",
        basis=AwareBasis.PROCESSOR,
        source="Leverancier",
        reason="Later.",
    )


def _closed(db, world, i):
    complete_actions(db, world["dpo"], i)
    lesson = LessonInput(
        theme=LessonTheme.EMAIL, learned="Adres controleren.", prevention=Prevention.NONE,
        no_measure_reason="Eenmalig.",
    )  # fmt: skip
    lifecycle.close(db, world["dpo"], i, lesson)


#: kind of change -> (setup on the decided incident, returns what the change needs; the change)
CHANGES = {
    "report": (lambda db, w, i: None, lambda db, w, i, _: _report(db, w)),
    "repeat-link": (lambda db, w, i: None, lambda db, w, i, _: _report(db, w, NOW + timedelta(days=1))),
    "assessment": (
        lambda db, w, i: None,
        lambda db, w, i, _: assessment.save(
            db,
            w["dpo"],
            i,
            prefill.facts_from_report(incidents.read_incident(db, w["dpo"], i).incident, w.org).model_copy(
                update={"data_categories": [DataCategory("credentials")]}
            ),
            "g",
            "m",
        ),
    ),
    "decision": (
        lambda db, w, i: None,
        lambda db, w, i, _: decisions.record(
            db,
            w["dpo"],
            i,
            DecisionInput(
                breach=False,
                not_breach_reason=NotBreachReason.MELDRECHT,
                notify_authority=False,
                inform=Inform.NO,
                motivation="Wettelijk.",
                deviation_motivation="Wettelijke grondslag.",
            ),
        ),
    ),
    "ap-notification": (lambda db, w, i: None, lambda db, w, i, _: _notified(db, w, i)),
    "ap-supplement": (
        _notified,
        lambda db, w, i, _: authority.record_supplement(db, w["dpo"], i, clock.now(), "Meer bekend."),
    ),
    "ap-withdrawal": (
        _notified,
        lambda db, w, i, _: authority.record_withdrawal(db, w["dpo"], i, clock.now(), "Geen datalek."),
    ),
    "awareness-moved": (_notified, lambda db, w, i, _: _moved_awareness(db, w, i)),
    "notice": (lambda db, w, i: None, lambda db, w, i, _: _notice(db, w, i)),
    "notice-correction": (
        _notice,
        lambda db, w, i, n: informing.correct_notice(db, w["dpo"], n, 4, TODAY, Channel.LETTER, "Telfout."),
    ),
    "notice-withdrawal": (_notice, lambda db, w, i, n: informing.withdraw_notice(db, w["dpo"], n, "Dubbel.")),
    "public-notice": (
        lambda db, w, i: None,
        lambda db, w, i, _: informing.record_public_notice(db, w["dpo"], i, "Tekst.", TODAY),
    ),
    "measure-add": (lambda db, w, i: None, lambda db, w, i, _: _measure(db, w, i)),
    "measure-done": (
        _measure,
        lambda db, w, i, m: measures.set_status(db, w["dpo"], m, MeasureStatus.DONE),
    ),
    "measure-correction": (
        _measure,
        lambda db, w, i, m: measures.correct(
            db, w["dpo"], m, MEASURE.model_copy(update={"kind": MeasureKind.CORRECTIVE}), "Verkeerd."
        ),
    ),
    "measure-withdrawal": (_measure, lambda db, w, i, m: measures.withdraw(db, w["dpo"], m, "Dubbel.")),
    "status": (
        lambda db, w, i: None,
        lambda db, w, i, _: lifecycle.change_status(db, w["dpo"], i, Status.IN_PROGRESS, "K"),
    ),
    "purge": (
        _closed,
        lambda db, w, i, _: retention.purge(db, Actor.cli(), apply=True, at=NOW + timedelta(days=365 * 30)),
    ),
    **party_changes.CHANGES,  # issue #16: the parties an incident involved
}


#: Changes that leave every figure as it was: a supplement or a corrected count of people is no
#: figure, a purge removes free text only, a late notification stays late when the awareness
#: moves after it (``datalek.handling.moments.judged_from``), and a decided incident taken back
#: into treatment is still open and keeps its decision (the figures count outcomes, not statuses).
SAME_FIGURES = {"ap-supplement", "notice-correction", "awareness-moved", "purge", "status"}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_the_roll_up_equals_a_fresh_count_after_every_kind_of_change(fresh_db, world, kind):
    setup, change = CHANGES[kind]
    incident_id = _decided(fresh_db, world)
    made = setup(fresh_db, world, incident_id)
    _fresh(fresh_db)
    before = _cube(fresh_db)
    change(fresh_db, world, incident_id, made)
    _fresh(fresh_db)
    assert (_cube(fresh_db) == before) == (kind in SAME_FIGURES)


def test_demo_generation_leaves_the_roll_up_counted(tmp_path):
    path = tmp_path / "demo.db"
    dataset.generate(str(path), 60, years=2, seed=3, now=NOW, with_accounts=False)
    from datalek import store

    with store.unit(path) as db:
        assert db.execute("SELECT n FROM stats_cube WHERE dimension = 'total'").fetchall()
        _fresh(db)


def test_a_failed_write_leaves_the_roll_up_as_it_was(fresh_db, world):
    incident_id = _decided(fresh_db, world)
    before = _cube(fresh_db)
    with pytest.raises(InvalidInput):
        measures.add(fresh_db, world["dpo"], incident_id, MEASURE.model_copy(update={"owner": ""}))
    assert _cube(fresh_db) == before
    _fresh(fresh_db)


def test_stats_verify_names_the_differing_cells_and_rebuild_repairs(fresh_db, world, db_path):
    _decided(fresh_db, world)
    runner = CliRunner()
    assert runner.invoke(main, ["stats", "verify", "--db", str(db_path)]).exit_code == 0
    fresh_db.execute("UPDATE stats_cube SET n = n + 2 WHERE dimension = 'total'")
    fresh_db.conn.commit()
    found = runner.invoke(main, ["stats", "verify", "--db", str(db_path)])
    assert found.exit_code == 1
    assert "wijkt af" in found.output and "total" in found.output and "Sociaal Domein" in found.output
    repaired = runner.invoke(main, ["stats", "rebuild", "--db", str(db_path)])
    assert repaired.exit_code == 0, repaired.output
    assert runner.invoke(main, ["stats", "verify", "--db", str(db_path)]).exit_code == 0


def test_stats_verify_names_a_stored_cell_of_zero_and_rebuild_removes_it(fresh_db, world, db_path):
    """The triggers never keep a cell of 0; one stored so is named, though its sum agrees."""
    _decided(fresh_db, world)
    fresh_db.execute(
        "INSERT INTO stats_cube (year, org_id, department, dimension, key, n)"
        " SELECT year, org_id, department, 'type', 'nothing_counts_this', 0 FROM stats_cube LIMIT 1"
    )
    fresh_db.conn.commit()
    runner = CliRunner()
    found = runner.invoke(main, ["stats", "verify", "--db", str(db_path)])
    assert found.exit_code == 1
    assert "'nothing_counts_this': staat er met 0, hoort er niet te staan" in found.output
    assert runner.invoke(main, ["stats", "rebuild", "--db", str(db_path)]).exit_code == 0
    assert fresh_db.execute("SELECT count(*) FROM stats_cube WHERE n = 0").fetchone() == (0,)
    assert runner.invoke(main, ["stats", "verify", "--db", str(db_path)]).exit_code == 0


@pytest.mark.parametrize("command", ["rebuild", "verify"])
def test_a_count_that_fails_says_so_in_dutch_and_changes_nothing(
    fresh_db, world, db_path, monkeypatch, command
):
    _decided(fresh_db, world)
    before = _cube(fresh_db)
    monkeypatch.setattr(
        rollup_recount,
        "_first_write",
        lambda *a, **k: (_ for _ in ()).throw(store.StorageError("disk I/O error")),
    )
    failed = CliRunner().invoke(main, ["stats", command, "--db", str(db_path)])
    assert failed.exit_code == 1
    assert "Tellen is mislukt (disk I/O error). Er is niets aan de cijfers veranderd" in failed.output
    assert "Traceback" not in failed.output
    assert _cube(fresh_db) == before


# --- any sequence of changes ------------------------------------------------------------------

STEPS = ["report", "assessment", "decision", "ap-notification", "notice", "measure-add", "status"]
STEPS += ["awareness-moved", "public-notice", "measure-change", "notice-change", "ap-later"]


def _step(db, world, name: str, pick: int) -> None:
    ids = [r[0] for r in db.execute("SELECT id FROM incidents ORDER BY id")]
    i = ids[pick % len(ids)]
    if name == "measure-change":
        found = [r[0] for r in db.execute("SELECT id FROM measures WHERE incident_id = ?", [i])]
        if found:
            m = found[pick % len(found)]
            [
                lambda: measures.set_status(db, world["dpo"], m, MeasureStatus.DONE),
                lambda: measures.set_status(db, world["dpo"], m, MeasureStatus.CANCELLED),
                lambda: measures.withdraw(db, world["dpo"], m, "Dubbel."),
            ][pick % 3]()
        return
    if name == "notice-change":
        found = [r[0] for r in db.execute("SELECT id FROM subject_notices WHERE incident_id = ?", [i])]
        if found:
            n = found[pick % len(found)]
            if pick % 2:
                informing.withdraw_notice(db, world["dpo"], n, "Dubbel.")
            else:
                informing.correct_notice(db, world["dpo"], n, 3, TODAY, Channel.LETTER, "Telfout.")
        return
    if name == "ap-later":
        later = authority.record_withdrawal if pick % 2 else authority.record_supplement
        later(db, world["dpo"], i, clock.now(), "Reden.")
        return
    if name == "status":
        lifecycle.change_status(db, world["dpo"], i, [Status.CLOSED, Status.IN_PROGRESS][pick % 2], "R")
        return
    if name == "report":
        _report(db, world, NOW - timedelta(days=pick % 400), department=["A", "B"][pick % 2])
        return
    setup, change = CHANGES[name]
    change(db, world, i, None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 1000)), min_size=1, max_size=8))
def test_any_sequence_of_changes_keeps_the_roll_up_exact(fresh_db, world, steps):
    if not fresh_db.execute("SELECT 1 FROM incidents").fetchone():
        _decided(fresh_db, world)
    for name, pick in steps:
        with contextlib.suppress(InvalidInput, ValueError):  # refused: rolled back, roll-up too
            _step(fresh_db, world, name, pick)
        _fresh(fresh_db)


# --- issue #17: the reason of a late notification, grouped; never its text -----------------


@pytest.mark.parametrize(
    ("reason", "group"),
    [
        ("De verwerker meldde het lek pas na twee weken.", "processor"),
        ("Eerst is onderzocht of er echt persoonsgegevens bij betrokken waren.", "investigation"),
        ("De melding kwam pas na het weekend bij de FG binnen; de termijn liep toen al.", "internal"),
        ("Ziekte van de FG.", "internal"),
        ("Vergeten.", "other"),
    ],
)
def test_a_late_notification_counts_in_its_reason_group_never_with_its_text(fresh_db, world, reason, group):
    incident_id = _decided(fresh_db, world)
    aware = clock.from_iso(
        fresh_db.execute("SELECT aware_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    )
    authority.record_initial(
        fresh_db, world["dpo"], incident_id, "M-2026-000123", aware + timedelta(hours=80), reason
    )
    _fresh(fresh_db)
    cells = fresh_db.execute("SELECT dimension, key, n FROM stats_cube").fetchall()
    assert ("late_reason", group, 1) in cells and ("notification", "late", 1) in cells
    assert not [c for c in cells if reason.lower()[:12] in c[1].lower()], "no text of the FG in the figures"


def test_a_reason_recorded_later_on_the_incident_moves_the_count(fresh_db, world):
    """A legacy late notification without a reason, then the FG's reason on the incident
    (``incidents.delay_reason``, ``handling.delay``): the roll-up follows in the same write."""
    incident_id = _decided(fresh_db, world)
    _notified(fresh_db, world, incident_id)
    fresh_db.execute(
        "UPDATE authority_notifications SET late_reason = '' WHERE incident_id = ?", [incident_id]
    )
    fresh_db.execute("UPDATE incidents SET delay_reason = '' WHERE id = ?", [incident_id])
    fresh_db.conn.commit()
    _fresh(fresh_db)
    assert _cube(fresh_db)[(2026, world.org.id, "Sociaal Domein", "late_reason", "none")] == 1
    fresh_db.execute("UPDATE incidents SET delay_reason = 'Onderzoek nodig.' WHERE id = ?", [incident_id])
    fresh_db.conn.commit()
    _fresh(fresh_db)
    assert _cube(fresh_db)[(2026, world.org.id, "Sociaal Domein", "late_reason", "investigation")] == 1


def test_a_duplicate_is_counted_apart_and_never_as_a_repeat(fresh_db, world):
    first = _decided(fresh_db, world)
    again = _report(fresh_db, world, NOW + timedelta(hours=1))
    assert again.repeat_of == first
    fresh_db.execute(
        "INSERT INTO decisions (incident_id, kind, lawful_basis, motivation, advice, decided_at, duplicate_of)"
        " VALUES (?, 'not_a_breach', 'no_incident', 'Dubbel.', '{}', ?, ?)",
        [again.id, clock.to_iso(NOW + timedelta(hours=2)), first],
    )
    fresh_db.conn.commit()
    _fresh(fresh_db)
    cube = _cube(fresh_db)
    part = (2026, world.org.id, "Sociaal Domein")
    assert cube[(*part, "outcome", "duplicate")] == 1 and cube[(*part, "outcome", "breach")] == 1
    assert (*part, "repeat", "") not in cube
    assert (*part, "outcome", "no_incident") not in cube


def test_the_special_categories_of_the_figures_are_the_triages():
    from datalek.store import rollup_facts
    from datalek.triage.facts import SPECIAL_CATEGORIES

    assert set(rollup_facts.SPECIAL) == {c.value for c in SPECIAL_CATEGORIES}


def test_an_incident_id_that_still_has_counted_facts_is_recounted_in_full_when_inserted(fresh_db, world):
    """A new report is counted without subtracting anything (``stats_incidents_new``), but only
    when its id has no stored facts: the facts of a row deleted while the triggers were off (a
    repair outside the app) are subtracted when a new row takes its id, never counted twice."""
    from datalek.store import rollup

    first = _report(fresh_db, world).id
    gone = first + 1  # the id the next report gets
    with fresh_db.conn:  # counted as if a row with that id had been deleted outside the app
        fresh_db.execute(f"INSERT INTO stats_facts SELECT {gone}, {', '.join(_fact_columns(fresh_db)[1:])}"
                         f" FROM stats_facts WHERE id = ?", [first])  # fmt: skip
        fresh_db.execute(
            "INSERT INTO stats_cube (year, org_id, department, dimension, key, n)"
            f" SELECT {rollup.PART}, dimension, key, count(*) FROM stats_cells WHERE id = ? GROUP BY 1, 2, 3, 4, 5"
            " ON CONFLICT DO UPDATE SET n = n + excluded.n",
            [gone],
        )
    assert stats_sql.differences(fresh_db)[1] > 0  # the stale facts count now
    assert _report(fresh_db, world).id == gone
    _fresh(fresh_db)
    assert sum(n for key, n in _cube(fresh_db).items() if key[3] == "total") == 2


def _fact_columns(db) -> list[str]:
    return [c.name for c in db["stats_facts"].columns]


def test_the_figures_read_the_facts_only_through_the_members_the_reduction_keeps():
    """The roll-up extracts ``FACT_KEYS`` from an assessment's facts into an array once; every
    other reading of the facts is a position in that array."""
    named = set(re.findall(r"'\$\.(\w+)'", rollup_facts.FACTS_NOW))
    assert named == set(rollup_facts.FACT_KEYS)
    positions = {int(n) for n in re.findall(r"'\$\[(\d+)\]'", rollup_facts.FACTS_NOW)}
    assert positions == set(range(len(rollup_facts.FACT_KEYS)))


def _expected_facts(facts: dict) -> dict:
    """What the figures must say of one incident, worked out in Python from the whole facts of
    its latest assessment (``docs/domain/figures.md``)."""
    data = facts.get("data_categories")
    categories = set(data or [])
    kind = facts.get("people_count_kind") or "unknown"
    count = facts.get("people_count")
    people = int(count) if kind != "unknown" and count is not None else None
    return {
        "data": data,
        "nature": facts.get("natures"),
        "minors": int("minors" in (facts.get("groups") or [])),
        "special": int(bool(categories & set(rollup_facts.SPECIAL))),
        "bsn": int("bsn" in categories),
        "youth_file": int(
            bool(categories & {"care_file", "child_protection"}) or facts.get("family_file") is True
        ),
        "people_count": people if people is not None and people > 0 else None,
    }


def test_the_figures_of_the_facts_equal_those_worked_out_from_the_whole_facts(tmp_path):
    """Over the demo's assessments, every figure the roll-up reads from the facts (by position
    in the reduced array) equals the one worked out in Python from the whole facts of the
    latest assessment; an incident without an assessment has none of them."""
    from datalek import store

    path = tmp_path / "demo.db"
    dataset.generate(str(path), 150, years=1, seed=5, now=NOW, with_accounts=False)
    with store.unit(path) as db:
        latest = {
            incident_id: (facts, risk)
            for incident_id, facts, risk in db.execute(
                "SELECT a.incident_id, a.facts, a.risk FROM assessments a WHERE a.version ="
                " (SELECT max(b.version) FROM assessments b WHERE b.incident_id = a.incident_id)"
            )
        }
        columns = ("id", "risk", "data", "nature", "minors", "special", "bsn", "youth_file", "people_count")
        rows = db.execute(f"SELECT {', '.join(columns)} FROM ({rollup_facts.facts_now(db)}) ORDER BY id")
        seen = {"minors": set(), "special": set(), "youth_file": set()}
        for row in (dict(zip(columns, r, strict=True)) for r in rows):
            if row["id"] not in latest:
                assert row["data"] is row["nature"] is row["people_count"] is row["risk"] is None, row
                continue
            facts, risk = latest[row["id"]]
            assert "null" not in (row["data"], row["nature"])  # a missing member is NULL
            got = {k: row[k] for k in _expected_facts({}) if k not in ("data", "nature")}
            got |= {k: json.loads(row[k]) if row[k] is not None else None for k in ("data", "nature")}
            assert got == _expected_facts(json.loads(facts)), row["id"]
            assert row["risk"] == risk
            for flag in seen:
                seen[flag].add(row[flag])
        assert len(latest) > 50
        assert seen == {"minors": {0, 1}, "special": {0, 1}, "youth_file": {0, 1}}


@pytest.mark.parametrize(
    ("earlier", "later", "outcome"),
    [
        (("breach", "none"), ("not_a_breach", "no_personal_data"), "no_personal_data"),
        (("not_a_breach", "no_incident"), ("breach", "none"), "breach"),
    ],
)
def test_of_two_decisions_at_the_same_moment_the_later_recorded_counts(
    fresh_db, world, earlier, later, outcome
):
    """The latest decision is the one decided last, and of two decided at the same moment the
    one recorded last (the highest id): in the stored facts and in a fresh count alike."""
    incident = _report(fresh_db, world)
    for kind, basis in (earlier, later):
        fresh_db.execute(
            "INSERT INTO decisions (incident_id, kind, lawful_basis, motivation, advice, decided_at)"
            " VALUES (?, ?, ?, 'm', 'a', '2026-11-20T10:00:00+00:00')",
            [incident.id, kind, basis],
        )
    stored = fresh_db.execute("SELECT outcome FROM stats_facts WHERE id = ?", [incident.id]).fetchone()[0]
    fresh = fresh_db.execute(
        f"SELECT outcome FROM ({rollup_facts.facts_now(fresh_db)}) WHERE id = ?", [incident.id]
    ).fetchone()[0]
    assert stored == fresh == outcome
    _fresh(fresh_db)


def test_the_figures_find_an_undone_merge_of_a_decision_by_index(fresh_db):
    """Whether the latest decision merged a report and was undone is read for every recount:
    by an index on ``incident_merges.decision_id``, never a scan of all merges per decision."""
    from datalek.store import rollup_facts

    plan = [row[3] for row in fresh_db.execute("EXPLAIN QUERY PLAN " + rollup_facts.facts_now(fresh_db))]
    merges = [step for step in plan if step.startswith(("SCAN m", "SEARCH m "))]
    assert merges and all(step.startswith("SEARCH m USING") for step in merges), plan


def test_a_new_report_is_counted_once_by_the_lean_trigger_only(fresh_db, world):
    """SQLite fires the newest trigger of a table first: ``stats_incidents_insert`` (stored facts:
    recount in full) is made after ``stats_incidents_new``, so for a new id it finds no facts
    and does nothing, and the lean one counts it. Were the order the other way round, both
    would run (still exact, twice the work): the versions would rise by three, not one."""
    _report(fresh_db, world)
    before = fresh_db.execute("SELECT max(v) FROM stats_versions").fetchone()[0]
    _report(fresh_db, world)
    assert fresh_db.execute("SELECT max(v) FROM stats_versions").fetchone()[0] == before + 1
    _fresh(fresh_db)
