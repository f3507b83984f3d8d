"""Accounts (beheerder): create, disable/enable, set a new password. No incident contents here."""

import streamlit as st

from datalek import store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user, list_users, set_active, set_password
from datalek.models import InvalidInput, Role
from ui import session
from ui.forms import field_error, md_escape


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("Accounts")
    if flash := state.pop("u_flash", None):
        st.success(flash)
    with store.unit() as db:
        users = list_users(db, actor)
        orgs = list_organisations(db, actor)
    org_names = {o.id: o.name for o in orgs}
    st.dataframe(
        {
            "Naam": [u.name for u in users],
            "E-mailadres": [u.email for u in users],
            "Rol": [u.role.label for u in users],
            "Organisatie(s)": [", ".join(org_names.get(i, str(i)) for i in u.org_ids) for u in users],
            "Actief": ["ja" if u.active else "nee (uitgeschakeld)" for u in users],
        },
        hide_index=True,
        width="stretch",
    )
    st.subheader("Nieuw account")
    errors = state.get("u_errors")
    with st.form("new_user"):
        st.text_input("Naam", key="u_name", max_chars=200)
        field_error(errors, "name")
        st.text_input("E-mailadres", key="u_email", max_chars=200)
        field_error(errors, "email")
        st.selectbox("Rol", [r.value for r in Role], format_func=lambda v: Role(v).label, key="u_role")
        st.multiselect(
            "Organisatie(s)",
            list(org_names),
            format_func=org_names.get,
            key="u_orgs",
            placeholder="Kies een of meer",
        )
        field_error(errors, "org_ids")
        st.text_input(
            "Eerste wachtwoord (minstens 12 tekens; laat leeg voor aanmelden via de organisatie)",
            type="password",
            key="u_password",
            max_chars=1024,
        )
        field_error(errors, "password")
        if st.form_submit_button("Account aanmaken", type="primary"):
            try:
                with store.unit() as db:
                    made = create_user(
                        db,
                        actor,
                        state.u_name,
                        state.u_email,
                        state.u_role,
                        state.u_password or None,
                        state.u_orgs,
                    )
            except InvalidInput as exc:
                state["u_errors"] = exc.errors
                st.rerun()
            except PermissionDenied as exc:
                st.error(exc.message)
            else:
                state["u_errors"] = None
                for key in ("u_name", "u_email", "u_password", "u_orgs"):
                    state.pop(key, None)
                state["u_flash"] = f"Account voor {md_escape(made.name)} aangemaakt."
                st.rerun()
    st.subheader("Account wijzigen")
    target = st.selectbox(
        "Kies een account",
        [u.id for u in users],
        index=None,
        key="u_target",
        format_func={u.id: f"{u.name} ({u.email})" for u in users}.get,
        placeholder="Kies een account",
    )
    if target is not None:
        chosen = next(u for u in users if u.id == target)
        left, right = st.columns(2)
        label = "Inschakelen" if not chosen.active else "Uitschakelen"
        if left.button(label, key="u_toggle"):
            try:
                with store.unit() as db:
                    set_active(db, actor, target, not chosen.active)
            except InvalidInput as exc:
                st.error(" ".join(exc.errors.values()))
            else:
                state["u_flash"] = (
                    "Account ingeschakeld."
                    if not chosen.active
                    else ("Account uitgeschakeld. De persoon wordt bij de volgende klik afgemeld.")
                )
                st.rerun()
        with right.form("reset_password"):
            new = st.text_input("Nieuw wachtwoord", type="password", max_chars=1024)
            if st.form_submit_button("Wachtwoord instellen"):
                try:
                    with store.unit() as db:
                        set_password(db, actor, target, new)
                except InvalidInput as exc:
                    st.error(" ".join(exc.errors.values()))
                else:
                    state["u_flash"] = "Wachtwoord ingesteld."
                    st.rerun()
