"""Wachtwoord instellen: the page a one-time link opens, without signing in.

The code comes from the link (``?code=...``); ``datalek.accounts.invitations`` says what it is
for, or why it no longer works, and sets the password (for an invitation: creates the FG
account). What was typed stays in the form when something is wrong.
"""

import streamlit as st

from datalek import clock, store
from datalek.accounts import invitations, redeem
from datalek.models import InvalidInput
from ui import links
from ui.forms import field_error, md_escape

#: The server's sign-in form (``web/signin.py``).
SIGNIN_URL = "/auth/signin"


def render() -> None:
    state = st.session_state
    st.title("Wachtwoord instellen", anchor=False)
    if done := state.pop("sp_done", None):
        st.success(done)
        links.link_button(SIGNIN_URL, "Naar aanmelden")
        return
    code = st.query_params.get(invitations.QUERY_KEY)
    try:
        with store.unit() as db:
            pending = redeem.pending(db, code)
    except redeem.LinkInvalid as exc:
        st.error(exc.message, icon=":material/link_off:")
        return
    _explain(pending)
    errors = state.get("sp_errors")
    with st.form("set_password", enter_to_submit=False):
        st.text_input(
            "Nieuw wachtwoord (minstens 12 tekens)", type="password", key="sp_password", max_chars=1024
        )
        field_error(errors, "password")
        st.text_input("Herhaal het nieuwe wachtwoord", type="password", key="sp_again", max_chars=1024)
        field_error(errors, "again")
        submitted = st.form_submit_button("Wachtwoord instellen", type="primary")
    if submitted:
        try:
            with store.unit() as db:
                user = redeem.redeem(db, code, state.sp_password, state.sp_again)
        except InvalidInput as exc:
            state["sp_errors"] = exc.errors
            st.rerun()
        except redeem.LinkInvalid:
            state["sp_errors"] = None
            st.rerun()  # the page then says why the link no longer works
        for key in ("sp_password", "sp_again", "sp_errors"):
            state.pop(key, None)
        state["sp_done"] = (
            f"Je wachtwoord is ingesteld. Meld je nu aan met {md_escape(user.email)} en je nieuwe wachtwoord."
        )
        st.rerun()


def _explain(pending: redeem.Pending) -> None:
    until = clock.format_local(pending.expires_at)
    if pending.kind is invitations.Kind.DPO_ACCOUNT:
        st.write(
            f"Welkom, {md_escape(pending.name)}. Je bent uitgenodigd als functionaris "
            f"gegevensbescherming (FG) van {md_escape(pending.org_name)}. Kies een wachtwoord "
            f"voor je account {md_escape(pending.email)}. Daarna meld je je aan met dat e-mailadres."
        )
    else:
        st.write(f"Kies een nieuw wachtwoord voor je account {md_escape(pending.email)}.")
    st.caption(
        f"De link werkt één keer en is geldig tot {until}. Kies een wachtwoord van minstens 12 "
        "tekens, bijvoorbeeld een zin van een paar woorden die alleen jij kent."
    )
