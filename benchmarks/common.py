"""Helpers shared by the benchmarks: timing, percentiles, a seeded database."""

from __future__ import annotations

import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from datalek import store
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.models import Actor, Role


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(latencies: list[float]) -> dict:
    return {
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def times_ms(fn, n: int) -> dict:
    """Call ``fn`` ``n`` times; p50, p99 and mean of the calls in milliseconds."""
    latencies = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        latencies.append(time.perf_counter() - start)
    return summary_ms(latencies)


@contextmanager
def timer():
    result = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start


def seeded_db(folder: Path | None = None) -> tuple[Path, Actor]:
    """A fresh database with one organisation and one reporter; returns (path, reporter)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="datalek-bench-"))
    path = folder / "bench.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        cli = Actor.cli()
        org = create_organisation(db, cli, "Benchgemeente", "FG", "fg@bench.invalid")
        user = create_user(
            db, cli, "Melder", "melder@bench.invalid", Role.REPORTER, "bench-password-123", [org.id]
        )
        return path, auth.actor_for(db, user.id)
    finally:
        db.close()


def signed_in_app(actor: Actor, timeout: float = 120):
    """The app in AppTest with ``actor`` signed in (after one run), as the page tests start it."""
    from streamlit.runtime.context import ContextProxy
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.state.session_state import SessionState
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import (
        check_app_keys_serializable,
        cookies_from_jar,
        navigation_mode_pinned,
        seed_session,
    )

    # As in the page tests (tests/pages/conftest.py): every run goes through app.py, as in a
    # server after its first st.navigation call; and AppTest's own key that holds each widget's
    # format function (which cannot be pickled, and a real server does not have) is not checked;
    # the session cookie comes from the page tests' cookie jar (AppTest has no browser).
    PagesManager.__init__ = navigation_mode_pinned
    ContextProxy.cookies = property(cookies_from_jar)
    SessionState._check_serializable = check_app_keys_serializable
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=timeout)
    seed_session(at, actor)
    return at.run()
