"""Retention: incidents closed longer ago than their organisation's retention period lose
every free text and personal link, keep every figure, and the purge is audited."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

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
#: The informing list's personal references: a file number (and the one it replaced), a birth
#: date (and the one it replaced). 13 on the date the family was informed, an adult by the purge.
FILE_REF, OLD_REF = "D-2019/8841", "D-2019/8840"
BIRTH, OLD_BIRTH = "2006-03-01", "2006-03-10"
PERSONAL = (FILE_REF, OLD_REF, BIRTH, OLD_BIRTH)


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
            " motivation, deviates, deviation_motivation, advice, decided_at, consulted)"
            " VALUES (?, 'breach', 1, 'yes', ?, 1, ?, '{}', ?, ?)",
            [i, SECRET, SECRET, a, SECRET],
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
            "INSERT INTO public_notices (incident_id, text, published_on, published_where, recorded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [i, SECRET, a[:10], SECRET, a],
        )
        _informing_list(db, i, a)
        db.execute(
            "INSERT INTO measures (incident_id, org_id, kind, description, owner, due_on, status,"
            " done_on, created_at, updated_at) VALUES (?, ?, 'preventive', ?, ?, ?, 'done', ?, ?, ?)",
            [i, org, SECRET, SECRET, a[:10], a[:10], a, a],
        )
        _lesson_and_evidence(db, i, a)
        _moments_and_parties(db, i, org, a)
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


def _informing_list(db, i: int, a: str) -> None:
    """A family on the incident's list: a child with a birth date (informed by letter, and both
    their file number and birth date corrected once), a parent flagged as a safety risk, every
    reason and the label free text; the letter the child got."""
    house = db.execute(
        "INSERT INTO households (incident_id, label, created_at) VALUES (?, ?, ?)", [i, SECRET, a]
    ).lastrowid
    child = db.execute(
        "INSERT INTO household_members (household_id, incident_id, file_ref, relation, birth_date,"
        " parents_withheld, parents_withheld_reason, deviation, deviation_reader, deviation_reason,"
        " recorded_at) VALUES (?, ?, ?, 'child', ?, 'harm', ?, 'include', 'young_12_15', ?, ?)",
        [house, i, FILE_REF, BIRTH, SECRET, SECRET, a],
    ).lastrowid
    parent = db.execute(
        "INSERT INTO household_members (household_id, incident_id, file_ref, relation, removed_at,"
        " removed_reason, recorded_at) VALUES (?, ?, 'O-77', 'parent_gezag', ?, ?, ?)",
        [house, i, a, SECRET, a],
    ).lastrowid
    for field, old, new in [("file_ref", OLD_REF, FILE_REF), ("birth_date", OLD_BIRTH, BIRTH),
                            ("relation", "parent_gezag", "child")]:  # fmt: skip
        db.execute(
            "INSERT INTO member_changes (member_id, incident_id, field, old_value, new_value, reason,"
            " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [child, i, field, old, new, SECRET, a],
        )
    db.execute(
        "INSERT INTO household_safety (household_id, incident_id, flagged, concern, postponed, reason,"
        " review_on, recorded_at) VALUES (?, ?, ?, 'violent_partner', 1, ?, ?, ?)",
        [house, i, json.dumps([parent]), SECRET, a[:10], a],
    )
    letter = db.execute(
        "INSERT INTO letters (incident_id, member_id, reader, template_version, text, sha256, made_at)"
        " VALUES (?, ?, 'young_12_15', 3, ?, ?, ?)",
        [i, child, SECRET, hashlib.sha256(SECRET.encode()).hexdigest(), a],
    ).lastrowid
    db.execute(
        "INSERT INTO subject_notices (incident_id, recipient, people_count, informed_on, channel,"
        " recorded_at, member_id, letter_id) VALUES (?, 'young_12_15', 1, ?, 'letter', ?, ?, ?)",
        [i, a[:10], a, child, letter],
    )


def _lesson_and_evidence(db, i: int, a: str) -> None:
    """What was learned at the closing (no preventive measure, and why not), both in the FG's
    own words; a file attached as evidence, its name and note free text."""
    db.execute(
        "INSERT INTO lessons (incident_id, theme, learned, prevention, no_measure_reason, recorded_at)"
        " VALUES (?, 'email', ?, 'none', ?, ?)",
        [i, SECRET, SECRET, a],
    )
    content = f"Bewijs bij melding {i}.".encode()
    digest = hashlib.sha256(content).hexdigest()
    db.execute(
        "INSERT INTO evidence_blobs (sha256, size, content) VALUES (?, ?, ?)", [digest, len(content), content]
    )
    db.execute(
        "INSERT INTO evidence (incident_id, file_name, media_type, size, sha256, note, added_at)"
        " VALUES (?, ?, 'text/plain; charset=utf-8', ?, ?, ?, ?)",
        [i, f"{SECRET}.txt", len(content), digest, SECRET, a],
    )


def _report(org_id: int, at: datetime, **changes):
    return make_report(
        org_id,
        now=at,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
        **changes,
    )


def _moments_and_parties(db, i: int, org: int, a: str) -> None:
    """Free text about the moments (who told us, why late, why a moment changed) and about the
    processors and partners involved (why a link was removed or changed)."""
    db.execute("UPDATE incidents SET aware_source = ?, delay_reason = ? WHERE id = ?", [SECRET, SECRET, i])
    db.execute(
        "INSERT INTO incident_changes (incident_id, field, old_value, new_value, reason, changed_at)"
        " VALUES (?, 'aware_source', ?, ?, ?, ?), (?, 'delay_reason', ?, ?, ?, ?),"
        " (?, 'aware_at', ?, ?, ?, ?)",
        [i, SECRET, SECRET, SECRET, a, i, SECRET, SECRET, SECRET, a, i, a, a, SECRET, a],
    )
    party = db.execute(
        "INSERT INTO parties (org_id, kind, name, created_at) VALUES (?, 'processor', 'Cloudzorg BV', ?)",
        [org, a],
    ).lastrowid
    link = db.execute(
        "INSERT INTO incident_parties (incident_id, party_id, roles, added_at, removed_at, removed_reason)"
        " VALUES (?, ?, '[\"caused\"]', ?, ?, ?)",
        [i, party, a, a, SECRET],
    ).lastrowid
    db.execute(
        "INSERT INTO incident_party_changes (link_id, incident_id, field, old_value, new_value, reason,"
        " changed_at) VALUES (?, ?, 'roles', '[]', '[\"caused\"]', ?, ?)",
        [link, i, SECRET, a],
    )


def _incident_tables(db) -> list[str]:
    """Every table with a row per incident: a new one is checked without being named here."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [t for t in tables if "incident_id" in {c.name for c in db[t].columns}]


