"""The audit trail anchored outside the database: what an attacker with write access to the
database file does, and what ``audit verify`` then says.

The attacker drops the triggers that keep ``audit_log`` append-only and edits the file with
plain SQL. The key (``<db>.auditkey``) and the checkpoints (``<db>.auditlog-checkpoints``)
live next to the database; the attacker of these tests cannot read or change them, except in
the case where the key file goes missing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from datalek import clock, store
from datalek.accounts import audit, audit_verify, auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user
from datalek.actions import households, measures
from datalek.actions.addressees import Concern, Relation
from datalek.cli import main as cli
from datalek.handling import (
    assessment,
    decisions,
    evidence,
    incidents,
    lifecycle,
    merges,
    partner_notices,
    prefill,
)
from datalek.handling.decisions import DecisionInput, Inform
from datalek.handling.partner_notice_rules import NoticeInput, Partner
from datalek.models import Actor, Nature, Role, Status
from datalek.store import incidents as incident_sql
from datalek.triage.facts import DataCategory, Facts, PeopleGroup, RecipientKind
from tests.conftest import NOW, PASSWORD, complete_actions, make_report
from tests.test_lessons import a_lesson

ROOT = Path(__file__).resolve().parents[1]
KEY_ENV = "DATALEK_AUDIT_KEY"


def key_file(path: Path) -> Path:
    return Path(f"{path}.auditkey")


def checkpoint_file(path: Path) -> Path:
    return Path(f"{path}.auditlog-checkpoints")


def checkpoint_seqs(path: Path) -> list[int]:
    """The sequence numbers in the checkpoint file, in file order (format: ``v1 seq hash mac``)."""
    return [int(line.split()[1]) for line in checkpoint_file(path).read_text().splitlines()]


def verify(path: Path):
    with store.unit(path) as db:
        return audit_verify.verify(db)


def head(path: Path) -> int:
    with store.unit(path) as db:
        return db.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]


@pytest.fixture
def anchored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database made by ``store.migrate`` with its own key file (no key in the environment):
    an organisation, two accounts, three reports, a supplement, a status change and a read."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "datalek.db"
    monkeypatch.setenv("DATALEK_DB", str(path))
    store.migrate(path)
    cli_actor = Actor.cli()
    with store.unit(path) as db:
        org = create_organisation(db, cli_actor, "Gemeente Anker", "Fien FG", "fg@anker.invalid")
        reporter = create_user(
            db, cli_actor, "Melder", "melder@anker.invalid", Role.REPORTER, PASSWORD, [org.id]
        )
        dpo = create_user(db, cli_actor, "FG", "fg-account@anker.invalid", Role.DPO, PASSWORD, [org.id])
        reporter, dpo = auth.actor_for(db, reporter.id), auth.actor_for(db, dpo.id)
        ids = [incidents.submit_report(db, reporter, make_report(org.id), at=NOW).id for _ in range(3)]
        incidents.add_supplement(db, reporter, ids[0], "Ook de bijlage ging mee.")
        lifecycle.change_status(db, dpo, ids[1], Status.IN_PROGRESS)
        incidents.read_incident(db, dpo, ids[2])
        # The FG moves the awareness of the last report, with a reason (kept in incident_changes).
        facts = Facts(natures=[Nature.CONFIDENTIALITY], aware_at=NOW - timedelta(hours=1))
        facts = facts.model_copy(
            update={"data_categories": [DataCategory.CONTACT], "groups": [PeopleGroup.RESIDENTS],
                    "recipients": [RecipientKind.KNOWN]}
        )  # fmt: skip
        assessment.save(db, dpo, ids[2], facts, reason="De melder zag het een uur eerder.")
    return path


# --- what an attacker with the database file (and nothing else) does --------------------


@contextmanager
def _attacker(path: Path) -> Iterator[sqlite3.Connection]:
    """Plain sqlite3 on the file: the guards dropped, foreign keys off, committed at the end."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute("PRAGMA foreign_keys=OFF")
        yield conn
        conn.commit()
    finally:
        conn.close()


def _middle(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0] // 2


def change_entry(path: Path) -> None:
    with _attacker(path) as conn:
        conn.execute("UPDATE audit_log SET actor_id = 999 WHERE seq = ?", [_middle(conn)])


def delete_tail(path: Path) -> None:
    with _attacker(path) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")


