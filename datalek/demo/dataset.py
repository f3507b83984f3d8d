"""Synthetic, reproducible demo data: organisations, accounts and incidents.

The shape follows the Dutch figures in ``docs/domain/figures.md`` §3: wrong recipient
by e-mail or post dominates, then lost devices and paper, accidental publication,
snooping and excessive rights; phishing, malware and ransomware are rare. Most
breaches concern one or a few people; a few concern hundreds. No real personal data:
descriptions are generic sentences and every account is invented.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.organisations import create_organisation, list_organisations
from datalek.accounts.users import create_user, list_users
from datalek.demo import actions, chains, decisions, merges, parties, report_answers, report_links
from datalek.handling.incidents import reference
from datalek.intake.situations import (
    Situation,
)
from datalek.models import Actor, AwareBasis, Role, Status
from datalek.store import accounts as account_sql
from datalek.store import incidents as incident_sql
from datalek.store import rollup

ORGANISATIONS = [
    ("Gemeente Amstelveld", "municipality", 0.5),
    ("Jeugdzorg Rivierenland", "youth_care", 0.35),
    ("Gemeente Waterdam", "municipality", 0.15),
]

DEPARTMENTS = {
    "municipality": [
        "Sociaal Domein",
        "Burgerzaken",
        "Belastingen",
        "Werk en Inkomen",
        "Wmo",
        "Jeugd",
        "Communicatie",
        "ICT",
        "HR",
        "Publiekszaken",
    ],
    "youth_care": [
        "Ambulante hulp",
        "Residentiële zorg",
        "Pleegzorg",
        "Jeugd-GGZ",
        "Intake",
        "Secretariaat",
        "ICT",
        "HR",
    ],
}

#: Situation weights (percent), after the AP and FG figures.
SITUATION_WEIGHTS = {
    Situation.EMAIL_WRONG_PERSON: 27,
    Situation.LETTER_WRONG_ADDRESS: 22,
    Situation.EMAIL_VISIBLE_RECIPIENTS: 7,
    Situation.WRONG_DOCUMENT: 6,
    Situation.DEVICE_LOST: 8,
    Situation.PAPER_LOST: 5,
    Situation.PUBLISHED: 7,
    Situation.UNAUTHORISED_ACCESS: 7,
    Situation.PHISHING: 4,
    Situation.HACK: 3,
    Situation.DATA_LOST: 2,
    Situation.VERBAL: 1,
    Situation.OTHER: 1,
}

DESCRIPTIONS = {
    Situation.EMAIL_WRONG_PERSON: (
        "Verslag per e-mail naar een verkeerde ontvanger gestuurd door een fout in het adresveld."
    ),
    Situation.LETTER_WRONG_ADDRESS: "Brief verstuurd naar een verouderd adres uit het systeem.",
    Situation.EMAIL_VISIBLE_RECIPIENTS: "Uitnodiging aan een groep verstuurd met alle adressen in cc.",
    Situation.WRONG_DOCUMENT: "Bij een brief zat een bijlage die over een ander huishouden ging.",
    Situation.DEVICE_LOST: "Werktelefoon verloren tijdens een huisbezoek.",
    Situation.PAPER_LOST: "Map met gespreksverslagen laten liggen in het openbaar vervoer.",
    Situation.PUBLISHED: "Document met niet-geanonimiseerde gegevens op de website geplaatst.",
    Situation.UNAUTHORISED_ACCESS: "Gedeelde map bleek toegankelijk voor alle medewerkers.",
    Situation.PHISHING: "Medewerker vulde inloggegevens in op een nagemaakte inlogpagina.",
    Situation.HACK: "Melding van de virusscanner op een werkplek; bestanden mogelijk versleuteld.",
    Situation.DATA_LOST: "Map met dossierstukken per ongeluk verwijderd.",
    Situation.VERBAL: "Informatie telefonisch gedeeld met iemand zonder recht op die informatie.",
    Situation.OTHER: "Incident met persoonsgegevens dat niet in een andere categorie past.",
}


#: How the organisation became aware (percent): mostly its own employee's report.
BASIS_WEIGHTS = {
    AwareBasis.EMPLOYEE_REPORT: 78,
    AwareBasis.PROCESSOR: 8,
    AwareBasis.MONITORING: 7,
    AwareBasis.DATA_SUBJECT: 5,
    AwareBasis.PARTNER: 2,
}
#: Who told the organisation, per basis (no person: a role or a kind of organisation).
SOURCES = {
    AwareBasis.EMPLOYEE_REPORT: "",
    AwareBasis.PROCESSOR: "Leverancier van het zaaksysteem",
    AwareBasis.MONITORING: "Beveiligingsmelding van de systeembeheerder",
    AwareBasis.DATA_SUBJECT: "Een inwoner belde het klantcontactcentrum",
    AwareBasis.PARTNER: "Een ketenpartner in het sociaal domein",
}


def _basis(reference_key: str) -> AwareBasis:
    """The basis of one incident, from its own random stream: the other demo figures stay as
    they were before bases existed."""
    bases, weights = zip(*BASIS_WEIGHTS.items(), strict=True)
    return random.Random(f"basis-{reference_key}").choices(bases, weights)[0]


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    name: str
    email: str
    password: str


def _status(rng: random.Random, age: timedelta) -> Status:
    if age > timedelta(days=120):
        return rng.choices([Status.CLOSED, Status.NOT_A_BREACH], [65, 35])[0]
    if age > timedelta(days=30):
        return rng.choices([Status.CLOSED, Status.NOT_A_BREACH, Status.DECIDED], [55, 30, 15])[0]
    if age > timedelta(days=3):
        return rng.choices([Status.IN_PROGRESS, Status.DECIDED, Status.NOT_A_BREACH], [10, 70, 20])[0]
    return rng.choices([Status.REPORTED, Status.IN_PROGRESS], [70, 30])[0]


def _accounts(db: Database, org_ids: list[int], rng: random.Random) -> list[DemoAccount]:
    """One account per role with a fresh random password, plus a pool of reporters."""
    actor = Actor.cli()
    made = []
    plan = [
        (Role.ADMIN, "Demo Beheerder", "beheerder@demo.invalid", org_ids[:1]),
        (Role.DPO, "Demo FG", "fg@demo.invalid", org_ids),
        (Role.MANAGEMENT, "Demo Directie", "directie@demo.invalid", org_ids),
        (Role.REPORTER, "Demo Medewerker", "medewerker@demo.invalid", org_ids[:1]),
        (Role.REPORTER, "Demo Collega", "collega@demo.invalid", org_ids[:1]),
    ]
    for role, name, email, orgs in plan:
        password = secrets.token_urlsafe(12)
        create_user(db, actor, name, email, role, password, orgs)
        made.append(DemoAccount(role, name, email, password))
    for i in range(1, 21):
        org = org_ids[i % len(org_ids)]
        create_user(db, actor, f"Melder {i:02d}", f"melder{i:02d}@demo.invalid", Role.REPORTER, None, [org])
    return made


def generate(
    path: str,
    incidents: int,
    years: int = 3,
    seed: int = 1,
    now: datetime | None = None,
    with_accounts: bool = True,
) -> list[DemoAccount]:
    """Fill the database at ``path`` (migrated first) with demo data; returns demo accounts."""
    store.migrate(path)
    rng = random.Random(seed)
    now = now or clock.now()
    db = store.connect(path)
    try:
        actor = Actor.cli()
        org_ids, kinds, weights = [], [], []
        for name, kind, weight in ORGANISATIONS:
            existing = account_sql.organisation_by_name(db, name)
            org = (
                existing["id"]
                if existing
                else create_organisation(
                    db,
                    actor,
                    name,
                    f"FG {name}",
                    "fg@" + name.split()[-1].lower() + ".invalid",
                    "020 123 4567",
                    youth_care=kind == "youth_care",
                ).id
            )
            org_ids.append(org)
            kinds.append(kind)
            weights.append(weight)
        made = _accounts(db, org_ids, rng) if with_accounts else []
        reporters: dict[int, list[int]] = {}
        for user in list_users(db, actor):
            if user.role is Role.REPORTER:
                for org in user.org_ids:
                    reporters.setdefault(org, []).append(user.id)
        with store.write(db):
            # A bulk load: the roll-up's triggers are off while it runs and the roll-up is
            # counted once at the end (in this transaction, so a failure leaves them as they were).
            rollup.uninstall(db)
            # Numbers continue after incidents already in the database (a second demo run).
            rows = _incident_rows(
                rng,
                incidents,
                years,
                now,
                org_ids,
                kinds,
                weights,
                reporters,
                lambda org, year: incident_sql.next_seq(db, org, year),
            )
            incident_sql.insert_incidents(db, rows)
            decided = decisions.generate(
                db,
                rng,
                incident_sql.without_assessment(db, ["decided", "closed", "not_a_breach"]),
                {o.id: o for o in list_organisations(db, actor)},
                _dpo_id(db, actor),
                now,
            )
            followed = actions.generate(db, rng, now.astimezone(clock.AMSTERDAM).date(), _dpo_id(db, actor))
            parties.generate(db, rng, _dpo_id(db, actor))  # the processors that caused a breach (#16)
            issue16 = _merges_chains_links(db, rng, org_ids, _dpo_id(db, actor), now, years)
            audit.append(
                db,
                actor,
                "demo.generate",
                "",
                None,
                incidents=len(rows),
                decisions=decided,
                followed_up=followed,
                seed=seed,
                **issue16,
            )
            rollup.rebuild(db)  # installs the triggers again
        return made
    finally:
        db.close()


def _merges_chains_links(db: Database, rng, org_ids, dpo_id, now, years) -> dict[str, int]:
    """Issue #16's paths, each with its own random numbers: merged reports, chains, report links."""
    merged, undone = merges.generate(db, rng, dpo_id, now)
    chained, removed = chains.generate(db, rng, dpo_id, now, years)
    links, through = report_links.generate(db, rng, org_ids, dpo_id, now, years)
    return {
        "merged": merged,
        "merges_undone": undone,
        "chains": chained,
        "chain_members_removed": removed,
        "report_links": links,
        "reports_through_links": through,
    }


