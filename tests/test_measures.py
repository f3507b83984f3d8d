"""Measures after a breach: validated per field, a status with the date it was done, and
open measures past their due date in the FG's queue of their own organisation only."""

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import measures
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from datalek.handling import incidents
from datalek.models import InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report

TODAY = date(2026, 11, 25)  # the clock below, in Amsterdam
GOOD = MeasureInput(
    kind=MeasureKind.CORRECTIVE,
    description="Ontvanger gevraagd te verwijderen.",
    owner="Teamleider Jeugd",
    due_on=TODAY + timedelta(days=14),
)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    return incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW).id


def _add(db, world, incident_id, **changes):
    return measures.add(db, world["dpo"], incident_id, GOOD.model_copy(update=changes))


def test_a_measure_is_added_as_planned_and_audited_without_its_text(fresh_db, world, incident_id):
    made = measures.add(
        fresh_db,
        world["dpo"],
        incident_id,
        MeasureInput(
            kind=MeasureKind.PREVENTIVE,
            description="  Adrescontrole in het sjabloon.  ",
            owner=" ICT ",
            due_on=TODAY,
        ),
    )
    assert (made.status, made.done_on, made.description, made.owner) == (
        MeasureStatus.PLANNED,
        None,
        "Adrescontrole in het sjabloon.",
        "ICT",
    )
    assert measures.for_incident(fresh_db, world["dpo"], incident_id) == [made]
    entry = audit_log.recent(fresh_db, 1, action="measure.add")[0]
    assert json.loads(entry["detail"]) == {"measure_id": made.id, "kind": "preventive"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": None}, "kind", "Kies of het om herstel of preventie gaat."),
        ({"description": "   "}, "description", "Beschrijf de maatregel."),
        ({"description": "x" * 2001}, "description", "Dit is te lang: gebruik hoogstens 2000 tekens."),
        ({"owner": ""}, "owner", "Vul in wie de maatregel uitvoert (een functie of afdeling is genoeg)."),
        ({"owner": "x" * 201}, "owner", "Dit is te lang: gebruik hoogstens 200 tekens."),
        ({"due_on": None}, "due_on", "Kies de datum waarop de maatregel klaar moet zijn."),
    ],
    ids=["no-kind", "blank-description", "long-description", "no-owner", "long-owner", "no-due-date"],
)
def test_an_incomplete_measure_gets_a_dutch_message_per_field(
    fresh_db, world, incident_id, changes, field, message
):
    data = MeasureInput(**{**GOOD.model_dump(), **changes})
    with pytest.raises(InvalidInput) as refused:
        measures.add(fresh_db, world["dpo"], incident_id, data)
    assert refused.value.errors == {field: message}
    assert measures.for_incident(fresh_db, world["dpo"], incident_id) == []


def test_the_longest_allowed_texts_are_accepted(fresh_db, world, incident_id):
    made = _add(fresh_db, world, incident_id, description="d" * 2000, owner="o" * 200)
    assert len(made.description) == 2000 and len(made.owner) == 200


@pytest.mark.parametrize(
    ("status", "done_on"),
    [(MeasureStatus.DONE, TODAY), (MeasureStatus.IN_PROGRESS, None), (MeasureStatus.CANCELLED, None)],
    ids=["done", "in-progress", "cancelled"],
)
def test_a_status_change_records_the_day_it_was_done(fresh_db, world, incident_id, status, done_on):
    made = _add(fresh_db, world, incident_id)
    changed = measures.set_status(fresh_db, world["dpo"], made.id, status)
    assert (changed.status, changed.done_on) == (status, done_on)
    assert measures.for_incident(fresh_db, world["dpo"], incident_id) == [changed]
    entry = audit_log.recent(fresh_db, 1, action="measure.status")[0]
    assert json.loads(entry["detail"]) == {"measure_id": made.id, "status": status.value}