def _rewrite(path: Path, entry_hash: Callable[[str, dict], str]) -> None:
    """Change the middle entry, then recompute every hash so that each link holds again."""
    with _attacker(path) as conn:
        conn.execute("UPDATE audit_log SET actor_id = 999 WHERE seq = ?", [_middle(conn)])
        prev = "0" * 64
        for row in [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY seq")]:
            new = entry_hash(prev, audit.event_of(row))
            conn.execute(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, new, row["seq"]]
            )
            prev = new


def rewrite_chain_plain(path: Path) -> None:
    """The chain recomputed with SHA-256, the way the code computed it before the key."""
    _rewrite(path, audit.entry_hash)


def rewrite_chain_own_key(path: Path) -> None:
    """The chain recomputed with an HMAC under a key of the attacker's own."""

    def forged(prev: str, event: dict) -> str:
        message = (prev + audit.canonical(event)).encode()
        return hmac.new(b"attacker's own key", message, hashlib.sha256).hexdigest()

    _rewrite(path, forged)


def restore_old_copy(path: Path) -> None:
    """Keep a copy of the file, let the app write on, then put the old copy back."""
    old = path.with_name("old-copy.db")
    with closing(sqlite3.connect(path)) as live, closing(sqlite3.connect(old)) as copy:
        live.backup(copy)
    with store.unit(path) as db:
        for _ in range(2):
            with store.write(db):
                audit.append(db, Actor.cli(), "backup")
    with closing(sqlite3.connect(old)) as copy, closing(sqlite3.connect(path)) as live:
        copy.backup(live)


def restore_old_copy_and_write_on(path: Path) -> None:
    """After the old copy is back, the app writes on: the database catches up with the last
    checkpoint, but along another history."""
    restore_old_copy(path)
    with store.unit(path) as db:
        for _ in range(3):
            with store.write(db):
                audit.append(db, Actor.cli(), "backup")


def _incident_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT min(id) FROM incidents").fetchone()[0]


def delete_incident(path: Path) -> None:
    with _attacker(path) as conn:
        incident_id = _incident_id(conn)
        for table in ("supplements", "status_changes", "incidents"):
            column = "id" if table == "incidents" else "incident_id"
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [incident_id])


def edit_description(path: Path) -> None:
    with _attacker(path) as conn:
        conn.execute(
            "UPDATE incidents SET description = 'Niets aan de hand.' WHERE id = ?", [_incident_id(conn)]
        )


def move_first_awareness(path: Path) -> None:
    """The first recorded awareness decides lateness: moving it outside the app is noticed."""
    with _attacker(path) as conn:
        conn.execute(
            "UPDATE incidents SET first_aware_at = updated_at, aware_basis = 'monitoring' WHERE id = ?",
            [_incident_id(conn)],
        )


def erase_a_change_of_a_moment(path: Path) -> None:
    """A change of the awareness, its old value and reason kept in incident_changes: deleting it
    outside the app (to hide that the 72 hours were moved) is noticed."""
    with _attacker(path) as conn:
        assert conn.execute("DELETE FROM incident_changes").rowcount == 1


def _informing_list(path: Path) -> None:
    """The app records a family on the first incident: a child with a birth date, and a parent
    flagged as a safety risk in the family's judgement. The trail still verifies."""
    with store.unit(path) as db:
        dpo, incident_id = _dpo(db), db.execute("SELECT min(id) FROM incidents").fetchone()[0]
        house = households.add_household(db, dpo, incident_id)
        households.add_member(
            db, dpo, house.id, relation=Relation.CHILD, file_ref="C-1", birth_date=date(2012, 5, 1)
        )
        parent = households.add_member(db, dpo, house.id, relation=Relation.PARENT_GEZAG, file_ref="O-1")
        households.judge_safety(
            db, dpo, house.id, flagged={parent.id}, concerns={Concern.VIOLENT_PARTNER}, postponed=False,
            reason="De andere ouder en het kind zijn veilig.", review_on=None,
        )  # fmt: skip
    assert verify(path).intact


def change_a_birth_date(path: Path) -> None:
    """A child made 18 outside the app would get a letter of their own, and the parents none."""
    _informing_list(path)
    with _attacker(path) as conn:
        assert conn.execute(
            "UPDATE household_members SET birth_date = '2004-05-01' WHERE relation = 'child'"
        ).rowcount


