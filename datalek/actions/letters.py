"""Letters to betrokkenen (art. 34(2) AVG), in plain Dutch (B1), one per kind of reader.

A letter says what happened and which data, the likely consequences, what the organisation
did, what the reader can do, and how to reach the FG (the AP's expectations, docs/domain/ap-form.md §3).
It is written from the structured facts and from texts the FG writes for the reader: the
reporter's own description is never copied in, because it may name other people. The
letter holds no name or address: the organisation prints it on its letterhead per family, or
fills the merge fields of ``Letter.to_merge_docx`` from its own system for a whole group.

A letter is a template (``letter_texts.Template``: the built-in text or the organisation's own
version) filled in one pass: the template is split into its title, headings and lines first,
then each ``{name}`` in a line is replaced by its value. A value is never read again, so text
the FG typed ("{advies}", "## ...") stays literal text.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

from datalek.actions import letter_advice, letter_texts
from datalek.actions.addressees import Addressee, AddressForm
from datalek.actions.letter_texts import Template
from datalek.models import IncidentType, InvalidInput, Organisation
from datalek.triage.facts import Facts

MAX_TEXT = 3000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: "{name}": a placeholder when ``name`` is one of ``letter_texts.PLACEHOLDERS``.
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
#: The merge fields at the top of a mail-merge letter, one line each.
MERGE_FIELDS = (("Naam",), ("Adres",), ("Postcode", "Woonplaats"))


def clean(text: str) -> str:
    """Without the control characters a Word file cannot hold; Windows line ends as "\\n"."""
    return _CONTROL.sub("", text.replace("\x0b", "\n").replace("\r\n", "\n"))


class LetterText(BaseModel):
    """The parts the FG writes or checks; prefilled by ``prefill``."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    what_happened: str = ""
    consequences: str = ""
    measures: str = ""
    what_you_can_do: str = ""
    #: Which data, in plain words; empty: ``documents.letter_for`` takes it from the facts.
    data: str = ""

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value):
        """Pasted text may carry control characters that a Word file cannot hold."""
        return clean(value) if isinstance(value, str) else value

    def errors(self) -> dict[str, str]:
        found = {}
        for name, label in (
            ("what_happened", "wat er is gebeurd"),
            ("consequences", "de mogelijke gevolgen"),
            ("measures", "wat de organisatie heeft gedaan"),
        ):
            if not getattr(self, name):
                found[name] = f"Beschrijf {label}."
        for name in type(self).model_fields:
            if len(getattr(self, name)) > MAX_TEXT:
                found[name] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
        return found


_HAPPENED = {
    IncidentType.ABUSE_OF_ACCESS: "Een medewerker heeft gegevens bekeken. Dat was niet nodig voor het werk.",
    IncidentType.RANSOMWARE: "Computersystemen zijn aangevallen met gijzelsoftware.",
    IncidentType.HACKING_MALWARE: "Computersystemen zijn aangevallen door een hacker.",
    IncidentType.PHISHING: "Iemand heeft met een nepbericht toegang gekregen tot een account.",
    IncidentType.EXPLOITED_VULNERABILITY: "Iemand heeft een zwakke plek in een computersysteem misbruikt.",
    IncidentType.UNAUTHORISED_ACCESS: "Iemand kon in een computersysteem komen zonder toestemming.",
    IncidentType.EXFILTRATION: "Iemand heeft gegevens uit een computersysteem gehaald zonder toestemming.",
    IncidentType.RECORD_MIXUP: "Gegevens zijn in het verkeerde dossier gezet of aan de verkeerde persoon getoond.",
    IncidentType.DEVICE_LOST_STOLEN: "Een laptop, telefoon of USB-stick met gegevens is kwijt of gestolen.",
    IncidentType.EWASTE: "Een oud apparaat is weggegooid. Er stonden nog gegevens op.",
    IncidentType.PAPER_DISPOSAL: "Papieren met gegevens zijn niet veilig weggegooid.",
    IncidentType.MAIL_MISDELIVERED: "Een brief met gegevens is naar een verkeerd adres gestuurd.",
    IncidentType.MISCONFIGURATION: "Een computersysteem was verkeerd ingesteld. Daardoor konden anderen gegevens zien.",
    IncidentType.INCORRECT_PERMISSIONS: "Gegevens stonden in een map of systeem waar te veel mensen bij konden.",
    IncidentType.PAPER_LOST: "Papieren met gegevens zijn kwijtgeraakt of lagen onbeveiligd.",
    IncidentType.DATA_DELETED: "Gegevens zijn per ongeluk gewist of vernietigd.",
    IncidentType.WRONG_RECIPIENT_DISPLAY: "Gegevens zijn aan de verkeerde persoon getoond.",
    IncidentType.SENT_BY_MISTAKE: "Gegevens zijn per ongeluk naar de verkeerde persoon gestuurd.",
    IncidentType.NO_BCC: "Een e-mail is naar veel mensen tegelijk gestuurd. Iedereen kon de e-mailadressen "
    "van de anderen zien.",
    IncidentType.TECHNICAL_MALFUNCTION: "Door een storing in een computersysteem ging er iets mis met gegevens.",
    IncidentType.UNAUTHORISED_MODIFICATION: "Iemand heeft gegevens veranderd zonder toestemming.",
    IncidentType.UNINTENDED_PUBLICATION: "Gegevens zijn per ongeluk openbaar gemaakt.",
    IncidentType.VERBAL_DISCLOSURE: "Een medewerker heeft gegevens verteld aan iemand die ze niet mocht horen.",
}


