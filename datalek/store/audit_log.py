"""SQL for the append-only audit log (the hashing lives in ``datalek.accounts.audit``), its head
marker, and the rows that make up the stored state of an incident."""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database


def last_entry(db: Database) -> dict | None:
    rows = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    row = rows[0] if rows else None
    return {"seq": row[0], "hash": row[1]} if row else None


def entry(db: Database, seq: int) -> dict | None:
    rows = list(db.query("SELECT * FROM audit_log WHERE seq = ?", [seq]))
    return rows[0] if rows else None


def insert_entry(db: Database, row: dict) -> None:
    db.execute(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id,"
        " detail, state_hash, state_before, prev_hash, hash) VALUES (:seq, :at, :actor_id,"
        " :actor_role, :action, :object_type, :object_id, :detail, :state_hash, :state_before,"
        " :prev_hash, :hash)",
        row,
    )


# -- the head marker: the last entry as the database itself last recorded it -------------------


def head(db: Database) -> dict | None:
    """The head marker (seq, hash, key_id, mac), or None (never anchored, or before 0008)."""
    try:
        rows = db.execute("SELECT seq, hash, key_id, mac FROM audit_head WHERE id = 1").fetchall()
        row = rows[0] if rows else None
    except sqlite3.OperationalError as exc:  # a database from before migration 0008
        if "no such table" in str(exc):
            return None
        raise
    return dict(zip(("seq", "hash", "key_id", "mac"), row, strict=True)) if row else None


def set_head(db: Database, row: dict) -> None:
    db.execute(
        "INSERT INTO audit_head (id, seq, hash, key_id, mac) VALUES (1, :seq, :hash, :key_id, :mac)"
        " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
        " key_id = excluded.key_id, mac = excluded.mac",
        row,
    )


# -- the stored state of an incident ---------------------------------------------------------

#: What the app can change of an incident, table by table, in a fixed column order. Version 1
#: (migration 0008). A later migration that adds a column the app changes adds a version 2
#: here; entries keep the version they were written with, so old entries still verify.
STATE_COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    1: {
        "incidents": (
            "id", "org_id", "year", "seq", "reference", "reporter_id", "department", "situation",
            "incident_type", "status", "occurred_from", "occurred_to", "ongoing", "discovered_at",
            "reported_at", "aware_at", "report", "description", "actions_taken", "pii_kept",
            "created_at", "updated_at", "month", "repeat_of", "closed_at", "purged_at",
        ),
        "supplements": ("id", "author_id", "created_at", "text"),
        "status_changes": ("id", "from_status", "to_status", "actor_id", "at", "reason"),
        "assessments": (
            "id", "version", "facts", "advice", "risk", "notify_authority", "inform_subjects",
            "enisa_level", "enisa_score", "effects", "remedial_action", "author_id", "created_at",
        ),
        "decisions": (
            "id", "assessment_id", "kind", "notify_authority", "inform_subjects", "inform_date",
            "lawful_basis", "motivation", "deviates", "deviation_motivation", "advice",
            "decided_by", "decided_at",
        ),
        "authority_notifications": (
            "id", "kind", "ap_reference", "submitted_at", "late_reason", "note", "concept",
            "recorded_by", "recorded_at",
        ),
        "safety_checks": ("id", "recipient", "risk", "reason", "review_on", "recorded_by", "recorded_at"),
        "subject_notices": (
            "id", "recipient", "people_count", "informed_on", "channel", "recorded_by", "recorded_at",
        ),
        "public_notices": ("id", "text", "published_on", "recorded_by", "recorded_at"),
        "measures": (
            "id", "org_id", "kind", "description", "owner", "due_on", "status", "done_on",
            "created_by", "created_at", "updated_at",
        ),
    }
}  # fmt: skip

#: Version 2 (migration 0013): a notice or measure withdrawn, and the corrections with their
#: old values, are part of the incident's state.
_WITHDRAWAL = ("withdrawn_at", "withdrawn_by", "withdrawn_reason")
STATE_COLUMNS[2] = {
    **STATE_COLUMNS[1],
    "subject_notices": (*STATE_COLUMNS[1]["subject_notices"], *_WITHDRAWAL),
    "measures": (*STATE_COLUMNS[1]["measures"], *_WITHDRAWAL),
    "corrections": (
        "id", "table_name", "row_id", "field", "old_value", "new_value", "reason", "changed_by",
        "changed_at",
    ),
}  # fmt: skip