def unflag_a_parent(path: Path) -> None:
    """A flag taken off outside the app would let a letter reach the parent who is the risk."""
    _informing_list(path)
    with _attacker(path) as conn:
        assert conn.execute("UPDATE household_safety SET flagged = '[]'").rowcount == 1


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _decided(db, dpo: Actor, incident_id: int) -> None:
    """The app assesses an incident and decides as the advice says."""
    incident = incidents.read_incident(db, dpo, incident_id).incident
    facts = prefill.facts_from_report(incident, None)
    advice = assessment.save(db, dpo, incident_id, facts, "gevolgen", "maatregelen").advice
    decisions.record(
        db,
        dpo,
        incident_id,
        DecisionInput(
            breach=advice.is_breach,
            notify_authority=advice.notify_authority,
            inform=Inform.YES if advice.inform_subjects else Inform.NO,
            motivation="Conform advies.",
        ),
    )


def _closed_with_a_lesson_and_evidence(path: Path) -> None:
    """The app decides on the first incident, completes its dossier, attaches a file as
    evidence and closes it with what was learned. The trail still verifies."""
    with store.unit(path) as db:
        dpo, incident_id = _dpo(db), db.execute("SELECT min(id) FROM incidents").fetchone()[0]
        _decided(db, dpo, incident_id)
        complete_actions(db, dpo, incident_id)
        evidence.attach(db, dpo, incident_id, "verkeerde-mail.pdf", PDF, "De e-mail zoals verstuurd.")
        [measure] = measures.for_incident(db, dpo, incident_id)
        lifecycle.close(db, dpo, incident_id, a_lesson(measure.id))
    assert verify(path).intact


def change_a_lesson(path: Path) -> None:
    """What the organisation learned, rewritten outside the app (the FG's words, for the board)."""
    _closed_with_a_lesson_and_evidence(path)
    with _attacker(path) as conn:
        assert conn.execute("UPDATE lessons SET learned = 'Niets aan de hand.'").rowcount == 1


def delete_evidence(path: Path) -> None:
    """A file attached as evidence, its row deleted outside the app."""
    _closed_with_a_lesson_and_evidence(path)
    with _attacker(path) as conn:
        assert conn.execute("DELETE FROM evidence").rowcount == 1


def change_who_was_consulted(path: Path) -> None:
    """Who the FG consulted for the decision, changed outside the app (part of the register)."""
    _closed_with_a_lesson_and_evidence(path)
    with _attacker(path) as conn:
        assert conn.execute("UPDATE decisions SET consulted = 'CISO'").rowcount == 1


def _partner_told_and_merged(path: Path) -> None:
    """Issue #16 through the app: a partner told about the first incident, with their reply,
    and the third report merged into the second as its duplicate. The trail still verifies."""
    with store.unit(path) as db:
        dpo = _dpo(db)
        first, second, third = (r[0] for r in db.execute("SELECT id FROM incidents ORDER BY id"))
        told = NoticeInput(
            partner=Partner(name="Gemeente Buurdorp"),
            told_what="Wat er lekte.",
            told_at=clock.now() - timedelta(minutes=5),
            channel="phone",
            reply="Zij melden zelf bij de AP.",
            reply_at=clock.now() - timedelta(minutes=1),
        )
        partner_notices.record(db, dpo, first, told)
        main = db.execute("SELECT reference FROM incidents WHERE id = ?", [second]).fetchone()[0]
        merges.merge(db, dpo, third, main, "Dezelfde brief, twee keer gemeld.")
    assert verify(path).intact


def change_a_partners_reply(path: Path) -> None:
    """What a partner answered (\"we notify the AP ourselves\"), rewritten outside the app."""
    _partner_told_and_merged(path)
    with _attacker(path) as conn:
        assert conn.execute("UPDATE partner_notices SET reply = 'Geen reactie.'").rowcount == 1


def undo_a_merge_outside_the_app(path: Path) -> None:
    """A duplicate's merge row deleted outside the app (it would count as a report of its own)."""
    _partner_told_and_merged(path)
    with _attacker(path) as conn:
        assert conn.execute("DELETE FROM incident_merges").rowcount == 1


def remove_key(path: Path) -> None:
    key_file(path).unlink()


