"""Register: the Art. 33(5) register of one organisation and year for its FG, on screen
and as CSV or XLSX (every view and export is audited)."""

import streamlit as st

from datalek import store
from datalek.accounts.downloads import Download
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, OrgRef, PermissionDenied
from datalek.insight import register_export
from ui import downloads, session
from ui.callbacks import act

SHOWN = [
    "Kenmerk",
    "Status",
    "Soort incident",
    "Besluit",
    "Gemeld bij AP",
    "Binnen 72 uur",
    "Betrokkenen geïnformeerd",
    "Maatregelen",
    "Herhaling van",
    "Afgerond op",
]


def render() -> None:
    actor = session.actor()
    st.title("Register", anchor=False)
    st.caption(
        "Het register van datalekken (art. 33 lid 5 AVG): elk incident, ook als het niet is "
        "gemeld of geen datalek bleek, met feiten, besluit, motivering en maatregelen."
    )
    if failure := st.session_state.pop("q_failure", None):
        st.error(failure)
    with store.unit() as db:
        org_names = {o.id: o.name for o in list_organisations(db, actor)}
    left, right = st.columns(2)
    org_id = left.selectbox(
        "Organisatie",
        list(org_names),
        key="reg_org",
        format_func=org_names.get,
        filter_mode=None,
        placeholder="Kies een organisatie",
    )
    if org_id is None:
        st.info("Je bent nog niet gekoppeld aan een organisatie.")
        return
    try:
        with store.unit() as db:
            years = register_export.years(db, actor, org_id)
            if not years:
                st.info("Er zijn nog geen meldingen voor deze organisatie.")
                return
            year = right.selectbox(
                "Jaar", years, key="reg_year", filter_mode=None, placeholder="Kies een jaar"
            )
            table = register_export.view(db, actor, org_id, year)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    st.write(f"{len(table)} {'incident' if len(table) == 1 else 'incidenten'} in {year}.")
    st.dataframe([{c: row[c] for c in SHOWN} for row in table], hide_index=True, width="stretch")
    for col, fmt in zip(st.columns(2), register_export.FORMATS, strict=True):
        col.button(
            f"Maak export ({fmt.upper()})",
            key=f"reg_make_{fmt}",
            on_click=_export,
            args=(org_id, org_names[org_id], year, fmt),
        )
    made = st.session_state.get("reg_file")
    # never another year's file under this year's name
    if (
        made
        and made[:2] == (org_id, year)
        and downloads.link(made[3], f"Download het register {year} ({made[2].upper()})")
    ):
        st.caption(downloads.HINT)


def _export(org_id: int, org_name: str, year: int, fmt: str) -> None:
    def make(db, who) -> None:
        file = Download(
            register_export.file_name(org_name, year, fmt),
            register_export.MEDIA_TYPES[fmt],
            register_export.export(db, who, org_id, year, fmt),
        )
        offered = downloads.offer(db, who, Action.EXPORT_REGISTER, OrgRef(org_id), file)
        st.session_state["reg_file"] = (org_id, year, fmt, offered)

    act("reg_errors", "", make)
