"""Demo data for report links (issue #16, ``datalek.accounts.report_links``): every demo
organisation's FG made links over the years for groups of staff without an account (temporary
staff, interns) and, where the register holds a processor, for that processor; most have
expired, one per organisation works now, one was revoked with a reason. Some reports came in
through a link: they have no reporter account, count as a use of their link and have the
follow-up token the reporter got (valid ``FOLLOW_UP_DAYS``: expired for the older reports,
working for the recent ones).

Written as ``create``, ``record_use`` and ``revoke`` write it (the tokens are random, as the
real ones: stored only as their hash and shown to nobody, so no demo link can be opened),
inside the demo's bulk load and without audit entries of their own, as every bulk row of the
demo. Only reports of the organisation's own staff (``AwareBasis.EMPLOYEE_REPORT``, which a
report through a link gets), made while the link was open. Its own random numbers come from
the seed's generator without drawing from it."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.report_links import FOLLOW_UP_DAYS
from datalek.accounts.sessions import token_hash
from datalek.demo.merges import own_random
from datalek.models import AwareBasis
from datalek.store import report_links as sql

GROUPS = ("Uitzendkrachten zorg", "Stagiairs", "Vrijwilligers", "Invalkrachten")
#: How long a link works (days) and the share of the reports in that time made through it.
GROUP_DAYS, GROUP_SHARE = 180, 0.02
PARTY_DAYS, PARTY_SHARE = 90, 0.15
#: The share for the link that works now: the group it is for reports what it sees.
CURRENT_SHARE = 0.2
REVOKE_REASON = "De groep werkt niet meer voor ons; een nieuwe link volgt als dat nodig is."


def _expires(created: datetime, days: int) -> str:
    """The end of the chosen day in Amsterdam, as ``report_links._expiry`` stores it."""
    chosen: date = created.astimezone(clock.AMSTERDAM).date() + timedelta(days=days)
    return clock.to_iso(
        datetime.combine(chosen + timedelta(days=1), datetime.min.time(), tzinfo=clock.AMSTERDAM)
    )


def _plan(own: random.Random, org_id: int, party_id: int | None, now: datetime, years: int) -> list[dict]:
    """The organisation's links, oldest first: one for a group each year, one for its processor
    every other year, and the group link that works now."""
    start = now - timedelta(days=365 * years)
    plan = []
    for year in range(years):
        created = start + timedelta(days=365 * year + own.uniform(0, 120))
        plan.append((created, "group", GROUPS[(org_id + year) % len(GROUPS)], None, GROUP_DAYS, 0))
        if party_id is not None and year % 2 == 0:
            created = start + timedelta(days=365 * year + own.uniform(150, 250))
            plan.append((created, "party", "Leverancier zaaksysteem", party_id, PARTY_DAYS, int(year == 0)))
    recent = now - timedelta(days=own.uniform(20, 40))
    plan.append((recent, "group", GROUPS[(org_id + years) % len(GROUPS)], None, GROUP_DAYS, 0))
    return [
        {
            "org_id": org_id,
            "label": label,
            "kind": kind,
            "party_id": party,
            "one_time": one_time,
            "created_at": clock.to_iso(created),
            "expires_at": _expires(created, days),
        }
        for created, kind, label, party, days, one_time in sorted(plan, key=lambda p: p[0])
    ]


def generate(
    db: Database, rng: random.Random, org_ids: list[int], dpo_id: int | None, now: datetime, years: int
) -> tuple[int, int]:
    """Make the links of the demo organisations and the reports through them; inside the
    caller's write transaction. Returns (links, reports through a link)."""
    own = own_random(rng, "report-links")
    made = used = 0
    for org_id in org_ids:
        party = next(
            db.query(
                "SELECT id FROM parties WHERE org_id = ? AND kind = 'processor' AND active = 1 ORDER BY id LIMIT 1",
                [org_id],
            ),
            None,
        )
        links = _plan(own, org_id, party["id"] if party else None, now, years)
        revoked = max(n for n, row in enumerate(links[:-1]) if row["kind"] == "group")
        for n, row in enumerate(links):
            link_id = sql.insert_link(
                db, row | {"token_hash": token_hash(secrets.token_urlsafe(32)), "created_by": dpo_id}
            )
            made += 1
            share = (
                CURRENT_SHARE
                if n == len(links) - 1
                else PARTY_SHARE
                if row["kind"] == "party"
                else GROUP_SHARE
            )
            last = _reports(db, own, row, link_id, share)
            used += len(last)
            if n == revoked:  # the group link before the current one
                end = min(clock.from_iso(row["expires_at"]), now) - timedelta(days=own.uniform(1, 20))
                at = max([end, *(clock.from_iso(r) + timedelta(hours=1) for r in last)])
                if at < min(clock.from_iso(row["expires_at"]), now):
                    sql.revoke_link(db, link_id, dpo_id, clock.to_iso(at), REVOKE_REASON)
    return made, used


def _reports(db: Database, own: random.Random, row: dict, link_id: int, share: float) -> list[str]:
    """Mark a ``share`` of the organisation's reports made while the link was open as made
    through it (``report_links.record_use``); returns their moments."""
    rows = db.query(
        "SELECT id, reported_at FROM incidents WHERE org_id = ? AND report_link_id IS NULL AND aware_basis = ?"
        " AND reported_at >= ? AND reported_at < ? ORDER BY reported_at, id",
        [row["org_id"], AwareBasis.EMPLOYEE_REPORT.value, row["created_at"], row["expires_at"]],
    )
    done = []
    for incident in list(rows):
        if own.random() >= share or (row["one_time"] and done):
            continue
        at = incident["reported_at"]
        if not sql.use_link(db, link_id, at):
            continue
        db.execute("UPDATE incidents SET reporter_id = NULL WHERE id = ?", [incident["id"]])
        sql.mark_incident(db, incident["id"], link_id)
        expires = clock.from_iso(at) + timedelta(days=FOLLOW_UP_DAYS)
        sql.insert_follow_up(
            db,
            {
                "incident_id": incident["id"],
                "link_id": link_id,
                "token_hash": token_hash(secrets.token_urlsafe(32)),
                "created_at": at,
                "expires_at": clock.to_iso(expires),
            },
        )
        done.append(at)
    return done
