"""A small hand-made register for the dashboard tests, written with plain SQL so every
count can be worked out by hand (the figures are listed in ``EXPECTED``).

Gemeente Test, 2026: Jeugd 10 incidents, Wmo 6, ICT 2; 2025: Jeugd 7.
Jeugdzorg Test, 2026: Jeugd 3.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import auth
from datalek.accounts.users import create_user
from datalek.models import Actor, Role
from tests.conftest import World

UTC = UTC
TODAY = date(2026, 12, 1)


def _incident(
    db: Database, org: int, dept: str, kind: str, reported: datetime, lag_h: float, status: str
) -> int:
    local = reported.astimezone(clock.AMSTERDAM)
    seq = db.execute(
        "SELECT count(*) + 1 FROM incidents WHERE org_id = ? AND year = ?", [org, local.year]
    ).fetchone()[0]
    at = clock.to_iso(reported)
    found = clock.to_iso(reported - timedelta(hours=lag_h))
    return db.execute(
        "INSERT INTO incidents (org_id, year, month, seq, reference, department, situation,"
        " incident_type, status, discovered_at, reported_at, aware_at, description, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'other', ?, ?, ?, ?, ?, 'geheim', ?, ?)",
        [
            org,
            local.year,
            local.month,
            seq,
            f"DL-{local.year}-{seq:04d}",
            dept,
            kind,
            status,
            found,
            at,
            found,
            at,
            at,
        ],
    ).lastrowid


def _assess(db, incident: int, risk: str, categories: list[str], natures: list[str]) -> None:
    db.execute(
        "INSERT INTO assessments (incident_id, version, facts, advice, risk, notify_authority,"
        " inform_subjects, created_at) VALUES (?, 1, ?, '{}', ?, 0, 0, '2026-01-01T00:00:00+00:00')",
        [incident, json.dumps({"data_categories": categories, "natures": natures}), risk],
    )


def _decide(db, incident: int, kind: str, at: datetime) -> None:
    db.execute(
        "INSERT INTO decisions (incident_id, kind, motivation, advice, decided_at)"
        " VALUES (?, ?, 'm', '{}', ?)",
        [incident, kind, clock.to_iso(at)],
    )


def _notify(db, incident: int, kind: str, at: datetime) -> None:
    db.execute(
        "INSERT INTO authority_notifications (incident_id, kind, ap_reference, submitted_at,"
        " recorded_at) VALUES (?, ?, 'AP-1', ?, ?)",
        [incident, kind, clock.to_iso(at), clock.to_iso(at)],
    )


def _measure(db, incident: int, org: int, kind: str, status: str, due: str, done: str | None):
    db.execute(
        "INSERT INTO measures (incident_id, org_id, kind, description, owner, due_on, status,"
        " done_on, created_at, updated_at) VALUES (?, ?, ?, 'x', 'y', ?, ?, ?, ?, ?)",
        [incident, org, kind, due, status, done, "2026-03-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"],
    )


def fill(db: Database, world: World) -> Actor:
    """Write the register; returns a management actor of both organisations."""
    org, other = world.org.id, world.other_org.id
    with store.write(db):
        jeugd = []
        for i in range(10):
            reported = datetime(2026, 3 if i < 5 else 6, 10 + i, 9, tzinfo=UTC)
            status = "closed" if i < 4 else "decided" if i < 7 else "not_a_breach" if i < 9 else "reported"
            n = _incident(
                db,
                org,
                "Jeugd",
                "sent_by_mistake" if i < 6 else "mail_misdelivered" if i < 9 else "phishing",
                reported,
                30 if i in (8, 9) else 2,
                status,
            )
            jeugd.append(n)
            if i < 9:
                _decide(db, n, "breach" if i < 7 else "not_a_breach", reported + timedelta(hours=10 + i))
                _assess(
                    db,
                    n,
                    "high" if i < 3 else "risk" if i < 7 else "none",
                    ["basic", "health"] if i < 4 else ["basic"],
                    ["confidentiality", "availability"] if i == 6 else ["confidentiality"],
                )
            aware = reported - timedelta(hours=30 if i in (8, 9) else 2)
            if i < 5:
                _notify(db, n, "initial", aware + timedelta(hours=20 + 20 * i))
            if i == 5:
                _notify(db, n, "initial", aware + timedelta(hours=10))
                _notify(db, n, "withdrawal", aware + timedelta(hours=30))
        db.execute(
            "INSERT INTO subject_notices (incident_id, recipient, people_count, informed_on,"
            " channel, recorded_at) VALUES (?, 'person', 1, '2026-03-20', 'letter', 'x'),"
            " (?, 'parents', 2, '2026-03-21', 'letter', 'x')",
            [jeugd[0], jeugd[1]],
        )
        db.execute(
            "INSERT INTO public_notices (incident_id, text, published_on, recorded_at)"
            " VALUES (?, 't', '2026-03-22', 'x')",
            [jeugd[2]],
        )
        db.execute("UPDATE incidents SET repeat_of = ? WHERE id = ?", [jeugd[0], jeugd[1]])
        _measure(db, jeugd[0], org, "corrective", "done", "2026-04-15", "2026-04-01")
        _measure(db, jeugd[0], org, "preventive", "planned", "2026-05-01", None)
        _measure(db, jeugd[1], org, "preventive", "done", "2026-07-01", "2026-06-01")
        _measure(db, jeugd[2], org, "preventive", "in_progress", "2027-01-31", None)
        _measure(db, jeugd[3], org, "corrective", "cancelled", "2026-04-01", None)
        for _ in range(6):
            _incident(db, org, "Wmo", "sent_by_mistake", datetime(2026, 6, 20, 9, tzinfo=UTC), 1, "reported")
        for _ in range(2):
            reported = datetime(2026, 9, 5, 9, tzinfo=UTC)
            n = _incident(db, org, "ICT", "hacking_malware", reported, 1, "closed")
            _decide(db, n, "breach", reported + timedelta(hours=5))
            _assess(db, n, "risk", ["credentials"], ["confidentiality", "integrity"])
        for _ in range(7):
            _incident(
                db, org, "Jeugd", "sent_by_mistake", datetime(2025, 1, 10, 9, tzinfo=UTC), 1, "reported"
            )
        for _ in range(3):
            _incident(db, other, "Jeugd", "phishing", datetime(2026, 6, 2, 9, tzinfo=UTC), 1, "reported")
    cli = Actor.cli()
    user = create_user(db, cli, "Bestuur", "bestuur@test.invalid", Role.MANAGEMENT, None, [org, other])
    return auth.actor_for(db, user.id)


#: Gemeente Test, 2026, every figure worked out by hand (nothing hidden: threshold 1).
EXPECTED = {
    "total": 18,
    "breach": 9,
    "notified": 5,
    "informed": 3,
    "late_report": 2,
    "open": 10,
    "repeat": 1,
    "measures": 5,
    "measures_open": 2,
    "measures_overdue": 1,
    "preventive": 3,
    "preventive_done": 1,
    "notified_share": 5 / 9,
    "within72_share": 3 / 5,
    "notify_median": 60.0,
    "decision_median": 13.0,
}
SERIES = {
    "month": {
        "jan": 0,
        "feb": 0,
        "mrt": 5,
        "apr": 0,
        "mei": 0,
        "jun": 11,
        "jul": 0,
        "aug": 0,
        "sep": 2,
        "okt": 0,
        "nov": 0,
        "dec": 0,
    },
    "type": {
        "Per ongeluk verstuurd (post of e-mail)": 12,
        "Post kwijt, geopend of verkeerd bezorgd": 3,
        "Hack of malware": 2,
        "Phishing of social engineering": 1,
    },
    "status": {"Gemeld": 7, "Afgerond": 6, "Besloten": 3, "Geen datalek": 2},
    "risk": {"Geen risico waarschijnlijk": 2, "Risico": 6, "Hoog risico": 3, "Nog niet beoordeeld": 7},
    "data": {
        "Naam, geboortedatum, geslacht": 9,
        "Nog niet beoordeeld": 7,
        "Gezondheid (art. 9 AVG)": 4,
        "Inloggegevens": 2,
    },
    "nature": {"Vertrouwelijkheid": 11, "Nog niet beoordeeld": 7, "Integriteit": 2, "Beschikbaarheid": 1},
    "dept": {"Jeugd": 10, "Wmo": 6, "ICT": 2},
    "notify_bucket": {
        "0-24 uur": 1,
        "24-48 uur": 1,
        "48-72 uur": 1,
        "72-96 uur": 1,
        "4-7 dagen": 1,
        "meer dan 7 dagen": 0,
    },
    "funnel": {
        "Interne meldingen": 18,
        "Beoordeeld als datalek": 9,
        "Gemeld bij de AP": 5,
        "Betrokkenen geïnformeerd": 3,
    },
}
