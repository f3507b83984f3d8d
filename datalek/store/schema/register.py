"""Migrations 0001–0005. The register itself (0.1.0): organisations, accounts, incidents and their status history,
the FG's assessments and decisions, what follows a decision, the dashboard's first roll-up.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            fg_name TEXT NOT NULL DEFAULT '',
            fg_email TEXT NOT NULL DEFAULT '',
            fg_phone TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reporter', 'dpo', 'management', 'admin')),
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            password_changed_at TEXT
        );
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id),
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            PRIMARY KEY (user_id, org_id)
        );
        CREATE TABLE signin_failures (
            email TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failed_at TEXT NOT NULL
        );
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            reference TEXT NOT NULL,
            reporter_id INTEGER REFERENCES users(id),
            department TEXT NOT NULL DEFAULT '',
            situation TEXT NOT NULL,
            incident_type TEXT NOT NULL,
            status TEXT NOT NULL,
            occurred_from TEXT,
            occurred_to TEXT,
            ongoing INTEGER NOT NULL DEFAULT 0,
            discovered_at TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            aware_at TEXT NOT NULL,
            report TEXT NOT NULL DEFAULT '{}',
            description TEXT NOT NULL DEFAULT '',
            actions_taken TEXT NOT NULL DEFAULT '',
            pii_kept INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (org_id, year, seq)
        );
        CREATE INDEX incidents_reporter ON incidents (reporter_id, reported_at);
        CREATE INDEX incidents_queue ON incidents (org_id, status, aware_at);
        CREATE INDEX incidents_reported ON incidents (org_id, reported_at);
        CREATE TABLE supplements (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            author_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX supplements_incident ON supplements (incident_id, created_at);
        CREATE TABLE status_changes (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            from_status TEXT,
            to_status TEXT NOT NULL,
            actor_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX status_changes_incident ON status_changes (incident_id, at);
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id INTEGER,
            actor_role TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL DEFAULT '',
            object_id TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


@MIGRATIONS(name="0002_assessment_decision")
def m0002_assessment_decision(db: Database) -> None:
    """The FG's assessments (versioned, with the advice of each version) and decisions;
    the organisation's sector; the local (Europe/Amsterdam) month of each report."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    db.executescript(
        """
        ALTER TABLE organisations ADD COLUMN youth_care INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN month INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            version INTEGER NOT NULL,
            facts TEXT NOT NULL,
            advice TEXT NOT NULL,
            risk TEXT,
            notify_authority INTEGER NOT NULL,
            inform_subjects INTEGER NOT NULL,
            enisa_level TEXT,
            enisa_score REAL,
            effects TEXT NOT NULL DEFAULT '',
            remedial_action TEXT NOT NULL DEFAULT '',
            author_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            UNIQUE (incident_id, version)
        );
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            assessment_id INTEGER REFERENCES assessments(id),
            kind TEXT NOT NULL CHECK (kind IN ('breach', 'not_a_breach')),
            notify_authority INTEGER NOT NULL DEFAULT 0,
            inform_subjects TEXT NOT NULL DEFAULT 'no' CHECK (inform_subjects IN ('yes', 'no', 'later')),
            inform_date TEXT,
            lawful_basis TEXT NOT NULL DEFAULT 'none',
            motivation TEXT NOT NULL,
            deviates INTEGER NOT NULL DEFAULT 0,
            deviation_motivation TEXT NOT NULL DEFAULT '',
            advice TEXT NOT NULL,
            decided_by INTEGER REFERENCES users(id),
            decided_at TEXT NOT NULL
        );
        CREATE INDEX assessments_incident ON assessments (incident_id, version);
        CREATE INDEX decisions_incident ON decisions (incident_id, decided_at);
        """
    )
    amsterdam = ZoneInfo("Europe/Amsterdam")
    rows = db.execute("SELECT id, reported_at FROM incidents").fetchall()
    db.conn.executemany(
        "UPDATE incidents SET month = ? WHERE id = ?",
        [(datetime.fromisoformat(at).astimezone(amsterdam).month, i) for i, at in rows],
    )
    db.execute("CREATE INDEX incidents_year_month ON incidents (org_id, year, month)")


