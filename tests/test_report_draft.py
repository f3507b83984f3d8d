"""A report being written, kept as a draft per account (``handling.report_drafts``): stored
when the answers change, brought back for its owner only, gone after 24 hours, and deleted
in the same transaction that stores the report."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents, report_drafts, retention
from datalek.models import Actor
from datalek.store import audit_log
from tests.conftest import NOW, make_report

TYPED = {
    "situation": "email_wrong_person",
    "occurrence": "period",
    "from_date": date(2026, 11, 19),
    "from_time": time(9, 30),
    "to_date": date(2026, 11, 19),
    "to_time": time(11, 0),
    "found_date": date(2026, 11, 20),
    "found_time": time(8, 15),
    "department": "Wijkteam Zuid",
    "data_kinds": ["name_address", "care_file"],
    "subject_groups": ["children"],
    "count_kind": "exact",
    "count": 4,
    "protection": "none",
    "recipients": ["known_person"],
    "retrieval": "unconfirmed",
    "actions": "Ontvanger gebeld.",
    "description": "Verslag met BSN 111222333 naar de verkeerde ouder gestuurd.",
}


def draft_rows(db) -> list[dict]:
    return list(db.query("SELECT user_id, answers, updated_at FROM report_drafts ORDER BY user_id"))


def refusals(db) -> list[dict]:
    return [{**e, "detail": json.loads(e["detail"])} for e in audit_log.recent(db, 10_000, "refused")]


def keep(db, actor, answers, last=None, at=NOW) -> str:
    return report_drafts.keep(db, actor, actor.user_id, answers, last, at)


# --- what a draft holds --------------------------------------------------------------------


def test_every_answer_of_the_form_comes_back_as_it_was_typed(fresh_db, world):
    reporter = world["reporter"]
    keep(fresh_db, reporter, {**TYPED, "org": world.org.id})
    draft = report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW + timedelta(minutes=5))
    assert draft.answers == {**TYPED, "org": world.org.id}
    assert draft.updated_at == NOW
    # what the employee typed, identifiers included: redaction comes after "Versturen"
    assert "111222333" in draft.answers["description"]


def test_only_known_answers_that_fit_are_kept():
    encoded = report_drafts.encode(
        {
            "situation": "not_a_situation",
            "occurrence": "moment",
            "data_kinds": ["care_file", "nonsense", "name_address", "care_file"],
            "count": -1,
            "department": "   ",
            "description": "x" * 9000,
            "found_time": "10:00",  # a time from a widget is a time, not text
            "password": "secret",
        }
    )
    assert encoded == {
        "occurrence": "moment",
        "data_kinds": ["name_address", "care_file"],  # the form's order, once each
        "description": "x" * 8000,  # twice the form's limit, no more
    }
    assert report_drafts.decode({"from_date": "2026-02-30", "to_time": "25:00", "count": True}) == {}
    assert report_drafts.decode("not a dict") == {}


def test_the_discovery_moment_alone_is_not_worth_a_draft(fresh_db, world):
    reporter = world["reporter"]
    text = keep(fresh_db, reporter, {"found_date": date(2026, 11, 20), "found_time": time(8, 0)})
    assert text == ""
    assert draft_rows(fresh_db) == []


# --- one small write, only when something changed ------------------------------------------


def test_unchanged_answers_are_not_written_again(fresh_db, world):
    reporter = world["reporter"]
    first = keep(fresh_db, reporter, TYPED)
    assert keep(fresh_db, reporter, dict(TYPED), last=first, at=NOW + timedelta(hours=1)) == first
    (row,) = draft_rows(fresh_db)
    assert clock.from_iso(row["updated_at"]) == NOW  # not touched

    changed = keep(fresh_db, reporter, {**TYPED, "count": 5}, last=first, at=NOW + timedelta(hours=1))
    assert changed != first
    (row,) = draft_rows(fresh_db)
    assert clock.from_iso(row["updated_at"]) == NOW + timedelta(hours=1)
    assert json.loads(row["answers"])["count"] == 5


def test_clearing_every_answer_deletes_the_draft(fresh_db, world):
    reporter = world["reporter"]
    first = keep(fresh_db, reporter, TYPED)
    assert keep(fresh_db, reporter, {"description": ""}, last=first) == ""
    assert draft_rows(fresh_db) == []
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW) is None


def test_one_draft_per_account(fresh_db, world):
    keep(fresh_db, world["reporter"], TYPED)
    keep(fresh_db, world["reporter2"], {"department": "Wmo"})
    keep(fresh_db, world["reporter"], {"department": "Jeugd"})
    rows = draft_rows(fresh_db)
    assert [r["user_id"] for r in rows] == [world["reporter"].user_id, world["reporter2"].user_id]
    assert json.loads(rows[0]["answers"]) == {"department": "Jeugd"}


# --- the owner only -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter2", "dpo", "management", "admin", "other_reporter", "cli"])
@pytest.mark.parametrize("call", ["load", "keep", "discard"])
def test_nobody_but_the_owner_reads_writes_or_deletes_a_draft(fresh_db, world, who, call):
    owner = world["reporter"]
    keep(fresh_db, owner, TYPED)
    intruder = Actor.cli() if who == "cli" else world[who]
    before = draft_rows(fresh_db)
    with pytest.raises(PermissionDenied) as refused:
        if call == "load":
            report_drafts.load(fresh_db, intruder, owner.user_id, at=NOW)
        elif call == "keep":
            report_drafts.keep(fresh_db, intruder, owner.user_id, {"department": "X"}, None, NOW)
        else:
            report_drafts.discard(fresh_db, intruder, owner.user_id)
    assert refused.value.action == "report.draft"
    (entry,) = refusals(fresh_db)
    assert entry["actor_id"] == intruder.user_id
    assert entry["object_type"] == "user" and entry["object_id"] == str(owner.user_id)
    assert entry["detail"]["attempted"] == "report.draft"
    assert draft_rows(fresh_db) == before


@pytest.mark.parametrize("who", ["management", "admin"])
def test_roles_that_do_not_report_have_no_draft_of_their_own(fresh_db, world, who):
    actor = world[who]
    with pytest.raises(PermissionDenied):
        keep(fresh_db, actor, TYPED)
    assert draft_rows(fresh_db) == []


def test_the_dpo_who_reports_has_a_draft_like_anyone(fresh_db, world):
    dpo = world["dpo"]
    keep(fresh_db, dpo, TYPED)
    assert report_drafts.load(fresh_db, dpo, dpo.user_id, at=NOW).answers == TYPED
    assert report_drafts.load(fresh_db, world["reporter"], world["reporter"].user_id, at=NOW) is None


def test_an_organisation_the_owner_left_is_not_brought_back(fresh_db, world):
    reporter = world["reporter"]
    keep(fresh_db, reporter, {**TYPED, "org": world.other_org.id})
    draft = report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW)
    assert "org" not in draft.answers
    assert draft.answers == TYPED


def test_a_damaged_draft_is_not_brought_back(fresh_db, world):
    reporter = world["reporter"]
    with store.write(fresh_db):
        fresh_db.execute(
            "INSERT INTO report_drafts (user_id, answers, updated_at) VALUES (?, ?, ?)",
            [reporter.user_id, "{not json", clock.to_iso(NOW)],
        )
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW) is None


# --- 24 hours --------------------------------------------------------------------------------


def test_a_draft_lives_24_hours(fresh_db, world):
    reporter = world["reporter"]
    keep(fresh_db, reporter, TYPED)
    almost = NOW + report_drafts.MAX_AGE - timedelta(seconds=1)
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=almost) is not None
    assert (
        report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW + report_drafts.MAX_AGE) is not None
    )
    late = NOW + report_drafts.MAX_AGE + timedelta(seconds=1)
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=late) is None
    assert draft_rows(fresh_db) == []  # deleted, not only hidden


def test_reading_or_writing_a_draft_deletes_everyone_elses_expired_draft(fresh_db, world):
    keep(fresh_db, world["reporter2"], {"department": "Wmo"}, at=NOW - timedelta(hours=30))
    keep(fresh_db, world["dpo"], {"department": "FG"}, at=NOW - timedelta(hours=2))
    reporter = world["reporter"]
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW) is None
    assert [r["user_id"] for r in draft_rows(fresh_db)] == [world["dpo"].user_id]

    keep(fresh_db, world["reporter2"], {"department": "Wmo"}, at=NOW - timedelta(hours=30))
    keep(fresh_db, reporter, TYPED, at=NOW)
    assert [r["user_id"] for r in draft_rows(fresh_db)] == [reporter.user_id, world["dpo"].user_id]


def test_the_retention_purge_deletes_expired_drafts(fresh_db, world):
    keep(fresh_db, world["reporter2"], {"department": "Wmo"}, at=NOW - timedelta(hours=25))
    keep(fresh_db, world["reporter"], TYPED, at=NOW - timedelta(hours=1))
    retention.purge(fresh_db, Actor.cli(), apply=False, at=NOW)
    assert len(draft_rows(fresh_db)) == 2  # a dry run changes nothing
    retention.purge(fresh_db, Actor.cli(), apply=True, at=NOW)
    assert [r["user_id"] for r in draft_rows(fresh_db)] == [world["reporter"].user_id]


# --- sending the report --------------------------------------------------------------------


def test_sending_the_report_deletes_the_senders_draft_only(fresh_db, world):
    reporter = world["reporter"]
    keep(fresh_db, reporter, TYPED)
    keep(fresh_db, world["reporter2"], {"department": "Wmo"})
    incidents.submit_report(fresh_db, reporter, make_report(world.org.id), at=NOW)
    assert [r["user_id"] for r in draft_rows(fresh_db)] == [world["reporter2"].user_id]
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW) is None


def test_a_report_that_is_not_stored_keeps_the_draft(fresh_db, world, monkeypatch):
    """The draft goes in the report's own transaction: when that rolls back, the draft stays."""
    reporter = world["reporter"]
    keep(fresh_db, reporter, TYPED)

    def broken(*args, **kwargs):
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError):
        incidents.submit_report(fresh_db, reporter, make_report(world.org.id), at=NOW)
    monkeypatch.undo()
    assert fresh_db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
    assert report_drafts.load(fresh_db, reporter, reporter.user_id, at=NOW).answers == TYPED


def test_throwing_a_draft_away(fresh_db, world):
    reporter = world["reporter"]
    keep(fresh_db, reporter, TYPED)
    report_drafts.discard(fresh_db, reporter, reporter.user_id)
    assert draft_rows(fresh_db) == []


# --- the notice ----------------------------------------------------------------------------


def test_the_notice_says_when_the_report_was_being_written():
    stored = clock.local_to_utc(datetime(2026, 11, 20, 9, 41))
    same_day = clock.local_to_utc(datetime(2026, 11, 20, 17, 0))
    next_day = clock.local_to_utc(datetime(2026, 11, 21, 8, 0))
    today = report_drafts.restored_message(stored, same_day)
    assert today.startswith("We hebben je melding van vandaag om 09:41 teruggezet.")
    assert report_drafts.restored_message(stored, next_day).startswith(
        "We hebben je melding van 20-11-2026 om 09:41 teruggezet."
    )
