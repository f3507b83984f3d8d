"""The organisation's letter texts (on the FG-team page, issue #15): per kind of reader the FG
edits the text, previews it with demo values, saves it as a new version, sees the versions and
restores Datalek's own text. The core (``datalek.actions.letter_templates``) checks, records
and audits; this block only shows and asks.

Each organisation, reader and address form has its own once-form (``ui.once``): after a save
the form is drawn anew with the saved text; after refused input the typed text stays."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.users import dpo_team
from datalek.actions import letter_templates, letter_texts, letters
from datalek.actions.addressees import Addressee, AddressForm
from datalek.models import Actor, InvalidInput, Organisation
from ui import session
from ui.callbacks import act
from ui.forms import choose_organisation, field_error, md_escape
from ui.once import OnceForm

state = st.session_state

PREVIEW = "Voorbeeld bekijken"
SAVE = "Opslaan als nieuwe versie"
RESTORE = "Terugzetten naar de tekst van Datalek"
SAVED = "De nieuwe versie is opgeslagen."
RESTORED = "De tekst van Datalek is teruggezet als nieuwe versie."
INTRO = (
    "Hier pas je de brieven aan die je organisatie stuurt aan de mensen van wie gegevens zijn "
    "gelekt. Er is een tekst voor elke soort lezer. Een veld tussen { en } vult Datalek zelf in "
    "als de brief wordt gemaakt. Sommige velden moeten altijd in de tekst staan. Elke keer dat je "
    "opslaat, komt er een nieuwe versie bij. Oude versies blijven bewaard. Nieuwe brieven gebruiken "
    "altijd de nieuwste versie."
)


def _edit_form(org_id: int, reader: Addressee, form: AddressForm) -> OnceForm:
    return OnceForm(f"lt{org_id}_{reader.value}_{form.value}_")


def _restore_form(org_id: int, reader: Addressee) -> OnceForm:
    return OnceForm(f"ltr{org_id}_{reader.value}_")


def render(actor: Actor, orgs: list[Organisation]) -> None:
    st.subheader("Teksten van de brieven aan betrokkenen", anchor=False)
    st.write(INTRO)
    names = {o.id: o.name for o in orgs}
    org_id = choose_organisation(names, "lt_org", only_when_several=True)
    if org_id is None:
        return
    reader = Addressee(
        st.selectbox(
            "Voor wie is de brief?",
            [a.value for a in Addressee.options()],
            format_func=lambda v: Addressee(v).label,
            key="lt_reader",
            filter_mode=None,
            placeholder="Kies een lezer",
        )
    )
    with store.unit() as db:
        versions = letter_templates.history(db, actor, org_id, reader)  # checks the permission
        current = letter_templates.current(db, org_id, reader)
        team = {u.id: u.name for u in dpo_team(db, actor, org_id)}
    form = _address_form(org_id, reader, current.form)
    _current_caption(names[org_id], reader, form, current, team)
    _fields(reader)
    body = current.body if form is current.form else letter_texts.builtin_body(reader, form)
    _edit(org_id, reader, form, body)
    _history(versions, team)
    if versions:
        _restore(org_id, reader, form)


def _address_form(org_id: int, reader: Addressee, current: AddressForm) -> AddressForm:
    forms = [f.value for f in letter_texts.FORMS[reader]]
    chosen = st.radio(
        "Hoe spreekt de brief de lezer aan?",
        forms,
        index=forms.index(current.value) if current.value in forms else 0,
        format_func=lambda v: AddressForm(v).label,
        key=f"lt_form_{org_id}_{reader.value}",
        horizontal=True,
    )
    if reader.young:
        st.caption("Een brief aan een jongere spreekt de lezer altijd aan met 'je'.")
    return AddressForm(chosen)


def _who(team: dict[int, str], user_id: int | None) -> str:
    return team.get(user_id, "iemand die geen FG meer is")


def _current_caption(
    org_name: str, reader: Addressee, form: AddressForm, current: letter_texts.Template, team: dict[int, str]
) -> None:
    org = md_escape(org_name)
    if form is not current.form:
        st.caption(
            f"Dit is de tekst van Datalek met '{form.value}'. De brieven gebruiken nu nog een tekst "
            f"met '{current.form.value}'. Sla deze tekst op om hem te gebruiken."
        )
    elif current.version:
        st.caption(
            f"Versie {current.version} van {org}, opgeslagen door {md_escape(_who(team, current.created_by))} "
            f"op {clock.format_local(current.created_at)}. Nieuwe brieven gebruiken deze tekst."
        )
    else:
        st.caption(f"Dit is de tekst van Datalek. {org} heeft voor deze lezer nog geen eigen tekst.")


def _fields(reader: Addressee) -> None:
    """The placeholders this reader's text may use; the ones the check asks for marked."""
    shown = letter_templates.fields(reader)
    st.markdown("**Velden die je in de tekst kunt zetten**")
    st.dataframe(
        {
            "Veld": [f"{{{field.name}}}" for field in shown],
            "Wat Datalek invult": [field.meaning for field in shown],
            "Moet erin": ["ja" if field.obligatory else "nee" for field in shown],
        },
        hide_index=True,
        width="stretch",
    )


