"""Verwerkers en ketenpartners (on the FG-team page, issue #16): the organisation's register of
processors and partners, adding one, changing one with a reason, ending one (kept, with the
reason), the changes of each, and the file import and export (``ui.party_files_view``).
The core (``datalek.handling.processors``) checks, records and audits; this block only shows
and asks. Every form records once (``ui.once``); refused input keeps what was typed."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import processors
from datalek.handling.processors import Party, PartyKind
from datalek.models import Actor, Organisation
from ui import party_files_view
from ui.callbacks import act
from ui.forms import SHORT_LIST, choose_organisation, field_error, form_errors
from ui.once import OnceForm

state = st.session_state

ADDED = "De partij staat in het register."
CHANGED = "De wijziging is opgeslagen. Het oude gegeven blijft bewaard met de reden."
ENDED = "De partij is beëindigd. Ze blijft in het register staan, met de reden."
INTRO = (
    "Hier houd je bij met welke organisaties je organisatie persoonsgegevens deelt. Een verwerker "
    "werkt in opdracht van je organisatie, met een verwerkersovereenkomst. Een ketenpartner of "
    "andere verwerkingsverantwoordelijke werkt samen met je organisatie, bijvoorbeeld met een "
    "convenant. Bij een datalek kies je hier wie erbij betrokken was. Een partij haal je nooit weg: "
    "je beëindigt haar, met de reden."
)
FIELDS = ("kind", "name", "agreement_reference", "agreement_date", "services", "data_categories")
FIELDS += ("contact", "phone", "notice_hours", "basis")


def _adding(org_id: int) -> OnceForm:
    return OnceForm(f"pr{org_id}_add_")


def _changing(party_id: int) -> OnceForm:
    return OnceForm(f"pr{party_id}_chg_")


def _ending(party_id: int) -> OnceForm:
    return OnceForm(f"pr{party_id}_end_")


def render(actor: Actor, orgs: list[Organisation]) -> None:
    st.subheader("Verwerkers en ketenpartners", anchor=False)
    st.write(INTRO)
    names = {o.id: o.name for o in orgs}
    org_id = choose_organisation(names, "pr_org", only_when_several=True)
    if org_id is None:
        return
    try:
        with store.unit() as db:
            parties = processors.list_parties(db, actor, org_id)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    _table(parties)
    _add_form(org_id)
    active = [p for p in parties if p.active]
    if active:
        _change_block(actor, active)
    party_files_view.render(org_id, names[org_id])


def _table(parties: list[Party]) -> None:
    if not parties:
        st.caption("Er staan nog geen verwerkers of ketenpartners in het register.")
        return
    # st.dataframe shows text as text: names and addresses typed by people stay inert.
    st.dataframe(
        {
            "Soort": [p.kind.label for p in parties],
            "Naam": [p.name for p in parties],
            "Kenmerk overeenkomst": [p.agreement_reference for p in parties],
            "Datum overeenkomst": [
                p.agreement_date.strftime("%d-%m-%Y") if p.agreement_date else "" for p in parties
            ],
            "Diensten": [p.services for p in parties],
            "Soorten gegevens": ["; ".join(c.label for c in p.categories) for p in parties],
            "Contact bij een datalek": [" / ".join(x for x in (p.contact, p.phone) if x) for p in parties],
            "Meldtermijn": [f"{p.notice_hours} uur" if p.notice_hours else "" for p in parties],
            "Grondslag": [p.basis for p in parties],
            "Status": ["actief" if p.active else f"beëindigd: {p.ended_reason}" for p in parties],
        },
        hide_index=True,
        width="stretch",
    )


def _fields(form: OnceForm, errors: dict | None) -> None:
    """The register's fields, keyed in ``form``; their values come from the session state."""
    kinds = [k.value for k in PartyKind]
    st.selectbox(
        "Soort",
        kinds,
        format_func=lambda v: PartyKind(v).label,
        key=form.field("kind"),
        filter_mode=None,
        placeholder="Kies de soort",
    )
    field_error(errors, "kind")
    st.text_input("Naam van de organisatie", key=form.field("name"), max_chars=processors.MAX_NAME)
    field_error(errors, "name")
    left, right = st.columns(2)
    left.text_input(
        "Kenmerk van de overeenkomst",
        key=form.field("agreement_reference"),
        max_chars=processors.MAX_REFERENCE,
    )
    with left:
        field_error(errors, "agreement_reference")
    right.date_input(
        "Datum van de overeenkomst",
        key=form.field("agreement_date"),
        format="DD-MM-YYYY",
        min_value=date(1990, 1, 1),
        max_value=clock.today(),
    )
    with right:
        field_error(errors, "agreement_date")
    st.text_area(
        "Diensten (wat doet deze partij voor je organisatie?)",
        key=form.field("services"),
        max_chars=processors.MAX_TEXT,
    )
    field_error(errors, "services")
    st.multiselect(
        "Soorten gegevens",
        [c.value for c in processors.CATEGORIES],
        format_func=lambda v: processors.category(v).label,
        key=form.field("data_categories"),
        placeholder="Kies een of meer",
        filter_mode="contains",
    )
    field_error(errors, "data_categories")
    left, right = st.columns(2)
    left.text_input(
        "Contact bij een datalek (een functieadres, niet van één persoon)",
        key=form.field("contact"),
        max_chars=processors.MAX_CONTACT,
    )
    with left:
        field_error(errors, "contact")
    right.text_input("Telefoon bij een datalek", key=form.field("phone"), max_chars=processors.MAX_PHONE)
    with right:
        field_error(errors, "phone")
    left, right = st.columns(2)
    left.number_input(
        "Afgesproken meldtermijn in uren (alleen voor een verwerker)",
        min_value=1,
        max_value=processors.MAX_NOTICE_HOURS,
        step=1,
        key=form.field("notice_hours"),
    )
    with left:
        field_error(errors, "notice_hours")
    right.text_input(
        "Grondslag (bijvoorbeeld een convenant)", key=form.field("basis"), max_chars=processors.MAX_CONTACT
    )
    with right:
        field_error(errors, "basis")


