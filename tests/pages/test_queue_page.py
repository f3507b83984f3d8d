"""Werkvoorraad: the FG's open incidents of their own organisation, earliest deadline first."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import assessment, decisions, incidents, prefill
from tests.conftest import make_report
from tests.pages.conftest import (
    button,
    error_after,
    once_key,
    open_db,
    rows,
    signed_in,
    successes,
    switch_to,
    table_with,
    tables,
    titles,
)

PAGE = navigation.QUEUE


@pytest.fixture
def queue_world(world, db_path):
    """Open incidents discovered 30 h, 50 h, 2 h and 80 h ago (reported in that order), one
    incident that is no longer open, and one incident of the other organisation with the earliest deadline."""
    now = clock.now()
    made = {}
    db = open_db(db_path)
    try:

        def report(key, name, hours_ago, department="Sociaal Domein"):
            actor = world[key]
            found = now - timedelta(hours=hours_ago)
            r = make_report(
                actor.org_ids[0],
                now=now,
                discovered_at=found,
                occurred_from=found - timedelta(hours=1),
                department=department,
            )
            made[name] = incidents.submit_report(db, actor, r)

        report("reporter", "thirty", 30)
        report("reporter2", "fifty", 50, department="Jeugd")
        report("reporter", "two", 2)
        report("dpo", "eighty", 80)
        report("reporter", "closed", 100)  # no longer open: judged "geen datalek"
        closed = made["closed"]
        assessment.save(db, world["dpo"], closed.id, prefill.facts_from_report(closed, world.org))
        decisions.record(
            db,
            world["dpo"],
            closed.id,
            decisions.DecisionInput(
                breach=False,
                not_breach_reason=decisions.NotBreachReason.NO_PERSONAL_DATA,
                motivation="Versleuteld verstuurd, sleutel niet gedeeld.",
                deviation_motivation="Geen.",
            ),
        )
        report("other_reporter", "foreign", 90)
    finally:
        db.close()
    return made


def queue_table(at):
    return table_with(at, "Nummer")


def status_form_widgets(at):
    """The status selectbox and the reason input of the open incident's status form."""
    (select,) = [s for s in at.selectbox if s.form_id.startswith("status_")]
    (reason,) = [t for t in at.text_input if t.form_id.startswith("status_")]
    (submit,) = [b for b in at.button if b.form_id.startswith("status_")]
    return select, reason, submit


def test_dpo_sees_own_open_incidents_earliest_deadline_first(world, queue_world):
    at = signed_in(world["dpo"], PAGE)
    assert not at.exception
    assert titles(at) == ["Werkvoorraad"]
    table = queue_table(at)
    expected = [queue_world[k].reference for k in ("eighty", "fifty", "thirty", "two")]
    assert list(table["Nummer"]) == expected
    assert list(table["Urgentie"]) == [
        "Te laat",
        "Minder dan 24 uur",
        "Minder dan 48 uur",
        "Meer dan 48 uur",
    ]
    assert list(table["Termijn"])[0] == "8 uur te laat"
    assert set(table["Organisatie"]) == {"Gemeente Test"}
    assert [m.value for m in at.markdown if "open melding" in str(m.value)] == [
        "4 open meldingen. Eerst de meldingen waarvan de termijn loopt, de kortste bovenaan. "
        "Daarna de meldingen die gemeld zijn of niet gemeld worden."
    ]


def test_other_organisations_incidents_and_closed_ones_are_not_listed(world, queue_world):
    at = signed_in(world["dpo"], PAGE)
    table = queue_table(at)
    # reference numbers restart per organisation, so check the rows, not just the numbers
    assert len(table) == 4
    assert set(table["Organisatie"]) == {"Gemeente Test"}
    assert queue_world["closed"].reference not in set(table["Nummer"])
    assert at.selectbox(key="q_choice").options == [
        queue_world[k].reference for k in ("eighty", "fifty", "thirty", "two")
    ]
    assert at.selectbox(key="q_org").options == ["Gemeente Test"]
    assert queue_world["foreign"].org_id != world.org.id


