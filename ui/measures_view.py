"""Maatregelen: corrective and preventive measures of one incident, with owner, due date
and status; adding one and moving its status."""

from __future__ import annotations

import streamlit as st

from datalek import clock
from datalek.actions import measures
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from ui.callbacks import act
from ui.forms import field_error, form_errors

state = st.session_state


def _add(incident_id: int) -> None:
    p = f"ms{incident_id}_"
    data = MeasureInput(
        kind=state.get(p + "kind") and MeasureKind(state[p + "kind"]),
        description=state.get(p + "description", ""),
        owner=state.get(p + "owner", ""),
        due_on=state.get(p + "due"),
    )
    if act(
        p + "errors", "De maatregel is toegevoegd.", lambda db, who: measures.add(db, who, incident_id, data)
    ):
        for field in ("kind", "description", "owner", "due"):  # ready for the next one
            state.pop(p + field, None)


def _status(incident_id: int, measure_id: int) -> None:
    chosen = MeasureStatus(state[f"ms{incident_id}_{measure_id}_status"])
    act(
        f"ms{incident_id}_errors",
        "De status van de maatregel is bijgewerkt.",
        lambda db, who: measures.set_status(db, who, measure_id, chosen),
    )


def render(incident_id: int, found: list[measures.Measure]) -> None:
    """``found``: the incident's measures, as the page loaded them (checked there)."""
    p = f"ms{incident_id}_"
    errors = state.get(p + "errors")
    today = clock.today()
    if not found:
        st.caption("Nog geen maatregelen.")
    for m in found:
        if m.done_on:
            when = f"uitgevoerd op {m.done_on:%d-%m-%Y}"
        else:
            when = f"uiterlijk klaar op {m.due_on:%d-%m-%Y}" + (" — TE LAAT" if m.overdue(today) else "")
        st.markdown(f"**{m.kind.label}**: {m.status.label}, {when}")
        st.text(f"{m.description}\nUitvoerder: {m.owner}")
        cols = st.columns([3, 1])
        cols[0].selectbox(
            "Nieuwe status",
            [s.value for s in MeasureStatus],
            key=f"{p}{m.id}_status",
            index=list(MeasureStatus).index(m.status),
            format_func=lambda v: MeasureStatus(v).label,
        )
        cols[1].button("Status opslaan", key=f"{p}{m.id}_save", on_click=_status, args=(incident_id, m.id))
    form_errors(errors)
    with st.form(p + "form", enter_to_submit=False, clear_on_submit=False):
        st.markdown("**Maatregel toevoegen**")
        st.radio(
            "Soort maatregel",
            [k.value for k in MeasureKind],
            index=None,
            key=p + "kind",
            format_func=lambda v: MeasureKind(v).label,
            horizontal=True,
        )
        field_error(errors, "kind")
        st.text_area("Wat wordt er gedaan?", key=p + "description", max_chars=measures.MAX_DESCRIPTION)
        field_error(errors, "description")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Wie voert het uit? (functie of afdeling)", key=p + "owner", max_chars=measures.MAX_OWNER
            )
            field_error(errors, "owner")
        with right:
            st.date_input("Klaar op", value=None, key=p + "due", format="DD-MM-YYYY")
            field_error(errors, "due_on")
        st.form_submit_button("Maatregel toevoegen", on_click=_add, args=(incident_id,))