def test_reopening_a_done_measure_clears_its_done_date(fresh_db, world, incident_id):
    made = _add(fresh_db, world, incident_id)
    measures.set_status(fresh_db, world["dpo"], made.id, MeasureStatus.DONE)
    reopened = measures.set_status(fresh_db, world["dpo"], made.id, MeasureStatus.IN_PROGRESS)
    assert reopened.done_on is None
    assert measures.for_incident(fresh_db, world["dpo"], incident_id)[0].done_on is None


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (TODAY - timedelta(days=1), None, True),
        (TODAY - timedelta(days=1), MeasureStatus.IN_PROGRESS, True),
        (TODAY, None, False),
        (TODAY - timedelta(days=1), MeasureStatus.DONE, False),
        (TODAY - timedelta(days=1), MeasureStatus.CANCELLED, False),
    ],
    ids=["planned-past-due", "in-progress-past-due", "due-today", "done", "cancelled"],
)
def test_open_measures_past_their_due_date_are_overdue(fresh_db, world, incident_id, due_on, status, overdue):
    made = _add(fresh_db, world, incident_id, due_on=due_on)
    if status:
        measures.set_status(fresh_db, world["dpo"], made.id, status)
    found = measures.overdue(fresh_db, world["dpo"], today=TODAY)
    assert [(o.measure_id, o.incident_id, o.due_on) for o in found] == (
        [(made.id, incident_id, due_on)] if overdue else []
    )
    assert made.overdue(TODAY) == (due_on < TODAY)


def test_overdue_measures_carry_no_free_text_and_stay_within_the_organisation(fresh_db, world, incident_id):
    _add(fresh_db, world, incident_id, due_on=TODAY - timedelta(days=3), description="Geheim plan.")
    (found,) = measures.overdue(fresh_db, world["dpo"], today=TODAY)
    assert found.reference == "DL-2026-0001" and found.kind is MeasureKind.CORRECTIVE
    assert "Geheim" not in repr(found)
    assert measures.overdue(fresh_db, world["other_dpo"], today=TODAY) == []


def test_overdue_defaults_to_today(fresh_db, world, incident_id):
    _add(fresh_db, world, incident_id, due_on=TODAY - timedelta(days=1))
    _add(fresh_db, world, incident_id, due_on=TODAY + timedelta(days=1))
    assert [o.due_on for o in measures.overdue(fresh_db, world["dpo"])] == [TODAY - timedelta(days=1)]


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_of_the_organisation_handles_measures(fresh_db, world, incident_id, who):
    made = _add(fresh_db, world, incident_id)
    with pytest.raises(PermissionDenied):
        measures.add(fresh_db, world[who], incident_id, GOOD)
    with pytest.raises(PermissionDenied):
        measures.set_status(fresh_db, world[who], made.id, MeasureStatus.DONE)
    with pytest.raises(PermissionDenied):
        measures.for_incident(fresh_db, world[who], incident_id)
    assert measures.for_incident(fresh_db, world["dpo"], incident_id) == [made]


@pytest.mark.parametrize("who", ["reporter", "management", "admin"])
def test_only_a_dpo_sees_overdue_measures(fresh_db, world, who):
    with pytest.raises(PermissionDenied):
        measures.overdue(fresh_db, world[who])


def test_an_unknown_measure_is_refused_like_a_foreign_one(fresh_db, world):
    with pytest.raises(PermissionDenied):
        measures.set_status(fresh_db, world["dpo"], 999, MeasureStatus.DONE)
    assert audit_log.recent(fresh_db, 1)[0]["action"] == "refused"


def test_overdue_can_be_limited_to_the_oldest_and_counted(fresh_db, world):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    for days in (3, 1, 2):
        measures.add(
            fresh_db,
            world["dpo"],
            incident.id,
            MeasureInput(
                kind=MeasureKind.PREVENTIVE, description="d", owner="o", due_on=TODAY - timedelta(days=days)
            ),
        )
    oldest = measures.overdue(fresh_db, world["dpo"], today=TODAY, limit=2)
    assert [o.due_on for o in oldest] == [TODAY - timedelta(days=3), TODAY - timedelta(days=2)]
    assert measures.count_overdue(fresh_db, world["dpo"], today=TODAY) == 3
    assert measures.count_overdue(fresh_db, world["other_dpo"], today=TODAY) == 0