TAMPERING = [
    # (case, what the attacker does, the finding's code, a Dutch word of its message)
    ("changed-entry", change_entry, "changed_entry", "veranderd"),
    ("deleted-tail", delete_tail, "tail_removed", "weggehaald"),
    ("rewritten-chain-sha256", rewrite_chain_plain, "rewritten_chain", "opnieuw berekend"),
    ("rewritten-chain-own-key", rewrite_chain_own_key, "rewritten_chain", "opnieuw berekend"),
    ("old-copy-restored", restore_old_copy, "older_copy", "oudere kopie"),
    ("old-copy-restored-and-written-on", restore_old_copy_and_write_on, "older_copy", "oudere kopie"),
    ("incident-row-deleted", delete_incident, "incident_deleted", "verwijderd"),
    ("incident-description-edited", edit_description, "incident_changed", "buiten de app"),
    ("first-awareness-moved", move_first_awareness, "incident_changed", "buiten de app"),
    ("change-of-a-moment-erased", erase_a_change_of_a_moment, "incident_changed", "buiten de app"),
    ("birth-date-of-a-child-changed", change_a_birth_date, "incident_changed", "buiten de app"),
    ("safety-flag-taken-off", unflag_a_parent, "incident_changed", "buiten de app"),
    ("lesson-text-changed", change_a_lesson, "incident_changed", "buiten de app"),
    ("evidence-row-deleted", delete_evidence, "incident_changed", "buiten de app"),
    ("who-was-consulted-changed", change_who_was_consulted, "incident_changed", "buiten de app"),
    ("partner-reply-changed", change_a_partners_reply, "incident_changed", "buiten de app"),
    ("merge-row-deleted", undo_a_merge_outside_the_app, "incident_changed", "buiten de app"),
    ("key-file-missing", remove_key, "key_missing", "sleutel ontbreekt"),
]


def test_an_untouched_anchored_trail_verifies(anchored: Path) -> None:
    result = verify(anchored)
    assert result.intact, result.message
    assert "intact" in result.message
    assert checkpoint_seqs(anchored)[-1] == head(anchored)


@pytest.mark.parametrize(
    "tamper, kind, word", [case[1:] for case in TAMPERING], ids=[case[0] for case in TAMPERING]
)
def test_tampering_with_the_database_file_is_detected(anchored: Path, tamper, kind: str, word: str) -> None:
    assert verify(anchored).intact
    tamper(anchored)
    result = verify(anchored)
    assert not result.intact, result.message
    assert kind in {finding.kind for finding in result.findings}, result.message
    assert word in result.message
    ran = CliRunner().invoke(cli, ["audit", "verify", "--db", str(anchored)])
    assert ran.exit_code == 1, ran.output
    assert word in ran.output


def test_a_changed_entry_is_named_and_the_rest_still_holds(anchored: Path) -> None:
    with closing(sqlite3.connect(anchored)) as conn:
        middle = _middle(conn)
    change_entry(anchored)
    result = verify(anchored)
    [finding] = result.findings
    assert (finding.kind, finding.seq, result.first_broken) == ("changed_entry", middle, middle)
    assert f"sequence number {middle}" in result.message


@pytest.mark.parametrize("tamper", [rewrite_chain_plain, rewrite_chain_own_key], ids=["sha256", "own-key"])
def test_a_rewritten_chain_is_named_from_the_entry_where_it_was_rewritten(anchored: Path, tamper) -> None:
    tamper(anchored)
    result = verify(anchored)
    rewritten = [f for f in result.findings if f.kind == "rewritten_chain"]
    assert rewritten and rewritten[0].seq == 1 and result.first_broken == 1, result.message


def test_a_deleted_tail_names_the_missing_sequence_numbers(anchored: Path) -> None:
    last = head(anchored)
    delete_tail(anchored)
    result = verify(anchored)
    [finding] = [f for f in result.findings if f.kind == "tail_removed"]
    assert finding.seq == last - 2
    assert f"{last - 2}" in result.message and f"{last}" in result.message


def test_a_deleted_tail_with_a_head_marker_set_back_is_still_noticed(anchored: Path) -> None:
    """The attacker also sets the database's own head marker to the new last entry: only the
    checkpoint outside the database tells the entries are gone."""
    delete_tail(anchored)
    with _attacker(anchored) as conn:
        seq, entry_hash = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        conn.execute("UPDATE audit_head SET seq = ?, hash = ?", [seq, entry_hash])
    result = verify(anchored)
    assert not result.intact
    assert {f.kind for f in result.findings} & {"tail_removed", "older_copy"}, result.message


