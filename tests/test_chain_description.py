"""Changing a chain incident's shared description (issue #16): an FG of an organisation with an
incident in the chain corrects it, with a reason; the old value, who, when and why stay in
``chain_changes``, every member's FG sees the change, and the text is checked for personal data
as when the chain was made."""

from __future__ import annotations

import json

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import chains
from datalek.handling.chains import Target
from datalek.models import InvalidInput
from datalek.store import chains as chain_sql
from tests.test_chains import SHARED, chain_world  # noqa: F401 - chain_world is a fixture

NEW = "Storing bij de leverancier van het zaaksysteem: dossiers waren twee dagen zichtbaar."
WHY = "De leverancier meldde later dat het twee dagen duurde."


@pytest.fixture
def linked(chain_world):  # noqa: F811 - the fixture imported above
    """A chain of ``org``'s incident and a linked incident of ``other_org``."""
    db, world, shared, third, source = chain_world
    (made,) = chains.create_linked(db, shared, source.id, [Target(world.other_org.id)], SHARED)
    return db, world, shared, source, made


def _changes(db, source_id: int) -> list[dict]:
    chain_id = chain_sql.membership(db, source_id)["chain_id"]
    return [c for c in chain_sql.changes(db, chain_id) if c["field"] == "description"]


def test_an_fg_of_a_member_changes_the_description_and_the_old_one_is_kept(linked):
    db, world, shared, source, made = linked
    chains.change_description(db, world["other_dpo"], made, f"  {NEW} ", f" {WHY} ")
    assert chains.of_incident(db, shared, source.id).description == NEW
    (row,) = _changes(db, source.id)
    assert (row["incident_id"], row["old_value"], row["new_value"], row["reason"], row["changed_by"]) == (
        made,
        SHARED,
        NEW,
        WHY,
        world["other_dpo"].user_id,
    )
    assert row["changed_at"]
    assert chains.register_texts(db, [source.id])[source.id].startswith(NEW)
    (entry,) = db.execute(
        "SELECT object_id, detail FROM audit_log WHERE action = 'chain.describe'"
    ).fetchall()
    assert entry[0] == str(made)
    assert NEW not in entry[1] and WHY not in entry[1]  # no text in the audit details
    assert json.loads(entry[1])["chain_id"] == row["chain_id"]


def test_every_member_sees_the_change_with_old_new_who_and_why(linked):
    db, world, shared, source, made = linked
    chains.change_description(db, world["other_dpo"], made, NEW, WHY)
    for who, incident_id in (("dpo", source.id), ("other_dpo", made)):
        (change,) = chains.of_incident(db, world[who], incident_id).changes
        assert (change.old, change.new, change.reason, change.changed_by) == (SHARED, NEW, WHY, "Other_Dpo")


@pytest.mark.parametrize(
    ("who", "where"),
    sorted(
        [
            ("admin", "source"),
            ("management", "source"),
            ("other_dpo", "source"),  # FG of a member organisation, but not of this incident's
            ("other_management", "made"),
            ("other_reporter", "made"),
            ("reporter", "source"),
        ]
    ),
)
def test_only_an_fg_of_the_incidents_organisation_may_change_it(linked, who, where):
    db, world, shared, source, made = linked
    with pytest.raises(PermissionDenied):
        chains.change_description(db, world[who], source.id if where == "source" else made, NEW, WHY)
    assert chains.of_incident(db, shared, source.id).description == SHARED
    assert _changes(db, source.id) == []


def test_an_organisation_taken_out_of_the_chain_may_not_change_it(linked):
    db, world, shared, source, made = linked
    chains.remove(db, shared, made, "Andere oorzaak.")
    assert chains.of_incident(db, world["dpo"], source.id).changes == ()  # not another's removal reason
    with pytest.raises(InvalidInput) as refused:
        chains.change_description(db, world["other_dpo"], made, NEW, WHY)
    assert "form" in refused.value.errors
    assert chains.of_incident(db, shared, source.id).description == SHARED
    assert _changes(db, source.id) == []


@pytest.mark.parametrize(
    ("text", "reason", "field", "words"),
    sorted(
        [
            (NEW, "", "reason", "Waarom"),
            (NEW, "  ", "reason", "Waarom"),
            (NEW, "x" * 2001, "reason", "te lang"),
            (NEW, "Jan belde op 06-12345678.", "reason", "telefoonnummer"),
            ("", WHY, "description", "Beschrijf kort"),
            ("x" * 1001, WHY, "description", "te lang"),
            ("Brief aan jan.jansen@example.nl verstuurd", WHY, "description", "e-mailadres"),
            ("Dossier van BSN 111222333 zichtbaar", WHY, "description", "BSN"),
            ("Adres Dorpsstraat 12, 1234 AB", WHY, "description", "postcode met huisnummer"),
            (SHARED, WHY, "description", "niet veranderd"),
            (f" {SHARED} ", "", "description", "niet veranderd"),
        ]
    ),
)
def test_refused_input_is_said_next_to_the_field_and_nothing_is_written(linked, text, reason, field, words):
    db, world, shared, source, made = linked
    with pytest.raises(InvalidInput) as refused:
        chains.change_description(db, world["dpo"], source.id, text, reason)
    assert words in refused.value.errors[field]
    assert chains.of_incident(db, shared, source.id).description == SHARED
    assert _changes(db, source.id) == []
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'chain.describe'").fetchone()[0] == 0


def test_an_incident_in_no_chain_has_no_description_to_change(chain_world):  # noqa: F811
    db, world, shared, third, source = chain_world
    with pytest.raises(InvalidInput) as refused:
        chains.change_description(db, world["dpo"], source.id, NEW, WHY)
    assert "form" in refused.value.errors
