"""The audit trail: who did what, when — ids, never contents — hash-chained, and anchored
outside the database.

Each entry's hash is an HMAC-SHA256, under the key kept outside the database, over the
previous entry's hash plus the canonical JSON of the event (sequence number, time, actor,
action, object, detail and, for an entry about an incident, the hash of the incident's stored
state). Changing, removing or inserting an entry breaks the chain from that entry on; without
the key nobody can recompute it. After every committed write a signed checkpoint of the head
goes to a file next to the database, so entries removed from the end and an older copy of the
database put back show too (``datalek.accounts.audit_anchor``).

``append`` hands out the sequence number at once; the entry itself is written just before the
COMMIT of the caller's ``store.write`` (a before-commit callback), so that the state of an
incident in its entry is the state as committed, whatever the caller wrote after appending. A
change and its audit entries are committed together or not at all, and the checkpoint is
written only after the COMMIT: a rolled-back write leaves none.

Which rows make up an incident's state: ``datalek.store.audit_log.STATE_COLUMNS`` (the incident
and its supplements, status changes, assessments, decisions, AP notifications, safety checks,
notices to data subjects, public notices and measures). When an entry about an incident is
written and the incident's committed state is not the state of its newest entry, it was changed
outside the app in between: the entry keeps that state in ``state_before``, so a later write
cannot hide the change, and ``audit_verify.verify`` reports it.

Databases from before migration 0008 hold entries hashed with plain SHA-256 (``entry_hash``).
They are kept as they are and sealed: the first write with the key appends an ``audit.anchor``
entry that links to the last of them, and an ``incident.baseline`` entry per incident.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit_anchor
from datalek.models import Actor
from datalek.store import audit_files, audit_log, group_commit

GENESIS = "0" * 64
ANCHOR_ACTION = "audit.anchor"
BASELINE_ACTION = "incident.baseline"
_PENDING = "audit"  # the key of this module's state in ``store.Transaction.state``
_log = logging.getLogger(__name__)

#: Detail values must be ids, codes, counts or flags: no free text, names or e-mail addresses.
_ALLOWED_DETAIL_TYPES = (int, float, bool, type(None))
_MAX_CODE_LENGTH = 64


def canonical(event: dict) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, event: dict) -> str:
    """The hash of an entry written before the key (migration 0008): plain SHA-256."""
    return hashlib.sha256((prev_hash + canonical(event)).encode("utf-8")).hexdigest()


def keyed_hash(key: bytes, prev_hash: str, event: dict) -> str:
    """The hash of an entry written with the key: HMAC-SHA256."""
    return audit_anchor.entry_mac(key, prev_hash, canonical(event))


def _check_detail(detail: dict) -> None:
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, str):
                if len(v) > _MAX_CODE_LENGTH or any(ch.isspace() for ch in v) or "@" in v:
                    raise ValueError(f"audit detail {key!r} must be a code, not text")
            elif not isinstance(v, _ALLOWED_DETAIL_TYPES):
                raise ValueError(f"audit detail {key!r} has an unsupported type")


def event_of(row: dict) -> dict:
    event = {
        "seq": row["seq"],
        "at": row["at"],
        "actor_id": row["actor_id"],
        "actor_role": row["actor_role"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "detail": json.loads(row["detail"]),
    }
    for name in ("state_hash", "state_before"):  # absent from entries written before 0008
        if row.get(name) is not None:
            event[name] = row[name]
    return event


# --- appending ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    """The entries of one write transaction, written just before its COMMIT."""

    path: Path | None
    key: bytes
    next_seq: int
    prev_hash: str
    rows: list[dict] = field(default_factory=list)

    def add(self, actor_id, actor_role: str, action: str, object_type: str, object_id, detail: dict) -> int:
        seq = self.next_seq
        self.rows.append(
            {
                "seq": seq,
                "at": clock.to_iso(clock.now()),
                "actor_id": actor_id,
                "actor_role": actor_role,
                "action": action,
                "object_type": object_type,
                "object_id": "" if object_id is None else str(object_id),
                "detail": canonical(detail),
            }
        )
        self.next_seq += 1
        return seq


def _pending(db: Database) -> _Pending:
    """This transaction's pending entries; the first call fetches the key, registers the
    flush and, in a database with entries from before the key, queues their seal."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.append must run inside a BEGIN IMMEDIATE transaction")
    tx = store.transaction(db)
    pending = tx.state.get(_PENDING)
    if pending is None:
        # The jobs of one group commit share a transaction: the key, and that the trail needs no
        # seal, found by one of them hold for the others (nothing else writes in between).
        shared = tx.state.get(group_commit.SHARED)
        known = shared.get(_PENDING) if shared is not None else None
        path, key = known or audit_anchor.key_for_write(db)
        last = audit_log.last_entry(db)
        pending = tx.state[_PENDING] = _Pending(
            path, key, (last["seq"] + 1) if last else 1, last["hash"] if last else GENESIS
        )
        tx.before_commit.append(lambda: _flush(db, tx, pending))
        if last is not None and not known and _unsealed(db, path, last["seq"]):
            pending.add(None, "system", ANCHOR_ACTION, "", None, {"legacy_until": last["seq"]})
            for incident_id in audit_log.incident_ids(db):
                pending.add(None, "system", BASELINE_ACTION, "incident", incident_id, {})
        elif last is not None and shared is not None:
            shared[_PENDING] = (path, key)  # sealed (or anchored) before this job wrote: stays so
    return pending


