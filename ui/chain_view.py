"""Keten (the FG's incident page, issue #16): the chain this incident is in — its shared
description and every member as organisation and reference, nothing more of another
organisation's incident — and, for the FG of a shared service, the forms to make linked
incidents for her other organisations and to add an existing incident of one of them; the FG
of this incident corrects the shared description (with a reason, shown in the chain's history)
and takes the incident out of the chain with a reason (linked by mistake)."""

from __future__ import annotations

import streamlit as st

from datalek import clock, regime, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import chain_rules, chains
from datalek.handling.chains import Chain, Target
from datalek.models import Actor, InvalidInput
from ui.callbacks import act
from ui.forms import SHORT_LIST, datetime_input, field_error, form_errors, local_datetime
from ui.once import OnceForm

state = st.session_state
MADE = "De gekoppelde meldingen zijn gemaakt. Elke organisatie heeft nu haar eigen melding en termijn."
ADDED = "De melding is aan de keten toegevoegd."
REMOVED = "De melding is uit de keten gehaald. De reden staat bij de keten."
DESCRIBED = "De gedeelde beschrijving is aangepast. Alle organisaties in de keten zien de nieuwe tekst."
WHY_CHANGED = "Waarom pas je dit aan?"
EXPLAINED = (
    "Een keten-incident verbindt de meldingen van verschillende organisaties met dezelfde oorzaak. "
    "Elke organisatie beoordeelt en meldt zelf. Van een melding van een andere organisatie zie je "
    "alleen de organisatie en het kenmerk."
)
DESCRIPTION = "Gedeelde beschrijving (zonder persoonsgegevens)"
DESCRIPTION_HELP = (
    "Deze tekst zien de FG's van alle organisaties in de keten. Noem geen namen, nummers of adressen."
)


def _making(incident_id: int) -> OnceForm:
    return OnceForm(f"ch{incident_id}_make_")


def _adding(incident_id: int) -> OnceForm:
    return OnceForm(f"ch{incident_id}_add_")


def _removing(incident_id: int) -> OnceForm:
    return OnceForm(f"ch{incident_id}_remove_")


def _describing(incident_id: int) -> OnceForm:
    return OnceForm(f"ch{incident_id}_describe_")


def render(actor: Actor, incident_id: int) -> None:
    st.markdown("**Keten**")
    st.caption(EXPLAINED)
    try:
        with store.unit() as db:
            chain = chains.of_incident(db, actor, incident_id)
            others = chains.other_organisations(db, actor, incident_id)
            free = chains.candidates(db, actor, incident_id) if others else []
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    if chain is None:
        st.caption("Deze melding hoort (nog) niet bij een keten-incident.")
    else:
        _shown(chain, incident_id)
        if any(m.incident_id == incident_id and not m.removed_at for m in chain.members):
            _describe_form(incident_id, chain)
            _remove_form(incident_id)
        else:  # taken out just now: the forms are gone, the outcome is still said
            _removing(incident_id).outcome()
    if others:
        _make_form(incident_id, others, chain)
        _add_form(incident_id, free, chain)


def _shown(chain: Chain, incident_id: int) -> None:
    lines = [f"Gedeelde beschrijving: {chain.description}", "Meldingen in de keten:"]
    for m in chain.members:
        line = f"- {m.reference} — {m.org_name}"
        if m.incident_id == incident_id:
            line += " (deze melding)"
        if m.removed_at:
            line += f" — uit de keten gehaald op {clock.format_local(m.removed_at)}"
            if m.removed_reason:
                line += f". Reden: {m.removed_reason}"
        lines.append(line)
    if chain.changes:
        lines.append("Wijzigingen van de gedeelde beschrijving:")
    for c in chain.changes:
        lines.append(
            f'- {clock.format_local(c.changed_at)} door {c.changed_by}: "{c.old}" werd "{c.new}". '
            f"Reden: {c.reason}"
        )
    st.text("\n".join(lines))  # plain text: the description and reasons were typed by people


def _description(form: OnceForm, errors: dict | None, chain: Chain | None) -> None:
    if chain is None:
        st.text_area(
            DESCRIPTION,
            key=form.field("description"),
            max_chars=chain_rules.MAX_DESCRIPTION,
        )
        st.caption(DESCRIPTION_HELP)
        field_error(errors, "description")