@pytest.mark.parametrize(
    ("repeat", "measures_", "missing"),
    [
        (False, [], False),
        (True, [], True),
        (True, [(MeasureKind.CORRECTIVE, MeasureStatus.DONE)], True),
        (True, [(MeasureKind.PREVENTIVE, MeasureStatus.CANCELLED)], True),
        (True, [(MeasureKind.PREVENTIVE, MeasureStatus.PLANNED)], False),
        (True, [(MeasureKind.PREVENTIVE, MeasureStatus.DONE)], False),
        (True, [(MeasureKind.PREVENTIVE, MeasureStatus.PLANNED, "withdrawn")], True),
    ],
    ids=[
        "no-repeat",
        "repeat-nothing",
        "repeat-only-corrective",
        "repeat-prevention-cancelled",
        "repeat-prevention-planned",
        "repeat-prevention-done",
        "repeat-prevention-withdrawn",
    ],
)
def test_a_repeat_asks_for_prevention_until_one_is_planned(repeat, measures_, missing):
    incident = SimpleNamespace(repeat_of=7 if repeat else None)
    found = [SimpleNamespace(kind=m[0], status=m[1], withdrawn="withdrawn" in m) for m in measures_]
    assert measures.prevention_missing(incident, found) is missing


# --- the real date a measure was done (issue #17) ------------------------------------------


@pytest.fixture
def added_earlier(fresh_db, world, incident_id, monkeypatch):
    """A measure recorded on 20-11-2026; the clock then stands on 25-11-2026 (``TODAY``)."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    made = _add(fresh_db, world, incident_id)
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))
    return made


CREATED = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("done_on", "stored", "error"),
    [
        (None, TODAY, None),
        (TODAY, TODAY, None),
        (TODAY - timedelta(days=3), TODAY - timedelta(days=3), None),
        (CREATED, CREATED, None),
        (TODAY + timedelta(days=1), None, "Deze datum ligt in de toekomst."),
        (
            CREATED - timedelta(days=1),
            None,
            "Deze datum ligt vóór het vastleggen van de maatregel (20-11-2026).",
        ),
    ],
    ids=["default-today", "today", "days-ago", "day-it-was-recorded", "future", "before-recorded"],
)
def test_marking_done_asks_the_real_date(fresh_db, world, added_earlier, done_on, stored, error):
    if error:
        with pytest.raises(InvalidInput) as refused:
            measures.set_status(fresh_db, world["dpo"], added_earlier.id, MeasureStatus.DONE, done_on)
        assert refused.value.errors == {"done_on": error}
        (kept,) = measures.for_incident(fresh_db, world["dpo"], added_earlier.incident_id)
        assert (kept.status, kept.done_on) == (MeasureStatus.PLANNED, None)
        return
    changed = measures.set_status(fresh_db, world["dpo"], added_earlier.id, MeasureStatus.DONE, done_on)
    (loaded,) = measures.for_incident(fresh_db, world["dpo"], added_earlier.incident_id)
    assert changed.done_on == loaded.done_on == stored


def test_a_done_date_given_with_another_status_is_not_kept(fresh_db, world, added_earlier):
    changed = measures.set_status(
        fresh_db, world["dpo"], added_earlier.id, MeasureStatus.IN_PROGRESS, TODAY - timedelta(days=1)
    )
    assert changed.done_on is None
    assert measures.for_incident(fresh_db, world["dpo"], added_earlier.incident_id)[0].done_on is None


def test_a_measure_done_before_keeps_its_date_when_saved_as_done_again(fresh_db, world, added_earlier):
    """A measure marked done earlier (then always on the day itself) keeps that date: saving
    the status 'uitgevoerd' again without a date does not move it to today."""
    earlier = TODAY - timedelta(days=2)
    measures.set_status(fresh_db, world["dpo"], added_earlier.id, MeasureStatus.DONE, earlier)
    again = measures.set_status(fresh_db, world["dpo"], added_earlier.id, MeasureStatus.DONE)
    assert again.done_on == earlier
    assert measures.for_incident(fresh_db, world["dpo"], added_earlier.incident_id)[0].done_on == earlier
