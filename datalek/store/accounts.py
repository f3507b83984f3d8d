"""SQL for organisations, users and memberships (failed sign-ins: ``store/throttle.py``)."""

from __future__ import annotations

from sqlite_utils import Database


def insert_organisation(db: Database, row: dict) -> int:
    cur = db.execute(
        "INSERT INTO organisations (name, dpo_name, dpo_email, dpo_phone, youth_care, created_at)"
        " VALUES (:name, :dpo_name, :dpo_email, :dpo_phone, :youth_care, :created_at)",
        {"youth_care": 0, **row},
    )
    return cur.lastrowid


def organisation(db: Database, org_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM organisations WHERE id = ?", [org_id]))
    return rows[0] if rows else None


def organisation_by_name(db: Database, name: str) -> dict | None:
    rows = list(db.query("SELECT * FROM organisations WHERE name = ? COLLATE NOCASE", [name]))
    return rows[0] if rows else None


def organisations(db: Database, ids: list[int] | None = None) -> list[dict]:
    if ids is None:
        return list(db.query("SELECT * FROM organisations ORDER BY name"))
    marks = ",".join("?" * len(ids)) or "NULL"
    return list(db.query(f"SELECT * FROM organisations WHERE id IN ({marks}) ORDER BY name", ids))


def count_users(db: Database) -> int:
    return next(db.query("SELECT count(*) AS n FROM users"))["n"]


def insert_user(db: Database, row: dict) -> int:
    cur = db.execute(
        "INSERT INTO users (email, name, role, password_hash, active, created_at, password_changed_at)"
        " VALUES (:email, :name, :role, :password_hash, 1, :created_at, :created_at)",
        row,
    )
    return cur.lastrowid


def user(db: Database, user_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def user_by_email(db: Database, email: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [email]))
    return rows[0] if rows else None


def users(db: Database) -> list[dict]:
    return list(db.query("SELECT * FROM users ORDER BY name"))


def set_user_active(db: Database, user_id: int, active: bool) -> int:
    return db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id]).rowcount


def set_password_hash(db: Database, user_id: int, password_hash: str, at: str) -> int:
    return db.execute(
        "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
        [password_hash, at, user_id],
    ).rowcount


def set_user_contact(db: Database, user_id: int, job_title: str, phone: str) -> int:
    """The account's job title and phone, as the notifier of a concept AP-melding."""
    return db.execute(
        "UPDATE users SET job_title = ?, phone = ? WHERE id = ?", [job_title, phone, user_id]
    ).rowcount


def set_user_role(db: Database, user_id: int, role: str) -> int:
    return db.execute("UPDATE users SET role = ? WHERE id = ?", [role, user_id]).rowcount


def set_dpo_contact(db: Database, org_id: int, dpo_name: str, dpo_email: str, dpo_phone: str) -> int:
    return db.execute(
        "UPDATE organisations SET dpo_name = ?, dpo_email = ?, dpo_phone = ? WHERE id = ?",
        [dpo_name, dpo_email, dpo_phone, org_id],
    ).rowcount


def user_names(db: Database, ids: list[int]) -> dict[int, str]:
    """The names of these accounts, for the audit trail."""
    marks = ",".join("?" * len(ids)) or "NULL"
    return {r["id"]: r["name"] for r in db.query(f"SELECT id, name FROM users WHERE id IN ({marks})", ids)}


def organisation_names(db: Database, ids: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(ids)) or "NULL"
    return {
        r["id"]: r["name"] for r in db.query(f"SELECT id, name FROM organisations WHERE id IN ({marks})", ids)
    }


def incident_references(db: Database, ids: list[int]) -> dict[int, str]:
    """The reference numbers (DL-2026-0042) of these incidents, for the audit trail: no contents."""
    marks = ",".join("?" * len(ids)) or "NULL"
    return {
        r["id"]: r["reference"]
        for r in db.query(f"SELECT id, reference FROM incidents WHERE id IN ({marks})", ids)
    }


def add_membership(db: Database, user_id: int, org_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO memberships (user_id, org_id) VALUES (?, ?)", [user_id, org_id])


def membership_ids(db: Database, user_id: int) -> list[int]:
    return [
        r["org_id"]
        for r in db.query("SELECT org_id FROM memberships WHERE user_id = ? ORDER BY org_id", [user_id])
    ]


def all_memberships(db: Database) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for r in db.query("SELECT user_id, org_id FROM memberships ORDER BY org_id"):
        result.setdefault(r["user_id"], []).append(r["org_id"])
    return result


def dpo_accounts(db: Database, org_id: int) -> list[dict]:
    """Every FG account of an organisation, switched off ones too."""
    return list(
        db.query(
            "SELECT u.* FROM users u JOIN memberships m ON m.user_id = u.id"
            " WHERE m.org_id = ? AND u.role = 'dpo' ORDER BY u.name",
            [org_id],
        )
    )


def dpo_emails(db: Database, org_id: int) -> list[str]:
    """E-mail addresses of the active FG accounts of an organisation."""
    return [
        r["email"]
        for r in db.query(
            "SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id"
            " WHERE m.org_id = ? AND u.role = 'dpo' AND u.active = 1 ORDER BY u.email",
            [org_id],
        )
    ]
