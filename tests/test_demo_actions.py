"""Demo follow-up data: AP notifications (late ones with a reason, supplements, one
withdrawal), postponements, informed recipients and measures in every state — and every
closed breach is complete in the register."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from datalek import clock, store
from datalek.actions import authority, households
from datalek.demo import dataset
from datalek.handling import completeness
from datalek.store import actions as actions_sql
from datalek.store import households as households_sql

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "follow_up.db"
    dataset.generate(str(path), 3000, 3, 11, now=NOW, with_accounts=False)
    return path


def query(path, sql: str) -> list[dict]:
    with store.unit(path) as db:
        return list(db.query(sql))


def test_notifications_include_late_ones_with_a_reason_supplements_and_one_withdrawal(demo_db):
    rows = query(
        demo_db,
        "SELECT n.*, i.aware_at FROM authority_notifications n JOIN incidents i ON i.id = n.incident_id",
    )
    kinds = [r["kind"] for r in rows]
    assert kinds.count("withdrawal") == 1 and kinds.count("supplement") > 0
    initial = [r for r in rows if r["kind"] == "initial"]
    late = [
        r
        for r in initial
        if authority.is_late(clock.from_iso(r["aware_at"]), clock.from_iso(r["submitted_at"]))
    ]
    assert 0 < len(late) < len(initial) / 2
    assert all(r["late_reason"] for r in late)
    assert not any(r["late_reason"] for r in initial if r not in late)


def test_only_decisions_to_notify_have_a_notification(demo_db):
    wrong = query(
        demo_db,
        """
        SELECT n.incident_id FROM authority_notifications n
        JOIN decisions d ON d.incident_id = n.incident_id
        WHERE d.notify_authority = 0 OR d.kind != 'breach'""",
    )
    assert wrong == []


def test_measures_occur_in_every_state_and_some_are_overdue(demo_db):
    states = {r["status"] for r in query(demo_db, "SELECT DISTINCT status FROM measures")}
    assert states == {"planned", "in_progress", "done", "cancelled"}
    with store.unit(demo_db) as db:
        assert actions_sql.overdue_measures(
            db, [o["id"] for o in db.query("SELECT id FROM organisations")], "2026-11-20"
        )


def test_postponements_only_on_open_youth_care_incidents(demo_db):
    rows = query(
        demo_db,
        """
        SELECT c.*, i.status, o.youth_care FROM safety_checks c
        JOIN incidents i ON i.id = c.incident_id JOIN organisations o ON o.id = i.org_id
        WHERE c.risk = 1""",
    )
    assert rows
    assert all(r["reason"] and r["review_on"] and r["status"] == "decided" and r["youth_care"] for r in rows)


def test_every_closed_incident_is_complete_in_the_register(demo_db):
    with store.unit(demo_db) as db:
        closed = [r["id"] for r in db.query("SELECT id FROM incidents WHERE status = 'closed'")]
        assert closed
        incomplete = {i: gaps for i in closed if (gaps := completeness.documentation_gaps(db, i))}
    assert incomplete == {}


def test_closed_incidents_have_a_closing_moment_and_repeats_are_marked(demo_db):
    assert query(
        demo_db, "SELECT count(*) AS n FROM incidents WHERE status = 'closed' AND closed_at IS NULL"
    ) == [{"n": 0}]
    repeats = query(
        demo_db,
        """
        SELECT i.reported_at AS later, p.reported_at AS earlier, i.department, p.department AS d2,
               i.incident_type, p.incident_type AS t2
        FROM incidents i JOIN incidents p ON p.id = i.repeat_of""",
    )
    assert repeats
    assert all(
        r["department"] == r["d2"] and r["incident_type"] == r["t2"] and r["earlier"] < r["later"]
        for r in repeats
    )


# --- families on the informing list (issue #15) ----------------------------------------------------


def _families(path) -> dict[str, list[dict]]:
    with store.unit(path) as db:
        return {
            table: list(db.query(f"SELECT * FROM {table} ORDER BY id"))
            for table in ("households", "household_members", "household_safety", "letters")
        } | {
            "notices": list(db.query("SELECT * FROM subject_notices WHERE member_id IS NOT NULL ORDER BY id"))
        }


def test_youth_care_incidents_get_families_of_every_kind(demo_db):
    found = _families(demo_db)
    assert found["households"] and found["letters"]
    on_youth_care = query(
        demo_db,
        """
        SELECT DISTINCT o.youth_care, d.inform_subjects FROM households h
        JOIN incidents i ON i.id = h.incident_id JOIN organisations o ON o.id = i.org_id
        JOIN decisions d ON d.incident_id = i.id""",
    )
    assert {(r["youth_care"], r["inform_subjects"]) for r in on_youth_care} <= {(1, "yes"), (1, "later")}
    members = found["household_members"]
    relations = {m["relation"] for m in members}
    assert {"child", "parent_gezag", "parent_no_gezag"} <= relations
    ages = {
        (NOW.date() - date.fromisoformat(m["birth_date"])).days // 366 for m in members if m["birth_date"]
    }
    assert {a for a in ages if a < 12} and {a for a in ages if 12 <= a < 16} and {a for a in ages if a >= 16}


def test_one_flagged_parent_and_a_postponed_family_on_an_open_incident(demo_db):
    found = _families(demo_db)
    flagged = [(j, json.loads(j["flagged"])) for j in found["household_safety"] if json.loads(j["flagged"])]
    [(judgement, [parent])] = flagged
    assert judgement["postponed"] == 1 and judgement["reason"] and judgement["review_on"] > "2026-11-20"
    [member] = [m for m in found["household_members"] if m["id"] == parent]
    assert member["relation"] == "parent_gezag" and member["household_id"] == judgement["household_id"]
    status = query(demo_db, f"SELECT status FROM incidents WHERE id = {judgement['incident_id']}")
    assert status == [{"status": "decided"}]
    in_family = {
        m["id"] for m in found["household_members"] if m["household_id"] == judgement["household_id"]
    }
    assert not [x for x in found["letters"] + found["notices"] if x["member_id"] in in_family]
    with store.unit(demo_db) as db:
        orgs = [o["id"] for o in db.query("SELECT id FROM organisations")]
        assert [p["household_id"] for p in households_sql.open_postponements(db, orgs)] == [
            judgement["household_id"]
        ]


def test_letters_made_and_sent_are_exactly_what_the_gate_allows(demo_db):
    found = _families(demo_db)
    letters_by_id = {x["id"]: x for x in found["letters"]}
    assert len(found["notices"]) >= 10
    assert all(x["sha256"] == hashlib.sha256(x["text"].encode()).hexdigest() for x in found["letters"])
    assert sorted(n["letter_id"] for n in found["notices"]) == sorted(letters_by_id)  # each sent once
    with store.unit(demo_db) as db:
        for notice in found["notices"]:
            letter = letters_by_id[notice["letter_id"]]
            assert (notice["member_id"], notice["recipient"], notice["people_count"]) == (
                letter["member_id"], letter["reader"], 1,
            )  # fmt: skip
            listed = households.load(db, notice["incident_id"])
            day = date.fromisoformat(notice["informed_on"])
            assert listed.may_make_letter(notice["member_id"], day) == (True, "")
            [house] = [h for h in listed.households if any(m.id == notice["member_id"] for m in h.members)]
            [proposal] = [p for p in house.proposals(day) if p.member_id == notice["member_id"]]
            assert proposal.reader.value == letter["reader"]
            reference = query(demo_db, f"SELECT reference FROM incidents WHERE id = {notice['incident_id']}")
            assert f"Ons kenmerk: {reference[0]['reference']}" in letter["text"]


def test_the_families_are_the_same_for_the_same_seed(demo_db, tmp_path_factory):
    again = tmp_path_factory.mktemp("demo") / "again.db"
    dataset.generate(str(again), 3000, 3, 11, now=NOW, with_accounts=False)

    def shape(path):
        return {
            t: [{k: v for k, v in r.items() if k != "id"} for r in rows]
            for t, rows in _families(path).items()
        }

    made = shape(demo_db)
    assert made["letters"] and shape(again) == made
