"""The register of processors and partners as a file (issue #16): exported as CSV or XLSX, and
imported from the same columns.

An import is checked as a whole first: the preview shows every row with its Dutch problems
(``Preview``); the import writes every row or none (one transaction, checked again inside it).
A name that already stands in the register, or twice in the file, is refused: a change of an
existing party goes through the screen, with a reason.

Export neutralises formulas: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe (CSV) and is written as text (XLSX); the import takes
that apostrophe off again, so an exported file imports as it was.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, OrgRef, require
from datalek.handling import processors
from datalek.handling.processors import Party, PartyKind
from datalek.models import Actor, InvalidInput
from datalek.store import processors as sql

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The file's columns: Dutch header -> field.
COLUMNS = {
    "Soort": "kind",
    "Naam": "name",
    "Kenmerk overeenkomst": "agreement_reference",
    "Datum overeenkomst": "agreement_date",
    "Diensten": "services",
    "Soorten gegevens": "data_categories",
    "Contact bij een datalek": "contact",
    "Telefoon bij een datalek": "phone",
    "Meldtermijn (uren)": "notice_hours",
    "Grondslag": "basis",
}
HEADER_OF = {field: header for header, field in COLUMNS.items()}
#: Only in an export: whether the party is still active, and why it ended.
EXTRA = ("Actief", "Reden beëindigd")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile(r"'[=+\-@\t\r]")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA else text


def _kind(value: str) -> str | None:
    wanted = " ".join(str(value or "").split()).casefold()
    for kind in PartyKind:
        if wanted in (kind.value, kind.label.casefold()):
            return kind.value
    return wanted or None


# --- export -------------------------------------------------------------------------------------


def _cells(p: Party) -> list:
    return [
        p.kind.label,
        p.name,
        p.agreement_reference,
        p.agreement_date,
        p.services,
        "; ".join(c.label for c in p.categories),
        p.contact,
        p.phone,
        p.notice_hours,
        p.basis,
        "ja" if p.active else "nee",
        p.ended_reason,
    ]


def to_csv(parties: list[Party]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*COLUMNS, *EXTRA])
    for p in parties:
        writer.writerow(
            [
                v.strftime("%d-%m-%Y") if isinstance(v, date) else ("" if v is None else safe_cell(v))
                for v in _cells(p)
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(parties: list[Party]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Verwerkers en partners"
    sheet.append([*COLUMNS, *EXTRA])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in parties:
        values = _cells(p)
        sheet.append([datetime.combine(v, datetime.min.time()) if isinstance(v, date) else v for v in values])
        for cell, value in zip(sheet[sheet.max_row], values, strict=True):
            if isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
            elif isinstance(value, str):
                cell.value = value  # as given: a text cell, never a formula
                cell.data_type = "s"
    for column in range(1, len(COLUMNS) + len(EXTRA) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 28
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(org_name: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", org_name.casefold()).strip("-") or "organisatie"
    return f"verwerkers-en-partners-{slug}-{clock.today():%Y-%m-%d}.{fmt}"


def export(db: Database, actor: Actor, org_id: int, org_name: str, fmt: str) -> Download:
    """The register of the organisation as CSV or XLSX, ended parties included; audited."""
    require(db, actor, Action.EXPORT_PARTIES, OrgRef(org_id))
    if fmt not in FORMATS:
        raise InvalidInput({"format": "Kies CSV of XLSX."})
    parties = [Party.from_row(r) for r in sql.parties(db, org_id)]
    data = to_csv(parties) if fmt == "csv" else to_xlsx(parties)
    with store.write(db):
        audit.append(db, actor, "party.export", "organisation", org_id, format=fmt, rows=len(parties))
    return Download(file_name(org_name, fmt), MEDIA_TYPES[fmt], data)


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    line: int  # the row in the file as a spreadsheet counts it (the header is line 1)
    values: dict  # normalised, as they would be stored
    errors: dict[str, str]  # field -> Dutch message

    def messages(self) -> list[str]:
        """'Naam: Vul de naam van de organisatie in.' per problem."""
        return [f"{HEADER_OF.get(f, 'Regel')}: {m}" for f, m in self.errors.items()]


@dataclass(frozen=True)
class Preview:
    rows: list[PreviewRow]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def wrong(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.errors]


def _unneutralise(value):
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput({"file": "Dit bestand kan niet gelezen worden. Sla het op als CSV (UTF-8) of XLSX."})


def _csv_rows(content: bytes) -> list[list]:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise InvalidInput({"file": "Dit is geen leesbaar Excel-bestand (.xlsx)."}) from None
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(name: str, content: bytes) -> list[tuple[int, dict]]:
    """The file's rows as ``(line, {field: value})``; ``InvalidInput`` ("file") when the file
    itself cannot be used."""
    if not content:
        raise InvalidInput({"file": "Kies een bestand (CSV of XLSX)."})
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": f"Dit bestand is te groot: hoogstens {MAX_BYTES // (1024 * 1024)} MB."})
    is_xlsx = content[:2] == b"PK"
    if name.lower().endswith(".xlsx") and not is_xlsx:
        raise InvalidInput({"file": "Dit is geen leesbaar Excel-bestand (.xlsx)."})
    table = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    table = [r for r in table if any(v not in (None, "") for v in r)]
    if not table:
        raise InvalidInput({"file": "Het bestand is leeg."})
    header = [" ".join(str(h or "").split()) for h in table[0]]
    missing = [h for h in ("Soort", "Naam") if h not in header]
    if missing:
        raise InvalidInput(
            {
                "file": f"De kolom {' en '.join(missing)} ontbreekt. Gebruik de kolommen van de export als voorbeeld."
            }
        )
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInput({"file": f"Dit bestand heeft te veel regels: hoogstens {MAX_ROWS} per keer."})
    rows = []
    for line, raw in enumerate(table[1:], start=2):
        values = {}
        for column, value in zip(header, raw, strict=False):
            if column in COLUMNS:
                values[COLUMNS[column]] = _unneutralise(value.strip() if isinstance(value, str) else value)
        values["kind"] = _kind(values.get("kind"))
        if values.get("notice_hours") in (None, "") and values["kind"] != PartyKind.PROCESSOR.value:
            values.pop("notice_hours", None)
        if isinstance(values.get("notice_hours"), float) and values["notice_hours"].is_integer():
            values["notice_hours"] = int(values["notice_hours"])
        rows.append((line, values))
    return rows


def check(db: Database, org_id: int, rows: list[tuple[int, dict]]) -> Preview:
    """Every row normalised with its problems, against the register as it stands. Pure apart
    from reading the names in use."""
    existing = sql.names_in_use(db, org_id)
    seen: dict[tuple[str, str], int] = {}
    checked = []
    for line, values in rows:
        row, errors = processors.normalise(values, clock.today())
        if row["kind"] and row["name"] and "name" not in errors:
            key = (row["kind"], row["name"].casefold())
            if key in existing:
                errors["name"] = "Staat al in het register. Wijzig deze partij op het scherm."
            elif key in seen:
                errors["name"] = f"Staat al op regel {seen[key]} van dit bestand."
            else:
                seen[key] = line
        checked.append(PreviewRow(line, row, errors))
    return Preview(checked)


def preview(db: Database, actor: Actor, org_id: int, name: str, content: bytes) -> Preview:
    """What an import of this file would add, and every problem per row; writes nothing."""
    require(db, actor, Action.MANAGE_PARTIES, OrgRef(org_id))
    return check(db, org_id, read_rows(name, content))


def import_file(db: Database, actor: Actor, org_id: int, name: str, content: bytes) -> int:
    """Add every row of the file, or none: a file with a problem in any row adds nothing
    (``InvalidInput`` with the number of wrong rows). Returns the number of parties added."""
    require(db, actor, Action.MANAGE_PARTIES, OrgRef(org_id))
    rows = read_rows(name, content)
    at = clock.to_iso(clock.now())
    with store.write(db):
        checked = check(db, org_id, rows)  # again, inside the transaction that writes
        if not checked.ok:
            wrong = len(checked.wrong)
            raise InvalidInput(
                {
                    "file": f"Er is niets geïmporteerd: {wrong} {'regel heeft' if wrong == 1 else 'regels hebben'} "
                    "een fout. Verbeter het bestand en probeer het opnieuw."
                }
            )
        for row in checked.rows:
            processors.insert_checked(db, actor, org_id, row.values, at)
        audit.append(db, actor, "party.import", "organisation", org_id, rows=len(checked.rows))
    return len(checked.rows)
