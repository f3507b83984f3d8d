"""Shown when this browser has no valid session: why (the session ended, timed out) and the way
to the sign-in form (``/auth/signin``, a page of the server, see ``web/signin.py``); for a guest
whose report link closed, that it closed and what they typed (``ui/unsent_report``).
Sign-in through the organisation (``st.login``) starts here as well."""

import streamlit as st

from ui import links, oidc, session, unsent_report


def render() -> None:
    if st.session_state.get(session.FLASH) == session.GUEST_ENDED:
        # a guest whose report link was revoked or expired (issue #16) has no account: say
        # the link is closed, offer no sign-in as the way on, and give back what they typed.
        # The message stays for this browser session (a rerun must not swap it for the sign-in).
        st.title("Deze link werkt niet meer", anchor=False)
        st.warning(session.GUEST_ENDED, icon=":material/link_off:")
        unsent_report.show()
        return
    st.title("Aanmelden bij Datalek", anchor=False)
    if flash := st.session_state.pop(session.FLASH, None):
        st.info(flash)
    else:
        st.write("Je bent niet aangemeld.")
    links.link_button("/auth/signin", "Aanmelden")
    oidc.login_button()
