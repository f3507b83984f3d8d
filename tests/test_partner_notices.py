"""The partner notification log (issue #16, ``datalek.handling.partner_notices``): which partner
or controller was told what, when, by whom and by which channel, and their reply; moments in the
right order; corrections keep the old value, who and why; the register lists the standing ones
in the column "Ketenpartners geïnformeerd"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock
from datalek.accounts import auth
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user
from datalek.handling import chains, incidents, partner_notices, processors
from datalek.handling.chains import Target
from datalek.handling.partner_notices import NoticeInput, Partner
from datalek.insight import register_export
from datalek.models import Actor, InvalidInput, Role
from tests.conftest import PASSWORD, make_report
from tests.test_processors import CLOUDZORG

REPLY = "Gemeente X meldt zelf bij de AP, meldnummer M-2026-000777."


@pytest.fixture
def setting(fresh_db, world):
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=30),
        discovered_at=now - timedelta(hours=20),
    )
    incident = incidents.submit_report(fresh_db, world["reporter"], report, at=now)
    return fresh_db, world, incident, now


def told(partner: Partner, now, **changes) -> NoticeInput:
    values = {
        "partner": partner,
        "told_what": "Wat er lekte en dat zij zelf moeten beoordelen of zij melden.",
        "told_at": now - timedelta(hours=2),
        "channel": "phone",
    }
    return NoticeInput(**(values | changes))


def test_the_fg_logs_who_was_told_what_when_how_and_the_reply(setting):
    db, world, incident, now = setting
    notice = partner_notices.record(
        db,
        world["dpo"],
        incident.id,
        told(Partner(name="Gemeente X"), now, reply=REPLY, reply_at=now - timedelta(hours=1)),
    )
    assert (notice.partner_name, notice.channel.label, notice.reply, notice.recorded_by) == (
        "Gemeente X",
        "Telefoon",
        REPLY,
        "Dpo",
    )
    assert notice.told_at == (now - timedelta(hours=2)) and notice.reply_at == (now - timedelta(hours=1))


def test_the_partner_comes_from_the_register_or_the_chain(setting):
    db, world, incident, now = setting
    party = processors.add(db, world["dpo"], world.org.id, CLOUDZORG)
    cli = Actor.cli()
    user = create_user(
        db, cli, "Sam Shared", "shared@test.invalid", Role.DPO, PASSWORD, [world.org.id, world.other_org.id]
    )
    shared = auth.actor_for(db, user.id)
    chains.create_linked(db, shared, incident.id, [Target(world.other_org.id)], "Storing bij de leverancier.")
    parties, orgs = partner_notices.partner_choices(db, world["dpo"], incident.id)
    assert (parties, orgs) == ({party.id: "Cloudzorg BV"}, {world.other_org.id: "Jeugdzorg Test"})
    a = partner_notices.record(db, world["dpo"], incident.id, told(Partner(party_id=party.id), now))
    b = partner_notices.record(
        db,
        world["dpo"],
        incident.id,
        told(Partner(org_id=world.other_org.id), now, channel="secure_platform"),
    )
    assert (a.partner_name, b.partner_name, b.channel.label) == (
        "Cloudzorg BV",
        "Jeugdzorg Test",
        "Beveiligd berichtenplatform",
    )


@pytest.mark.parametrize(
    ("case", "field"),
    sorted(
        [
            ("before_awareness", "told_at"),
            ("future", "told_at"),
            ("no_channel", "channel"),
            ("no_partner", "partner"),
            ("no_text", "told_what"),
            ("not_in_chain", "partner"),
            ("reply_before_told", "reply_at"),
            ("reply_without_moment", "reply_at"),
            ("two_partners", "partner"),
        ]
    ),
)
def test_bad_input_is_refused_next_to_its_field(setting, case, field):
    db, world, incident, now = setting
    given = {
        "before_awareness": told(Partner(name="X"), now, told_at=now - timedelta(hours=25)),
        "future": told(Partner(name="X"), now, told_at=now + timedelta(hours=2)),
        "no_channel": told(Partner(name="X"), now, channel=None),
        "no_partner": told(Partner(), now),
        "no_text": told(Partner(name="X"), now, told_what=" "),
        "not_in_chain": told(Partner(org_id=world.other_org.id), now),
        "reply_before_told": told(Partner(name="X"), now, reply="Ja", reply_at=now - timedelta(hours=3)),
        "reply_without_moment": told(Partner(name="X"), now, reply="Ja"),
        "two_partners": told(Partner(name="X", org_id=world.other_org.id), now),
    }[case]
    with pytest.raises(InvalidInput) as refused:
        partner_notices.record(db, world["dpo"], incident.id, given)
    assert field in refused.value.errors
    assert partner_notices.for_incident(db, world["dpo"], incident.id) == []


def test_a_reply_is_filled_in_later_and_a_correction_keeps_old_value_who_and_why(setting):
    db, world, incident, now = setting
    first = told(Partner(name="Gemeente X"), now)
    notice = partner_notices.record(db, world["dpo"], incident.id, first)
    later = told(Partner(name="Gemeente X"), now, reply=REPLY, reply_at=now - timedelta(minutes=30))
    assert len(partner_notices.correct(db, world["dpo"], incident.id, notice.id, later, "")) == 2
    fixed = told(
        Partner(name="Gemeente X"), now, reply=REPLY, reply_at=now - timedelta(minutes=30), channel="email"
    )
    with pytest.raises(InvalidInput) as refused:
        partner_notices.correct(db, world["dpo"], incident.id, notice.id, fixed, "")
    assert "reason" in refused.value.errors
    partner_notices.correct(db, world["dpo"], incident.id, notice.id, fixed, "Het was een e-mail.")
    change = partner_notices.history(db, world["dpo"], incident.id)[-1]
    assert (change.label, change.old, change.new, change.reason, change.changed_by) == (
        "Kanaal",
        "Telefoon",
        "E-mail",
        "Het was een e-mail.",
        "Dpo",
    )


def test_a_withdrawn_notice_stays_visible_and_leaves_the_register(setting):
    db, world, incident, now = setting
    keep = partner_notices.record(
        db, world["dpo"], incident.id, told(Partner(name="Gemeente X"), now, reply=REPLY, reply_at=now)
    )
    drop = partner_notices.record(db, world["dpo"], incident.id, told(Partner(name="School Y"), now))
    partner_notices.withdraw(db, world["dpo"], incident.id, drop.id, "Verkeerde melding.")
    shown = {n.id: n for n in partner_notices.for_incident(db, world["dpo"], incident.id)}
    assert shown[drop.id].withdrawn_reason == "Verkeerde melding." and shown[keep.id].withdrawn_at is None
    year = now.astimezone(clock.AMSTERDAM).year
    (entry,) = register_export.view(db, world["dpo"], world.org.id, year)
    assert (
        "Gemeente X" in entry["Ketenpartners geïnformeerd"] and REPLY in entry["Ketenpartners geïnformeerd"]
    )
    assert "School Y" not in entry["Ketenpartners geïnformeerd"]
    assert b"Ketenpartners ge" in register_export.export(db, world["dpo"], world.org.id, year, "csv")


@pytest.mark.parametrize("who", sorted(["admin", "management", "other_dpo", "reporter"]))
def test_only_the_incidents_fg_reads_or_logs_partner_notices(setting, who):
    db, world, incident, now = setting
    with pytest.raises(PermissionDenied):
        partner_notices.record(db, world[who], incident.id, told(Partner(name="Gemeente X"), now))
    with pytest.raises(PermissionDenied):
        partner_notices.for_incident(db, world[who], incident.id)


def test_a_purge_blanks_the_partner_log_and_the_chain_reasons(setting):
    """Retention (``datalek.store.retention.FREE_TEXT``): what was told, the reply, a typed name
    and every reason are free text; the moments and the channel stay."""
    from datalek import store
    from datalek.store import retention as retention_sql

    db, world, incident, now = setting
    cli = Actor.cli()
    user = create_user(
        db, cli, "Sam Shared", "shared@test.invalid", Role.DPO, PASSWORD, [world.org.id, world.other_org.id]
    )
    shared = auth.actor_for(db, user.id)
    (made,) = chains.create_linked(
        db, shared, incident.id, [Target(world.other_org.id)], "Storing bij de leverancier."
    )
    chains.remove(db, shared, incident.id, "Geheim: mevrouw De Vries belde.")
    notice = partner_notices.record(
        db,
        world["dpo"],
        incident.id,
        told(Partner(name="Mevrouw De Vries"), now, reply="Geheim antwoord", reply_at=now),
    )
    fixed = told(
        Partner(name="Mevrouw De Vries"),
        now,
        told_what="Geheim verteld",
        reply="Geheim antwoord",
        reply_at=now,
    )
    partner_notices.correct(db, world["dpo"], incident.id, notice.id, fixed, "Geheime reden")
    with store.write(db):
        retention_sql.blank(db, incident.id, "[verwijderd]", "{}", [], clock.to_iso(now))
    dump = repr(list(db.query("SELECT * FROM partner_notices"))) + repr(
        list(db.query("SELECT * FROM partner_notice_changes"))
    )
    dump += repr(list(db.query("SELECT * FROM chain_members WHERE incident_id = ?", [incident.id])))
    dump += repr(list(db.query("SELECT * FROM chain_changes WHERE incident_id = ?", [incident.id])))
    for secret in ("Geheim", "De Vries"):
        assert secret not in dump
    (row,) = db.query("SELECT told_at, channel FROM partner_notices")
    assert (row["told_at"], row["channel"]) == (clock.to_iso(now - timedelta(hours=2)), "phone")
    assert made  # the linked incident of the other organisation keeps its own text
