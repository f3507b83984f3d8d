"""Settings read from the environment, with safe defaults.

Nothing here is secret: secrets (SMTP password, OIDC) come from the environment or
from ``.streamlit/secrets.toml`` and are never logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data") / "datalek.db"

#: How many rows a list holds at most.
QUEUE_LIMIT = 500  # the FG's work queue (it says so when it is full)
MY_REPORTS_LIMIT = 500  # an employee's own reports
OVERDUE_MEASURES_SHOWN = 20  # overdue measures named above the queue; the rest are counted
AUDIT_ENTRIES_SHOWN = 200  # the newest entries on the Audittrail screen


def db_path() -> Path:
    return Path(os.environ.get("DATALEK_DB") or DEFAULT_DB)


#: The audit trail's secret key, when it is not in the file next to the database.
AUDIT_KEY_ENV = "DATALEK_AUDIT_KEY"


def audit_key_path(db: Path | str) -> Path:
    """The audit trail's key file, next to the database (``<db>.auditkey``, mode 0600)."""
    return Path(f"{db}.auditkey")


def audit_checkpoint_path(db: Path | str) -> Path:
    """The append-only file of signed audit checkpoints, next to the database."""
    return Path(f"{db}.auditlog-checkpoints")


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


#: The longest a one-time download link may live (datalek.accounts.downloads).
MAX_DOWNLOAD_SECONDS = 60


def download_seconds() -> int:
    """How long a download link works: ``DATALEK_DOWNLOAD_SECONDS``, at most 60 (the default)."""
    return max(1, min(MAX_DOWNLOAD_SECONDS, _int("DATALEK_DOWNLOAD_SECONDS", MAX_DOWNLOAD_SECONDS)))


@dataclass(frozen=True)
class SessionPolicy:
    """Server-side session limits: idle timeout and absolute lifetime."""

    idle_minutes: int = 30
    absolute_hours: int = 10

    @classmethod
    def from_env(cls) -> SessionPolicy:
        return cls(
            idle_minutes=_int("DATALEK_IDLE_MINUTES", 30),
            absolute_hours=_int("DATALEK_SESSION_HOURS", 10),
        )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "datalek@localhost"
    username: str = ""
    password: str = ""
    starttls: bool = False
    base_url: str = "http://localhost:8501"

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        host = os.environ.get("DATALEK_SMTP_HOST", "")
        if not host:
            return None
        return cls(
            host=host,
            port=_int("DATALEK_SMTP_PORT", 25),
            sender=os.environ.get("DATALEK_SMTP_FROM", "datalek@localhost"),
            username=os.environ.get("DATALEK_SMTP_USER", ""),
            password=os.environ.get("DATALEK_SMTP_PASSWORD", ""),
            starttls=os.environ.get("DATALEK_SMTP_STARTTLS", "") == "1",
            base_url=os.environ.get("DATALEK_BASE_URL", "http://localhost:8501"),
        )


#: Reminders of the notification period (datalek.actions.reminder_scheduler).
REMINDER_INTERVAL_SECONDS = 60


def reminders_on() -> bool:
    """The scheduler inside the server runs unless ``DATALEK_REMINDERS=off``."""
    return os.environ.get("DATALEK_REMINDERS", "on").strip().lower() not in {"off", "0", "no", "false"}


def reminder_interval() -> int:
    """Seconds between two passes of the scheduler: ``DATALEK_REMINDER_INTERVAL``, at least 1."""
    return max(1, _int("DATALEK_REMINDER_INTERVAL", REMINDER_INTERVAL_SECONDS))