def _texts(db, incident_id: int) -> str:
    """Every value of every row that belongs to the incident, as one string."""
    dump = [json.dumps(r) for r in db.query("SELECT * FROM incidents WHERE id = ?", [incident_id])]
    for table in _incident_tables(db):
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
        "household_members": 2,
        "letters": 1,
        "lessons": 1,
        "evidence": 1,
    }


def test_apply_removes_every_free_text_and_the_reporter(aged):
    db, world, ids = aged
    result = retention.purge(db, CLI, apply=True, at=NOW)
    assert result.applied and result.totals["incidents"] == 3
    for key in PURGED:
        dump = _texts(db, ids[key])
        for fragment in ("Jan", "111222333", "jan@voorbeeld", "Vries", *PERSONAL):
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


def test_the_informing_list_keeps_its_figures_and_loses_its_personal_references(aged):
    """A person keeps the relation and an age band (the age on the date they were informed, so
    the figures of that year stay right); the file number and birth date go, also from the
    changes; labels and reasons become the placeholder; a letter keeps its hash and template."""
    db, world, ids = aged
    i = ids["closed_old"]
    keep = [
        "SELECT id, created_at FROM households WHERE incident_id = ?",
        "SELECT id, household_id, relation, competent, consent_parents, parents_withheld, deviation,"
        " deviation_reader, removed_at, recorded_at FROM household_members WHERE incident_id = ?",
        "SELECT old_value, new_value, changed_at FROM member_changes WHERE incident_id = ? AND field = 'relation'",
        "SELECT flagged, concern, postponed, review_on, recorded_at FROM household_safety WHERE incident_id = ?",
        "SELECT member_id, reader, template_version, sha256, made_at FROM letters WHERE incident_id = ?",
        "SELECT member_id, letter_id, informed_on FROM subject_notices WHERE incident_id = ?",
    ]

    def figures():
        return [list(db.query(sql, [i])) for sql in keep]

    before = figures()
    assert all(before)
    retention.purge(db, CLI, apply=True, at=NOW)
    after = figures()
    assert after == before
    members = list(db.query("SELECT * FROM household_members WHERE incident_id = ? ORDER BY id", [i]))
    assert [(m["file_ref"], m["birth_date"], m["age_band"]) for m in members] == [
        ("", None, "12_15"),
        ("", None, None),
    ]
    assert [m["parents_withheld_reason"] for m in members] == [retention.PLACEHOLDER, ""]
    assert [m["removed_reason"] for m in members] == ["", retention.PLACEHOLDER]
    assert members[0]["deviation_reason"] == retention.PLACEHOLDER
    changes = {r["field"]: r for r in db.query("SELECT * FROM member_changes WHERE incident_id = ?", [i])}
    for field in ("file_ref", "birth_date"):
        assert (changes[field]["old_value"], changes[field]["new_value"]) == (retention.PLACEHOLDER,) * 2
    assert {r["reason"] for r in changes.values()} == {retention.PLACEHOLDER}
    [label] = db.execute("SELECT label FROM households WHERE incident_id = ?", [i]).fetchone()
    [(reason, text, where)] = db.execute(
        "SELECT s.reason, l.text, p.published_where FROM household_safety s, letters l, public_notices p"
        " WHERE s.incident_id = ? AND l.incident_id = s.incident_id AND p.incident_id = s.incident_id",
        [i],
    ).fetchall()
    assert (label, reason, text, where) == (retention.PLACEHOLDER,) * 4


