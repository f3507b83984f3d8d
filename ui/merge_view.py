"""Samenvoegen en koppelen on the FG's incident page (issue #16): the reports merged under this
incident with their own report text, the main incident this one is merged into with the undo
form, the forms to merge from either side, and the links ("hangt samen met") with their notes.
Everything people typed is shown as plain text; every form records once (``ui/once.py``)."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.handling import incident_links, merges
from datalek.models import Incident, Status
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm

state = st.session_state


def render(actor, incident: Incident) -> None:
    with store.unit() as db:
        merged = merges.merged_reports(db, actor, incident.id)
        into = merges.merged_into(db, actor, incident.id)
        links = incident_links.links(db, actor, incident.id)
    st.subheader("Samenvoegen en koppelen", anchor=False)
    if into is not None:
        st.info(
            f"Deze melding is samengevoegd met {into.main_reference} op "
            f"{clock.format_local(into.merged_at)}. Ze telt mee onder die melding, niet apart.",
            icon=":material/call_merge:",
        )
        st.text(f"Reden: {into.reason}")
        _undo_form(incident.id)
    _merged(incident, merged)
    if into is None:
        if not merged:
            _merge_form(incident.id, towards_main=True)
        _merge_form(incident.id, towards_main=False)
    _links(incident.id, links)


def _merged(incident: Incident, merged: list[merges.MergedReport]) -> None:
    st.markdown("**Samengevoegde meldingen**")
    if not merged:
        st.caption("Er zijn geen meldingen met deze melding samengevoegd.")
        return
    earlier = merges.earlier_awareness(incident.aware_at, merged)
    if earlier is not None:
        st.warning(
            f"Melding {earlier.reference} laat zien dat de organisatie het eerder wist: op "
            f"{clock.format_local(earlier.aware_at)} (nu vastgelegd: {clock.format_local(incident.aware_at)}). "
            "Pas het moment van weten aan met een reden als dat klopt. De 72 uur tellen dan vanaf "
            "dat eerdere moment.",
            icon=":material/schedule:",
        )
    for m in merged:
        with st.container(border=True):
            st.markdown(f"**{md_escape(m.reference)}**")
            st.text(
                f"Melder: {m.reporter or 'onbekend'}\n"
                f"Gemeld: {clock.format_local(m.reported_at)}\n"
                f"Organisatie wist het: {clock.format_local(m.aware_at)}\n"
                f"Samengevoegd op {clock.format_local(m.merged_at)} door {m.merged_by or 'onbekend'}"
            )
            st.markdown("Beschrijving van de melder")
            st.text(m.description)
            st.markdown("Wat de melder al deed")
            st.text(m.actions_taken or "niets ingevuld")
            st.text(f"Reden van samenvoegen: {m.reason}")


def _merge_form_of(incident_id: int, towards_main: bool) -> OnceForm:
    return OnceForm(f"merge_{'main' if towards_main else 'dup'}_{incident_id}_")


def _merge_form(incident_id: int, towards_main: bool) -> None:
    form = _merge_form_of(incident_id, towards_main)
    errors = state.get(form.prefix + "errors")
    field = "main" if towards_main else "reference"
    title = (
        "Deze melding is een dubbele melding van een andere melding"
        if towards_main
        else "Een dubbele melding hierin samenvoegen"
    )
    with st.expander(title, expanded=bool(errors)):
        form_errors(errors)
        with st.form(form.field("form"), enter_to_submit=False):
            st.text_input(
                "Kenmerk van de eerste melding (hoofdmelding)"
                if towards_main
                else "Kenmerk van de dubbele melding",
                key=form.field("reference"),
                max_chars=20,
                placeholder="DL-2026-0001",
            )
            field_error(errors, field)
            st.text_area(
                "Waarom is dit een dubbele melding?" if towards_main else "Waarom is die melding dubbel?",
                key=form.field("reason"),
                max_chars=merges.MAX_REASON,
            )
            field_error(errors, "reason")
            st.form_submit_button(
                "Samenvoegen met deze hoofdmelding" if towards_main else "Samenvoegen in deze melding",
                on_click=_merge,
                args=(incident_id, towards_main, form.key),
            )
    form.outcome()  # outside the expander: seen after a save, when the expander is closed


def _undo_form(incident_id: int) -> None:
    form = OnceForm(f"unmerge_{incident_id}_")
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area(
            "Waarom maak je het samenvoegen ongedaan?", key=form.field("reason"), max_chars=merges.MAX_REASON
        )
        field_error(errors, "reason")
        st.form_submit_button("Samenvoegen ongedaan maken", on_click=_undo, args=(incident_id, form.key))
    form.outcome()


def _links(incident_id: int, links: list[incident_links.Link]) -> None:
    st.markdown("**Hangt samen met**")
    if not links:
        st.caption("Deze melding is niet aan een andere melding gekoppeld.")
    for link in links:
        with st.container(border=True):
            st.text(
                f"{link.other_reference} ({link.other_status.label})\n"
                f"Toelichting: {link.note}\n"
                f"Gekoppeld op {clock.format_local(link.linked_at)} door {link.linked_by or 'onbekend'}"
            )
            form = OnceForm(f"unlink_{incident_id}_{link.id}_")
            errors = state.get(form.prefix + "errors")
            with st.form(form.field("form"), enter_to_submit=False):
                st.text_input(
                    "Waarom verwijder je de koppeling?",
                    key=form.field("reason"),
                    max_chars=incident_links.MAX_NOTE,
                )
                field_error(errors, "reason")
                st.form_submit_button(
                    "Koppeling verwijderen", on_click=_unlink, args=(incident_id, link.id, form.key)
                )
    form = OnceForm(f"link_{incident_id}_")
    errors = state.get(form.prefix + "errors")
    with st.expander("Koppelen aan een andere melding", expanded=bool(errors)):
        st.caption(
            "Voor meldingen die samenhangen maar niet hetzelfde voorval zijn. Dubbele meldingen voeg je samen."
        )
        form_errors(errors)
        with st.form(form.field("form"), enter_to_submit=False):
            st.text_input(
                "Kenmerk van de andere melding",
                key=form.field("reference"),
                max_chars=20,
                placeholder="DL-2026-0001",
            )
            field_error(errors, "reference")
            st.text_area(
                "Hoe hangen de meldingen samen?", key=form.field("note"), max_chars=incident_links.MAX_NOTE
            )
            field_error(errors, "note")
            st.form_submit_button("Koppelen", on_click=_link, args=(incident_id, form.key))
    form.outcome()


# --- button callbacks (they run before app.py on the next run) ----------------------------------


def _merge(incident_id: int, towards_main: bool, key: str) -> None:
    form = _merge_form_of(incident_id, towards_main)
    if form.already(key):
        return
    reference = (form.get(key, "reference", "") or "").strip()
    reason = form.get(key, "reason", "") or ""

    def call(db, who):
        if towards_main:
            return merges.merge(db, who, incident_id, reference, reason)
        return merges.merge_into(db, who, incident_id, reference, reason)

    message = (
        f"Samengevoegd met {reference.upper()}."
        if towards_main
        else f"{reference.upper()} is hierin samengevoegd."
    )
    if act(form.prefix + "errors", message, call, once=(form, key)) and towards_main:
        state["q_flash"] = message  # the form is gone once merged: say it at the top


def _undo(incident_id: int, key: str) -> None:
    form = OnceForm(f"unmerge_{incident_id}_")
    if form.already(key):
        return
    reason = form.get(key, "reason", "") or ""
    message = f"Samenvoegen ongedaan gemaakt. De melding staat weer op '{Status.IN_PROGRESS.label}'."
    if act(
        form.prefix + "errors",
        message,
        lambda db, who: merges.undo(db, who, incident_id, reason),
        once=(form, key),
    ):
        state["q_flash"] = message  # the undo form is gone now: say it at the top


def _link(incident_id: int, key: str) -> None:
    form = OnceForm(f"link_{incident_id}_")
    if form.already(key):
        return
    reference = form.get(key, "reference", "") or ""
    note = form.get(key, "note", "") or ""
    act(
        form.prefix + "errors",
        "De meldingen zijn aan elkaar gekoppeld.",
        lambda db, who: incident_links.link(db, who, incident_id, reference, note),
        once=(form, key),
    )


def _unlink(incident_id: int, link_id: int, key: str) -> None:
    form = OnceForm(f"unlink_{incident_id}_{link_id}_")
    if form.already(key):
        return
    reason = form.get(key, "reason", "") or ""
    message = "De koppeling is verwijderd."
    call = lambda db, who: incident_links.unlink(db, who, incident_id, link_id, reason)  # noqa: E731
    if act(form.prefix + "errors", message, call, once=(form, key)):
        state["q_flash"] = message  # the link and its form are gone now: say it at the top
