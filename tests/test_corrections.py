"""Issue #20: a recorded notice to data subjects or a measure entered by mistake is corrected
or withdrawn with a reason, never deleted and never only set to "Vervallen". A correction keeps
the old value, who and why; a withdrawn row counts nowhere (informed or not, register and its
export, yearly figures, completeness, overdue measures) but stays in the incident's history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from datalek import clock, store
from datalek.accounts import audit_anchor
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import informing, measures
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureInput, MeasureKind
from datalek.handling import assessment, completeness, decisions, incidents, prefill, retention
from datalek.handling.decisions import DecisionInput, Inform
from datalek.insight import register_export
from datalek.models import Actor, InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report

TODAY = date(2026, 11, 25)  # the clock below, in Amsterdam
INFORMED_ON = date(2026, 11, 21)
REASON = "Per ongeluk twee keer vastgelegd <b>echt</b>"
GOOD = MeasureInput(
    kind=MeasureKind.CORRECTIVE,
    description="Ontvanger gevraagd te verwijderen.",
    owner="Teamleider Jeugd",
    due_on=TODAY - timedelta(days=1),  # overdue: it is on the FG's list until withdrawn
)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    """Decided: notify the AP and inform the people; the parents may be informed."""
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    assessment.save(
        fresh_db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m"
    )
    decisions.record(
        fresh_db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    informing.record_safety_check(fresh_db, world["dpo"], incident.id, Addressee.PARENTS, False)
    return incident.id


def _notice(db, world, incident_id, count=5) -> int:
    made = informing.record_notice(
        db, world["dpo"], incident_id, Addressee.PARENTS, count, INFORMED_ON, Channel.LETTER
    )
    return made.id


def _measure(db, world, incident_id) -> int:
    return measures.add(db, world["dpo"], incident_id, GOOD).id


# --- both kinds, the same rules ------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of recorded row: how to make, correct and withdraw it, and where it counts."""

    name: str
    table: str
    make: Any
    correct: Any  # (db, actor, row_id, reason) -> the corrected row
    withdraw: Any  # (db, actor, row_id, reason)
    changed_field: str
    old_value: str
    new_value: str
    register_column: str


NOTICE = Kind(
    "notice",
    "subject_notices",
    _notice,
    lambda db, actor, row_id, reason: informing.correct_notice(
        db, actor, row_id, 4, INFORMED_ON, Channel.LETTER, reason
    ),
    informing.withdraw_notice,
    "people_count",
    "5",
    "4",
    "Betrokkenen geïnformeerd",
)
MEASURE = Kind(
    "measure",
    "measures",
    _measure,
    lambda db, actor, row_id, reason: measures.correct(
        db, actor, row_id, GOOD.model_copy(update={"owner": "Afdeling ICT"}), reason
    ),
    measures.withdraw,
    "owner",
    "Teamleider Jeugd",
    "Afdeling ICT",
    "Maatregelen",
)
KINDS = [NOTICE, MEASURE]


def _corrections(db) -> list[dict]:
    return list(db.query("SELECT * FROM corrections ORDER BY id"))


def _audit(db, action: str) -> list[dict]:
    return [json.loads(r["detail"]) for r in audit_log.recent(db, 1000, action)]


def _register(db, world, incident_id) -> dict[str, str]:
    reference = incidents.read_incident(db, world["dpo"], incident_id).incident.reference
    year = int(reference.split("-")[1])
    (row,) = [r for r in register_export.rows(db, world.org.id, year) if r["Kenmerk"] == reference]
    return row


