"""Demo data for what follows a decision: AP notifications (some late with a reason and its
kind, a few supplements, one withdrawal), safety checks with postponements, informed
recipients, public notices, measures in every state, closing moments and repeat incidents
(by the documented rule, ``handling.repeats``).

Nothing is dated before what it follows: a notification comes after the decision (so a
report that reached the FG late makes the notification late), informing after the decision
and never after today.

Some youth-care incidents inform per person instead of per group: families of children of
various ages and parents with and without gezag, the letters the rules give them, made and
sent; one family, on an open incident, has a flagged parent and waits for safety. Their own
random numbers come from the seed's generator without drawing from it, so the rest of the
demo is the same with or without them."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.actions import letter_advice, letter_texts, letters
from datalek.actions.addressees import Addressee, Relation
from datalek.actions.recipients import Member, propose
from datalek.handling import repeats
from datalek.models import AwareBasis, Organisation
from datalek.store import actions as sql
from datalek.store import households as household_sql
from datalek.store import outstanding as delay_sql
from datalek.triage.facts import DataCategory

#: The reason for a late notification and its kind (``handling.delay.KINDS``).
LATE_REASONS = (
    ("De melding kwam pas na het weekend bij de FG binnen; de termijn liep toen al.", "internal"),
    ("Eerst is onderzocht of er echt persoonsgegevens bij betrokken waren.", "investigation"),
    ("Het meldformulier van de AP was een dag niet bereikbaar.", "other"),
)
#: The reason when the employee's report reached the FG after the period had passed.
REPORTED_LATE = ("De medewerker meldde het lek pas dagen later bij de FG.", "internal")
#: The reason when a processor told the organisation and the notification was late.
PROCESSOR_LATE = ("De leverancier gaf de gegevens over het lek pas na enkele dagen door.", "processor")
#: The share of late reasons recorded with their kind: the rest were recorded before kinds
#: existed (the figures sort their text by key words).
KIND_SHARE = 0.8
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
    delays: list[tuple[int, str, str, str]] = []
    withdrawn = False
    family_rng = random.Random("families-" + ",".join(map(str, rng.getstate()[1][1:9])))
    postponed = False
    for r in rows:
        stamp = {"recorded_by": dpo_id, "recorded_at": r["decided_at"]}
        informs = r["youth_care"] and r["inform_subjects"] in ("yes", "later")
        per_person = informs and family_rng.random() < FAMILY_SHARE
        # Per person: the group rows below are drawn all the same (the same random numbers
        # for the rest of the demo), and left out.
        group = out if not per_person else {"safety_checks": [], "subject_notices": [], "public_notices": []}
        if r["notify_authority"]:
            submitted, reason, kind = _notified_at(rng, r)
            reference = f"M{rng.randint(1_000_000, 9_999_999)}"
            out["authority_notifications"].append(
                {
                    "incident_id": r["id"],
                    "kind": "initial",
                    "ap_reference": reference,
                    "submitted_at": submitted,
                    "note": "",
                    "late_reason": reason,
                    "concept": "{}",
                    **stamp,
                }
            )
            if reason:
                delays.append((r["id"], reason, kind if rng.random() < KIND_SHARE else "", submitted))
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
                    group["safety_checks"].append(
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
                group["safety_checks"].append(
                    {
                        "incident_id": r["id"],
                        "recipient": recipient,
                        "risk": 0,
                        "reason": "",
                        "review_on": None,
                        **stamp,
                    }
                )
                group["subject_notices"].append(
                    {
                        "incident_id": r["id"],
                        "recipient": recipient,
                        "people_count": rng.randint(1, 4),
                        "informed_on": min(_day(r["decided_at"], rng.randint(1, 10)), today).isoformat(),
                        "channel": rng.choice(["letter", "letter", "email", "in_person"]),
                        **stamp,
                    }
                )
            if not r["youth_care"] and rng.random() < 0.03:
                group["public_notices"].append(
                    {
                        "incident_id": r["id"],
                        "published_on": min(_day(r["decided_at"], 2), today).isoformat(),
                        "text": "Op onze website staat uitleg "
                        "over een fout bij het versturen van brieven en wat u kunt doen.",
                        **stamp,
                    }
                )
        if per_person:
            wait = not postponed and r["status"] == "decided"
            for number in range(1, 3 if family_rng.random() < 0.25 else 2):
                _family(db, family_rng, r, today, dpo_id, number, flagged=wait and number == 1)
            postponed = postponed or wait
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
    for incident_id, reason, kind, at in delays:
        delay_sql.set_delay_reason(db, incident_id, reason, kind, at)
    repeats.detect_all(db)
    return len(rows)


def _notified_at(rng: random.Random, r: dict) -> tuple[str, str, str]:
    """When the AP was notified, and the reason and its kind when that was late. Never before
    the decision: a decision taken after the period (the report reached the FG late) makes the
    notification late as well."""
    aware, decided = clock.from_iso(r["aware_at"]), clock.from_iso(r["decided_at"])
    late = rng.random() < 0.06  # late for a reason of its own; late reports add to these
    hours = rng.uniform(73, 140) if late else rng.uniform(4, 70)
    pick = rng.choice(LATE_REASONS)
    submitted = max(aware + timedelta(hours=hours), decided + timedelta(hours=rng.uniform(1, 6)))
    if submitted - aware <= timedelta(hours=72):
        return clock.to_iso(submitted), "", ""
    if clock.from_iso(r["reported_at"]) - aware > timedelta(hours=48):
        reason, kind = REPORTED_LATE
    elif r["aware_basis"] == AwareBasis.PROCESSOR.value:
        reason, kind = PROCESSOR_LATE
    else:
        reason, kind = pick
    return clock.to_iso(submitted), reason, kind


FAMILY_SHARE = 0.3
AGES = (4, 7, 9, 11, 12, 13, 14, 15, 16, 17)
CHANNELS = ("letter", "letter", "email", "in_person")
LETTER = letters.LetterText(
    what_happened="Een verslag is per ongeluk naar een verkeerd adres gestuurd.",
    consequences="Iemand anders kon het verslag lezen. Die persoon heeft het verslag teruggestuurd.",
    measures="Wij hebben het verslag terug. Onze medewerkers controleren het adres nu altijd twee keer.",
    data=letter_texts.data_text(
        letter_advice.data_words((DataCategory.CARE_FILE, DataCategory.NAME_ADDRESS))
    ),
)


def _born(rng: random.Random, age: int, on: date) -> date:
    """A birth date of someone ``age`` years old on ``on``."""
    birthday = date(on.year - age, on.month, min(on.day, 28))
    return birthday - timedelta(days=rng.randint(1, 300))


def _family(
    db: Database, rng: random.Random, r: dict, today: date, dpo_id: int | None, number: int, flagged: bool
) -> None:
    """One family of a youth-care incident: its members, its safety judgement and, when safe,
    the letters the rules give them, made and sent (``flagged``: a parent is a safety risk and
    the family waits until a review date)."""
    at, informed_on = r["decided_at"], min(_day(r["decided_at"], rng.randint(1, 10)), today)
    house = household_sql.insert_household(
        db, {"incident_id": r["id"], "label": f"Gezin {number}", "created_by": dpo_id, "created_at": at}
    )
    members: list[Member] = []

    def add(relation: Relation, birth: date | None = None, competent=None, consent=None) -> int:
        prefix = "C" if relation is Relation.CHILD else "O"
        row = {
            "household_id": house, "incident_id": r["id"], "file_ref": f"{prefix}-{rng.randint(10_000, 99_999)}",
            "relation": relation.value, "birth_date": birth.isoformat() if birth else None, "age_band": None,
            "competent": None if competent is None else int(competent),
            "consent_parents": None if consent is None else int(consent), "recorded_by": dpo_id, "recorded_at": at,
        }  # fmt: skip
        member_id = household_sql.insert_member(db, row)
        members.append(Member(member_id, relation, birth, None, competent, consent))
        return member_id

    for age in sorted(rng.sample(AGES, rng.randint(1, 3))):
        competent = rng.random() < 0.85 if age >= 12 else None
        consent = rng.choice([True, False, None]) if age >= 16 and competent else None
        add(Relation.CHILD, _born(rng, age, informed_on), competent, consent)
    parents = [add(Relation.PARENT_GEZAG) for _ in range(2 if rng.random() < 0.6 else 1)]
    if rng.random() < 0.2:
        add(Relation.PARENT_NO_GEZAG)
    household_sql.insert_judgement(
        db,
        {
            "household_id": house, "incident_id": r["id"], "flagged": f"[{parents[0]}]" if flagged else "[]",
            "concern": "violent_partner" if flagged else "", "postponed": int(flagged),
            "reason": rng.choice(POSTPONEMENTS) if flagged else "",
            "review_on": (today + timedelta(days=rng.randint(7, 30))).isoformat() if flagged else None,
            "recorded_by": dpo_id, "recorded_at": at,
        },
    )  # fmt: skip
    if flagged:
        return
    org = Organisation(
        id=r["org_id"], name=r["org_name"], dpo_name=r["dpo_name"], dpo_email=r["dpo_email"],
        dpo_phone=r["dpo_phone"], youth_care=True,
    )  # fmt: skip
    for p in propose(members, informed_on):
        if not p.receives:
            continue
        children = len(p.about) if p.reader is Addressee.PARENTS else 1
        made = letters.compose(p.reader, LETTER, org, r["reference"], informed_on, children=children)
        text = made.to_text()
        letter_id = sql.insert_letter(
            db,
            {
                "incident_id": r["id"], "member_id": p.member_id, "reader": p.reader.value, "template_id": None,
                "template_version": 0, "text": text, "sha256": made.sha256, "made_by": dpo_id, "made_at": at,
            },
        )  # fmt: skip
        sql.insert_subject_notice(
            db,
            {
                "incident_id": r["id"], "recipient": p.reader.value, "people_count": 1,
                "informed_on": informed_on.isoformat(), "channel": rng.choice(CHANNELS), "recorded_by": dpo_id,
                "recorded_at": at, "member_id": p.member_id, "letter_id": letter_id,
            },
        )  # fmt: skip


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
