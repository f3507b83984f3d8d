"""Demo data for what follows a decision: AP notifications (some late with a reason, a few
supplements, one withdrawal), safety checks with postponements, informed recipients, public
notices, measures in every state, closing moments and repeat incidents."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.store import actions as sql

LATE_REASONS = (
    "De melding kwam pas na het weekend bij de FG binnen; de termijn liep toen al.",
    "Eerst is onderzocht of er echt persoonsgegevens bij betrokken waren.",
)
SUPPLEMENTS = (
    "Het aantal betrokkenen is nu bekend.",
    "De ontvanger heeft bevestigd dat de gegevens zijn verwijderd.",
)
POSTPONEMENTS = (
    "Er loopt een melding bij Veilig Thuis; informeren van de ouder kan het kind in gevaar brengen.",
    "Een ouder is onderwerp van zorg; eerst overleg met de jeugdbeschermer.",
)
CORRECTIVE = (
    "Ontvanger gevraagd de gegevens te verwijderen.",
    "Wachtwoorden gewijzigd.",
    "Document offline gehaald.",
)
PREVENTIVE = (
    "Adrescontrole toegevoegd aan het verzendproces.",
    "Training phishing voor het team.",
    "Autorisaties van de gedeelde map herzien.",
    "Versleuteld mailen verplicht gesteld.",
)
OWNERS = ("Teamleider", "Informatiebeveiliging", "Functioneel beheer", "Afdelingshoofd")


def _day(iso: str, days: int) -> date:
    return (clock.from_iso(iso) + timedelta(days=days)).astimezone(clock.AMSTERDAM).date()


def generate(db: Database, rng: random.Random, today: date, dpo_id: int | None) -> int:
    """Inside the caller's write transaction; returns the number of incidents followed up."""
    rows = sql.decided_breaches_without_actions(db)
    out: dict[str, list[dict]] = {
        t: []
        for t in ("authority_notifications", "safety_checks", "subject_notices", "public_notices", "measures")
    }
    closed: list[tuple[str, int]] = []
    withdrawn = False
    for r in rows:
        stamp = {"recorded_by": dpo_id, "recorded_at": r["decided_at"]}
        if r["notify_authority"]:
            late = rng.random() < 0.12
            hours = rng.uniform(73, 140) if late else rng.uniform(4, 70)
            submitted = clock.to_iso(clock.from_iso(r["aware_at"]) + timedelta(hours=hours))
            reference = f"M{rng.randint(1_000_000, 9_999_999)}"
            out["authority_notifications"].append(
                {
                    "incident_id": r["id"],
                    "kind": "initial",
                    "ap_reference": reference,
                    "submitted_at": submitted,
                    "note": "",
                    "late_reason": rng.choice(LATE_REASONS) if late else "",
                    "concept": "{}",
                    **stamp,
                }
            )
            follow = rng.random()
            if follow < 0.06 or (not withdrawn and follow < 0.08):
                kind = "supplement" if follow < 0.06 else "withdrawal"
                withdrawn = withdrawn or kind == "withdrawal"
                note = (
                    rng.choice(SUPPLEMENTS)
                    if kind == "supplement"
                    else "Na onderzoek bleek de ontvanger een bevoegde ketenpartner."
                )
                out["authority_notifications"].append(
                    {
                        "incident_id": r["id"],
                        "kind": kind,
                        "ap_reference": reference,
                        "submitted_at": submitted,
                        "late_reason": "",
                        "note": note,
                        "concept": "{}",
                        **stamp,
                    }
                )
        if r["inform_subjects"] in ("yes", "later"):
            recipients = (
                (["parents", "young_person"] if rng.random() < 0.4 else ["parents"])
                if r["youth_care"]
                else ["person"]
            )
            postpone = r["youth_care"] and r["status"] == "decided" and rng.random() < 0.3
            for recipient in recipients:
                if postpone:
                    out["safety_checks"].append(
                        {
                            "incident_id": r["id"],
                            "recipient": recipient,
                            "risk": 1,
                            "reason": rng.choice(POSTPONEMENTS),
                            "review_on": (today + timedelta(days=rng.randint(-5, 30))).isoformat(),
                            **stamp,
                        }
                    )
                    continue
                out["safety_checks"].append(
                    {
                        "incident_id": r["id"],
                        "recipient": recipient,
                        "risk": 0,
                        "reason": "",
                        "review_on": None,
                        **stamp,
                    }
                )
                out["subject_notices"].append(
                    {
                        "incident_id": r["id"],
                        "recipient": recipient,
                        "people_count": rng.randint(1, 4),
                        "informed_on": _day(r["decided_at"], rng.randint(1, 10)).isoformat(),
                        "channel": rng.choice(["letter", "letter", "email", "in_person"]),
                        **stamp,
                    }
                )
            if not r["youth_care"] and rng.random() < 0.03:
                out["public_notices"].append(
                    {
                        "incident_id": r["id"],
                        "published_on": _day(r["decided_at"], 2).isoformat(),
                        "text": "Op onze website staat uitleg "
                        "over een fout bij het versturen van brieven en wat u kunt doen.",
                        **stamp,
                    }
                )
        _measures(rng, r, today, out["measures"])
        if r["status"] == "closed":
            closed.append(
                (
                    clock.to_iso(clock.from_iso(r["decided_at"]) + timedelta(days=rng.randint(5, 40))),
                    r["id"],
                )
            )
    for table, found in out.items():
        sql.insert_many(db, table, found)
    sql.set_closed_many(db, closed)
    sql.mark_repeats(db)
    return len(rows)


def _measures(rng: random.Random, r: dict, today: date, out: list[dict]) -> None:
    base = {
        "incident_id": r["id"],
        "org_id": r["org_id"],
        "created_by": None,
        "created_at": r["decided_at"],
        "updated_at": r["decided_at"],
    }
    out.append(
        {
            **base,
            "kind": "corrective",
            "description": rng.choice(CORRECTIVE),
            "owner": rng.choice(OWNERS),
            "due_on": _day(r["decided_at"], 3).isoformat(),
            "status": "done",
            "done_on": _day(r["decided_at"], 2).isoformat(),
        }
    )
    if rng.random() < 0.6:
        due = _day(r["decided_at"], rng.randint(20, 120))
        # Most preventive measures of long ago were carried out; a few were forgotten.
        weights = [92, 3, 2, 3] if due < today - timedelta(days=90) else [55, 20, 20, 5]
        status = rng.choices(["done", "in_progress", "planned", "cancelled"], weights)[0]
        out.append(
            {
                **base,
                "kind": "preventive",
                "description": rng.choice(PREVENTIVE),
                "owner": rng.choice(OWNERS),
                "due_on": due.isoformat(),
                "status": status,
                "done_on": min(due, today).isoformat() if status == "done" else None,
            }
        )