def _csv(db, world, incident_id) -> str:
    reference = incidents.read_incident(db, world["dpo"], incident_id).incident.reference
    year = int(reference.split("-")[1])
    return register_export.export(db, world["dpo"], world.org.id, year, "csv").decode("utf-8-sig")


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_correction_keeps_the_old_value_who_when_and_why(fresh_db, world, incident_id, kind):
    row_id = kind.make(fresh_db, world, incident_id)
    kind.correct(fresh_db, world["dpo"], row_id, "  Telfout in het aantal.  ")
    (fix,) = _corrections(fresh_db)
    assert {
        k: fix[k] for k in ("table_name", "row_id", "incident_id", "field", "old_value", "new_value")
    } == {
        "table_name": kind.table,
        "row_id": row_id,
        "incident_id": incident_id,
        "field": kind.changed_field,
        "old_value": kind.old_value,
        "new_value": kind.new_value,
    }
    assert fix["reason"] == "Telfout in het aantal."
    assert fix["changed_by"] == world["dpo"].user_id
    assert fix["changed_at"] == clock.to_iso(clock.now())
    stored = fresh_db.execute(
        f"SELECT {kind.changed_field} FROM {kind.table} WHERE id = ?", [row_id]
    ).fetchone()
    assert str(stored[0]) == kind.new_value
    code = "subjects.notice_correct" if kind is NOTICE else "measure.correct"
    (detail,) = _audit(fresh_db, code)
    assert "Telfout" not in json.dumps(detail)  # ids and codes only, never the reason


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_withdrawn_row_counts_nowhere_but_stays_in_the_history(fresh_db, world, incident_id, kind):
    row_id = kind.make(fresh_db, world, incident_id)
    dimension = "informed" if kind is NOTICE else "measures"
    gap = "wie er zijn geïnformeerd" if kind is NOTICE else "nog geen maatregel"

    def counted() -> int:  # the roll-up is kept in the write: nothing to refresh
        return fresh_db.execute(
            "SELECT coalesce(sum(n), 0) FROM stats_cube WHERE dimension = ?", [dimension]
        ).fetchone()[0]

    assert counted() == 1
    assert _register(fresh_db, world, incident_id)[kind.register_column] != ""
    assert gap not in " ".join(completeness.gaps_for(fresh_db, world["dpo"], incident_id))
    if kind is MEASURE:
        assert measures.count_overdue(fresh_db, world["dpo"], TODAY) == 1
    kind.withdraw(fresh_db, world["dpo"], row_id, REASON)
    # the register and its CSV export
    assert _register(fresh_db, world, incident_id)[kind.register_column] == ""
    exported = _csv(fresh_db, world, incident_id)
    assert (GOOD.description if kind is MEASURE else "Ouders of voogd met gezag: 5") not in exported
    # the yearly figures
    assert counted() == 0
    # completeness: the file is no longer documented as informed / with a measure
    assert gap in " ".join(completeness.gaps_for(fresh_db, world["dpo"], incident_id))
    # the incident's history still shows it, withdrawn, with its reason
    if kind is NOTICE:
        seen = informing.overview(fresh_db, world["dpo"], incident_id)
        assert seen.notices == [] and not seen.informed
        (gone,) = seen.withdrawn
        assert (gone.id, gone.withdrawn, gone.withdrawn_reason) == (row_id, True, REASON)
        assert seen.history == [gone]
    else:
        (gone,) = measures.for_incident(fresh_db, world["dpo"], incident_id)
        assert (gone.id, gone.withdrawn, gone.withdrawn_reason) == (row_id, True, REASON)
        assert measures.load(fresh_db, incident_id) == []
        assert measures.overdue(fresh_db, world["dpo"], TODAY) == []
        assert measures.count_overdue(fresh_db, world["dpo"], TODAY) == 0
    (fix,) = _corrections(fresh_db)
    assert (fix["field"], fix["old_value"], fix["reason"]) == ("withdrawn_at", None, REASON)
    code = "subjects.notice_withdraw" if kind is NOTICE else "measure.withdraw"
    (detail,) = _audit(fresh_db, code)
    assert REASON not in json.dumps(detail)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("step", ["correct", "withdraw"])
def test_a_reason_is_required(fresh_db, world, incident_id, kind, reason, step):
    row_id = kind.make(fresh_db, world, incident_id)
    with pytest.raises(InvalidInput) as refused:
        getattr(kind, step)(fresh_db, world["dpo"], row_id, reason)
    assert refused.value.errors["reason"] == "Schrijf waarom je dit corrigeert of intrekt."
    assert _corrections(fresh_db) == []
    assert fresh_db.execute(f"SELECT withdrawn_at FROM {kind.table}").fetchall() == [(None,)]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_withdrawn_row_is_not_corrected_or_withdrawn_again(fresh_db, world, incident_id, kind):
    row_id = kind.make(fresh_db, world, incident_id)
    kind.withdraw(fresh_db, world["dpo"], row_id, REASON)
    for step in (kind.correct, kind.withdraw):
        with pytest.raises(InvalidInput) as refused:
            step(fresh_db, world["dpo"], row_id, "Nog een keer.")
        assert "ingetrokken" in refused.value.errors["form"]
    assert len(_corrections(fresh_db)) == 1


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_correction_that_changes_nothing_is_refused(fresh_db, world, incident_id, kind):
    row_id = kind.make(fresh_db, world, incident_id)
    if kind is NOTICE:
        same = lambda: informing.correct_notice(  # noqa: E731
            fresh_db, world["dpo"], row_id, 5, INFORMED_ON, Channel.LETTER, "Niets."
        )
    else:
        same = lambda: measures.correct(fresh_db, world["dpo"], row_id, GOOD, "Niets.")  # noqa: E731
    with pytest.raises(InvalidInput) as refused:
        same()
    assert refused.value.errors["form"].startswith("Er is niets veranderd.")
    assert _corrections(fresh_db) == []


def test_a_corrected_notice_shows_its_first_value_and_counts_its_new_one(fresh_db, world, incident_id):
    row_id = _notice(fresh_db, world, incident_id, count=5)
    informing.correct_notice(fresh_db, world["dpo"], row_id, 4, INFORMED_ON, Channel.LETTER, "Telfout.")
    fixed = informing.correct_notice(
        fresh_db, world["dpo"], row_id, 4, INFORMED_ON, Channel.EMAIL, "Het was een e-mail."
    )
    assert (fixed.people_count, fixed.channel) == (4, Channel.EMAIL)
    assert [(c.field, c.old_value, c.new_value) for c in fixed.corrections] == [
        ("people_count", "5", "4"),
        ("channel", "letter", "email"),
    ]
    (shown,) = informing.overview(fresh_db, world["dpo"], incident_id).notices
    assert shown == fixed
    assert (
        "Ouders of voogd met gezag: 4 op"
        in _register(fresh_db, world, incident_id)["Betrokkenen geïnformeerd"]
    )


