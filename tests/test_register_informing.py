"""Issue #15 "On record": the register takes the informing over. Per incident, from the informing
list and the sending record: per kind of reader how many persons are informed, postponed or not
informed, why not (counted per reason), the first and last letter sent and the channels, each
family's postponement with its reason, review date and how it ended, letters to groups and the
older per-incident notices; never a file reference. The spreadsheet, the CSV and the printable
record all show it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock
from datalek.actions import households as hh
from datalek.actions import informing, sending
from datalek.actions.addressees import Addressee, AgeBand, Concern, Relation
from datalek.actions.informing import Channel, Notice
from datalek.actions.recipients import EXCLUDE, INCLUDE
from datalek.insight import register_export, register_informing
from datalek.insight.register_entry import COLUMNS, SECTIONS
from tests.test_sending import LATER, PARTS, SECRET, TODAY, decided, issue_family, judge, ticking_clock

__all__ = ["ticking_clock"]  # the clock of test_sending: today is TODAY

DAY = f"{TODAY:%d-%m-%Y}"
LIST_COLUMNS = [
    "Personen op de informeerlijst",
    "Per soort lezer",
    "Niet geïnformeerd, met reden",
    "Uitstel per gezin (veiligheid)",
    "Groepen en eerdere berichten",
    "Laatst geïnformeerd op",
    "Kanalen",
]
FILE_REFS = ("C-9001", "C-1401", "O-1", "O-2", "O-3")
PARENTS, YOUNG, NONE = Addressee.PARENTS.label, Addressee.YOUNG_12_15.label, register_informing.NO_OWN_LETTER


def _send(db, world, incident_id, reader, member_id, channel=Channel.LETTER):
    made = sending.make_letter(db, world["dpo"], incident_id, reader, PARTS, member_id=member_id)
    sending.record_sent(db, world["dpo"], made.id, channel, TODAY)


def _row(db, world, incident_id) -> dict:
    reference = db.execute("SELECT reference FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    return next(r for r in register_export.rows(db, world.org.id, 2026) if r["Kenmerk"] == reference)


# --- the rule table: where the issue's family stands, as the register counts it -----------------


def _unchecked(db, world, f, i):
    pass


def _postponed(db, world, f, i):
    judge(db, world["dpo"], f["house"], [f["p2"]], True, SECRET, LATER)


def _safe_then_sent(db, world, f, i):
    judge(db, world["dpo"], f["house"], [f["p2"]], True, SECRET, LATER)
    judge(db, world["dpo"], f["house"], [f["p2"]])
    _send(db, world, i, Addressee.PARENTS, f["p1"])
    _send(db, world, i, Addressee.YOUNG_12_15, f["c14"], Channel.EMAIL)


def _excluded(db, world, f, i):
    judge(db, world["dpo"], f["house"])
    hh.set_deviation(db, world["dpo"], f["p1"], EXCLUDE, None, "Woont in het buitenland.")


WAIT, FLAG, RULE = (
    "Wacht op de veiligheidsvraag",
    "Geen bericht: veiligheidsrisico",
    "Geen eigen bericht volgens de regels",
)
TABLE = {
    # set-up -> (per kind of reader: informed, postponed, not informed), (reason: count)
    "unchecked": (_unchecked, {PARENTS: (0, 0, 2), YOUNG: (0, 0, 1), NONE: (0, 0, 2)}, {WAIT: 3, RULE: 2}),
    "postponed": (_postponed, {PARENTS: (0, 1, 1), YOUNG: (0, 1, 0), NONE: (0, 0, 2)}, {FLAG: 1, RULE: 2}),
    "safe-then-sent": (_safe_then_sent, {PARENTS: (1, 0, 1), YOUNG: (1, 0, 0), NONE: (0, 0, 2)}, {FLAG: 1, RULE: 2}),
    "parent-excluded": (_excluded, {PARENTS: (0, 0, 2), YOUNG: (0, 0, 1), NONE: (0, 0, 2)},
                        {"Nog te informeren": 2, RULE: 2, "Geen bericht: besluit van de FG": 1}),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(TABLE))
def test_the_register_counts_the_family_per_kind_of_reader_and_reason(fresh_db, world, case):
    setup, kinds, reasons = TABLE[case]
    incident_id = decided(fresh_db, world)
    family = issue_family(fresh_db, world["dpo"], incident_id)
    setup(fresh_db, world, family, incident_id)
    row = _row(fresh_db, world, incident_id)
    assert row["Personen op de informeerlijst"] == "5"
    assert row["Per soort lezer"] == "\n".join(
        f"{k}: {i} geïnformeerd, {p} uitgesteld, {n} niet geïnformeerd" for k, (i, p, n) in kinds.items()
    )
    assert row["Niet geïnformeerd, met reden"] == "\n".join(f"{r}: {n}" for r, n in reasons.items())
    assert not any(ref in value for value in row.values() for ref in FILE_REFS)


def test_the_issues_family_informed_after_a_postponement_is_on_record(fresh_db, world):
    """The family waits (one parent flagged), is judged safe again, the parent with gezag and the
    14-year-old get their letters; employees are informed as a group; an older notice stays."""
    incident_id = decided(fresh_db, world)
    family = issue_family(fresh_db, world["dpo"], incident_id)
    _safe_then_sent(fresh_db, world, family, incident_id)
    informing.record_safety_check(fresh_db, world["dpo"], incident_id, Addressee.EMPLOYEE, False)
    informing.record_notice(fresh_db, world["dpo"], incident_id, Addressee.EMPLOYEE, 3, TODAY, Channel.EMAIL)
    row = _row(fresh_db, world, incident_id)
    assert row["Betrokkenen geïnformeerd"] == (
        f"{PARENTS}: 1 op {DAY} (brief)\n{YOUNG}: 1 op {DAY} (e-mail)\nMedewerker: 3 op {DAY} (e-mail)"
    )
    assert row["Aantal geïnformeerd"] == "5"
    assert (row["Eerst geïnformeerd op"], row["Laatst geïnformeerd op"]) == (DAY, DAY)
    assert row["Kanalen"] == "Brief, E-mail"
    assert row["Uitstel per gezin (veiligheid)"] == (
        f"Gezin 1: uitgesteld op {DAY} tot {LATER:%d-%m-%Y} (opgeheven op {DAY}, daarna geïnformeerd op {DAY}):"
        f" {SECRET}"
    )
    assert row["Groepen en eerdere berichten"] == f"Medewerker: 3 op {DAY} (e-mail)"
    assert not any(ref in value for value in row.values() for ref in FILE_REFS)


def test_a_postponement_still_running_and_one_renewed(fresh_db, world):
    incident_id = decided(fresh_db, world)
    family = issue_family(fresh_db, world["dpo"], incident_id)
    judge(fresh_db, world["dpo"], family["house"], [family["p2"]], True, SECRET, LATER)
    judge(fresh_db, world["dpo"], family["house"], [family["p2"]], True, "Nog steeds niet veilig.", LATER)
    lines = _row(fresh_db, world, incident_id)["Uitstel per gezin (veiligheid)"].split("\n")
    assert lines == [
        f"Gezin 1: uitgesteld op {DAY} tot {LATER:%d-%m-%Y} (verlengd op {DAY}): {SECRET}",
        f"Gezin 1: uitgesteld op {DAY} tot {LATER:%d-%m-%Y} (loopt nog): Nog steeds niet veilig.",
    ]


def test_an_incident_informed_with_the_older_notices_keeps_working(fresh_db, world):
    """Before 0.6.0 an incident was informed per recipient group (``subject_notices`` without a
    person); the register shows them as before, and no informing list."""
    incident_id = decided(fresh_db, world)
    informing.record_safety_check(fresh_db, world["dpo"], incident_id, Addressee.PARENTS, False)
    informing.record_notice(
        fresh_db, world["dpo"], incident_id, Addressee.PARENTS, 412, TODAY, Channel.LETTER
    )
    fresh_db.execute(
        "UPDATE subject_notices SET recipient = 'young_person' WHERE incident_id = ?", [incident_id]
    )
    row = _row(fresh_db, world, incident_id)
    assert row["Betrokkenen geïnformeerd"] == f"De jongere zelf: 412 op {DAY} (brief)"
    assert row["Groepen en eerdere berichten"] == f"De jongere zelf: 412 op {DAY} (brief)"
    assert row["Aantal geïnformeerd"] == "412" and row["Personen op de informeerlijst"] == ""
    assert row["Per soort lezer"] == "" and row["Kanalen"] == "Brief"


def test_the_spreadsheet_and_the_printable_record_show_the_informing(fresh_db, world):
    incident_id = decided(fresh_db, world)
    family = issue_family(fresh_db, world["dpo"], incident_id)
    _safe_then_sent(fresh_db, world, family, incident_id)
    book = openpyxl.load_workbook(
        io.BytesIO(register_export.export(fresh_db, world["dpo"], world.org.id, 2026, "xlsx"))
    )
    sheet = book["Register"]
    cells = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert cells["Personen op de informeerlijst"].value == 5  # a number, not text
    assert cells["Laatst geïnformeerd op"].value == datetime(TODAY.year, TODAY.month, TODAY.day)
    assert cells["Laatst geïnformeerd op"].number_format == "DD-MM-YYYY"
    page = register_export.export_period(
        fresh_db, world["dpo"], world.org.id, date(2026, 1, 1), date(2026, 12, 31), "html"
    ).decode()
    section = page.split("<h3>Betrokkenen informeren</h3>")[1].split("<h3>")[0]
    for column in LIST_COLUMNS:
        assert f'<th scope="row">{column}</th>' in section
    assert f"{PARENTS}: 1 geïnformeerd, 0 uitgesteld, 1 niet geïnformeerd" in section
    assert "Geen bericht: veiligheidsrisico: 1" in section
    assert not any(ref in page for ref in FILE_REFS)


def test_every_informing_column_is_in_the_printed_section_once():
    [columns] = [c for title, c in SECTIONS if title == "Betrokkenen informeren"]
    assert set(LIST_COLUMNS) <= set(columns) and len(COLUMNS) == len(set(COLUMNS))


# --- the promise for any family: the counts add up and name nobody ---------------------------------

REFS = st.from_regex(r"(DOS|CL)-[0-9]{4,6}", fullmatch=True)


@st.composite
def informed_lists(draw):
    """One to three families of random persons with file references, a random latest judgement
    each (flagged persons, postponed or not), notices for some persons and for some groups."""
    houses, notices, member_id = [], [], 0
    stamp = datetime(2026, 11, 1, tzinfo=clock.AMSTERDAM)
    refs = draw(st.lists(REFS, min_size=18, max_size=18, unique=True))
    for house_id in range(1, draw(st.integers(1, 3)) + 1):
        members = []
        for _ in range(draw(st.integers(1, 6))):
            member_id += 1
            deviation = draw(st.sampled_from(["", INCLUDE, EXCLUDE]))
            members.append(
                hh.MemberRecord(
                    id=member_id,
                    household_id=house_id,
                    relation=draw(st.sampled_from(list(Relation))),
                    file_ref=refs[member_id - 1],
                    age_band=draw(st.sampled_from([None, *AgeBand])),
                    competent=draw(st.sampled_from([None, True, False])),
                    consent_parents=draw(st.sampled_from([None, True, False])),
                    deviation=deviation,
                    deviation_reader=draw(st.sampled_from(Addressee.options()))
                    if deviation == INCLUDE
                    else None,
                    deviation_reason="Reden" if deviation else "",
                    recorded_at=stamp,
                )
            )
        history = tuple(
            hh.SafetyJudgement(
                n,
                house_id,
                draw(st.frozensets(st.sampled_from([m.id for m in members]))),
                frozenset({Concern.OTHER}),
                draw(st.booleans()),
                "Zorgen",
                LATER,
                stamp + timedelta(hours=n + 1),
                1,
            )  # fmt: skip
            for n in range(draw(st.integers(0, 3)))
        )
        houses.append(hh.Household(house_id, 1, f"Gezin {house_id}", tuple(members), (), history))
        for m in members:
            if draw(st.booleans()):
                reader = draw(st.sampled_from(Addressee.options()))
                notices.append(
                    Notice(reader, 1, TODAY, draw(st.sampled_from(list(Channel))), m.id, member_id=m.id)
                )
    for _ in range(draw(st.integers(0, 2))):
        reader = draw(st.sampled_from(list(Addressee)))
        notices.append(Notice(reader, draw(st.integers(1, 500)), TODAY - timedelta(days=draw(st.integers(0, 9))),
                              Channel.LETTER))  # fmt: skip
    return hh.InformingList(1, tuple(houses)), notices


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(informed_lists())
def test_the_counts_add_up_and_never_name_a_person(made):
    listed, notices = made
    summary = register_informing.summarise(listed, notices, TODAY)
    on_list = sum(len(h.members) for h in listed.households)
    states = (register_informing.INFORMED, register_informing.POSTPONED, register_informing.NOT_INFORMED)
    assert summary.on_list == on_list == sum(summary.total(s) for s in states)
    assert summary.total(register_informing.INFORMED) == len({n.member_id for n in notices if n.member_id})
    assert sum(summary.not_informed.values()) == summary.total(register_informing.NOT_INFORMED)
    values = register_informing.columns(listed, notices, TODAY).values()
    refs = [m.file_ref for h in listed.households for m in h.members]
    assert not any(ref in str(value) for value in values for ref in refs)
