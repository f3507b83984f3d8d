"""Meldlinks (on the FG-team page, issue #16): links with which a processor, a partner or a
group of staff without an account reports a suspected breach for one organisation. Make one
(the link is shown once), see them all with their state and uses, revoke one with a reason.
The core (``datalek.accounts.report_links``) checks, records and audits; this block only shows
and asks. Every form records once (``ui.once``); refused input keeps what was typed."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from datalek import clock, store
from datalek.accounts import report_links
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.report_links import LinkKind, LinkState, ReportLink
from datalek.handling import processors
from datalek.models import Actor, Organisation
from ui import session
from ui.callbacks import act
from ui.forms import SHORT_LIST, choose_organisation, field_error, form_errors
from ui.once import OnceForm

state = st.session_state

INTRO = (
    "Met een meldlink kan iemand zonder account een datalek melden voor je organisatie: een "
    "verwerker, een ketenpartner of een groep medewerkers zonder account, zoals uitzendkrachten. "
    "Wie de link heeft, ziet alleen het meldformulier. Een link werkt tot de datum die je kiest "
    "(hoogstens een jaar) en je kunt hem altijd intrekken."
)
MADE = "De meldlink is gemaakt."
REVOKED = "De meldlink is ingetrokken. Wie hem nog open had, kan niets meer versturen."
SHOWN_ONCE = (
    "Kopieer de link nu en geef hem aan wie ermee moet melden. Je ziet hem maar één keer: "
    "Datalek bewaart alleen een controlecode."
)
CREATED = "rl_created"
LAST_REVOKED = "rl_revoked"


def _making(org_id: int) -> OnceForm:
    return OnceForm(f"rl{org_id}_add_")


def _revoking(link_id: int) -> OnceForm:
    return OnceForm(f"rl{link_id}_rev_")


def render(actor: Actor, orgs: list[Organisation]) -> None:
    st.subheader("Meldlinks", anchor=False)
    st.write(INTRO)
    names = {o.id: o.name for o in orgs}
    org_id = choose_organisation(names, "rl_org", only_when_several=True)
    if org_id is None:
        return
    try:
        with store.unit() as db:
            links = report_links.list_links(db, actor, org_id)
            parties = [p for p in processors.list_parties(db, actor, org_id) if p.active]
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    _table(links)
    _make_form(org_id, {p.id: p.name for p in parties})
    open_links = [x for x in links if x.state is not LinkState.REVOKED]
    if open_links:
        _revoke_block(open_links)
    if (last := state.get(LAST_REVOKED)) is not None:  # its form is gone: say it here
        _revoking(last).outcome()


def _table(links: list[ReportLink]) -> None:
    if not links:
        st.caption("Er zijn nog geen meldlinks.")
        return
    # st.dataframe shows text as text: labels and names typed by people stay inert.
    st.dataframe(
        {
            "Naam": [x.label for x in links],
            "Voor": [x.party_name or x.kind.label for x in links],
            "Gemaakt": [clock.format_local(x.created_at, with_time=False) for x in links],
            "Werkt tot": [
                clock.format_local(x.expires_at - timedelta(seconds=1), with_time=False) for x in links
            ],
            "Eenmalig": ["ja" if x.one_time else "nee" for x in links],
            "Meldingen": [x.uses for x in links],
            "Status": [
                f"{x.state.label}: {x.revoked_reason}" if x.state is LinkState.REVOKED else x.state.label
                for x in links
            ],
        },
        hide_index=True,
        width="stretch",
    )


def _make_form(org_id: int, parties: dict[int, str]) -> None:
    form = _making(org_id)
    errors = state.get(form.prefix + "errors")
    st.markdown("**Een meldlink maken**")
    form_errors(errors)
    state.setdefault(form.field("expires_on"), clock.today() + timedelta(days=report_links.DEFAULT_DAYS))
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_input(
            "Naam van de link (bijvoorbeeld 'Uitzendkrachten zorg')",
            key=form.field("label"),
            max_chars=report_links.MAX_LABEL,
        )
        field_error(errors, "label")
        st.radio(
            "Voor wie is de link?",
            [k.value for k in LinkKind],
            format_func=lambda v: LinkKind(v).label,
            key=form.field("kind"),
            index=None,
            horizontal=True,
        )
        field_error(errors, "kind")
        st.selectbox(
            "Welke verwerker of ketenpartner? (alleen als de link daarvoor is)",
            list(parties),
            format_func=parties.get,
            index=None,
            key=form.field("party_id"),
            filter_mode=None if len(parties) <= SHORT_LIST else "contains",
            placeholder="Kies uit het register" if parties else "Het register is nog leeg",
        )
        field_error(errors, "party_id")
        st.date_input(
            "De link werkt tot en met",
            key=form.field("expires_on"),
            format="DD-MM-YYYY",
            min_value=clock.today() + timedelta(days=1),
            max_value=clock.today() + timedelta(days=report_links.MAX_DAYS),
        )
        field_error(errors, "expires_on")
        st.checkbox("Eenmalig: de link werkt voor één melding", key=form.field("one_time"))
        field_error(errors, "form")
        st.form_submit_button("Meldlink maken", type="primary", on_click=_make, args=(org_id, form.key))
    form.outcome()
    if (made := state.get(CREATED)) and made[0] == org_id:
        st.warning(SHOWN_ONCE, icon=":material/link:")
        # a field to select and copy (st.code's copy button speaks English)
        st.text_input("De nieuwe meldlink", value=made[1], key=f"rl_link_{org_id}")
        st.button("Ik heb de link gekopieerd", on_click=lambda: state.pop(CREATED, None))


def _revoke_block(links: list[ReportLink]) -> None:
    st.markdown("**Een meldlink intrekken**")
    by_id = {x.id: x for x in links}
    chosen = st.selectbox(
        "Welke link?",
        list(by_id),
        index=None,
        format_func=lambda i: f"{by_id[i].label} ({by_id[i].state.label})",
        key="rl_chosen",
        filter_mode=None if len(by_id) <= SHORT_LIST else "contains",
        placeholder="Kies een link",
    )
    if chosen is None or chosen not in by_id:
        return
    form = _revoking(chosen)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area(
            "Waarom trek je de link in?", key=form.field("reason"), max_chars=report_links.MAX_REASON
        )
        field_error(errors, "reason")
        st.form_submit_button("Intrekken", on_click=_revoke, args=(chosen, form.key))
    form.outcome()


# --- callbacks ---------------------------------------------------------------------------------


def _make(org_id: int, key: str) -> None:
    form = _making(org_id)
    values = {name: form.get(key, name) for name in ("label", "kind", "party_id", "expires_on", "one_time")}
    base = session.site_url()

    def make(db, who) -> None:
        made = report_links.create(db, who, org_id, values, base)
        state[CREATED] = (org_id, made.url)

    act(form.prefix + "errors", MADE, make, once=(form, key))


def _revoke(link_id: int, key: str) -> None:
    form = _revoking(link_id)
    reason = form.get(key, "reason", "")
    if act(
        form.prefix + "errors",
        REVOKED,
        lambda db, who: report_links.revoke(db, who, link_id, reason),
        once=(form, key),
    ):
        state[LAST_REVOKED] = link_id
        state.pop("rl_chosen", None)
