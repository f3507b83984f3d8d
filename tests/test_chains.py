"""Chain incidents (issue #16, ``datalek.handling.chains``): the FG of a shared service makes
linked incidents for other organisations from one incident, each a normal incident with its own
reference, register entry and 72-hour clock (from that organisation's awareness); an existing
incident joins only by an FG of both; an FG of one organisation sees of another's incident only
its organisation, reference and the link, and the shared description is free of personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock, deadlines
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user
from datalek.handling import chains, incidents
from datalek.handling.chains import Target
from datalek.insight import register_export
from datalek.models import Actor, InvalidInput, Role
from datalek.store import incidents as incident_sql
from datalek.store import moments as moments_sql
from datalek.store import stats as stats_sql
from tests.conftest import PASSWORD, make_report

SHARED = (
    "Storing bij de leverancier van het zaaksysteem: dossiers waren een dag voor andere gemeenten zichtbaar."
)


@pytest.fixture
def chain_world(fresh_db, world):
    """The shared service's FG is FG of ``org``, ``other_org`` and a third organisation."""
    cli = Actor.cli()
    third = create_organisation(fresh_db, cli, "Gemeente Derde")
    user = create_user(
        fresh_db,
        cli,
        "Sam Shared",
        "shared@test.invalid",
        Role.DPO,
        PASSWORD,
        [world.org.id, world.other_org.id, third.id],
    )
    shared = auth.actor_for(fresh_db, user.id)
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=30),
        discovered_at=now - timedelta(hours=20),
    )
    source = incidents.submit_report(fresh_db, world["reporter"], report, at=now)
    return fresh_db, world, shared, third, source


def test_the_shared_fg_makes_linked_incidents_each_a_normal_incident_of_its_organisation(chain_world):
    db, world, shared, third, source = chain_world
    before = clock.now()
    made = chains.create_linked(db, shared, source.id, [Target(world.other_org.id), Target(third.id)], SHARED)
    assert len(made) == 2
    rows = [incident_sql.incident(db, i) for i in made]
    assert [r["org_id"] for r in rows] == [world.other_org.id, third.id]
    year = before.astimezone(clock.AMSTERDAM).year
    assert [r["reference"] for r in rows] == [f"DL-{year}-0001", f"DL-{year}-0001"]  # each its own series
    for r in rows:
        assert (r["status"], r["description"], r["report"], r["department"]) == ("reported", SHARED, "{}", "")
        aware = clock.from_iso(r["aware_at"])
        assert before - timedelta(seconds=1) <= aware <= clock.now()  # its clock starts when it is made
        assert deadlines.deadline(aware) == aware + timedelta(hours=72)
        assert r["aware_at"] != incident_sql.incident(db, source.id)["aware_at"]
    chain = chains.of_incident(db, shared, source.id)
    assert chain.description == SHARED
    assert [(m.reference, m.org_name, m.created_linked) for m in chain.members] == [
        (source.reference, "Gemeente Test", False),
        (rows[0]["reference"], "Jeugdzorg Test", True),
        (rows[1]["reference"], "Gemeente Derde", True),
    ]
    assert stats_sql.differences(db) == ([], 0)  # the roll-up counted the new incidents


def test_an_earlier_awareness_needs_a_reason_and_is_kept_as_a_change(chain_world):
    db, world, shared, third, source = chain_world
    earlier = clock.now() - timedelta(hours=3)
    with pytest.raises(InvalidInput) as refused:
        chains.create_linked(db, shared, source.id, [Target(world.other_org.id, earlier, "")], SHARED)
    assert "aware_reason" in refused.value.errors
    (made,) = chains.create_linked(
        db,
        shared,
        source.id,
        [Target(world.other_org.id, earlier, "De gemeente belde ons gisteren.")],
        SHARED,
    )
    row = incident_sql.incident(db, made)
    assert clock.from_iso(row["aware_at"]) == earlier
    changes = [c for c in moments_sql.changes(db, made) if c["field"] == "aware_at"]
    assert [(c["reason"], c["new_value"]) for c in changes] == [
        ("De gemeente belde ons gisteren.", clock.to_iso(earlier))
    ]
    assert changes[0]["old_value"] == row["first_aware_at"]  # the moment of making it, kept


@pytest.mark.parametrize(
    ("hours", "field"),
    sorted([(-2, "aware_at"), (40, "aware_at")]),  # in the future; before the event began
)
def test_an_impossible_awareness_is_refused_next_to_the_field(chain_world, hours, field):
    db, world, shared, third, source = chain_world
    moment = clock.now() - timedelta(hours=hours)
    with pytest.raises(InvalidInput) as refused:
        chains.create_linked(db, shared, source.id, [Target(world.other_org.id, moment, "Reden")], SHARED)
    assert field in refused.value.errors