def _seed(form: OnceForm, values: dict) -> None:
    """Fill the form's fields once (a value typed since stays)."""
    for name, value in values.items():
        state.setdefault(form.field(name), value)


def _values(form: OnceForm, key: str) -> dict:
    return {name: form.get(key, name) for name in FIELDS}


def _add_form(org_id: int) -> None:
    form = _adding(org_id)
    errors = state.get(form.prefix + "errors")
    _seed(form, {"notice_hours": processors.DEFAULT_NOTICE_HOURS, "agreement_date": None})
    st.markdown("**Een verwerker of ketenpartner toevoegen**")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        _fields(form, errors)
        field_error(errors, "form")
        st.form_submit_button(
            "Toevoegen aan het register", type="primary", on_click=_add, args=(org_id, form.key)
        )
    form.outcome()


def _change_block(actor: Actor, active: list[Party]) -> None:
    st.markdown("**Een partij wijzigen of beëindigen**")
    by_id = {p.id: p for p in active}
    chosen = st.selectbox(
        "Welke partij?",
        list(by_id),
        index=None,
        format_func=lambda i: f"{by_id[i].name} ({by_id[i].kind.label.lower()})",
        key="pr_chosen",
        filter_mode=None if len(by_id) <= SHORT_LIST else "contains",
        placeholder="Kies een partij",
    )
    if chosen is None or chosen not in by_id:
        return
    party = by_id[chosen]
    form = _changing(party.id)
    errors = state.get(form.prefix + "errors")
    _seed(form, party.stated())
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        _fields(form, errors)
        st.text_area("Waarom wijzig je dit?", key=form.field("reason"), max_chars=processors.MAX_REASON)
        field_error(errors, "reason")
        field_error(errors, "form")
        st.form_submit_button("Wijziging opslaan", on_click=_change, args=(party.id, form.key))
    form.outcome()
    ending = _ending(party.id)
    end_errors = state.get(ending.prefix + "errors")
    with st.form(ending.field("form"), enter_to_submit=False):
        st.markdown("**Beëindigen** (de samenwerking is gestopt; de partij blijft in het register)")
        st.text_area(
            "Waarom beëindig je deze partij?", key=ending.field("reason"), max_chars=processors.MAX_REASON
        )
        field_error(end_errors, "reason")
        st.form_submit_button("Beëindigen", on_click=_end, args=(party.id, ending.key))
    ending.outcome()
    with store.unit() as db:
        changes = processors.history(db, actor, party.id)
    st.markdown("**Wijzigingen van deze partij**")
    if not changes:
        st.caption("Geen wijzigingen.")
    for c in changes:  # plain text: values and reasons were typed by people
        st.text(
            f"{c.label}: {c.old or 'leeg'} → {c.new or 'leeg'}\n"
            f"Door {c.changed_by} op {clock.format_local(c.changed_at)}\nReden: {c.reason}"
        )


# --- callbacks ---------------------------------------------------------------------------------


def _add(org_id: int, key: str) -> None:
    form = _adding(org_id)
    values = _values(form, key)
    act(
        form.prefix + "errors",
        ADDED,
        lambda db, who: processors.add(db, who, org_id, values),
        once=(form, key),
    )


def _change(party_id: int, key: str) -> None:
    form = _changing(party_id)
    values, reason = _values(form, key), form.get(key, "reason", "")
    act(
        form.prefix + "errors",
        CHANGED,
        lambda db, who: processors.change(db, who, party_id, values, reason),
        once=(form, key),
    )  # a saved form is drawn anew under a new key, seeded with the saved values


def _end(party_id: int, key: str) -> None:
    form = _ending(party_id)
    reason = form.get(key, "reason", "")
    if act(
        form.prefix + "errors",
        ENDED,
        lambda db, who: processors.end(db, who, party_id, reason),
        once=(form, key),
    ):
        state.pop("pr_chosen", None)