def test_a_forged_checkpoint_line_is_noticed(anchored: Path) -> None:
    with open(checkpoint_file(anchored), "a") as f:
        f.write(f"v1 {head(anchored) + 5} {'a' * 64} {'b' * 64}\n")
    result = verify(anchored)
    assert not result.intact
    assert "checkpoint_forged" in {f.kind for f in result.findings}, result.message


def test_the_wrong_key_is_named_as_such(anchored: Path) -> None:
    key_file(anchored).write_text("f" * 64)
    result = verify(anchored)
    assert not result.intact
    assert "key_wrong" in {f.kind for f in result.findings}, result.message


def test_without_its_key_the_app_refuses_to_write_to_an_anchored_database(anchored: Path) -> None:
    remove_key(anchored)
    before = head(anchored)
    with store.unit(anchored) as db, pytest.raises(store.StorageError, match="sleutel"), store.write(db):
        audit.append(db, Actor.cli(), "backup")
    assert head(anchored) == before
    assert not key_file(anchored).exists()  # no new key that would hide the missing one


# --- the key ------------------------------------------------------------------------------


def test_init_creates_a_private_key_next_to_the_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "nieuw.db"
    ran = CliRunner().invoke(cli, ["init", "--db", str(path)])
    assert ran.exit_code == 0, ran.output
    key = key_file(path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    assert len(first.strip()) >= 64
    store.migrate(path)  # migrating again keeps the key
    assert key.read_bytes() == first


def test_with_the_key_in_the_environment_no_key_file_is_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(KEY_ENV, "een-sleutel-uit-de-omgeving-" + "7" * 40)
    path = tmp_path / "env.db"
    store.migrate(path)
    with store.unit(path) as db, store.write(db):
        audit.append(db, Actor.cli(), "backup")
    assert not key_file(path).exists()
    assert verify(path).intact
    monkeypatch.setenv(KEY_ENV, "een-andere-sleutel-" + "8" * 40)
    result = verify(path)
    assert not result.intact and "key_wrong" in {f.kind for f in result.findings}, result.message


# --- checkpoints: after the commit, one line per write, never ahead of the database ---------


def test_a_rolled_back_write_leaves_no_checkpoint(anchored: Path) -> None:
    before = checkpoint_file(anchored).read_bytes()
    with store.unit(anchored) as db, pytest.raises(ZeroDivisionError), store.write(db):
        audit.append(db, Actor.cli(), "backup")
        1 / 0  # noqa: B018
    assert checkpoint_file(anchored).read_bytes() == before
    assert checkpoint_seqs(anchored)[-1] == head(anchored)
    assert verify(anchored).intact


def test_a_write_refused_by_a_constraint_leaves_no_checkpoint(anchored: Path) -> None:
    before = checkpoint_file(anchored).read_bytes()
    with store.unit(anchored) as db, pytest.raises(sqlite3.IntegrityError), store.write(db):
        audit.append(db, Actor.cli(), "backup")
        db.execute("INSERT INTO organisations (id, name, created_at) VALUES (1, 'dubbel', 'x')")
    assert checkpoint_file(anchored).read_bytes() == before
    assert verify(anchored).intact


def test_every_write_adds_one_checkpoint_for_its_last_entry(anchored: Path) -> None:
    before = checkpoint_seqs(anchored)
    with store.unit(anchored) as db, store.write(db):
        for _ in range(3):
            last = audit.append(db, Actor.cli(), "backup")
    assert checkpoint_seqs(anchored) == [*before, last]


THREADS, PER_THREAD = 8, 50


def test_concurrent_threads_leave_a_chain_and_checkpoints_that_verify(anchored: Path) -> None:
    start, lines_before = head(anchored), len(checkpoint_seqs(anchored))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            db = store.connect(anchored)
            try:
                for i in range(PER_THREAD):
                    with store.write(db):
                        audit.append(db, Actor.cli(), "test.concurrent", "", None, thread=n, i=i)
            finally:
                db.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors, errors
    total = THREADS * PER_THREAD
    assert head(anchored) == start + total
    new = checkpoint_seqs(anchored)[lines_before:]
    assert sorted(new) == list(range(start + 1, start + total + 1))  # one whole line per commit
    result = verify(anchored)
    assert result.intact and result.entries == start + total, result.message


WRITER = """
import sys
from datalek import store
from datalek.accounts import audit
from datalek.models import Actor
db = store.connect(sys.argv[1])
for i in range(int(sys.argv[2])):
    with store.write(db):
        audit.append(db, Actor.cli(), "test.concurrent", "", None, i=i)
db.close()
"""


def test_concurrent_processes_leave_a_chain_and_checkpoints_that_verify(anchored: Path) -> None:
    start, lines_before = head(anchored), len(checkpoint_seqs(anchored))
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(anchored), "50"], cwd=ROOT, env=env)
        for _ in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    assert sorted(checkpoint_seqs(anchored)[lines_before:]) == list(range(start + 1, start + 201))
    assert verify(anchored).intact