def prefill(
    facts: Facts | None,
    effects: str = "",
    remedial_action: str = "",
    recipient: Addressee = Addressee.PERSON,
    form: AddressForm | None = None,
    children: int = 1,
) -> LetterText:
    """A first version from the structured facts and the FG's own assessment texts, the data
    in plain words and the advice in the reader's voice (``form``: the reader's default when
    not given; always "je" for a young reader); the FG checks and completes it. The
    reporter's own description is never used."""
    if facts is None:
        return LetterText(consequences=effects, measures=remedial_action)
    form = letter_texts.default_form(recipient) if form is None or recipient.young else AddressForm(form)
    return LetterText(
        what_happened=_HAPPENED.get(facts.incident_type, ""),
        data=letter_texts.data_text(letter_advice.data_words(facts.data_categories)),
        consequences=effects,
        measures=remedial_action,
        what_you_can_do=letter_advice.advice(facts.data_categories, recipient, form, children),
    )


@dataclass(frozen=True)
class Letter:
    title: str
    salutation: str
    sections: list[tuple[str, str]]  # (heading, text); the opening has no heading
    reference: str
    template_version: int = 0

    def to_text(self) -> str:
        parts = [self.title, "", f"Ons kenmerk: {self.reference}", ""]
        if self.salutation:
            parts += [self.salutation, ""]
        for heading, text in self.sections:
            parts += [heading, text, ""] if heading else [text, ""]
        return "\n".join(parts).rstrip("\n") + "\n"

    @property
    def sha256(self) -> str:
        """The SHA-256 of ``to_text()``: what was sent, on record without the text."""
        return hashlib.sha256(self.to_text().encode("utf-8")).hexdigest()

    def to_docx(self) -> bytes:
        return self._word(merge=False)

    def to_merge_docx(self) -> bytes:
        """One Word file for a whole group: merge fields for name and address at the top,
        which the organisation fills from its own system (Word's mail merge)."""
        return self._word(merge=True)

    def _word(self, merge: bool) -> bytes:
        from docx import Document  # python-docx: only needed when a Word file is asked for

        document = Document()
        document.core_properties.title = clean(self.title)
        if merge:
            _address_block(document)
        document.add_heading(clean(self.title), level=1)
        document.add_paragraph(f"Ons kenmerk: {clean(self.reference)}")
        if self.salutation:
            document.add_paragraph(clean(self.salutation))
        for heading, text in self.sections:
            if heading:
                document.add_heading(clean(heading), level=2)
            for paragraph in clean(text).split("\n"):
                document.add_paragraph(paragraph)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _address_block(document) -> None:
    """A paragraph per line of ``MERGE_FIELDS``, each field a ``w:fldSimple`` MERGEFIELD."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for names in MERGE_FIELDS:
        paragraph = document.add_paragraph()
        for i, name in enumerate(names):
            if i:
                paragraph.add_run(" ")
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), f" MERGEFIELD {name} \\* MERGEFORMAT ")
            run, shown = OxmlElement("w:r"), OxmlElement("w:t")
            shown.text = f"«{name}»"
            run.append(shown)
            field.append(run)
            paragraph._p.append(field)
    document.add_paragraph()


def _trim(lines: list[str]) -> list[str]:
    """Without the template's blank lines before and after a part."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def render(template: Template, values: dict[str, str], reference: str) -> Letter:
    """The letter from ``template``, its placeholders filled in one pass (see the module)."""

    def fill(line: str) -> str:
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line)

    lines = template.body.strip("\n").split("\n")
    title = ""
    if lines and lines[0].startswith("# "):
        title, lines = fill(lines[0][2:].strip()), lines[1:]
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in lines:
        if line.startswith("## "):
            parts.append((line[3:].strip(), []))
        else:
            parts[-1][1].append(line)
    opening = _trim(parts[0][1])
    salutation = fill(opening[0].strip()) if opening else ""
    sections = []
    for heading, body in [("", opening[1:]), *parts[1:]]:
        text = "\n".join(fill(line) for line in _trim(body))
        if text.strip():
            sections.append((fill(heading), text))
    return Letter(title, salutation, sections, reference, template.version)


