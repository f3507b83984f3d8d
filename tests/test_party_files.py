"""The register of processors and partners as a file (issue #16, ``datalek.handling.party_files``):
export as CSV and XLSX with formulas neutralised, import with a preview of Dutch problems per row,
and nothing half-imported."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import party_files, processors
from datalek.models import InvalidInput
from tests.test_processors import CLOUDZORG, CONVENANT

HEADER = ";".join(
    [
        "Soort",
        "Naam",
        "Kenmerk overeenkomst",
        "Datum overeenkomst",
        "Diensten",
        "Soorten gegevens",
        "Contact bij een datalek",
        "Telefoon bij een datalek",
        "Meldtermijn (uren)",
        "Grondslag",
    ]
)
GOOD = [
    "Verwerker;Cloudzorg BV;VWO-17;01-03-2024;Hosting;Burgerservicenummer (BSN); security@cloudzorg.invalid;;24;",
    "Ketenpartner;Basisschool De Linde;;;;;directie@delinde.invalid;;;Convenant jeugd",
    "verwerker;Printhuis;;2023-05-01;Drukwerk;name_address;;020 555 0101;;",
]
BAD = [
    "Verwerker;Cloudzorg BV;;;;;;;;",  # no breach contact
    "Leverancier;Koffie BV;;;;;;;;",  # unknown kind
    "Verwerker;Mailhuis;;31-02-2024;;schoenmaat;info@mailhuis.invalid;;twee dagen;",
    "Ketenpartner;basisschool de linde;;;;;;;;",  # twice in the file
]


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def count(db) -> int:
    return db.execute("SELECT count(*) FROM parties").fetchone()[0]


def test_a_good_file_is_previewed_then_imported_whole(fresh_db, world):
    dpo = world["dpo"]
    shown = party_files.preview(fresh_db, dpo, world.org.id, "register.csv", csv_file(*GOOD))
    assert shown.ok and [r.line for r in shown.rows] == [2, 3, 4]
    assert count(fresh_db) == 0  # a preview writes nothing
    assert party_files.import_file(fresh_db, dpo, world.org.id, "register.csv", csv_file(*GOOD)) == 3
    parties = {p.name: p for p in processors.list_parties(fresh_db, dpo, world.org.id)}
    assert parties["Cloudzorg BV"].notice_hours == 24 and parties["Printhuis"].notice_hours == 48
    assert parties["Basisschool De Linde"].basis == "Convenant jeugd"


def test_a_file_with_bad_rows_gets_dutch_messages_per_row_and_imports_nothing(fresh_db, world):
    dpo = world["dpo"]
    processors.add(fresh_db, dpo, world.org.id, {**CONVENANT, "name": "Basisschool De Linde"})
    shown = party_files.preview(fresh_db, dpo, world.org.id, "register.csv", csv_file(GOOD[0], *BAD))
    messages = {r.line: r.messages() for r in shown.wrong}
    assert not shown.ok and sorted(messages) == [3, 4, 5, 6]
    assert messages[3][1] == "Naam: Staat al op regel 2 van dit bestand."
    assert messages[3][0].startswith("Contact bij een datalek: Vul in hoe de verwerker een datalek meldt")
    assert messages[4] == ["Soort: Kies de soort: verwerker, ketenpartner of verwerkingsverantwoordelijke."]
    assert [m.split(":")[0] for m in messages[5]] == [
        "Datum overeenkomst",
        "Soorten gegevens",
        "Meldtermijn (uren)",
    ]
    assert messages[6] == ["Naam: Staat al in het register. Wijzig deze partij op het scherm."]
    before = count(fresh_db)
    with pytest.raises(InvalidInput) as refused:
        party_files.import_file(fresh_db, dpo, world.org.id, "register.csv", csv_file(GOOD[0], *BAD))
    assert refused.value.errors["file"].startswith("Er is niets geïmporteerd: 4 regels hebben een fout.")
    assert count(fresh_db) == before  # nothing half-imported


def test_a_missing_contact_is_named_on_its_row(fresh_db, world):
    shown = party_files.preview(fresh_db, world["dpo"], world.org.id, "r.csv", csv_file(BAD[0]))
    assert shown.rows[0].messages()[0].startswith("Contact bij een datalek: Vul in hoe de verwerker")


@pytest.mark.parametrize(
    ("name", "content", "said"),
    sorted(
        [
            ("leeg.csv", b"", "Kies een bestand"),
            ("kop.csv", b"Naam;Diensten\nA;B\n", "De kolom Soort ontbreekt"),
            ("nep.xlsx", b"Soort;Naam\n", "geen leesbaar Excel-bestand"),
            ("kapot.xlsx", b"PK\x03\x04kapot", "geen leesbaar Excel-bestand"),
            ("groot.csv", b"Soort;Naam\n" + b"x" * (2 * 1024 * 1024), "te groot"),
        ]
    ),
)
def test_a_file_that_cannot_be_used_is_refused_in_dutch(fresh_db, world, name, content, said):
    with pytest.raises(InvalidInput) as refused:
        party_files.preview(fresh_db, world["dpo"], world.org.id, name, content)
    assert said in refused.value.errors["file"]


FORMULA = '=HYPERLINK("http://x.invalid","klik")'


def test_the_export_neutralises_formulas_and_imports_back_as_it_was(fresh_db, world, tmp_path):
    dpo = world["dpo"]
    processors.add(fresh_db, dpo, world.org.id, CLOUDZORG)
    processors.add(fresh_db, dpo, world.org.id, {**CONVENANT, "name": "+31 Partner", "basis": FORMULA})
    made = party_files.export(fresh_db, dpo, world.org.id, "Gemeente Test", "csv")
    assert made.file_name.startswith("verwerkers-en-partners-gemeente-test-") and made.file_name.endswith(
        ".csv"
    )
    rows = list(csv.reader(io.StringIO(made.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Soort", "Naam"] and rows[0][-2:] == ["Actief", "Reden beëindigd"]
    partner = next(r for r in rows if "Partner" in r[1])
    assert partner[1] == "'+31 Partner" and partner[9] == "'" + FORMULA
    cloud = next(r for r in rows if r[1] == "Cloudzorg BV")
    assert cloud[3] == "01-03-2024" and cloud[8] == "24" and "Burgerservicenummer (BSN)" in cloud[5]

    xlsx = party_files.export(fresh_db, dpo, world.org.id, "Gemeente Test", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells), "no cell is a formula"
    assert FORMULA in [c.value for c in cells]

    for fmt, data in (("csv", made.data), ("xlsx", xlsx.data)):  # into another organisation
        other = world["other_dpo"]
        fresh_db.execute("DELETE FROM parties WHERE org_id = ?", [world.other_org.id])
        assert party_files.import_file(fresh_db, other, world.other_org.id, f"r.{fmt}", data) == 2
        back = {p.name: p.stated() for p in processors.list_parties(fresh_db, other, world.other_org.id)}
        mine = {p.name: p.stated() for p in processors.list_parties(fresh_db, dpo, world.org.id)}
        assert back == mine, fmt


@pytest.mark.parametrize("who", sorted(["admin", "management", "other_dpo", "reporter"]))
def test_only_the_organisations_fg_imports_and_exports(fresh_db, world, who):
    actor = world[who]
    with pytest.raises(PermissionDenied):
        party_files.export(fresh_db, actor, world.org.id, "Gemeente Test", "csv")
    with pytest.raises(PermissionDenied):
        party_files.preview(fresh_db, actor, world.org.id, "r.csv", csv_file(*GOOD))
    with pytest.raises(PermissionDenied):
        party_files.import_file(fresh_db, actor, world.org.id, "r.csv", csv_file(*GOOD))
    assert count(fresh_db) == 0
