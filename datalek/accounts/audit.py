"""The hash-chained audit trail: who did what, when — ids, never contents.

Each entry stores the SHA-256 over the previous entry's hash plus the canonical JSON of
the event (sequence number, time, actor, action, object, detail). Changing, removing or
inserting any entry breaks the chain from that entry on, and ``verify`` names the first
broken sequence number. Entries are appended inside the caller's ``BEGIN IMMEDIATE``
transaction, so the chain cannot fork under concurrency and a change and its audit row
are committed together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlite_utils import Database

from datalek import clock
from datalek.models import Actor
from datalek.store import audit_log

GENESIS = "0" * 64

#: Detail values must be ids, codes, counts or flags: no free text, names or e-mail addresses.
_ALLOWED_DETAIL_TYPES = (int, float, bool, type(None))
_MAX_CODE_LENGTH = 64


def canonical(event: dict) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, event: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode("utf-8")).hexdigest()


def _check_detail(detail: dict) -> None:
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, str):
                if len(v) > _MAX_CODE_LENGTH or any(ch.isspace() for ch in v) or "@" in v:
                    raise ValueError(f"audit detail {key!r} must be a code, not text")
            elif not isinstance(v, _ALLOWED_DETAIL_TYPES):
                raise ValueError(f"audit detail {key!r} has an unsupported type")


def _event(row: dict) -> dict:
    return {
        "seq": row["seq"],
        "at": row["at"],
        "actor_id": row["actor_id"],
        "actor_role": row["actor_role"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "detail": json.loads(row["detail"]),
    }


def append(
    db: Database,
    actor: Actor | None,
    action: str,
    object_type: str = "",
    object_id: int | str | None = None,
    **detail,
) -> int:
    """Append one entry. Must run inside a ``store.write`` transaction."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.append must run inside a BEGIN IMMEDIATE transaction")
    _check_detail(detail)
    last = audit_log.last_entry(db)
    prev_hash = last["hash"] if last else GENESIS
    row = {
        "seq": (last["seq"] + 1) if last else 1,
        "at": clock.to_iso(clock.now()),
        "actor_id": actor.user_id if actor else None,
        "actor_role": (("system" if actor.system else actor.role.value) if actor else "anonymous"),
        "action": action,
        "object_type": object_type,
        "object_id": "" if object_id is None else str(object_id),
        "detail": canonical(detail),
    }
    row["prev_hash"] = prev_hash
    row["hash"] = entry_hash(prev_hash, _event(row))
    audit_log.insert_entry(db, row)
    return row["seq"]


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    first_broken: int | None = None

    @property
    def message(self) -> str:
        if self.intact:
            return f"Audit trail intact: {self.entries} entries verified."
        return f"Audit trail broken at sequence number {self.first_broken}."


def verify(db: Database) -> Verification:
    """Recompute the chain; name the first entry whose hash or link does not hold."""
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    for row in audit_log.entries(db):
        if row["seq"] != expected_seq:
            return Verification(False, count, expected_seq)
        if row["prev_hash"] != prev_hash or entry_hash(prev_hash, _event(row)) != row["hash"]:
            return Verification(False, count, row["seq"])
        prev_hash = row["hash"]
        expected_seq += 1
        count += 1
    return Verification(True, count)
