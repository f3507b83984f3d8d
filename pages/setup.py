"""First visit: create the first organisation and the first beheerder account."""

import streamlit as st

from datalek import store
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.setup import setup_first
from datalek.models import InvalidInput
from ui.forms import field_error, form_errors


def render() -> None:
    st.title("Datalek inrichten", anchor=False)
    st.write(
        "Er is nog geen account. Maak de eerste organisatie en het eerste beheerdersaccount aan. "
        "Daarna maak je als beheerder de accounts voor de FG, de medewerkers en de directie."
    )
    errors = st.session_state.get("setup_errors")
    with st.form("setup", enter_to_submit=False):
        st.subheader("Organisatie", anchor=False)
        st.text_input("Naam van de organisatie", key="org_name", max_chars=200)
        field_error(errors, "org_name")
        st.text_input("Naam van de FG (functionaris gegevensbescherming)", key="dpo_name", max_chars=200)
        st.text_input("E-mailadres van de FG", key="dpo_email", max_chars=200)
        field_error(errors, "dpo_email")
        st.text_input("Telefoonnummer van de FG", key="dpo_phone", max_chars=50)
        st.checkbox(
            "Dit is een jeugdhulpaanbieder of een team in het sociaal domein",
            key="youth_care",
            help="Cliënt zijn is dan zelf al gevoelig; de risicobeoordeling houdt daar rekening mee.",
        )
        st.subheader("Jouw beheerdersaccount", anchor=False)
        st.text_input("Je naam", key="name", max_chars=200)
        field_error(errors, "name")
        st.text_input("Je e-mailadres", key="email", max_chars=200)
        field_error(errors, "email")
        st.text_input("Wachtwoord (minstens 12 tekens)", key="password", type="password", max_chars=1024)
        field_error(errors, "password")
        st.text_input("Herhaal het wachtwoord", key="again", type="password", max_chars=1024)
        field_error(errors, "again")
        submitted = st.form_submit_button("Inrichten", type="primary")
    form_errors(errors)
    if submitted:
        state = st.session_state
        try:
            with store.unit() as db:
                setup_first(
                    db,
                    state.org_name,
                    state.dpo_name,
                    state.dpo_email,
                    state.dpo_phone,
                    state.name,
                    state.email,
                    state.password,
                    state.youth_care,
                    again=state.again,
                )
        except InvalidInput as exc:
            state["setup_errors"] = exc.errors
            st.rerun()
        except PermissionDenied as exc:
            st.error(exc.message)
        else:
            for key in list(state.keys()):
                del state[key]
            state["flash"] = "Datalek is ingericht. Meld je aan met je nieuwe account."
            st.rerun()
