"""Compare two versions of the code on one database, in the same time window (issue #18).

``python benchmarks/bench_versions.py view ROOT DB [FIRST_K] [N]``: the first
``stats.dashboard`` (management, all organisations, latest year) after each of ``N`` writes
that each move another incident's status, 5 steady views, and the plain ``GROUP BY`` baseline.
``python benchmarks/bench_versions.py rebuild ROOT DB``: ``stats rebuild`` and ``stats verify``.
``ROOT`` is a checkout (e.g. ``git archive HEAD | tar -x -C /tmp/before``); run each version
on its own copy of the database, alternating.
"""

from __future__ import annotations

import json
import statistics
import sys
import time


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def view(path: str, first_k: int = 100, n: int = 8) -> dict:
    from datalek import store
    from datalek.accounts import auth
    from datalek.insight import stats
    from datalek.store import stats as sql

    def change(db, k: int) -> None:
        with store.write(db):
            db.execute(
                "UPDATE incidents SET status = CASE status WHEN 'closed' THEN 'decided' ELSE 'closed' END"
                " WHERE id = (SELECT max(id) FROM incidents) - ?",
                [k],
            )

    with store.unit(path) as db:
        board = db.execute("SELECT id FROM users WHERE role = 'management' LIMIT 1").fetchone()[0]
        actor = auth.actor_for(db, board)
        orgs, year = list(actor.org_ids), max(stats.available_years(db, actor))
        stats.dashboard(db, actor, year)
        base = [_ms(lambda: sql.baseline(db, orgs, year)) for _ in range(5)]
        first = []
        for k in range(n):
            change(db, first_k + k)
            first.append(_ms(lambda: stats.dashboard(db, actor, year)))
        steady = [_ms(lambda: stats.dashboard(db, actor, year)) for _ in range(5)]
    return {
        name: {"p50": round(statistics.median(v), 1), "max": round(max(v), 1)}
        for name, v in (("baseline", base), ("first_after_1", first), ("steady", steady))
    }


def rebuild(path: str) -> dict:
    from datalek import store
    from datalek.store import stats as sql

    with store.unit(path) as db:
        seconds = _ms(lambda: sql.rebuild(db)) / 1000
        start = time.perf_counter()
        different = sql.differences(db)[1]
        return {"rebuild_s": seconds, "verify_s": time.perf_counter() - start, "differences": different}


if __name__ == "__main__":
    what, root, db_path, *rest = sys.argv[1:]
    sys.path.insert(0, root)
    result = view(db_path, *map(int, rest)) if what == "view" else rebuild(db_path)
    print(root, json.dumps(result))
