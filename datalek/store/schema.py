"""Schema migrations, applied in order. Never edit one that has been applied: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("datalek")


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


@MIGRATIONS(name="0006_sessions")
def m0006_sessions(db: Database) -> None:
    """Server-side sessions: the browser holds a random token in an HttpOnly cookie, the
    database only its SHA-256. A session ends by deleting its row."""
    db.executescript(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users (id),
            method TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            idle_minutes INTEGER NOT NULL,
            absolute_hours INTEGER NOT NULL,
            client TEXT NOT NULL,
            user_agent TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        """
    )


@MIGRATIONS(name="0007_signin_throttle")
def m0007_signin_throttle(db: Database) -> None:
    """Failed sign-ins counted per (account, client address) and per client address instead
    of per account (issue #13): the account is never locked for everybody. ``account`` is the
    SHA-256 of the normalised e-mail address ('' for the per-address counter), so an unknown
    address that was typed (perhaps a password) is not stored readable. A row is pruned once
    ``expires_at`` has passed."""
    db.executescript(
        """
        DROP TABLE signin_failures;
        CREATE TABLE signin_throttle (
            scope TEXT NOT NULL CHECK (scope IN ('account_client', 'client')),
            client TEXT NOT NULL,
            account TEXT NOT NULL,
            failures INTEGER NOT NULL CHECK (failures > 0),
            first_failed_at TEXT NOT NULL,
            last_failed_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (scope, client, account)
        );
        CREATE INDEX signin_throttle_expiry ON signin_throttle (expires_at);
        """
    )


