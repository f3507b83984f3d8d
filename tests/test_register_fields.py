"""Issue #17: the register the AP may inspect holds, for every incident of a period, every
field the AP asks for — in the XLSX (real date cells), the CSV and the printable HTML alike:
the facts, the advice with its reasons as it was at the decision, the decision, deviations,
who decided and who was consulted, the AP notifications, the informing, the measures with their
real done date, the linked and duplicate incidents and the audit references."""

import csv
import io
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import openpyxl
import pytest

from datalek import clock
from datalek.actions import authority, informing, measures
from datalek.actions.addressees import Addressee
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.insight import register_export, register_record
from datalek.insight.register_export import COLUMNS
from datalek.store import audit_log
from datalek.triage.ap_vocabulary import SecurityMeasure
from datalek.triage.facts import Unintelligible
from tests.conftest import NOW, make_report


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


def _submit(db, world, at=NOW, **changes):
    report = make_report(
        world.org.id,
        now=at,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
        **changes,
    )
    return incidents.submit_report(db, world["reporter"], report, at=at)


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))["Register"]


def _at(monkeypatch, moment):
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def documented(fresh_db, world, monkeypatch):
    """One incident with everything the register holds, and a second report of it decided as
    a duplicate. The advice of the decision (version 1: the data were encrypted, so neither
    notify nor inform) differs from the newest assessment (version 2, saved after it)."""
    db, dpo = fresh_db, world["dpo"]
    main = _submit(db, world)
    facts = prefill.facts_from_report(main, world.org)
    encrypted = facts.model_copy(
        update={"unintelligible": Unintelligible.INTACT, "security_measures": [SecurityMeasure.ENCRYPTION]}
    )
    _at(monkeypatch, NOW + timedelta(hours=1))
    first = assessment.save(db, dpo, main.id, encrypted, "Gevolgen voor het gezin.", "Teruggevraagd.")
    decisions.record(
        db,
        dpo,
        main.id,
        DecisionInput(
            breach=True,
            notify_authority=True,
            inform=Inform.YES,
            motivation="Uit voorzorg gemeld.",
            deviation_motivation="Uit voorzorg: de ouders willen het weten.",
            consulted="leidinggevende, CISO",
        ),
    )
    _at(monkeypatch, NOW + timedelta(hours=2))
    copy = incidents.submit_report(db, world["reporter2"], make_report(world.org.id, now=NOW), at=NOW)
    assessment.save(db, dpo, copy.id, prefill.facts_from_report(copy, world.org))
    decisions.record(
        db,
        dpo,
        copy.id,
        DecisionInput(
            breach=False,
            not_breach_reason=NotBreachReason.DUPLICATE,
            duplicate_of=main.reference,
            motivation="Dezelfde e-mail, gemeld door een collega.",
        ),
    )
    _at(monkeypatch, NOW + timedelta(days=1))
    measure = measures.add(
        db,
        dpo,
        main.id,
        measures.MeasureInput(
            kind=measures.MeasureKind.PREVENTIVE,
            description="Adrescontrole in het sjabloon.",
            owner="Teamleider",
            due_on=date(2027, 1, 31),
        ),
    )
    _at(monkeypatch, NOW + timedelta(days=4))
    authority.record_initial(
        db, dpo, main.id, "M-2026-000123", NOW + timedelta(days=3, hours=10), "Ziekte van de FG."
    )
    authority.record_supplement(db, dpo, main.id, NOW + timedelta(days=4), "Aantal betrokkenen bijgesteld.")
    informing.record_safety_check(db, dpo, main.id, Addressee.PARENTS, False)
    informing.record_notice(
        db, dpo, main.id, Addressee.PARENTS, 2, date(2026, 11, 24), informing.Channel.LETTER
    )
    informing.record_safety_check(
        db, dpo, main.id, Addressee.PERSON, True, "Zorgen over de vader.", date(2026, 12, 10)
    )
    later = facts.model_copy(update={"unintelligible": Unintelligible.SUBVERTIBLE})
    assessment.save(db, dpo, main.id, later, "Gevolgen voor het gezin.", "Teruggevraagd.")
    _at(monkeypatch, NOW + timedelta(days=5))
    measures.set_status(db, dpo, measure.id, measures.MeasureStatus.DONE, date(2026, 11, 23))
    decided = next(
        e for e in audit_log.recent(db, 100, action="decision.record") if e["object_id"] == str(main.id)
    )
    return SimpleNamespace(main=main, copy=copy, advice=first.advice, decision_entry=decided["seq"])


