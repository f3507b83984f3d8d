"""Mijn account: who you are signed in as, your job title and phone (the notifier in a concept
AP-melding), changing your own password (which ends your other sessions), and the places you
are signed in, each of which you can end."""

import streamlit as st

from datalek import clock, store
from datalek.accounts import sessions
from datalek.accounts.organisations import list_organisations
from datalek.accounts.users import MAX_JOB_TITLE, MAX_PHONE, get_user, set_contact, set_password
from datalek.models import InvalidInput, Role
from ui import session
from ui.callbacks import act
from ui.forms import field_error, md_escape
from ui.once import OnceForm


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("Mijn account", anchor=False)
    with store.unit() as db:
        me = get_user(db, actor, actor.user_id)
        orgs = list_organisations(db, actor)
    st.table(
        {
            "Gegeven": ["Naam", "E-mailadres", "Rol", "Organisatie" if len(orgs) == 1 else "Organisaties"],
            # st.table renders Markdown in its cells: names are typed by people, so escape them.
            "Waarde": [
                md_escape(v) for v in (me.name, me.email, me.role.label, ", ".join(o.name for o in orgs))
            ],
        }
    )
    if me.role is Role.DPO:
        _contact(me)
    st.subheader("Wachtwoord wijzigen", anchor=False)
    errors = state.get("a_errors")
    with st.form("password", clear_on_submit=True, enter_to_submit=False):
        new = st.text_input("Nieuw wachtwoord (minstens 12 tekens)", type="password", max_chars=1024)
        again = st.text_input("Herhaal het nieuwe wachtwoord", type="password", max_chars=1024)
        field_error(errors, "password")
        if st.form_submit_button("Wachtwoord wijzigen"):
            if new != again:
                state["a_errors"] = {"password": "De twee wachtwoorden zijn niet gelijk."}
                st.rerun()
            try:
                with store.unit() as db:
                    set_password(db, actor, actor.user_id, new, keep_session_id=session.session_id())
            except InvalidInput as exc:
                state["a_errors"] = exc.errors
            else:
                state["a_errors"] = None
                state["a_flash"] = "Je wachtwoord is gewijzigd. Je bent overal anders afgemeld."
            st.rerun()
    if flash := state.pop("a_flash", None):  # under the form's button
        st.success(flash, icon=":material/check_circle:")
    _sessions(actor)


def _sessions(actor) -> None:
    st.subheader("Waar je bent aangemeld", anchor=False)
    with store.unit() as db:
        mine = sessions.active(db, actor)
    current = session.session_id()
    if flash := st.session_state.pop("a_end_flash", None):
        st.success(flash, icon=":material/check_circle:")
    for item in mine:
        left, right = st.columns([4, 1])
        here = " (deze browser)" if item.id == current else ""
        how = "via je organisatie" if item.method == "oidc" else "met wachtwoord"
        left.markdown(
            f"**{md_escape(item.user_agent[:80] or 'Onbekende browser')}**{here}  \n"
            f"Aangemeld {how} op {clock.format_local(item.created_at)} vanaf {md_escape(item.client)}, "
            f"laatst actief {clock.format_local(item.last_seen_at)}"
        )
        if item.id != current:
            right.button("Afmelden", key=f"a_end_{item.id}", on_click=_end, args=(item.id,))


def _end(session_id: int) -> None:
    current = session.fresh_actor()
    if current is None:
        return
    with store.unit() as db:
        ended = sessions.end_own(db, current, session_id)
    st.session_state["a_end_flash"] = (
        "Die sessie is beëindigd." if ended else "Die sessie bestond al niet meer."
    )


def _contact_form() -> OnceForm:
    return OnceForm("a_contact_")


def _contact(me) -> None:
    """The FG's job title and phone: who notifies in the concept AP-melding."""
    form = _contact_form()
    st.subheader("Jouw gegevens in de AP-melding", anchor=False)
    st.caption("De AP vraagt naam, functie en telefoonnummer van wie meldt. Die komen uit je account.")
    errors = st.session_state.get("a_contact_errors")
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_input("Functie", value=me.job_title, key=form.field("job_title"), max_chars=MAX_JOB_TITLE)
        field_error(errors, "job_title")
        st.text_input("Telefoonnummer", value=me.phone, key=form.field("phone"), max_chars=MAX_PHONE)
        field_error(errors, "phone")
        st.form_submit_button("Gegevens opslaan", on_click=_save_contact, args=(form.key,))
    if failure := st.session_state.pop("q_failure", None):
        st.error(failure)
    form.outcome()


def _save_contact(key: str) -> None:
    form = _contact_form()
    title, phone = form.get(key, "job_title", ""), form.get(key, "phone", "")

    def save(db, who) -> None:
        set_contact(db, who, who.user_id, title, phone)

    act("a_contact_errors", "Je functie en telefoonnummer zijn opgeslagen.", save, once=(form, key))
