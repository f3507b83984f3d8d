"""Safety before speed, per family (issue #15): who in the family must never receive a message,
the concern, and whether the family's messages wait until a review date. The latest judgement
counts (``households.judge_safety``); a postponed family makes no letters, and a person added
after the judgement blocks the family's letters until it is judged again."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock
from datalek.actions import households
from datalek.actions.addressees import Concern
from datalek.actions.household_rules import MAX_TEXT
from datalek.actions.informing_list import FIRST_QUESTION, JUDGE_AGAIN, Household
from ui import member_forms
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm

state = st.session_state
_POSTPONE = {"no": "Nee, informeer dit gezin nu", "yes": "Ja, uitstellen"}


def judging(incident_id: int, household_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_h{household_id}_safety_")


def _judge(incident_id: int, household_id: int, key: str) -> None:
    form = judging(incident_id, household_id)
    postponed = form.get(key, "postponed")
    act(
        form.prefix + "errors",
        "De veiligheid van dit gezin is vastgelegd.",
        lambda db, who: households.judge_safety(
            db,
            who,
            household_id,
            flagged=set(form.get(key, "flagged") or ()),
            concerns={Concern(c) for c in form.get(key, "concerns") or ()},
            postponed=None if postponed is None else postponed == "yes",
            reason=form.get(key, "reason", "") or "",
            review_on=form.get(key, "review_on"),
        ),
        once=(form, key),
    )


def added_after(house: Household) -> bool:
    """Someone was put on the family's list after its latest safety judgement."""
    judged = house.judgement
    return judged is not None and any(
        m.recorded_at is not None and m.recorded_at > judged.recorded_at for m in house.members
    )


def postponed(house: Household) -> bool:
    return house.judgement is not None and house.judgement.postponed


def standing(house: Household, today: date) -> None:
    """The family's safety as it counts now."""
    judged = house.judgement
    if judged is None:
        st.info(FIRST_QUESTION, icon=":material/info:")
        return
    names = {m.id: member_forms.label(m, today) for m in (*house.members, *house.removed)}
    if judged.postponed:
        st.warning(
            f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {judged.review_on:%d-%m-%Y}. "
            "Dit gezin krijgt nog geen brieven.",
            icon=":material/pause_circle:",
        )
    else:
        st.success(f"Veilig om te informeren (vastgelegd op {clock.format_local(judged.recorded_at)}).")
    for member_id in sorted(judged.flagged):
        st.markdown(
            f"Krijgt nooit een bericht: **{md_escape(names.get(member_id, f'Persoon {member_id}'))}**"
        )
    if judged.concerns:
        st.caption("Zorg: " + md_escape(", ".join(sorted(c.label for c in judged.concerns))))
    if judged.reason:
        st.text(f"Reden: {judged.reason}")
    if added_after(house):
        st.warning(JUDGE_AGAIN, icon=":material/warning:")


def form(incident_id: int, house: Household, today: date) -> None:
    """The safety question for the family; it starts from the latest judgement's flags."""
    once = judging(incident_id, house.id)
    errors = state.get(once.prefix + "errors")
    judged = house.judgement
    members = {m.id: member_forms.label(m, today) for m in house.members}
    form_errors(errors)
    with st.form(once.field("form"), enter_to_submit=False):
        st.markdown("**Veiligheid van dit gezin**")
        st.multiselect(
            "Wie mag nooit een bericht krijgen?",
            list(members),
            default=sorted(judged.flagged & members.keys()) if judged else [],
            key=once.field("flagged"),
            format_func=lambda m: members.get(m, f"Persoon {m}"),
            filter_mode=None,
            placeholder="Niemand",
            select_all=False,
        )
        field_error(errors, "flagged")
        st.multiselect(
            "Waarom niet? (de zorg)",
            [c.value for c in Concern],
            default=sorted(c.value for c in judged.concerns) if judged else [],
            key=once.field("concerns"),
            format_func=lambda c: Concern(c).label,
            filter_mode=None,
            placeholder="Kies een of meer",
            select_all=False,
        )
        field_error(errors, "concerns")
        st.radio(
            "De brieven aan dit gezin uitstellen?",
            list(_POSTPONE),
            index=None,
            key=once.field("postponed"),
            format_func=_POSTPONE.get,
            horizontal=True,
        )
        field_error(errors, "postponed")
        st.text_area(
            "Reden. Bij uitstel: waarom is informeren nu niet veilig? Anders: waarom is het nu veilig?",
            key=once.field("reason"),
            max_chars=MAX_TEXT,
        )
        field_error(errors, "reason")
        st.date_input(
            "Bij uitstel: opnieuw bekijken op", value=None, key=once.field("review_on"), format="DD-MM-YYYY"
        )
        field_error(errors, "review_on")
        st.form_submit_button(
            "Veiligheid van dit gezin vastleggen", on_click=_judge, args=(incident_id, house.id, once.key)
        )
    once.outcome()