class _Printed(HTMLParser):
    """The printed register: per incident (one <section>), each row's heading and value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.records: dict[str, dict[str, str]] = {}
        self._record: dict[str, str] = {}
        self._cell: str | None = None
        self._heading = ""
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self._record = {}
        elif tag in ("th", "td"):
            self._cell, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == "th":
            self._heading, self._cell = "".join(self._text), None
        elif tag == "td":
            self._record[self._heading], self._cell = "".join(self._text), None
        elif tag == "section":
            self.records[self._record["Kenmerk"]] = self._record

    def handle_data(self, data):
        if self._cell:
            self._text.append(data)


def _xlsx_text(cell) -> str:
    if isinstance(cell.value, datetime):
        return cell.value.strftime("%d-%m-%Y %H:%M" if "hh" in cell.number_format.lower() else "%d-%m-%Y")
    return "" if cell.value is None else str(cell.value)


def _records(fmt: str, data: bytes) -> dict[str, dict[str, str]]:
    """Each incident's fields as text, by reference, as a reader of the file sees them."""
    if fmt == "csv":
        table = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
        return {r["Kenmerk"]: r for r in table}
    if fmt == "xlsx":
        sheet = _sheet(data)
        header = [c.value for c in sheet[1]]
        found = [dict(zip(header, map(_xlsx_text, row), strict=True)) for row in sheet.iter_rows(min_row=2)]
        return {r["Kenmerk"]: r for r in found}
    printed = _Printed()
    printed.feed(data.decode("utf-8"))
    return printed.records


def _period(db, world, fmt, start=date(2026, 1, 1), end=date(2026, 12, 31)) -> bytes:
    return register_export.export_period(db, world["dpo"], world.org.id, start, end, fmt)


