"""Verwerkers en ketenpartners on screen (issue #16): the register on the FG-team page (add with
a Dutch message next to a wrong field and the typed values kept, import with a preview that
names each wrong row and imports nothing), and on the incident page the link to a processor
that reported it, with its moments, an impossible order refused next to the field, and the
processor's delay against the agreed period."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import incidents, processors
from tests.conftest import make_report
from tests.pages.conftest import button, count_rows, error_after, once_key, open_db, signed_in, state_get
from tests.test_party_files import BAD, GOOD, csv_file
from tests.test_processors import CLOUDZORG


def fg_team(world):
    at = signed_in(world["dpo"], navigation.DPO_TEAM)
    assert not at.exception, at.exception
    return at


def test_a_wrong_field_is_said_next_to_it_and_what_was_typed_stays(world, db_path):
    at = fg_team(world)
    p = f"pr{world.org.id}_add_"
    at.text_input(key=once_key(at, p, "contact")).input("security@cloudzorg.invalid")
    at.text_input(key=once_key(at, p, "name")).input("   ")
    button(at, "Toevoegen aan het register").click().run()
    assert not at.exception, at.exception
    assert error_after(at, once_key(at, p, "name")) == "Vul de naam van de organisatie in."
    assert at.text_input(key=once_key(at, p, "contact")).value == "security@cloudzorg.invalid"
    assert count_rows(db_path, "parties") == 0
    at.text_input(key=once_key(at, p, "name")).input("Cloudzorg BV")
    button(at, "Toevoegen aan het register").click().run()
    assert "De partij staat in het register." in [s.value for s in at.success]
    assert at.text_input(key=once_key(at, p, "name")).value == ""  # a new, empty form
    assert count_rows(db_path, "parties") == 1
    button(at, "Toevoegen aan het register").click().run()  # the empty form again: refused input
    assert count_rows(db_path, "parties") == 1


def test_an_import_with_a_wrong_row_shows_it_and_imports_nothing_then_a_good_one_imports(world, db_path):
    at = fg_team(world)
    p = f"pf{world.org.id}_imp_"
    at.file_uploader(key=once_key(at, p, "file")).set_value(("r.csv", csv_file(GOOD[0], BAD[1]), "text/csv"))
    at.run()
    button(at, "Controleren").click().run()
    assert not at.exception, at.exception
    assert any("1 van de 2 regels hebben een fout" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Importeren"]
    at.file_uploader(key=once_key(at, p, "file")).set_value(("r.csv", csv_file(*GOOD), "text/csv"))
    at.run()
    button(at, "Controleren").click().run()
    assert any("Alle 3 regels zijn goed" in s.value for s in at.success)
    assert count_rows(db_path, "parties") == 0
    button(at, "Importeren").click().run()
    assert not at.exception, at.exception
    assert "3 partijen zijn toegevoegd aan het register." in [s.value for s in at.success]
    assert count_rows(db_path, "parties") == 3


@pytest.fixture
def reported(world, db_path):
    now = clock.now()
    db = open_db(db_path)
    try:
        incident = incidents.submit_report(
            db,
            world["reporter"],
            make_report(
                world.org.id,
                now=now,
                discovered_at=now - timedelta(hours=70),
                occurred_from=now - timedelta(hours=80),
            ),
        )
        party = processors.add(db, world["dpo"], world.org.id, {**CLOUDZORG, "notice_hours": 48})
        return incident, party
    finally:
        db.close()


def test_the_fg_links_the_processor_that_told_us_and_sees_its_delay(world, db_path, reported):
    incident, party = reported
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.session_state[f"q_tab_{incident.id}"] = "Melding"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    p = f"ip{incident.id}_add_"
    local = clock.now().astimezone(clock.AMSTERDAM).replace(second=0, microsecond=0)
    aware, told = local - timedelta(hours=70), local - timedelta(hours=9)
    at.selectbox(key=once_key(at, p, "party")).set_value(party.id)
    at.multiselect(key=once_key(at, p, "roles")).set_value(["reported"])
    at.date_input(key=once_key(at, p, "aware") + "_date").set_value(told.date())  # swapped: impossible
    at.time_input(key=once_key(at, p, "aware") + "_time").set_value(told.time())
    at.date_input(key=once_key(at, p, "told") + "_date").set_value(aware.date())
    at.time_input(key=once_key(at, p, "told") + "_time").set_value(aware.time())
    button(at, "Koppelen").click().run()
    assert not at.exception, at.exception
    said = error_after(at, once_key(at, p, "told") + "_time")
    assert said.startswith("De verwerker meldde het aan ons (") and "vóór de verwerker het wist" in said
    assert count_rows(db_path, "incident_parties") == 0
    assert at.multiselect(key=once_key(at, p, "roles")).value == ["reported"]  # kept
    at.date_input(key=once_key(at, p, "aware") + "_date").set_value(aware.date())
    at.time_input(key=once_key(at, p, "aware") + "_time").set_value(aware.time())
    at.date_input(key=once_key(at, p, "told") + "_date").set_value(told.date())
    at.time_input(key=once_key(at, p, "told") + "_time").set_value(told.time())
    button(at, "Koppelen").click().run()
    assert not at.exception, at.exception
    assert "De partij is gekoppeld aan dit incident." in [s.value for s in at.success]
    assert "De verwerker meldde het na 61 uur; afgesproken is 48 uur." in [w.value for w in at.warning]
    assert count_rows(db_path, "incident_parties") == 1
    assert state_get(at, f"ip{incident.id}_add_errors") is None
