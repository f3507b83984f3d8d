"""Mijn account: who you are signed in as, and changing your own password."""

import streamlit as st

from datalek import store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.users import get_user, set_password
from datalek.models import InvalidInput
from ui import session
from ui.forms import field_error, md_escape


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("Mijn account")
    with store.unit() as db:
        me = get_user(db, actor, actor.user_id)
        orgs = list_organisations(db, actor)
    st.table(
        {
            "Gegeven": ["Naam", "E-mailadres", "Rol", "Organisatie(s)"],
            # st.table renders Markdown in its cells: names are typed by people, so escape them.
            "Waarde": [
                md_escape(v) for v in (me.name, me.email, me.role.label, ", ".join(o.name for o in orgs))
            ],
        }
    )
    if flash := state.pop("a_flash", None):
        st.success(flash)
    st.subheader("Wachtwoord wijzigen")
    errors = state.get("a_errors")
    with st.form("password", clear_on_submit=True):
        new = st.text_input("Nieuw wachtwoord (minstens 12 tekens)", type="password", max_chars=1024)
        again = st.text_input("Herhaal het nieuwe wachtwoord", type="password", max_chars=1024)
        field_error(errors, "password")
        if st.form_submit_button("Wachtwoord wijzigen"):
            if new != again:
                state["a_errors"] = {"password": "De twee wachtwoorden zijn niet gelijk."}
                st.rerun()
            try:
                with store.unit() as db:
                    set_password(db, actor, actor.user_id, new)
            except InvalidInput as exc:
                state["a_errors"] = exc.errors
            else:
                state["a_errors"] = None
                state["a_flash"] = "Je wachtwoord is gewijzigd."
            st.rerun()
