"""Merging a duplicate report into its main incident (issue #16): the status "Samengevoegd", never
"geen datalek"; the report text under the main incident; from either side, within one
organisation, no chains; undone with a reason; audited; the employee sees the main reference."""

from datetime import timedelta

import pytest

from datalek.accounts import audit_trail
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import assessment, decisions, incidents, lifecycle, merges, outstanding, prefill
from datalek.handling.decisions import DecisionInput, NotBreachReason
from datalek.insight import register_export
from datalek.models import InvalidInput, Status
from datalek.store import audit_log
from tests.conftest import NOW, make_report

REASON = "Dezelfde e-mail, gemeld door een collega."


@pytest.fixture
def pair(fresh_db, world):
    """The same event reported by two employees: the first is the main incident."""
    main = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    copy = incidents.submit_report(
        fresh_db, world["reporter2"], make_report(world.org.id, description="Ik zag dezelfde mail."), at=NOW
    )
    return main, copy


def _as_duplicate(db, world, main, copy):
    """The duplicate decided through the decision form (the path from before issue #16)."""
    assessment.save(db, world["dpo"], copy.id, prefill.facts_from_report(copy, world.org))
    data = DecisionInput(
        breach=False,
        not_breach_reason=NotBreachReason.DUPLICATE,
        duplicate_of=main.reference,
        motivation=REASON,
    )
    return decisions.record(db, world["dpo"], copy.id, data)


def _status(db, incident_id) -> Status:
    return Status(db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()[0])


# --- findings on the decision path that existed: a duplicate read as "geen datalek" -------------


def test_a_duplicate_decision_moves_the_report_to_samengevoegd(fresh_db, world, pair):
    main, copy = pair
    _as_duplicate(fresh_db, world, main, copy)
    assert _status(fresh_db, copy.id).label == "Samengevoegd"


def test_the_employee_sees_merged_with_the_main_reference(fresh_db, world, pair):
    main, copy = pair
    _as_duplicate(fresh_db, world, main, copy)
    mine = incidents.my_reports(fresh_db, world["reporter2"])
    assert [m.status.label for m in mine] == ["Samengevoegd"]
    assert merges.own_merges(fresh_db, world["reporter2"], [m.id for m in mine]) == {copy.id: main.reference}
    assert merges.own_merges(fresh_db, world["reporter"], [copy.id]) == {}  # not their report


def test_the_queue_clock_of_a_merged_report_says_merged_and_has_stopped(fresh_db, world, pair):
    main, copy = pair
    _as_duplicate(fresh_db, world, main, copy)
    clock_now = outstanding.for_incident(fresh_db, world["dpo"], copy.id)
    assert not clock_now.phase.running
    assert "geen datalek" not in clock_now.label(NOW).lower()
    assert "samengevoegd" in clock_now.label(NOW).lower()


def test_the_register_lists_the_duplicate_as_merged(fresh_db, world, pair):
    main, copy = pair
    _as_duplicate(fresh_db, world, main, copy)
    rows = {r["Kenmerk"]: r for r in register_export.rows(fresh_db, world.org.id, NOW.year)}
    assert rows[copy.reference]["Status"] == "Samengevoegd"
    assert rows[copy.reference]["Besluit"] == f"samengevoegd met {main.reference}"
    assert [v for v in rows[copy.reference].values() if "geen datalek" in v.lower()] == []


# --- merging from either side -------------------------------------------------------------------


@pytest.mark.parametrize("side", ["duplicate", "main"])
def test_merging_keeps_the_report_text_under_the_main_incident(fresh_db, world, pair, side):
    main, copy = pair
    if side == "duplicate":
        made = merges.merge(fresh_db, world["dpo"], copy.id, f" {main.reference.lower()} ", REASON)
    else:
        made = merges.merge_into(fresh_db, world["dpo"], main.id, copy.reference, REASON)
    assert (made.main_id, made.main_reference, made.reason) == (main.id, main.reference, REASON)
    assert _status(fresh_db, copy.id) is Status.MERGED
    under = merges.merged_reports(fresh_db, world["dpo"], main.id)
    assert [(m.reference, m.description) for m in under] == [(copy.reference, "Ik zag dezelfde mail.")]
    assert under[0].reporter and under[0].reported_at == copy.reported_at
    decision = decisions.latest(fresh_db, world["dpo"], copy.id)
    assert (decision.breach, decision.not_breach_reason, decision.duplicate_of) == (
        False,
        "duplicate",
        main.id,
    )
    entry = audit_log.recent(fresh_db, 1, action="incident.merge")[0]
    assert entry["object_id"] == str(copy.id) and REASON not in entry["detail"]