#: Version 3 (migration 0014): how the organisation became aware, the first recorded awareness,
#: the occurrence kind and the reason for a delay, and every change of a moment with its old
#: value, who and why (``incident_changes``).
STATE_COLUMNS[3] = {
    **STATE_COLUMNS[2],
    "incidents": (
        *STATE_COLUMNS[2]["incidents"], "aware_basis", "aware_source", "first_aware_at",
        "delay_reason", "occurrence",
    ),
    "incident_changes": (
        "id", "field", "old_value", "new_value", "reason", "after_notification", "changed_by",
        "changed_at",
    ),
}  # fmt: skip


#: Version 4 (migrations 0018-0020, released together): the informing list in families (each
#: person, every change of a person with its old value, each family's safety judgement), every
#: letter made, and which person and letter a notice records; where a public notice was
#: published. A birth date or a safety flag changed outside the app decides who gets a letter:
#: it must show. The files attached as evidence (their hash, not their content, which is kept
#: once per hash), the lessons learned at each closing, and who was consulted for a decision
#: and the incident a duplicate repeats.
STATE_COLUMNS[4] = {
    **STATE_COLUMNS[3],
    "decisions": (*STATE_COLUMNS[3]["decisions"], "consulted", "duplicate_of"),
    "subject_notices": (*STATE_COLUMNS[3]["subject_notices"], "member_id", "letter_id"),
    "public_notices": (*STATE_COLUMNS[3]["public_notices"], "published_where"),
    "households": ("id", "label", "created_by", "created_at"),
    "household_members": (
        "id", "household_id", "file_ref", "relation", "birth_date", "age_band", "competent",
        "consent_parents", "parents_withheld", "parents_withheld_reason", "deviation",
        "deviation_reader", "deviation_reason", "removed_at", "removed_by", "removed_reason",
        "recorded_by", "recorded_at",
    ),
    "member_changes": (
        "id", "member_id", "field", "old_value", "new_value", "reason", "changed_by", "changed_at",
    ),
    "household_safety": (
        "id", "household_id", "flagged", "concern", "postponed", "reason", "review_on",
        "recorded_by", "recorded_at",
    ),
    "letters": (
        "id", "member_id", "reader", "template_id", "template_version", "text", "sha256", "made_by",
        "made_at",
    ),
    "evidence": (
        "id", "file_name", "media_type", "size", "sha256", "note", "added_by", "added_at",
        "removed_at", "removed_by", "removed_reason", "purged_at",
    ),
    "lessons": (
        "id", "theme", "learned", "prevention", "measure_id", "no_measure_reason", "recorded_by",
        "recorded_at",
    ),
}  # fmt: skip


#: Version 5 (migrations 0022, 0023): the kind of the reason for a delay (it decides the
#: late-reason figures: a kind changed outside the app must show) and the processors and
#: partners involved in an incident.
STATE_COLUMNS[5] = {
    **STATE_COLUMNS[4],
    "incidents": (*STATE_COLUMNS[4]["incidents"], "delay_kind"),
    # migration 0023: the processors and partners involved, their roles and moments
    "incident_parties": (
        "id", "party_id", "roles", "party_aware_at", "party_told_at", "added_by", "added_at",
        "removed_at", "removed_by", "removed_reason",
    ),
    "incident_party_changes": (
        "id", "link_id", "field", "old_value", "new_value", "reason", "changed_by", "changed_at",
    ),
}  # fmt: skip