def _make_form(incident_id: int, others: dict[int, str], chain: Chain | None) -> None:
    form = _making(incident_id)
    errors = state.get(form.prefix + "errors")
    st.markdown("**Gekoppelde meldingen maken voor andere organisaties**")
    st.caption(
        f"Elke gekoppelde melding is een gewone melding van die organisatie. Haar termijn van "
        f"{regime.CURRENT.period_hours} uur begint nu, tenzij je een eerder moment invult waarop die "
        "organisatie het wist, met de reden."
    )
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        _description(form, errors, chain)
        st.multiselect(
            "Voor welke organisaties?",
            list(others),
            format_func=others.get,
            key=form.field("orgs"),
            placeholder="Kies een of meer",
            filter_mode=None if len(others) <= SHORT_LIST else "contains",
        )
        field_error(errors, "orgs")
        datetime_input("Wisten deze organisaties het eerder? Vul dan dat moment in", form.field("aware"))
        field_error(errors, "aware_at")
        st.text_area(
            "Reden van het eerdere moment", key=form.field("reason"), max_chars=chain_rules.MAX_REASON
        )
        field_error(errors, "aware_reason")
        field_error(errors, "form")
        st.form_submit_button(
            "Gekoppelde meldingen maken", type="primary", on_click=_make, args=(incident_id, form.key)
        )
    form.outcome()


def _add_form(incident_id: int, free: list[chains.Candidate], chain: Chain | None) -> None:
    form = _adding(incident_id)
    errors = state.get(form.prefix + "errors")
    options = {c.incident_id: f"{c.reference} — {c.org_name}" for c in free}
    st.markdown("**Een bestaande melding van een andere organisatie toevoegen**")
    if not options:
        st.caption("Je andere organisaties hebben geen melding die nog niet in een keten zit.")
        form.outcome()
        return
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        _description(form, errors, chain)
        st.selectbox(
            "Welke melding?",
            list(options),
            index=None,
            format_func=options.get,
            key=form.field("other"),
            placeholder="Kies een melding",
            filter_mode=None if len(options) <= SHORT_LIST else "contains",
        )
        field_error(errors, "other")
        field_error(errors, "form")
        st.form_submit_button("Aan de keten toevoegen", on_click=_add, args=(incident_id, form.key))
    form.outcome()


def _describe_form(incident_id: int, chain: Chain) -> None:
    """Correct the shared description: every member's FG sees the new text and the change."""
    form = _describing(incident_id)
    errors = state.get(form.prefix + "errors")
    st.markdown("**Gedeelde beschrijving aanpassen**")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area(
            DESCRIPTION,
            value=chain.description,
            key=form.field("description"),
            max_chars=chain_rules.MAX_DESCRIPTION,
        )
        st.caption(DESCRIPTION_HELP)
        field_error(errors, "description")
        st.text_area(WHY_CHANGED, key=form.field("reason"), max_chars=chain_rules.MAX_REASON)
        field_error(errors, "reason")
        field_error(errors, "form")
        st.form_submit_button("Beschrijving aanpassen", on_click=_describe, args=(incident_id, form.key))
    form.outcome()


def _remove_form(incident_id: int) -> None:
    """Take this incident out of its chain (linked by mistake): the membership stays, with why."""
    form = _removing(incident_id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area(
            "Waarom hoort deze melding niet bij de keten?",
            key=form.field("reason"),
            max_chars=chain_rules.MAX_REASON,
        )
        field_error(errors, "reason")
        field_error(errors, "form")
        st.form_submit_button("Uit de keten halen", on_click=_remove, args=(incident_id, form.key))
    form.outcome()


# --- callbacks ---------------------------------------------------------------------------------


def _make(incident_id: int, key: str) -> None:
    form = _making(incident_id)
    orgs = form.get(key, "orgs") or []
    aware = local_datetime(form.get(key, "aware_date"), form.get(key, "aware_time"))
    reason = form.get(key, "reason", "") or ""
    description = form.get(key, "description", "") or ""
    targets = [Target(o, aware, reason) for o in orgs]
    act(
        form.prefix + "errors",
        MADE,
        lambda db, who: chains.create_linked(db, who, incident_id, targets, description),
        once=(form, key),
    )


def _add(incident_id: int, key: str) -> None:
    form = _adding(incident_id)
    other = form.get(key, "other")
    description = form.get(key, "description", "") or ""

    def add(db, who):
        if other is None:
            raise InvalidInput({"other": "Kies de melding die je aan de keten toevoegt."})
        chains.add_existing(db, who, incident_id, other, description)

    act(form.prefix + "errors", ADDED, add, once=(form, key))


def _describe(incident_id: int, key: str) -> None:
    form = _describing(incident_id)
    text = form.get(key, "description", "") or ""
    reason = form.get(key, "reason", "") or ""
    act(
        form.prefix + "errors",
        DESCRIBED,
        lambda db, who: chains.change_description(db, who, incident_id, text, reason),
        once=(form, key),
    )


def _remove(incident_id: int, key: str) -> None:
    form = _removing(incident_id)
    reason = form.get(key, "reason", "") or ""
    act(
        form.prefix + "errors",
        REMOVED,
        lambda db, who: chains.remove(db, who, incident_id, reason),
        once=(form, key),
    )
