"""The letters (issue #15): the parts every letter shares (prefilled from the facts), what the
reader can do per kind of reader (prefilled in that reader's voice), and a letter made and kept
(``sending.make_letter``): its text on the screen (``st.text``), the DOCX, the mail-merge DOCX
of a group letter and the text for e-mail as one-time downloads (``ui/downloads.py``), and
"Verstuurd vastleggen" (how and when; for a group letter also to how many)."""

from __future__ import annotations

import streamlit as st

from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, IncidentRef
from datalek.actions import informing, letters, sending
from datalek.actions.addressees import Addressee
from datalek.actions.notices import Channel
from ui import downloads
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Every kind of reader's part of a letter's file name.
FILE_NAMES = {
    Addressee.PERSON: "betrokkene",
    Addressee.PARENTS: "ouders",
    Addressee.YOUNG_PERSON: "jongere",
    Addressee.YOUNG_12_15: "jongere-12-15",
    Addressee.YOUNG_16_17: "jongere-16-17",
    Addressee.REPRESENTATIVE: "vertegenwoordiger",
    Addressee.EMPLOYEE: "medewerker",
}
PARTS = (
    ("what_happened", "Wat is er gebeurd? (zonder namen)"),
    ("data", "Om welke gegevens gaat het?"),
    ("consequences", "Wat kan dit betekenen voor de lezer?"),
    ("measures", "Wat heeft de organisatie gedaan?"),
)
SENT = "Verstuurd vastgelegd."


def text(incident_id: int, reader: Addressee) -> letters.LetterText:
    """The shared parts plus what this reader can do, written in their own voice."""
    p = f"inf{incident_id}_"
    return letters.LetterText(
        **{name: state.get(p + name, "") for name, _ in PARTS},
        what_you_can_do=state.get(f"{p}{reader.value}_you", ""),
    )


def parts(incident_id: int, prefill: dict[Addressee, letters.LetterText]) -> None:
    """The parts every letter shares, and what the reader can do per kind of reader."""
    p = f"inf{incident_id}_"
    st.markdown("**Inhoud van de brief** (de organisatie zet er naam en adres op, op eigen briefpapier)")
    errors = state.get(p + "errors")
    for name, label in PARTS:
        if p + name not in state:
            state[p + name] = getattr(prefill[Addressee.PERSON], name)
        st.text_area(label, key=p + name, max_chars=letters.MAX_TEXT)
        field_error(errors, name)
    with st.expander(
        "Wat kan de lezer zelf doen? Per soort lezer, in de woorden van die lezer",
        key=p + "you_open",
        on_change="rerun",
    ):
        for reader in Addressee.options():
            key = f"{p}{reader.value}_you"
            if key not in state:
                state[key] = prefill[reader].what_you_can_do
            st.text_area(reader.label, key=key, max_chars=letters.MAX_TEXT)


def files(made: sending.MadeLetter, name: str, merge: bool) -> dict[str, Download]:
    """The files of a letter made: DOCX and text, for a group letter also the mail-merge DOCX."""
    files = {
        "docx": Download(f"{name}.docx", DOCX, made.letter.to_docx()),
        "txt": Download(f"{name}.txt", "text/plain; charset=utf-8", made.letter.to_text().encode()),
    }
    if merge:
        files["merge"] = Download(f"{name}-samenvoegen.docx", DOCX, made.letter.to_merge_docx())
    return files


def make(incident_id: int, reader: Addressee, prefix: str, name: str, member_id: int | None = None) -> bool:
    """Make and keep the letter (for one person, or for a group when ``member_id`` is None),
    offer its files, and keep them for the screen under ``prefix + "letter"``: (title, text,
    offered files, letter id). A missing part is also said next to that part."""

    def making(db, who):
        made = sending.make_letter(
            db, who, incident_id, reader, text(incident_id, reader), member_id=member_id
        )
        offered = {
            fmt: downloads.offer(db, who, Action.MAKE_LETTER, IncidentRef(incident_id), file)
            for fmt, file in files(made, name, merge=member_id is None).items()
        }
        state[prefix + "letter"] = (made.letter.title, made.letter.to_text(), offered, made.id)

    done = act(prefix + "errors", "", making)
    refused = state.get(prefix + "errors") or {}
    state[f"inf{incident_id}_errors"] = {k: v for k, v in refused.items() if k in dict(PARTS)} or None
    return done


def made_letter(prefix: str) -> int | None:
    """The letter made on this screen (its text and files); its id, or None."""
    made = state.get(prefix + "letter")
    if not made:
        return None
    _title, body, offered, letter_id = made
    st.text(body)
    cols = st.columns(3 if "merge" in offered else 2)
    with cols[0]:
        shown = downloads.link(offered["docx"], "Download als Word (DOCX)")
    with cols[1]:
        downloads.link(offered["txt"], "Download als tekst (voor e-mail)", primary=False)
    if "merge" in offered:
        with cols[2]:
            downloads.link(offered["merge"], "Download voor samenvoegen (Word)", primary=False)
        st.caption(
            "Het bestand voor samenvoegen heeft velden voor naam en adres. "
            "Vul die met Word uit het eigen systeem van de organisatie."
        )
    if shown:
        st.caption(downloads.HINT)
    return letter_id


def refused(prefix: str) -> None:
    """Why the letter was not made, next to its button (a missing part is said at the part)."""
    errors = state.get(prefix + "errors")
    for name in ("recipient", "reader", "form", "template", "children"):
        field_error(errors, name)
    if errors and errors.keys() & dict(PARTS).keys():
        st.error(
            "Vul eerst de inhoud van de brief in. Kijk bij de delen met een melding.", icon=":material/error:"
        )


# --- "Verstuurd vastleggen" -----------------------------------------------------------------


def sending_form(prefix: str) -> OnceForm:
    return OnceForm(prefix + "sent_")


def _sent(prefix: str, letter_id: int, key: str) -> None:
    form = sending_form(prefix)
    channel = form.get(key, "channel")
    act(
        form.prefix + "errors",
        SENT,
        lambda db, who: sending.record_sent(
            db,
            who,
            letter_id,
            Channel(channel) if channel else None,
            form.get(key, "sent_on"),
            form.get(key, "people_count"),
        ),
        once=(form, key),
    )


def sent_form(prefix: str, letter_id: int, group: bool) -> None:
    """How and when the letter was sent; for a group letter also to how many."""
    form = sending_form(prefix)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    channels = [c.value for c in Channel]
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Verstuurd vastleggen**")
        field_error(errors, "recipient")
        field_error(errors, "form")
        cols = st.columns(3 if group else 2)
        with cols[0]:
            st.selectbox(
                "Hoe verstuurd?",
                channels,
                index=None,
                key=form.field("channel"),
                format_func=lambda v: Channel(v).label,
                filter_mode=None,
                placeholder="Kies",
            )
            field_error(errors, "channel")
        with cols[1]:
            st.date_input("Verstuurd op", value=None, key=form.field("sent_on"), format="DD-MM-YYYY")
            field_error(errors, "sent_on")
        if group:
            with cols[2]:
                st.number_input(
                    "Aan hoeveel mensen?", min_value=0, value=None, step=1, key=form.field("people_count")
                )
                field_error(errors, "people_count")
        st.form_submit_button("Verstuurd vastleggen", on_click=_sent, args=(prefix, letter_id, form.key))
    form.outcome()


def sent_line(notice: informing.Notice) -> str:
    return f"Verstuurd op {notice.informed_on:%d-%m-%Y} ({notice.channel.label.lower()})."
