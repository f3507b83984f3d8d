"""Which processor or partner an incident involved (issue #16, ``datalek.handling.involvement``):
roles, the processor's own moments (art. 33(2) AVG) and its delay against the agreed period;
our own 72 hours never move; every change keeps the old value, who and why; the concept
AP-melding names the recorded processor instead of "Onbekend"."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock, deadlines
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import documents, notification_draft
from datalek.handling import incidents, involvement, processors
from datalek.handling.involvement import Delay, PartyRole
from datalek.handling.processors import PartyKind
from datalek.models import Actor, InvalidInput
from datalek.store import incidents as incident_sql
from datalek.triage.ap_vocabulary import OtherOrganisation
from tests.conftest import make_report
from tests.test_concept_properties import NOW as CONCEPT_NOW
from tests.test_concept_properties import sources
from tests.test_processors import CLOUDZORG, CONVENANT


@pytest.fixture
def setting(fresh_db, world):
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=80),
        discovered_at=now - timedelta(hours=70),
    )
    incident = incidents.submit_report(fresh_db, world["reporter"], report, at=now)
    party = processors.add(fresh_db, world["dpo"], world.org.id, {**CLOUDZORG, "notice_hours": 48})
    return fresh_db, world, incident, party, now


def test_the_fg_links_a_processor_that_reported_it_and_sees_its_delay(setting):
    db, world, incident, party, now = setting
    aware, told = now - timedelta(hours=70), now - timedelta(hours=9)
    made = involvement.link(db, world["dpo"], incident.id, party.id, ["reported", "caused"], aware, told)
    assert made.roles == (PartyRole.CAUSED, PartyRole.REPORTED)
    assert made.delay.late and made.delay.text == "De verwerker meldde het na 61 uur; afgesproken is 48 uur."
    (shown,) = involvement.for_incident(db, world["dpo"], incident.id)
    assert (shown.party_name, shown.party_aware_at, shown.party_told_at) == ("Cloudzorg BV", aware, told)


def test_our_72_hours_still_run_from_our_own_awareness(setting):
    db, world, incident, party, now = setting
    before = incident_sql.incident(db, incident.id)
    involvement.link(
        db,
        world["dpo"],
        incident.id,
        party.id,
        ["reported"],
        now - timedelta(hours=70),
        now - timedelta(hours=9),
    )
    after = incident_sql.incident(db, incident.id)
    assert (after["aware_at"], after["first_aware_at"]) == (before["aware_at"], before["first_aware_at"])
    ours = deadlines.deadline(clock.from_iso(after["aware_at"]))
    assert ours == clock.from_iso(before["aware_at"]) + timedelta(hours=72)


@pytest.mark.parametrize(
    ("hours", "agreed", "text", "late"),
    sorted(
        [
            (20, 48, "De verwerker meldde het na 20 uur; afgesproken is 48 uur.", False),
            (48, 48, "De verwerker meldde het na 48 uur; afgesproken is 48 uur.", False),
            (48.5, 48, "De verwerker meldde het na 48 uur en 30 minuten; afgesproken is 48 uur.", True),
            (0.75, 24, "De verwerker meldde het na 45 minuten; afgesproken is 24 uur.", False),
        ]
    ),
)
def test_the_delay_is_said_against_the_agreed_period(hours, agreed, text, late):
    delay = Delay(timedelta(hours=hours), agreed, PartyKind.PROCESSOR)
    assert (delay.text, delay.late) == (text, late)


def test_a_partner_has_no_agreed_period():
    delay = involvement.delay_of(PartyKind.CHAIN_PARTNER, clock.now() - timedelta(hours=5), clock.now(), 48)
    assert delay.text == "De ketenpartner meldde het na 5 uur." and not delay.late


IMPOSSIBLE = sorted(
    [
        ("told-before-aware", -10, -20, "party_told_at", "De verwerker meldde het aan ons ("),
        ("told-in-future", -10, 3, "party_told_at", "dat ligt in de toekomst"),
        ("aware-in-future", 2, 3, "party_aware_at", "dat ligt in de toekomst"),
    ]
)


@pytest.mark.parametrize(
    ("name", "aware_h", "told_h", "field", "said"), IMPOSSIBLE, ids=[i[0] for i in IMPOSSIBLE]
)
def test_an_impossible_order_is_refused_in_the_chronology_words(setting, name, aware_h, told_h, field, said):
    db, world, incident, party, now = setting
    with pytest.raises(InvalidInput) as refused:
        involvement.link(
            db,
            world["dpo"],
            incident.id,
            party.id,
            ["reported"],
            now + timedelta(hours=aware_h),
            now + timedelta(hours=told_h),
        )
    assert said in refused.value.errors[field]
    if name == "told-before-aware":
        assert "vóór de verwerker het wist" in refused.value.errors[field]
        assert refused.value.errors[field].endswith("Pas een van beide aan.")
    assert involvement.for_incident(db, world["dpo"], incident.id) == []


def test_moments_belong_to_the_role_reported_it_and_the_told_moment_is_needed(setting):
    db, world, incident, party, now = setting
    with pytest.raises(InvalidInput) as without_role:
        involvement.link(db, world["dpo"], incident.id, party.id, ["holds"], None, now - timedelta(hours=1))
    assert "Meldde het lek aan ons" in without_role.value.errors["party_told_at"]
    with pytest.raises(InvalidInput) as no_moment:
        involvement.link(db, world["dpo"], incident.id, party.id, ["reported"], None, None)
    assert no_moment.value.errors["party_told_at"] == "Vul in wanneer de verwerker het aan ons meldde."
    with pytest.raises(InvalidInput) as no_role:
        involvement.link(db, world["dpo"], incident.id, party.id, [], None, None)
    assert "minstens één rol" in no_role.value.errors["roles"]


def test_several_parties_each_once_and_only_the_organisations_own(setting):
    db, world, incident, party, now = setting
    dpo = world["dpo"]
    partner = processors.add(db, dpo, world.org.id, CONVENANT)
    involvement.link(db, dpo, incident.id, party.id, ["holds"])
    involvement.link(db, dpo, incident.id, partner.id, ["received"])
    with pytest.raises(InvalidInput) as twice:
        involvement.link(db, dpo, incident.id, party.id, ["caused"])
    assert "al gekoppeld" in twice.value.errors["party"]
    foreign = processors.add(db, world["other_dpo"], world.other_org.id, CLOUDZORG)
    with pytest.raises(InvalidInput) as other:
        involvement.link(db, dpo, incident.id, foreign.id, ["holds"])
    assert "register van deze organisatie" in other.value.errors["party"]
    assert [x.party_name for x in involvement.for_incident(db, dpo, incident.id)] == [
        "Cloudzorg BV",
        "Basisschool De Linde",
    ]


def test_changing_a_moment_keeps_the_old_value_who_and_why(setting):
    db, world, incident, party, now = setting
    dpo = world["dpo"]
    made = involvement.link(db, dpo, incident.id, party.id, ["reported"], None, now - timedelta(hours=9))
    aware = now - timedelta(hours=30)
    assert involvement.change(
        db, dpo, incident.id, made.id, ["reported"], aware, made.party_told_at, ""
    )  # filled
    with pytest.raises(InvalidInput) as missing:
        involvement.change(
            db, dpo, incident.id, made.id, ["reported"], now - timedelta(hours=40), made.party_told_at, ""
        )
    assert "reden" in missing.value.errors["reason"]
    involvement.change(
        db,
        dpo,
        incident.id,
        made.id,
        ["reported", "caused"],
        now - timedelta(hours=40),
        made.party_told_at,
        "Logboek verwerker.",
    )
    shown = involvement.history(db, dpo, incident.id)
    assert [(c.field, c.old is None) for c in shown] == [
        ("party_aware_at", True),
        ("roles", False),
        ("party_aware_at", False),
    ]
    assert shown[2].old == clock.format_local(aware) and shown[2].reason == "Logboek verwerker."
    assert shown[1].new == "veroorzaakte het lek, meldde het lek aan ons" and shown[1].changed_by == "Dpo"
    (link,) = involvement.for_incident(db, dpo, incident.id)
    assert link.delay.text == "De verwerker meldde het na 31 uur; afgesproken is 48 uur."


def test_a_link_is_removed_with_a_reason_and_stays(setting):
    db, world, incident, party, now = setting
    dpo = world["dpo"]
    made = involvement.link(db, dpo, incident.id, party.id, ["holds"])
    with pytest.raises(InvalidInput):
        involvement.remove(db, dpo, incident.id, made.id, " ")
    involvement.remove(db, dpo, incident.id, made.id, "Verkeerde verwerker gekozen.")
    (kept,) = involvement.for_incident(db, dpo, incident.id)
    assert kept.removed_at is not None and kept.removed_reason == "Verkeerde verwerker gekozen."
    involvement.link(db, dpo, incident.id, party.id, ["caused"])  # linked anew after the mistake


@pytest.mark.parametrize("who", sorted(["admin", "cli", "management", "other_dpo", "reporter"]))
def test_only_the_incidents_fg_links_parties(setting, who):
    db, world, incident, party, now = setting
    actor = Actor.cli() if who == "cli" else world[who]
    with pytest.raises(PermissionDenied):
        involvement.link(db, actor, incident.id, party.id, ["holds"])
    with pytest.raises(PermissionDenied):
        involvement.for_incident(db, actor, incident.id)
    assert involvement.for_incident(db, world["dpo"], incident.id) == []


# --- the concept AP-melding ----------------------------------------------------------------------


def test_the_concept_names_the_recorded_processor_instead_of_unknown(setting):
    db, world, incident, party, now = setting
    dpo = world["dpo"]
    before = documents.draft_notification(db, dpo, incident.id).answers()["1.other"]
    assert before is None  # shown as "Onbekend — nog aanvullen"
    involvement.link(
        db,
        dpo,
        incident.id,
        party.id,
        ["caused", "reported"],
        now - timedelta(hours=70),
        now - timedelta(hours=9),
    )
    after = documents.draft_notification(db, dpo, incident.id).answers()["1.other"]
    assert after == "Ja, een verwerker: Cloudzorg BV (veroorzaakte het lek; meldde het lek aan ons)"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sources(),
    st.lists(
        st.sampled_from(
            [
                "Ja, een verwerker: A BV (heeft de gegevens)",
                "Ja, een andere organisatie: B (kreeg de gegevens per ongeluk)",
            ]
        ),
        min_size=1,
        max_size=2,
        unique=True,
    ),
)
def test_a_recorded_party_answers_an_open_question_and_never_overrules_the_facts(src, involved):
    alone = notification_draft.build(src, CONCEPT_NOW).answers()["1.other"]
    answer = notification_draft.build(dataclasses.replace(src, involved=involved), CONCEPT_NOW).answers()[
        "1.other"
    ]
    assert answer is not None
    if src.facts.other_organisation is OtherOrganisation.TBD:
        assert all(line in answer for line in involved)
    else:
        assert answer == alone  # the FG's own answer in the facts stands
