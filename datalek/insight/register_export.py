"""Export of the Art. 33(5) register for the FG: every incident of one organisation — breaches,
incidents not notified, "geen datalek" and duplicates alike — with what the register holds for
it (``register_entry``). Per year (CSV or XLSX, also on the command line) or per period from
one day to another (CSV, XLSX or the printable HTML of ``register_record``). Only for the
organisation's FG; every view and export is audited.

Text cells are written as text: a value starting with = + - @ (or a tab or carriage return)
gets a leading apostrophe so a spreadsheet never runs it as a formula, and control
characters that XLSX cannot hold are removed. Moments and days are real date cells in XLSX
(Dutch time, with a Dutch number format) and Dutch text in CSV.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, OrgRef, require
from datalek.insight import register_record
from datalek.insight.register_entry import COLUMNS, DATE_COLUMNS, Value, entries
from datalek.insight.register_follow_up import WITHIN, _postponements  # noqa: F401 - for callers
from datalek.models import Actor, InvalidInput
from datalek.store import register as sql

#: The formats of a year's register (the command line too).
FORMATS = ("csv", "xlsx")
#: The formats of a period's register: also the printable HTML.
PERIOD_FORMATS = ("csv", "xlsx", "html")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


#: A file name is kept in the audit trail of its download: at most 64 characters, no spaces.
MAX_FILE_NAME = 64


def _named(organisation: str, period: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.lower()).strip("-") or "organisatie"
    room = MAX_FILE_NAME - len(f"datalekkenregister--{period}.{fmt}")
    return f"datalekkenregister-{slug[:room].rstrip('-')}-{period}.{fmt}"


def file_name(organisation: str, year: int, fmt: str) -> str:
    """'Gemeente Waterdam', 2026, 'xlsx' -> 'datalekkenregister-gemeente-waterdam-2026.xlsx'."""
    return _named(organisation, str(year), fmt)


def period_file_name(organisation: str, start: date, end: date, fmt: str) -> str:
    """-> 'datalekkenregister-gemeente-waterdam-20260101-20260331.html'; a calendar year is
    named after the year, like ``file_name``."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return file_name(organisation, start.year, fmt)
    return _named(organisation, f"{start:%Y%m%d}-{end:%Y%m%d}", fmt)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value) -> str:
    text = _CONTROL.sub("", "" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _text(entry: dict[str, Value]) -> dict[str, str]:
    return {c: safe_cell(register_record.value_text(entry[c])) for c in COLUMNS}


def rows(db: Database, org_id: int, year: int) -> list[dict[str, str]]:
    """The register rows of a year as text (no permission check: callers check)."""
    return [_text(e) for e in entries(db, sql.incidents_of_year(db, org_id, year))]


def _bounds(start: date, end: date) -> tuple[str, str]:
    """The period on the Dutch calendar as stored moments: from the start of ``start`` up to
    the start of the day after ``end``."""
    first = clock.local_to_utc(datetime.combine(start, time(0, 0)))
    after = clock.local_to_utc(datetime.combine(end + timedelta(days=1), time(0, 0)))
    return clock.to_iso(first), clock.to_iso(after)


def period_entries(db: Database, org_id: int, start: date, end: date) -> list[dict[str, Value]]:
    """The register entries of the incidents reported from ``start`` to ``end`` (both days
    included, Dutch time); no permission check: callers check."""
    return entries(db, sql.incidents_between(db, org_id, *_bounds(start, end)))


def to_csv(table: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


MOMENT_FORMAT = "DD-MM-YYYY HH:MM"
DAY_FORMAT = "DD-MM-YYYY"


def _xlsx_value(value: Value):
    """A moment as Dutch wall-clock time and a day as a day (spreadsheets know no time zone),
    a number as a number, anything else as inert text."""
    if isinstance(value, datetime):
        return clock.to_utc(value).astimezone(clock.AMSTERDAM).replace(tzinfo=None), MOMENT_FORMAT
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0)), DAY_FORMAT
    if isinstance(value, int):
        return value, None
    return safe_cell(register_record.value_text(value)), "text"


def to_xlsx(table: list[dict[str, Value]], title: str) -> bytes:
    """``table``: entries with their values as made (``register_entry``) or as text (``rows``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in table:
        values = [_xlsx_value(entry[c]) for c in COLUMNS]
        sheet.append([v for v, _ in values])
        for cell, (_, kind) in zip(sheet[sheet.max_row], values, strict=True):
            if kind == "text":
                cell.data_type = "s"  # text, never a formula
            elif kind:
                cell.number_format = kind
    for n, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=n).column_letter].width = (
            17 if column in DATE_COLUMNS else 30
        )
    sheet.freeze_panes = "B2"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def years(db: Database, actor: Actor, org_id: int) -> list[int]:
    require(db, actor, Action.VIEW_REGISTER, OrgRef(org_id))
    return sql.years(db, org_id)


def view(db: Database, actor: Actor, org_id: int, year: int) -> list[dict[str, str]]:
    """The register on screen for the organisation's FG; audited like an export."""
    require(db, actor, Action.VIEW_REGISTER, OrgRef(org_id))
    table = rows(db, org_id, year)
    with store.write(db):
        audit.append(db, actor, "register.view", "organisation", org_id, year=year, rows=len(table))
    return table


def export(db: Database, actor: Actor, org_id: int, year: int, fmt: str) -> bytes:
    """The register of one organisation and year for its FG, as CSV or XLSX; audited."""
    require(db, actor, Action.EXPORT_REGISTER, OrgRef(org_id))
    if fmt not in FORMATS:
        raise InvalidInput({"format": "Kies CSV of XLSX."})
    found = entries(db, sql.incidents_of_year(db, org_id, year))
    with store.write(db):
        audit.append(
            db, actor, "register.export", "organisation", org_id, year=year, format=fmt, rows=len(found)
        )
    if fmt == "csv":
        return to_csv([_text(e) for e in found])
    return to_xlsx(found, f"Datalekkenregister {year}")


def period_errors(start: date | None, end: date | None, fmt: str) -> dict[str, str]:
    errors = {}
    if start is None:
        errors["start"] = "Kies de eerste dag van de periode."
    if end is None:
        errors["end"] = "Kies de laatste dag van de periode."
    elif start is not None and end < start:
        errors["end"] = "De laatste dag ligt vóór de eerste dag. Kies een latere datum."
    if fmt not in PERIOD_FORMATS:
        errors["format"] = "Kies CSV, XLSX of HTML."
    return errors


def export_period(
    db: Database, actor: Actor, org_id: int, start: date | None, end: date | None, fmt: str
) -> bytes:
    """The register of one organisation for the incidents reported from ``start`` to ``end``
    (both included), for its FG: CSV, XLSX or printable HTML; audited."""
    require(db, actor, Action.EXPORT_REGISTER, OrgRef(org_id))
    if errors := period_errors(start, end, fmt):
        raise InvalidInput(errors)
    found = period_entries(db, org_id, start, end)
    with store.write(db):
        audit.append(
            db,
            actor,
            "register.export",
            "organisation",
            org_id,
            start=start.isoformat(),
            end=end.isoformat(),
            format=fmt,
            rows=len(found),
        )
    if fmt == "csv":
        return to_csv([_text(e) for e in found])
    if fmt == "xlsx":
        return to_xlsx(found, f"Datalekkenregister {start:%d-%m-%Y} tot en met {end:%d-%m-%Y}")
    return register_record.document(sql.organisation_name(db, org_id), start, end, found)
