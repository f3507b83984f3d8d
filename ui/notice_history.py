"""What was recorded as informed, kept: every notice (to a group, or a letter sent to one
person with the kind of reader, the template version and the start of the letter's SHA-256),
what counts, what was corrected (with the old value) and what was withdrawn (struck through,
with the reason); each notice still standing can be corrected or withdrawn."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock
from datalek.actions import informing, notices
from datalek.actions.made_letters import MadeLetter
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm, withdraw_form

state = st.session_state
#: How an old value of a corrected notice reads ("gecorrigeerd, eerst: 5").
_WAS = {
    "people_count": lambda v: str(v),
    "informed_on": lambda v: f"{date.fromisoformat(v):%d-%m-%Y}",
    "channel": lambda v: notices.Channel(v).label.lower(),
}
HASH_SHOWN = 12


def _fixing(incident_id: int, notice_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_n{notice_id}_fix_")


def _dropping(incident_id: int, notice_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_n{notice_id}_drop_")


def _fix(incident_id: int, notice_id: int, key: str) -> None:
    form = _fixing(incident_id, notice_id)
    act(
        form.prefix + "errors",
        "De correctie is opgeslagen. De oude gegevens blijven bewaard.",
        lambda db, who: notices.correct_notice(
            db,
            who,
            notice_id,
            form.get(key, "count"),
            form.get(key, "on"),
            notices.Channel(form.get(key, "channel")) if form.get(key, "channel") else None,
            form.get(key, "reason", ""),
        ),
        once=(form, key),
    )


def _drop(incident_id: int, notice_id: int, key: str) -> None:
    form = _dropping(incident_id, notice_id)
    act(
        form.prefix + "errors",
        "De regel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar.",
        lambda db, who: notices.withdraw_notice(db, who, notice_id, form.get(key, "reason", "")),
        once=(form, key),
    )


def line(notice: notices.Notice, made: dict[int, MadeLetter]) -> str:
    text = (
        f"Geïnformeerd: {notice.recipient.label}, {notice.people_count} op "
        f"{notice.informed_on:%d-%m-%Y} ({notice.channel.label.lower()})."
    )
    if notice.member_id is not None:
        text += f" Persoon {notice.member_id}."
    if (letter := made.get(notice.letter_id)) is not None:
        text += (
            f" Brief: sjabloon versie {letter.template_version}, controlecode {letter.sha256[:HASH_SHOWN]}."
        )
    first: dict[str, str] = {}
    for fix in notice.corrections:  # oldest first: the first old value is what was recorded
        if fix.field in _WAS and fix.field not in first:
            first[fix.field] = _WAS[fix.field](fix.old_value)
    if first:
        text += f" (gecorrigeerd, eerst: {', '.join(first.values())})"
    return text


def _reasons(notice: notices.Notice) -> None:
    for fix in notice.corrections:
        if fix.field in _WAS:
            st.caption(
                f"Gecorrigeerd op {clock.format_local(fix.changed_at)}. Reden: {md_escape(fix.reason)}"
            )


def render(incident_id: int, overview: informing.Overview, made: dict[int, MadeLetter]) -> None:
    """Every recorded notice, in the order given; ``made``: the letters made, by id."""
    if overview.history:
        st.markdown("**Vastgelegd: wie zijn geïnformeerd**")
    for notice in overview.history:
        if notice.withdrawn:
            st.markdown(f"~~{line(notice, made)}~~ **Ingetrokken**, telt niet mee.")  # no user text in it
            st.caption(
                f"Ingetrokken op {clock.format_local(notice.withdrawn_at)}. "
                f"Reden: {md_escape(notice.withdrawn_reason)}"
            )
            _reasons(notice)
            _dropping(incident_id, notice.id).outcome()  # the withdrawal just made, if it was
            continue
        st.text(line(notice, made))
        _reasons(notice)
        with st.expander(
            "Corrigeren of intrekken",
            key=f"inf{incident_id}_n{notice.id}_open",
            on_change="rerun",
            icon=":material/edit:",
        ):
            _fix_form(incident_id, notice)
            withdraw_form(
                _dropping(incident_id, notice.id), informing.MAX_REASON, _drop, (incident_id, notice.id)
            )


def _fix_form(incident_id: int, notice: notices.Notice) -> None:
    form = _fixing(incident_id, notice.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    channels = [c.value for c in notices.Channel]
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Corrigeren** (de oude gegevens blijven bewaard)")
        field_error(errors, "form")
        cols = st.columns(3)
        with cols[0]:
            st.number_input(
                "Aantal ontvangers", min_value=0, value=notice.people_count, step=1, key=form.field("count")
            )
            field_error(errors, "people_count")
        with cols[1]:
            st.date_input(
                "Geïnformeerd op", value=notice.informed_on, key=form.field("on"), format="DD-MM-YYYY"
            )
            field_error(errors, "informed_on")
        with cols[2]:
            st.selectbox(
                "Hoe",
                channels,
                index=channels.index(notice.channel.value),
                key=form.field("channel"),
                format_func=lambda v: notices.Channel(v).label,
                filter_mode=None,
                placeholder="Kies",
            )
            field_error(errors, "channel")
        st.text_area("Waarom corrigeer je dit?", key=form.field("reason"), max_chars=informing.MAX_REASON)
        field_error(errors, "reason")
        st.form_submit_button("Correctie opslaan", on_click=_fix, args=(incident_id, notice.id, form.key))
    form.outcome()