def _unsealed(db: Database, path: Path | None, last_seq: int) -> bool:
    """True for a database whose entries all predate the key: never anchored, and its last
    entry holds as plain SHA-256."""
    if audit_files.was_anchored(db, path):
        return False
    row = audit_log.entry(db, last_seq)
    return row is not None and row["hash"] == entry_hash(row["prev_hash"], event_of(row))


def _flush(db: Database, tx: store.Transaction, pending: _Pending) -> None:
    """Before COMMIT: write the entries, each incident's state as it is now, the head marker;
    after COMMIT: the checkpoint."""
    if not pending.rows:
        return
    prev = pending.prev_hash  # read inside this BEGIN IMMEDIATE: no other writer came between
    states: dict[int, str] = {}
    for row in pending.rows:
        row["state_hash"] = row["state_before"] = None
        if row["object_type"] == "incident" and row["object_id"].isdigit():
            incident_id = int(row["object_id"])
            if incident_id not in states:
                states[incident_id] = audit_anchor.state_hash(db, incident_id)
                row["state_before"] = _changed_outside(db, pending.path, incident_id, states[incident_id])
            row["state_hash"] = states[incident_id]
        row["prev_hash"] = prev
        row["hash"] = prev = keyed_hash(pending.key, prev, event_of(row))
        audit_log.insert_entry(db, row)
    seq = pending.rows[-1]["seq"]
    audit_log.set_head(db, audit_anchor.head_row(pending.key, seq, prev))
    checkpoint = lambda: audit_anchor.write_checkpoint(pending.path, pending.key, seq, prev)  # noqa: E731
    once = tx.state.get(group_commit.ONCE_PER_GROUP)
    if once is None:
        tx.after_commit.append(checkpoint)
    else:  # one job of a group commit: one checkpoint per COMMIT, of the group's last entry
        once[_PENDING] = checkpoint


def _changed_outside(db: Database, path: Path | None, incident_id: int, now: str) -> str | None:
    """The incident's state as committed before this transaction, when that is not the state
    in its newest entry: something changed it outside the app since. None when it holds.

    When the state ``now`` (this transaction's changes included) is the newest entry's, as
    after a read, the trail already tells the truth and the committed state is not read."""
    stored = audit_log.newest_state(db, incident_id)
    if stored == now:
        return None
    version = audit_anchor.state_version(stored) if stored else None
    view = audit_log.committed_view(db, path) if version else None
    if view is None:
        return None
    before = audit_anchor.state_hash(view, incident_id, version)
    if before == stored:
        return None
    _log.warning("incident %s was changed outside the app since its last audit entry", incident_id)
    return before


def append(
    db: Database,
    actor: Actor | None,
    action: str,
    object_type: str = "",
    object_id: int | str | None = None,
    **detail,
) -> int:
    """Append one entry; returns its sequence number. Must run inside a ``store.write``
    transaction; the entry is written at its COMMIT."""
    _check_detail(detail)
    pending = _pending(db)
    return pending.add(
        actor.user_id if actor else None,
        ("system" if actor.system else actor.role.value) if actor else "anonymous",
        action,
        object_type,
        object_id,
        detail,
    )


def seal(db: Database) -> bool:
    """Inside a ``store.write``: seal the entries from before the key, if there are any
    (``python -m datalek init`` calls it; otherwise the first write does). Also fetches, or
    for a new database makes, the key: ``AuditKeyMissing`` when an anchored one lost it."""
    return any(row["action"] == ANCHOR_ACTION for row in _pending(db).rows)
