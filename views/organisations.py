"""Organisaties (beheerder): the controllers this installation serves, with their FG."""

import streamlit as st

from datalek import accounts, store
from datalek.models import InvalidInput
from ui import session
from ui.forms import field_error, md_escape

actor = session.actor()
state = st.session_state
st.title("Organisaties")
if flash := state.pop("o_flash", None):
    st.success(flash)
with store.unit() as db:
    orgs = accounts.list_organisations(db, actor)
st.dataframe(
    {
        "Organisatie": [o.name for o in orgs],
        "FG": [o.fg_name for o in orgs],
        "E-mail FG": [o.fg_email for o in orgs],
        "Telefoon FG": [o.fg_phone for o in orgs],
        "Jeugdhulp / sociaal domein": ["ja" if o.youth_care else "nee" for o in orgs],
    },
    hide_index=True,
    width="stretch",
)
st.subheader("Nieuwe organisatie")
errors = state.get("o_errors")
with st.form("new_org"):
    st.text_input("Naam", key="o_name", max_chars=200)
    field_error(errors, "org_name")
    st.text_input("Naam van de FG", key="o_fg_name", max_chars=200)
    st.text_input("E-mailadres van de FG", key="o_fg_email", max_chars=200)
    field_error(errors, "fg_email")
    st.text_input("Telefoonnummer van de FG", key="o_fg_phone", max_chars=50)
    st.checkbox("Jeugdhulpaanbieder of team in het sociaal domein", key="o_youth_care")
    if st.form_submit_button("Organisatie toevoegen", type="primary"):
        try:
            with store.unit() as db:
                made = accounts.create_organisation(db, actor, state.o_name, state.o_fg_name,
                                                    state.o_fg_email, state.o_fg_phone,
                                                    state.o_youth_care)  # fmt: skip
        except InvalidInput as exc:
            state["o_errors"] = exc.errors
            st.rerun()
        else:
            state["o_errors"] = None
            for key in ("o_name", "o_fg_name", "o_fg_email", "o_fg_phone", "o_youth_care"):
                state.pop(key, None)
            state["o_flash"] = f"Organisatie {md_escape(made.name)} toegevoegd."
            st.rerun()
