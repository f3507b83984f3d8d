"""Showing the engine's advice with its reasons, and the FG's decision form."""

from __future__ import annotations

import streamlit as st

from datalek import clock, deadlines, triage
from datalek.handling import decisions
from datalek.handling.decisions import Decision, Inform, NotBreachReason
from datalek.triage import enisa
from ui.callbacks import act
from ui.forms import field_error, md_escape
from ui.once import OnceForm

YES_NO = {True: "ja", False: "nee"}


def _reason_lines(reasons: list[triage.Reason]) -> None:
    for r in reasons:  # a reason may hold the FG's own words: shown as typed, never as Markdown
        st.markdown(f"- {md_escape(r.text)} *({r.ref})*")


def advice(a: triage.Advice) -> None:
    st.markdown(f"**{a.summary()}**")
    cols = st.columns(4)
    cols[0].metric("Melden bij de AP", YES_NO[a.notify_authority])
    cols[1].metric("Betrokkenen informeren", YES_NO[a.inform_subjects])
    cols[2].metric("Risico (EDPB)", a.risk.label if a.risk else "geen datalek")
    cols[3].metric("Termijn", deadlines.describe_hours_left(a.hours_left))
    if a.phased:
        st.warning(
            "Dit advies rust op feiten die nog onbekend zijn. Bij twijfel melden: meld binnen "
            "72 uur en vul de melding later aan (art. 33 lid 4 AVG)."
        )
    if a.exception:
        st.info(f"Uitzondering op informeren: {a.exception.label}")
    if a.enisa and a.enisa.adjustment_reason:
        st.info(f"Aangepast door de FG: {md_escape(a.enisa.adjustment_reason.text)}")
    st.markdown("**Waarom**")
    _reason_lines(a.breach_reasons + a.reasons)
    if a.risk_factors:
        with st.expander("De risicofactoren (EDPB-richtsnoeren 9/2022 §IV)", expanded=False):
            _reason_lines(a.risk_factors)
    if a.enisa:
        e = a.enisa
        with st.expander(f"ENISA-ernst: {e.level.label} ({enisa.formula(e)})"):
            for score in e.dpc_scores:
                st.markdown(f"- {enisa.dpc_line(score)}")
                _reason_lines(score.reasons)
            if e.adjustment_reason:
                st.markdown(f"- {enisa.adjustment_line(e)}")
                _reason_lines([e.adjustment_reason])
            st.markdown(f"- {enisa.ei_line(e.ei)}: {md_escape(e.ei_reason.text)} *({e.ei_reason.ref})*")
            for element in e.cb_elements:
                st.markdown(f"- {enisa.cb_line(element)}: {element.reason.text}")
            flags = [
                f
                for f, on in (
                    ("meer dan 100 personen", e.over_100),
                    ("gegevens onleesbaar", e.unintelligible),
                )
                if on
            ]
            st.caption("Kenmerken: " + (", ".join(flags) if flags else "geen"))
    if a.missing:
        st.markdown("**Ontbrekende feiten die het advies kunnen veranderen**")
        for m in a.missing:
            st.markdown(f"- {m.label}: {m.effect}")


def decision_summary(d: Decision) -> None:
    if d.breach:
        text = (
            f"Besluit: datalek. Melden bij de AP: {YES_NO[d.notify_authority]}. "
            f"Betrokkenen informeren: {d.inform.label.lower()}"
            + (f" ({d.inform_date:%d-%m-%Y})" if d.inform_date else "")
            + "."
        )
    elif d.duplicate_of is not None:  # counted apart: never "geen datalek"
        text = f"Besluit: dubbele melding van {md_escape(d.duplicate_reference)}."
    else:
        text = f"Besluit: geen datalek ({NotBreachReason(d.not_breach_reason).label})."
    st.success(text + f" Vastgelegd op {clock.format_local(d.decided_at)}.")
    if d.consulted:
        st.text(f"Geraadpleegd: {d.consulted}")
    st.markdown("**Motivering**")
    st.text(d.motivation)
    if d.deviates:
        st.markdown("**Motivering van de afwijking van het advies**")
        st.text(d.deviation_motivation)


def _deciding(incident_id: int) -> OnceForm:
    return OnceForm(f"d{incident_id}_")


