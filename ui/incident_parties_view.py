"""Verwerkers en ketenpartners bij dit incident (the FG's incident page, issue #16): which
processor or partner was involved and in which roles, and — for one that reported it to us —
its own moment of awareness and the moment it told us, with its delay against the agreed
period. Our own 72 hours are not touched by any of this. Changes keep the old value, who and
why; a link made by mistake is removed with a reason and stays visible."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import involvement, processors
from datalek.handling.involvement import Link, PartyRole
from datalek.models import Actor
from ui.callbacks import act
from ui.forms import SHORT_LIST, datetime_input, field_error, form_errors, local_datetime
from ui.once import OnceForm, withdraw_form

state = st.session_state
LINKED = "De partij is gekoppeld aan dit incident."
CHANGED = "De wijziging is opgeslagen. Het oude gegeven blijft bewaard met de reden."
REMOVED = "De koppeling is verwijderd. Ze blijft zichtbaar, met de reden."
AWARE = "Wanneer wist de verwerker het zelf"
TOLD = "Wanneer meldde de verwerker het aan ons"
OURS = (
    "De termijn van 72 uur voor de melding bij de AP loopt vanaf het moment waarop onze organisatie "
    "het wist, niet vanaf het moment van de verwerker."
)


def _linking(incident_id: int) -> OnceForm:
    return OnceForm(f"ip{incident_id}_add_")


def _changing(link_id: int) -> OnceForm:
    return OnceForm(f"ip{link_id}_chg_")


def _removing(link_id: int) -> OnceForm:
    return OnceForm(f"ip{link_id}_drop_")


def render(actor: Actor, incident_id: int, org_id: int) -> None:
    st.markdown("**Verwerkers en ketenpartners bij dit incident**")
    st.caption(OURS)
    try:
        with store.unit() as db:
            found = involvement.for_incident(db, actor, incident_id)
            history = involvement.history(db, actor, incident_id)
            parties = processors.list_parties(db, actor, org_id, include_ended=False)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    if not found:
        st.caption("Nog geen verwerker of ketenpartner gekoppeld.")
    for x in found:
        _shown(x)
    _link_form(incident_id, parties, {x.party_id for x in found if x.removed_at is None})
    standing = [x for x in found if x.removed_at is None]
    if standing:
        _change_block(incident_id, standing)
    if history:
        st.markdown("**Wijzigingen van de verwerkers en ketenpartners**")
        for c in history:  # plain text: reasons and names were typed by people
            st.text(
                f"{c.party_name} — {c.label}: {c.old or 'leeg'} → {c.new or 'leeg'}\n"
                f"Door {c.changed_by} op {clock.format_local(c.changed_at)}\nReden: {c.reason or 'geen (eerste invulling)'}"
            )


def _shown(x: Link) -> None:
    lines = [
        f"{x.party_name} ({x.party_kind.label.lower()})",
        "Rol: " + ", ".join(r.label.lower() for r in x.roles),
    ]
    if x.party_aware_at or x.party_told_at:
        lines.append(f"{x.party_kind.noun.capitalize()} wist het: {clock.format_local(x.party_aware_at)}")
        lines.append(
            f"{x.party_kind.noun.capitalize()} meldde het aan ons: {clock.format_local(x.party_told_at)}"
        )
    if x.removed_at:
        lines.append(f"Verwijderd op {clock.format_local(x.removed_at)}. Reden: {x.removed_reason}")
    st.text("\n".join(lines))
    if x.delay and x.removed_at is None:
        if x.delay.late:
            st.warning(x.delay.text, icon=":material/schedule:")
        else:
            st.info(x.delay.text, icon=":material/schedule:")


def _roles(form: OnceForm) -> None:
    st.multiselect(
        "Rol van deze partij bij het lek",
        [r.value for r in PartyRole],
        format_func=lambda v: PartyRole(v).label,
        key=form.field("roles"),
        placeholder="Kies een of meer",
        filter_mode=None,
    )


def _moments(form: OnceForm, errors: dict | None) -> None:
    st.caption("Alleen als de partij het lek aan ons meldde: haar eigen momenten.")
    datetime_input(AWARE, form.field("aware"))
    field_error(errors, "party_aware_at")
    datetime_input(TOLD, form.field("told"))
    field_error(errors, "party_told_at")


def _link_form(incident_id: int, parties: list[processors.Party], linked: set[int]) -> None:
    form = _linking(incident_id)
    errors = state.get(form.prefix + "errors")
    options = {p.id: f"{p.name} ({p.kind.label.lower()})" for p in parties if p.id not in linked}
    st.markdown("**Een verwerker of ketenpartner koppelen**")
    if not options:
        st.caption("Er is geen (andere) partij in het register. Voeg er een toe op de pagina FG-team.")
        form.outcome()  # the link just made took the last one: still say it was saved
        return
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.selectbox(
            "Welke partij?",
            list(options),
            index=None,
            format_func=options.get,
            key=form.field("party"),
            filter_mode=None if len(options) <= SHORT_LIST else "contains",
            placeholder="Kies een partij",
        )
        field_error(errors, "party")
        _roles(form)
        field_error(errors, "roles")
        _moments(form, errors)
        field_error(errors, "form")
        st.form_submit_button("Koppelen", type="primary", on_click=_link, args=(incident_id, form.key))
    form.outcome()


def _seed_moment(form: OnceForm, name: str, moment: datetime | None) -> None:
    local = moment.astimezone(clock.AMSTERDAM) if moment else None
    state.setdefault(form.field(name) + "_date", local.date() if local else None)
    state.setdefault(
        form.field(name) + "_time", local.time().replace(second=0, microsecond=0) if local else None
    )


def _change_block(incident_id: int, standing: list[Link]) -> None:
    by_id = {x.id: x for x in standing}
    chosen = st.selectbox(
        "Koppeling wijzigen of verwijderen",
        list(by_id),
        index=None,
        format_func=lambda i: by_id[i].party_name,
        key=f"ip{incident_id}_chosen",
        filter_mode=None,
        placeholder="Kies een partij",
    )
    if chosen not in by_id:
        return
    x = by_id[chosen]
    form = _changing(x.id)
    errors = state.get(form.prefix + "errors")
    state.setdefault(form.field("roles"), [r.value for r in x.roles])
    _seed_moment(form, "aware", x.party_aware_at)
    _seed_moment(form, "told", x.party_told_at)
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        _roles(form)
        field_error(errors, "roles")
        _moments(form, errors)
        st.text_area("Waarom wijzig je dit?", key=form.field("reason"), max_chars=involvement.MAX_REASON)
        field_error(errors, "reason")
        field_error(errors, "form")
        st.form_submit_button("Wijziging opslaan", on_click=_change, args=(incident_id, x.id, form.key))
    form.outcome()
    withdraw_form(_removing(x.id), involvement.MAX_REASON, _remove, (incident_id, x.id))


# --- callbacks ---------------------------------------------------------------------------------


def _moment(form: OnceForm, key: str, name: str) -> datetime | None:
    return local_datetime(form.get(key, name + "_date"), form.get(key, name + "_time"))


def _link(incident_id: int, key: str) -> None:
    form = _linking(incident_id)
    party_id, roles = form.get(key, "party"), form.get(key, "roles") or []
    aware, told = _moment(form, key, "aware"), _moment(form, key, "told")
    act(
        form.prefix + "errors",
        LINKED,
        lambda db, who: involvement.link(db, who, incident_id, party_id, roles, aware, told),
        once=(form, key),
    )


def _change(incident_id: int, link_id: int, key: str) -> None:
    form = _changing(link_id)
    roles, reason = form.get(key, "roles") or [], form.get(key, "reason", "")
    aware, told = _moment(form, key, "aware"), _moment(form, key, "told")
    act(
        form.prefix + "errors",
        CHANGED,
        lambda db, who: involvement.change(db, who, incident_id, link_id, roles, aware, told, reason),
        once=(form, key),
    )


def _remove(incident_id: int, link_id: int, key: str) -> None:
    form = _removing(link_id)
    reason = form.get(key, "reason", "")
    act(
        form.prefix + "errors",
        REMOVED,
        lambda db, who: involvement.remove(db, who, incident_id, link_id, reason),
        once=(form, key),
    )