def test_a_lesson_keeps_its_theme_and_measure_and_loses_its_words(aged):
    """What was learned and why no measure follows are the FG's own words, and may name people:
    the placeholder replaces them. The theme, the choice and the measure stay, so the count of
    lessons per theme in the yearly report survives the purge."""
    from datalek.handling import lessons

    db, world, ids = aged
    i = ids["closed_old"]
    measure_id = db.execute("SELECT id FROM measures WHERE incident_id = ?", [i]).fetchone()[0]
    with store.write(db):  # a re-closing: its lesson names a measure, with no reason to blank
        db.execute(
            "INSERT INTO lessons (incident_id, theme, learned, prevention, measure_id, recorded_at)"
            " VALUES (?, 'access', ?, 'measure', ?, ?)",
            [i, SECRET, measure_id, _iso(NOW)],
        )
        audit.append(db, None, "lesson.record", "incident", i)  # the state, as the app would
    kept = "SELECT id, incident_id, theme, prevention, measure_id, recorded_by, recorded_at FROM lessons"
    before, year = list(db.query(kept + " ORDER BY id")), NOW.year - 7
    counted = lessons.counts_by_theme(db, [world.org.id], year)
    assert counted and before
    retention.purge(db, CLI, apply=True, at=NOW)
    assert list(db.query(kept + " ORDER BY id")) == before
    assert lessons.counts_by_theme(db, [world.org.id], year) == counted
    texts = [
        tuple(r)
        for r in db.execute("SELECT learned, no_measure_reason FROM lessons WHERE incident_id = ?", [i])
    ]
    assert texts == [(retention.PLACEHOLDER, retention.PLACEHOLDER), (retention.PLACEHOLDER, "")]
    assert SECRET in _texts(db, ids["closed_recent"])  # not due yet: its lesson stays as written
    assert audit_verify.verify(db).intact


def test_the_purge_report_names_every_table_it_counts_in_dutch(aged):
    """The beheerder reads the purge in the audit trail: each table counted, by its Dutch name."""
    from datalek.accounts import audit_labels, audit_trail
    from datalek.store import retention as retention_sql

    db, world, ids = aged
    assert sorted(t for t in retention_sql.COUNTED if t not in audit_labels.TABLES) == []
    retention.purge(db, CLI, apply=True, at=NOW)
    [entry] = [
        e
        for e in audit_trail.readable_entries(db, world["admin"], 20)
        if e.action == "Melding opgeschoond (bewaartermijn)"
        and e.about.endswith(
            db.execute("SELECT reference FROM incidents WHERE id = ?", [ids["closed_old"]]).fetchone()[0]
        )
    ]
    for phrase in (
        "Lessen: 1.",
        "Bewijsstukken: 1.",
        "Personen op de lijst om te informeren: 2.",
        "Brieven: 1.",
    ):
        assert phrase in entry.details, entry.details
    assert "_" not in entry.details