#: (incident, column, what the cell holds: "=" the whole text, "~" a part of it)
FIELDS = [
    ("main", "Kenmerk", "=", lambda d: d.main.reference),
    ("main", "Status", "=", lambda d: "Besloten"),
    ("main", "Gemeld intern", "=", lambda d: "20-11-2026 11:00"),
    ("main", "Omschrijving", "=", lambda d: d.main.description),
    ("main", "Gevolgen", "=", lambda d: "Gevolgen voor het gezin."),
    ("main", "Versleuteld", "~", lambda d: Unintelligible.SUBVERTIBLE.label),
    ("main", "Beoordeling bij besluit", "=", lambda d: "versie 1; de nieuwste beoordeling is versie 2"),
    ("main", "Advies bij besluit", "=", lambda d: d.advice.summary()),
    ("main", "Redenen van het advies", "~", lambda d: d.advice.reasons[0].text),
    ("main", "Besluit", "=", lambda d: "datalek; AP: melden; betrokkenen informeren: ja"),
    ("main", "Motivering besluit", "=", lambda d: "Uit voorzorg gemeld."),
    ("main", "Afwijking van advies", "~", lambda d: "Het advies is: niet melden bij de AP."),
    ("main", "Afwijking van advies", "~", lambda d: "Uit voorzorg: de ouders willen het weten."),
    ("main", "Besluit genomen", "=", lambda d: "20-11-2026 12:00"),
    ("main", "Besluit genomen door", "=", lambda d: "Dpo"),
    ("main", "Geraadpleegd", "=", lambda d: "leidinggevende, CISO"),
    ("main", "Gemeld bij AP", "=", lambda d: "ja"),
    ("main", "Meldnummer AP", "=", lambda d: "M-2026-000123"),
    ("main", "Gemeld bij AP op", "=", lambda d: "23-11-2026 21:00"),
    ("main", "Binnen 72 uur", "=", lambda d: "nee"),
    ("main", "Reden vertraging", "=", lambda d: "Ziekte van de FG."),
    ("main", "Aanvullingen en intrekking", "~", lambda d: "M-2026-000123"),
    ("main", "Aanvullingen en intrekking", "~", lambda d: "Aantal betrokkenen bijgesteld."),
    ("main", "Betrokkenen geïnformeerd", "=", lambda d: "Ouders of voogd met gezag: 2 op 24-11-2026 (brief)"),
    ("main", "Aantal geïnformeerd", "=", lambda d: "2"),
    ("main", "Eerst geïnformeerd op", "=", lambda d: "24-11-2026"),
    ("main", "Uitstel (veiligheid)", "~", lambda d: "tot 10-12-2026 (loopt): Zorgen over de vader."),
    ("main", "Maatregelen", "~", lambda d: "Teamleider, uiterlijk 31-01-2027, uitgevoerd op 23-11-2026"),
    ("main", "Dubbele meldingen", "=", lambda d: d.copy.reference),
    ("main", "Auditverwijzingen", "~", lambda d: f"nr. {d.decision_entry}: Besluit vastgelegd"),
    ("copy", "Status", "=", lambda d: "Samengevoegd"),  # merged under the main incident (#16)
    ("copy", "Besluit", "=", lambda d: f"samengevoegd met {d.main.reference}"),
    ("copy", "Dubbele melding van", "=", lambda d: d.main.reference),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html"])
@pytest.mark.parametrize(
    ("incident", "column", "how", "expected"),
    FIELDS,
    ids=[f"{i}-{c}-{n}" for n, (i, c, *_) in enumerate(FIELDS)],
)
def test_every_field_is_in_every_format(fresh_db, world, documented, fmt, incident, column, how, expected):
    records = _records(fmt, _period(fresh_db, world, fmt))
    value = records[getattr(documented, incident).reference][column]
    if how == "=":
        assert value == expected(documented)
    else:
        assert expected(documented) in value


def test_every_column_is_printed_in_one_section():
    printed = [c for _, columns in register_record.SECTIONS for c in columns]
    assert sorted(printed) == sorted(COLUMNS) and len(printed) == len(set(printed))


def test_a_duplicate_is_nowhere_called_geen_datalek(fresh_db, world, documented):
    for fmt in ("csv", "xlsx", "html"):
        row = _records(fmt, _period(fresh_db, world, fmt))[documented.copy.reference]
        assert [v for v in row.values() if "geen datalek" in v.lower()] == []


def test_the_date_cells_of_the_xlsx_are_dates(fresh_db, world, documented):
    sheet = _sheet(_period(fresh_db, world, "xlsx"))
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == documented.main.reference]
    cells = dict(zip(header, row, strict=True))
    for column in register_export.DATE_COLUMNS:
        if cells[column].value is None:
            continue
        assert isinstance(cells[column].value, datetime), column
        assert cells[column].is_date and cells[column].number_format.startswith("DD-MM-YYYY"), column
    assert cells["Gemeld intern"].value == datetime(2026, 11, 20, 11, 0)  # Dutch time, as read
    assert cells["Eerst geïnformeerd op"].value == datetime(2026, 11, 24)
    assert cells["Eerst geïnformeerd op"].number_format == "DD-MM-YYYY"


def test_the_advice_is_the_one_the_decision_was_based_on(fresh_db, world, documented):
    (row,) = [
        r
        for r in register_export.rows(fresh_db, world.org.id, 2026)
        if r["Kenmerk"] == documented.main.reference
    ]
    newest = assessment.current(fresh_db, world["dpo"], documented.main.id).advice
    assert newest.notify_authority and not documented.advice.notify_authority
    assert row["Advies bij besluit"] == documented.advice.summary() != newest.summary()
