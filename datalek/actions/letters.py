"""Letters to betrokkenen (art. 34(2) AVG), in plain Dutch (B1), one per kind of reader.

A letter says what happened and which data, the likely consequences, what the organisation
did, what the reader can do, and how to reach the FG (the AP's expectations, docs/domain/ap-form.md §3).
It is written from the structured facts and from texts the FG writes for the reader: the
reporter's own description is never copied in, because it may name other people. The
letter holds no name or address: the organisation prints it on its letterhead per family.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

from datalek.actions.addressees import Addressee
from datalek.models import IncidentType, InvalidInput, Organisation
from datalek.triage.facts import DataCategory, Facts

MAX_TEXT = 3000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LetterText(BaseModel):
    """The parts the FG writes or checks; prefilled by ``prefill``."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    what_happened: str = ""
    consequences: str = ""
    measures: str = ""
    what_you_can_do: str = ""

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value):
        """Pasted text may carry control characters that a Word file cannot hold."""
        if isinstance(value, str):
            return _CONTROL.sub("", value.replace("\x0b", "\n").replace("\r\n", "\n"))
        return value

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
    IncidentType.MAIL_MISDELIVERED: "Een brief met gegevens is naar een verkeerd adres gestuurd.",
    IncidentType.SENT_BY_MISTAKE: "Gegevens zijn per ongeluk naar de verkeerde persoon gestuurd.",
    IncidentType.NO_BCC: "Een e-mail is naar meerdere mensen gestuurd, waarbij iedereen de "
    "e-mailadressen van de anderen kon zien.",
    IncidentType.DEVICE_LOST_STOLEN: "Een laptop, telefoon of USB-stick met gegevens is kwijtgeraakt "
    "of gestolen.",
    IncidentType.PAPER_LOST: "Papieren met gegevens zijn kwijtgeraakt of lagen onbeveiligd.",
    IncidentType.PHISHING: "Iemand heeft zich met een nepbericht toegang verschaft tot een account.",
    IncidentType.RANSOMWARE: "Computersystemen zijn aangevallen met gijzelsoftware.",
    IncidentType.HACKING_MALWARE: "Computersystemen zijn aangevallen door een hacker.",
    IncidentType.UNINTENDED_PUBLICATION: "Gegevens zijn per ongeluk openbaar gemaakt.",
    IncidentType.ABUSE_OF_ACCESS: "Een medewerker heeft gegevens bekeken zonder dat dat nodig was "
    "voor het werk.",
    IncidentType.INCORRECT_PERMISSIONS: "Gegevens stonden in een map of systeem waar te veel "
    "mensen bij konden.",
    IncidentType.RECORD_MIXUP: "Gegevens zijn in het verkeerde dossier gezet of aan de verkeerde "
    "persoon getoond.",
}

# What the reader can do, per kind of data, in the voice of each reader.
_ADVICE: dict[DataCategory, dict[Addressee, str]] = {
    DataCategory.BSN: {
        Addressee.PERSON: "Let op als iemand uw burgerservicenummer gebruikt. Vraag bij twijfel "
        "advies bij het Centraal Meldpunt Identiteitsfraude.",
        Addressee.PARENTS: "Let op als iemand het burgerservicenummer van uw kind gebruikt. Vraag "
        "bij twijfel advies bij het Centraal Meldpunt Identiteitsfraude.",
        Addressee.YOUNG_PERSON: "Merk je dat iemand jouw burgerservicenummer gebruikt? Vertel het "
        "ons of een volwassene die je vertrouwt. Je kunt ook hulp vragen "
        "bij het Centraal Meldpunt Identiteitsfraude.",
    },
    DataCategory.ID_DOCUMENT: {
        Addressee.PERSON: "Laat een kopie van uw identiteitsbewijs niet zomaar gebruiken. Bij "
        "misbruik kunt u aangifte doen bij de politie.",
        Addressee.PARENTS: "Bij misbruik van het identiteitsbewijs van uw kind kunt u aangifte doen "
        "bij de politie.",
        Addressee.YOUNG_PERSON: "Gebruikt iemand een kopie van jouw identiteitsbewijs? Dan kun je "
        "aangifte doen bij de politie. Vraag iemand die je vertrouwt om "
        "mee te gaan als je dat fijn vindt.",
    },
    DataCategory.CREDENTIALS: {
        Addressee.PERSON: "Verander uw wachtwoord, ook op andere websites waar u hetzelfde "
        "wachtwoord gebruikt.",
        Addressee.PARENTS: "Help uw kind het wachtwoord te veranderen, ook op andere websites "
        "met hetzelfde wachtwoord.",
        Addressee.YOUNG_PERSON: "Verander je wachtwoord, ook op andere websites waar je hetzelfde "
        "wachtwoord gebruikt.",
    },
    DataCategory.FINANCIAL: {
        Addressee.PERSON: "Kijk de komende tijd goed naar uw bankafschriften.",
        Addressee.PARENTS: "Kijk de komende tijd goed naar uw bankafschriften.",
        Addressee.YOUNG_PERSON: "Heb je een eigen bankrekening? Kijk dan de komende tijd goed wat "
        "er af- en bijgeschreven wordt.",
    },
    DataCategory.CONTACT: {
        Addressee.PERSON: "Wees alert op berichten die u niet verwacht, bijvoorbeeld e-mails of "
        "telefoontjes waarin om gegevens wordt gevraagd.",
        Addressee.PARENTS: "Wees alert op berichten die u of uw kind niet verwacht, bijvoorbeeld "
        "e-mails of telefoontjes waarin om gegevens wordt gevraagd.",
        Addressee.YOUNG_PERSON: "Krijg je berichten of telefoontjes die je niet verwacht, waarin "
        "iemand om gegevens vraagt? Geef dan niets door en vertel het aan "
        "een volwassene die je vertrouwt.",
    },
}


