"""The FG's reminder settings per organisation (on the FG-team page): the named deputy FG,
the management contact told at the end of the period, and the reminder points. The core
(``datalek.accounts.organisations.set_reminder_settings``) checks and records them."""

from __future__ import annotations

import streamlit as st

from datalek import regime, store
from datalek.accounts.organisations import reminder_settings, set_reminder_settings
from datalek.accounts.users import dpo_team
from datalek.models import Actor, Organisation
from ui.callbacks import act
from ui.forms import choose_organisation, field_error
from ui.once import OnceForm

NO_DEPUTY = 0  # the select box's value for "no deputy named"


def _form(org_id: int) -> OnceForm:
    return OnceForm(f"rs{org_id}_")


def render(actor: Actor, orgs: list[Organisation]) -> None:
    hours = regime.CURRENT.period_hours
    st.subheader(f"Herinneringen aan de termijn van {regime.CURRENT.period_hours} uur", anchor=False)
    st.write(
        f"Zolang een besluit over melden of de melding bij de AP nog open staat, krijgen de FG's "
        f"en de plaatsvervanger een e-mail op de uren hieronder (geteld vanaf het moment dat de "
        f"organisatie het lek kent). Na {hours} uur krijgt ook het management een e-mail. In de "
        "e-mail staan alleen het nummer van de melding en een link, geen persoonsgegevens."
    )
    names = {o.id: o.name for o in orgs}
    org_id = choose_organisation(names, "rs_org")
    if org_id is None:
        return
    with store.unit() as db:
        current = reminder_settings(db, actor, org_id)
        team = [u for u in dpo_team(db, actor, org_id) if u.active]
    choices = {NO_DEPUTY: "Geen plaatsvervanger", **{u.id: f"{u.name} ({u.email})" for u in team}}
    deputy = current.deputy_dpo_id if current.deputy_dpo_id in choices else NO_DEPUTY
    form = _form(org_id)
    errors = st.session_state.get(form.prefix + "errors")
    with st.form(form.field("form"), enter_to_submit=False):
        st.selectbox(
            "Plaatsvervangend FG",
            list(choices),
            index=list(choices).index(deputy),
            format_func=choices.get,
            key=form.field("deputy"),
            filter_mode=None if len(choices) <= 10 else "contains",
            placeholder="Kies een plaatsvervanger",
        )
        field_error(errors, "deputy_dpo_id")
        st.text_input(
            f"E-mailadres van het management (krijgt de e-mail na {regime.CURRENT.escalation_hours} uur)",
            value=current.management_email,
            key=form.field("management"),
            max_chars=200,
        )
        field_error(errors, "management_email")
        st.text_input(
            "Herinneren na (uren, gescheiden door komma's)",
            value=current.hours_text,
            key=form.field("hours"),
            max_chars=60,
        )
        field_error(errors, "reminder_hours")
        field_error(errors, "form")
        st.form_submit_button("Herinneringen opslaan", on_click=_save, args=(org_id, form.key))
    if failure := st.session_state.pop("q_failure", None):
        st.error(failure, icon=":material/error:")
    form.outcome()


def _save(org_id: int, key: str) -> None:
    form = _form(org_id)
    deputy = form.get(key, "deputy", NO_DEPUTY) or None
    management = form.get(key, "management", "")
    hours = form.get(key, "hours", "")
    act(
        form.prefix + "errors",
        "De herinneringen zijn opgeslagen.",
        lambda db, who: set_reminder_settings(db, who, org_id, deputy, management, hours),
        once=(form, key),
    )