@MIGRATIONS(name="0003_follow_up")
def m0003_follow_up(db: Database) -> None:
    """What happens after the decision: notifications to the AP (with supplements and a
    withdrawal), the safety check and postponement per recipient group, who was informed,
    public notices, measures, repeat incidents, closing, and retention per organisation."""
    db.executescript(
        """
        ALTER TABLE organisations ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5;
        ALTER TABLE incidents ADD COLUMN repeat_of INTEGER REFERENCES incidents(id);
        ALTER TABLE incidents ADD COLUMN closed_at TEXT;
        ALTER TABLE incidents ADD COLUMN purged_at TEXT;
        CREATE TABLE authority_notifications (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            kind TEXT NOT NULL CHECK (kind IN ('initial', 'supplement', 'withdrawal')),
            ap_reference TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            late_reason TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            concept TEXT NOT NULL DEFAULT '{}',
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX authority_notifications_incident
            ON authority_notifications (incident_id, submitted_at);
        CREATE TABLE safety_checks (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            recipient TEXT NOT NULL,
            risk INTEGER NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            review_on TEXT,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX safety_checks_incident ON safety_checks (incident_id, recipient, id);
        CREATE INDEX safety_checks_review ON safety_checks (review_on) WHERE risk = 1;
        CREATE TABLE subject_notices (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            recipient TEXT NOT NULL,
            people_count INTEGER NOT NULL CHECK (people_count >= 0),
            informed_on TEXT NOT NULL,
            channel TEXT NOT NULL,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX subject_notices_incident ON subject_notices (incident_id, informed_on);
        CREATE TABLE public_notices (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            text TEXT NOT NULL,
            published_on TEXT NOT NULL,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX public_notices_incident ON public_notices (incident_id);
        CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL CHECK (kind IN ('corrective', 'preventive')),
            description TEXT NOT NULL,
            owner TEXT NOT NULL,
            due_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
            done_on TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX measures_incident ON measures (incident_id);
        CREATE INDEX measures_open ON measures (org_id, status, due_on);
        CREATE INDEX incidents_repeat ON incidents (org_id, incident_type, department, reported_at);
        """
    )


@MIGRATIONS(name="0004_dashboard")
def m0004_dashboard(db: Database) -> None:
    """Roll-up for the dashboard and the yearly report: counts per year, organisation,
    department, dimension and key, rebuilt by ``datalek.store.stats.refresh`` whenever the
    fingerprint of the source tables changes. Indexes make the fingerprint cheap."""
    db.executescript(
        """
        CREATE TABLE stats_cube (
            year INTEGER NOT NULL,
            org_id INTEGER NOT NULL,
            department TEXT NOT NULL,
            dimension TEXT NOT NULL,
            key TEXT NOT NULL,
            n INTEGER NOT NULL
        );
        CREATE INDEX stats_cube_read ON stats_cube (year, org_id, department, dimension, key, n);
        CREATE TABLE stats_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL,
            built_at TEXT NOT NULL
        );
        CREATE INDEX incidents_updated ON incidents (updated_at);
        CREATE INDEX measures_updated ON measures (updated_at);
        CREATE INDEX incidents_repeats ON incidents (repeat_of) WHERE repeat_of IS NOT NULL;
        """
    )


@MIGRATIONS(name="0005_dpo_columns")
def m0005_dpo_columns(db: Database) -> None:
    """One word for the FG in the code and the schema: ``dpo`` (the glossary's name)."""
    for part in ("name", "email", "phone"):
        db.execute(f"ALTER TABLE organisations RENAME COLUMN fg_{part} TO dpo_{part}")