#: The finer categories of the AP form get the advice of the category they refine: a leaked
#: address, phone number or e-mail address invites the same phishing.
_REFINES = {
    DataCategory.NAME_ADDRESS: DataCategory.CONTACT,
    DataCategory.PHONE: DataCategory.CONTACT,
    DataCategory.EMAIL: DataCategory.CONTACT,
}


def _lower_first(label: str) -> str:
    """'Burgerservicenummer (BSN)' -> 'burgerservicenummer (BSN)'; names keep their capitals."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def prefill(
    facts: Facts | None, effects: str = "", remedial_action: str = "", recipient: Addressee = Addressee.PERSON
) -> LetterText:
    """A first version from the structured facts and the FG's own assessment texts, the
    advice in the reader's voice; the FG checks and completes it. The reporter's own
    description is never used."""
    if facts is None:
        return LetterText(consequences=effects, measures=remedial_action)
    happened = _HAPPENED.get(facts.incident_type, "")
    # Veilig Thuis or child-protection information is not named in a letter: the FG decides
    # per family what can be said (and the safety check comes first).
    kinds = [
        _lower_first(c.label)
        for c in facts.data_categories
        if c not in (DataCategory.UNKNOWN, DataCategory.OTHER, DataCategory.CHILD_PROTECTION)
    ]
    if kinds:
        happened += " Het gaat om deze gegevens: " + "; ".join(kinds) + "."
    held = {_REFINES.get(c, c) for c in facts.data_categories}
    advice = [texts[recipient] for category, texts in _ADVICE.items() if category in held]
    return LetterText(
        what_happened=happened.strip(),
        consequences=effects,
        measures=remedial_action,
        what_you_can_do=" ".join(advice),
    )


@dataclass(frozen=True)
class Letter:
    title: str
    salutation: str
    sections: list[tuple[str, str]]  # (heading, text)
    closing: str
    reference: str

    def to_text(self) -> str:
        parts = [self.title, "", f"Ons kenmerk: {self.reference}", "", self.salutation, ""]
        for heading, text in self.sections:
            parts += [heading, text, ""]
        parts.append(self.closing)
        return "\n".join(parts) + "\n"

    def to_docx(self) -> bytes:
        from docx import Document  # python-docx: only needed when a Word file is asked for

        def clean(text: str) -> str:  # a Word file holds no control characters
            return _CONTROL.sub("", text.replace("\x0b", "\n"))

        document = Document()
        document.core_properties.title = self.title
        document.add_heading(self.title, level=1)
        document.add_paragraph(f"Ons kenmerk: {clean(self.reference)}")
        document.add_paragraph(self.salutation)
        for heading, text in self.sections:
            if heading:
                document.add_heading(heading, level=2)
            for paragraph in clean(text).split("\n"):
                document.add_paragraph(paragraph)
        for paragraph in clean(self.closing).split("\n"):
            document.add_paragraph(paragraph)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


# Per reader: (title, salutation, headings, "you" phrases). Young people get "je" and
# shorter sentences; parents read about "uw kind".
_FORMAL = {  # what the letters to adults share ("u")
    "happened": "Wat is er gebeurd?",
    "done": "Wat hebben wij gedaan?",
    "you": "Wat kunt u zelf doen?",
    "questions": "Heeft u vragen?",
    "contact": "Neem dan contact op met onze functionaris gegevensbescherming",
    "sorry": "Het spijt ons dat dit is gebeurd.",
    "complaint": "U kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens.",
}
_VOICE = {
    Addressee.PERSON: {
        **_FORMAL,
        "title": "Er is iets misgegaan met uw gegevens",
        "salutation": "Beste heer, mevrouw,",
        "intro": "Wij moeten u iets vervelends vertellen. Er is iets misgegaan met uw gegevens. "
        "In deze brief leest u wat er is gebeurd en wat u kunt doen.",
        "effects": "Wat kan dit voor u betekenen?",
    },
    Addressee.PARENTS: {
        **_FORMAL,
        "title": "Er is iets misgegaan met de gegevens van uw kind",
        "salutation": "Beste ouder of verzorger,",
        "intro": "Wij moeten u iets vervelends vertellen. Er is iets misgegaan met gegevens over "
        "uw kind. U krijgt deze brief omdat u het gezag over uw kind heeft. In deze brief "
        "leest u wat er is gebeurd en wat u kunt doen.",
        "effects": "Wat kan dit voor uw kind en voor u betekenen?",
    },
    Addressee.YOUNG_PERSON: {
        "title": "Er is iets misgegaan met jouw gegevens",
        "salutation": "Hoi,",
        "intro": "We moeten je iets vervelends vertellen. Er is iets misgegaan met gegevens over "
        "jou. In deze brief lees je wat er is gebeurd en wat je kunt doen.",
        "happened": "Wat is er gebeurd?",
        "effects": "Wat betekent dit voor jou?",
        "done": "Wat hebben wij gedaan?",
        "you": "Wat kun je zelf doen?",
        "questions": "Heb je vragen?",
        "contact": "Je mag altijd contact opnemen met onze functionaris gegevensbescherming. "
        "Dat is de persoon die bij ons let op de privacy",
        "sorry": "Het spijt ons dat dit is gebeurd.",
        "complaint": "Je kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens. "
        "Dat is de organisatie die controleert of iedereen goed met gegevens omgaat.",
    },
}


def _contact(org: Organisation) -> str:
    ways = [x for x in (org.dpo_name, org.dpo_email, org.dpo_phone) if x]
    return ", ".join(ways)


def compose(recipient: Addressee, text: LetterText, org: Organisation, reference: str, today: date) -> Letter:
    """The letter for one kind of reader. Raises InvalidInput when a part is missing."""
    if errors := text.errors():
        raise InvalidInput(errors)
    voice = _VOICE[recipient]
    contact = _contact(org)
    if not contact:
        raise InvalidInput(
            {
                "form": "De contactgegevens van de FG ontbreken. Laat de beheerder "
                "ze invullen bij de organisatie."
            }
        )
    you = text.what_you_can_do or (
        "Je hoeft nu niets te doen." if recipient is Addressee.YOUNG_PERSON else "U hoeft nu niets te doen."
    )
    sections = [
        ("", voice["intro"]),
        (voice["happened"], text.what_happened),
        (voice["effects"], text.consequences),
        (voice["done"], text.measures),
        (voice["you"], you),
        (voice["questions"], f"{voice['contact']}: {contact}. {voice['complaint']}"),
    ]
    closing = f"{voice['sorry']}\n\nMet vriendelijke groet,\n\n{org.name}\n{today:%d-%m-%Y}"
    return Letter(voice["title"], voice["salutation"], [s for s in sections if s[1]], closing, reference)


def public_notice(text: LetterText, org: Organisation) -> str:
    """A text for the website when informing everyone apart takes disproportionate effort
    (art. 34 lid 3 sub c AVG): the same parts as the letter, for any reader."""
    parts = [
        f"Datalek bij {org.name}",
        "",
        "Wat is er gebeurd?",
        text.what_happened,
        "",
        "Wat kan dit voor u betekenen?",
        text.consequences,
        "",
        "Wat hebben wij gedaan?",
        text.measures,
        "",
    ]
    if text.what_you_can_do:
        parts += ["Wat kunt u zelf doen?", text.what_you_can_do, ""]
    contact = _contact(org)
    if contact:
        parts += ["Heeft u vragen?", f"Neem contact op met onze functionaris gegevensbescherming: {contact}."]
    return "\n".join(parts).strip() + "\n"