# --- the state of an incident, as committed --------------------------------------------------


def test_incident_entries_carry_the_committed_state_and_other_entries_none(anchored: Path) -> None:
    with store.unit(anchored) as db:
        rows = list(db.query("SELECT object_type, state_hash FROM audit_log"))
    assert all(r["state_hash"] for r in rows if r["object_type"] == "incident")
    assert not any(r["state_hash"] for r in rows if r["object_type"] != "incident")


def test_the_state_is_taken_at_commit_even_when_the_append_came_first(anchored: Path) -> None:
    with store.unit(anchored) as db:
        incident_id = db.execute("SELECT min(id) FROM incidents").fetchone()[0]
        with store.write(db):
            audit.append(db, Actor.cli(), "incident.status", "incident", incident_id)
            incident_sql.touch(db, incident_id, "2026-12-01T00:00:00+00:00")  # written after the append
        [entry] = db.query("SELECT state_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert entry["state_hash"]
    assert verify(anchored).intact


def _dpo(db) -> Actor:
    [row] = db.query("SELECT id FROM users WHERE role = 'dpo'")
    return auth.actor_for(db, row["id"])


NEXT_WRITES = {
    "read": lambda db, dpo, i: incidents.read_incident(db, dpo, i),
    "supplement": lambda db, dpo, i: incidents.add_supplement(db, dpo, i, "Nog iets."),
    "status": lambda db, dpo, i: lifecycle.change_status(db, dpo, i, Status.IN_PROGRESS),
}


@pytest.mark.parametrize("next_write", list(NEXT_WRITES), ids=list(NEXT_WRITES))
def test_the_next_write_does_not_hide_an_edit_made_outside_the_app(anchored: Path, next_write: str) -> None:
    """The state recorded by the next entry would match the edited row; the write itself sees
    that the state before it is not the state of the incident's newest entry, and says so."""
    edit_description(anchored)
    with store.unit(anchored) as db:
        incident_id = db.execute("SELECT min(id) FROM incidents").fetchone()[0]
        NEXT_WRITES[next_write](db, _dpo(db), incident_id)
    result = verify(anchored)
    assert not result.intact, result.message
    [finding] = result.findings
    assert finding.kind == "incident_changed" and "buiten de app" in finding.dutch, result.message


def test_a_refused_read_of_a_deleted_incident_records_the_deletion(anchored: Path) -> None:
    delete_incident(anchored)
    with store.unit(anchored) as db, pytest.raises(PermissionDenied):
        incidents.read_incident(db, _dpo(db), 1)
    result = verify(anchored)
    assert [f.kind for f in result.findings] == ["incident_changed"], result.message
    assert "verwijderd" in result.message


# --- a database from before the anchor ------------------------------------------------------


def test_an_old_database_is_sealed_and_then_protected(tmp_path: Path, monkeypatch) -> None:
    """Entries written before the key keep their SHA-256 hashes; the first write after the
    upgrade (or ``init``) seals them with a keyed entry and records the state of each incident."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "oud.db"
    db = store.connect(path, must_exist=False)
    try:
        with store.write(db):
            store.MIGRATIONS.apply(db, stop_before="0008_audit_anchor")
        db.execute(
            "INSERT INTO organisations (id, name, created_at) VALUES (1, 'Gemeente Oud', '2026-01-01')"
        )
        db.execute(
            "INSERT INTO incidents (id, org_id, year, seq, reference, situation, incident_type, status,"
            " discovered_at, reported_at, aware_at, description, created_at, updated_at) VALUES"
            " (1, 1, 2026, 1, 'DL-2026-0001', 'email_wrong_person', 'confidentiality', 'reported',"
            " '2026-01-01', '2026-01-01', '2026-01-01', 'Oude melding.', '2026-01-01', '2026-01-01')"
        )
        prev = audit.GENESIS
        for seq in (1, 2, 3):
            row = {
                "seq": seq,
                "at": "2026-01-01T00:00:00+00:00",
                "actor_id": None,
                "actor_role": "system",
                "action": "incident.create" if seq == 2 else "backup",
                "object_type": "incident" if seq == 2 else "",
                "object_id": "1" if seq == 2 else "",
                "detail": "{}",
            }
            row["prev_hash"], row["hash"] = prev, audit.entry_hash(prev, audit.event_of(row))
            db.execute(
                "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id,"
                " detail, prev_hash, hash) VALUES (:seq, :at, :actor_id, :actor_role, :action,"
                " :object_type, :object_id, :detail, :prev_hash, :hash)",
                row,
            )
            prev = row["hash"]
        db.conn.commit()
    finally:
        db.close()

    ran = CliRunner().invoke(cli, ["init", "--db", str(path)])
    assert ran.exit_code == 0, ran.output
    assert key_file(path).exists()
    result = verify(path)
    assert result.intact, result.message
    with store.unit(path) as db:
        sealed = list(db.query("SELECT seq, action, object_id, detail FROM audit_log WHERE seq > 3"))
    assert [(r["action"], r["object_id"]) for r in sealed] == [
        ("audit.anchor", ""),
        ("incident.baseline", "1"),
    ]
    assert json.loads(sealed[0]["detail"]) == {"legacy_until": 3}

    rewrite_chain_plain(path)  # the old entries cannot be recomputed either
    result = verify(path)
    assert not result.intact, result.message


def test_the_whole_life_of_an_incident_leaves_states_that_verify(fresh_db, world) -> None:
    """Every write the app makes to an incident (report, supplement, assessment, decision, AP
    notification and supplement, informing, measures, evidence attached, downloaded and removed,
    closing with what was learned, purging after retention) audits the state it commits:
    nothing the app does looks like a change outside the app."""
    from datalek import clock
    from datalek.actions import authority, documents
    from datalek.handling import retention

    db, dpo = fresh_db, world["dpo"]
    incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    incidents.add_supplement(db, world["reporter"], incident.id, "Ook de bijlage ging mee.")
    saved = assessment.save(
        db, dpo, incident.id, prefill.facts_from_report(incident, world.org), "gevolgen", "maatregelen"
    )
    advice = saved.advice
    decisions.record(
        db,
        dpo,
        incident.id,
        DecisionInput(
            breach=advice.is_breach,
            notify_authority=advice.notify_authority,
            inform=Inform.YES if advice.inform_subjects else Inform.NO,
            motivation="Conform advies.",
        ),
    )
    complete_actions(db, dpo, incident.id)
    documents.draft_notification(db, dpo, incident.id)
    if advice.notify_authority:
        authority.record_supplement(db, dpo, incident.id, clock.now(), "Aantal betrokkenen bijgesteld.")
    [measure] = measures.for_incident(db, dpo, incident.id)
    measures.set_status(db, dpo, measure.id, measures.MeasureStatus.DONE)
    kept = evidence.attach(db, dpo, incident.id, "verkeerde-mail.pdf", PDF, "De e-mail zoals verstuurd.")
    evidence.download(db, dpo, kept.id)
    wrong = evidence.attach(db, dpo, incident.id, "notitie.txt", b"Verkeerde notitie.\n")
    evidence.remove(db, dpo, wrong.id, "Bij de verkeerde melding gezet.")
    lifecycle.close(db, dpo, incident.id, a_lesson(measure.id))
    assert db.execute("SELECT count(*) FROM lessons WHERE incident_id = ?", [incident.id]).fetchone()[0] == 1
    incidents.read_incident(db, dpo, incident.id)
    assert audit_verify.verify(db).intact, audit_verify.verify(db).message
    purged = retention.purge(db, world["admin"], apply=True, at=clock.now() + timedelta(days=365 * 30))
    assert incident.id in {item.incident_id for item in purged.incidents}
    result = audit_verify.verify(db)
    assert result.intact, result.message
    edit_description(Path(db.execute("PRAGMA database_list").fetchone()[2]))
    assert "incident_changed" in {f.kind for f in audit_verify.verify(db).findings}
