"""Synthetic demo data: reproducible, realistic in shape, consistent, and free of real people."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from datalek import clock, store
from datalek.accounts import audit_verify, auth
from datalek.cli import main
from datalek.demo import dataset
from datalek.handling import incidents
from datalek.intake.pii import find_pii
from datalek.intake.report import validate_report
from datalek.intake.situations import Situation
from datalek.models import Role, Status

P = pytest.param
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
COUNT = 3000
SEED = 7


def rows(path: Path) -> list[dict]:
    with store.unit(path) as db:
        return list(db.query("SELECT * FROM incidents ORDER BY org_id, year, seq"))


def generated(tmp_path_factory, name: str, count: int = COUNT, seed: int = SEED, **kwargs):
    path = tmp_path_factory.mktemp("demo") / f"{name}.db"
    made = dataset.generate(str(path), count, 3, seed, now=NOW, **kwargs)
    return path, made


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """One demo database of 3000 incidents, shared by the read-only tests below."""
    path, made = generated(tmp_path_factory, "big")
    return path, made, rows(path)


def fingerprint(incident_rows: list[dict]) -> list[tuple]:
    return [
        (r["org_id"], r["reference"], r["situation"], r["status"], r["reported_at"], r["report"])
        for r in incident_rows
    ]


# --- reproducibility -------------------------------------------------------------------


SMALL = 400  # enough incidents to tell two seeds apart, few enough to make three times


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path, _ = generated(tmp_path_factory, "small", count=SMALL)
    return rows(path)


def test_same_seed_gives_the_same_incidents(big, small, tmp_path_factory):
    assert len(big[2]) == COUNT
    again_path, _ = generated(tmp_path_factory, "again", count=SMALL)
    assert fingerprint(rows(again_path)) == fingerprint(small)


def test_another_seed_gives_other_incidents(small, tmp_path_factory):
    other_path, _ = generated(tmp_path_factory, "other", count=SMALL, seed=SEED + 1)
    other = rows(other_path)
    assert len(other) == SMALL
    assert [r["situation"] for r in other] != [r["situation"] for r in small]
    assert fingerprint(other) != fingerprint(small)


def test_passwords_are_not_derived_from_the_seed(tmp_path_factory):
    _, one = generated(tmp_path_factory, "pw1", count=5)
    _, two = generated(tmp_path_factory, "pw2", count=5)
    assert [a.password for a in one] != [a.password for a in two]


# --- realistic shape (docs/domain/figures.md §3) ------------------------------------------------------


def share(incident_rows: list[dict], *situations: Situation) -> float:
    wanted = {s.value for s in situations}
    return sum(r["situation"] in wanted for r in incident_rows) / len(incident_rows)


@pytest.mark.parametrize(
    ("situations", "low", "high"),
    [
        P(
            (Situation.EMAIL_WRONG_PERSON, Situation.LETTER_WRONG_ADDRESS),
            0.45,
            0.60,
            id="wrong-recipient-email-or-post-45-60%",
        ),
        P((Situation.EMAIL_VISIBLE_RECIPIENTS,), 0.05, 0.10, id="visible-recipients-5-10%"),
        P((Situation.DEVICE_LOST, Situation.PAPER_LOST), 0.10, 0.15, id="lost-device-or-paper-10-15%"),
        P((Situation.PUBLISHED,), 0.05, 0.10, id="publication-5-10%"),
        P((Situation.UNAUTHORISED_ACCESS,), 0.05, 0.10, id="unauthorised-access-5-10%"),
        P((Situation.PHISHING, Situation.HACK), 0.0, 0.10, id="phishing-and-hack-under-10%"),
    ],
)
def test_situation_shares_follow_the_dutch_figures(big, situations, low, high):
    _, _, incident_rows = big
    assert low <= share(incident_rows, *situations) < high


def test_every_situation_occurs(big):
    _, _, incident_rows = big
    assert {r["situation"] for r in incident_rows} == {s.value for s in Situation}


def test_most_breaches_concern_one_or_a_few_people_and_a_few_hundreds(big):
    _, _, incident_rows = big
    counts = [json.loads(r["report"])["people_count"] for r in incident_rows]
    known = [c for c in counts if c is not None]
    assert sum(c <= 5 for c in known) / len(known) > 0.6
    assert 0 < sum(c >= 100 for c in known) / len(known) < 0.10


def test_incident_type_follows_the_situation(big):
    _, _, incident_rows = big
    for r in incident_rows:
        assert r["incident_type"] == Situation(r["situation"]).info.incident_type.value


def test_statuses_fit_the_age_of_the_report(big):
    _, _, incident_rows = big
    for r in incident_rows:
        age = NOW - clock.from_iso(r["reported_at"])
        status = Status(r["status"])
        if age <= timedelta(days=3):
            assert status in (Status.REPORTED, Status.IN_PROGRESS)
        if age > timedelta(days=30):
            assert status not in (Status.REPORTED, Status.IN_PROGRESS)
    statuses = Counter(r["status"] for r in incident_rows)
    assert statuses[Status.CLOSED.value] > statuses[Status.NOT_A_BREACH.value] > 0


# --- consistency -------------------------------------------------------------------------


def test_references_are_unique_and_consecutive_per_organisation_and_year(big):
    _, _, incident_rows = big
    by_year: dict[tuple[int, int], list[dict]] = {}
    for r in incident_rows:
        by_year.setdefault((r["org_id"], r["year"]), []).append(r)
    assert len(by_year) >= 3 * 3, "three organisations over (at least) three years"
    for (_org_id, year), group in by_year.items():
        assert [r["seq"] for r in group] == list(range(1, len(group) + 1))
        assert [r["reference"] for r in group] == [incidents.reference(year, r["seq"]) for r in group]
        assert len({r["reference"] for r in group}) == len(group)
        # Numbers are handed out in the order the reports came in.
        reported = [r["reported_at"] for r in group]
        assert reported == sorted(reported)
        for r in group:
            assert clock.from_iso(r["reported_at"]).astimezone(clock.AMSTERDAM).year == year


def test_times_are_in_order_and_never_in_the_future(big):
    _, _, incident_rows = big
    earliest = NOW - timedelta(days=3 * 365)
    for r in incident_rows:
        discovered = clock.from_iso(r["discovered_at"])
        reported = clock.from_iso(r["reported_at"])
        aware = clock.from_iso(r["aware_at"])
        assert discovered <= reported
        assert aware <= reported
        assert earliest <= reported <= NOW
        occurred = clock.from_iso(r["occurred_from"])
        if occurred is not None:
            assert occurred <= discovered


def test_every_demo_report_passes_the_intake_rules(big):
    """A demo incident must look like one an employee could have submitted."""
    _, _, incident_rows = big
    for r in incident_rows:
        answers = json.loads(r["report"])
        values = {
            **answers,
            "org_id": r["org_id"],
            "department": r["department"],
            "situation": r["situation"],
            "occurred_from": clock.from_iso(r["occurred_from"]),
            "occurred_to": clock.from_iso(r["occurred_to"]),
            "discovered_at": clock.from_iso(r["discovered_at"]),
            "actions_taken": r["actions_taken"],
            "description": r["description"],
        }
        report = validate_report(values, clock.from_iso(r["reported_at"]))
        assert report.answers() == answers, r["reference"]
        assert bool(r["ongoing"]) is (answers["occurrence"] == "ongoing")


def test_reporters_belong_to_the_organisation(big):
    path, _, incident_rows = big
    with store.unit(path) as db:
        members = {(m["user_id"], m["org_id"]) for m in db.query("SELECT * FROM memberships")}
        roles = {u["id"]: u["role"] for u in db.query("SELECT id, role FROM users")}
    for r in incident_rows:
        if r["report_link_id"] is not None:  # reported through a link: no account (issue #16)
            assert r["reporter_id"] is None
            continue
        assert r["reporter_id"] is not None
        assert (r["reporter_id"], r["org_id"]) in members
        assert roles[r["reporter_id"]] == Role.REPORTER.value


def test_audit_chain_verifies(big):
    path, _, _ = big
    with store.unit(path) as db:
        result = audit_verify.verify(db)
        actions = [e["action"] for e in db.query("SELECT action FROM audit_log")]
    assert result.intact, result.message
    assert actions.count("demo.generate") == 1


def test_no_real_looking_personal_data_in_free_text(big):
    _, _, incident_rows = big
    texts = {r["description"] for r in incident_rows} | {r["actions_taken"] for r in incident_rows}
    texts |= set(dataset.DESCRIPTIONS.values())
    for text in texts:
        assert find_pii(text) == [], text


def test_accounts_are_obviously_invented(big):
    path, _, _ = big
    with store.unit(path) as db:
        emails = [u["email"] for u in db.query("SELECT email FROM users")]
        dpo_emails = [o["dpo_email"] for o in db.query("SELECT dpo_email FROM organisations")]
    assert all(e.endswith(".invalid") for e in emails + dpo_emails)


# --- demo accounts --------------------------------------------------------------------------


def test_demo_accounts_one_per_role_that_sign_in(big):
    path, made, _ = big
    assert {a.role for a in made} == set(Role)
    assert len({a.email for a in made}) == len(made)
    with store.unit(path) as db:
        for account in made:
            assert len(account.password) >= 12
            actor = auth.sign_in(db, account.email, account.password, client="192.0.2.1")
            assert actor.role is account.role
            assert actor.org_ids


def test_demo_dpo_and_management_see_every_demo_organisation(big):
    path, made, _ = big
    with store.unit(path) as db:
        org_count = next(db.query("SELECT count(*) AS n FROM organisations"))["n"]
        for account in made:
            if account.role in (Role.DPO, Role.MANAGEMENT):
                assert (
                    len(auth.sign_in(db, account.email, account.password, client="192.0.2.1").org_ids)
                    == org_count
                )


def test_without_accounts(tmp_path_factory):
    path, made = generated(tmp_path_factory, "no-accounts", count=20, with_accounts=False)
    assert made == []
    with store.unit(path) as db:
        assert next(db.query("SELECT count(*) AS n FROM users"))["n"] == 0
    assert all(r["reporter_id"] is None for r in rows(path))


def test_zero_incidents(tmp_path_factory):
    path, made = generated(tmp_path_factory, "empty", count=0)
    assert rows(path) == [] and len(made) == len({a.email for a in made}) > 0


# --- running it again ----------------------------------------------------------------------


def test_demo_data_can_be_added_to_a_database_that_has_some(tmp_path_factory):
    path, _ = generated(tmp_path_factory, "twice", count=200)
    dataset.generate(str(path), 200, 3, SEED + 1, now=NOW, with_accounts=False)
    incident_rows = rows(path)
    assert len(incident_rows) == 400
    by_year: dict[tuple[int, int], list[int]] = {}
    for r in incident_rows:
        by_year.setdefault((r["org_id"], r["year"]), []).append(r["seq"])
    for seqs in by_year.values():
        assert seqs == list(range(1, len(seqs) + 1))
    with store.unit(path) as db:
        assert audit_verify.verify(db).intact


def test_cli_demo_prints_sign_in_details(tmp_path):
    path = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(path), "--incidents", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "30 demo-incidenten aangemaakt" in result.output
    for email in (
        "beheerder@demo.invalid",
        "fg@demo.invalid",
        "directie@demo.invalid",
        "medewerker@demo.invalid",
    ):
        assert email in result.output
    assert len(rows(path)) == 30


def test_cli_demo_twice_does_not_crash(tmp_path):
    path = tmp_path / "demo.db"
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "--db", str(path), "--incidents", "30"]).exit_code == 0
    again = runner.invoke(main, ["demo", "--db", str(path), "--incidents", "30", "--no-accounts"])
    assert again.exit_code == 0, again.output
    assert len(rows(path)) == 60