@pytest.mark.parametrize(
    ("text", "kind"),
    sorted(
        [
            ("Brief aan jan.jansen@example.nl verstuurd", "e-mailadres"),
            ("Dossier van BSN 111222333 zichtbaar", "BSN"),
            ("Bel 06-12345678 voor details", "telefoonnummer"),
            ("Adres Dorpsstraat 12, 1234 AB", "postcode met huisnummer"),
        ]
    ),
)
def test_the_shared_description_holds_no_personal_data(chain_world, text, kind):
    db, world, shared, third, source = chain_world
    with pytest.raises(InvalidInput) as refused:
        chains.create_linked(db, shared, source.id, [Target(world.other_org.id)], text)
    assert kind in refused.value.errors["description"]
    assert chains.of_incident(db, shared, source.id) is None  # nothing made


@pytest.mark.parametrize("who", sorted(["admin", "dpo", "management", "other_dpo", "reporter"]))
def test_only_an_fg_of_both_organisations_makes_a_linked_incident(chain_world, who):
    db, world, shared, third, source = chain_world
    with pytest.raises(PermissionDenied):
        chains.create_linked(db, world[who], source.id, [Target(world.other_org.id)], SHARED)
    assert incident_sql.count(db) == 1


def test_an_existing_incident_joins_only_by_an_fg_of_both(chain_world):
    db, world, shared, third, source = chain_world
    other = incidents.submit_report(
        db, world["other_reporter"], make_report(world.other_org.id, now=clock.now())
    )
    for who in ("dpo", "other_dpo"):
        with pytest.raises(PermissionDenied):
            chains.add_existing(db, world[who], source.id, other.id, SHARED)
    assert [c.reference for c in chains.candidates(db, shared, source.id)] == [other.reference]
    chains.add_existing(db, shared, source.id, other.id, SHARED)
    assert [m.reference for m in chains.of_incident(db, shared, other.id).members] == [
        source.reference,
        other.reference,
    ]
    assert chains.candidates(db, shared, source.id) == []


@pytest.mark.parametrize("case", sorted(["already_in_a_chain", "same_organisation"]))
def test_an_existing_incident_that_cannot_join_is_refused(chain_world, case):
    db, world, shared, third, source = chain_world
    if case == "same_organisation":
        other = incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=clock.now()))
    else:
        other = incidents.submit_report(
            db, world["other_reporter"], make_report(world.other_org.id, now=clock.now())
        )
        third_incident = chains.create_linked(db, shared, source.id, [Target(third.id)], SHARED)[0]
        chains.add_existing(db, shared, third_incident, other.id)
        source = incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=clock.now()))
    with pytest.raises(InvalidInput) as refused:
        chains.add_existing(db, shared, source.id, other.id, SHARED)
    assert "other" in refused.value.errors


def test_an_fg_of_one_organisation_sees_only_the_link_of_the_other(chain_world):
    db, world, shared, third, source = chain_world
    (made,) = chains.create_linked(db, shared, source.id, [Target(world.other_org.id)], SHARED)
    chain = chains.of_incident(db, world["other_dpo"], made)
    theirs = next(m for m in chain.members if not m.own)
    assert (theirs.reference, theirs.org_name, theirs.incident_id, theirs.removed_reason) == (
        source.reference,
        "Gemeente Test",
        None,
        "",
    )
    with pytest.raises(PermissionDenied):
        incidents.read_incident(db, world["other_dpo"], source.id)
    with pytest.raises(PermissionDenied):
        chains.of_incident(db, world["other_dpo"], source.id)
    assert [r.id for r in incidents.queue(db, world["other_dpo"])] == [made]
    year = clock.now().astimezone(clock.AMSTERDAM).year
    (entry,) = register_export.view(db, world["other_dpo"], world.other_org.id, year)
    assert source.reference in entry["Keten-incident"] and "Gemeente Test" in entry["Keten-incident"]
    assert "Verslag naar een verkeerde ouder" not in repr(entry)  # the source's own description


def test_a_member_is_removed_with_a_reason_and_may_join_again(chain_world):
    db, world, shared, third, source = chain_world
    (made,) = chains.create_linked(db, shared, source.id, [Target(world.other_org.id)], SHARED)
    with pytest.raises(InvalidInput):
        chains.remove(db, shared, made, " ")
    chains.remove(db, shared, made, "Andere oorzaak.")
    member = next(m for m in chains.of_incident(db, shared, source.id).members if m.incident_id == made)
    assert (member.removed_reason, member.removed_at is not None) == ("Andere oorzaak.", True)
    chains.add_existing(db, shared, source.id, made)
    member = next(m for m in chains.of_incident(db, shared, source.id).members if m.incident_id == made)
    assert member.removed_at is None
