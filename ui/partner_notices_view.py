"""Ketenpartners geïnformeerd (the FG's incident page, issue #16): which partner or controller
was told what, when, by whom and how, and their reply; a form to log it, one to fill in the reply
later or correct a row (the old value is kept with the reason), and "Intrekken" for a row
entered by mistake (it stays visible)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import partner_notice_rules, partner_notices
from datalek.handling.partner_notice_rules import CHANNELS, Channel, NoticeInput, Partner
from datalek.handling.partner_notices import Notice
from datalek.models import Actor, InvalidInput
from ui.callbacks import act
from ui.forms import SHORT_LIST, datetime_input, field_error, form_errors, local_datetime
from ui.once import OnceForm, withdraw_form

state = st.session_state
RECORDED = "Vastgelegd: de partner is geïnformeerd."
CORRECTED = "De wijziging is opgeslagen. Het oude gegeven blijft bewaard met de reden."
WITHDRAWN = "Ingetrokken. De regel blijft zichtbaar, met de reden."
NOTHING_CHANGED = "Je hebt niets gewijzigd. Er is niets opgeslagen."


def _recording(incident_id: int) -> OnceForm:
    return OnceForm(f"pn{incident_id}_add_")


def _correcting(notice_id: int) -> OnceForm:
    return OnceForm(f"pn{notice_id}_fix_")


def _withdrawing(notice_id: int) -> OnceForm:
    return OnceForm(f"pn{notice_id}_drop_")


def render(actor: Actor, incident_id: int) -> None:
    st.markdown("**Ketenpartners geïnformeerd**")
    try:
        with store.unit() as db:
            found = partner_notices.for_incident(db, actor, incident_id)
            history = partner_notices.history(db, actor, incident_id)
            parties, orgs = partner_notices.partner_choices(db, actor, incident_id)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    if not found:
        st.caption("Nog geen ketenpartner of andere organisatie geïnformeerd.")
    for n in found:
        st.text(_lines(n))  # plain text: everything here was typed by people
    choices = {f"p{k}": f"{v} (register)" for k, v in parties.items()}
    choices |= {f"o{k}": f"{v} (keten)" for k, v in orgs.items()}
    _record_form(incident_id, choices)
    standing = [n for n in found if n.withdrawn_at is None]
    if standing:
        _correct_block(incident_id, standing)
    if history:
        st.markdown("**Wijzigingen van ketenpartners geïnformeerd**")
        for c in history:
            st.text(
                f"{c.partner_name} — {c.label}: {c.old or 'leeg'} → {c.new or 'leeg'}\n"
                f"Door {c.changed_by} op {clock.format_local(c.changed_at)}\nReden: {c.reason or 'geen (eerste invulling)'}"
            )


def _lines(n: Notice) -> str:
    lines = [
        f"{n.partner_name} — {n.channel.label.lower()}, {clock.format_local(n.told_at)}",
        f"Verteld: {n.told_what}",
        f"Vastgelegd door {n.recorded_by}",
    ]
    if n.reply:
        lines.append(f"Antwoord ({clock.format_local(n.reply_at)}): {n.reply}")
    else:
        lines.append("Nog geen antwoord vastgelegd.")
    if n.withdrawn_at:
        lines.append(f"Ingetrokken op {clock.format_local(n.withdrawn_at)}. Reden: {n.withdrawn_reason}")
    return "\n".join(lines)


def _fields(form: OnceForm, errors: dict | None) -> None:
    st.text_area("Wat heb je verteld?", key=form.field("what"), max_chars=partner_notice_rules.MAX_TEXT)
    field_error(errors, "told_what")
    datetime_input("Wanneer geïnformeerd", form.field("told"))
    field_error(errors, "told_at")
    st.selectbox(
        "Hoe?",
        [c.value for c in CHANNELS],
        index=None,
        format_func=lambda v: CHANNELS[Channel(v)],
        key=form.field("channel"),
        placeholder="Kies een kanaal",
        filter_mode=None,
    )
    field_error(errors, "channel")
    st.text_area(
        "Antwoord van de partner (als dat er al is)",
        key=form.field("reply"),
        max_chars=partner_notice_rules.MAX_TEXT,
        placeholder="Bijvoorbeeld: Gemeente X meldt zelf bij de AP, meldnummer …",
    )
    field_error(errors, "reply")
    datetime_input("Wanneer kwam het antwoord", form.field("reply_at"))
    field_error(errors, "reply_at")


def _record_form(incident_id: int, choices: dict[str, str]) -> None:
    form = _recording(incident_id)
    errors = state.get(form.prefix + "errors")
    st.markdown("**Vastleggen wie je hebt geïnformeerd**")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        if choices:
            st.selectbox(
                "Partner uit het register of de keten",
                list(choices),
                index=None,
                format_func=choices.get,
                key=form.field("choice"),
                placeholder="Kies een partner",
                filter_mode=None if len(choices) <= SHORT_LIST else "contains",
            )
        st.text_input(
            "Of typ de naam van de partner" if choices else "Naam van de partner",
            key=form.field("name"),
            max_chars=partner_notice_rules.MAX_NAME,
        )
        field_error(errors, "partner")
        _fields(form, errors)
        field_error(errors, "form")
        st.form_submit_button("Vastleggen", type="primary", on_click=_record, args=(incident_id, form.key))
    form.outcome()


def _seed(form: OnceForm, name: str, moment: datetime | None) -> None:
    local = moment.astimezone(clock.AMSTERDAM) if moment else None
    state.setdefault(form.field(name) + "_date", local.date() if local else None)
    state.setdefault(
        form.field(name) + "_time", local.time().replace(second=0, microsecond=0) if local else None
    )


def _correct_block(incident_id: int, standing: list[Notice]) -> None:
    by_id = {n.id: n for n in standing}
    chosen = st.selectbox(
        "Antwoord invullen, verbeteren of intrekken",
        list(by_id),
        index=None,
        format_func=lambda i: f"{by_id[i].partner_name}, {clock.format_local(by_id[i].told_at)}",
        key=f"pn{incident_id}_chosen",
        filter_mode=None,
        placeholder="Kies een regel",
    )
    if chosen not in by_id:
        return
    n = by_id[chosen]
    form = _correcting(n.id)
    errors = state.get(form.prefix + "errors")
    state.setdefault(form.field("what"), n.told_what)
    state.setdefault(form.field("channel"), n.channel.value)
    state.setdefault(form.field("reply"), n.reply)
    _seed(form, "told", n.told_at)
    _seed(form, "reply_at", n.reply_at)
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.caption(f"Partner: {n.partner_name}")
        _fields(form, errors)
        st.text_area(
            "Waarom wijzig je dit? (niet nodig als je alleen het antwoord invult)",
            key=form.field("reason"),
            max_chars=partner_notice_rules.MAX_REASON,
        )
        field_error(errors, "reason")
        field_error(errors, "partner")
        field_error(errors, "form")
        st.form_submit_button(
            "Wijziging opslaan", on_click=_correct, args=(incident_id, n.id, n.partner_name, form.key)
        )
    form.outcome()
    withdraw_form(_withdrawing(n.id), partner_notice_rules.MAX_REASON, _withdraw, (incident_id, n.id))


# --- callbacks ---------------------------------------------------------------------------------


def _given(form: OnceForm, key: str, partner: Partner) -> NoticeInput:
    return NoticeInput(
        partner=partner,
        told_what=form.get(key, "what", "") or "",
        told_at=local_datetime(form.get(key, "told_date"), form.get(key, "told_time")),
        channel=form.get(key, "channel"),
        reply=form.get(key, "reply", "") or "",
        reply_at=local_datetime(form.get(key, "reply_at_date"), form.get(key, "reply_at_time")),
    )


def _record(incident_id: int, key: str) -> None:
    form = _recording(incident_id)
    choice = form.get(key, "choice") or ""
    partner = Partner(
        party_id=int(choice[1:]) if choice.startswith("p") else None,
        org_id=int(choice[1:]) if choice.startswith("o") else None,
        name=form.get(key, "name", "") or "",
    )
    given = _given(form, key, partner)
    act(
        form.prefix + "errors",
        RECORDED,
        lambda db, who: partner_notices.record(db, who, incident_id, given),
        once=(form, key),
    )


def _correct(incident_id: int, notice_id: int, name: str, key: str) -> None:
    form = _correcting(notice_id)
    given = _given(form, key, Partner(name=name))
    reason = form.get(key, "reason", "") or ""

    def correct(db, who) -> None:
        # nothing differs from the row: nothing was written and the key stays unclaimed, so
        # the form keeps what was typed and says so instead of "opgeslagen"
        if not partner_notices.correct(db, who, incident_id, notice_id, given, reason):
            raise InvalidInput({"form": NOTHING_CHANGED})

    act(form.prefix + "errors", CORRECTED, correct, once=(form, key))


def _withdraw(incident_id: int, notice_id: int, key: str) -> None:
    form = _withdrawing(notice_id)
    reason = form.get(key, "reason", "") or ""
    act(
        form.prefix + "errors",
        WITHDRAWN,
        lambda db, who: partner_notices.withdraw(db, who, incident_id, notice_id, reason),
        once=(form, key),
    )
