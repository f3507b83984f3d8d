"""What ties the audit trail to things outside the database: the key, the signed checkpoints,
the signed head marker, and the hash of an incident's stored state.

The database alone cannot prove it was not edited: whoever can write the file can drop the
triggers, change an entry and recompute every SHA-256 after it. So:

* every entry's hash is an HMAC-SHA256 under a secret key that lives outside the database
  (``<db>.auditkey``, or ``DATALEK_AUDIT_KEY``): without the key, no valid entry can be made;
* after every committed write, a signed checkpoint (the last sequence number and its hash)
  is appended to ``<db>.auditlog-checkpoints``: entries removed from the end, or an older copy
  of the database put back, fall behind the last checkpoint;
* the database keeps a signed head marker (``audit_head``) in the same transaction as the
  entries: entries removed from the end without changing it show at once;
* each entry about an incident carries the SHA-256 of the incident's stored state at commit:
  an incident changed or deleted with plain SQL no longer matches its newest entry.

See ``datalek.accounts.audit`` for how ``verify`` uses these, and docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from datalek.store import StorageError, audit_files, audit_log

STATE_VERSION = 6
_log = logging.getLogger(__name__)


class AuditKeyMissing(StorageError):
    """The database was anchored with a key, and the key is gone: nothing can be audited, so
    nothing is written (a new key would hide that the old one is missing)."""

    def __init__(self, where: str):
        super().__init__(
            f"De sleutel van de audittrail ontbreekt ({where}). Er is niets opgeslagen. Zet de "
            "sleutel terug uit de back-up; zie docs/security.md."
        )


def _mac(key: bytes, label: str, text: str) -> str:
    return hmac.new(key, f"{label}\n{text}".encode(), hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a, b)


def key_id(key: bytes) -> str:
    """A short public name of the key: tells a wrong key from a changed trail."""
    return _mac(key, "datalek-audit-key-id", "")[:16]


def entry_mac(key: bytes, prev_hash: str, canonical_event: str) -> str:
    """An entry's hash: HMAC-SHA256 over the previous hash and the event."""
    return _mac(key, "datalek-audit-entry-v1", prev_hash + canonical_event)


def head_mac(key: bytes, seq: int, entry_hash: str) -> str:
    return _mac(key, "datalek-audit-head-v1", f"{seq} {entry_hash}")


def head_row(key: bytes, seq: int, entry_hash: str) -> dict:
    return {"seq": seq, "hash": entry_hash, "key_id": key_id(key), "mac": head_mac(key, seq, entry_hash)}


# -- the key -----------------------------------------------------------------------------------


def key_for_write(db: Database) -> tuple[Path | None, bytes]:
    """The key to write with. A database never anchored gets its key file now (a copy of an
    empty database, say); an anchored one without its key refuses: ``AuditKeyMissing``."""
    path = audit_files.db_file(db)
    key = audit_files.read_key(path)
    if key is None and audit_files.ensure_key(db, path):
        key = audit_files.read_key(path)
    if key is None:
        raise AuditKeyMissing(audit_files.key_location(path))
    return path, key


# -- checkpoints ---------------------------------------------------------------------------------


def checkpoint_mac(key: bytes, seq: int, entry_hash: str) -> str:
    return _mac(key, "datalek-audit-checkpoint-v1", f"{seq} {entry_hash}")


def checkpoint_line(key: bytes, seq: int, entry_hash: str) -> str:
    return f"v1 {seq} {entry_hash} {checkpoint_mac(key, seq, entry_hash)}\n"


def write_checkpoint(path: Path | None, key: bytes, seq: int, entry_hash: str) -> None:
    """After the commit: one signed line for the new head. A line that cannot be written (a
    full disk) leaves the database ahead of the checkpoints, which verify accepts."""
    if path is None:
        return
    try:
        audit_files.append_checkpoint(path, checkpoint_line(key, seq, entry_hash))
    except OSError as exc:
        _log.warning("audit checkpoint %s not written: %s", seq, exc)


def short(entry_hash: str) -> int:
    """The first 64 bits of a hash, never 0: what the checkpoint table keeps per entry."""
    return int(entry_hash[:16], 16) | 1


@dataclass
class Checkpoints:
    """The checkpoint file, read as a stream: per sequence number the (first 64 bits of the)
    checkpointed hash, in an array of 8 bytes per entry, and what does not hold."""

    exists: bool
    last: int = 0  # the highest valid checkpoint
    valid: int = 0
    forged: int = 0  # lines whose HMAC does not hold under the key
    damaged: int = 0  # lines that are not a checkpoint at all
    fork: int | None = None  # the lowest seq checkpointed with two different hashes
    points: array = field(default_factory=lambda: array("Q"))

    def at(self, seq: int) -> int:
        """The checkpointed hash of ``seq`` (``short``), 0 when it has no checkpoint."""
        return self.points[seq] if seq < len(self.points) else 0


def _parse(line: str) -> tuple[int, str, str] | None:
    parts = line.split(" ")
    if len(parts) != 4 or parts[0] != "v1" or not parts[1].isdigit() or len(parts[2]) != 64:
        return None
    try:
        int(parts[2], 16)
    except ValueError:
        return None
    return int(parts[1]), parts[2], parts[3]


def read_checkpoints(path: Path | None, key: bytes | None) -> Checkpoints:
    """Read and check every line. Without a key nothing can be checked: only the highest
    sequence number is kept."""
    lines = audit_files.checkpoint_lines(path)
    if lines is None:
        return Checkpoints(False)
    found = Checkpoints(True)
    for line in lines:
        parsed = _parse(line)
        if parsed is None:
            found.damaged += 1
            continue
        seq, entry_hash, mac = parsed
        if key is None:
            found.last = max(found.last, seq)
            continue
        if not same(mac, checkpoint_mac(key, seq, entry_hash)):
            found.forged += 1
            continue
        found.valid += 1
        found.last = max(found.last, seq)
        if seq >= len(found.points):
            found.points.extend([0] * (seq + 1 - len(found.points) + 1024))
        value, had = short(entry_hash), found.points[seq]
        if had and had != value and (found.fork is None or seq < found.fork):
            found.fork = seq
        found.points[seq] = value
    return found


# -- the state of an incident ------------------------------------------------------------------------


def state_hash(db: Database, incident_id: int, version: int = STATE_VERSION) -> str:
    """``s<version>:`` + SHA-256 of the incident's rows (``audit_log.STATE_COLUMNS``)."""
    state = audit_log.incident_state(db, incident_id, version)
    text = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"s{version}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def state_version(stored: str) -> int | None:
    """The version a stored state hash was made with (None when it is not one)."""
    head, _, digest = stored.partition(":")
    if head[:1] != "s" or not head[1:].isdigit() or len(digest) != 64:
        return None
    version = int(head[1:])
    return version if version in audit_log.STATE_COLUMNS else None
