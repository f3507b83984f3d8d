"""SQL for incidents, their supplements and their status history."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import outstanding as clocks

INCIDENT_COLUMNS = (
    "org_id",
    "year",
    "seq",
    "reference",
    "reporter_id",
    "department",
    "situation",
    "incident_type",
    "status",
    "occurred_from",
    "occurred_to",
    "ongoing",
    "discovered_at",
    "reported_at",
    "aware_at",
    "aware_basis",
    "aware_source",
    "first_aware_at",
    "occurrence",
    "report",
    "description",
    "actions_taken",
    "pii_kept",
    "created_at",
    "updated_at",
    "month",
)

_INSERT = "INSERT INTO incidents ({}) VALUES ({})".format(
    ", ".join(INCIDENT_COLUMNS), ", ".join(":" + c for c in INCIDENT_COLUMNS)
)
#: A new report: inserted with the incident it repeats, so that the roll-up counts it once.
_INSERT_REPORT = "INSERT INTO incidents ({}) VALUES ({}) RETURNING *".format(
    ", ".join((*INCIDENT_COLUMNS, "repeat_of")), ", ".join(":" + c for c in (*INCIDENT_COLUMNS, "repeat_of"))
)

# What a list shows: no free text, no report answers.
_LIST_COLUMNS = (
    "id, org_id, reference, reporter_id, department, situation, incident_type, status,"
    " discovered_at, reported_at, aware_at, updated_at"
)


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def next_seq(db: Database, org_id: int, year: int) -> int:
    """The next sequence number of an organisation's year; call inside BEGIN IMMEDIATE."""
    return db.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM incidents WHERE org_id = ? AND year = ?", [org_id, year]
    ).fetchone()[0]


def insert_incident(db: Database, row: dict) -> dict:
    """A new report, ``repeat_of`` included; returns its row as stored (``RETURNING``: the
    caller of a group commit gets it without reading it back, ``handling.incidents``)."""
    cursor = db.execute(_INSERT_REPORT, row)
    stored = cursor.fetchall()  # to the end: no statement stays open until the COMMIT
    return dict(zip([c[0] for c in cursor.description], stored[0], strict=True))


def insert_incidents(db: Database, rows: list[dict]) -> None:
    db.conn.executemany(_INSERT, rows)


def incident(db: Database, incident_id: int) -> dict | None:
    cursor = db.execute("SELECT * FROM incidents WHERE id = ?", [incident_id])
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None


def reporter(db: Database, incident_id: int) -> dict | None:
    """The reporter of an incident: name, e-mail address and whether the account is active;
    None when the incident has no reporter any more (removed, or purged after retention)."""
    rows = list(
        db.query(
            "SELECT u.name, u.email, u.active FROM incidents i JOIN users u ON u.id = i.reporter_id"
            " WHERE i.id = ?",
            [incident_id],
        )
    )
    return rows[0] if rows else None


def by_reporter(db: Database, reporter_id: int, limit: int) -> list[dict]:
    return list(
        db.query(
            f"SELECT {_LIST_COLUMNS} FROM incidents WHERE reporter_id = ?"
            " ORDER BY reported_at DESC, id DESC LIMIT ?",
            [reporter_id, limit],
        )
    )


#: The queue's columns besides the clock's (``store.outstanding.CLOCK_COLUMNS``).
_QUEUE_COLUMNS = (
    "i.id, i.org_id, i.reference, i.reporter_id, i.department, i.situation, i.incident_type,"
    " i.discovered_at, i.reported_at, i.updated_at"
)


def queue(
    db: Database,
    org_ids: list[int],
    statuses: list[str],
    department: str | None,
    incident_type: str | None,
    limit: int,
) -> list[dict]:
    """Incidents of the given organisations and statuses with their clock's columns
    (``store.outstanding``), in one query: running clocks first, earliest deadline on top;
    then those whose clock stopped (notified, or decided not to notify)."""
    sql = (
        f"WITH q AS (SELECT {_QUEUE_COLUMNS}, {clocks.CLOCK_COLUMNS} FROM incidents i {clocks.LATEST_DECISION}"
        f" WHERE i.org_id IN ({_marks(org_ids)}) AND i.status IN ({_marks(statuses)})"
    )
    params: list = [*org_ids, *statuses]
    if department:
        sql += " AND i.department = ?"
        params.append(department)
    if incident_type:
        sql += " AND i.incident_type = ?"
        params.append(incident_type)
    sql += f") SELECT *, {clocks.RUNNING} AS clock_running FROM q ORDER BY clock_running DESC, aware_at, id LIMIT ?"
    params.append(limit)
    return list(db.query(sql, params))


def departments(db: Database, org_ids: list[int]) -> list[str]:
    return [
        r["department"]
        for r in db.query(
            f"SELECT DISTINCT department FROM incidents WHERE org_id IN ({_marks(org_ids)})"
            " AND department != '' ORDER BY department",
            org_ids,
        )
    ]


def set_status(db: Database, incident_id: int, status: str, at: str) -> int:
    return db.execute(
        "UPDATE incidents SET status = ?, updated_at = ? WHERE id = ?", [status, at, incident_id]
    ).rowcount


def set_closed(db: Database, incident_id: int, closed_at: str | None) -> None:
    db.execute("UPDATE incidents SET closed_at = ? WHERE id = ?", [closed_at, incident_id])


def touch(db: Database, incident_id: int, at: str) -> None:
    db.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", [at, incident_id])


def insert_status_change(db: Database, row: dict) -> None:
    db.execute(
        "INSERT INTO status_changes (incident_id, from_status, to_status, actor_id, at, reason)"
        " VALUES (:incident_id, :from_status, :to_status, :actor_id, :at, :reason)",
        row,
    )


def status_changes(db: Database, incident_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM status_changes WHERE incident_id = ? ORDER BY at, id", [incident_id]))


def insert_supplement(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO supplements (incident_id, author_id, created_at, text)"
        " VALUES (:incident_id, :author_id, :created_at, :text)",
        row,
    ).lastrowid


def supplements(db: Database, incident_id: int) -> list[dict]:
    return list(
        db.query("SELECT * FROM supplements WHERE incident_id = ? ORDER BY created_at, id", [incident_id])
    )


def count(db: Database) -> int:
    return next(db.query("SELECT count(*) AS n FROM incidents"))["n"]


def without_assessment(db: Database, statuses: list[str]) -> list[dict]:
    """Incidents in these statuses that have no assessment yet (for demo data)."""
    return list(
        db.query(
            f"SELECT * FROM incidents WHERE status IN ({_marks(statuses)}) AND id NOT IN"
            " (SELECT incident_id FROM assessments) ORDER BY id",
            statuses,
        )
    )


def id_by_reference(db: Database, org_id: int, reference: str) -> int | None:
    """The incident with this reference (DL-2026-0042) in this organisation."""
    rows = list(
        db.query("SELECT id FROM incidents WHERE org_id = ? AND reference = ?", [org_id, reference.strip()])
    )
    return rows[0]["id"] if rows else None