#: Version 6 (migrations 0025-0027, issue #16): the report link an incident came through and its
#: follow-up token (a token hash changed outside the app would open the report to someone
#: else); a duplicate merged under its main incident, and the incidents it is linked with; its
#: membership of a chain incident, with the chain's changes; the partner notification log and
#: its corrections. The chain's shared description is the chain's, not one incident's: it is
#: audited by the chain's own entries.
STATE_COLUMNS[6] = {
    **STATE_COLUMNS[5],
    "incidents": (*STATE_COLUMNS[5]["incidents"], "report_link_id"),
    "report_follow_ups": ("id", "link_id", "token_hash", "created_at", "expires_at"),
    "incident_merges": (
        "id", "main_id", "decision_id", "reason", "merged_by", "merged_at", "undone_by", "undone_at",
        "undo_reason",
    ),
    "incident_links": (
        "id", "other_id", "note", "linked_by", "linked_at", "removed_by", "removed_at", "removed_reason",
    ),
    "chain_members": (
        "id", "chain_id", "created_linked", "added_by", "added_at", "removed_at", "removed_by",
        "removed_reason",
    ),
    "chain_changes": (
        "id", "chain_id", "field", "old_value", "new_value", "reason", "changed_by", "changed_at",
    ),
    "partner_notices": (
        "id", "party_id", "partner_org_id", "partner_name", "told_what", "told_at", "channel", "reply",
        "reply_at", "recorded_by", "recorded_at", "withdrawn_at", "withdrawn_by", "withdrawn_reason",
    ),
    "partner_notice_changes": (
        "id", "notice_id", "field", "old_value", "new_value", "reason", "changed_by", "changed_at",
    ),
}  # fmt: skip


def incident_state(db: Database, incident_id: int, version: int) -> dict[str, list[list]]:
    """The rows of one incident per table (values in ``STATE_COLUMNS`` order, by id); the
    ``incidents`` list is empty when the incident does not exist. One query for all tables
    (``_state_query``): it runs in every write about an incident."""
    columns_of = STATE_COLUMNS[version]
    state: dict[str, list[list]] = {table: [] for table in columns_of}
    for table, *values in db.conn.execute(_state_query(version), {"id": incident_id}):
        state[table].append(values[: len(columns_of[table])])
    return state


_STATE_QUERIES: dict[int, str] = {}


def _state_query(version: int) -> str:
    """``SELECT <table>, <its columns>, NULL … UNION ALL …`` for every table of a version, each
    padded to the widest, ordered by table and id (the first column of every table): the
    values come back as each table's own query would return them."""
    if version not in _STATE_QUERIES:
        tables = STATE_COLUMNS[version]
        width = max(len(columns) for columns in tables.values())
        parts = []
        for table, columns in tables.items():
            key = "id" if table == "incidents" else "incident_id"
            padded = [*columns, *["NULL"] * (width - len(columns))]
            parts.append(f"SELECT '{table}' AS t, {', '.join(padded)} FROM {table} WHERE {key} = :id")
        _STATE_QUERIES[version] = " UNION ALL ".join(parts) + " ORDER BY 1, 2"
    return _STATE_QUERIES[version]


def newest_state(db: Database, incident_id: int) -> str | None:
    """The state hash in the newest entry about an incident (None when it has none)."""
    row = db.execute(
        "SELECT state_hash FROM audit_log WHERE object_type = 'incident' AND object_id = ?"
        " AND state_hash IS NOT NULL ORDER BY seq DESC LIMIT 1",
        [str(incident_id)],
    ).fetchone()
    return row[0] if row else None


_VIEWS: weakref.WeakKeyDictionary[Database, Database] = weakref.WeakKeyDictionary()


def committed_view(db: Database, path: Path | None) -> Database | None:
    """A read-only connection to the same file, kept with ``db``: inside ``db``'s write
    transaction it still sees the state as last committed (WAL), before this transaction's
    changes. None for an in-memory database."""
    if path is None:
        return None
    view = _VIEWS.get(db)
    if view is None:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=10000")
        view = _VIEWS[db] = Database(conn, execute_plugins=False)
        weakref.finalize(db, conn.close)
    return view


def incident_ids(db: Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM incidents ORDER BY id").fetchall()]


def incident_reference(db: Database, incident_id: int) -> str | None:
    row = db.execute("SELECT reference FROM incidents WHERE id = ?", [incident_id]).fetchone()
    return row[0] if row else None


def entries(db: Database) -> Iterator[dict]:
    return db.query("SELECT * FROM audit_log ORDER BY seq")


def entries_for(db: Database, object_type: str, object_id: str) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY seq",
            [object_type, object_id],
        )
    )


def recent(db: Database, limit: int = 200, action: str | None = None) -> list[dict]:
    if action:
        return list(
            db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT ?", [action, limit])
        )
    return list(db.query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", [limit]))
