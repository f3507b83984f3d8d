"""The organisation's own letter texts: a versioned template per kind of reader.

Version 0 of every reader's template is the built-in text (``letter_texts``); the FG of the
organisation saves a new version (``save``), or the built-in text again (``restore_builtin``),
and every letter is made from the newest (``current``). A version is never changed: the
letters made from it say which version they came from (``Letter.template_version``).

``check`` keeps the obligatory content in: every placeholder of ``OBLIGATORY`` (and, for an
adult reader, the right to complain), no unknown placeholder or loose brace, a title, and, in
a young reader's text, no article numbers or legal terms. The legacy young-person reader
shares the template of a young person of 12 to 15.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, OrgRef, require
from datalek.actions import letter_advice, letter_texts, letters, readability
from datalek.actions.addressees import Addressee, AddressForm
from datalek.actions.letter_texts import OBLIGATORY, PLACEHOLDERS, Template
from datalek.models import Actor, InvalidInput, Organisation
from datalek.store import letter_templates as sql
from datalek.triage.facts import DataCategory

__all__ = [
    "OBLIGATORY",
    "PLACEHOLDERS",
    "Template",
    "Field",
    "check",
    "current",
    "fields",
    "history",
    "preview",
    "restore_builtin",
    "save",
]

MAX_BODY = 10_000


@dataclasses.dataclass(frozen=True)
class Field:
    """A placeholder a reader's template may hold: its name, what Datalek fills in (Dutch), and
    whether ``check`` asks for it."""

    name: str
    meaning: str
    obligatory: bool


def fields(reader: Addressee) -> tuple[Field, ...]:
    """The placeholders of ``reader``'s template, in the order of ``PLACEHOLDERS``: "{uw_kind}"
    only in a letter to parents; every one of ``OBLIGATORY`` obligatory, and, for a reader who
    is not young, the right to complain ("{klacht}") too. The one place that knows this: the
    check and the templates screen both ask here."""
    reader = letter_texts.text_reader(reader)
    needed = set(OBLIGATORY) if reader.young else {*OBLIGATORY, "klacht"}
    return tuple(
        Field(name, meaning, name in needed)
        for name, meaning in PLACEHOLDERS.items()
        if name != "uw_kind" or reader is Addressee.PARENTS
    )


def check(reader: Addressee, body: str) -> dict[str, str]:
    """What is wrong with ``body`` as the template for ``reader``: {"body": Dutch sentences},
    or {} when nothing is."""
    reader = letter_texts.text_reader(reader)
    text = body.strip()
    if not text:
        return {"body": "Vul de tekst van de brief in."}
    problems = []
    if len(body) > MAX_BODY:
        most = f"{MAX_BODY:,}".replace(",", ".")  # 10.000, as Dutch writes it
        problems.append(f"Het sjabloon is te lang: gebruik hoogstens {most} tekens.")
    first = text.split("\n", 1)[0]
    if not first.startswith("# ") or not first[2:].strip():
        problems.append("Begin met een titel: de eerste regel begint met '# '.")
    names = letters.PLACEHOLDER.findall(text)
    outside = letters.PLACEHOLDER.sub("", text)
    if "{" in outside or "}" in outside:
        problems.append("Een { of } staat los. Zet een veld altijd zo in de tekst: {advies}.")
    for name in dict.fromkeys(n for n in names if n not in PLACEHOLDERS):
        problems.append(f"{{{name}}} kennen we niet. Gebruik alleen de velden uit de lijst.")
    own = fields(reader)
    for field in own:
        if field.obligatory and field.name not in names:
            problems.append(f"Zet {{{field.name}}} in de tekst: {field.meaning}.")
    allowed = {field.name for field in own}
    for name in dict.fromkeys(n for n in names if n in PLACEHOLDERS and n not in allowed):
        problems.append(f"{{{name}}} hoort alleen in een brief aan ouders.")
    if reader.young and (terms := readability.legal_terms(outside)):
        problems.append(
            "Gebruik in een brief aan een jongere geen wetsartikelen of juridische woorden: "
            + ", ".join(dict.fromkeys(terms))
            + "."
        )
    return {"body": " ".join(problems)} if problems else {}


def _template(row: dict) -> Template:
    return Template(
        id=row["id"],
        org_id=row["org_id"],
        reader=Addressee(row["reader"]),
        version=row["version"],
        form=AddressForm(row["form"]),
        body=row["body"],
        created_by=row["created_by"],
        created_at=clock.from_iso(row["created_at"]),
    )


def current(db: Database, org_id: int, reader: Addressee) -> Template:
    """The newest saved version of ``reader``'s template, else the built-in one. No check:
    the caller has checked what it makes with it (``documents.letter_for``)."""
    reader = letter_texts.text_reader(reader)
    row = sql.latest_template(db, org_id, reader.value)
    return _template(row) if row else letter_texts.builtin(reader, org_id=org_id)


def history(db: Database, actor: Actor, org_id: int, reader: Addressee) -> list[Template]:
    """Every saved version, the newest first (the built-in text is not among them)."""
    require(db, actor, Action.LETTER_TEMPLATES, OrgRef(org_id))
    reader = letter_texts.text_reader(reader)
    return [_template(r) for r in sql.templates(db, org_id, reader.value)]


def save(
    db: Database, actor: Actor, org_id: int, reader: Addressee, form: AddressForm, body: str
) -> Template:
    """A new version of ``reader``'s template (the last version + 1). Refused when it breaks a
    rule of ``check``, when a young reader would be addressed with "u", and when nothing
    changed. Audited with the reader and the version only."""
    require(db, actor, Action.LETTER_TEMPLATES, OrgRef(org_id))
    reader, form = letter_texts.text_reader(reader), AddressForm(form)
    body = letters.clean(body).strip()
    errors = check(reader, body)
    if form not in letter_texts.FORMS[reader]:
        errors["form"] = "Een brief aan een jongere spreekt de lezer altijd aan met 'je'."
    if errors:
        raise InvalidInput(errors)
    with store.write(db):
        last = current(db, org_id, reader)
        if (last.body, last.form) == (body, form):
            raise InvalidInput({"body": "Er is niets veranderd. Pas de tekst of de aanspreekvorm aan."})
        now = clock.now()
        made = Template(None, org_id, reader, last.version + 1, form, body, actor.user_id, now)
        row = {
            "org_id": org_id,
            "reader": reader.value,
            "version": made.version,
            "form": form.value,
            "body": body,
            "created_by": actor.user_id,
            "created_at": clock.to_iso(now),
        }
        made = dataclasses.replace(made, id=sql.insert_template(db, row))
        audit.append(
            db,
            actor,
            "letter_template.save",
            "organisation",
            org_id,
            recipient=reader.value,
            version=made.version,
        )
    return made


def restore_builtin(
    db: Database, actor: Actor, org_id: int, reader: Addressee, form: AddressForm | None = None
) -> Template:
    """The built-in text as a new version, in ``form`` (default: the current version's form)."""
    require(db, actor, Action.LETTER_TEMPLATES, OrgRef(org_id))
    form = AddressForm(form) if form is not None else current(db, org_id, reader).form
    return save(db, actor, org_id, reader, form, letter_texts.builtin_body(reader, form))


#: What a preview shows: an e-mail to the wrong person about a care file.
_DEMO_FACTS = (DataCategory.CARE_FILE, DataCategory.NAME_ADDRESS)
_DEMO = letters.LetterText(
    what_happened="Een medewerker heeft per ongeluk een e-mail naar de verkeerde persoon gestuurd.",
    consequences="Iemand anders kon het bericht lezen. Die persoon heeft het bericht meteen verwijderd.",
    measures="Wij hebben de ontvanger gebeld. Onze medewerkers letten nu extra op bij het versturen.",
    data=letter_texts.data_text(letter_advice.data_words(_DEMO_FACTS)),
)


def preview(template: Template, org: Organisation, today: date | None = None) -> letters.Letter:
    """The letter ``template`` makes, filled with demo values (and a demo contact when the
    organisation has no FG details yet). InvalidInput with ``check``'s errors."""
    if errors := check(template.reader, template.body):
        raise InvalidInput(errors)
    if not letters.contact_of(org):
        org = org.model_copy(update={"dpo_name": "Naam van de FG", "dpo_email": "privacy@voorbeeld.nl"})
    text = _DEMO.model_copy(
        update={"what_you_can_do": letter_advice.advice(_DEMO_FACTS, template.reader, template.form)}
    )
    return letters.compose(
        template.reader, text, org, "DL-2026-0001", today or clock.today(), template=template
    )
