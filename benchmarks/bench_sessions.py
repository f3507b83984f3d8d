"""What the cookie session costs: resolving the actor on every Streamlit run (and on every page
request in the guard), and signing in through ``POST /auth/signin``.

Baselines measured in the same run: loading the actor by user id (``auth.actor_for``, what every
run paid before sessions lived in the database) and the password check alone (``auth.sign_in``,
argon2id with the production parameters)."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

from benchmarks.common import seeded_db, summary_ms
from datalek import clock, store
from datalek.accounts import auth, sessions
from datalek.accounts.users import create_user
from datalek.models import Actor, Role

PASSWORD = "bench-password-123"


def _timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - start)
    return out


def resolve(users: int = 1000, per_user: int = 10, n: int = 2000) -> dict:
    path, reporter = seeded_db()
    tokens = []
    with store.unit(path) as db:
        org_id = reporter.org_ids[0]
        ids = [reporter.user_id]
        for i in range(users - 1):
            ids.append(
                create_user(db, Actor.cli(), f"U{i}", f"u{i}@bench.invalid", Role.REPORTER, None, [org_id]).id
            )
        for user_id in ids:
            for _ in range(per_user):
                tokens.append(
                    sessions.open_session(db, user_id, method="password", client="10.0.0.1", user_agent="b")
                )
        start = clock.now()
        base = _timed(lambda i: auth.actor_for(db, ids[i % len(ids)]), n)
        quiet = _timed(lambda i: sessions.resolve(db, tokens[i % len(tokens)], at=start), n)
        # every call 16 s after the previous one: each one also writes last_seen
        touching = _timed(
            lambda i: sessions.resolve(db, tokens[0], at=start + timedelta(seconds=16 * (i + 1))), n // 4
        )
    return {
        "sessions": len(tokens),
        "baseline": summary_ms(base),
        "resolve": summary_ms(quiet),
        "resolve_write": summary_ms(touching),
    }


def signin(n: int = 20) -> dict:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from web.routes import routes

    path, _ = seeded_db()
    os.environ["DATALEK_DB"] = str(path)
    with store.unit(path) as db:
        base = _timed(lambda i: auth.sign_in(db, "melder@bench.invalid", PASSWORD, client="10.0.0.9"), n)
    client = TestClient(Starlette(routes=routes()), base_url="http://bench.invalid", follow_redirects=False)

    def post(_: int) -> None:
        client.cookies.clear()  # a browser without a session, as at every sign-in
        page = client.get("/auth/signin")
        token = re.search(r'name="formulier" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/auth/signin",
            data={"email": "melder@bench.invalid", "password": PASSWORD, "formulier": token},
            headers={"origin": "http://bench.invalid"},
        )
        assert answer.status_code == 303, answer.status_code

    route = _timed(post, n)
    return {"baseline": summary_ms(base), "route": summary_ms(route)}


def section() -> list[str]:
    r, s = resolve(), signin()

    def row(label: str, m: dict, base: dict) -> str:
        return f"| {label} | {m['p50_ms']:.3f} | {m['p99_ms']:.3f} | {m['p50_ms'] / base['p50_ms']:.2f} |"

    return [
        "",
        "## Sessions behind the cookie",
        "",
        f"Resolving the actor from the cookie's token, as every Streamlit run and every page request"
        f" to the guard does, with {r['sessions']:,} open sessions (1 000 accounts × 10)."
        " Baseline: loading the actor by user id, what every run paid before.".replace(",", " "),
        "",
        "| what | p50 ms | p99 ms | ratio to baseline (p50) |",
        "|---|---|---|---|",
        row("baseline: `auth.actor_for`", r["baseline"], r["baseline"]),
        row("`sessions.resolve` (last seen fresh: read only)", r["resolve"], r["baseline"]),
        row(
            "`sessions.resolve` writing last seen (at most every 15 s per session)",
            r["resolve_write"],
            r["baseline"],
        ),
        "",
        "Signing in through the server's form (GET the form, POST it: token check, argon2id with the"
        " production parameters, throttle bookkeeping, session row, cookie), against the password"
        " check alone:",
        "",
        "| what | p50 ms | p99 ms | ratio to baseline (p50) |",
        "|---|---|---|---|",
        row("baseline: `auth.sign_in`", s["baseline"], s["baseline"]),
        row("`GET` + `POST /auth/signin`", s["route"], s["baseline"]),
    ]