def _third(db, world, org=None, reporter="reporter"):
    org = org or world.org
    return incidents.submit_report(db, world[reporter], make_report(org.id), at=NOW)


@pytest.mark.parametrize(
    ("target", "field", "message"),
    sorted(
        [
            ("empty", "main", "Vul het kenmerk in van de melding die al geregistreerd is."),
            ("unknown", "main", merges.UNKNOWN_REFERENCE),
            ("other-organisation", "main", merges.UNKNOWN_REFERENCE),
            ("itself", "main", "Deze melding kan geen dubbele melding van zichzelf zijn."),
            ("merged", "main", "Die melding is zelf een dubbele melding. Kies de eerste melding: {main}."),
            ("has-merged-reports", "main", "Onder deze melding zijn al meldingen samengevoegd ({third})."),
            ("no-reason", "reason", "Schrijf op waarom. Dat is nodig voor het register."),
            ("decided", "main", "heeft de status 'Besloten' en kan niet worden samengevoegd"),
            ("notified", "main", "is al bij de AP gemeld en kan niet worden samengevoegd"),
        ]
    ),
)
def test_merging_is_refused_with_a_dutch_message(fresh_db, world, pair, target, field, message):
    main, copy = pair
    reference, reason, third = main.reference, REASON, None
    if target in ("empty", "unknown"):
        reference = "" if target == "empty" else "DL-2099-0042"
    elif target == "other-organisation":  # its third report: our organisation has two
        for _ in range(3):
            other = _third(fresh_db, world, world.other_org, "other_reporter")
        reference = other.reference
    elif target == "itself":
        reference = copy.reference
    elif target == "merged":
        third = _third(fresh_db, world)
        merges.merge(fresh_db, world["dpo"], third.id, main.reference, REASON)
        reference = third.reference
    elif target == "has-merged-reports":  # copy is a main incident itself: no chains
        third = _third(fresh_db, world)
        merges.merge(fresh_db, world["dpo"], third.id, copy.reference, REASON)
    elif target == "no-reason":
        reason = "  "
    elif target == "decided":
        _as_duplicate(fresh_db, world, main, copy)  # merged; undone, then decided as a breach
        merges.undo(fresh_db, world["dpo"], copy.id, "Toch een ander incident.")
        fresh_db.execute("UPDATE incidents SET status = 'decided' WHERE id = ?", [copy.id])
        fresh_db.conn.commit()
    elif target == "notified":  # its notification is on record, its decision reopened
        fresh_db.execute(
            "INSERT INTO authority_notifications (incident_id, kind, submitted_at, recorded_at, ap_reference)"
            " VALUES (?, 'initial', ?, ?, 'M-1')",
            [copy.id, NOW.isoformat(), NOW.isoformat()],
        )
        fresh_db.conn.commit()
    with pytest.raises(InvalidInput) as refused:
        merges.merge(fresh_db, world["dpo"], copy.id, reference, reason)
    errors = refused.value.errors
    field_name = "main" if field == "main" else "reason"
    expected = message.format(main=main.reference, third=third.reference if third else "")
    assert expected.split(" Voeg")[0] in errors[field_name]
    assert merges.merged_into(fresh_db, world["dpo"], copy.id) is None or target == "merged"


@pytest.mark.parametrize("who", sorted(["management", "other_dpo", "reporter", "reporter2"]))
def test_only_the_fg_of_the_organisation_merges(fresh_db, world, pair, who):
    main, copy = pair
    with pytest.raises(PermissionDenied):
        merges.merge(fresh_db, world[who], copy.id, main.reference, REASON)
    with pytest.raises(PermissionDenied):
        merges.merge_into(fresh_db, world[who], main.id, copy.reference, REASON)
    assert _status(fresh_db, copy.id) is Status.REPORTED


