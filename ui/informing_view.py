"""Betrokkenen informeren: who receives a message (age rules), the safety check per recipient
group, the letter for each kind of reader, recording who was informed, and the public notice."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.accounts.downloads import Download
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, IncidentRef
from datalek.actions import addressees, documents, informing, letters
from datalek.actions.addressees import Addressee
from datalek.handling.decisions import Decision, Inform
from datalek.models import Actor, Incident
from ui import downloads
from ui.callbacks import act
from ui.forms import field_error, form_errors

state = st.session_state
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE_NAMES = {Addressee.PERSON: "betrokkene", Addressee.PARENTS: "ouders", Addressee.YOUNG_PERSON: "jongere"}
_PARTS = (
    ("what_happened", "Wat is er gebeurd? (zonder namen)"),
    ("consequences", "Wat kan dit betekenen voor de lezer?"),
    ("measures", "Wat heeft de organisatie gedaan?"),
)


def _text(incident_id: int, recipient: Addressee) -> letters.LetterText:
    """The shared parts plus what this reader can do, written in their own voice."""
    p = f"inf{incident_id}_"
    return letters.LetterText(
        **{name: state.get(p + name, "") for name, _ in _PARTS},
        what_you_can_do=state.get(f"{p}{recipient.value}_you", ""),
    )


def _safety(incident_id: int, recipient: Addressee) -> None:
    p = f"inf{incident_id}_{recipient.value}_"
    answer = state.get(p + "risk")
    risk = None if answer is None else answer == "yes"
    if act(
        p + "errors",
        "De veiligheidscheck is vastgelegd.",
        lambda db, who: informing.record_safety_check(
            db, who, incident_id, recipient, risk, state.get(p + "reason", ""), state.get(p + "review")
        ),
    ):
        for field in ("risk", "reason", "review"):
            state.pop(p + field, None)


def _letter(incident_id: int, reference: str, recipient: Addressee) -> None:
    p = f"inf{incident_id}_{recipient.value}_"

    def make(db, who):
        made = documents.letter_for(db, who, incident_id, recipient, _text(incident_id, recipient))
        name = f"brief-{reference}-{FILE_NAMES[recipient]}"
        files = {
            "docx": Download(f"{name}.docx", DOCX, made.to_docx()),
            "txt": Download(f"{name}.txt", "text/plain; charset=utf-8", made.to_text().encode()),
        }
        offered = {
            fmt: downloads.offer(db, who, Action.MAKE_LETTER, IncidentRef(incident_id), file)
            for fmt, file in files.items()
        }
        state[p + "letter"] = (made.title, made.to_text(), offered)

    act(f"inf{incident_id}_errors", "", make)


def _notice(incident_id: int, recipient: Addressee) -> None:
    p = f"inf{incident_id}_{recipient.value}_"
    if act(
        p + "errors",
        "Vastgelegd wie er zijn geïnformeerd.",
        lambda db, who: informing.record_notice(
            db,
            who,
            incident_id,
            recipient,
            state.get(p + "count"),
            state.get(p + "on"),
            state.get(p + "channel") and informing.Channel(state[p + "channel"]),
        ),
    ):
        for field in ("count", "on", "channel"):  # a second click must not record it twice
            state.pop(p + field, None)


def _public(incident_id: int) -> None:
    p = f"inf{incident_id}_public_"
    act(
        p + "errors",
        "De openbare mededeling is vastgelegd.",
        lambda db, who: informing.record_public_notice(
            db, who, incident_id, state.get(p + "text", ""), state.get(p + "on")
        ),
    )


def _who(incident_id: int) -> set[Addressee]:
    p = f"inf{incident_id}_"
    st.markdown("**Wie krijgt het bericht?**")
    left, right = st.columns(2)
    age = left.number_input(
        "Leeftijd van de betrokkene",
        min_value=0,
        max_value=130,
        value=None,
        step=1,
        key=p + "age",
        placeholder="Bijvoorbeeld 11",
    )
    not_competent = right.checkbox(
        "Minderjarig en niet in staat dit zelf te beoordelen (wilsonbekwaam)", key=p + "not_competent"
    )
    if age is None:
        return set()
    proposal = addressees.propose(int(age), competent=not not_competent)
    st.info(proposal.explanation)
    return set(proposal.addressees)


def _recipient(incident: Incident, recipient: Addressee, overview: informing.Overview, you: str) -> None:
    p = f"inf{incident.id}_{recipient.value}_"
    errors = state.get(p + "errors")
    check = overview.checks.get(recipient)
    allowed, why = overview.allowed(recipient)
    if check is None:
        st.caption("De veiligheidsvraag is nog niet beantwoord.")
    elif check.risk:
        st.warning(why)
        st.text(f"Reden van uitstel: {check.reason}")
    else:
        st.success(f"Veilig om te informeren (vastgelegd op {clock.format_local(check.recorded_at)}).")
    form_errors(errors)
    with st.form(p + "safety_form", enter_to_submit=False):
        st.radio(
            informing.SAFETY_QUESTION,
            ["no", "yes"],
            index=None,
            key=p + "risk",
            horizontal=True,
            format_func={"no": "Nee", "yes": "Ja, informeren is nu niet veilig"}.get,
        )
        field_error(errors, "risk")
        st.text_area(
            "Als ja: waarom niet, en wat is nodig om wel te informeren?",
            key=p + "reason",
            max_chars=informing.MAX_TEXT,
        )
        field_error(errors, "reason")
        st.date_input("Als ja: opnieuw bekijken op", value=None, key=p + "review", format="DD-MM-YYYY")
        field_error(errors, "review_on")
        st.form_submit_button("Veiligheidscheck vastleggen", on_click=_safety, args=(incident.id, recipient))
    if not allowed:
        return
    if p + "you" not in state:
        state[p + "you"] = you
    st.text_area(
        "Wat kan de lezer zelf doen? (in de woorden van deze lezer)",
        key=p + "you",
        max_chars=letters.MAX_TEXT,
    )
    st.button(
        "Maak de brief", key=p + "make", on_click=_letter, args=(incident.id, incident.reference, recipient)
    )
    if made := state.get(p + "letter"):
        title, text, offered = made
        st.text(text)
        left, right = st.columns(2)
        with left:
            shown = downloads.link(offered["docx"], "Download als Word (DOCX)")
        with right:
            downloads.link(offered["txt"], "Download als tekst (voor e-mail)", primary=False)
        if shown:
            st.caption(downloads.HINT)
    with st.form(p + "notice_form", enter_to_submit=False):
        st.markdown("**Vastleggen wie er zijn geïnformeerd**")
        field_error(errors, "recipient")
        cols = st.columns(3)
        with cols[0]:
            st.number_input("Aantal ontvangers", min_value=0, value=None, step=1, key=p + "count")
            field_error(errors, "people_count")
        with cols[1]:
            st.date_input("Geïnformeerd op", value=None, key=p + "on", format="DD-MM-YYYY")
            field_error(errors, "informed_on")
        with cols[2]:
            st.selectbox(
                "Hoe",
                [c.value for c in informing.Channel],
                index=None,
                key=p + "channel",
                format_func=lambda v: informing.Channel(v).label,
                placeholder="Kies",
            )
            field_error(errors, "channel")
        st.form_submit_button("Informeren vastleggen", on_click=_notice, args=(incident.id, recipient))


def render(actor: Actor, incident: Incident, decision: Decision | None) -> None:
    if decision is None or not decision.breach:
        st.info("Er is (nog) geen besluit dat dit een datalek is.")
        return
    with store.unit() as db:
        overview = informing.overview(db, actor, incident.id)
        prefill = {r: documents.letter_prefill(db, actor, incident.id, r) for r in Addressee}
        organisation = next(o for o in list_organisations(db, actor) if o.id == incident.org_id)
    for notice in overview.notices:
        st.text(
            f"Geïnformeerd: {notice.recipient.label}, {notice.people_count} op "
            f"{notice.informed_on:%d-%m-%Y} ({notice.channel.label.lower()})."
        )
    if decision.inform is Inform.NO and not overview.informed:
        st.info("Volgens het besluit worden de betrokkenen niet geïnformeerd.")
        return
    suggested = _who(incident.id)
    p = f"inf{incident.id}_"
    st.markdown("**Inhoud van de brief** (de organisatie zet er naam en adres op, op eigen briefpapier)")
    errors = state.get(p + "errors")
    for name, label in _PARTS:
        if p + name not in state:
            state[p + name] = getattr(prefill[Addressee.PERSON], name)
        st.text_area(label, key=p + name, max_chars=letters.MAX_TEXT)
        field_error(errors, name)
    field_error(errors, "recipient")
    field_error(errors, "form")
    for recipient in Addressee:
        with st.expander(
            recipient.label,
            expanded=recipient in suggested,
            key=f"inf{incident.id}_{recipient.value}_open",
            on_change="rerun",
        ):
            _recipient(incident, recipient, overview, prefill[recipient].what_you_can_do)
    with st.expander(
        "Openbare mededeling (als iedereen apart informeren te veel moeite kost)",
        key=f"inf{incident.id}_public_open",
        on_change="rerun",
    ):
        _public_form(
            incident.id, overview, letters.public_notice(_text(incident.id, Addressee.PERSON), organisation)
        )


def _public_form(incident_id: int, overview: informing.Overview, proposal: str) -> None:
    p = f"inf{incident_id}_public_"
    errors = state.get(p + "errors")
    if p + "text" not in state:
        state[p + "text"] = proposal
    for notice in overview.public:
        st.text(f"Gepubliceerd op {notice.published_on:%d-%m-%Y}: {notice.text}")
    with st.form(p + "form", enter_to_submit=False):
        st.text_area("Tekst voor de website", key=p + "text", max_chars=informing.MAX_TEXT)
        field_error(errors, "text")
        st.date_input("Gepubliceerd op", value=None, key=p + "on", format="DD-MM-YYYY")
        field_error(errors, "published_on")
        st.form_submit_button("Mededeling vastleggen", on_click=_public, args=(incident_id,))
