"""Shared fixtures: a fresh migrated database per test, and one actor per role."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from datalek import store
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.intake.report import Report, validate_report
from datalek.models import Actor, Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated database file; DATALEK_DB points at it for code that reads the setting."""
    path = tmp_path / "datalek.db"
    store.migrate(path)
    monkeypatch.setenv("DATALEK_DB", str(path))
    return path


@pytest.fixture
def fresh_db(db_path: Path) -> Iterator[Database]:
    db = store.connect(db_path)
    yield db
    db.close()


class World:
    """Two organisations with an account per role; ``other_*`` belong to the second."""

    def __init__(self, db: Database):
        cli = Actor.cli()
        self.org = create_organisation(db, cli, "Gemeente Test", "Fien FG", "fg@test.invalid")
        self.other_org = create_organisation(db, cli, "Jeugdzorg Test")
        self.actors: dict[str, Actor] = {}
        for key, role, org in [
            ("reporter", Role.REPORTER, self.org.id),
            ("reporter2", Role.REPORTER, self.org.id),
            ("dpo", Role.DPO, self.org.id),
            ("management", Role.MANAGEMENT, self.org.id),
            ("admin", Role.ADMIN, self.org.id),
            ("other_reporter", Role.REPORTER, self.other_org.id),
            ("other_dpo", Role.DPO, self.other_org.id),
            ("other_management", Role.MANAGEMENT, self.other_org.id),
        ]:
            user = create_user(db, cli, key.title(), f"{key}@test.invalid", role, PASSWORD, [org])
            self.actors[key] = auth.actor_for(db, user.id)

    def __getitem__(self, key: str) -> Actor:
        return self.actors[key]


@pytest.fixture(scope="session")
def _world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The world built once per run: hashing eight argon2 passwords per test is slow."""
    path = tmp_path_factory.mktemp("world") / "template.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        return path, World(db)
    finally:
        db.close()


@pytest.fixture
def world(fresh_db: Database, _world_template: tuple[Path, World]) -> World:
    """Copy the template world into this test's database (SQLite's backup API)."""
    template, made = _world_template
    source = sqlite3.connect(template)
    try:
        source.backup(fresh_db.conn)
    finally:
        source.close()
    return made


NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def report_values(org_id: int, **changes) -> dict:
    """A complete, valid set of answers for an e-mail sent to the wrong person."""
    values = {
        "org_id": org_id,
        "department": "Sociaal Domein",
        "situation": "email_wrong_person",
        "occurrence": "moment",
        "occurred_from": NOW - timedelta(hours=5),
        "occurred_to": None,
        "discovered_at": NOW - timedelta(hours=2),
        "data_kinds": ["name_address", "care_file"],
        "subject_groups": ["children", "parents"],
        "people_count_kind": "exact",
        "people_count": 3,
        "protection": "none",
        "recipients": ["known_person"],
        "retrieval": "unconfirmed",
        "actions_taken": "Ontvanger gevraagd de e-mail te verwijderen.",
        "description": "Verslag naar een verkeerde ouder gestuurd.",
    }
    values.update(changes)
    return values


def make_report(org_id: int, now: datetime = NOW, **changes) -> Report:
    return validate_report(report_values(org_id, **changes), now)


def complete_follow_up(db: Database, dpo: Actor, incident_id: int) -> None:
    """Do what a followed advice (notify, inform) asks before closing: the AP notification,
    a safety check and the informed people, and one measure."""
    from datetime import date

    from datalek import clock
    from datalek.actions import authority, informing, measures
    from datalek.actions.addressees import Addressee
    from datalek.store import assessments as assessment_sql
    from datalek.store import incidents as incident_sql

    decision = assessment_sql.latest_decision(db, incident_id)
    aware = clock.from_iso(incident_sql.incident(db, incident_id)["aware_at"])
    now = clock.now()
    if decision["notify_authority"]:
        authority.record_initial(db, dpo, incident_id, "M-2026-000123", min(aware + timedelta(hours=20), now))
    if decision["inform_subjects"] != "no":
        informing.record_safety_check(db, dpo, incident_id, Addressee.PARENTS, False)
        informing.record_notice(
            db,
            dpo,
            incident_id,
            Addressee.PARENTS,
            2,
            now.astimezone(clock.AMSTERDAM).date(),
            informing.Channel.LETTER,
        )
    measures.add(
        db,
        dpo,
        incident_id,
        measures.MeasureInput(
            kind=measures.MeasureKind.PREVENTIVE,
            description="Adrescontrole in het sjabloon.",
            owner="Teamleider",
            due_on=date(2027, 1, 31),
        ),
    )
