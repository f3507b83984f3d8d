"""Betrokkenen informeren (issue #15): the letter's shared parts, then two ways to inform, both
usable for one incident: per person and per family (``ui.household_view``), or by groups with
counts for a large incident (``ui.informing_groups``); the public notice (art. 34(3)(c) AVG),
and below it all, the letters made, to download again (``ui.made_letters_view``), and what was
recorded as informed (``ui.notice_history``)."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.accounts.organisations import list_organisations
from datalek.actions import documents, households, informing, letters, sending
from datalek.actions.addressees import Addressee
from datalek.handling.decisions import Decision, Inform
from datalek.models import Actor, Incident
from ui import household_view, informing_groups, letter_view, made_letters_view, notice_history
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.letter_view import FILE_NAMES  # noqa: F401 - every kind of reader's file name, for callers
from ui.once import OnceForm

state = st.session_state
PER_PERSON = "Per persoon en gezin"
BY_GROUP = "Groepen met aantallen (grote incidenten)"


def _publishing(incident_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_public_notice_")


def _public(incident_id: int, key: str) -> None:
    form = _publishing(incident_id)
    act(
        form.prefix + "errors",
        "De openbare mededeling is vastgelegd.",
        lambda db, who: informing.record_public_notice(
            db, who, incident_id, form.get(key, "text", ""), form.get(key, "on"), form.get(key, "where", "")
        ),
        once=(form, key),
    )


def _public_form(incident_id: int, overview: informing.Overview, proposal: str) -> None:
    form = _publishing(incident_id)
    errors = state.get(form.prefix + "errors")
    if form.field("text") not in state:  # the proposal, until a notice is published
        state[form.field("text")] = "" if overview.public else proposal
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area("Tekst voor de website", key=form.field("text"), max_chars=informing.MAX_TEXT)
        field_error(errors, "text")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Waar gepubliceerd? (bijvoorbeeld het adres van de webpagina)",
                key=form.field("where"),
                max_chars=informing.MAX_WHERE,
            )
            field_error(errors, "published_where")
        with right:
            st.date_input("Gepubliceerd op", value=None, key=form.field("on"), format="DD-MM-YYYY")
            field_error(errors, "published_on")
        st.form_submit_button("Mededeling vastleggen", on_click=_public, args=(incident_id, form.key))
    form.outcome()
    for notice in overview.public:  # below the form, so that the form stays in its place
        where = f", {notice.published_where}" if notice.published_where else ""
        st.text(f"Gepubliceerd op {notice.published_on:%d-%m-%Y}{where}: {notice.text}")


def render(actor: Actor, incident: Incident, decision: Decision | None) -> None:
    if decision is None or not decision.breach:
        st.info("Er is (nog) geen besluit dat dit een datalek is.")
        return
    with store.unit() as db:
        overview = informing.overview(db, actor, incident.id)
        listed = households.informing_list(db, actor, incident.id)
        statuses = sending.member_status(db, actor, incident.id, clock.today())
        made = {m.id: m for m in sending.letters_made(db, actor, incident.id)}
        prefill = {r: documents.letter_prefill(db, actor, incident.id, r) for r in Addressee.options()}
        organisation = next(o for o in list_organisations(db, actor) if o.id == incident.org_id)
    if decision.inform is Inform.NO and not overview.informed and not listed.households:
        st.info("Volgens het besluit worden de betrokkenen niet geïnformeerd.")
        notice_history.render(incident.id, overview, made)
        return
    letter_view.parts(incident.id, prefill)
    st.subheader(PER_PERSON, anchor=False)
    household_view.render(incident, listed, statuses)
    st.subheader(BY_GROUP, anchor=False)
    informing_groups.render(incident, overview)
    with st.expander(
        "Openbare mededeling (als iedereen apart informeren te veel moeite kost)",
        key=f"inf{incident.id}_public_open",
        on_change="rerun",
    ):
        _public_form(
            incident.id,
            overview,
            letters.public_notice(letter_view.text(incident.id, Addressee.PERSON), organisation),
        )
    # Below the forms: what a form records is added here, so the form (and its message) stays
    # where it was on the screen.
    made_letters_view.render(incident.id, incident.reference, list(made.values()))
    notice_history.render(incident.id, overview, made)
