"""Issue #16, figures: breaches caused at a processor are counted from the recorded involvement
(``incident_parties``), not from the reporter's answer; per processor; the hours between the
processor's awareness and ours; whether the processors told us within the agreed hours; and
the incidents in a chain. The roll-up follows every change of a link or a party by triggers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock
from datalek.handling import involvement, processors
from tests import party_changes
from tests.test_processors import CLOUDZORG, CONVENANT
from tests.test_rollup import _decided, _fresh, fixed_now  # noqa: F401 - the fixture is used by name


def _aware(db, incident_id: int):
    return clock.from_iso(
        db.execute("SELECT aware_at FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    )


def _cells(db, dimension: str) -> dict[str, int]:
    return dict(db.execute("SELECT key, n FROM stats_cube WHERE dimension = ?", [dimension]).fetchall())


def _party(db, world, kind: str = "processor", hours: int | None = 48, name: str = "Cloudzorg BV"):
    values = {**(CLOUDZORG if kind == "processor" else CONVENANT), "name": name, "notice_hours": hours}
    if kind != "processor":
        values.pop("notice_hours")
    return processors.add(db, world["dpo"], world.org.id, values)


#: (roles, party kind, link removed) -> counted as a breach caused at a processor
CASES = sorted(
    [
        (("caused",), "processor", False, True),
        (("caused", "reported"), "processor", False, True),
        (("holds",), "processor", False, False),
        (("received",), "processor", False, False),
        (("caused",), "chain_partner", False, False),
        (("caused",), "joint_controller", False, False),
        (("caused",), "processor", True, False),
    ]
)


@pytest.mark.parametrize(("roles", "kind", "removed", "counted"), CASES)
def test_a_breach_counts_at_a_processor_only_when_a_processor_caused_it(
    fresh_db, world, roles, kind, removed, counted
):
    incident_id = _decided(fresh_db, world)
    party = _party(fresh_db, world, kind)
    aware = _aware(fresh_db, incident_id)
    moments = (
        (aware - timedelta(hours=5), aware - timedelta(hours=2)) if "reported" in roles else (None, None)
    )
    link = involvement.link(fresh_db, world["dpo"], incident_id, party.id, list(roles), *moments)
    if removed:
        involvement.remove(fresh_db, world["dpo"], incident_id, link.id, "Verkeerde partij gekozen.")
    _fresh(fresh_db)
    assert _cells(fresh_db, "processor") == ({"": 1} if counted else {})
    assert _cells(fresh_db, "proc") == ({str(party.id): 1} if counted else {})


def test_the_reporters_answer_alone_no_longer_counts_as_a_processor(fresh_db, world):
    incident_id = _decided(fresh_db, world)
    facts = fresh_db.execute(
        "SELECT facts ->> '$.other_organisation' FROM assessments WHERE incident_id = ?", [incident_id]
    ).fetchone()[0]
    fresh_db.execute(
        "UPDATE assessments SET facts = json_set(facts, '$.other_organisation', 'processor')"
        " WHERE incident_id = ?",
        [incident_id],
    )
    assert facts != "processor"
    _fresh(fresh_db)
    assert _cells(fresh_db, "processor") == {}


def test_breaches_are_counted_per_processor(fresh_db, world):
    first, second = (_decided(fresh_db, world) for _ in range(2))
    cloud, print_ = _party(fresh_db, world), _party(fresh_db, world, name="Printservice BV")
    for incident_id, parties in ((first, [cloud, print_]), (second, [cloud])):
        for party in parties:
            involvement.link(fresh_db, world["dpo"], incident_id, party.id, ["caused"])
    _fresh(fresh_db)
    assert _cells(fresh_db, "proc") == {str(cloud.id): 2, str(print_.id): 1}
    assert _cells(fresh_db, "processor") == {"": 2}


#: hours the processor knew before us -> the cell of the delay (whole hours, capped at 240)
DELAYS = sorted([(0, "0"), (30, "30"), (30.5, "30"), (300, "240")])


@pytest.mark.parametrize(("hours", "cell"), DELAYS)
def test_the_hours_between_the_processors_awareness_and_ours(fresh_db, world, hours, cell):
    incident_id = _decided(fresh_db, world)
    aware = _aware(fresh_db, incident_id)
    party = _party(fresh_db, world)
    involvement.link(
        fresh_db, world["dpo"], incident_id, party.id, ["reported"], aware - timedelta(hours=hours), aware
    )
    _fresh(fresh_db)
    assert _cells(fresh_db, "proc_delay_hours") == {cell: 1}


#: (hours the processor took to tell us, hours agreed) -> told on time, late, or not judged
NOTICES = sorted(
    [(20, 48, "on_time"), (48, 48, "on_time"), (48.5, 48, "late"), (61, 48, "late"), (10, None, None)],
    key=str,
)


@pytest.mark.parametrize(("took", "agreed", "judged"), NOTICES)
def test_the_processor_told_us_within_the_agreed_hours_or_not(fresh_db, world, took, agreed, judged):
    incident_id = _decided(fresh_db, world)
    aware = _aware(fresh_db, incident_id)
    party = _party(fresh_db, world, hours=agreed)
    start = aware - timedelta(hours=took)
    involvement.link(fresh_db, world["dpo"], incident_id, party.id, ["reported"], start, aware)
    if agreed is None:  # a row from before the agreed hours had a default
        fresh_db.execute("UPDATE parties SET notice_hours = NULL WHERE id = ?", [party.id])
    _fresh(fresh_db)
    assert _cells(fresh_db, "proc_told") == ({judged: 1} if judged else {})


def test_a_changed_agreement_recounts_the_incidents_of_that_processor(fresh_db, world):
    incident_id = _decided(fresh_db, world)
    aware = _aware(fresh_db, incident_id)
    party = _party(fresh_db, world, hours=48)
    involvement.link(
        fresh_db, world["dpo"], incident_id, party.id, ["reported"], aware - timedelta(hours=30), aware
    )
    assert _cells(fresh_db, "proc_told") == {"on_time": 1}
    processors.change(fresh_db, world["dpo"], party.id, {"notice_hours": 24}, "Nieuwe overeenkomst.")
    _fresh(fresh_db)
    assert _cells(fresh_db, "proc_told") == {"late": 1}


@pytest.mark.parametrize("removed", [False, True])
def test_an_incident_in_a_chain_counts_until_it_is_removed_from_it(fresh_db, world, removed):
    incident_id = _decided(fresh_db, world)
    party_changes.member(fresh_db, world, incident_id)
    assert _cells(fresh_db, "chain") == {"": 1}
    if removed:
        party_changes.leave_chain(fresh_db, world, incident_id, None)
    _fresh(fresh_db)
    assert _cells(fresh_db, "chain") == ({} if removed else {"": 1})
