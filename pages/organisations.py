"""Organisaties (beheerder): the controllers this installation serves, with their FG.

The FG gets her account by invitation: a one-time link to the FG address recorded here. A new
FG address is mailed to the old address and to every FG of the organisation (the core does it).
"""

import streamlit as st

from datalek import store
from datalek.accounts import invitations
from datalek.accounts.organisations import change_dpo_contact, create_organisation, list_organisations
from datalek.handling import retention
from datalek.models import InvalidInput
from ui import session
from ui.callbacks import act
from ui.forms import field_error, md_escape
from ui.once import OnceForm


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("Organisaties", anchor=False)
    with store.unit() as db:
        orgs = list_organisations(db, actor)
        years = retention.retention_years(db, actor)
    st.dataframe(
        {
            "Organisatie": [o.name for o in orgs],
            "FG": [o.dpo_name for o in orgs],
            "E-mail FG": [o.dpo_email for o in orgs],
            "Telefoon FG": [o.dpo_phone for o in orgs],
            "Jeugdhulp / sociaal domein": ["ja" if o.youth_care else "nee" for o in orgs],
            "Bewaartermijn (jaar)": [years.get(o.id) for o in orgs],
        },
        hide_index=True,
        width="stretch",
    )
    st.subheader("Nieuwe organisatie", anchor=False)
    _new_organisation()
    if orgs:
        _dpo(actor, orgs)
    st.subheader("Bewaartermijn", anchor=False)
    st.write(
        "Hoe lang na het afronden een melding haar tekst houdt. Daarna haalt de beheerder met "
        "`python -m datalek purge --apply` alle vrije tekst en namen weg; de cijfers blijven."
    )
    if orgs:
        with st.form("retention", enter_to_submit=False):
            chosen = st.selectbox(
                "Organisatie",
                [o.id for o in orgs],
                key="o_ret_org",
                format_func={o.id: o.name for o in orgs}.get,
                filter_mode=None if len(orgs) <= 10 else "contains",
                placeholder="Kies een organisatie",
            )
            st.number_input(
                "Bewaartermijn in jaren na afronden",
                key="o_ret_years",
                min_value=retention.MIN_YEARS,
                max_value=retention.MAX_YEARS,
                value=years.get(chosen, 5),
                step=1,
            )
            field_error(state.get("o_ret_errors"), "retention_years")
            if st.form_submit_button("Bewaartermijn opslaan"):
                try:
                    with store.unit() as db:
                        retention.set_retention_years(db, actor, state.o_ret_org, int(state.o_ret_years))
                except InvalidInput as exc:
                    state["o_ret_errors"] = exc.errors
                    st.rerun()
                else:
                    state["o_ret_errors"] = None
                    name = next(o.name for o in orgs if o.id == state.o_ret_org)
                    state["o_flash"] = (
                        "retention",
                        f"Bewaartermijn van {md_escape(name)}: {int(state.o_ret_years)} jaar.",
                    )
                    st.rerun()
        _done("retention")


