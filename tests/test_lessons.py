"""Lessons learned (#17): closing an incident asks what the organisation learned, a theme and
the preventive measure that follows (or why none). Refused with a Dutch message per field,
only by the FG of the organisation, audited with codes only; a re-closed incident records a
new lesson and keeps the older one; management never reads a lesson."""

from __future__ import annotations

import json
from datetime import date

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.actions import measures
from datalek.handling import assessment, decisions, incidents, lessons, lifecycle, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.handling.lessons import LessonInput, LessonTheme, Prevention
from datalek.models import InvalidInput, Status
from tests.conftest import NOW, complete_actions, make_report

LEARNED = "Adressen in het sjabloon worden voortaan door een collega gecontroleerd."


def decided_and_complete(db, world) -> int:
    """A breach decided as the advice says, with everything the register needs to close it
    (``complete_actions`` adds one preventive measure)."""
    incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    facts = prefill.facts_from_report(incident, world.org)
    saved = assessment.save(db, world["dpo"], incident.id, facts, "gevolgen", "maatregelen")
    a = saved.advice
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(
            breach=a.is_breach,
            notify_authority=a.notify_authority,
            inform=Inform.YES if a.inform_subjects else Inform.NO,
            motivation="Conform advies.",
        ),
    )
    complete_actions(db, world["dpo"], incident.id)
    return incident.id


def preventive_measure(db, incident_id: int) -> int:
    return db.execute(
        "SELECT id FROM measures WHERE incident_id = ? AND kind = 'preventive' ORDER BY id", [incident_id]
    ).fetchone()[0]


def a_lesson(measure_id: int | None = None, **changes) -> LessonInput:
    """A complete lesson: with ``measure_id`` the measure that follows, else why none follows."""
    values = dict(
        theme=LessonTheme.EMAIL,
        learned=LEARNED,
        prevention=Prevention.MEASURE if measure_id else Prevention.NONE,
        measure_id=measure_id,
        no_measure_reason="" if measure_id else "De werkwijze was al goed; dit was eenmalig.",
    )
    return LessonInput(**{**values, **changes})


@pytest.fixture
def ready(fresh_db, world) -> int:
    return decided_and_complete(fresh_db, world)


def _status(db, incident_id: int) -> str:
    return db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]


def _lesson_rows(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM lessons ORDER BY id")]


def test_closing_without_a_lesson_is_refused_with_a_dutch_message_per_field(fresh_db, world, ready):
    with pytest.raises(InvalidInput) as refused:
        lifecycle.change_status(fresh_db, world["dpo"], ready, Status.CLOSED)
    assert refused.value.errors == {
        "theme": "Kies het thema waar de les over gaat.",
        "learned": "Schrijf op wat de organisatie hiervan leert.",
        "prevention": "Kies of er een preventieve maatregel volgt.",
    }
    assert _status(fresh_db, ready) == Status.DECIDED.value
    assert _lesson_rows(fresh_db) == []


OTHER_INCIDENT = -1  # replaced by a measure of another incident in the test


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"theme": None}, "theme", "Kies het thema waar de les over gaat."),
        ({"learned": "   "}, "learned", "Schrijf op wat de organisatie hiervan leert."),
        ({"learned": "x" * 2001}, "learned", "Dit is te lang: gebruik hoogstens 2000 tekens."),
        ({"prevention": None}, "prevention", "Kies of er een preventieve maatregel volgt."),
        (
            {"prevention": Prevention.MEASURE, "measure_id": None, "no_measure_reason": ""},
            "measure_id",
            "Kies de preventieve maatregel die volgt.",
        ),
        (
            {"no_measure_reason": ""},
            "no_measure_reason",
            "Schrijf waarom er geen preventieve maatregel volgt.",
        ),
        (
            {"no_measure_reason": "x" * 2001},
            "no_measure_reason",
            "Dit is te lang: gebruik hoogstens 2000 tekens.",
        ),
        (
            {"prevention": Prevention.MEASURE, "measure_id": 999_999, "no_measure_reason": ""},
            "measure_id",
            "Kies een preventieve maatregel van dit incident.",
        ),
        (
            {"prevention": Prevention.MEASURE, "measure_id": OTHER_INCIDENT, "no_measure_reason": ""},
            "measure_id",
            "Kies een preventieve maatregel van dit incident.",
        ),
        (
            {"prevention": Prevention.MEASURE, "measure_id": "corrective", "no_measure_reason": ""},
            "measure_id",
            "Kies een preventieve maatregel van dit incident.",
        ),
        (
            {"prevention": Prevention.MEASURE, "measure_id": "withdrawn", "no_measure_reason": ""},
            "measure_id",
            "Kies een preventieve maatregel van dit incident.",
        ),
    ],
    ids=[
        "no-theme",
        "no-lesson",
        "lesson-too-long",
        "no-prevention-choice",
        "measure-not-picked",
        "no-reason-for-none",
        "reason-too-long",
        "unknown-measure",
        "measure-of-another-incident",
        "corrective-measure",
        "withdrawn-measure",
    ],
)
def test_the_rules_of_a_lesson(fresh_db, world, ready, changes, field, message):
    dpo = world["dpo"]
    wanted = changes.get("measure_id")
    if wanted == OTHER_INCIDENT:
        changes["measure_id"] = preventive_measure(fresh_db, decided_and_complete(fresh_db, world))
    elif wanted in ("corrective", "withdrawn"):
        kind = measures.MeasureKind.CORRECTIVE if wanted == "corrective" else measures.MeasureKind.PREVENTIVE
        made = measures.add(
            fresh_db,
            dpo,
            ready,
            measures.MeasureInput(kind=kind, description="Iets.", owner="Team", due_on=date(2027, 1, 1)),
        )
        if wanted == "withdrawn":
            measures.withdraw(fresh_db, dpo, made.id, "Per ongeluk vastgelegd.")
        changes["measure_id"] = made.id
    with pytest.raises(InvalidInput) as refused:
        lifecycle.close(fresh_db, dpo, ready, a_lesson(**changes))
    assert refused.value.errors == {field: message}
    assert _status(fresh_db, ready) == Status.DECIDED.value
    assert _lesson_rows(fresh_db) == []


