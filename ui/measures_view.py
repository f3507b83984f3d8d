"""Maatregelen: corrective and preventive measures of one incident, with owner, due date
and status; adding one, moving its status (with the real date a measure was done), and
correcting or withdrawing one entered by mistake (with a reason; the old values stay, a
withdrawn measure stays visible, struck through)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock
from datalek.actions import measures
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm, withdraw_form

state = st.session_state


def _adding(incident_id: int) -> OnceForm:
    return OnceForm(f"ms{incident_id}_add_")


def _add(incident_id: int, key: str) -> None:
    form = _adding(incident_id)
    data = MeasureInput(
        kind=form.get(key, "kind") and MeasureKind(form.get(key, "kind")),
        description=form.get(key, "description", ""),
        owner=form.get(key, "owner", ""),
        due_on=form.get(key, "due"),
    )
    act(
        f"ms{incident_id}_errors",
        "De maatregel is toegevoegd.",
        lambda db, who: measures.add(db, who, incident_id, data),
        once=(form, key),
    )


def _fixing(incident_id: int, measure_id: int) -> OnceForm:
    return OnceForm(f"ms{incident_id}_{measure_id}_fix_")


def _dropping(incident_id: int, measure_id: int) -> OnceForm:
    return OnceForm(f"ms{incident_id}_{measure_id}_drop_")


def _fix(incident_id: int, measure_id: int, key: str) -> None:
    form = _fixing(incident_id, measure_id)
    data = MeasureInput(
        kind=form.get(key, "kind") and MeasureKind(form.get(key, "kind")),
        description=form.get(key, "description", ""),
        owner=form.get(key, "owner", ""),
        due_on=form.get(key, "due"),
    )
    act(
        form.prefix + "errors",
        "De correctie is opgeslagen. De oude gegevens blijven bewaard.",
        lambda db, who: measures.correct(db, who, measure_id, data, form.get(key, "reason", "")),
        once=(form, key),
    )


def _drop(incident_id: int, measure_id: int, key: str) -> None:
    form = _dropping(incident_id, measure_id)
    act(
        form.prefix + "errors",
        "De maatregel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar.",
        lambda db, who: measures.withdraw(db, who, measure_id, form.get(key, "reason", "")),
        once=(form, key),
    )


def _status(incident_id: int, measure_id: int) -> None:
    p = f"ms{incident_id}_{measure_id}_"
    chosen = MeasureStatus(state[p + "status"])
    done_on = state.get(p + "done_on") if chosen is MeasureStatus.DONE else None
    act(
        p + "errors",
        "De status van de maatregel is bijgewerkt.",
        lambda db, who: measures.set_status(db, who, measure_id, chosen, done_on),
    )


#: How an old value of a corrected measure reads ("gecorrigeerd, eerst: ...").
_WAS = {
    "kind": lambda v: MeasureKind(v).label,
    "description": lambda v: v,
    "owner": lambda v: f"uitvoerder {v}",
    "due_on": lambda v: f"klaar op {date.fromisoformat(v):%d-%m-%Y}",
}


def _corrections(m: measures.Measure) -> None:
    """The old values and the reasons, as plain text (they were typed by someone)."""
    first: dict[str, str] = {}
    for fix in m.corrections:  # oldest first: the first old value is what was recorded
        if fix.field in _WAS and fix.field not in first:
            first[fix.field] = _WAS[fix.field](fix.old_value)
    if first:
        st.text(f"Gecorrigeerd, eerst: {'; '.join(first.values())}")
    for fix in m.corrections:
        if fix.field in _WAS:
            st.caption(
                f"Gecorrigeerd op {clock.format_local(fix.changed_at)}. Reden: {md_escape(fix.reason)}"
            )


def _withdrawn(m: measures.Measure) -> None:
    st.markdown(
        f"~~**{m.kind.label}**: {m.status.label}, uiterlijk klaar op {m.due_on:%d-%m-%Y}~~ **Ingetrokken**"
    )
    st.text(f"{m.description}\nUitvoerder: {m.owner}")
    st.caption(
        f"Ingetrokken op {clock.format_local(m.withdrawn_at)}; telt niet mee. Reden: {md_escape(m.withdrawn_reason)}"
    )
    _corrections(m)


def render(incident_id: int, found: list[measures.Measure]) -> None:
    """``found``: the incident's measures, as the page loaded them (checked there); the
    withdrawn ones included, shown struck through."""
    p = f"ms{incident_id}_"
    errors = state.get(p + "errors")
    today = clock.today()
    form_errors(errors)
    form = _adding(incident_id)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Maatregel toevoegen**")
        st.radio(
            "Soort maatregel",
            [k.value for k in MeasureKind],
            index=None,
            key=form.field("kind"),
            format_func=lambda v: MeasureKind(v).label,
            horizontal=True,
        )
        field_error(errors, "kind")
        st.text_area(
            "Wat wordt er gedaan?", key=form.field("description"), max_chars=measures.MAX_DESCRIPTION
        )
        field_error(errors, "description")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Wie voert het uit? (functie of afdeling)",
                key=form.field("owner"),
                max_chars=measures.MAX_OWNER,
            )
            field_error(errors, "owner")
        with right:
            st.date_input("Klaar op", value=None, key=form.field("due"), format="DD-MM-YYYY")
            field_error(errors, "due_on")
        st.form_submit_button("Maatregel toevoegen", on_click=_add, args=(incident_id, form.key))
    form.outcome()
    # Below the form: a measure added appears here, so the form (and its message) stays put.
    if not found:
        st.caption("Nog geen maatregelen.")
    for m in found:
        if m.withdrawn:
            _withdrawn(m)
            _dropping(incident_id, m.id).outcome()  # the withdrawal just made, if it was
            continue
        if m.done_on:
            when = f"uitgevoerd op {m.done_on:%d-%m-%Y}"
        else:
            when = f"uiterlijk klaar op {m.due_on:%d-%m-%Y}" + (" — TE LAAT" if m.overdue(today) else "")
        st.markdown(f"**{m.kind.label}**: {m.status.label}, {when}")
        st.text(f"{m.description}\nUitvoerder: {m.owner}")
        _corrections(m)
        _status_row(incident_id, m, today)
        with st.expander(
            "Corrigeren of intrekken", key=f"{p}{m.id}_open", on_change="rerun", icon=":material/edit:"
        ):
            _fix_form(incident_id, m)
            _drop_form(incident_id, m)


def _status_row(incident_id: int, m: measures.Measure, today: date) -> None:
    """The new status and, for 'uitgevoerd', the day it was done (today unless changed)."""
    p = f"ms{incident_id}_{m.id}_"
    errors = state.get(p + "errors")
    cols = st.columns([3, 2, 1], vertical_alignment="bottom")
    cols[0].selectbox(
        "Nieuwe status",
        [s.value for s in MeasureStatus],
        key=p + "status",
        index=list(MeasureStatus).index(m.status),
        format_func=lambda v: MeasureStatus(v).label,
        filter_mode=None,
        placeholder="Kies een status",
    )
    with cols[1]:
        st.date_input(
            "Uitgevoerd op (bij Uitgevoerd)",
            value=m.done_on or today,
            max_value=today,
            key=p + "done_on",
            format="DD-MM-YYYY",
        )
        field_error(errors, "done_on")
    cols[2].button("Status opslaan", key=p + "save", on_click=_status, args=(incident_id, m.id))
    field_error(errors, "status")


def _fix_form(incident_id: int, m: measures.Measure) -> None:
    form = _fixing(incident_id, m.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    kinds = [k.value for k in MeasureKind]
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Corrigeren** (de oude gegevens blijven bewaard)")
        field_error(errors, "form")
        st.radio(
            "Soort maatregel",
            kinds,
            index=kinds.index(m.kind.value),
            key=form.field("kind"),
            format_func=lambda v: MeasureKind(v).label,
            horizontal=True,
        )
        field_error(errors, "kind")
        st.text_area(
            "Wat wordt er gedaan?",
            value=m.description,
            key=form.field("description"),
            max_chars=measures.MAX_DESCRIPTION,
        )
        field_error(errors, "description")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Wie voert het uit? (functie of afdeling)",
                value=m.owner,
                key=form.field("owner"),
                max_chars=measures.MAX_OWNER,
            )
            field_error(errors, "owner")
        with right:
            st.date_input("Klaar op", value=m.due_on, key=form.field("due"), format="DD-MM-YYYY")
            field_error(errors, "due_on")
        st.text_area("Waarom corrigeer je dit?", key=form.field("reason"), max_chars=measures.MAX_REASON)
        field_error(errors, "reason")
        st.form_submit_button("Correctie opslaan", on_click=_fix, args=(incident_id, m.id, form.key))
    form.outcome()


def _drop_form(incident_id: int, m: measures.Measure) -> None:
    withdraw_form(_dropping(incident_id, m.id), measures.MAX_REASON, _drop, (incident_id, m.id))
