"""Organisaties (beheerder): the controllers this installation serves, with their FG."""

import streamlit as st

from datalek import store
from datalek.accounts.organisations import create_organisation, list_organisations
from datalek.handling import retention
from datalek.models import InvalidInput
from ui import session
from ui.forms import field_error, md_escape


def render() -> None:
    actor = session.actor()
    state = st.session_state
    st.title("Organisaties")
    if flash := state.pop("o_flash", None):
        st.success(flash)
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
    st.subheader("Nieuwe organisatie")
    errors = state.get("o_errors")
    with st.form("new_org"):
        st.text_input("Naam", key="o_name", max_chars=200)
        field_error(errors, "org_name")
        st.text_input("Naam van de FG", key="o_dpo_name", max_chars=200)
        st.text_input("E-mailadres van de FG", key="o_dpo_email", max_chars=200)
        field_error(errors, "dpo_email")
        st.text_input("Telefoonnummer van de FG", key="o_dpo_phone", max_chars=50)
        st.checkbox("Jeugdhulpaanbieder of team in het sociaal domein", key="o_youth_care")
        if st.form_submit_button("Organisatie toevoegen", type="primary"):
            try:
                with store.unit() as db:
                    made = create_organisation(
                        db,
                        actor,
                        state.o_name,
                        state.o_dpo_name,
                        state.o_dpo_email,
                        state.o_dpo_phone,
                        state.o_youth_care,
                    )
            except InvalidInput as exc:
                state["o_errors"] = exc.errors
                st.rerun()
            else:
                state["o_errors"] = None
                for key in ("o_name", "o_dpo_name", "o_dpo_email", "o_dpo_phone", "o_youth_care"):
                    state.pop(key, None)
                state["o_flash"] = f"Organisatie {md_escape(made.name)} toegevoegd."
                st.rerun()
    st.subheader("Bewaartermijn")
    st.write(
        "Hoe lang na het afronden een melding haar tekst houdt. Daarna haalt de beheerder met "
        "`python -m datalek purge --apply` alle vrije tekst en namen weg; de cijfers blijven."
    )
    if orgs:
        with st.form("retention"):
            chosen = st.selectbox(
                "Organisatie",
                [o.id for o in orgs],
                key="o_ret_org",
                format_func={o.id: o.name for o in orgs}.get,
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
                    state["o_flash"] = f"Bewaartermijn van {md_escape(name)}: {int(state.o_ret_years)} jaar."
                    st.rerun()
