"""Accounts (beheerder): create, disable/enable, a new password or role, a password link.

No incident contents here, and no FG credentials: an FG account comes from an invitation
(page Organisaties), and an FG gets a new password only through a link to her own address.
The core (``datalek.accounts.users``, ``invitations``) enforces this; the page only follows.
"""

import streamlit as st

from datalek import store
from datalek.accounts import invitations
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user, list_users, may_manage, set_active, set_password, set_role
from datalek.models import InvalidInput, Role
from ui import session
from ui.callbacks import act
from ui.forms import field_error, md_escape
from ui.once import OnceForm

#: Roles the beheerder gives on this page; the FG role comes by invitation only.
GIVEN_HERE = ["reporter", "management", "admin"]


def render() -> None:
    actor = session.actor()
    st.title("Accounts", anchor=False)
    with store.unit() as db:
        users = list_users(db, actor)
        orgs = list_organisations(db, actor)
    org_names = {o.id: o.name for o in orgs}
    st.dataframe(
        {
            "Naam": [u.name for u in users],
            "E-mailadres": [u.email for u in users],
            "Rol": [u.role.label for u in users],
            "Organisaties": [", ".join(org_names.get(i, str(i)) for i in u.org_ids) for u in users],
            "Actief": ["ja" if u.active else "nee (uitgeschakeld)" for u in users],
        },
        hide_index=True,
        width="stretch",
    )
    _new_account(actor, org_names)
    _change_account(actor, users)


def _creating() -> OnceForm:
    return OnceForm("u_new_")


def _new_account(actor, org_names: dict[int, str]) -> None:
    state = st.session_state
    st.subheader("Nieuw account", anchor=False)
    st.caption(
        "Een account voor de FG maak je hier niet aan. Nodig de FG uit op de pagina "
        "Organisaties: zij krijgt een link op het FG-e-mailadres van de organisatie en kiest zelf "
        "haar wachtwoord."
    )
    errors = state.get("u_errors")
    form = _creating()
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_input("Naam", key=form.field("name"), max_chars=200)
        field_error(errors, "name")
        st.text_input("E-mailadres", key=form.field("email"), max_chars=200)
        field_error(errors, "email")
        st.selectbox(
            "Rol",
            GIVEN_HERE,
            format_func=lambda v: Role(v).label,
            key=form.field("role"),
            filter_mode=None,
            placeholder="Kies een rol",
        )
        field_error(errors, "role")
        st.multiselect(
            "Organisatie(s)",
            list(org_names),
            format_func=org_names.get,
            key=form.field("orgs"),
            filter_mode=None if len(org_names) <= 10 else "contains",
            placeholder="Kies een of meer",
            select_all=False,
        )
        field_error(errors, "org_ids")
        st.text_input(
            "Eerste wachtwoord (minstens 12 tekens; laat leeg voor aanmelden via de organisatie)",
            type="password",
            key=form.field("password"),
            max_chars=1024,
        )
        field_error(errors, "password")
        st.form_submit_button("Account aanmaken", type="primary", on_click=_create, args=(form.key,))
    if failure := state.pop("q_failure", None):
        st.error(failure, icon=":material/error:")
    form.outcome()


def _create(key: str) -> None:
    """The button's callback: create the account once for this drawn form (``key``)."""
    form = _creating()
    name = form.get(key, "name", "")
    values = (
        name,
        form.get(key, "email", ""),
        form.get(key, "role"),
        form.get(key, "password") or None,
        form.get(key, "orgs", []),
    )
    act(
        "u_errors",
        f"Account voor {md_escape(name.strip())} aangemaakt.",
        lambda db, who: create_user(db, who, *values),
        once=(form, key),
    )