def test_a_corrected_notice_is_validated_like_a_new_one(fresh_db, world, incident_id):
    row_id = _notice(fresh_db, world, incident_id)
    with pytest.raises(InvalidInput) as refused:
        informing.correct_notice(fresh_db, world["dpo"], row_id, 0, TODAY + timedelta(days=1), None, "x")
    assert set(refused.value.errors) == {"people_count", "informed_on", "channel"}
    assert _corrections(fresh_db) == []


def test_a_withdrawn_measure_keeps_its_status_out_of_reach(fresh_db, world, incident_id):
    row_id = _measure(fresh_db, world, incident_id)
    measures.withdraw(fresh_db, world["dpo"], row_id, REASON)
    with pytest.raises(InvalidInput):
        measures.set_status(fresh_db, world["dpo"], row_id, measures.MeasureStatus.DONE)
    assert fresh_db.execute("SELECT status FROM measures").fetchone()[0] == "planned"


# --- who may: only the FG of the incident's organisation; a refusal is audited ----------------

CALLS = {
    "correct_notice": (NOTICE, "correct", "subjects.notice"),
    "withdraw_notice": (NOTICE, "withdraw", "subjects.notice"),
    "correct_measure": (MEASURE, "correct", "measure.status"),
    "withdraw_measure": (MEASURE, "withdraw", "measure.status"),
}


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo", "cli"])
@pytest.mark.parametrize("call", list(CALLS))
def test_only_the_dpo_of_the_organisation_corrects_or_withdraws(fresh_db, world, incident_id, who, call):
    kind, step, attempted = CALLS[call]
    row_id = kind.make(fresh_db, world, incident_id)
    actor = Actor.cli() if who == "cli" else world[who]
    before = fresh_db.execute(f"SELECT * FROM {kind.table}").fetchall()
    refusals = len(audit_log.recent(fresh_db, 1000, "refused"))
    with pytest.raises(PermissionDenied):
        getattr(kind, step)(fresh_db, actor, row_id, "Mag dit?")
    (entry, *_) = audit_log.recent(fresh_db, 1000, "refused")
    assert len(audit_log.recent(fresh_db, 1000, "refused")) == refusals + 1
    assert json.loads(entry["detail"])["attempted"] == attempted
    assert fresh_db.execute(f"SELECT * FROM {kind.table}").fetchall() == before
    assert _corrections(fresh_db) == []


@pytest.mark.parametrize("call", list(CALLS))
def test_an_unknown_row_is_refused_like_a_foreign_one(fresh_db, world, incident_id, call):
    kind, step, _ = CALLS[call]
    with pytest.raises(PermissionDenied) as refused:
        getattr(kind, step)(fresh_db, world["dpo"], 999_999, "Bestaat niet.")
    assert refused.value.message == PermissionDenied("x").message


# --- kept safe: the audit chain covers it, the purge blanks it -----------------------------


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_the_state_hash_of_version_2_covers_a_withdrawal_and_its_corrections(
    fresh_db, world, incident_id, kind
):
    row_id = kind.make(fresh_db, world, incident_id)
    before = audit_anchor.state_hash(fresh_db, incident_id, 2)
    kind.withdraw(fresh_db, world["dpo"], row_id, REASON)
    assert audit_anchor.state_hash(fresh_db, incident_id, 2) != before
    state = audit_log.incident_state(fresh_db, incident_id, 2)
    assert len(state["corrections"]) == 1
    assert set(audit_log.STATE_COLUMNS[1]) < set(audit_log.STATE_COLUMNS[2])  # old entries still verify


def test_a_purge_blanks_the_reasons_and_old_values_of_corrections(fresh_db, world, incident_id):
    notice_id = _notice(fresh_db, world, incident_id)
    measure_id = _measure(fresh_db, world, incident_id)
    measures.correct(
        fresh_db,
        world["dpo"],
        measure_id,
        GOOD.model_copy(update={"owner": "Jan de Vries"}),
        "Jan vroeg het.",
    )
    measures.withdraw(fresh_db, world["dpo"], measure_id, "Jan de Vries deed het al.")
    informing.withdraw_notice(fresh_db, world["dpo"], notice_id, "Jan de Vries telde verkeerd.")
    with store.write(fresh_db):
        fresh_db.execute(
            "UPDATE incidents SET status = 'closed', closed_at = ? WHERE id = ?",
            ["2010-01-01T00:00:00+00:00", incident_id],
        )
    retention.purge(fresh_db, Actor.cli(), apply=True, at=NOW)
    dump = json.dumps(
        [
            list(fresh_db.query("SELECT * FROM corrections")),
            list(fresh_db.query("SELECT * FROM measures")),
            list(fresh_db.query("SELECT * FROM subject_notices")),
        ]
    )
    assert "Jan" not in dump and "Vries" not in dump
    assert fresh_db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 3
