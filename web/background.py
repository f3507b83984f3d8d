"""What runs next to the server for as long as it runs: the reminder scheduler
(``datalek.actions.reminder_scheduler``), started once when the server starts and stopped
when it stops. ``server.py`` passes ``lifespan`` to ``st.App``.

At start the heap is settled (``settle_heap``): what the server imported is never garbage,
yet every full collection of Python's cycle collector walked it, about 72 ms here with
Streamlit, plotly and Datalek loaded, while every session and the group writer
(``datalek.store.group_commit``) waited for it (issue #18: the tail of the writers' latency).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from datalek.actions import reminder_scheduler


def settle_heap() -> int:
    """Collect once, then move every object alive now out of the collector's sight (it is
    never freed: modules, classes, constants); returns how many were moved."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    reminder_scheduler.start()  # guarded: one thread per process, or none when switched off
    settle_heap()
    try:
        yield None
    finally:
        reminder_scheduler.stop(timeout=2)
