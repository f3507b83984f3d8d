"""What runs next to the server for as long as it runs: the reminder scheduler
(``datalek.actions.reminder_scheduler``), started once when the server starts and stopped
when it stops. ``server.py`` passes ``lifespan`` to ``st.App``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from datalek.actions import reminder_scheduler


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    reminder_scheduler.start()  # guarded: one thread per process, or none when switched off
    try:
        yield None
    finally:
        reminder_scheduler.stop(timeout=2)