@pytest.mark.parametrize("with_measure", [True, False], ids=["measure-follows", "no-measure"])
def test_closing_with_a_lesson_records_it_and_audits_codes_only(fresh_db, world, ready, with_measure):
    measure_id = preventive_measure(fresh_db, ready) if with_measure else None
    assert lifecycle.close(fresh_db, world["dpo"], ready, a_lesson(measure_id)) is Status.CLOSED
    assert _status(fresh_db, ready) == Status.CLOSED.value
    (row,) = _lesson_rows(fresh_db)
    assert (row["incident_id"], row["theme"], row["learned"]) == (ready, "email", LEARNED)
    assert (row["prevention"], row["measure_id"]) == (
        ("measure", measure_id) if with_measure else ("none", None)
    )
    assert row["recorded_by"] == world["dpo"].user_id and row["recorded_at"]
    (audited,) = fresh_db.execute(
        "SELECT detail FROM audit_log WHERE action = 'lesson.record' AND object_id = ?", [str(ready)]
    ).fetchall()
    detail = json.loads(audited[0])
    assert detail == {
        "lesson_id": row["id"],
        "theme": "email",
        "prevention": row["prevention"],
        "measure_id": measure_id,
    }
    everything = " ".join(r[0] or "" for r in fresh_db.execute("SELECT detail FROM audit_log"))
    assert "sjabloon" not in everything and "eenmalig" not in everything


def test_a_reopened_and_reclosed_incident_records_a_new_lesson_and_keeps_the_old(fresh_db, world, ready):
    dpo = world["dpo"]
    lifecycle.close(fresh_db, dpo, ready, a_lesson())
    lifecycle.change_status(fresh_db, dpo, ready, Status.IN_PROGRESS, "Nieuwe feiten.")
    a = assessment.current(fresh_db, dpo, ready).advice
    decisions.record(
        fresh_db,
        dpo,
        ready,
        DecisionInput(
            breach=True,
            notify_authority=a.notify_authority,
            inform=Inform.YES if a.inform_subjects else Inform.NO,
            motivation="Opnieuw bekeken.",
        ),
    )
    second = a_lesson(
        preventive_measure(fresh_db, ready), theme=LessonTheme.AWARENESS, learned="Opnieuw geleerd."
    )
    lifecycle.close(fresh_db, dpo, ready, second)
    assert [(r["theme"], r["learned"]) for r in _lesson_rows(fresh_db)] == [
        ("email", LEARNED),
        ("awareness", "Opnieuw geleerd."),
    ]
    assert [x.learned for x in lessons.history(fresh_db, dpo, ready)] == [LEARNED, "Opnieuw geleerd."]
    assert lessons.latest(fresh_db, dpo, ready).theme is LessonTheme.AWARENESS


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_of_the_organisation_closes_with_a_lesson_and_reads_it(fresh_db, world, ready, who):
    with pytest.raises(PermissionDenied):
        lifecycle.close(fresh_db, world[who], ready, a_lesson())
    assert _status(fresh_db, ready) == Status.DECIDED.value
    lifecycle.close(fresh_db, world["dpo"], ready, a_lesson())
    with pytest.raises(PermissionDenied) as refused:
        lessons.latest(fresh_db, world[who], ready)
    assert refused.value.action == "lesson.read"
    with pytest.raises(PermissionDenied):
        lessons.history(fresh_db, world[who], ready)


def test_other_moves_take_no_lesson(fresh_db, world):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    moved = lifecycle.change_status(fresh_db, world["dpo"], incident.id, Status.IN_PROGRESS, "Bezig.")
    assert moved is Status.IN_PROGRESS and _lesson_rows(fresh_db) == []


def test_the_themes_are_a_fixed_list_with_dutch_labels():
    assert [t.label for t in LessonTheme] == [
        "E-mail en adressering",
        "Post en printen",
        "Toegangsrechten",
        "Bewustwording en werkwijze",
        "Techniek en beveiliging",
        "Leveranciers en verwerkers",
        "Papieren dossiers",
        "Anders",
    ]
    assert [p.label for p in Prevention] == [
        "Er volgt een preventieve maatregel",
        "Geen preventieve maatregel",
    ]


def test_the_lesson_count_per_theme_holds_only_the_newest_lesson_of_closed_incidents(fresh_db, world):
    dpo = world["dpo"]
    first, second = decided_and_complete(fresh_db, world), decided_and_complete(fresh_db, world)
    lifecycle.close(fresh_db, dpo, first, a_lesson())
    lifecycle.close(fresh_db, dpo, second, a_lesson(theme=LessonTheme.ACCESS))
    lifecycle.change_status(fresh_db, dpo, second, Status.IN_PROGRESS, "Nieuwe feiten.")
    assert lessons.counts_by_theme(fresh_db, [world.org.id], NOW.year) == {
        world.org.id: {LessonTheme.EMAIL: 1}
    }
