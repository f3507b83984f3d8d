"""The small-number threshold of an organisation's figures, on the FG-team page. The core
(``datalek.insight.figures_policy.set_threshold``) checks and records it, with the reason."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.insight import disclosure, figures_policy
from datalek.models import Actor, Organisation
from ui.callbacks import act
from ui.forms import choose_organisation, field_error, form_errors, md_escape
from ui.once import OnceForm

SAVED = "De drempel is opgeslagen. De cijfers gebruiken hem meteen."


def _form(org_id: int) -> OnceForm:
    return OnceForm(f"sn{org_id}_")


def render(actor: Actor, orgs: list[Organisation]) -> None:
    st.subheader("Kleine aantallen in de cijfers", anchor=False)
    st.write(
        "In het dashboard en de jaarverantwoording staat een aantal dat kleiner is dan de drempel "
        f"als '{disclosure.HIDDEN}', behalve de totalen van de organisatie. Zo wordt "
        "niemand herkenbaar. Een hogere drempel verbergt meer. Schrijf op waarom je hem verandert."
    )
    names = {o.id: o.name for o in orgs}
    org_id = choose_organisation(names, "sn_org")
    if org_id is None:
        return
    with store.unit() as db:
        current = figures_policy.threshold(db, actor, org_id)
        changes = figures_policy.history(db, actor, org_id)
    st.write(f"De drempel van {md_escape(names[org_id])} is nu **{current.own}**.")
    if current.used != current.own:
        st.caption(f"De cijfers gebruiken {current.used}: de ondergrens van deze installatie.")
    form = _form(org_id)
    errors = st.session_state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.number_input(
            f"Nieuwe drempel (van {current.lowest} tot en met {figures_policy.MAXIMUM})",
            value=current.own,
            step=1,
            key=form.field("value"),
        )
        field_error(errors, "small_number")
        st.text_area(
            "Waarom verander je de drempel?", key=form.field("reason"), max_chars=figures_policy.MAX_REASON
        )
        field_error(errors, "reason")
        st.form_submit_button("Drempel opslaan", on_click=_save, args=(org_id, form.key))
    if failure := st.session_state.pop("q_failure", None):
        st.error(failure, icon=":material/error:")
    form.outcome()
    if changes:
        st.dataframe(
            {
                "Wanneer": [clock.format_local(c.changed_at) for c in changes],
                "Wie": [c.changed_by_name for c in changes],
                "Was": ["-" if c.old is None else str(c.old) for c in changes],
                "Wordt": [str(c.new) for c in changes],
                "Reden": [c.reason for c in changes],
            },
            hide_index=True,
            width="stretch",
        )


def _save(org_id: int, key: str) -> None:
    form = _form(org_id)
    value = form.get(key, "value")
    reason = form.get(key, "reason", "")
    act(
        form.prefix + "errors",
        SAVED,
        lambda db, who: figures_policy.set_threshold(db, who, org_id, value, reason),
        once=(form, key),
    )
