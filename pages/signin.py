"""Shown when this browser has no valid session: why (the session ended, timed out) and the way
to the sign-in form (``/auth/signin``, a page of the server, see ``web/signin.py``).
Sign-in through the organisation (``st.login``) starts here as well."""

import streamlit as st

from ui import links, oidc, session


def render() -> None:
    if st.session_state.get(session.FLASH) == session.GUEST_ENDED:
        # a guest whose report link was revoked or expired (issue #16) has no account: say
        # the link is closed, and offer no sign-in as the way on
        st.title("Deze link werkt niet meer", anchor=False)
        st.warning(st.session_state.pop(session.FLASH), icon=":material/link_off:")
        return
    st.title("Aanmelden bij Datalek", anchor=False)
    if flash := st.session_state.pop(session.FLASH, None):
        st.info(flash)
    else:
        st.write("Je bent niet aangemeld.")
    links.link_button("/auth/signin", "Aanmelden")
    oidc.login_button()
