"""Peak memory of the real server with many sessions on the dashboard (issue #18).

The server (``server.py`` under ``streamlit run``, as the e2e tests start it) serves a cached
demo database (``bench_dashboard.database``). ``sessions`` browser contexts in one Debian
Chromium, each with its own signed-in session of the management account (a session row and
its cookie, as ``/auth/signin`` makes them), open the dashboard at the same time and wait
until its 11 charts are drawn; every Streamlit session then stays open in the server. The
server's resident memory (``/proc/<pid>/status`` VmRSS, with its children) is sampled every
50 ms. Baseline, in the same run: the idle server's RSS after start (one health check).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from datalek import store
from datalek.accounts import sessions

CHARTS = 11
LAUNCH = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children in MB (0 when it is gone)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(c) for c in found]
    return kids + [g for k in kids for g in _children(k)]


class Sampler:
    """The peak RSS of a process, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _tokens(path: Path, n: int) -> tuple[list[str], int]:
    """``n`` signed-in sessions of the first management account; and its user id."""
    with store.unit(path) as db:
        user = db.execute("SELECT id FROM users WHERE role = 'management' ORDER BY id LIMIT 1").fetchone()[0]
        made = [
            sessions.open_session(db, user, method="password", client="127.0.0.1", user_agent="bench_memory")
            for _ in range(n)
        ]
    return made, user


async def _open_all(url: str, tokens: list[str], timeout_s: float) -> list[float]:
    """Every session opens the dashboard at once; seconds until each one's charts are drawn
    (None when it did not get there in time)."""
    from playwright.async_api import async_playwright

    chromium = os.environ.get("DATALEK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=LAUNCH)
        contexts = []
        try:

            async def one(token: str) -> float | None:
                context = await browser.new_context()
                contexts.append(context)
                await context.add_cookies(
                    [
                        {
                            "name": sessions.COOKIE,
                            "value": token,
                            "url": url,
                            "httpOnly": True,
                            "sameSite": "Strict",
                        }
                    ]
                )
                page = await context.new_page()
                start = time.perf_counter()
                try:
                    await page.goto(f"{url}/overzicht", timeout=timeout_s * 1000)
                    charts = page.locator("[data-testid=stPlotlyChart]")
                    await charts.nth(CHARTS - 1).locator(".main-svg").first.wait_for(timeout=timeout_s * 1000)
                except Exception:  # noqa: BLE001 - a session that did not render counts as failed
                    return None
                return time.perf_counter() - start

            return await asyncio.gather(*(one(t) for t in tokens))
        finally:
            await asyncio.sleep(2)  # the sessions stay open while the sampler runs
            for context in contexts:
                await context.close()
            await browser.close()


def run(
    incidents: int = 1_000_000, n: int = 50, timeout_s: float = 600, path: Path | None = None
) -> dict | None:
    """``path``: another database than the cached one of ``incidents`` incidents."""
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        return None
    from benchmarks.bench_dashboard import database
    from tests.e2e.conftest import Server

    path = path or database(incidents)
    tokens, _ = _tokens(path, n)
    logs = Path(tempfile.mkdtemp(prefix="datalek-memory-"))
    server = Server(path, logs / "streamlit.log")
    try:
        time.sleep(2)
        idle = rss_mb(server.proc.pid)
        with Sampler(server.proc.pid) as sampler:
            start = time.perf_counter()
            times = asyncio.run(_open_all(server.url, tokens, timeout_s))
            wall = time.perf_counter() - start
        after = rss_mb(server.proc.pid)
    finally:
        server.stop()
    done = sorted(t for t in times if t is not None)
    return {
        "incidents": incidents,
        "sessions": n,
        "rendered": len(done),
        "idle_mb": idle,
        "peak_mb": sampler.peak,
        "after_mb": after,
        "per_session_mb": (sampler.peak - idle) / max(1, n),
        "all_drawn_s": wall,
        "p50_s": done[len(done) // 2] if done else float("nan"),
        "max_s": done[-1] if done else float("nan"),
    }


def section(sizes: tuple[int, ...] = (1_000_000,), n: int = 50) -> list[str]:
    lines = [
        "",
        f"## Server memory with {n} sessions on the dashboard",
        "",
        "`streamlit run server.py` on the cached demo database; each session a browser context of"
        " one Debian Chromium with its own signed-in session of the management account, all opening"
        " the dashboard at once and kept open until every chart is drawn. Baseline: the idle"
        " server's RSS after start, same run. RSS = VmRSS of the server process (and children).",
        "",
        "| incidents | sessions drawn | idle RSS MB | peak RSS MB | peak / idle | MB per session |"
        " all drawn after s | p50 s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        r = run(size, n)
        if r is None:
            return [*lines[:2], "Not measured: Chromium is not installed."]
        lines.append(
            f"| {r['incidents']:,} | {r['rendered']} of {r['sessions']} | {r['idle_mb']:.0f} |"
            f" {r['peak_mb']:.0f} | {r['peak_mb'] / r['idle_mb']:.2f} | {r['per_session_mb']:.1f} |"
            f" {r['all_drawn_s']:.1f} | {r['p50_s']:.1f} |".replace(",", " ")
        )
    return lines


if __name__ == "__main__":
    import sys

    args = [int(a) for a in sys.argv[1:]]
    print("\n".join(section(tuple(args[:1]) or (1_000_000,), *(args[1:2] or [50]))))
