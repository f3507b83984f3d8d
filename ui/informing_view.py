"""Betrokkenen informeren: who receives a message (age rules), the safety check per recipient
group, the letter for each kind of reader, recording who was informed, and the public notice."""

from __future__ import annotations

from datetime import date

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
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm, withdraw_form

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


def _checking(incident_id: int, recipient: Addressee) -> OnceForm:
    return OnceForm(f"inf{incident_id}_{recipient.value}_safety_")


def _noting(incident_id: int, recipient: Addressee) -> OnceForm:
    return OnceForm(f"inf{incident_id}_{recipient.value}_notice_")


def _publishing(incident_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_public_notice_")


def _fixing(incident_id: int, notice_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_n{notice_id}_fix_")


def _dropping(incident_id: int, notice_id: int) -> OnceForm:
    return OnceForm(f"inf{incident_id}_n{notice_id}_drop_")


def _channel(value: str | None) -> informing.Channel | None:
    return informing.Channel(value) if value else None


def _safety(incident_id: int, recipient: Addressee, key: str) -> None:
    form = _checking(incident_id, recipient)
    answer = form.get(key, "risk")
    risk = None if answer is None else answer == "yes"
    act(
        form.prefix + "errors",
        "De veiligheidscheck is vastgelegd.",
        lambda db, who: informing.record_safety_check(
            db, who, incident_id, recipient, risk, form.get(key, "reason", ""), form.get(key, "review")
        ),
        once=(form, key),
    )


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


def _notice(incident_id: int, recipient: Addressee, key: str) -> None:
    form = _noting(incident_id, recipient)
    act(
        form.prefix + "errors",
        "Vastgelegd wie er zijn geïnformeerd.",
        lambda db, who: informing.record_notice(
            db,
            who,
            incident_id,
            recipient,
            form.get(key, "count"),
            form.get(key, "on"),
            _channel(form.get(key, "channel")),
        ),
        once=(form, key),
    )


def _public(incident_id: int, key: str) -> None:
    form = _publishing(incident_id)
    act(
        form.prefix + "errors",
        "De openbare mededeling is vastgelegd.",
        lambda db, who: informing.record_public_notice(
            db, who, incident_id, form.get(key, "text", ""), form.get(key, "on")
        ),
        once=(form, key),
    )


def _fix(incident_id: int, notice_id: int, key: str) -> None:
    form = _fixing(incident_id, notice_id)
    act(
        form.prefix + "errors",
        "De correctie is opgeslagen. De oude gegevens blijven bewaard.",
        lambda db, who: informing.correct_notice(
            db,
            who,
            notice_id,
            form.get(key, "count"),
            form.get(key, "on"),
            _channel(form.get(key, "channel")),
            form.get(key, "reason", ""),
        ),
        once=(form, key),
    )


def _drop(incident_id: int, notice_id: int, key: str) -> None:
    form = _dropping(incident_id, notice_id)
    act(
        form.prefix + "errors",
        "De regel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar.",
        lambda db, who: informing.withdraw_notice(db, who, notice_id, form.get(key, "reason", "")),
        once=(form, key),
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


def _safety_form(incident: Incident, recipient: Addressee) -> None:
    form = _checking(incident.id, recipient)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.radio(
            informing.SAFETY_QUESTION,
            ["no", "yes"],
            index=None,
            key=form.field("risk"),
            horizontal=True,
            format_func={"no": "Nee", "yes": "Ja, informeren is nu niet veilig"}.get,
        )
        field_error(errors, "risk")
        st.text_area(
            "Als ja: waarom niet, en wat is nodig om wel te informeren?",
            key=form.field("reason"),
            max_chars=informing.MAX_TEXT,
        )
        field_error(errors, "reason")
        st.date_input(
            "Als ja: opnieuw bekijken op", value=None, key=form.field("review"), format="DD-MM-YYYY"
        )
        field_error(errors, "review_on")
        st.form_submit_button(
            "Veiligheidscheck vastleggen", on_click=_safety, args=(incident.id, recipient, form.key)
        )
    form.outcome()


def _notice_form(incident: Incident, recipient: Addressee) -> None:
    form = _noting(incident.id, recipient)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Vastleggen wie er zijn geïnformeerd**")
        field_error(errors, "recipient")
        cols = st.columns(3)
        with cols[0]:
            st.number_input("Aantal ontvangers", min_value=0, value=None, step=1, key=form.field("count"))
            field_error(errors, "people_count")
        with cols[1]:
            st.date_input("Geïnformeerd op", value=None, key=form.field("on"), format="DD-MM-YYYY")
            field_error(errors, "informed_on")
        with cols[2]:
            st.selectbox(
                "Hoe",
                [c.value for c in informing.Channel],
                index=None,
                key=form.field("channel"),
                format_func=lambda v: informing.Channel(v).label,
                filter_mode=None if len(informing.Channel) <= 10 else "contains",
                placeholder="Kies",
            )
            field_error(errors, "channel")
        st.form_submit_button(
            "Informeren vastleggen", on_click=_notice, args=(incident.id, recipient, form.key)
        )
    form.outcome()


def _recipient(incident: Incident, recipient: Addressee, overview: informing.Overview, you: str) -> None:
    p = f"inf{incident.id}_{recipient.value}_"
    check = overview.checks.get(recipient)
    allowed, why = overview.allowed(recipient)
    if check is None:
        st.caption("De veiligheidsvraag is nog niet beantwoord.")
    elif check.risk:
        st.warning(why)
        st.text(f"Reden van uitstel: {check.reason}")
    else:
        st.success(f"Veilig om te informeren (vastgelegd op {clock.format_local(check.recorded_at)}).")
    _safety_form(incident, recipient)
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
    _notice_form(incident, recipient)


#: How an old value of a corrected notice reads ("gecorrigeerd, eerst: 5").
_WAS = {
    "people_count": lambda v: str(v),
    "informed_on": lambda v: f"{date.fromisoformat(v):%d-%m-%Y}",
    "channel": lambda v: informing.Channel(v).label.lower(),
}


def _line(notice: informing.Notice) -> str:
    line = (
        f"Geïnformeerd: {notice.recipient.label}, {notice.people_count} op "
        f"{notice.informed_on:%d-%m-%Y} ({notice.channel.label.lower()})."
    )
    first: dict[str, str] = {}
    for fix in notice.corrections:  # oldest first: the first old value is what was recorded
        if fix.field in _WAS and fix.field not in first:
            first[fix.field] = _WAS[fix.field](fix.old_value)
    if first:
        line += f" (gecorrigeerd, eerst: {', '.join(first.values())})"
    return line


def _reasons(notice: informing.Notice) -> None:
    for fix in notice.corrections:
        if fix.field in _WAS:
            st.caption(
                f"Gecorrigeerd op {clock.format_local(fix.changed_at)}. Reden: {md_escape(fix.reason)}"
            )


def _history(incident_id: int, overview: informing.Overview) -> None:
    """Every recorded notice: what counts, what was corrected (with the old value), and what
    was withdrawn (struck through, with the reason); each still standing can be corrected."""
    if overview.history:
        st.markdown("**Vastgelegd: wie zijn geïnformeerd**")
    for notice in overview.history:
        if notice.withdrawn:
            st.markdown(f"~~{_line(notice)}~~ **Ingetrokken**, telt niet mee.")
            st.caption(
                f"Ingetrokken op {clock.format_local(notice.withdrawn_at)}. "
                f"Reden: {md_escape(notice.withdrawn_reason)}"
            )
            _reasons(notice)
            _dropping(incident_id, notice.id).outcome()  # the withdrawal just made, if it was
            continue
        st.text(_line(notice))
        _reasons(notice)
        with st.expander(
            "Corrigeren of intrekken",
            key=f"inf{incident_id}_n{notice.id}_open",
            on_change="rerun",
            icon=":material/edit:",
        ):
            _fix_form(incident_id, notice)
            _drop_form(incident_id, notice)


def _fix_form(incident_id: int, notice: informing.Notice) -> None:
    form = _fixing(incident_id, notice.id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    channels = [c.value for c in informing.Channel]
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
                format_func=lambda v: informing.Channel(v).label,
                filter_mode=None if len(channels) <= 10 else "contains",
                placeholder="Kies",
            )
            field_error(errors, "channel")
        st.text_area("Waarom corrigeer je dit?", key=form.field("reason"), max_chars=informing.MAX_REASON)
        field_error(errors, "reason")
        st.form_submit_button("Correctie opslaan", on_click=_fix, args=(incident_id, notice.id, form.key))
    form.outcome()


def _drop_form(incident_id: int, notice: informing.Notice) -> None:
    withdraw_form(_dropping(incident_id, notice.id), informing.MAX_REASON, _drop, (incident_id, notice.id))


def render(actor: Actor, incident: Incident, decision: Decision | None) -> None:
    if decision is None or not decision.breach:
        st.info("Er is (nog) geen besluit dat dit een datalek is.")
        return
    with store.unit() as db:
        overview = informing.overview(db, actor, incident.id)
        prefill = {r: documents.letter_prefill(db, actor, incident.id, r) for r in Addressee}
        organisation = next(o for o in list_organisations(db, actor) if o.id == incident.org_id)
    if decision.inform is Inform.NO and not overview.informed:
        st.info("Volgens het besluit worden de betrokkenen niet geïnformeerd.")
        _history(incident.id, overview)
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
    # Below the forms: what a form records is added here, so the form (and its message) stays
    # where it was on the screen.
    _history(incident.id, overview)


def _public_form(incident_id: int, overview: informing.Overview, proposal: str) -> None:
    form = _publishing(incident_id)
    errors = state.get(form.prefix + "errors")
    if form.field("text") not in state:  # the proposal, until a notice is published
        state[form.field("text")] = "" if overview.public else proposal
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area("Tekst voor de website", key=form.field("text"), max_chars=informing.MAX_TEXT)
        field_error(errors, "text")
        st.date_input("Gepubliceerd op", value=None, key=form.field("on"), format="DD-MM-YYYY")
        field_error(errors, "published_on")
        st.form_submit_button("Mededeling vastleggen", on_click=_public, args=(incident_id, form.key))
    form.outcome()
    for notice in overview.public:  # below the form, so that the form stays in its place
        st.text(f"Gepubliceerd op {notice.published_on:%d-%m-%Y}: {notice.text}")
