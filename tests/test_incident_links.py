"""Two incidents of one organisation linked as related ("hangt samen met", issue #16): both
ways with a note, removed with a reason while the row stays, by the FG only, audited."""

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incident_links, incidents
from datalek.models import InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report

NOTE = "Zelfde verkeerd ingestelde printer op de afdeling."


@pytest.fixture
def two(fresh_db, world):
    return [
        incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
        for _ in range(2)
    ]


def test_a_link_is_shown_on_both_incidents(fresh_db, world, two):
    first, second = two
    made = incident_links.link(fresh_db, world["dpo"], second.id, first.reference.lower(), NOTE)
    assert (made.other_reference, made.note) == (first.reference, NOTE)
    seen_from_first = incident_links.links(fresh_db, world["dpo"], first.id)
    assert [(x.other_reference, x.note) for x in seen_from_first] == [(second.reference, NOTE)]
    entries = audit_log.recent(fresh_db, 2, action="incident.link")
    assert sorted(e["object_id"] for e in entries) == sorted([str(first.id), str(second.id)])
    assert all(NOTE not in e["detail"] for e in entries)


def test_removing_a_link_needs_a_reason_and_keeps_the_row(fresh_db, world, two):
    first, second = two
    made = incident_links.link(fresh_db, world["dpo"], first.id, second.reference, NOTE)
    with pytest.raises(InvalidInput) as refused:
        incident_links.unlink(fresh_db, world["dpo"], first.id, made.id, "")
    assert refused.value.errors == {"reason": "Schrijf op waarom je de koppeling verwijdert."}
    with pytest.raises(InvalidInput):  # the id of first's side, not of second's
        incident_links.unlink(fresh_db, world["dpo"], second.id, made.id, "Toch los van elkaar.")
    incident_links.unlink(fresh_db, world["dpo"], first.id, made.id, "Toch los van elkaar.")
    assert incident_links.links(fresh_db, world["dpo"], first.id) == []
    assert incident_links.links(fresh_db, world["dpo"], second.id) == []
    rows = fresh_db.execute("SELECT note, removed_reason, removed_by FROM incident_links").fetchall()
    assert rows == [(NOTE, "Toch los van elkaar.", world["dpo"].user_id)] * 2  # one row per side, kept
    # linked again later: new rows
    incident_links.link(fresh_db, world["dpo"], first.id, second.reference, NOTE)
    assert fresh_db.execute("SELECT count(*) FROM incident_links").fetchone()[0] == 4


@pytest.mark.parametrize(
    ("case", "errors"),
    sorted(
        [
            ("already", {"reference": "Deze meldingen zijn al aan elkaar gekoppeld."}),
            ("empty-note", {"note": "Schrijf op hoe de meldingen samenhangen."}),
            (
                "empty-reference",
                {"reference": "Vul het kenmerk in van de andere melding, zoals DL-2026-0001."},
            ),
            ("itself", {"reference": "Een melding kan niet aan zichzelf worden gekoppeld."}),
            ("other-organisation", {"reference": incident_links.merges.UNKNOWN_REFERENCE}),
            ("too-long", {"note": "Dit is te lang: gebruik hoogstens 1000 tekens."}),
        ]
    ),
)
def test_a_link_is_refused_with_a_dutch_message(fresh_db, world, two, case, errors):
    first, second = two
    reference, note = second.reference, NOTE
    if case == "already":
        incident_links.link(fresh_db, world["dpo"], second.id, first.reference, NOTE)
    elif case == "empty-note":
        note = " "
    elif case == "empty-reference":
        reference = ""
    elif case == "itself":
        reference = first.reference
    elif case == "other-organisation":
        for _ in range(3):
            other = incidents.submit_report(
                fresh_db, world["other_reporter"], make_report(world.other_org.id), at=NOW
            )
        reference = other.reference
    elif case == "too-long":
        note = "x" * 1001
    with pytest.raises(InvalidInput) as refused:
        incident_links.link(fresh_db, world["dpo"], first.id, reference, note)
    assert refused.value.errors == errors


@pytest.mark.parametrize("who", sorted(["management", "other_dpo", "reporter"]))
def test_only_the_fg_of_the_organisation_links(fresh_db, world, two, who):
    first, second = two
    with pytest.raises(PermissionDenied):
        incident_links.link(fresh_db, world[who], first.id, second.reference, NOTE)
    with pytest.raises(PermissionDenied):
        incident_links.links(fresh_db, world[who], first.id)
