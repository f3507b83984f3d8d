"""Informing per person and per family (issue #15): the incident's families, each with its
persons in a table (relation, age on the date of informing, the proposal and the rule it
follows, where the person stands), what the FG must still record (the gaps), the family's
safety, a letter per receiving person, and per person the forms to change, deviate or take off
the list. Every text a user typed is shown as text, never as Markdown or HTML."""

from __future__ import annotations

from datetime import date

import streamlit as st

from datalek import clock
from datalek.actions import households
from datalek.actions.addressees import Addressee
from datalek.actions.informing_list import Household, InformingList
from datalek.actions.informing_status import InformState
from datalek.actions.sending import MemberStatus
from datalek.models import Incident
from ui import family_safety, letter_view, member_changes, member_forms
from ui.callbacks import act
from ui.forms import field_error, md_escape
from ui.once import OnceForm

state = st.session_state
SAFETY = "geen bericht (veiligheid)"


def _adding_family(incident_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_family_")


def _add_family(incident_id: int, key: str) -> None:
    form = _adding_family(incident_id)
    act(
        form.prefix + "errors",
        "Het gezin is toegevoegd. Zet er nu de personen in.",
        lambda db, who: households.add_household(db, who, incident_id),
        once=(form, key),
    )


def proposal_text(house: Household, status: MemberStatus) -> str:
    """Who the person's letter is for, or that there is none (and why in short)."""
    if status.member_id in house.flagged:
        return SAFETY
    proposal = status.proposal
    if not proposal.receives:
        return "geen bericht"
    about = [i for i in proposal.about if i != status.member_id]
    return proposal.reader.label + (f" (over persoon {', '.join(map(str, about))})" if about else "")


def status_text(house: Household, status: MemberStatus) -> str:
    """Where the person stands: sent on, letter made, postponed, a safety risk, or no letter."""
    if status.state is InformState.INFORMED:
        return letter_view.sent_line(status.notice).removesuffix(".")
    if status.state is InformState.POSTPONED:
        return f"Uitgesteld tot {house.judgement.review_on:%d-%m-%Y}"
    if status.state is InformState.FLAGGED:
        return "Veiligheidsrisico"
    if status.letters and status.may_make:
        return f"Brief gemaakt op {clock.format_local(status.letters[-1].made_at)}"
    return status.state.label


def _table(house: Household, statuses: dict[int, MemberStatus], today: date) -> None:
    rows = []
    for m in house.members:
        s = statuses[m.id]
        rows.append(
            {
                "Persoon": f"Persoon {m.id}" + (f" · dossier {m.file_ref}" if m.file_ref else ""),
                "Relatie": m.relation.label,
                "Leeftijd vandaag": member_forms.age_text(m, today) or "-",
                "Voorstel": proposal_text(house, s),
                "Regel": s.proposal.rule,
                "Status": status_text(house, s),
            }
        )
    # st.table renders Markdown in its cells: every cell is escaped.
    st.table([{k: md_escape(v) for k, v in row.items()} for row in rows], hide_index=True)


def _make(incident_id: int, reference: str, member_id: int, reader: str) -> None:
    chosen = Addressee(reader)
    name = f"brief-{reference}-{letter_view.FILE_NAMES[chosen]}-persoon-{member_id}"
    letter_view.make(incident_id, chosen, f"inf{incident_id}_m{member_id}_", name, member_id)


def _letters(incident: Incident, house: Household, statuses: dict[int, MemberStatus], today: date) -> None:
    """Per receiving person: "Maak de brief", the letter, its downloads and "Verstuurd vastleggen".
    A postponed family makes no letters; a flagged person never gets one."""
    receiving = [
        m
        for m in house.members
        if statuses[m.id].proposal.receives and statuses[m.id].state is not InformState.FLAGGED
    ]
    if not receiving or family_safety.postponed(house):
        return
    st.markdown("**Brieven**")
    for m in receiving:
        s, p = statuses[m.id], f"inf{incident.id}_m{m.id}_"
        with st.container(border=True, key=p + "box"):
            st.markdown(
                f"**{md_escape(member_forms.label(m, today))}**: brief voor "
                f"{md_escape(s.proposal.reader.label.lower())}"
            )
            if s.notice is not None:
                st.markdown(md_escape(letter_view.sent_line(s.notice)))
            elif not s.may_make:
                st.caption(md_escape(s.why_not))
            if s.may_make and s.notice is None:
                st.button(
                    "Maak de brief",
                    key=p + "make",
                    on_click=_make,
                    args=(incident.id, incident.reference, m.id, s.proposal.reader.value),
                )
                letter_view.refused(p)
            letter_id = letter_view.made_letter(p) if s.may_make else None
            if letter_id is None and s.may_make and s.notice is None and s.letters:
                earlier = s.letters[-1]  # made in an earlier session: its sending can be recorded
                st.caption(
                    f"Brief gemaakt op {clock.format_local(earlier.made_at)}. Download hem opnieuw "
                    "onder 'Gemaakte brieven'."
                )
                letter_id = earlier.id
            if letter_id is not None and s.notice is None:
                letter_view.sent_form(p, letter_id, group=False)
            else:
                letter_view.sending_form(p).outcome()  # said where the form was


def _persons(incident_id: int, house: Household, today: date) -> None:
    for m in house.members:
        with st.expander(
            md_escape(f"{member_forms.label(m, today)}: wijzigen, afwijken of van de lijst halen"),
            key=f"inf{incident_id}_m{m.id}_open",
            on_change="rerun",
        ):
            member_changes.changes(m)
            member_changes.change_form(incident_id, m, today)
            member_changes.deviate_form(incident_id, m)
            member_changes.remove_form(incident_id, m)
    for m in house.removed:
        st.caption(
            md_escape(
                f"Van de lijst gehaald: {member_forms.label(m, today)}, op "
                f"{clock.format_local(m.removed_at)}. Reden: {m.removed_reason}"
            )
        )
        member_changes.outcomes(incident_id, m.id)


def _family(
    incident: Incident, house: Household, statuses: dict[int, MemberStatus], gaps: list[str], today: date
) -> None:
    with st.container(border=True, key=f"inf{incident.id}_h{house.id}_box"):
        st.markdown(f"**{md_escape(house.label)}**")
        if house.members:
            _table(house, statuses, today)
        else:
            st.caption("Nog niemand in dit gezin. Voeg hieronder de personen toe.")
        for gap in gaps:
            st.warning(md_escape(gap), icon=":material/warning:")
        _persons(incident.id, house, today)
        member_forms.add_form(incident.id, house.id, today)
        family_safety.standing(house, today)
        if house.members:
            family_safety.form(incident.id, house, today)
        _letters(incident, house, statuses, today)


def render(incident: Incident, listed: InformingList, statuses: dict[int, MemberStatus]) -> None:
    """The families of the incident and "Gezin toevoegen"."""
    today = clock.today()
    st.caption(
        "Zet per gezin de personen op de lijst. Per persoon zie je wie welke brief krijgt, en waarom. "
        "Leeftijden gelden op de dag van vandaag: de dag van informeren."
    )
    gaps = listed.gaps(today)
    for house in listed.households:
        _family(incident, house, statuses, gaps[house.id], today)
    form = _adding_family(incident.id)
    with st.form(form.field("form"), enter_to_submit=False, border=False):
        field_error(state.get(form.prefix + "errors"), "form")
        st.form_submit_button("Gezin toevoegen", on_click=_add_family, args=(incident.id, form.key))
    form.outcome()
