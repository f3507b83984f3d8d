"""Per person on the informing list: change the details, deviate from the proposal, or take
the person off the list, each with a reason; and every change shown with its old value, when
and why (``households`` keeps them all)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock
from datalek.actions import households
from datalek.actions.addressees import Addressee, AgeBand, ParentsWithheld, Relation
from datalek.actions.corrections import MAX_REASON
from datalek.actions.informing_list import MemberRecord
from datalek.actions.recipients import EXCLUDE, INCLUDE
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.member_forms import person_fields, values
from ui.once import OnceForm

state = st.session_state
_DEVIATIONS = {"": "Volg de regel", INCLUDE: "Geef deze persoon toch een brief", EXCLUDE: "Geen brief"}
#: How a changed field is named in the list of changes.
_FIELDS = {
    "file_ref": "Dossier- of cliëntnummer",
    "relation": "Relatie",
    "birth_date": "Geboortedatum",
    "age_band": "Leeftijd",
    "competent": "Wilsbekwaam",
    "consent_parents": "Toestemming voor de ouders",
    "parents_withheld": "Ouders niet informeren",
    "parents_withheld_reason": "Reden om de ouders niet te informeren",
    "deviation": "Afwijking van het voorstel",
    "deviation_reader": "Brief bij de afwijking",
    "deviation_reason": "Reden van de afwijking",
}


def _shown(field: str, value: str | None) -> str:
    """A stored value of a person, as the FG reads it."""
    if value in (None, ""):
        return "leeg"
    readers = {
        "relation": lambda v: Relation(v).label,
        "birth_date": lambda v: f"{date.fromisoformat(v):%d-%m-%Y}",
        "age_band": lambda v: AgeBand(v).label,
        "competent": lambda v: "ja" if v == "1" else "nee",
        "consent_parents": lambda v: "ja" if v == "1" else "nee",
        "parents_withheld": lambda v: ParentsWithheld(v).label,
        "deviation": lambda v: _DEVIATIONS[v],
        "deviation_reader": lambda v: Addressee(v).label,
    }
    return readers[field](value) if field in readers else value


def changes(member: MemberRecord) -> None:
    """Every change of the person, the old value kept, with when and why."""
    for c in member.changes:
        st.caption(
            md_escape(
                f"{_FIELDS.get(c.field, c.field)}: was {_shown(c.field, c.old_value)}, "
                f"werd {_shown(c.field, c.new_value)}. Gewijzigd op {clock.format_local(c.changed_at)}. "
                f"Reden: {c.reason}"
            )
        )


# --- per person: change, deviate, remove ---------------------------------------------------------


def _changing(incident_id: int, member_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_m{member_id}_change_")


def _deviating(incident_id: int, member_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_m{member_id}_deviate_")


def _removing(incident_id: int, member_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_m{member_id}_remove_")


def _change(incident_id: int, member_id: int, key: str) -> None:
    form = _changing(incident_id, member_id)
    act(
        form.prefix + "errors",
        "De wijziging is opgeslagen. De oude gegevens blijven bewaard.",
        lambda db, who: households.change_member(
            db, who, member_id, form.get(key, "reason", "") or "", **values(form, key)
        ),
        once=(form, key),
    )


def _deviate(incident_id: int, member_id: int, key: str) -> None:
    form = _deviating(incident_id, member_id)
    reader = form.get(key, "reader")
    act(
        form.prefix + "errors",
        "De afwijking is vastgelegd.",
        lambda db, who: households.set_deviation(
            db,
            who,
            member_id,
            form.get(key, "deviation") or "",
            Addressee(reader) if reader else None,
            form.get(key, "reason", "") or "",
        ),
        once=(form, key),
    )


def _remove(incident_id: int, member_id: int, key: str) -> None:
    form = _removing(incident_id, member_id)
    act(
        form.prefix + "errors",
        "De persoon is van de lijst gehaald. De gegevens blijven bewaard.",
        lambda db, who: households.remove_member(db, who, member_id, form.get(key, "reason", "") or ""),
        once=(form, key),
    )


def _reason(form: OnceForm, errors: dict | None, question: str) -> None:
    st.text_area(question, key=form.field("reason"), max_chars=MAX_REASON)
    field_error(errors, "reason")


def change_form(incident_id: int, member: MemberRecord, today: date) -> None:
    form = _changing(incident_id, member.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Wijzigen** (de oude gegevens blijven bewaard)")
        field_error(errors, "form")
        person_fields(form, errors, today, member)
        _reason(form, errors, "Waarom wijzig je dit?")
        st.form_submit_button("Wijziging opslaan", on_click=_change, args=(incident_id, member.id, form.key))
    form.outcome()


def deviate_form(incident_id: int, member: MemberRecord) -> None:
    form = _deviating(incident_id, member.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    readers = [r.value for r in Addressee.options()]
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Afwijken van het voorstel** (altijd met een reden)")
        st.radio(
            "Wat doe je?",
            list(_DEVIATIONS),
            index=list(_DEVIATIONS).index(member.deviation),
            key=form.field("deviation"),
            format_func=_DEVIATIONS.get,
        )
        field_error(errors, "deviation")
        st.selectbox(
            "Welke brief krijgt deze persoon? (alleen bij 'toch een brief')",
            readers,
            index=readers.index(member.deviation_reader.value) if member.deviation_reader else None,
            key=form.field("reader"),
            format_func=lambda v: Addressee(v).label,
            filter_mode=None,
            placeholder="Kies",
        )
        field_error(errors, "reader")
        _reason(form, errors, "Waarom wijk je af van de regel (of volg je hem weer)?")
        st.form_submit_button(
            "Afwijking vastleggen", on_click=_deviate, args=(incident_id, member.id, form.key)
        )
    form.outcome()


def remove_form(incident_id: int, member: MemberRecord) -> None:
    form = _removing(incident_id, member.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Van de lijst halen** (wat is vastgelegd, blijft bewaard)")
        field_error(errors, "form")
        _reason(form, errors, "Waarom gaat deze persoon van de lijst?")
        st.form_submit_button("Van de lijst halen", on_click=_remove, args=(incident_id, member.id, form.key))
    form.outcome()


def outcomes(incident_id: int, member_id: int) -> None:
    """What a form of a person just did, once the person is off the list (its forms are gone)."""
    _removing(incident_id, member_id).outcome()