@pytest.mark.parametrize("key", ["reporter", "management", "admin"])
def test_only_the_dpo_can_open_the_queue(world, queue_world, key):
    at = signed_in(world[key])
    with pytest.raises(ValueError):
        switch_to(at, PAGE)


def test_the_other_dpo_sees_only_their_organisation(world, queue_world):
    at = signed_in(world["other_dpo"], PAGE)
    table = queue_table(at)
    assert list(table["Nummer"]) == [queue_world["foreign"].reference]
    assert set(table["Organisatie"]) == {"Jeugdzorg Test"}


def test_filters_narrow_the_queue_and_keep_the_order(world, queue_world):
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_dept").set_value("Jeugd").run()
    assert list(queue_table(at)["Nummer"]) == [queue_world["fifty"].reference]
    at.selectbox(key="q_dept").set_value(None).run()
    at.multiselect(key="q_status").set_value(["reported"]).run()
    assert list(queue_table(at)["Nummer"]) == [
        queue_world[k].reference for k in ("eighty", "fifty", "thirty", "two")
    ]
    at.multiselect(key="q_status").set_value(["decided"]).run()
    assert not [t for t in tables(at) if "Nummer" in t.columns]
    assert "Er zijn geen meldingen met status Besloten." in [m.value for m in at.markdown]


def test_empty_queue(world):
    at = signed_in(world["dpo"], PAGE)
    assert not at.exception
    assert "Er zijn geen open meldingen." in [m.value for m in at.markdown]
    assert tables(at) == []


def test_opening_an_incident_shows_it_and_is_audited(world, queue_world, db_path):
    chosen = queue_world["fifty"]
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(chosen.id).run()
    assert not at.exception
    assert [s.value for s in at.subheader if s.value.startswith(chosen.reference)] == [
        f"{chosen.reference}: nog 21 uur"  # 72 - 50 h, minus the seconds since
    ]
    reads = rows(
        db_path, "select * from audit_log where action = 'incident.read' and object_id = ?", [str(chosen.id)]
    )
    assert len(reads) == 1 and reads[0]["actor_id"] == world["dpo"].user_id


def test_status_change_from_the_queue(world, queue_world, db_path):
    chosen = queue_world["thirty"]
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(chosen.id).run()
    form_select, _, submit = status_form_widgets(at)
    assert form_select.options == ["In behandeling"]
    form_select.set_value("in_progress")
    submit.click().run()
    assert not at.exception
    assert successes(at) == ["Status gewijzigd naar 'In behandeling'."]
    (row,) = rows(db_path, "select status from incidents where id = ?", [chosen.id])
    assert row["status"] == "in_progress"
    table = queue_table(at)
    assert dict(zip(table["Nummer"], table["Status"], strict=True))[chosen.reference] == "In behandeling"


def test_the_status_form_never_offers_a_decision_status(world, queue_world):
    """'Geen datalek' and 'Besluit genomen' need a motivated decision (tab 'Advies en besluit')."""
    at = signed_in(world["dpo"], PAGE)
    at.selectbox(key="q_choice").set_value(queue_world["two"].id).run()
    form_select, _, _ = status_form_widgets(at)
    assert form_select.options == ["In behandeling"]


# --- issue #14: the clock stays until the AP notification ------------------------------------


def _termijn(at) -> dict[str, tuple[str, str, str]]:
    table = queue_table(at)
    return {
        n: (t, u, a)
        for n, t, u, a in zip(
            table["Nummer"], table["Termijn"], table["Urgentie"], table["Aandacht"], strict=True
        )
    }


