"""Shared fixtures: a fresh migrated database per test, and one actor per role."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from google.protobuf.message import DecodeError
from sqlite_utils import Database
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from datalek import store
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.intake.report import Report, validate_report
from datalek.models import Actor, Role

PASSWORD = "correct horse battery staple"

#: One audit key for every database the tests make, and for the processes they start: the
#: fixtures copy database files, and a key file (``<db>.auditkey``) would not travel with them.
#: tests/test_audit_anchor.py removes it to test the key file itself.
os.environ.setdefault("DATALEK_AUDIT_KEY", "tests-only-audit-key-" + "5" * 43)


#: argon2id with the smallest cost: the same algorithm and format, a thousand times faster.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """With the production parameters one argon2id hash costs about 140 ms on these machines,
    and hundreds of tests create or sign in accounts. Only hashing's cost is swapped here, in
    this test process; ``test_auth.py`` checks that the app itself hashes with the production
    parameters, and servers and command lines started by the tests use them too."""
    saved = auth._hasher, auth._DUMMY_HASH
    auth._hasher, auth._DUMMY_HASH = CHEAP_HASHER, CHEAP_HASHER.hash("not-a-real-password-only-for-timing")
    yield
    auth._hasher, auth._DUMMY_HASH = saved


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with every migration applied, made once per run (migrating costs
    about 36 ms, copying the closed file 0.4 ms)."""
    path = tmp_path_factory.mktemp("migrated") / "empty.db"
    store.migrate(path)
    return path


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _migrated_template: Path) -> Path:
    """A migrated database file; DATALEK_DB points at it for code that reads the setting."""
    path = tmp_path / "datalek.db"
    shutil.copyfile(_migrated_template, path)  # a closed, quiet file: a plain copy is whole
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


def complete_actions(db: Database, dpo: Actor, incident_id: int) -> None:
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


# --- browser tests (tests/e2e and test_logs.py) -----------------------------------------


class ScriptRuns:
    """Counts the script runs a page has seen finish, from Streamlit's own messages on the
    websocket (``script_finished``), so that ``settle`` waits for the run an action started
    instead of sleeping and hoping it has begun. (The DOM cannot tell: React batches a fast
    run's "running" and "notRunning" into one render.)"""

    def __init__(self, page):
        self.finished = 0
        self.settled = 0
        self.sent = 0  # messages the browser sent: a click that asks for a run is one
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)

    def _sent(self, payload) -> None:
        self.sent += 1

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except DecodeError:
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != RERUN:
            self.finished += 1


RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
_RUNS: dict[int, ScriptRuns] = {}


@pytest.fixture
def context(context):
    """pytest-playwright's browser context, counting the script runs of every page."""
    context.on("page", watch_runs)
    return context


def new_context(browser, **kwargs):
    """A further browser context (another person at another computer), counting runs."""
    made = browser.new_context(**kwargs)
    made.on("page", watch_runs)
    return made


def watch_runs(page) -> None:
    _RUNS[id(page)] = ScriptRuns(page)


def script_runs(page) -> ScriptRuns:
    return _RUNS[id(page)]


def eventually(condition, timeout: float = 30, pause=lambda: time.sleep(0.05)) -> bool:
    """Poll ``condition()`` until it holds (True) or ``timeout`` seconds pass (False): for what
    happens in another thread or process, where there is nothing else to wait on."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause()
    return True


def wait_until(page, condition, timeout: float = 20) -> None:
    """``eventually`` while Playwright keeps delivering the page's events; raises on timeout."""
    if not eventually(condition, timeout, lambda: page.wait_for_timeout(20)):
        raise TimeoutError(f"not within {timeout} s")


def click_sent(page, target, timeout: float = 5) -> None:
    """Click ``target`` until the browser has sent the server something (a Streamlit button or
    choice sends one message asking for a run). A click the browser drops while it redraws the
    page (seen on a loaded 2-core machine) reaches no server, so nothing can be recorded twice;
    a person clicks again too. Gives up after three clicks."""
    runs = _RUNS[id(page)]
    for _ in range(3):
        before = runs.sent
        target.click()
        if eventually(lambda before=before: runs.sent > before, timeout, lambda: page.wait_for_timeout(20)):
            return
    raise TimeoutError(f"three clicks sent nothing to the server: {target}")


def settle(page, timeout: float = 20) -> None:
    """Wait until the script run that the last action started has finished."""
    runs = _RUNS[id(page)]
    wait_until(page, lambda: runs.finished > runs.settled, timeout)
    runs.settled = runs.finished
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout * 1000)
