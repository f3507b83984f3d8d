"""The built-in letter texts: a template body per kind of reader and address form, in B1 Dutch.

A body is plain text with a light markup: the first line "# " is the title, a line "## " starts
a section under that heading, "{name}" is filled in when the letter is made (``PLACEHOLDERS``).
The lines between the title and the first heading are the salutation (the first of them) and
the opening. Version 0 of every reader's template is the text here; an organisation saves its
own versions (``letter_templates``).

Every text holds what the message to betrokkenen must contain (art. 34 AVG; docs/domain/
ap-form.md): what happened, which data, the likely consequences, what the organisation did,
what the reader can do, the contact details of the FG - and, for adults, the right to complain
to the Autoriteit Persoonsgegevens. The FG is "de persoon die bij ons let op privacy" for every
reader: the title is a legal term.

A young reader (12 to 17) always reads "je", and no article numbers or legal terms. What the
letters to young readers say about the parents:

- 12 to 15: "Meestal krijgen je ouders of je voogd ook een brief." The parents with gezag are
  informed unless that harms the child or professional secrecy applies (documented by the FG);
  the letter does not say which, so that it is true in both cases and never hints at a
  concern, and it tells the young person to ask us.
- 16 and 17: the parents only get a letter if the young person agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from datalek.actions.addressees import Addressee, AddressForm

#: The placeholders a template may use, with what each becomes (Dutch, for the FG).
PLACEHOLDERS: dict[str, str] = {
    "organisatie": "de naam van de organisatie",
    "kenmerk": "het kenmerk van het datalek",
    "datum": "de datum van de brief",
    "gebeurd": "wat er is gebeurd",
    "gegevens": "om welke gegevens het gaat",
    "gevolgen": "wat de gevolgen kunnen zijn",
    "maatregelen": "wat de organisatie heeft gedaan",
    "advies": "wat de lezer zelf kan doen",
    "contact": "hoe de lezer de persoon bereikt die bij ons let op privacy (de FG)",
    "uw_kind": "de woorden 'uw kind' of 'uw kinderen' (alleen in een brief aan ouders)",
    "klacht": "dat de lezer een klacht kan indienen",
}
#: What every letter must say (art. 34 lid 2 AVG and the AP's expectations).
OBLIGATORY = ("gebeurd", "gegevens", "gevolgen", "maatregelen", "advies", "contact")

#: The address forms each reader's text comes in; the first is the default.
FORMS: dict[Addressee, tuple[AddressForm, ...]] = {
    reader: (AddressForm.JE,) if reader.young else (AddressForm.U, AddressForm.JE) for reader in Addressee
}


@dataclass(frozen=True)
class Template:
    """One version of the letter text for a kind of reader; version 0 (id None) is built in."""

    id: int | None
    org_id: int | None
    reader: Addressee
    version: int
    form: AddressForm
    body: str
    created_by: int | None = None
    created_at: datetime | None = None


def text_reader(reader: Addressee) -> Addressee:
    """The reader whose texts a reader gets: the legacy young person reads the 12-15 text."""
    reader = Addressee(reader)
    return Addressee.YOUNG_12_15 if reader is Addressee.YOUNG_PERSON else reader


def default_form(reader: Addressee) -> AddressForm:
    return FORMS[Addressee(reader)][0]


_CLOSING = "Het spijt ons dat dit is gebeurd.\n\nMet vriendelijke groet,\n\n{organisatie}\n{datum}"


def _adult(form: AddressForm, title: str, salutation: str, opening: str, effects: str) -> str:
    u = form is AddressForm.U
    return "\n".join(
        [
            f"# {title}",
            salutation,
            "",
            opening,
            "",
            "## Wat is er gebeurd?",
            "{gebeurd}",
            "",
            "## Om welke gegevens gaat het?",
            "{gegevens}",
            "",
            f"## {effects}",
            "{gevolgen}",
            "",
            "## Wat hebben wij gedaan?",
            "{maatregelen}",
            "",
            "## Wat kunt u zelf doen?" if u else "## Wat kun je zelf doen?",
            "{advies}",
            "",
            "## Heeft u vragen?" if u else "## Heb je vragen?",
            "Neem dan contact op met de persoon die bij ons let op privacy: {contact}.",
            "{klacht}",
            "",
            _CLOSING,
        ]
    )


def _young(parents: str) -> str:
    return "\n".join(
        [
            "# Er is iets misgegaan met jouw gegevens",
            "Hoi,",
            "",
            "We moeten je iets vervelends vertellen. Er is iets misgegaan met gegevens over jou. "
            "In deze brief lees je wat er is gebeurd. En wat je zelf kunt doen.",
            "",
            "## Wat is er gebeurd?",
            "{gebeurd}",
            "",
            "## Om welke gegevens gaat het?",
            "{gegevens}",
            "",
            "## Wat betekent dit voor jou?",
            "{gevolgen}",
            "",
            "## Wat hebben wij gedaan?",
            "{maatregelen}",
            "",
            "## Wat kun je zelf doen?",
            "{advies}",
            "",
            "## Krijgen je ouders ook een brief?",
            parents,
            "",
            "## Heb je vragen?",
            "Je mag ons altijd bellen of mailen. Vraag naar de persoon die bij ons let op privacy. "
            "Dat is: {contact}.",
            "{klacht}",
            "",
            _CLOSING,
        ]
    )


def _opening(form: AddressForm, about: str, why: str = "") -> str:
    if form is AddressForm.U:
        return (
            f"Wij moeten u iets vervelends vertellen. {about} {why}"
            "In deze brief leest u wat er is gebeurd. En wat u zelf kunt doen."
        )
    return (
        f"We moeten je iets vervelends vertellen. {about} {why}"
        "In deze brief lees je wat er is gebeurd. En wat je zelf kunt doen."
    )


def builtin_body(reader: Addressee, form: AddressForm) -> str:
    """The built-in text for ``reader`` in ``form``; ValueError for "u" to a young reader."""
    reader, form = text_reader(reader), AddressForm(form)
    if form not in FORMS[reader]:
        raise ValueError(f"no {form.value!r} text for {reader.value!r}")
    u = form is AddressForm.U
    if reader is Addressee.YOUNG_12_15:
        return _young(
            "Meestal krijgen je ouders of je voogd ook een brief. Wil je weten of dat zo is? Vraag het ons."
        )
    if reader is Addressee.YOUNG_16_17:
        return _young(
            "Je ouders krijgen alleen een brief als jij dat goed vindt. Wil je dat zij het weten? Zeg het ons."
        )
    if reader is Addressee.PARENTS:
        why = (
            "U krijgt deze brief omdat u het gezag heeft over {uw_kind}. "
            if u
            else "Je krijgt deze brief omdat je het gezag hebt over {uw_kind}. "
        )
        return _adult(
            form,
            "Er is iets misgegaan met de gegevens van {uw_kind}",
            "Beste ouder of verzorger,",
            _opening(form, "Er is iets misgegaan met gegevens over {uw_kind}.", why),
            "Wat kan dit voor {uw_kind} en voor u betekenen?"
            if u
            else "Wat kan dit voor {uw_kind} en voor jou betekenen?",
        )
    if reader is Addressee.REPRESENTATIVE:
        someone = "iemand die u vertegenwoordigt" if u else "iemand die je vertegenwoordigt"
        why = (
            "Bijvoorbeeld omdat u curator, mentor of bewindvoerder bent. "
            if u
            else "Bijvoorbeeld omdat je curator, mentor of bewindvoerder bent. "
        )
        return _adult(
            form,
            f"Er is iets misgegaan met de gegevens van {someone}",
            "Beste heer, mevrouw," if u else "Beste lezer,",
            _opening(form, f"Er is iets misgegaan met de gegevens van {someone}.", why),
            "Wat kan dit voor deze persoon betekenen?",
        )
    if reader is Addressee.EMPLOYEE:
        return _adult(
            form,
            "Er is iets misgegaan met uw gegevens" if u else "Er is iets misgegaan met jouw gegevens",
            "Beste collega,",
            _opening(
                form,
                "Er is iets misgegaan met gegevens over u als medewerker."
                if u
                else "Er is iets misgegaan met gegevens over jou als medewerker.",
            ),
            "Wat kan dit voor u betekenen?" if u else "Wat kan dit voor jou betekenen?",
        )
    return _adult(
        form,
        "Er is iets misgegaan met uw gegevens" if u else "Er is iets misgegaan met jouw gegevens",
        "Beste heer, mevrouw," if u else "Beste lezer,",
        _opening(
            form, "Er is iets misgegaan met uw gegevens." if u else "Er is iets misgegaan met jouw gegevens."
        ),
        "Wat kan dit voor u betekenen?" if u else "Wat kan dit voor jou betekenen?",
    )


def builtin(reader: Addressee, form: AddressForm | None = None, org_id: int | None = None) -> Template:
    """Version 0 of ``reader``'s template: the built-in text (in the reader's default form)."""
    reader = text_reader(reader)
    form = AddressForm(form) if form is not None else default_form(reader)
    return Template(None, org_id, reader, 0, form, builtin_body(reader, form))


def complaint(reader: Addressee, form: AddressForm) -> str:
    """What {klacht} becomes: the right to complain (to the Autoriteit Persoonsgegevens for an
    adult; a young reader hears it without the legal name, and that we help)."""
    if Addressee(reader).young:
        return (
            "Ben je niet tevreden over hoe wij dit oplossen? Zeg het ons. Je mag ook een klacht "
            "indienen. Dat kan bij de organisatie die in Nederland let op privacy. Wij helpen je daarbij."
        )
    if form is AddressForm.U:
        return (
            "Bent u niet tevreden over hoe wij dit oplossen? Dan kunt u een klacht indienen bij de "
            "Autoriteit Persoonsgegevens."
        )
    return (
        "Ben je niet tevreden over hoe wij dit oplossen? Dan kun je een klacht indienen bij de "
        "Autoriteit Persoonsgegevens."
    )


def data_unknown(reader: Addressee, form: AddressForm) -> str:
    """What {gegevens} becomes when the letter names no data (not yet known, or not to be
    named in a letter, like child-protection information)."""
    if Addressee(reader).young or form is AddressForm.JE:
        return "Wil je weten om welke gegevens het gaat? Vraag het ons. Dan vertellen we het je."
    return "Wilt u weten om welke gegevens het gaat? Vraag het ons. Dan vertellen wij het u."


def data_text(words: list[str]) -> str:
    """What {gegevens} becomes: the data in plain words, one per line."""
    return "Het gaat om deze gegevens:\n" + "\n".join(f"- {w}" for w in words) if words else ""
