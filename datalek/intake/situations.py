"""The situations an employee recognises, and the answers an employee can give.

The situations are what an employee recognises ("e-mail naar de verkeerde persoon"),
not legal terms; each maps to the incident-type vocabulary of the EU template and the
AP form (``models.IncidentType``, docs/domain/ap-form.md §2) and decides which follow-up
questions make sense.
"""

from __future__ import annotations

from dataclasses import dataclass

from datalek.models import IncidentType, LabelledEnum, Nature


@dataclass(frozen=True)
class SituationInfo:
    label: str
    example: str
    incident_type: IncidentType
    natures: tuple[Nature, ...]
    asks_protection: bool
    asks_recipients: bool
    retrieval_question: str | None


class Situation(LabelledEnum):
    EMAIL_WRONG_PERSON = "email_wrong_person"
    LETTER_WRONG_ADDRESS = "letter_wrong_address"
    EMAIL_VISIBLE_RECIPIENTS = "email_visible_recipients"
    WRONG_DOCUMENT = "wrong_document"
    DEVICE_LOST = "device_lost"
    PAPER_LOST = "paper_lost"
    PUBLISHED = "published"
    UNAUTHORISED_ACCESS = "unauthorised_access"
    HACK = "hack"
    PHISHING = "phishing"
    DATA_LOST = "data_lost"
    VERBAL = "verbal"
    OTHER = "other"

    @property
    def info(self) -> SituationInfo:
        return SITUATIONS[self]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {s.value: i.label for s, i in SITUATIONS.items()}


_C, _I, _A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY
_RETURNED = "Zijn de gegevens teruggegeven of verwijderd?"
_FOUND = "Is het teruggevonden?"

SITUATIONS: dict[Situation, SituationInfo] = {
    Situation.EMAIL_WRONG_PERSON: SituationInfo(
        "E-mail naar de verkeerde persoon",
        "Je stuurde een verslag naar een ouder met dezelfde achternaam.",
        IncidentType.SENT_BY_MISTAKE,
        (_C,),
        True,
        True,
        _RETURNED,
    ),
    Situation.LETTER_WRONG_ADDRESS: SituationInfo(
        "Brief of pakket naar het verkeerde adres",
        "Een beschikking is naar een oud adres van de cliënt gestuurd.",
        IncidentType.MAIL_MISDELIVERED,
        (_C,),
        False,
        True,
        _RETURNED,
    ),
    Situation.EMAIL_VISIBLE_RECIPIENTS: SituationInfo(
        "E-mail met alle ontvangers zichtbaar (aan/cc in plaats van bcc)",
        "Een uitnodiging ging naar 40 ouders, die elkaars e-mailadres konden zien.",
        IncidentType.NO_BCC,
        (_C,),
        False,
        True,
        _RETURNED,
    ),
    Situation.WRONG_DOCUMENT: SituationInfo(
        "Verkeerd document of dossier meegestuurd, of gegevens in het verkeerde dossier",
        "Bij een brief zat ook het gespreksverslag van een ander gezin.",
        IncidentType.RECORD_MIXUP,
        (_C, _I),
        True,
        True,
        _RETURNED,
    ),
    Situation.DEVICE_LOST: SituationInfo(
        "Laptop, telefoon, tablet of usb-stick kwijt of gestolen",
        "Je werktelefoon is uit je tas gestolen in de trein.",
        IncidentType.DEVICE_LOST_STOLEN,
        (_C, _A),
        True,
        False,
        _FOUND,
    ),
    Situation.PAPER_LOST: SituationInfo(
        "Papieren dossier kwijt, gestolen of laten liggen",
        "Je liet een map met verslagen liggen in de wachtkamer.",
        IncidentType.PAPER_LOST,
        (_C, _A),
        False,
        False,
        _FOUND,
    ),
    Situation.PUBLISHED: SituationInfo(
        "Per ongeluk gepubliceerd (website, social media, openbaar gedeelde map)",
        "Een raadsstuk op de website bevatte namen die zwart hadden moeten zijn.",
        IncidentType.UNINTENDED_PUBLICATION,
        (_C,),
        False,
        True,
        "Is het offline gehaald of verwijderd?",
    ),
    Situation.UNAUTHORISED_ACCESS: SituationInfo(
        "Iemand kon gegevens inzien die dat niet mocht",
        "Een collega opende zonder reden het dossier van een buurman, of een map stond open voor iedereen.",
        IncidentType.INCORRECT_PERMISSIONS,
        (_C,),
        False,
        True,
        None,
    ),
    Situation.HACK: SituationInfo(
        "Hack, virus of gijzelsoftware",
        "Bestanden op de schijf zijn versleuteld en er staat een losgeldbericht.",
        IncidentType.HACKING_MALWARE,
        (_C, _I, _A),
        True,
        False,
        None,
    ),
    Situation.PHISHING: SituationInfo(
        "Phishing of iemand die zich voordeed als een ander",
        "Je vulde je wachtwoord in op een nep-inlogpagina, of gaf gegevens aan een valse 'ouder' "
        "aan de telefoon.",
        IncidentType.PHISHING,
        (_C,),
        False,
        True,
        None,
    ),
    Situation.DATA_LOST: SituationInfo(
        "Gegevens kwijt, gewist of onbereikbaar",
        "Een map met dossiers is per ongeluk verwijderd en er is geen kopie.",
        IncidentType.DATA_DELETED,
        (_A,),
        False,
        False,
        "Zijn de gegevens weer terug (bijvoorbeeld uit een back-up)?",
    ),
    Situation.VERBAL: SituationInfo(
        "Mondeling gedeeld",
        "Je vertelde aan de telefoon over een cliënt aan iemand die geen recht had op die informatie.",
        IncidentType.VERBAL_DISCLOSURE,
        (_C,),
        False,
        True,
        None,
    ),
    Situation.OTHER: SituationInfo(
        "Anders",
        "Iets anders waarbij persoonsgegevens bij de verkeerde terechtkwamen, veranderden of kwijtraakten.",
        IncidentType.TO_BE_DETERMINED,
        (),
        True,
        True,
        _RETURNED,
    ),
}