def _dpo_id(db: Database, actor: Actor) -> int | None:
    dpos = [u.id for u in list_users(db, actor) if u.role is Role.DPO]
    return dpos[0] if dpos else None


def _incident_rows(rng, count, years, now, org_ids, kinds, weights, reporters, first_seq) -> list[dict]:
    span = timedelta(days=365 * years).total_seconds()
    situations, situation_weights = zip(*SITUATION_WEIGHTS.items(), strict=True)
    drafts = []
    for _ in range(count):
        org_index = rng.choices(range(len(org_ids)), weights)[0]
        reported = now - timedelta(seconds=rng.random() * span)
        drafts.append((reported, org_index))
    drafts.sort(key=lambda d: d[0])
    seqs: dict[tuple[int, int], int] = {}
    rows = []
    for reported, org_index in drafts:
        org_id, kind = org_ids[org_index], kinds[org_index]
        situation = rng.choices(situations, situation_weights)[0]
        report_lag = timedelta(
            hours=rng.choices([rng.uniform(0.1, 4), rng.uniform(4, 24), rng.uniform(24, 120)], [55, 23, 22])[
                0
            ]
        )
        discovered = reported - report_lag
        occurred = discovered - timedelta(hours=rng.expovariate(1 / 20))
        year = reported.astimezone(clock.AMSTERDAM).year
        key = (org_id, year)
        seq = seqs[key] = seqs[key] + 1 if key in seqs else first_seq(org_id, year)
        answers = report_answers.answers(rng, situation, kind == "youth_care")
        # A period has an end, as the intake form requires; it ended by the time it was found.
        ended = occurred + (discovered - occurred) * rng.random()
        at = clock.to_iso(reported)
        basis = _basis(f"{org_id}-{reference(year, seq)}")
        reporter_id = rng.choice(reporters.get(org_id) or [None])  # drawn in this order, as before
        department = rng.choice(DEPARTMENTS[kind])
        if kind == "municipality":
            answers = report_answers.youth_groups(answers, department, f"{org_id}-{reference(year, seq)}")
        # In order, as ``chronology`` checks: occurred <= ended <= discovered = aware <= reported.
        rows.append(
            {
                "org_id": org_id,
                "year": year,
                "month": reported.astimezone(clock.AMSTERDAM).month,
                "seq": seq,
                "reference": reference(year, seq),
                "reporter_id": reporter_id,
                "department": department,
                "situation": situation.value,
                "incident_type": situation.info.incident_type.value,
                "status": _status(rng, now - reported).value,
                "occurred_from": None if answers["occurrence"] == "unknown" else clock.to_iso(occurred),
                "occurred_to": clock.to_iso(ended) if answers["occurrence"] == "period" else None,
                "ongoing": int(answers["occurrence"] == "ongoing"),
                "discovered_at": clock.to_iso(discovered),
                "reported_at": at,
                "aware_at": clock.to_iso(discovered),
                "first_aware_at": clock.to_iso(discovered),
                "aware_basis": basis.value,
                "aware_source": SOURCES[basis],
                "occurrence": answers["occurrence"],
                "report": json.dumps(answers, sort_keys=True),
                "description": DESCRIPTIONS[situation],
                "actions_taken": "",
                "pii_kept": 0,
                "created_at": at,
                "updated_at": at,
            }
        )
    return rows