def _edit(org_id: int, reader: Addressee, form: AddressForm, body: str) -> None:
    edit = _edit_form(org_id, reader, form)
    errors = state.get(edit.prefix + "errors")
    args = (org_id, reader.value, form.value, edit.key)
    with st.form(edit.field("form"), enter_to_submit=False):
        st.text_area(
            "Tekst van de brief",
            value=body,
            key=edit.field("body"),
            height=480,
            max_chars=letter_templates.MAX_BODY,
            help="De eerste regel begint met '# ': dat is de titel. Een regel die begint met '## ' is een kopje.",
        )
        field_error(errors, "body")
        field_error(errors, "form")
        left, right = st.columns(2)
        left.form_submit_button(PREVIEW, on_click=_preview, args=args)
        right.form_submit_button(SAVE, type="primary", on_click=_save, args=args)
    if failure := state.pop(edit.prefix + "failure", None):
        st.error(failure, icon=":material/error:")
    edit.outcome()
    shown = state.get(edit.prefix + "preview")
    if shown and shown[0] == edit.key:
        st.markdown("**Voorbeeld van de brief** (met verzonnen gegevens)")
        with st.container(border=True):
            st.text(shown[1])


def _history(versions: list[letter_texts.Template], team: dict[int, str]) -> None:
    st.markdown("**Versies**")
    if not versions:
        st.caption("Er zijn nog geen eigen versies. De brieven gebruiken de tekst van Datalek.")
        return
    st.dataframe(
        {
            "Versie": [t.version for t in versions],
            "Aanspreekvorm": [t.form.value for t in versions],
            "Opgeslagen door": [_who(team, t.created_by) for t in versions],
            "Opgeslagen op": [clock.format_local(t.created_at) for t in versions],
        },
        hide_index=True,
        width="stretch",
    )


def _restore(org_id: int, reader: Addressee, form: AddressForm) -> None:
    restore = _restore_form(org_id, reader)
    errors = state.get(restore.prefix + "errors")
    with st.form(restore.field("form"), enter_to_submit=False):
        st.write(
            f"Wil je weer de tekst van Datalek gebruiken, met '{form.value}'? Dan wordt die tekst "
            "een nieuwe versie. De oude versies blijven bewaard."
        )
        field_error(errors, "body")
        field_error(errors, "form")
        st.form_submit_button(
            RESTORE, on_click=_restored, args=(org_id, reader.value, form.value, restore.key)
        )
    if failure := state.pop(restore.prefix + "failure", None):
        st.error(failure, icon=":material/error:")
    restore.outcome()


# --- callbacks ---------------------------------------------------------------------------------


def _act(form: OnceForm, key: str, success: str, action) -> bool:
    """``ui.callbacks.act``, with a failure shown under this form's own button (the page's
    other blocks show ``q_failure`` under theirs)."""
    done = act(form.prefix + "errors", success, action, once=(form, key))
    if failure := state.pop("q_failure", None):
        state[form.prefix + "failure"] = failure
    return done


def _preview(org_id: int, reader: str, form: str, key: str) -> None:
    edit = _edit_form(org_id, Addressee(reader), AddressForm(form))
    body = letters.clean(edit.get(key, "body", "") or "")
    actor = session.fresh_actor()  # callbacks run before app.py's session check
    if actor is None:
        return
    with store.unit() as db:
        org = next((o for o in list_organisations(db, actor) if o.id == org_id), None)
    if org is None:
        return
    template = letter_texts.Template(None, org_id, Addressee(reader), 0, AddressForm(form), body)
    state.pop(edit.prefix + "preview", None)
    try:
        letter = letter_templates.preview(template, org)
    except InvalidInput as exc:
        state[edit.prefix + "errors"] = exc.errors
        return
    state[edit.prefix + "errors"] = None
    state[edit.prefix + "preview"] = (key, letter.to_text())


def _save(org_id: int, reader: str, form: str, key: str) -> None:
    edit = _edit_form(org_id, Addressee(reader), AddressForm(form))
    body = edit.get(key, "body", "") or ""
    _act(
        edit,
        key,
        SAVED,
        lambda db, who: letter_templates.save(db, who, org_id, Addressee(reader), AddressForm(form), body),
    )


def _restored(org_id: int, reader: str, form: str, key: str) -> None:
    restore = _restore_form(org_id, Addressee(reader))
    done = _act(
        restore,
        key,
        RESTORED,
        lambda db, who: letter_templates.restore_builtin(
            db, who, org_id, Addressee(reader), AddressForm(form)
        ),
    )
    if done:  # draw the text field anew, with the restored text
        prefix = _edit_form(org_id, Addressee(reader), AddressForm(form)).prefix
        for name in [k for k in state if str(k).startswith(prefix)]:
            del state[name]
