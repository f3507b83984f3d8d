"""The hash-chained audit trail: appending, verifying, and noticing tampering."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from datalek import store
from datalek.accounts import audit, audit_verify
from datalek.cli import main as cli
from datalek.models import Actor, Role

ENTRIES = 7
MIDDLE = 4


def _append_entries(db: Database, n: int = ENTRIES) -> None:
    actor = Actor(user_id=1, role=Role.DPO, org_ids=(1,))
    with store.write(db):
        for i in range(n):
            audit.append(db, actor, "incident.read", "incident", 100 + i, org_id=1)


@pytest.fixture
def chained(fresh_db: Database) -> Database:
    """A database with a short, intact audit trail."""
    _append_entries(fresh_db)
    return fresh_db


def _tamper(db: Database, sql: str, params: list) -> None:
    """What an attacker with access to the file can do: drop the guards, then edit."""
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(sql, params)
    db.conn.commit()


# --- appending ------------------------------------------------------------------------


def test_append_requires_an_open_transaction(fresh_db: Database) -> None:
    with pytest.raises(RuntimeError, match="BEGIN IMMEDIATE"):
        audit.append(fresh_db, Actor.cli(), "backup")
    assert fresh_db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_entries_are_numbered_and_linked(chained: Database) -> None:
    rows = list(chained.query("SELECT * FROM audit_log ORDER BY seq"))
    assert [r["seq"] for r in rows] == list(range(1, ENTRIES + 1))
    assert rows[0]["prev_hash"] == audit.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["prev_hash"] == before["hash"]


@pytest.mark.parametrize(
    "actor, actor_id, actor_role",
    [
        (Actor(user_id=7, role=Role.REPORTER, org_ids=(1,)), 7, "reporter"),
        (Actor.cli(), None, "system"),
        (None, None, "anonymous"),
    ],
    ids=["signed-in-user", "command-line", "anonymous"],
)
def test_entry_records_who_with_ids_only(
    fresh_db: Database, actor: Actor | None, actor_id, actor_role: str
) -> None:
    with store.write(fresh_db):
        seq = audit.append(fresh_db, actor, "incident.read", "incident", 42, org_id=3)
    row = next(fresh_db.query("SELECT * FROM audit_log WHERE seq = ?", [seq]))
    assert (row["actor_id"], row["actor_role"]) == (actor_id, actor_role)
    assert row["action"] == "incident.read"
    assert (row["object_type"], row["object_id"]) == ("incident", "42")
    assert json.loads(row["detail"]) == {"org_id": 3}


def test_an_entry_is_rolled_back_with_its_transaction(fresh_db: Database) -> None:
    with pytest.raises(ZeroDivisionError), store.write(fresh_db):
        audit.append(fresh_db, Actor.cli(), "backup")
        1 / 0  # noqa: B018
    assert fresh_db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert audit_verify.verify(fresh_db).intact


# --- what detail may hold: ids, codes, counts, flags -- never free text -----------------


@pytest.mark.parametrize(
    "value",
    [
        "tekst met spaties",
        "regel\nnieuwe",
        "jan@example.nl",
        "x" * 65,
        ["code", "twee woorden"],
        {"genest": 1},
        b"bytes",
    ],
    ids=["spaces", "newline", "email-address", "too-long", "text-in-list", "dict", "bytes"],
)
def test_detail_refuses_free_text(fresh_db: Database, value) -> None:
    with store.write(fresh_db), pytest.raises(ValueError, match="audit detail"):
        audit.append(fresh_db, Actor.cli(), "test.event", "", None, value=value)
    assert fresh_db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


@pytest.mark.parametrize(
    "value",
    ["email_wrong_person", "x" * 64, "", 42, 0.5, True, False, None, [1, 2], ["a", "b"]],
    ids=["code", "64-chars", "empty", "int", "float", "true", "false", "none", "ints", "codes"],
)
def test_detail_accepts_codes_numbers_and_flags(fresh_db: Database, value) -> None:
    with store.write(fresh_db):
        seq = audit.append(fresh_db, Actor.cli(), "test.event", "", None, value=value)
    detail = next(fresh_db.query("SELECT detail FROM audit_log WHERE seq = ?", [seq]))["detail"]
    assert json.loads(detail) == {"value": value}
    assert audit_verify.verify(fresh_db).intact


# --- verifying ------------------------------------------------------------------------


def test_empty_trail_is_intact(fresh_db: Database) -> None:
    result = audit_verify.verify(fresh_db)
    assert (result.intact, result.entries, result.first_broken) == (True, 0, None)


def test_intact_chain_verifies(chained: Database) -> None:
    result = audit_verify.verify(chained)
    assert (result.intact, result.entries, result.first_broken) == (True, ENTRIES, None)
    assert str(ENTRIES) in result.message


@pytest.mark.parametrize(
    "column, value",
    [
        ("action", "incident.create"),
        ("detail", '{"org_id":2}'),
        ("at", "2020-01-01T00:00:00+00:00"),
        ("actor_id", 99),
        ("actor_role", "admin"),
        ("object_id", "999"),
    ],
    ids=["action", "detail", "at", "actor_id", "actor_role", "object_id"],
)
def test_changing_an_entry_breaks_the_chain_at_that_entry(chained: Database, column: str, value) -> None:
    _tamper(chained, f"UPDATE audit_log SET {column} = ? WHERE seq = ?", [value, MIDDLE])
    result = audit_verify.verify(chained)
    assert not result.intact
    assert result.first_broken == MIDDLE
    assert result.entries == MIDDLE - 1  # the entries before it still hold
    assert str(MIDDLE) in result.message


def test_rehashing_a_changed_entry_without_the_key_is_caught_at_that_entry(chained: Database) -> None:
    """Before the key (0008) a recomputed SHA-256 held and the chain broke only at the next
    entry; now the entry's own hash is an HMAC the attacker cannot make."""
    row = next(chained.query("SELECT * FROM audit_log WHERE seq = ?", [MIDDLE]))
    row["action"] = "incident.create"
    forged = audit.entry_hash(row["prev_hash"], audit.event_of(row))
    _tamper(
        chained,
        "UPDATE audit_log SET action = ?, hash = ? WHERE seq = ?",
        [row["action"], forged, MIDDLE],
    )
    result = audit_verify.verify(chained)
    assert result.first_broken == MIDDLE
    assert [f.kind for f in result.findings] == ["rewritten_chain"]


