"""The employee's report (melding): recognisable situations, the questions an employee
can answer, and the validation rules with Dutch messages per field.

The situations are what an employee recognises ("e-mail naar de verkeerde persoon"),
not legal terms; each maps to the incident-type vocabulary of the EU template and the
AP form (``models.IncidentType``) and decides which follow-up questions make sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from datalek import pii
from datalek.models import IncidentType, InvalidInput, LabelledEnum, Nature

CLOCK_SKEW = timedelta(minutes=5)
MAX_DESCRIPTION = 4000
MAX_SHORT_TEXT = 2000


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
        "Je vulde je wachtwoord in op een nep-inlogpagina, of gaf gegevens aan een valse 'ouder' aan de telefoon.",
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
            "professional": "Een bekende professional met geheimhoudingsplicht (zoals een huisarts of jeugdhulpverlener)",
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


class Report(BaseModel):
    """An employee's report, as validated. Questions that do not apply are None."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    org_id: int
    department: str = Field(min_length=1, max_length=100)
    situation: Situation
    occurrence: Occurrence
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    discovered_at: datetime
    data_kinds: list[DataKind] = Field(min_length=1)
    subject_groups: list[SubjectGroup] = Field(min_length=1)
    people_count_kind: CountKind
    people_count: int | None = Field(default=None, ge=0, le=100_000_000)
    protection: Protection | None = None
    recipients: list[Recipient] | None = None
    retrieval: Retrieval | None = None
    actions_taken: str = Field(default="", max_length=MAX_SHORT_TEXT)
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION)

    @field_validator("occurred_from", "occurred_to", "discovered_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def answers(self) -> dict:
        """The answers kept as the report's JSON (dates and free text have own columns)."""
        return self.model_dump(
            mode="json",
            include={
                "occurrence",
                "data_kinds",
                "subject_groups",
                "people_count_kind",
                "people_count",
                "protection",
                "recipients",
                "retrieval",
            },
        )


def applicable(situation: Situation | str | None) -> dict[str, bool]:
    """Which situation-dependent questions the form asks."""
    try:
        info = Situation(situation).info
    except ValueError:
        return {"protection": True, "recipients": True, "retrieval": True}
    return {
        "protection": info.asks_protection,
        "recipients": info.asks_recipients,
        "retrieval": info.retrieval_question is not None,
    }


_REQUIRED = {
    "situation": "Kies wat er is gebeurd.",
    "occurrence": "Kies wanneer het gebeurde, of 'Weet ik niet'.",
    "discovered_at": "Vul in wanneer je het ontdekte.",
    "department": "Vul je afdeling of team in.",
    "data_kinds": "Kies minstens één soort gegevens, of 'Weet ik niet'.",
    "subject_groups": "Kies over wie het gaat, of 'Weet ik niet'.",
    "people_count_kind": "Kies of je het aantal precies weet, ongeveer, of niet.",
    "description": "Beschrijf kort wat er is gebeurd.",
    "org_id": "Kies de organisatie.",
    "protection": "Kies of de gegevens beveiligd waren, of 'Weet ik niet'.",
    "recipients": "Kies wie het kreeg of kon zien, of 'Weet ik niet'.",
    "retrieval": "Kies een antwoord, of 'Weet ik niet'.",
    "people_count": "Vul het aantal mensen in.",
    "occurred_from": "Vul in wanneer het gebeurde.",
    "occurred_to": "Vul in tot wanneer het duurde.",
}


def _message(field: str, error: dict) -> str:
    kind = error["type"]
    if kind in ("missing", "too_short", "string_too_short") or (
        (kind.endswith("_type") or kind == "enum") and error.get("input") in (None, "", [])
    ):
        return _REQUIRED.get(field, "Dit is verplicht.")
    if kind in ("greater_than_equal",):
        return "Het aantal kan niet negatief zijn."
    if kind in ("less_than_equal",):
        return "Dit aantal is te groot."
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "Vul een heel getal in."
    if kind in ("string_too_long", "too_long"):
        limit = error.get("ctx", {}).get("max_length")
        return f"Dit is te lang: gebruik hoogstens {limit} tekens." if limit else "Dit is te lang."
    if kind == "enum":
        return "Kies een van de mogelijkheden."
    return "Dit antwoord klopt niet."


def _consistency_errors(values: dict, now: datetime) -> dict[str, str]:
    """Rules across fields: conditional questions and the order of the dates."""
    errors: dict[str, str] = {}
    if pii.find_pii(str(values.get("department") or "")):
        # The department is shown in lists and on the dashboard: no personal details in it.
        errors["department"] = (
            "Vul alleen de naam van je afdeling of team in, zonder nummers, adressen of e-mailadressen."
        )
    asks = applicable(values.get("situation"))
    for field in ("protection", "retrieval"):
        if asks[field] and values.get(field) in (None, ""):
            errors[field] = _REQUIRED[field]
    if asks["recipients"] and not values.get("recipients"):
        errors["recipients"] = _REQUIRED["recipients"]
    if values.get("people_count_kind") in ("exact", "approximate") and values.get("people_count") in (
        None,
        "",
    ):
        errors["people_count"] = _REQUIRED["people_count"]
    occurrence = values.get("occurrence")
    start, end, found = (values.get(k) for k in ("occurred_from", "occurred_to", "discovered_at"))
    if occurrence in ("moment", "period", "ongoing") and start is None:
        errors["occurred_from"] = _REQUIRED["occurred_from"]
    if occurrence == "period" and end is None:
        errors["occurred_to"] = _REQUIRED["occurred_to"]
    latest = now + CLOCK_SKEW
    for field, moment in (("occurred_from", start), ("occurred_to", end), ("discovered_at", found)):
        if isinstance(moment, datetime) and moment.tzinfo and moment > latest:
            errors.setdefault(field, "Deze datum en tijd liggen in de toekomst.")
    if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
        errors.setdefault("occurred_to", "Het einde ligt vóór het begin.")
    if isinstance(start, datetime) and isinstance(found, datetime) and found < start:
        errors.setdefault("discovered_at", "Je kunt het niet ontdekt hebben voordat het gebeurde.")
    return errors


def validate_report(values: dict, now: datetime) -> Report:
    """Build a ``Report`` or raise ``InvalidInput`` with a Dutch message per field.

    Answers to questions that do not apply to the chosen situation are dropped.
    """
    values = dict(values)
    asks = applicable(values.get("situation"))
    for field, asked in asks.items():
        if not asked:
            values[field] = None
    if values.get("occurrence") in ("unknown", None):
        values["occurred_from"] = None
    if values.get("occurrence") != "period":
        values["occurred_to"] = None
    if values.get("people_count_kind") == "unknown":
        values["people_count"] = None
    errors: dict[str, str] = {}
    report = None
    try:
        report = Report.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, _message(field, error))
    for field, message in _consistency_errors(values, now).items():
        errors.setdefault(field, message)
    if errors or report is None:
        raise InvalidInput(errors or {"form": "Het formulier is niet compleet."})
    return report
