"""The share of "Onbekend" answers in the demo's concept AP-meldingen: the first concept of
every incident decided "melden" (a supplement holds only the changed answers, so the first
concept is rebuilt for those already notified).

    .venv/bin/python -m datalek demo --db /tmp/demo.db --seed 1 --incidents 1000 --no-accounts
    .venv/bin/python benchmarks/concept_unknowns.py /tmp/demo.db [--json]
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from datalek import clock, store
from datalek.actions import documents, notification_draft
from datalek.models import Actor, Role


def measure(path: str) -> dict:
    db = store.connect(path)
    try:
        ids = [
            r["incident_id"]
            for r in db.query(
                "SELECT DISTINCT incident_id FROM decisions WHERE notify_authority = 1 AND kind = 'breach'"
            )
        ]
        orgs = tuple(sorted(r["id"] for r in db.query("SELECT id FROM organisations")))
        actor = Actor(user_id=None, role=Role.DPO, org_ids=orgs)
        total = unknown = concepts = 0
        per: Counter[str] = Counter()
        for incident_id in ids:
            made = documents.draft_notification(db, actor, incident_id)
            if made.kind != "initial":
                src = documents._sources(db, actor, incident_id, "")
                made = notification_draft.build(src, clock.now())
            concepts += 1
            for answer in (a for s in made.sections for a in s.answers):
                total += 1
                if answer.text is None:
                    unknown += 1
                    per[answer.key] += 1
    finally:
        db.close()
    return {
        "concepts": concepts,
        "answers": total,
        "unknown": unknown,
        "share": unknown / total if total else 0.0,
        "per_answer": dict(per.most_common()),
    }


def main(argv: list[str]) -> None:
    result = measure(argv[0])
    if "--json" in argv:
        print(json.dumps(result, indent=2))
        return
    n = result["concepts"]
    print(f"concepts {n}, answers {result['answers']}, onbekend {result['unknown']} ({result['share']:.1%})")
    for key, count in result["per_answer"].items():
        print(f"  {key}: {count}/{n}")


if __name__ == "__main__":
    main(sys.argv[1:])