def _dpo(actor, orgs) -> None:
    """The FG of one organisation: her contact details, and the invitation to her account."""
    state = st.session_state
    st.subheader("De FG van een organisatie", anchor=False)
    st.write(
        "De FG maakt haar account zelf aan met een link die 72 uur geldig is. Die link gaat naar het "
        "e-mailadres van de FG hieronder. Wijzig je dat adres, dan krijgen het oude adres en alle "
        "FG's van de organisatie daar een e-mail over."
    )
    by_id = {o.id: o for o in orgs}
    chosen = st.selectbox(
        "Organisatie van de FG",
        list(by_id),
        key="o_dpo_org",
        format_func=lambda i: by_id[i].name,
        filter_mode=None if len(by_id) <= 10 else "contains",
        placeholder="Kies een organisatie",
    )
    org = by_id[chosen]
    if state.get("o_dpo_shown") != chosen:  # fill the form with this organisation's FG
        state["o_dpo_shown"] = chosen
        state["o_dpo_errors"] = None
        for field in ("dpo_name", "dpo_email", "dpo_phone"):
            state[f"o_new_{field}"] = getattr(org, field)
    errors = state.get("o_dpo_errors")
    with st.form("dpo_contact", enter_to_submit=False):
        st.text_input("Naam van de FG", key="o_new_dpo_name", max_chars=200)
        st.text_input("E-mailadres van de FG", key="o_new_dpo_email", max_chars=200)
        field_error(errors, "dpo_email")
        st.text_input("Telefoonnummer van de FG", key="o_new_dpo_phone", max_chars=50)
        field_error(errors, "form")
        if st.form_submit_button("Gegevens van de FG opslaan"):
            try:
                with store.unit() as db:
                    changed = change_dpo_contact(
                        db, actor, chosen, state.o_new_dpo_name, state.o_new_dpo_email, state.o_new_dpo_phone
                    )
            except InvalidInput as exc:
                state["o_dpo_errors"] = exc.errors
                st.rerun()
            state["o_dpo_errors"], state["o_dpo_shown"] = None, None
            flash = f"Gegevens van de FG van {md_escape(org.name)} opgeslagen."
            if changed.email_changed:
                flash += (
                    " Het oude adres en de FG's zijn per e-mail ingelicht."
                    if changed.mailed
                    else " Er kon geen e-mail over de wijziging worden verstuurd."
                )
            state["o_flash"] = ("dpo_contact", flash)
            st.rerun()
    _done("dpo_contact")
    if st.button("Nodig de FG uit", key="o_invite"):
        try:
            with store.unit() as db:
                sent = invitations.invite_dpo(db, actor, chosen)
        except InvalidInput as exc:
            state["o_dpo_errors"] = exc.errors
            st.rerun()
        if sent.sent:
            state["o_flash"] = (
                "invite",
                f"De uitnodiging is verstuurd naar het FG-adres van {md_escape(org.name)}. "
                "De link is 72 uur geldig.",
            )
        else:
            state["o_dpo_errors"] = {"mail": invitations.NOT_SENT}
        st.rerun()
    field_error(errors, "dpo_name")
    field_error(errors, "mail")
    _done("invite")


def _done(where: str) -> None:
    """The outcome of the last change, under the button (``where``) that made it."""
    found = st.session_state.get("o_flash")
    if found and found[0] == where:
        del st.session_state["o_flash"]
        st.success(found[1], icon=":material/check_circle:")


def _creating() -> OnceForm:
    return OnceForm("o_new_org_")


def _new_organisation() -> None:
    """A new organisation, recorded once per drawn form (``ui.once``)."""
    errors = st.session_state.get("o_errors")
    form = _creating()
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_input("Naam", key=form.field("name"), max_chars=200)
        field_error(errors, "org_name")
        st.text_input("Naam van de FG", key=form.field("dpo_name"), max_chars=200)
        st.text_input("E-mailadres van de FG", key=form.field("dpo_email"), max_chars=200)
        field_error(errors, "dpo_email")
        st.text_input("Telefoonnummer van de FG", key=form.field("dpo_phone"), max_chars=50)
        st.checkbox("Jeugdhulpaanbieder of team in het sociaal domein", key=form.field("youth_care"))
        st.form_submit_button("Organisatie toevoegen", type="primary", on_click=_create, args=(form.key,))
    if failure := st.session_state.pop("q_failure", None):
        st.error(failure, icon=":material/error:")
    form.outcome()


def _create(key: str) -> None:
    form = _creating()
    name = form.get(key, "name", "")
    values = (
        name,
        form.get(key, "dpo_name", ""),
        form.get(key, "dpo_email", ""),
        form.get(key, "dpo_phone", ""),
        bool(form.get(key, "youth_care", False)),
    )
    act(
        "o_errors",
        f"Organisatie {md_escape(name.strip())} toegevoegd.",
        lambda db, who: create_organisation(db, who, *values),
        once=(form, key),
    )