def contact_of(org: Organisation) -> str:
    ways = [x for x in (org.dpo_name, org.dpo_email, org.dpo_phone) if x]
    return ", ".join(ways)


def compose(
    recipient: Addressee,
    text: LetterText,
    org: Organisation,
    reference: str,
    today: date,
    template: Template | None = None,
    children: int = 1,
) -> Letter:
    """The letter for one kind of reader, through ``template`` (default: the built-in text for
    that reader in its default form); ``children``: how many children a parents' letter is
    about. Raises InvalidInput when a part is missing."""
    if errors := text.errors():
        raise InvalidInput(errors)
    if children < 1:
        raise InvalidInput({"children": "Vul een aantal kinderen in van 1 of meer."})
    reader = letter_texts.text_reader(recipient)
    template = template or letter_texts.builtin(reader)
    if letter_texts.text_reader(template.reader) is not reader:
        raise InvalidInput({"template": "Dit sjabloon hoort bij een andere lezer."})
    contact = contact_of(org)
    if not contact:
        raise InvalidInput(
            {
                "form": "De contactgegevens van de FG ontbreken. Laat de beheerder "
                "ze invullen bij de organisatie."
            }
        )
    form = template.form
    values = {
        "organisatie": org.name,
        "kenmerk": reference,
        "datum": f"{today:%d-%m-%Y}",
        "gebeurd": text.what_happened,
        "gegevens": text.data or letter_texts.data_unknown(reader, form),
        "gevolgen": text.consequences,
        "maatregelen": text.measures,
        "advies": text.what_you_can_do or letter_advice.advice([], reader, form, children),
        "contact": contact,
        "uw_kind": letter_advice.child_words(form, children),
        "klacht": letter_texts.complaint(reader, form),
    }
    return render(template, values, reference)


def public_notice(text: LetterText, org: Organisation) -> str:
    """A text for the website when informing everyone apart takes disproportionate effort
    (art. 34 lid 3 sub c AVG): the same parts as the letter, for any reader."""
    parts = [f"Datalek bij {org.name}", "", "Wat is er gebeurd?", text.what_happened, ""]
    if text.data:
        parts += ["Om welke gegevens gaat het?", text.data, ""]
    parts += [
        "Wat kan dit voor u betekenen?",
        text.consequences,
        "",
        "Wat hebben wij gedaan?",
        text.measures,
        "",
    ]
    if text.what_you_can_do:
        parts += ["Wat kunt u zelf doen?", text.what_you_can_do, ""]
    contact = contact_of(org)
    if contact:
        parts += ["Heeft u vragen?", f"Neem contact op met onze functionaris gegevensbescherming: {contact}."]
    return "\n".join(parts).strip() + "\n"
