"""Retention: incidents closed longer ago than their organisation's retention period lose
every free text and personal link, keep every figure, and the purge is audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import navigation
from datalek import clock, store
from datalek.accounts import audit, audit_verify
from datalek.accounts.permissions import PermissionDenied
from datalek.cli import main
from datalek.handling import incidents, retention
from datalek.insight import stats
from datalek.models import Actor, InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report
from tests.pages.conftest import (  # noqa: F401 - autouse fixtures for the page test
    _browser_cookies,
    _navigation_always_runs_app_py,
    _serializable_state_without_apptest_bookkeeping,
    signed_in,
    table_with,
)

SECRET = "Jan de Vries, BSN 111222333, jan@voorbeeld.nl"
CLI = Actor.cli()


def _iso(moment: datetime) -> str:
    return clock.to_iso(moment)


def _incident(
    db, world, reporter="reporter", org=None, at=NOW, status="closed", closed=None, closed_column=True
):
    """A report with free text everywhere, moved straight to a final status at ``closed``."""
    org = org or world.org.id
    made = incidents.submit_report(
        db,
        world[reporter],
        _report(org, at, description=SECRET, actions_taken=SECRET),
        at=at,
    )
    incidents.add_supplement(db, world[reporter], made.id, SECRET)
    closed = closed or at + timedelta(days=30)
    i, a = made.id, _iso(at)
    with store.write(db):
        db.execute(
            "INSERT INTO assessments (incident_id, version, facts, advice, risk, notify_authority,"
            " inform_subjects, effects, remedial_action, created_at) VALUES (?, 1, ?, '{}', 'high',"
            " 1, 1, ?, ?, ?)",
            [i, json.dumps({"personal_data": True, "people_count": 3, "note": SECRET}), SECRET, SECRET, a],
        )
        db.execute(
            "INSERT INTO decisions (incident_id, kind, notify_authority, inform_subjects,"
            " motivation, deviates, deviation_motivation, advice, decided_at)"
            " VALUES (?, 'breach', 1, 'yes', ?, 1, ?, '{}', ?)",
            [i, SECRET, SECRET, a],
        )
        db.execute(
            "INSERT INTO authority_notifications (incident_id, kind, ap_reference, submitted_at,"
            " late_reason, note, concept, recorded_at) VALUES (?, 'initial', 'AP-1', ?, ?, ?, ?, ?)",
            [i, a, SECRET, SECRET, json.dumps({"summary": SECRET, "kind": "initial"}), a],
        )
        db.execute(
            "INSERT INTO safety_checks (incident_id, recipient, risk, reason, recorded_at)"
            " VALUES (?, 'parents', 1, ?, ?)",
            [i, SECRET, a],
        )
        db.execute(
            "INSERT INTO subject_notices (incident_id, recipient, people_count, informed_on,"
            " channel, recorded_at) VALUES (?, 'parents', 3, ?, 'letter', ?)",
            [i, a[:10], a],
        )
        db.execute(
            "INSERT INTO public_notices (incident_id, text, published_on, recorded_at) VALUES (?, ?, ?, ?)",
            [i, SECRET, a[:10], a],
        )
        db.execute(
            "INSERT INTO measures (incident_id, org_id, kind, description, owner, due_on, status,"
            " done_on, created_at, updated_at) VALUES (?, ?, 'preventive', ?, ?, ?, 'done', ?, ?, ?)",
            [i, org, SECRET, SECRET, a[:10], a[:10], a, a],
        )
        db.execute(
            "UPDATE incidents SET status = ?, closed_at = ? WHERE id = ?",
            [status, _iso(closed) if closed_column else None, i],
        )
        db.execute(
            "INSERT INTO status_changes (incident_id, from_status, to_status, at, reason)"
            " VALUES (?, 'reported', ?, ?, ?)",
            [i, status, _iso(closed), SECRET],
        )
        audit.append(db, None, "incident.status", "incident", i)  # the state, as the app would
    return made


def _report(org_id: int, at: datetime, **changes):
    return make_report(
        org_id,
        now=at,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
        **changes,
    )


def _texts(db, incident_id: int) -> str:
    """Every value of every row that belongs to the incident, as one string."""
    dump = []
    for table in ("incidents",):
        dump += [json.dumps(r) for r in db.query(f"SELECT * FROM {table} WHERE id = ?", [incident_id])]
    for table in (
        "supplements",
        "assessments",
        "decisions",
        "status_changes",
        "authority_notifications",
        "safety_checks",
        "subject_notices",
        "public_notices",
        "measures",
    ):
        dump += [
            json.dumps(r) for r in db.query(f"SELECT * FROM {table} WHERE incident_id = ?", [incident_id])
        ]
    return "\n".join(dump)


STAT_COLUMNS = (
    "org_id, year, month, seq, reference, department, situation, incident_type, status,"
    " occurred_from, occurred_to, ongoing, discovered_at, reported_at, aware_at,"
    " closed_at, created_at, repeat_of"
)


@pytest.fixture
def aged(fresh_db, world):
    """Five incidents; today is NOW. Retention is 5 years (the default) for both organisations,
    10 years for the second."""
    db = fresh_db
    with store.write(db):
        db.execute("UPDATE organisations SET retention_years = 10 WHERE id = ?", [world.other_org.id])
    old = NOW - timedelta(days=365 * 7)
    made = {
        "closed_old": _incident(db, world, at=old, closed=old + timedelta(days=30)),
        "not_a_breach_old": _incident(
            db, world, at=old, status="not_a_breach", closed=old + timedelta(days=2), closed_column=False
        ),
        "closed_without_closed_at": _incident(
            db, world, at=old, closed=old + timedelta(days=9), closed_column=False
        ),
        "closed_recent": _incident(db, world, at=NOW - timedelta(days=365 * 3)),
        "open_old": incidents.submit_report(
            db, world["reporter"], _report(world.org.id, old, description=SECRET), at=old
        ),
        "other_org_old": _incident(db, world, reporter="other_reporter", org=world.other_org.id, at=old),
    }
    return db, world, {k: v.id for k, v in made.items()}


PURGED = ("closed_old", "not_a_breach_old", "closed_without_closed_at")
KEPT = ("closed_recent", "open_old", "other_org_old")


def test_dry_run_lists_exactly_the_incidents_past_retention_and_changes_nothing(aged):
    db, world, ids = aged
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    snapshot = {k: _texts(db, i) for k, i in ids.items()}
    result = retention.purge(db, CLI, apply=False, at=NOW)
    assert not result.applied
    assert sorted(d.incident_id for d in result.incidents) == sorted(ids[k] for k in PURGED)
    assert {k: _texts(db, i) for k, i in ids.items()} == snapshot
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    first = next(d for d in result.incidents if d.incident_id == ids["closed_old"])
    assert first.rows == {
        "supplements": 1,
        "assessments": 1,
        "decisions": 1,
        "status_changes": 2,
        "authority_notifications": 1,
        "safety_checks": 1,
        "public_notices": 1,
        "measures": 1,
    }


def test_apply_removes_every_free_text_and_the_reporter(aged):
    db, world, ids = aged
    result = retention.purge(db, CLI, apply=True, at=NOW)
    assert result.applied and result.totals["incidents"] == 3
    for key in PURGED:
        dump = _texts(db, ids[key])
        for fragment in ("Jan", "111222333", "jan@voorbeeld", "Vries"):
            assert fragment not in dump, (key, fragment)
        row = db.execute(
            "SELECT reporter_id, purged_at, description FROM incidents WHERE id = ?", [ids[key]]
        ).fetchone()
        assert row == (None, _iso(NOW), retention.PLACEHOLDER)
        assert (
            db.execute(
                "SELECT count(*) FROM supplements WHERE incident_id = ? AND author_id IS NOT NULL", [ids[key]]
            ).fetchone()[0]
            == 0
        )
    for key in KEPT:
        assert SECRET in _texts(db, ids[key]), key


def test_apply_keeps_every_column_the_statistics_use(aged):
    db, world, ids = aged

    def figures():
        return (
            list(db.query(f"SELECT {STAT_COLUMNS} FROM incidents ORDER BY id")),
            list(
                db.query(
                    "SELECT incident_id, version, risk, notify_authority, inform_subjects,"
                    " enisa_level, enisa_score FROM assessments ORDER BY id"
                )
            ),
            list(
                db.query(
                    "SELECT incident_id, kind, notify_authority, inform_subjects, deviates,"
                    " lawful_basis, decided_at FROM decisions ORDER BY id"
                )
            ),
            list(db.query("SELECT incident_id, from_status, to_status, at FROM status_changes ORDER BY id")),
            list(db.query("SELECT * FROM subject_notices ORDER BY id")),
            list(db.query("SELECT incident_id, kind, due_on, status, done_on FROM measures")),
            [json.loads(r[0]) for r in db.execute("SELECT report FROM incidents ORDER BY id")],
        )

    before = figures()
    overview_before = stats.overview(db, world["management"], [world.org.id], NOW.year - 7)
    retention.purge(db, CLI, apply=True, at=NOW)
    assert figures() == before
    assert stats.overview(db, world["management"], [world.org.id], NOW.year - 7) == overview_before
    facts = json.loads(
        db.execute("SELECT facts FROM assessments WHERE incident_id = ?", [ids["closed_old"]]).fetchone()[0]
    )
    assert facts == {"personal_data": True, "people_count": 3, "note": ""}


def test_apply_is_audited_per_incident_and_per_run_with_counts_only(aged):
    db, world, ids = aged
    retention.purge(db, CLI, apply=True, at=NOW)
    purged = audit_log.recent(db, 10, action="incident.purge")
    assert sorted(int(e["object_id"]) for e in purged) == sorted(ids[k] for k in PURGED)
    run = audit_log.recent(db, 1, action="retention.purge")[0]
    assert json.loads(run["detail"])["incidents"] == 3
    assert audit_verify.verify(db).intact


def test_a_second_run_finds_nothing_and_a_purged_incident_still_opens(aged):
    db, world, ids = aged
    retention.purge(db, CLI, apply=True, at=NOW)
    assert retention.purge(db, CLI, apply=False, at=NOW).incidents == []
    assert retention.purge(db, CLI, apply=True, at=NOW).totals["incidents"] == 0
    view = incidents.read_incident(db, world["dpo"], ids["closed_old"])
    assert view.incident.description == retention.PLACEHOLDER
    assert view.incident.reporter_id is None


def test_the_period_counts_from_the_closing_moment(aged):
    db, world, ids = aged
    # reported 3 years ago and closed 30 days later: due 5 years after closing
    closed = clock.from_iso(
        db.execute("SELECT closed_at FROM incidents WHERE id = ?", [ids["closed_recent"]]).fetchone()[0]
    )
    five_years = retention.years_before(closed, -5)
    early = {d.incident_id for d in retention.due(db, CLI, at=five_years - timedelta(minutes=1))}
    assert ids["closed_recent"] not in early
    due = {d.incident_id for d in retention.due(db, CLI, at=five_years + timedelta(minutes=1))}
    assert ids["closed_recent"] in due
    assert ids["other_org_old"] not in due  # ten years there


def test_a_shorter_period_is_set_per_organisation_and_audited(aged):
    db, world, ids = aged
    retention.set_retention_years(db, CLI, world.other_org.id, 5)
    assert retention.retention_years(db, CLI)[world.other_org.id] == 5
    assert ids["other_org_old"] in {d.incident_id for d in retention.due(db, CLI, at=NOW)}
    entry = audit_log.recent(db, 1, action="retention.set")[0]
    assert json.loads(entry["detail"]) == {"old_years": 10, "new_years": 5}


@pytest.mark.parametrize("years", [0, -1, 31, 1000])
def test_a_period_outside_one_to_thirty_years_is_refused_in_dutch(fresh_db, world, years):
    with pytest.raises(InvalidInput) as exc:
        retention.set_retention_years(fresh_db, CLI, world.org.id, years)
    assert "bewaartermijn" in exc.value.errors["retention_years"]


@pytest.mark.parametrize("who", ["reporter", "dpo", "management", "other_dpo"])
@pytest.mark.parametrize(
    "call",
    [
        lambda db, a, w: retention.purge(db, a, apply=True),
        lambda db, a, w: retention.purge(db, a, apply=False),
        lambda db, a, w: retention.set_retention_years(db, a, w.org.id, 1),
        lambda db, a, w: retention.retention_years(db, a),
    ],
    ids=["purge", "dry_run", "set", "read"],
)
def test_only_the_beheerder_manages_retention(aged, who, call):
    db, world, ids = aged
    with pytest.raises(PermissionDenied):
        call(db, world[who], world)
    assert audit_log.recent(db, 1)[0]["action"] == "refused"
    assert db.execute("SELECT count(*) FROM incidents WHERE purged_at IS NOT NULL").fetchone()[0] == 0


def test_the_admin_account_may_purge(aged):
    db, world, ids = aged
    assert retention.purge(db, world["admin"], apply=True, at=NOW).totals["incidents"] == 3


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            {"a": "email_wrong_person", "b": ["x_y", 3, True, None]},
            {"a": "email_wrong_person", "b": ["x_y", 3, True, None]},
        ),
        ({"note": "Mevrouw Jansen belde"}, {"note": ""}),
        ({"when": "2026-11-20T09:00:00+00:00"}, {"when": "2026-11-20T09:00:00+00:00"}),
        ({"nested": [{"t": "Adres: Dorpsstraat 1"}]}, {"nested": [{"t": ""}]}),
        ("x" * 65, ""),
    ],
)
def test_scrub_json_keeps_codes_and_blanks_text(value, expected):
    assert retention.scrub_json(value) == expected


def test_years_before_handles_a_leap_day():
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert retention.years_before(leap, 5) == datetime(2023, 2, 28, 12, tzinfo=UTC)


def test_cli_dry_run_prints_references_and_counts_but_no_text(aged, db_path, monkeypatch):
    db, world, ids = aged
    monkeypatch.setattr(retention.clock, "now", lambda: NOW)
    result = CliRunner().invoke(main, ["purge", "--dry-run", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Proefdraai" in result.output and "incidents: 3" in result.output
    for fragment in ("Jan", "111222333"):
        assert fragment not in result.output
    ref = db.execute("SELECT reference FROM incidents WHERE id = ?", [ids["closed_old"]]).fetchone()[0]
    assert ref in result.output
    assert db.execute("SELECT count(*) FROM incidents WHERE purged_at IS NOT NULL").fetchone()[0] == 0


def test_cli_apply_purges_and_set_retention_changes_the_period(aged, db_path, monkeypatch):
    db, world, ids = aged
    monkeypatch.setattr(retention.clock, "now", lambda: NOW)
    result = CliRunner().invoke(
        main, ["org", "set-retention", "--db", str(db_path), str(world.other_org.id), "5"]
    )
    assert result.exit_code == 0 and "5 jaar" in result.output
    result = CliRunner().invoke(main, ["purge", "--apply", "--db", str(db_path)])
    assert result.exit_code == 0 and "Opgeschoond (incidents: 4" in result.output
    bad = CliRunner().invoke(main, ["org", "set-retention", "--db", str(db_path), "1", "0"])
    assert bad.exit_code != 0 and "bewaartermijn" in bad.output


def test_the_beheerder_sets_the_period_on_the_organisations_page(world, db_path):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    assert not at.exception
    assert list(table_with(at, "Bewaartermijn (jaar)")["Bewaartermijn (jaar)"]) == [5, 5]
    at.selectbox(key="o_ret_org").set_value(world.other_org.id)
    at.number_input(key="o_ret_years").set_value(7)
    next(b for b in at.button if b.label == "Bewaartermijn opslaan").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Bewaartermijn van Jeugdzorg Test: 7 jaar."]
    assert list(table_with(at, "Bewaartermijn (jaar)")["Bewaartermijn (jaar)"]) == [5, 7]
