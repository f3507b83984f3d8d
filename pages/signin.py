"""Shown when this browser has no valid session: why (the session ended, timed out) and the way
to the sign-in form (``/auth/signin``, a page of the server, see ``web/signin.py``).
Sign-in through the organisation (``st.login``) starts here as well."""

import streamlit as st

from ui import links, oidc, session


def render() -> None:
    st.title("Aanmelden bij Datalek", anchor=False)
    if flash := st.session_state.pop(session.FLASH, None):
        st.info(flash)
    else:
        st.write("Je bent niet aangemeld.")
    links.link_button("/auth/signin", "Aanmelden")
    oidc.login_button()
