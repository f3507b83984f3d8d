"""One person on the informing list, as the FG keeps it: the fields of a person (adding one or
changing one) and how a person is named on the screen ("Persoon 12 · kind, 9 jaar · dossier
C-9001", as ``recipients.gaps`` names them). Changing, deviating and taking off the list:
``ui.member_changes``."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek.actions import households, recipients
from datalek.actions.addressees import AgeBand, ParentsWithheld, Relation
from datalek.actions.corrections import MAX_REASON
from datalek.actions.household_rules import EARLIEST_BIRTH
from datalek.actions.informing_list import MemberRecord
from ui.callbacks import act
from ui.forms import SHORT_LIST, field_error, form_errors
from ui.once import OnceForm

state = st.session_state
#: How a relation reads inside a person's name on the screen.
SHORT = {
    Relation.CHILD: "kind",
    Relation.PARENT_GEZAG: "ouder met gezag",
    Relation.PARENT_NO_GEZAG: "ouder zonder gezag",
    Relation.GUARDIAN: "voogd",
    Relation.ADULT_CLIENT: "volwassen cliënt",
    Relation.REPRESENTATIVE: "wettelijk vertegenwoordiger",
    Relation.EMPLOYEE: "medewerker",
    Relation.OTHER: "iemand anders",
}
#: A yes/no question that may stay unanswered: the widget's choice and the value it stands for.
ANSWER = {"": None, "yes": True, "no": False}
_COMPETENT = {"": "Niet beoordeeld", "yes": "Ja", "no": "Nee"}
_CONSENT = {"": "Niet gevraagd", "yes": "Ja", "no": "Nee"}


def age_text(member: MemberRecord, today: date) -> str:
    """The age on the date of informing: whole years from the date of birth, else the band."""
    if member.birth_date is not None:
        return f"{recipients.age_on(member.birth_date, today)} jaar"
    return member.age_band.label.lower() if member.age_band else ""


def label(member: MemberRecord, today: date) -> str:
    """How a person is named on the screen; starts as ``recipients.gaps`` names them."""
    age = age_text(member, today)
    parts = [f"Persoon {member.id}", SHORT[member.relation] + (f", {age}" if age else "")]
    if member.file_ref:
        parts.append(f"dossier {member.file_ref}")
    return " · ".join(parts)


# --- the fields of a person ------------------------------------------------------------------


def _answer(value: bool | None) -> str:
    return next(k for k, v in ANSWER.items() if v is value)


def person_fields(form: OnceForm, errors: dict | None, today: date, current: MemberRecord | None) -> None:
    """The fields of a person, inside a form; ``current``: the values to start from."""
    relations = [r.value for r in Relation]
    st.selectbox(
        "Relatie",
        relations,
        index=relations.index(current.relation.value) if current else None,
        key=form.field("relation"),
        format_func=lambda v: Relation(v).label,
        filter_mode=None if len(relations) <= SHORT_LIST else "contains",
        placeholder="Kies",
    )
    field_error(errors, "relation")
    st.text_input(
        "Dossier- of cliëntnummer (geen naam)",
        value=current.file_ref if current else "",
        key=form.field("file_ref"),
        max_chars=40,
    )
    field_error(errors, "file_ref")
    left, right = st.columns(2)
    with left:
        st.date_input(
            "Geboortedatum (alleen voor een kind)",
            value=current.birth_date if current else None,
            min_value=EARLIEST_BIRTH,
            max_value=today,
            key=form.field("birth_date"),
            format="DD-MM-YYYY",
        )
        field_error(errors, "birth_date")
    with right:
        bands = ["", *(b.value for b in AgeBand)]
        st.selectbox(
            "Of de leeftijd, als de geboortedatum onbekend is",
            bands,
            index=bands.index(current.age_band.value if current and current.age_band else ""),
            key=form.field("age_band"),
            format_func=lambda v: AgeBand(v).label if v else "Niet ingevuld",
            filter_mode=None,
            placeholder="Kies",
        )
        field_error(errors, "age_band")
    left, right = st.columns(2)
    with left:
        st.radio(
            "Wilsbekwaam? (jongere van 12 tot en met 17 jaar, of volwassen cliënt)",
            list(_COMPETENT),
            index=list(_COMPETENT).index(_answer(current.competent) if current else ""),
            key=form.field("competent"),
            format_func=_COMPETENT.get,
            horizontal=True,
        )
        field_error(errors, "competent")
    with right:
        st.radio(
            "Mogen de ouders een brief krijgen? (alleen een jongere van 16 of 17 jaar)",
            list(_CONSENT),
            index=list(_CONSENT).index(_answer(current.consent_parents) if current else ""),
            key=form.field("consent_parents"),
            format_func=_CONSENT.get,
            horizontal=True,
        )
        field_error(errors, "consent_parents")
    withheld = [w.value for w in ParentsWithheld]
    st.selectbox(
        "Ouders informeren? (alleen een jongere van 12 tot en met 15 jaar)",
        withheld,
        index=withheld.index(current.parents_withheld.value if current else ""),
        key=form.field("parents_withheld"),
        format_func=lambda v: ParentsWithheld(v).label,
        filter_mode=None,
        placeholder="Kies",
    )
    field_error(errors, "parents_withheld")
    st.text_area(
        "Als de ouders geen brief krijgen: waarom niet?",
        value=current.parents_withheld_reason if current else "",
        key=form.field("parents_withheld_reason"),
        max_chars=MAX_REASON,
    )
    field_error(errors, "parents_withheld_reason")


def values(form: OnceForm, key: str) -> dict:
    """What the form with submission ``key`` holds, as ``households.add_member`` takes it."""
    relation, band = form.get(key, "relation"), form.get(key, "age_band")
    return {
        "relation": Relation(relation) if relation else None,
        "file_ref": form.get(key, "file_ref", "") or "",
        "birth_date": form.get(key, "birth_date"),
        "age_band": AgeBand(band) if band else None,
        "competent": ANSWER[form.get(key, "competent") or ""],
        "consent_parents": ANSWER[form.get(key, "consent_parents") or ""],
        "parents_withheld": ParentsWithheld(form.get(key, "parents_withheld") or ""),
        "parents_withheld_reason": form.get(key, "parents_withheld_reason", "") or "",
    }


# --- adding a person ----------------------------------------------------------------------------


def adding(incident_id: int, household_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_h{household_id}_add_")


def _add(incident_id: int, household_id: int, key: str) -> None:
    form = adding(incident_id, household_id)
    act(
        form.prefix + "errors",
        "De persoon staat op de lijst.",
        lambda db, who: households.add_member(db, who, household_id, **values(form, key)),
        once=(form, key),
    )


def add_form(incident_id: int, household_id: int, today: date) -> None:
    form = adding(incident_id, household_id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Persoon toevoegen** (alleen een nummer uit het eigen dossier, geen naam of adres)")
        field_error(errors, "form")
        person_fields(form, errors, today, None)
        st.form_submit_button("Persoon toevoegen", on_click=_add, args=(incident_id, household_id, form.key))
    form.outcome()
