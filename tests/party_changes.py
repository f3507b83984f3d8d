"""Changes of the parties an incident involved (issue #16), for the roll-up's
verify-after-every-change tests (``tests/test_rollup.py``: setup on a decided incident, then
the change)."""

from __future__ import annotations

from datetime import timedelta

from datalek import clock
from datalek.handling import involvement, processors
from tests.test_processors import CLOUDZORG


def _aware(db, i: int):
    return clock.from_iso(db.execute("SELECT aware_at FROM incidents WHERE id = ?", [i]).fetchone()[0])


def party(db, world, i) -> int:
    return processors.add(db, world["dpo"], world.org.id, {**CLOUDZORG, "notice_hours": 48}).id


def linked(db, world, i) -> tuple[int, int]:
    """A processor that caused the breach and told us 30 hours after it knew: (party, link)."""
    aware = _aware(db, i)
    p = party(db, world, i)
    made = involvement.link(
        db,
        world["dpo"],
        i,
        p,
        ["caused", "reported"],
        aware - timedelta(hours=40),
        aware - timedelta(hours=10),
    )
    return p, made.id


def link(db, world, i, p) -> None:
    involvement.link(db, world["dpo"], i, p, ["caused"])


def change_link(db, world, i, made) -> None:
    involvement.change(db, world["dpo"], i, made[1], ["holds"], None, None, "Veroorzaakte het niet.")


def remove_link(db, world, i, made) -> None:
    involvement.remove(db, world["dpo"], i, made[1], "Verkeerde partij.")


def change_agreement(db, world, i, made) -> None:
    processors.change(db, world["dpo"], made[0], {"notice_hours": 24}, "Nieuwe overeenkomst.")


#: kind of change -> (setup, change), as ``tests.test_rollup.CHANGES``
CHANGES = {
    "party-link": (party, link),
    "party-link-change": (linked, change_link),
    "party-link-removal": (linked, remove_link),
    "party-agreement": (linked, change_agreement),
}


# --- chain incidents (the tables of migration 0027; written as the domain writes them) ---------


def chain(db, world, i) -> int:
    """A chain made from another incident of the organisation; returns the chain's id."""
    at = clock.to_iso(clock.now())
    with db.conn:
        chain_id = db.execute(
            "INSERT INTO chains (description, created_at) VALUES ('Lek bij de leverancier.', ?)", [at]
        ).lastrowid
    return chain_id


def join_chain(db, world, i, chain_id) -> None:
    at = clock.to_iso(clock.now())
    with db.conn:
        db.execute(
            "INSERT INTO chain_members (chain_id, incident_id, added_at) VALUES (?, ?, ?)", [chain_id, i, at]
        )


def member(db, world, i) -> int:
    chain_id = chain(db, world, i)
    join_chain(db, world, i, chain_id)
    return chain_id


def leave_chain(db, world, i, _) -> None:
    at = clock.to_iso(clock.now())
    with db.conn:
        db.execute(
            "UPDATE chain_members SET removed_at = ?, removed_reason = 'Hoort er niet bij.' WHERE incident_id = ?",
            [at, i],
        )


CHANGES |= {"chain-join": (chain, join_chain), "chain-leave": (member, leave_chain)}