def _change_account(actor, users) -> None:
    state = st.session_state
    st.subheader("Account wijzigen", anchor=False)
    shown = {u.id: f"{u.name} ({u.email})" for u in users}
    target = st.selectbox(
        "Kies een account",
        list(shown),
        index=None,
        key="u_target",
        format_func=lambda i: shown.get(i, str(i)),
        filter_mode=None if len(shown) <= 10 else "contains",
        placeholder="Kies een account",
    )
    if target is None:
        return
    chosen = next(u for u in users if u.id == target)
    errors = state.get("u_change_errors") if state.get("u_change_target") == target else None
    done = state.pop("u_change_flash", None)  # shown once, under the buttons that made it
    _toggle(actor, chosen)
    if st.button("Stuur een link voor een nieuw wachtwoord", key="u_link"):
        _act(
            target, lambda db: invitations.send_reset_link(db, actor, target), _link_flash(chosen), "buttons"
        )
    field_error(errors, "mail")
    field_error(errors, "user")
    _changed(done, "buttons")
    if chosen.role is Role.DPO:
        st.info(
            "Dit is een FG-account. Het wachtwoord en de rol van een FG wijzig je niet: de FG krijgt "
            "een link op haar eigen e-mailadres en kiest zelf een nieuw wachtwoord. Je kunt het "
            "account wel uitschakelen; de FG's van de organisatie krijgen daar een e-mail over."
        )
        return
    if not may_manage(actor, chosen):
        return
    left, right = st.columns(2)
    with left.form("reset_password", enter_to_submit=False):
        st.text_input("Nieuw wachtwoord", type="password", key="u_new_password", max_chars=1024)
        field_error(errors, "password")
        if st.form_submit_button("Wachtwoord instellen"):
            new = state.u_new_password
            _act(
                target,
                lambda db: set_password(db, actor, target, new),
                "Wachtwoord ingesteld. De persoon is overal afgemeld.",
            )
    with right.form("change_role", enter_to_submit=False):
        current = GIVEN_HERE.index(chosen.role.value) if chosen.role.value in GIVEN_HERE else 0
        st.selectbox(
            "Rol",
            GIVEN_HERE,
            index=current,
            format_func=lambda v: Role(v).label,
            key="u_new_role",
            filter_mode=None,
            placeholder="Kies een rol",
        )
        field_error(errors, "role")
        if st.form_submit_button("Rol wijzigen"):
            role = state.u_new_role
            _act(
                target,
                lambda db: set_role(db, actor, target, role),
                f"Rol gewijzigd in {Role(role).label}. De persoon is overal afgemeld.",
            )
    _changed(done, "forms")


def _toggle(actor, chosen) -> None:
    label = "Inschakelen" if not chosen.active else "Uitschakelen"
    if st.button(label, key="u_toggle"):
        flash = "Account ingeschakeld." if not chosen.active else "Account uitgeschakeld en overal afgemeld."
        if chosen.role is Role.DPO:
            flash += " De FG's van de organisatie krijgen hierover een e-mail."
        _act(chosen.id, lambda db: set_active(db, actor, chosen.id, not chosen.active), flash, "buttons")


def _link_flash(chosen) -> str:
    return f"Er is een link voor een nieuw wachtwoord gestuurd naar {md_escape(chosen.email)}. De link is 72 uur geldig."


def _changed(done: tuple[str, str] | None, where: str) -> None:
    """The outcome of the last change, under the buttons (``where``) that made it."""
    if done and done[0] == where:
        st.success(done[1], icon=":material/check_circle:")


def _act(target: int, change, flash: str, where: str = "forms") -> None:
    """Run ``change``; show its Dutch refusal next to the field, or the flash (under the
    buttons ``where``) after a rerun."""
    state = st.session_state
    try:
        with store.unit() as db:
            result = change(db)
    except InvalidInput as exc:
        state["u_change_errors"], state["u_change_target"] = exc.errors, target
        st.rerun()
    except PermissionDenied as exc:
        state["u_change_errors"], state["u_change_target"] = {"user": exc.message}, target
        st.rerun()
    state["u_change_errors"] = None
    if isinstance(result, invitations.Sent) and not result.sent:
        state["u_change_errors"], state["u_change_target"] = {"mail": invitations.NOT_SENT}, target
        st.rerun()
    state.pop("u_new_password", None)
    state["u_change_flash"] = (where, flash)
    st.rerun()
