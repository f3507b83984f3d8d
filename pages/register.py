"""Register: the Art. 33(5) register of one organisation and year for its FG, on screen,
and its export per period as CSV, XLSX or printable HTML (every view and export is audited)."""

import streamlit as st

from datalek import store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.insight import register_export
from ui import narrative_view, register_exports, session

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
    register_exports.render(org_id, org_names[org_id], year)  # CSV, XLSX, HTML per period
    narrative_view.render(actor, org_id, year)  # the FG's account of the year for the board