class Occurrence(LabelledEnum):
    MOMENT = "moment"
    PERIOD = "period"
    ONGOING = "ongoing"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "moment": "Op één moment",
            "period": "In een periode (van – tot)",
            "ongoing": "Het is nog steeds aan de gang",
            "unknown": "Weet ik niet",
        }


class DataKind(LabelledEnum):
    NAME_ADDRESS = "name_address"
    CONTACT = "contact"
    BSN = "bsn"
    ID_COPY = "id_copy"
    FINANCIAL = "financial"
    HEALTH = "health"
    CARE_FILE = "care_file"
    CHILD_PROTECTION = "child_protection"
    CRIMINAL = "criminal"
    OTHER_SPECIAL = "other_special"
    CREDENTIALS = "credentials"
    OTHER = "other"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "name_address": "Naam en adres",
            "contact": "Contactgegevens (telefoon, e-mail)",
            "bsn": "BSN (burgerservicenummer)",
            "id_copy": "Kopie van een identiteitsbewijs",
            "financial": "Financiële gegevens (inkomen, schulden, rekeningnummer)",
            "health": "Gezondheid of medische gegevens",
            "care_file": "Jeugdhulp- of zorgdossier",
            "child_protection": "Veilig Thuis- of jeugdbeschermingsinformatie",
            "criminal": "Strafrechtelijke gegevens",
            "other_special": "Andere bijzondere gegevens (geloof, afkomst, seksualiteit, politiek)",
            "credentials": "Inloggegevens (gebruikersnaam, wachtwoord)",
            "other": "Anders",
            "unknown": "Weet ik niet",
        }


class SubjectGroup(LabelledEnum):
    CLIENTS = "clients"
    CHILDREN = "children"
    PARENTS = "parents"
    EMPLOYEES = "employees"
    RESIDENTS = "residents"
    OTHER = "other"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "clients": "Cliënten",
            "children": "Kinderen of jongeren (onder 18)",
            "parents": "Ouders of verzorgers",
            "employees": "Medewerkers",
            "residents": "Inwoners",
            "other": "Anders",
            "unknown": "Weet ik niet",
        }


class CountKind(LabelledEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"exact": "Precies", "approximate": "Ongeveer", "unknown": "Weet ik niet"}


class Protection(LabelledEnum):
    ENCRYPTED = "encrypted"
    PASSWORD = "password"
    NONE = "none"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "encrypted": "Ja, versleuteld",
            "password": "Ja, beveiligd met een wachtwoord",
            "none": "Nee",
            "unknown": "Weet ik niet",
        }


class Recipient(LabelledEnum):
    PROFESSIONAL = "professional"
    KNOWN_PERSON = "known_person"
    UNKNOWN_PEOPLE = "unknown_people"
    PUBLIC = "public"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "professional": (
                "Een bekende professional met geheimhoudingsplicht (zoals een huisarts of jeugdhulpverlener)"
            ),
            "known_person": "Een andere bekende persoon (zoals een ouder of inwoner)",
            "unknown_people": "Onbekende personen",
            "public": "Iedereen: het stond openbaar op internet",
            "unknown": "Weet ik niet",
        }


class Retrieval(LabelledEnum):
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    NO = "no"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "confirmed": "Ja, en dat is bevestigd",
            "unconfirmed": "Ja, maar dat is nog niet bevestigd",
            "no": "Nee",
            "unknown": "Weet ik niet",
        }