# The age on the date of informing (a letter's notice), else on the day the person was recorded.
INFORMED, RECORDED = date(2019, 11, 21), date(2019, 10, 1)
AGES = {
    "informed-on-12th-birthday": (date(2007, 11, 21), True, "12_15"),
    "informed-day-before-12th-birthday": (date(2007, 11, 22), True, "under_12"),
    "informed-on-16th-birthday": (date(2003, 11, 21), True, "16_17"),
    "informed-day-before-18th-birthday": (date(2001, 11, 22), True, "16_17"),
    "informed-on-18th-birthday": (date(2001, 11, 21), True, "adult"),
    "not-informed-recorded-on-16th-birthday": (date(2003, 10, 1), False, "16_17"),
    "not-informed-recorded-day-before-16th-birthday": (date(2003, 10, 2), False, "12_15"),
    "leap-day-born-not-yet-12-on-28-february": (date(2008, 2, 29), False, "under_12"),
}


@pytest.mark.parametrize("case", AGES)
def test_the_age_band_kept_at_purge_is_the_age_when_informed(fresh_db, world, case):
    from datalek.actions import recipients
    from datalek.actions.addressees import AgeBand, Relation

    birth, informed, band = AGES[case]
    recorded = date(2020, 2, 28) if "leap" in case else RECORDED
    made = _incident(fresh_db, world, at=NOW - timedelta(days=365 * 7))
    with store.write(fresh_db):
        house = fresh_db.execute("SELECT id FROM households WHERE incident_id = ?", [made.id]).fetchone()[0]
        member = fresh_db.execute(
            "INSERT INTO household_members (household_id, incident_id, file_ref, relation, birth_date,"
            " recorded_at) VALUES (?, ?, 'K-1', 'child', ?, ?)",
            [house, made.id, birth.isoformat(), f"{recorded.isoformat()}T12:00:00+00:00"],
        ).lastrowid
        if informed:
            fresh_db.execute(
                "INSERT INTO subject_notices (incident_id, recipient, people_count, informed_on, channel,"
                " recorded_at, member_id) VALUES (?, 'parents', 1, ?, 'letter', ?, ?)",
                [made.id, INFORMED.isoformat(), _iso(NOW), member],
            )
    on = INFORMED if informed else recorded
    rule = recipients.age_band_on(recipients.Member(member, Relation.CHILD, birth), on)
    assert rule is AgeBand(band)  # the rules of informing agree with the table
    retention.purge(fresh_db, CLI, apply=True, at=NOW)
    row = fresh_db.execute(
        "SELECT birth_date, age_band FROM household_members WHERE id = ?", [member]
    ).fetchone()
    assert tuple(row) == (None, band)


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
    assert "Proefdraai" in result.output and "meldingen: 3" in result.output
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
    assert result.exit_code == 0 and "Opgeschoond (meldingen: 4" in result.output
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


@pytest.mark.parametrize(
    ("reason", "kind", "group"),
    [
        ("De verwerker meldde het pas na een week", "", "processor"),
        ("Eerst moest onderzocht worden wat er gelekt was", "", "investigation"),
        ("Het was weekend en de FG was afwezig", "", "internal"),
        ("Een reden zonder trefwoord", "", "other"),
        ("De verwerker meldde het laat", "internal", "internal"),
    ],
)
def test_a_purge_keeps_the_group_of_a_late_reason_in_the_figures(aged, reason, kind, group):
    """The words of a reason for a late notification go; the group the figures count stays."""
    db, world, ids = aged
    i = ids["closed_old"]
    with store.write(db):
        db.execute(
            "UPDATE authority_notifications SET late_reason = ?,"
            " submitted_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', aware_at, '+100 hours')"
            " FROM incidents WHERE incidents.id = authority_notifications.incident_id AND incident_id = ?",
            [reason, i],
        )
        db.execute("UPDATE incidents SET delay_kind = ?, delay_reason = ? WHERE id = ?", [kind, reason, i])

    def late_reasons():
        return db.execute(
            "SELECT key, n FROM stats_cube WHERE dimension = 'late_reason' AND n != 0 ORDER BY key"
        ).fetchall()

    before = late_reasons()
    assert (group, 1) in before
    retention.purge(db, CLI, apply=True, at=NOW)
    assert reason not in _texts(db, i)
    assert late_reasons() == before
    assert db.execute("SELECT delay_kind FROM incidents WHERE id = ?", [i]).fetchone()[0] == group
