"""Informing by groups with counts, for a large incident ("412 ouders, 390 kinderen 12-15"):
per kind of reader (``Addressee.options()``) the safety check, the letter for the whole group
(DOCX, mail-merge DOCX and text, ``ui.letter_view``), "Verstuurd vastleggen" with the number
of people, and recording who were informed without a letter made here."""

from __future__ import annotations

import streamlit as st

from datalek import clock
from datalek.actions import addressees, informing, recipients
from datalek.actions.addressees import Addressee, Relation
from datalek.models import Incident
from ui import letter_view
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state


def _checking(incident_id: int, recipient: Addressee) -> OnceForm:
    return OnceForm(f"inf{incident_id}_{recipient.value}_safety_")


def _noting(incident_id: int, recipient: Addressee) -> OnceForm:
    return OnceForm(f"inf{incident_id}_{recipient.value}_notice_")


def _channel(value: str | None) -> informing.Channel | None:
    return informing.Channel(value) if value else None


def _safety(incident_id: int, recipient: Addressee, key: str) -> None:
    form = _checking(incident_id, recipient)
    answer = form.get(key, "risk")
    risk = None if answer is None else answer == "yes"
    act(
        form.prefix + "errors",
        "De veiligheidscheck is vastgelegd.",
        lambda db, who: informing.record_safety_check(
            db, who, incident_id, recipient, risk, form.get(key, "reason", ""), form.get(key, "review")
        ),
        once=(form, key),
    )


def _make(incident_id: int, reference: str, recipient: str) -> None:
    reader = Addressee(recipient)
    name = f"brief-{reference}-{letter_view.FILE_NAMES[reader]}"
    letter_view.make(incident_id, reader, f"inf{incident_id}_{reader.value}_", name)


def _notice(incident_id: int, recipient: Addressee, key: str) -> None:
    form = _noting(incident_id, recipient)
    act(
        form.prefix + "errors",
        "Vastgelegd wie er zijn geïnformeerd.",
        lambda db, who: informing.record_notice(
            db,
            who,
            incident_id,
            recipient,
            form.get(key, "count"),
            form.get(key, "on"),
            _channel(form.get(key, "channel")),
        ),
        once=(form, key),
    )


def _group_readers(age: int, competent: bool) -> set[Addressee]:
    """The groups whose letters a person of ``age`` needs, by the rules of ``recipients``."""
    if age >= addressees.ADULT_AGE:
        return {Addressee.PERSON}
    child = recipients.Member(0, Relation.CHILD, age_band=recipients.band_of(age), competent=competent)
    rule = recipients.child_rule(child, clock.today())
    return {r for r in (rule.reader, Addressee.PARENTS if rule.parents else None) if r is not None}


def _who(incident_id: int) -> set[Addressee]:
    p = f"inf{incident_id}_"
    st.markdown("**Wie krijgt het bericht?**")
    left, right = st.columns(2)
    age = left.number_input(
        "Leeftijd van de betrokkene",
        min_value=0,
        max_value=130,
        value=None,
        step=1,
        key=p + "age",
        placeholder="Bijvoorbeeld 11",
    )
    not_competent = right.checkbox(
        "Minderjarig en niet in staat dit zelf te beoordelen (wilsonbekwaam)", key=p + "not_competent"
    )
    if age is None:
        return set()
    st.info(addressees.propose(int(age), competent=not not_competent).explanation)
    return _group_readers(int(age), not not_competent)


def _safety_form(incident: Incident, recipient: Addressee) -> None:
    form = _checking(incident.id, recipient)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.radio(
            informing.SAFETY_QUESTION,
            ["no", "yes"],
            index=None,
            key=form.field("risk"),
            horizontal=True,
            format_func={"no": "Nee", "yes": "Ja, informeren is nu niet veilig"}.get,
        )
        field_error(errors, "risk")
        st.text_area(
            "Als ja: waarom niet, en wat is nodig om wel te informeren?",
            key=form.field("reason"),
            max_chars=informing.MAX_TEXT,
        )
        field_error(errors, "reason")
        st.date_input(
            "Als ja: opnieuw bekijken op", value=None, key=form.field("review"), format="DD-MM-YYYY"
        )
        field_error(errors, "review_on")
        st.form_submit_button(
            "Veiligheidscheck vastleggen", on_click=_safety, args=(incident.id, recipient, form.key)
        )
    form.outcome()


def _notice_form(incident: Incident, recipient: Addressee) -> None:
    form = _noting(incident.id, recipient)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Vastleggen wie er zijn geïnformeerd**")
        st.caption("Voor een brief die niet hier is gemaakt, of een bericht per telefoon of in een gesprek.")
        field_error(errors, "recipient")
        cols = st.columns(3)
        with cols[0]:
            st.number_input("Aantal ontvangers", min_value=0, value=None, step=1, key=form.field("count"))
            field_error(errors, "people_count")
        with cols[1]:
            st.date_input("Geïnformeerd op", value=None, key=form.field("on"), format="DD-MM-YYYY")
            field_error(errors, "informed_on")
        with cols[2]:
            st.selectbox(
                "Hoe",
                [c.value for c in informing.Channel],
                index=None,
                key=form.field("channel"),
                format_func=lambda v: informing.Channel(v).label,
                filter_mode=None,
                placeholder="Kies",
            )
            field_error(errors, "channel")
        st.form_submit_button(
            "Informeren vastleggen", on_click=_notice, args=(incident.id, recipient, form.key)
        )
    form.outcome()


def _group(incident: Incident, recipient: Addressee, overview: informing.Overview, count: int) -> None:
    p = f"inf{incident.id}_{recipient.value}_"
    check = overview.checks.get(recipient)
    allowed, why = overview.allowed(recipient)
    if count:
        st.caption(f"Vastgelegd als geïnformeerd in deze groep: {count} mensen.")
    if check is None:
        st.caption("De veiligheidsvraag is nog niet beantwoord.")
    elif check.risk:
        st.warning(why)
        st.text(f"Reden van uitstel: {check.reason}")
    else:
        st.success(f"Veilig om te informeren (vastgelegd op {clock.format_local(check.recorded_at)}).")
    _safety_form(incident, recipient)
    if not allowed:
        return
    st.button(
        "Maak de brief",
        key=p + "make",
        on_click=_make,
        args=(incident.id, incident.reference, recipient.value),
    )
    letter_view.refused(p)
    if (letter_id := letter_view.made_letter(p)) is not None:
        letter_view.sent_form(p, letter_id, group=True)
    _notice_form(incident, recipient)


def render(incident: Incident, overview: informing.Overview) -> None:
    """A section per kind of reader, with how many of them were informed."""
    st.caption(
        "Voor een groot incident: een brief per groep lezers, met het aantal mensen. "
        "Het bestand voor samenvoegen vult de organisatie met Word uit het eigen systeem."
    )
    suggested = _who(incident.id)
    counts = {
        r: sum(n.people_count for n in overview.notices if n.recipient is r and n.member_id is None)
        for r in Addressee
    }
    for recipient in Addressee.options():
        with st.expander(
            recipient.label,
            expanded=recipient in suggested,
            key=f"inf{incident.id}_{recipient.value}_open",
            on_change="rerun",
        ):
            _group(incident, recipient, overview, counts[recipient])
