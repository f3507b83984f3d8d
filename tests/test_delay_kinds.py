"""Issue #17: the kind of a late notification's reason. The FG picks it from a short list when
she records why the notification is late; the figures count the kind (a reason recorded before
kinds existed is sorted by its key words); a changed kind keeps the old one, who and why, moves
the count in the same write (``stats verify`` stays equal) and shows in the audit state."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from datalek import clock
from datalek.accounts import audit_anchor
from datalek.actions import authority, documents
from datalek.cli import main
from datalek.handling import delay
from datalek.insight import figures
from datalek.models import InvalidInput
from datalek.store import stats as stats_sql
from tests.conftest import NOW
from tests.test_outstanding import decide, report

REASON = "De verwerker meldde het lek pas na twee weken."


@pytest.fixture
def at_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def _late_notified(db, world, reason: str, kind: str | None, at) -> int:
    """An incident notified 80 hours after awareness: with the reason recorded on the incident
    with its kind (the notification takes it over), or (``kind`` None) as before kinds existed:
    only the notification's own text."""
    incident = report(db, world, 80)
    decide(db, world, incident, "notify")
    if kind is not None:
        delay.record(db, world["dpo"], incident.id, reason, kind)
    authority.record_initial(db, world["dpo"], incident.id, "M-2026-000777", at, "" if kind else reason)
    return incident.id


def _late_reasons(db) -> dict[str, int]:
    return dict(db.execute("SELECT key, n FROM stats_cube WHERE dimension = 'late_reason'").fetchall())


GROUPING = sorted(
    [
        # the kind wins over the words
        ("De verwerker meldde het lek pas na twee weken.", "internal", "internal"),
        ("Eerst is onderzocht of er persoonsgegevens bij waren.", "processor", "processor"),
        ("Het weekend: niemand las de mail.", "investigation", "investigation"),
        ("Ziekte van de FG.", "other", "other"),
        ("Vergeten.", "processor", "processor"),
        # no kind (recorded before kinds existed): the key words decide
        ("De verwerker meldde het lek pas na twee weken.", None, "processor"),
        ("Eerst is onderzocht of er persoonsgegevens bij waren.", None, "investigation"),
        ("Ziekte van de FG.", None, "internal"),
        ("Vergeten.", None, "other"),
    ],
    key=lambda row: (row[0], row[1] or ""),
)


@pytest.mark.parametrize(("reason", "kind", "group"), GROUPING)
def test_the_kind_wins_over_the_words_and_without_one_the_words_decide(
    fresh_db,
    world,
    at_now,
    reason,
    kind,
    group,
):
    _late_notified(fresh_db, world, reason, kind, at_now)
    assert _late_reasons(fresh_db) == {group: 1}
    assert stats_sql.differences(fresh_db) == ([], 0)


def test_the_kinds_are_the_groups_of_the_figures():
    assert {k: v for k, v in figures.LATE_REASONS.items() if k != "none"} == delay.KINDS


@pytest.mark.parametrize(
    ("kind", "message"),
    [(None, "Kies wat voor reden het is."), ("", "Kies wat voor reden het is."),
     ("weather", "Kies wat voor reden het is.")],
    ids=["missing", "empty", "unknown"],
)  # fmt: skip
def test_a_missing_or_unknown_kind_gets_a_dutch_message_next_to_its_field(
    fresh_db,
    world,
    at_now,
    kind,
    message,
):
    late = report(fresh_db, world, 80)
    with pytest.raises(InvalidInput) as refused:
        delay.record(fresh_db, world["dpo"], late.id, REASON, kind)
    assert refused.value.errors == {"kind": message}
    row = fresh_db.execute(
        "SELECT delay_reason, delay_kind FROM incidents WHERE id = ?", [late.id]
    ).fetchone()
    assert tuple(row) == ("", "")


def test_a_changed_kind_keeps_the_old_one_moves_the_count_and_verify_stays_equal(
    fresh_db,
    world,
    at_now,
    db_path,
):
    incident_id = _late_notified(fresh_db, world, REASON, "processor", at_now)
    assert _late_reasons(fresh_db) == {"processor": 1}
    state_before = audit_anchor.state_hash(fresh_db, incident_id)
    delay.record(fresh_db, world["dpo"], incident_id, REASON, "investigation")
    assert _late_reasons(fresh_db) == {"investigation": 1}
    assert stats_sql.differences(fresh_db) == ([], 0)
    verified = CliRunner().invoke(main, ["stats", "verify", "--db", str(db_path)])
    assert verified.exit_code == 0, verified.output
    assert "De cijfers kloppen" in verified.output
    (change,) = fresh_db.query("SELECT * FROM incident_changes WHERE incident_id = ?", [incident_id])
    assert {k: change[k] for k in ("field", "old_value", "new_value", "reason", "after_notification")} == {
        "field": "delay_kind",
        "old_value": "processor",
        "new_value": "investigation",
        "reason": "Soort reden van vertraging aangepast",
        "after_notification": 1,
    }
    assert change["changed_by"] == world["dpo"].user_id
    assert audit_anchor.state_hash(fresh_db, incident_id) != state_before
    details = [
        json.loads(d)
        for (d,) in fresh_db.execute(
            "SELECT detail FROM audit_log WHERE action = 'incident.delay_reason' AND object_id = ?",
            [str(incident_id)],
        )
    ]
    assert [(d["replaced"], d["kind"]) for d in details] == [(False, "processor"), (True, "investigation")]
    assert all(REASON not in json.dumps(d) for d in details)


def test_a_replaced_reason_and_kind_keep_both_old_values(fresh_db, world, at_now):
    late = report(fresh_db, world, 80)
    delay.record(fresh_db, world["dpo"], late.id, REASON, "processor")
    delay.record(fresh_db, world["dpo"], late.id, "Het weekend: niemand las de mail.", "internal")
    changes = fresh_db.execute(
        "SELECT field, old_value, new_value FROM incident_changes WHERE incident_id = ? ORDER BY id",
        [late.id],
    ).fetchall()
    assert [tuple(c) for c in changes] == [
        ("delay_reason", REASON, "Het weekend: niemand las de mail."),
        ("delay_kind", "processor", "internal"),
    ]


def test_a_kind_changed_outside_the_app_recounts_and_shows_in_the_audit_state(
    fresh_db,
    world,
    at_now,
):
    """Plain SQL (another process, a repair): the roll-up's trigger follows ``delay_kind``, and
    the incident's audit state covers it."""
    incident_id = _late_notified(fresh_db, world, REASON, "processor", at_now)
    before = audit_anchor.state_hash(fresh_db, incident_id)
    fresh_db.execute("UPDATE incidents SET delay_kind = 'other' WHERE id = ?", [incident_id])
    fresh_db.conn.commit()
    assert _late_reasons(fresh_db) == {"other": 1}
    assert stats_sql.differences(fresh_db) == ([], 0)
    assert audit_anchor.state_hash(fresh_db, incident_id) != before


def test_the_concept_and_the_register_give_the_kind_in_dutch(fresh_db, world, at_now):
    from datalek.insight import register_export

    incident_id = _late_notified(fresh_db, world, REASON, "processor", at_now - timedelta(hours=1))
    draft = documents.draft_notification(fresh_db, world["dpo"], incident_id)
    expected = f"Soort reden: Een verwerker of andere partij meldde het laat.\n{REASON}"
    assert draft.answers()["2.late_reason"] == expected
    rows = register_export.rows(fresh_db, world.org.id, at_now.year)
    assert [r["Reden vertraging"] for r in rows] == [expected]