def test_a_decision_to_notify_keeps_the_countdown_until_the_notification(world, queue_world, db_path):
    """Found: after a decision the queue said "besluit genomen" while the AP notification
    itself was still outstanding."""
    from tests.test_outstanding import decide, notify

    chosen = queue_world["thirty"]
    db = open_db(db_path)
    try:
        decide(db, world, chosen, "notify")
    finally:
        db.close()
    at = signed_in(world["dpo"], PAGE)
    assert not at.exception
    assert _termijn(at)[chosen.reference][:2] == ("Besloten te melden — nog 41 uur", "Minder dan 48 uur")
    expected = [queue_world[k].reference for k in ("eighty", "fifty", "thirty", "two")]
    assert list(queue_table(at)["Nummer"]) == expected
    db = open_db(db_path)
    try:
        notify(db, world, chosen)
    finally:
        db.close()
    at = signed_in(world["dpo"], PAGE)
    assert _termijn(at)[chosen.reference][:2] == ("Gemeld bij de AP", "Geen termijn")
    assert list(queue_table(at)["Nummer"])[-1] == chosen.reference  # no running clock: last


def test_an_overdue_clock_asks_for_the_reason_of_the_delay(world, queue_world, db_path):
    late = queue_world["eighty"]
    at = signed_in(world["dpo"], PAGE)
    assert _termijn(at)[late.reference][2] == "Reden vertraging ontbreekt"
    assert _termijn(at)[queue_world["fifty"].reference][2] == ""
    at.selectbox(key="q_choice").set_value(late.id).run()
    prefix = f"delay_{late.id}_"
    box = at.text_area(key=once_key(at, prefix, "reason"))
    assert box.label == "Waarom is de melding later dan 72 uur?"
    button(at, "Reden vastleggen").click().run()
    assert not at.exception
    assert (
        error_after(at, once_key(at, prefix, "reason")) == "Schrijf op waarom de melding later is dan 72 uur."
    )
    at.text_area(key=once_key(at, prefix, "reason")).input("De FG was ziek; de vervanger wist het niet.")
    at.radio(key=once_key(at, prefix, "kind")).set_value("internal")
    button(at, "Reden vastleggen").click().run()
    assert not at.exception
    assert "De reden van de vertraging is vastgelegd." in successes(at)
    (row,) = rows(db_path, "select delay_reason from incidents where id = ?", [late.id])
    assert row["delay_reason"] == "De FG was ziek; de vervanger wist het niet."
    assert _termijn(at)[late.reference][2] == ""


# --- issue #15: informing postponed for safety --------------------------------------------------


def test_a_family_postponement_shows_in_the_queue_until_resolved_and_returns_on_its_date(
    world, queue_world, db_path, monkeypatch
):
    from datalek.actions import households
    from datalek.actions.addressees import Relation
    from tests.test_sending import SECRET, judge

    chosen, review = queue_world["thirty"], clock.today() + timedelta(days=7)
    db = open_db(db_path)
    try:
        house = households.add_household(db, world["dpo"], chosen.id, "Gezin *Jansen*").id
        households.add_member(db, world["dpo"], house, relation=Relation.PARENT_GEZAG, file_ref="O-1")
        judge(db, world["dpo"], house, (), True, SECRET, review)
    finally:
        db.close()
    flag = f"Informeren uitgesteld (veiligheid) tot {review:%d-%m-%Y}"
    at = signed_in(world["dpo"], PAGE)
    assert not at.exception
    assert {n: a for n, (_, _, a) in _termijn(at).items() if a} == {
        chosen.reference: flag,
        queue_world["eighty"].reference: "Reden vertraging ontbreekt",
    }
    assert not [w for w in at.warning if "Uitgesteld informeren" in w.value]

    monkeypatch.setattr(clock, "today", lambda: review)  # the review date has come
    at = signed_in(world["dpo"], PAGE)
    assert _termijn(at)[chosen.reference][2] == f"uitstel opnieuw bekijken, {flag}"
    [warning] = [w.value for w in at.warning if "Uitgesteld informeren" in w.value]
    assert warning == (
        f"Uitgesteld informeren, vandaag opnieuw bekijken: {chosen.reference} "
        f"(Gezin \\*Jansen\\*, sinds {review:%d-%m-%Y})"
    )
    assert SECRET not in warning

    db = open_db(db_path)
    try:
        judge(db, world["dpo"], house, (), False)  # safe now: resolved
    finally:
        db.close()
    at = signed_in(world["dpo"], PAGE)
    assert _termijn(at)[chosen.reference][2] == ""
    assert not [w for w in at.warning if "Uitgesteld informeren" in w.value]
