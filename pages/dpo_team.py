"""FG-team (FG): who holds the FG role for her organisations, and inviting a deputy FG; the
reminder settings and the organisation's letter texts per organisation.

The deputy gets a one-time link at the address the FG gives and chooses her own password; the
beheerder is not involved. Every FG of the organisation gets an e-mail when the account exists.
"""

import streamlit as st

from datalek import store
from datalek.accounts import invitations
from datalek.accounts.organisations import list_organisations
from datalek.accounts.users import dpo_team
from datalek.models import InvalidInput
from ui import (
    figures_policy_view,
    letter_templates_view,
    processors_view,
    reminder_settings,
    report_links_view,
    session,
)
from ui.forms import field_error, md_escape


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("FG-team", anchor=False)
    with store.unit() as db:
        orgs = list_organisations(db, actor)
        teams = {o.id: dpo_team(db, actor, o.id) for o in orgs}
    for org in orgs:
        st.subheader(f"FG's van {md_escape(org.name)}", anchor=False)
        st.dataframe(
            {
                "Naam": [u.name for u in teams[org.id]],
                "E-mailadres": [u.email for u in teams[org.id]],
                "Actief": ["ja" if u.active else "nee (uitgeschakeld)" for u in teams[org.id]],
            },
            hide_index=True,
            width="stretch",
        )
    st.subheader("Plaatsvervangend FG uitnodigen", anchor=False)
    st.write(
        "Je plaatsvervanger krijgt een e-mail met een link die 72 uur geldig is, en kiest daarmee zelf "
        "een wachtwoord. Met de rol FG kan zij alle meldingen van de organisatie lezen. Alle FG's "
        "van de organisatie krijgen een e-mail zodra het account bestaat."
    )
    errors = state.get("t_errors")
    names = {o.id: o.name for o in orgs}
    with st.form("deputy", enter_to_submit=False):
        st.selectbox(
            "Organisatie",
            list(names),
            format_func=names.get,
            key="t_org",
            filter_mode=None if len(names) <= 10 else "contains",
            placeholder="Kies een organisatie",
        )
        st.text_input("Naam", key="t_name", max_chars=200)
        field_error(errors, "name")
        st.text_input("E-mailadres", key="t_email", max_chars=200)
        field_error(errors, "email")
        field_error(errors, "mail")
        if st.form_submit_button("Uitnodiging versturen", type="primary"):
            try:
                with store.unit() as db:
                    sent = invitations.invite_deputy(db, actor, state.t_org, state.t_name, state.t_email)
            except InvalidInput as exc:
                state["t_errors"] = exc.errors
                st.rerun()
            if not sent.sent:
                state["t_errors"] = {"mail": invitations.NOT_SENT}
                st.rerun()
            state["t_flash"] = f"De uitnodiging is verstuurd naar {md_escape(state.t_email.strip())}."
            for key in ("t_name", "t_email", "t_errors"):
                state.pop(key, None)
            st.rerun()
    if flash := state.pop("t_flash", None):  # under the form's button
        st.success(flash, icon=":material/check_circle:")
    if orgs:
        reminder_settings.render(actor, orgs)
        letter_templates_view.render(actor, orgs)
        processors_view.render(actor, orgs)
        report_links_view.render(actor, orgs)
        figures_policy_view.render(actor, orgs)
