"""The organisation's processors and partners (issue #16, ``datalek.handling.processors``):
only the organisation's FG keeps the register; every change keeps the old value, who and why;
ended instead of deleted; the rules of a register row."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import processors
from datalek.handling.processors import PartyKind
from datalek.models import Actor, InvalidInput
from datalek.triage.facts import DataCategory

CLOUDZORG = {
    "kind": "processor",
    "name": "Cloudzorg BV",
    "agreement_reference": "VWO-2024-017",
    "agreement_date": date(2024, 3, 1),
    "services": "Hosting van het jeugddossier",
    "data_categories": ["care_file", "bsn", "name_address"],
    "contact": "security@cloudzorg.invalid",
    "phone": "+31 20 123 4567",
    "notice_hours": 24,
}
CONVENANT = {
    "kind": "chain_partner",
    "name": "Basisschool De Linde",
    "contact": "directie@delinde.invalid",
    "basis": "Convenant jeugd 2025",
}


def refusals(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]


# --- who may keep the register ---------------------------------------------------------------

WHO = sorted(["dpo", "other_dpo", "management", "admin", "reporter", "cli"])
ALLOWED = {"dpo"}


@pytest.mark.parametrize("who", WHO)
def test_only_the_fg_of_the_organisation_keeps_its_register(fresh_db, world, who):
    actor = Actor.cli() if who == "cli" else world[who]
    calls = {
        "list": lambda: processors.list_parties(fresh_db, actor, world.org.id),
        "add": lambda: processors.add(fresh_db, actor, world.org.id, CLOUDZORG),
    }
    for name, call in calls.items():
        before = refusals(fresh_db)
        if who in ALLOWED:
            call()
            assert refusals(fresh_db) == before, name
        else:
            with pytest.raises(PermissionDenied):
                call()
            assert refusals(fresh_db) == before + 1, f"{name}: a refusal is audited once"


@pytest.mark.parametrize("who", WHO)
def test_changing_or_ending_another_organisations_party_is_refused(fresh_db, world, who):
    party = processors.add(fresh_db, world["dpo"], world.org.id, CLOUDZORG)
    actor = Actor.cli() if who == "cli" else world[who]
    if who in ALLOWED:
        assert processors.change(fresh_db, actor, party.id, {"notice_hours": 48}, "Nieuwe overeenkomst.")
        return
    for call in (
        lambda: processors.change(fresh_db, actor, party.id, {"notice_hours": 48}, "x"),
        lambda: processors.end(fresh_db, actor, party.id, "x"),
        lambda: processors.history(fresh_db, actor, party.id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert processors.get(fresh_db, world["dpo"], party.id).notice_hours == 24


def test_an_unknown_party_is_refused_like_another_organisations(fresh_db, world):
    with pytest.raises(PermissionDenied) as refused:
        processors.change(fresh_db, world["dpo"], 999_999, {"name": "x"}, "x")
    assert refused.value.message == PermissionDenied("x").message


# --- the store ---------------------------------------------------------------------------------


def test_a_processor_is_stored_with_its_agreement_and_a_partner_with_its_basis(fresh_db, world):
    dpo = world["dpo"]
    processor = processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)
    partner = processors.add(fresh_db, dpo, world.org.id, CONVENANT)
    assert processor.kind is PartyKind.PROCESSOR and processor.notice_hours == 24
    assert processor.categories == (DataCategory.BSN, DataCategory.CARE_FILE, DataCategory.NAME_ADDRESS)
    assert processor.agreement_date == date(2024, 3, 1)
    assert partner.kind is PartyKind.CHAIN_PARTNER and partner.notice_hours is None
    assert partner.basis == "Convenant jeugd 2025"
    listed = processors.list_parties(fresh_db, dpo, world.org.id)
    assert [p.name for p in listed] == ["Basisschool De Linde", "Cloudzorg BV"]
    assert processors.list_parties(fresh_db, world["other_dpo"], world.other_org.id) == []


def test_a_processor_without_a_stated_period_gets_48_hours(fresh_db, world):
    party = processors.add(fresh_db, world["dpo"], world.org.id, {**CLOUDZORG, "notice_hours": None})
    assert party.notice_hours == processors.DEFAULT_NOTICE_HOURS == 48


def test_every_change_keeps_the_old_value_who_and_why(fresh_db, world):
    dpo = world["dpo"]
    party = processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)
    with pytest.raises(InvalidInput) as missing:
        processors.change(fresh_db, dpo, party.id, {"notice_hours": 36}, "  ")
    assert "reden" in missing.value.errors["reason"]
    changed = processors.change(fresh_db, dpo, party.id, {"notice_hours": 36, "phone": ""}, "Addendum 2026.")
    assert {c["field"] for c in changed} == {"notice_hours", "phone"}
    assert processors.change(fresh_db, dpo, party.id, {"notice_hours": 36}, "") == []  # nothing changed
    shown = processors.history(fresh_db, dpo, party.id)
    hours = next(c for c in shown if c.field == "notice_hours")
    assert (hours.old, hours.new, hours.reason, hours.changed_by) == ("24", "36", "Addendum 2026.", "Dpo")
    audit = fresh_db.execute(
        "SELECT detail FROM audit_log WHERE action = 'party.change' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    assert "Addendum" not in audit and "+31" not in audit  # names fields, never contents
    assert sorted(json.loads(audit)["fields"]) == ["notice_hours", "phone"]


def test_a_party_is_ended_never_deleted(fresh_db, world):
    dpo = world["dpo"]
    party = processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)
    with pytest.raises(InvalidInput):
        processors.end(fresh_db, dpo, party.id, "")
    processors.end(fresh_db, dpo, party.id, "Contract opgezegd per 1 december.")
    ended = processors.get(fresh_db, dpo, party.id)
    assert not ended.active and ended.ended_reason == "Contract opgezegd per 1 december."
    assert [p.id for p in processors.list_parties(fresh_db, dpo, world.org.id)] == [party.id]
    assert processors.list_parties(fresh_db, dpo, world.org.id, include_ended=False) == []
    assert processors.history(fresh_db, dpo, party.id)[-1].new == "beëindigd"
    with pytest.raises(InvalidInput):
        processors.change(fresh_db, dpo, party.id, {"name": "Ander BV"}, "x")
    again = processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)  # the name is free again
    assert again.id != party.id


def test_the_same_name_twice_is_refused_per_kind(fresh_db, world):
    dpo = world["dpo"]
    processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)
    with pytest.raises(InvalidInput) as twice:
        processors.add(fresh_db, dpo, world.org.id, {**CLOUDZORG, "name": "cloudzorg bv"})
    assert twice.value.errors["name"] == "Er staat al een verwerker met deze naam in het register."
    processors.add(fresh_db, world["other_dpo"], world.other_org.id, CLOUDZORG)  # another organisation


# --- the rules of a row --------------------------------------------------------------------------

TODAY = date(2026, 12, 4)
BAD = sorted(
    [
        ("agreement_date", {"agreement_date": "31-02-2025"}, "geen datum"),
        ("agreement_date", {"agreement_date": TODAY + timedelta(days=1)}, "toekomst"),
        ("contact", {"contact": "", "phone": ""}, "functieadres"),
        ("contact", {"contact": "security@@x"}, "e-mailadres"),
        ("data_categories", {"data_categories": "BSN; schoenmaat"}, "schoenmaat"),
        ("kind", {"kind": "leverancier"}, "Kies de soort"),
        ("name", {"name": "  "}, "naam"),
        ("name", {"name": "x" * 201}, "te lang"),
        ("notice_hours", {"notice_hours": "twee dagen"}, "heel aantal uren"),
        ("notice_hours", {"notice_hours": 0}, "van 1 tot"),
        ("phone", {"phone": "bel Piet"}, "telefoonnummer"),
    ],
    key=lambda b: (b[0], b[2]),
)


@pytest.mark.parametrize(("field", "change", "said"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_a_wrong_row_gets_a_dutch_message_on_its_field(field, change, said):
    _, errors = processors.normalise({**CLOUDZORG, **change}, TODAY)
    assert said in errors[field]


def test_kinds_of_data_are_read_by_code_or_by_dutch_label():
    row, errors = processors.normalise(
        {**CLOUDZORG, "data_categories": "Burgerservicenummer (BSN); email"}, TODAY
    )
    assert errors == {} and json.loads(row["data_categories"]) == ["bsn", "email"]
    labels = [c.label.casefold() for c in processors.CATEGORIES]
    assert len(labels) == len(set(labels)), "a label must name one kind (the import reads labels)"


def test_a_partner_has_no_notification_period_and_needs_no_breach_contact():
    row, errors = processors.normalise({"kind": "joint_controller", "name": "GGD", "notice_hours": 12}, TODAY)
    assert errors == {} and row["notice_hours"] is None


def test_the_register_uses_the_organisations_own_clock(fresh_db, world):
    party = processors.add(
        fresh_db, world["dpo"], world.org.id, {**CLOUDZORG, "agreement_date": clock.today()}
    )
    assert party.agreement_date == clock.today()
