"""The FG's exports of the register: a period (the year shown, unless the FG picks other days)
and the file — CSV, XLSX or the printable HTML — made on request and downloaded once through
``/download/<token>`` (``ui.downloads``). The core checks who may export (the organisation's
FG only) and audits every export."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, OrgRef
from datalek.insight import register_export
from ui import downloads
from ui.callbacks import act
from ui.forms import field_error

state = st.session_state

LABELS = {"csv": "CSV", "xlsx": "XLSX", "html": "HTML, om te printen"}
ERRORS = "reg_errors"


def _keys(org_id: int, year: int) -> tuple[str, str]:
    """The period's fields, per organisation and year: another year starts with its own."""
    return f"reg_start_{org_id}_{year}", f"reg_end_{org_id}_{year}"


def _period(start: date, end: date) -> str:
    """'2026' for a whole calendar year, else 'van 01-03-2026 tot en met 31-03-2026'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"van {start:%d-%m-%Y} tot en met {end:%d-%m-%Y}"


def render(org_id: int, org_name: str, year: int) -> None:
    st.subheader("Exporteren", anchor=False)
    st.caption(
        "Kies de periode. In de export staat elk incident dat in die periode is gemeld, met "
        "feiten, advies, besluit, meldingen, informeren, maatregelen en auditverwijzingen. "
        "Het HTML-bestand kun je printen of als PDF bewaren."
    )
    errors = state.get(ERRORS)
    start_key, end_key = _keys(org_id, year)
    left, right = st.columns(2)
    with left:
        st.date_input("Eerste dag", value=date(year, 1, 1), key=start_key, format="DD-MM-YYYY")
        field_error(errors, "start")
    with right:
        st.date_input("Laatste dag", value=date(year, 12, 31), key=end_key, format="DD-MM-YYYY")
        field_error(errors, "end")
    for col, fmt in zip(st.columns(3), register_export.PERIOD_FORMATS, strict=True):
        col.button(
            f"Maak export ({LABELS[fmt]})",
            key=f"reg_make_{fmt}",
            on_click=_export,
            args=(org_id, org_name, year, fmt),
        )
    field_error(errors, "format")
    made = state.get("reg_file")
    # never a file of another organisation or year under this one's fields
    if made and made[:2] == (org_id, year):
        _, _, fmt, start, end, offered = made
        if downloads.link(offered, f"Download het register {_period(start, end)} ({fmt.upper()})"):
            st.caption(downloads.HINT)


def _export(org_id: int, org_name: str, year: int, fmt: str) -> None:
    start_key, end_key = _keys(org_id, year)
    start, end = state.get(start_key), state.get(end_key)

    def make(db, who) -> None:
        data = register_export.export_period(db, who, org_id, start, end, fmt)
        file = Download(
            register_export.period_file_name(org_name, start, end, fmt),
            register_export.MEDIA_TYPES[fmt],
            data,
        )
        offered = downloads.offer(db, who, Action.EXPORT_REGISTER, OrgRef(org_id), file)
        state["reg_file"] = (org_id, year, fmt, start, end, offered)

    if not act(ERRORS, "", make):
        state.pop("reg_file", None)  # no link to an older file next to a refused request
