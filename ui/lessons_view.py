"""Afronden: closing a decided incident asks what the organisation learned — a theme, the
lesson in the FG's words, and the preventive measure that follows (one of the incident's, a
new one added right here, or why none). A closed incident shows its lesson, as typed."""

from __future__ import annotations

import streamlit as st

from datalek import store
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import measures
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from datalek.handling import lessons, lifecycle
from datalek.handling.lessons import LessonInput, LessonTheme, Prevention
from datalek.models import InvalidInput
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state
CLOSED = "Afgerond. Wat de organisatie leert, is vastgelegd."
#: The FG's three answers to "which preventive measure follows?"
CHOICES = {
    "measure": "Een preventieve maatregel die al bij dit incident staat",
    "new": "Een nieuwe preventieve maatregel",
    "none": "Geen preventieve maatregel",
}


def _form(incident_id: int) -> OnceForm:
    return OnceForm(f"close_{incident_id}_")


def _preventive(found: list[measures.Measure]) -> list[measures.Measure]:
    return [
        m
        for m in found
        if m.kind is MeasureKind.PREVENTIVE and not m.withdrawn and m.status is not MeasureStatus.CANCELLED
    ]


def _option(m: measures.Measure) -> str:
    text = " ".join(m.description.split())
    return f"{text[:80]}{'…' if len(text) > 80 else ''} (klaar op {m.due_on:%d-%m-%Y})"


def close_form(incident_id: int, found: list[measures.Measure]) -> None:
    """The lesson and the "Afronden" button; ``found``: the incident's measures."""
    form = _form(incident_id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    field_error(errors, "status")
    preventive = {m.id: m for m in _preventive(found)}
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Wat leert de organisatie hiervan?**")
        st.caption(
            "Dit is nodig om af te ronden. Het bestuur leest deze tekst nooit. Het ziet alleen hoeveel "
            "lessen er per thema zijn, en jouw eigen samenvatting per thema in de verantwoording."
        )
        st.selectbox(
            "Thema",
            [t.value for t in LessonTheme],
            index=None,  # the FG chooses: no theme is taken for her
            key=form.field("theme"),
            format_func=lambda v: LessonTheme(v).label,
            filter_mode=None,
            placeholder="Kies een thema",
        )
        field_error(errors, "theme")
        st.text_area(
            "Wat leert de organisatie hiervan?", key=form.field("learned"), max_chars=lessons.MAX_LEARNED
        )
        field_error(errors, "learned")
        st.radio(
            "Welke preventieve maatregel volgt hieruit?",
            list(CHOICES),
            index=None,
            key=form.field("prevention"),
            format_func=CHOICES.get,
        )
        field_error(errors, "prevention")
        if preventive:
            st.selectbox(
                "Preventieve maatregel van dit incident",
                list(preventive),
                index=None,
                key=form.field("measure"),
                format_func=lambda i: _option(preventive[i]),
                filter_mode=None,
                placeholder="Kies een maatregel",
            )
        else:
            st.caption("Bij dit incident staat nog geen preventieve maatregel.")
        field_error(errors, "measure_id")
        st.text_area(
            "Nieuwe maatregel: wat wordt er gedaan?",
            key=form.field("new_description"),
            max_chars=measures.MAX_DESCRIPTION,
        )
        field_error(errors, "new_description")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Nieuwe maatregel: wie voert het uit?",
                key=form.field("new_owner"),
                max_chars=measures.MAX_OWNER,
            )
            field_error(errors, "new_owner")
        with right:
            st.date_input(
                "Nieuwe maatregel: klaar op", value=None, key=form.field("new_due"), format="DD-MM-YYYY"
            )
            field_error(errors, "new_due_on")
        st.text_area(
            "Geen preventieve maatregel: waarom niet?", key=form.field("reason"), max_chars=lessons.MAX_REASON
        )
        field_error(errors, "no_measure_reason")
        st.form_submit_button("Afronden", type="primary", on_click=_close, args=(incident_id, form.key))
    form.outcome()


def _close(incident_id: int, key: str) -> None:
    """Record the lesson and close, once. A new measure is added first (audited as any
    measure), once the lesson itself is complete; then the incident closes with it."""
    form = _form(incident_id)
    if form.already(key):
        return
    choice, theme = form.get(key, "prevention"), form.get(key, "theme")
    lesson = LessonInput(
        theme=theme and LessonTheme(theme),
        learned=form.get(key, "learned", "") or "",
        prevention=None if choice is None else Prevention.NONE if choice == "none" else Prevention.MEASURE,
        measure_id=form.get(key, "measure") if choice == "measure" else None,
        no_measure_reason=(form.get(key, "reason", "") or "") if choice == "none" else "",
    )
    new = MeasureInput(
        kind=MeasureKind.PREVENTIVE,
        description=form.get(key, "new_description", "") or "",
        owner=form.get(key, "new_owner", "") or "",
        due_on=form.get(key, "new_due"),
    )

    def run(db, who) -> None:
        final = lesson
        if choice == "new":
            if found := lessons.errors(lesson, measure_pending=True):
                raise InvalidInput(found)
            try:
                made = measures.add(db, who, incident_id, new)
            except InvalidInput as exc:
                raise InvalidInput({f"new_{k}": v for k, v in exc.errors.items()}) from None
            final = lesson.model_copy(update={"measure_id": made.id})
        lifecycle.close(db, who, incident_id, final)

    if act(form.prefix + "errors", CLOSED, run, once=(form, key)):
        state["q_flash"] = CLOSED  # at the top: a closed incident leaves the list of open ones


def shown(actor, incident_id: int, found: list[measures.Measure]) -> None:
    """The lesson of the last closing (none for an incident closed before lessons were asked)."""
    try:
        with store.unit() as db:
            lesson = lessons.latest(db, actor, incident_id)
    except PermissionDenied:
        return
    if lesson is None:
        return
    st.markdown(f"**Wat de organisatie leert** — thema: {lesson.theme.label}")
    st.text(lesson.learned)
    if lesson.prevention is Prevention.NONE:
        st.markdown("**Geen preventieve maatregel.** Waarom niet:")
        st.text(lesson.no_measure_reason)
    elif (measure := next((m for m in found if m.id == lesson.measure_id), None)) is not None:
        st.markdown("**Preventieve maatregel die volgt:**")
        st.text(f"{measure.description}\nUitvoerder: {measure.owner}")