@MIGRATIONS(name="0008_audit_anchor")
def m0008_audit_anchor(db: Database) -> None:
    """The audit trail anchored outside the database (``datalek.accounts.audit_anchor``).

    * ``audit_log.state_hash``: for an entry about an incident, the SHA-256 of the incident's
      stored state at commit (``s1:<hex>``, version 1 of ``audit_log.STATE_COLUMNS``). It is
      part of the entry's hash; NULL in every older entry, so their hashes still hold.
    * ``audit_log.state_before``: set only when, at that entry's write, the incident's
      committed state was not the state of its newest entry: changed outside the app between
      the two. Kept in the trail, so the next write cannot hide such a change.
    * ``audit_head``: the last entry as the database itself recorded it, HMAC-signed, so that
      entries removed from the end show even without the checkpoint file.
    * an index to find an incident's newest entry.

    Older entries keep their SHA-256 hashes: they are sealed, not rewritten. The first write
    afterwards (or ``python -m datalek init``) appends an ``audit.anchor`` entry, keyed with the
    HMAC and linked to the last older entry, and an ``incident.baseline`` entry with the state
    of every incident. ``store.migrate`` makes the key file."""
    db.execute("ALTER TABLE audit_log ADD COLUMN state_hash TEXT")
    db.execute("ALTER TABLE audit_log ADD COLUMN state_before TEXT")
    db.execute("CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq)")
    db.execute(
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            key_id TEXT NOT NULL,
            mac TEXT NOT NULL
        )"""
    )


@MIGRATIONS(name="0009_invitations")
def m0009_invitations(db: Database) -> None:
    """One-time links: an invitation to a new FG account, or a password reset sent to the
    account's own address. The database holds only the SHA-256 of the random code; a link
    is closed when used, replaced by a newer one, or no longer wanted (a changed FG address,
    a disabled account)."""
    db.executescript(
        """
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('dpo_account', 'password_reset')),
            email TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            org_id INTEGER REFERENCES organisations (id),
            user_id INTEGER REFERENCES users (id),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            closed_at TEXT,
            closed_reason TEXT
        );
        CREATE INDEX invitations_email ON invitations (email, kind);
        CREATE INDEX invitations_user ON invitations (user_id);
        """
    )


@MIGRATIONS(name="0010_report_drafts")
def m0010_report_drafts(db: Database) -> None:
    """A report being written, one per account: the answers typed so far (JSON), so that a
    reload does not lose them. Deleted when the report is sent, discarded, or 24 hours old."""
    db.executescript(
        """
        CREATE TABLE report_drafts (
            user_id INTEGER PRIMARY KEY REFERENCES users (id),
            answers TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX report_drafts_updated ON report_drafts (updated_at);
        """
    )


@MIGRATIONS(name="0011_download_offers")
def m0011_download_offers(db: Database) -> None:
    """A file with personal data waits here, for one download within a minute, by the session
    that made it (``datalek.accounts.downloads``); taken out on use, pruned when stale."""
    db.executescript(
        """
        CREATE TABLE download_offers (
            token_hash TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users (id),
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX download_offers_expiry ON download_offers (expires_at);
        """
    )


@MIGRATIONS(name="0012_submissions")
def m0012_submissions(db: Database) -> None:
    """Each rendered form that records something carries a random submission key; the write it
    starts claims the key here in the same transaction, so a repeated or double-clicked
    submission records nothing new (``datalek.submissions``). Pruned after a week."""
    db.executescript(
        """
        CREATE TABLE submissions (
            key TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id),
            form TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX submissions_created ON submissions (created_at);
        """
    )


@MIGRATIONS(name="0013_corrections")
def m0013_corrections(db: Database) -> None:
    """A recorded notice to data subjects or a measure entered by mistake is corrected or
    withdrawn, never deleted: a withdrawn row keeps its values, says when, by whom and why, and
    no longer counts anywhere; every changed value is kept in ``corrections`` with the old and
    the new value, who changed it, when and why (``datalek.actions.informing``, ``measures``)."""
    db.executescript(
        """
        ALTER TABLE subject_notices ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE subject_notices ADD COLUMN withdrawn_by INTEGER REFERENCES users(id);
        ALTER TABLE subject_notices ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE measures ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE measures ADD COLUMN withdrawn_by INTEGER REFERENCES users(id);
        ALTER TABLE measures ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL CHECK (table_name IN ('subject_notices', 'measures')),
            row_id INTEGER NOT NULL,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX corrections_incident ON corrections (incident_id, id);
        CREATE INDEX corrections_row ON corrections (table_name, row_id, id);
        """
    )


@MIGRATIONS(name="0014_awareness")
def m0014_awareness(db: Database) -> None:
    """How and through whom the organisation became aware, the first recorded awareness (never
    changed), the reason a notification is late, and every change of a moment of an incident
    with its old and new value, who, when and why (``datalek.handling.moments``)."""
    db.executescript(
        """
        ALTER TABLE incidents ADD COLUMN aware_basis TEXT NOT NULL DEFAULT 'employee_report';
        ALTER TABLE incidents ADD COLUMN aware_source TEXT NOT NULL DEFAULT '';
        ALTER TABLE incidents ADD COLUMN first_aware_at TEXT;
        ALTER TABLE incidents ADD COLUMN delay_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE incidents ADD COLUMN occurrence TEXT NOT NULL DEFAULT 'unknown';
        UPDATE incidents SET first_aware_at = aware_at,
            occurrence = coalesce(json_extract(report, '$.occurrence'), 'unknown');
        CREATE TABLE incident_changes (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            after_notification INTEGER NOT NULL DEFAULT 0,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX incident_changes_incident ON incident_changes (incident_id, id);
        """
    )


@MIGRATIONS(name="0015_reminders")
def m0015_reminders(db: Database) -> None:
    """Reminders of the notification period: per organisation a named deputy FG, a management
    contact and the reminder points; every reminder sent, at most once per incident and point.

    A reminder row is claimed ('sending') before the mail goes out, then becomes 'sent' or
    'failed' (retried on a later pass); a point passed while no reminder could go out (a server
    that was down) is 'skipped'. ``sent_at`` is the last attempt, ``failed`` counts failed ones."""
    db.executescript(
        """
        ALTER TABLE organisations ADD COLUMN deputy_dpo_id INTEGER REFERENCES users(id);
        ALTER TABLE organisations ADD COLUMN management_email TEXT NOT NULL DEFAULT '';
        ALTER TABLE organisations ADD COLUMN reminder_hours TEXT NOT NULL DEFAULT '24,48,60,70';
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            regime TEXT NOT NULL,
            point_hours INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'sending'
                CHECK (state IN ('sending', 'sent', 'failed', 'skipped')),
            sent_at TEXT NOT NULL,
            recipients INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (incident_id, regime, point_hours)
        );
        """
    )


@MIGRATIONS(name="0016_notifier")
def m0016_notifier(db: Database) -> None:
    """The notifier's job title and phone on the FG's own account, for the concept AP-melding."""
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
        ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
        """
    )


@MIGRATIONS(name="0017_rollup")
def m0017_rollup(db: Database) -> None:
    """The roll-up maintained inside every write (``datalek.store.rollup``): each incident's
    facts kept, the cube keyed for adding and subtracting, triggers on the source tables.
    Replaces the roll-up refreshed by its readers (``stats_state``); counted once now."""
    from datalek.store import rollup  # the definitions of this version

    db.execute("DROP TABLE stats_cube")
    db.execute("DROP TABLE stats_state")
    for statement in rollup.TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    rollup.rebuild(db)
