"""The reminder scheduler: one daemon thread per server process that sends the reminders due
(``datalek.actions.reminders``) every ``DATALEK_REMINDER_INTERVAL`` seconds (default 60).

``server.py`` starts it when the server starts; ``DATALEK_REMINDERS=off`` keeps it off (for
those who run ``python -m datalek reminders run`` from a system timer instead). Starting twice
starts one thread: Streamlit may import the server module more than once. A pass that fails is
logged by the kind of error only (never a message that could hold data) and the thread goes on.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from datalek import clock, config, store
from datalek.actions import reminders
from datalek.config import SmtpSettings

log = logging.getLogger(__name__)
NAME = "datalek-reminders"

_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()
#: Passes finished by the scheduler of this process (for the tests and the log).
passes = 0


def run_once(path: Path | str | None = None) -> reminders.Outcome:
    """One pass over the database at ``path`` (``DATALEK_DB``) with the SMTP settings of the
    environment. A database that is missing or not yet migrated is left alone."""
    if not store.is_current(path):
        return reminders.Outcome()
    with store.unit(path) as db:
        return reminders.send_due(db, SmtpSettings.from_env(), clock.now())


def _loop(interval: float, path: Path | str | None, stop: threading.Event) -> None:
    global passes
    while not stop.is_set():
        try:
            outcome = run_once(path)
            if outcome.sent or outcome.failed:
                log.info("reminders: %d sent, %d failed", outcome.sent, outcome.failed)
        except Exception as exc:  # noqa: BLE001 - the scheduler never dies; the next pass tries again
            log.error("reminder pass failed: %s", type(exc).__name__)
        passes += 1
        stop.wait(interval)


def start(interval: float | None = None, path: Path | str | None = None) -> threading.Thread | None:
    """Start the scheduler unless it runs already in this process or is switched off."""
    global _thread
    if not config.reminders_on():
        log.info("reminder scheduler is off (DATALEK_REMINDERS)")
        return None
    with _lock:
        if _thread is not None and _thread.is_alive():
            return _thread
        _stop.clear()
        _thread = threading.Thread(
            target=_loop,
            args=(interval or config.reminder_interval(), path, _stop),
            name=NAME,
            daemon=True,
        )
        _thread.start()
        return _thread


def stop(timeout: float = 10) -> None:
    """Stop the scheduler (at the end of the server, or of a test)."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
        _stop.set()
    if thread is not None:
        thread.join(timeout)