def test_deleting_an_entry_names_the_missing_number(chained: Database) -> None:
    _tamper(chained, "DELETE FROM audit_log WHERE seq = ?", [MIDDLE])
    result = audit_verify.verify(chained)
    assert not result.intact
    assert result.first_broken == MIDDLE


def test_a_forged_entry_at_the_end_is_noticed(chained: Database) -> None:
    chained.execute(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, detail, prev_hash, hash)"
        " VALUES (?, '2026-01-01T00:00:00+00:00', 1, 'dpo', 'incident.read', '{}', ?, ?)",
        [ENTRIES + 1, "f" * 64, "e" * 64],
    )
    chained.conn.commit()
    assert audit_verify.verify(chained).first_broken == ENTRIES + 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'x' WHERE seq = 1",
        "UPDATE audit_log SET hash = hash",
        "DELETE FROM audit_log WHERE seq = 1",
        "DELETE FROM audit_log",
    ],
    ids=["update-one", "update-all", "delete-one", "delete-all"],
)
def test_the_triggers_keep_the_trail_append_only(chained: Database, statement: str) -> None:
    before = chained.execute("SELECT * FROM audit_log ORDER BY seq").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.write(chained):
        chained.execute(statement)
    assert chained.execute("SELECT * FROM audit_log ORDER BY seq").fetchall() == before
    assert audit_verify.verify(chained).intact


# --- the command line -----------------------------------------------------------------


def test_cli_verify_exits_0_when_intact(db_path: Path, chained: Database) -> None:
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    assert str(ENTRIES) in result.output


def test_cli_verify_exits_1_and_names_the_broken_entry(db_path: Path, chained: Database) -> None:
    _tamper(chained, "UPDATE audit_log SET detail = ? WHERE seq = ?", ['{"org_id":2}', MIDDLE])
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", str(db_path)])
    assert result.exit_code == 1
    assert f"sequence number {MIDDLE}" in result.output


def test_python_m_datalek_audit_verify_after_tampering(db_path: Path, chained: Database) -> None:
    """The real entry point, as an operator or a cron job runs it."""
    _tamper(chained, "DELETE FROM audit_log WHERE seq = ?", [MIDDLE])
    chained.close()
    done = subprocess.run(
        [sys.executable, "-m", "datalek", "audit", "verify", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"sequence number {MIDDLE}" in done.stdout