def decision_form(incident_id: int, a: triage.Advice, errors: dict | None) -> None:
    """The FG's decision on the advice ``a``, recorded once per drawn form (``ui.once``), by
    this module's own callback, in one transaction with the form's submission key."""
    p = f"d{incident_id}_"
    form = _deciding(incident_id)
    breach = st.radio(
        "Is dit een datalek?",
        ["yes", "no"],
        key=p + "breach",
        horizontal=True,
        format_func={"yes": f"Ja (advies: {YES_NO[a.is_breach]})", "no": "Nee, geen datalek"}.get,
    )
    with st.form(form.field("form"), enter_to_submit=False):
        if breach == "yes":
            st.radio(
                f"Melden bij de AP? (advies: {YES_NO[a.notify_authority]})",
                ["yes", "no"],
                key=form.field("notify"),
                index=None,
                horizontal=True,
                format_func={"yes": "Ja", "no": "Nee"}.get,
            )
            field_error(errors, "notify_authority")
            st.radio(
                f"Betrokkenen informeren? (advies: {YES_NO[a.inform_subjects]})",
                [i.value for i in Inform],
                key=form.field("inform"),
                index=None,
                horizontal=True,
                format_func=lambda v: Inform(v).label,
            )
            field_error(errors, "inform")
            st.date_input(
                "Datum waarop je informeert (bij 'later')",
                key=form.field("inform_date"),
                value=None,
                format="DD-MM-YYYY",
            )
            field_error(errors, "inform_date")
        else:
            st.selectbox(
                "Waarom is dit geen datalek?",
                [r.value for r in NotBreachReason],
                key=form.field("reason"),
                index=None,
                filter_mode=None if len(NotBreachReason) <= 10 else "contains",
                placeholder="Kies de reden",
                format_func=lambda v: NotBreachReason(v).label,
            )
            field_error(errors, "not_breach_reason")
            st.caption(
                "Gaat deze melding over hetzelfde als een andere melding? Vul dan het kenmerk van "
                "die melding in. Deze melding wordt er dan onder samengevoegd en telt niet apart mee, "
                "ook niet als 'geen datalek'. Dit kan ook op het tabblad Melding, bij Samenvoegen en koppelen."
            )
            st.text_input(
                "Samenvoegen met de melding (kenmerk)",
                key=form.field("duplicate_of"),
                max_chars=40,
                placeholder="DL-2026-0001",
            )
            field_error(errors, "duplicate_of")
        st.text_area("Motivering van je besluit", key=form.field("motivation"), max_chars=4000)
        field_error(errors, "motivation")
        st.text_area(
            "Motivering als je afwijkt van het advies",
            key=form.field("deviation"),
            max_chars=4000,
            help="Verplicht als je besluit anders is dan het advies.",
        )
        field_error(errors, "deviation_motivation")
        st.text_input(
            "Wie heb je geraadpleegd? (niet verplicht)",
            key=form.field("consulted"),
            max_chars=decisions.MAX_CONSULTED,
            placeholder="Bijvoorbeeld: leidinggevende, CISO",
        )
        field_error(errors, "consulted")
        field_error(errors, "form")
        shown = st.session_state.get(f"shown_version_{incident_id}")  # the advice the FG sees
        st.form_submit_button(
            "Besluit vastleggen", type="primary", on_click=_decide, args=(incident_id, form.key, shown)
        )
    form.outcome()


def _decide(incident_id: int, key: str, shown: int | None) -> None:
    """The button's callback: record the decision of the form with submission ``key`` once,
    on the assessment version ``shown`` (a newer one meanwhile: refused by the core)."""
    values = decision_values(incident_id, key)

    def record(db, who) -> None:
        data = decisions.DecisionInput.model_validate(values)
        decisions.record(db, who, incident_id, data, assessment_version=shown)

    act(f"de_{incident_id}", "Het besluit is vastgelegd.", record, once=(_deciding(incident_id), key))


def decision_values(incident_id: int, key: str | None = None) -> dict:
    """What the decision form with submission ``key`` (default: the one drawn now) holds."""
    form, s = _deciding(incident_id), st.session_state
    key = key or form.key
    breach = s.get(f"d{incident_id}_breach", "yes") == "yes"
    notify = form.get(key, "notify")
    return {
        "breach": breach,
        "notify_authority": None if notify is None else notify == "yes",
        "inform": form.get(key, "inform"),
        "inform_date": form.get(key, "inform_date"),
        "not_breach_reason": form.get(key, "reason"),
        "motivation": form.get(key, "motivation") or "",
        "deviation_motivation": form.get(key, "deviation") or "",
        "consulted": form.get(key, "consulted") or "",
        "duplicate_of": form.get(key, "duplicate_of") or "",
    }
