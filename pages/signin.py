"""Sign-in with a local account (and, when configured, through the organisation)."""

import streamlit as st

from datalek import store
from datalek.accounts import auth
from ui import oidc, session


def render() -> None:
    st.title("Aanmelden bij Datalek")
    if flash := st.session_state.pop(session.FLASH, None):
        st.info(flash)
    with st.form("signin"):
        email = st.text_input("E-mailadres", key="signin_email", max_chars=200)
        password = st.text_input("Wachtwoord", type="password", key="signin_password", max_chars=1024)
        submitted = st.form_submit_button("Aanmelden", type="primary")
    if submitted:
        try:
            with store.unit() as db:
                actor = auth.sign_in(db, email, password)
        except auth.SigninRefused as refused:
            st.error(refused.message)
        else:
            session.start(actor)
            st.rerun()
    oidc.login_button()
    st.caption(
        "Wachtwoord vergeten? Vraag de beheerder van Datalek in je organisatie om een nieuw wachtwoord."
    )