def test_undo_needs_a_reason_and_keeps_the_history(fresh_db, world, pair):
    main, copy = pair
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    with pytest.raises(InvalidInput) as refused:
        merges.undo(fresh_db, world["dpo"], copy.id, " ")
    assert refused.value.errors == {"reason": "Schrijf op waarom. Dat is nodig voor het register."}
    assert merges.undo(fresh_db, world["dpo"], copy.id, "Toch een ander incident.") is Status.IN_PROGRESS
    assert _status(fresh_db, copy.id) is Status.IN_PROGRESS
    assert merges.merged_reports(fresh_db, world["dpo"], main.id) == []
    rows = fresh_db.execute("SELECT reason, undo_reason, undone_by FROM incident_merges").fetchall()
    assert rows == [(REASON, "Toch een ander incident.", world["dpo"].user_id)]
    assert audit_log.recent(fresh_db, 1, action="incident.unmerge")[0]["object_id"] == str(copy.id)
    # and it can be merged again, into another incident
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    assert _status(fresh_db, copy.id) is Status.MERGED


def test_a_merged_report_moves_only_by_undoing(fresh_db, world, pair):
    main, copy = pair
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    assert lifecycle.manual_targets(Status.MERGED) == []
    with pytest.raises(InvalidInput):
        lifecycle.change_status(fresh_db, world["dpo"], copy.id, Status.IN_PROGRESS, "weg")
    with pytest.raises(InvalidInput) as refused:
        _as_duplicate(fresh_db, world, main, copy)
    assert "ongedaan" in refused.value.errors["form"]


def test_an_earlier_report_offers_its_moment_of_awareness(fresh_db, world):
    main = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    earlier = NOW - timedelta(hours=5)
    copy = incidents.submit_report(
        fresh_db,
        world["reporter2"],
        make_report(
            world.org.id,
            now=earlier,
            occurred_from=earlier - timedelta(hours=3),
            discovered_at=earlier - timedelta(hours=1),
        ),
        at=earlier,
    )
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    under = merges.merged_reports(fresh_db, world["dpo"], main.id)
    main_aware = incidents.read_incident(fresh_db, world["dpo"], main.id).incident.aware_at
    found = merges.earlier_awareness(main_aware, under)
    assert found is not None and found.reference == copy.reference and found.aware_at < main_aware
    assert merges.earlier_awareness(found.aware_at, under) is None  # the main's moment stays as it is
    assert incidents.read_incident(fresh_db, world["dpo"], main.id).incident.aware_at == main_aware


def test_the_audit_trail_reads_a_merge_as_merged_never_as_geen_datalek(fresh_db, world, pair):
    from pages.audit import VALUE_LABELS  # the labels the audit page passes

    main, copy = pair
    _as_duplicate(fresh_db, world, main, copy)
    entries = audit_trail.readable_entries(fresh_db, world["admin"], 100, VALUE_LABELS)
    lines = [f"{e.action} {e.details}" for e in entries if e.about.endswith(copy.reference)]
    assert lines and not [line for line in lines if "geen datalek" in line.lower()], lines
    assert any("samengevoegd" in line.lower() for line in lines), lines


def test_after_an_undo_the_register_shows_no_merge_and_no_geen_datalek(fresh_db, world, pair):
    main, copy = pair
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    merges.undo(fresh_db, world["dpo"], copy.id, "Toch een ander incident.")
    rows = {r["Kenmerk"]: r for r in register_export.rows(fresh_db, world.org.id, NOW.year)}
    assert rows[copy.reference]["Status"] == "In behandeling"
    assert rows[copy.reference]["Besluit"] == "nog geen besluit (samenvoegen ongedaan gemaakt)"
    assert rows[main.reference]["Dubbele meldingen"] == ""
    assert [v for v in rows[copy.reference].values() if "geen datalek" in v.lower()] == []


def test_no_reminder_or_running_clock_for_a_merged_report_and_again_after_undo(fresh_db, world, pair):
    from datalek.actions import reminders

    main, copy = pair
    later = NOW + timedelta(hours=60)
    assert copy.id in {d.clock.incident_id for d in reminders.due(fresh_db, later)}
    merges.merge(fresh_db, world["dpo"], copy.id, main.reference, REASON)
    assert copy.id not in {d.clock.incident_id for d in reminders.due(fresh_db, later)}
    assert main.id in {d.clock.incident_id for d in reminders.due(fresh_db, later)}  # handled there
    merges.undo(fresh_db, world["dpo"], copy.id, "Toch een ander incident.")
    assert outstanding.for_incident(fresh_db, world["dpo"], copy.id).phase.running  # awaits its decision
