"""What starts with the server (``web/background.py``)."""

from __future__ import annotations

import asyncio
import gc
from concurrent.futures import ThreadPoolExecutor

import pytest

from web import background


@pytest.fixture
def unfrozen(monkeypatch):
    monkeypatch.setenv("DATALEK_REMINDERS", "off")
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_server_start_takes_what_it_imported_out_of_the_cycle_collectors_walk(unfrozen):
    async def started() -> int:
        async with background.lifespan(None):
            return gc.get_freeze_count()

    assert gc.get_freeze_count() == 0
    # a thread of its own: another test may have left an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        frozen = pool.submit(asyncio.run, started()).result(30)
    assert frozen > 10_000  # the modules, classes and constants imported so far
    walked = len(gc.get_objects())  # what a full collection walks now
    assert walked < frozen / 10, (walked, frozen)
