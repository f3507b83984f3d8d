"""The facts of a breach as the FG establishes them (beoordeling): the input of the triage engine.

Structured like the AP notification form and the draft EU template (2026) in
``docs/domain/ap-form.md``, plus what the youth-care context adds. Every question has an
honest "unknown" answer: the engine treats unknown key facts cautiously and says which of
them would change its advice.

The AP form's own questions that the engine does not weigh use ``triage.ap_vocabulary``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from datalek.intake.situations import CountKind, Retrieval
from datalek.models import IncidentType, LabelledEnum, Nature
from datalek.triage.ap_vocabulary import CrossBorder, Impact, OtherOrganisation, SecurityMeasure, Severity


class ConfidentialityState(LabelledEnum):
    DISCLOSED = "disclosed"
    LIKELY = "likely"
    NOT_DISCLOSED = "not_disclosed"
    NOT_ASSESSABLE = "not_assessable"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "disclosed": "Gelekt of ingezien (vastgesteld)",
            "likely": "Waarschijnlijk gelekt of ingezien (geen bewijs)",
            "not_disclosed": "Niet gelekt of ingezien (met redelijk bewijs)",
            "not_assessable": "Niet vast te stellen",
            "tbd": "Nog te bepalen",
        }


class IntegrityState(LabelledEnum):
    ALTERED_NO_MISUSE = "altered_no_misuse"
    ALTERED_REVERSIBLE = "altered_reversible"
    ALTERED_IRREVERSIBLE = "altered_irreversible"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "altered_no_misuse": "Veranderd, geen aanwijzing voor misbruik (hersteld vóór gebruik)",
            "altered_reversible": "Veranderd, mogelijk misbruikt, te herstellen",
            "altered_irreversible": "Veranderd, mogelijk misbruikt, niet te herstellen",
        }


class AvailabilityState(LabelledEnum):
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    UNDETERMINED = "undetermined"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "temporary": "Tijdelijk niet beschikbaar",
            "permanent": "Blijvend verloren",
            "undetermined": "Nog niet bekend",
        }


class Cause(LabelledEnum):
    INTERNAL_NON_MALICIOUS = "internal_non_malicious"
    INTERNAL_MALICIOUS = "internal_malicious"
    EXTERNAL_NON_MALICIOUS = "external_non_malicious"
    EXTERNAL_MALICIOUS = "external_malicious"
    TBD = "tbd"
    UNKNOWN = "unknown"

    @property
    def malicious(self) -> bool:
        return self in (Cause.INTERNAL_MALICIOUS, Cause.EXTERNAL_MALICIOUS)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "internal_non_malicious": "Intern, per ongeluk",
            "internal_malicious": "Intern, met opzet",
            "external_non_malicious": "Extern, per ongeluk",
            "external_malicious": "Extern, met kwade opzet (diefstal, hack, phishing)",
            "tbd": "Nog te bepalen",
            "unknown": "Onbekend",
        }


class DataCategory(LabelledEnum):
    """Kinds of data (EU template), with the Dutch and youth-care categories made explicit."""

    NAME_ADDRESS = "name_address"
    PHONE = "phone"
    EMAIL = "email"
    DEMOGRAPHIC = "demographic"
    BASIC = "basic"  # older, coarser code: name, date of birth, gender (``LEGACY``)
    CONTACT = "contact"  # older, coarser code: address, telephone, e-mail (``LEGACY``)
    BSN = "bsn"
    ID_DOCUMENT = "id_document"
    FINANCIAL = "financial"
    PAYMENT_MEANS = "payment_means"
    LOCATION = "location"
    PROFILE = "profile"
    CREDENTIALS = "credentials"
    OFFICIAL_DOCUMENTS = "official_documents"
    HEALTH = "health"
    CARE_FILE = "care_file"
    CHILD_PROTECTION = "child_protection"
    CRIMINAL = "criminal"
    RACIAL_ETHNIC = "racial_ethnic"
    POLITICAL = "political"
    RELIGIOUS = "religious"
    SEX_LIFE = "sex_life"
    UNION = "union"
    GENETIC = "genetic"
    BIOMETRIC = "biometric"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def special(self) -> bool:
        """Art. 9 AVG special categories, the youth-care files that contain them, and art. 10."""
        return self in SPECIAL_CATEGORIES

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "name_address": "Naam-, adres- en woonplaatsgegevens",
            "phone": "Telefoonnummers",
            "email": "E-mailadressen",
            "demographic": "Geslacht, geboortedatum en/of leeftijd",
            "basic": "Naam, geboortedatum, geslacht",
            "contact": "Contactgegevens (adres, telefoon, e-mail)",
            "bsn": "Burgerservicenummer (BSN)",
            "id_document": "Kopie identiteitsbewijs of ander officieel identificatienummer",
            "financial": "Financiële gegevens (inkomen, schulden, uitkering, rekeningnummer)",
            "payment_means": "Betaalmiddelen (volledige kaartgegevens)",
            "location": "Locatiegegevens",
            "profile": "Profiel- of gedragsgegevens (ook psychologische profielen)",
            "credentials": "Inloggegevens",
            "official_documents": "Officiële documenten (scans, beschikkingen)",
            "health": "Gezondheid (art. 9 AVG)",
            "care_file": "Jeugdhulp- of zorgdossier",
            "child_protection": "Veilig Thuis- of jeugdbeschermingsinformatie",
            "criminal": "Strafrechtelijke gegevens (art. 10 AVG)",
            "racial_ethnic": "Ras of etnische afkomst",
            "political": "Politieke opvattingen",
            "religious": "Godsdienst of levensovertuiging",
            "sex_life": "Seksueel leven of seksuele gerichtheid",
            "union": "Lidmaatschap van een vakbond",
            "genetic": "Genetische gegevens",
            "biometric": "Biometrische gegevens",
            "other": "Anders",
            "unknown": "Nog onbekend",
        }


#: The coarse codes of versions before 0.5.0. They keep the meaning they had when they were
#: recorded (a report of "naam en adres" was saved as both); new answers use the AP form's
#: finer kinds, and the FG is asked to refine an old answer before notifying.
LEGACY_CATEGORIES = frozenset({DataCategory.BASIC, DataCategory.CONTACT})

SPECIAL_CATEGORIES = frozenset(
    {
        DataCategory.HEALTH,
        DataCategory.CARE_FILE,
        DataCategory.CHILD_PROTECTION,
        DataCategory.CRIMINAL,
        DataCategory.RACIAL_ETHNIC,
        DataCategory.POLITICAL,
        DataCategory.RELIGIOUS,
        DataCategory.SEX_LIFE,
        DataCategory.UNION,
        DataCategory.GENETIC,
        DataCategory.BIOMETRIC,
    }
)


class PeopleGroup(LabelledEnum):
    CLIENTS = "clients"
    MINORS = "minors"
    PARENTS = "parents"
    VULNERABLE = "vulnerable"
    PATIENTS = "patients"
    EMPLOYEES = "employees"
    RESIDENTS = "residents"
    STUDENTS = "students"
    OTHER = "other"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "clients": "Cliënten (jeugdhulp, sociaal domein)",
            "minors": "Minderjarigen (kinderen en jongeren)",
            "parents": "Ouders of verzorgers",
            "vulnerable": "Kwetsbare personen (slachtoffers, ouderen, mensen met een beperking)",
            "patients": "Patiënten",
            "employees": "Medewerkers",
            "residents": "Inwoners",
            "students": "Leerlingen of studenten",
            "other": "Anders",
            "unknown": "Nog onbekend",
        }


class Unintelligible(LabelledEnum):
    INTACT = "intact"
    SUBVERTIBLE = "subvertible"
    NO = "no"
    NOT_ASSESSABLE = "not_assessable"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "intact": "Ja: versleuteld of gehasht volgens de stand van de techniek, sleutel veilig",
            "subvertible": "Beveiligd, maar te omzeilen (sleutel mogelijk bekend, zwak wachtwoord)",
            "no": "Nee, leesbaar",
            "not_assessable": "Niet vast te stellen",
            "tbd": "Nog te bepalen",
        }


class RecipientKind(LabelledEnum):
    TRUSTED = "trusted"
    KNOWN = "known"
    UNKNOWN = "unknown"
    PUBLIC = "public"
    MALICIOUS = "malicious"
    NONE = "none"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "trusted": "Betrouwbare professional met geheimhoudingsplicht",
            "known": "Bekende persoon (zoals een ouder of inwoner)",
            "unknown": "Onbekende personen",
            "public": "Openbaar (internet, iedereen)",
            "malicious": "Kwaadwillende partij (dief, hacker, oplichter)",
            "none": "Niemand (alleen verlies of wijziging)",
            "tbd": "Nog te bepalen",
        }


class Exfiltration(LabelledEnum):
    CONFIRMED = "confirmed"
    LIKELY = "likely"
    EXCLUDED = "excluded"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "confirmed": "Ja, vastgesteld",
            "likely": "Waarschijnlijk",
            "excluded": "Uitgesloten, met bewijs (logbestanden, onderzoek)",
            "unknown": "Onbekend",
            "not_applicable": "Niet van toepassing",
        }


class AvailabilityEffect(LabelledEnum):
    """EDPB 01/2021 casus 1-3: the effect of an outage on the people decides, not the data."""

    NONE = "none"
    DELAYED = "delayed"
    HARM = "harm"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "none": "Nee, er is geen hulp, zorg of besluit vertraagd",
            "delayed": "Ja, hulp, zorg, een besluit of een betaling is vertraagd",
            "harm": "Ja, en iemand kan daardoor schade hebben (gezondheid, veiligheid, geld)",
            "tbd": "Nog niet bekend",
        }


class Identification(LabelledEnum):
    """ENISA 2013 §3.1.2 and Annex 2: how easily a person is identified, as the FG judges it
    (how unique a name, number or picture is in its population; whether it is in a register)."""

    NEGLIGIBLE = "0.25"
    LIMITED = "0.5"
    SIGNIFICANT = "0.75"
    MAXIMAL = "1"

    @property
    def ei(self) -> float:
        return float(self.value)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "0.25": "Verwaarloosbaar (0,25): alleen met veel moeite, zoals een veelvoorkomende naam",
            "0.5": "Beperkt (0,5): een naam die weinig voorkomt, of een nummer zonder naam",
            "0.75": "Aanzienlijk (0,75): een zeldzame naam in een kleine plaats, een duidelijke foto",
            "1": "Maximaal (1): direct herkenbaar, of te vinden in een openbaar register",
        }


class LawfulBasis(LabelledEnum):
    """Sharing with a legal basis is not a breach (docs/domain/youth-care.md §3)."""

    NONE = "none"
    MELDRECHT = "meldrecht"
    INFORMATIEPLICHT = "informatieplicht"
    CONSENT = "consent"
    AFWEGINGSKADER = "afwegingskader"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "none": "Nee, er was geen grondslag",
            "meldrecht": "Meldrecht (Veilig Thuis, Raad voor de Kinderbescherming, Verwijsindex)",
            "informatieplicht": "Informatieplicht (Inspectie, gecertificeerde instelling)",
            "consent": "Toestemming, vastgelegd",
            "afwegingskader": "Afwegingskader / conflict van plichten, vastgelegd",
        }


class Facts(BaseModel):
    """Everything the engine weighs. Defaults are the cautious answers."""

    model_config = ConfigDict(frozen=True)

    personal_data: bool = True
    lawful_basis: LawfulBasis = LawfulBasis.NONE
    natures: list[Nature] = Field(default_factory=list)
    confidentiality: ConfidentialityState | None = None
    integrity: IntegrityState | None = None
    availability: AvailabilityState | None = None
    incident_type: IncidentType = IncidentType.TO_BE_DETERMINED
    cause: Cause = Cause.TBD
    data_categories: list[DataCategory] = Field(default_factory=lambda: [DataCategory.UNKNOWN])
    groups: list[PeopleGroup] = Field(default_factory=lambda: [PeopleGroup.UNKNOWN])
    people_count_kind: CountKind = CountKind.UNKNOWN
    people_count: int | None = Field(default=None, ge=0)
    records_count_kind: CountKind = CountKind.UNKNOWN
    records_count: int | None = Field(default=None, ge=0)
    unintelligible: Unintelligible = Unintelligible.TBD
    recipients: list[RecipientKind] = Field(default_factory=lambda: [RecipientKind.TBD])
    retrieval: Retrieval = Retrieval.UNKNOWN
    exfiltration: Exfiltration = Exfiltration.UNKNOWN
    backup_available: bool | None = None
    restore_hours: float | None = Field(default=None, ge=0)
    professional_secrecy: bool = False
    child_safety: bool = False
    family_file: bool = False
    youth_care_controller: bool = False
    later_measures: bool = False
    disproportionate_effort: bool = False
    #: EDPB 01/2021 casus 1-3: did the outage delay help, care or decisions, and for how long.
    availability_effect: AvailabilityEffect = AvailabilityEffect.TBD
    effect_hours: float | None = Field(default=None, ge=0)
    #: ENISA 2013 §2: the FG raises or lowers the data-processing context, with a reason.
    context_adjustment: int = Field(default=0, ge=-3, le=3)
    context_reason: str = Field(default="", max_length=1000)
    #: ENISA 2013 §3.1.2: the FG's own ease of identification (None: the engine's), with a reason.
    identification: Identification | None = None
    identification_reason: str = Field(default="", max_length=1000)
    # The AP form's own questions (ui.ap_questions); the engine does not weigh them.
    other_organisation: OtherOrganisation = OtherOrganisation.TBD
    other_organisation_name: str = Field(default="", max_length=200)
    security_measures: list[SecurityMeasure] = Field(default_factory=lambda: [SecurityMeasure.TBD])
    security_other: str = Field(default="", max_length=500)
    cross_border: CrossBorder = CrossBorder.TBD
    other_authorities: str = Field(default="", max_length=500)
    #: The FG's own view of the consequences; empty / None: derived from the assessment
    #: (``actions.consequences``). Changing the derived view needs ``consequences_reason``.
    impacts: list[Impact] = Field(default_factory=list)
    severity: Severity | None = None
    consequences_reason: str = Field(default="", max_length=1000)
    aware_at: datetime

    @field_validator("aware_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("aware_at must carry a timezone")
        return value


#: The other organisation's kinds that need its name.
NAMED_ORGANISATION = frozenset(
    {OtherOrganisation.PROCESSOR, OtherOrganisation.JOINT_CONTROLLER, OtherOrganisation.OTHER}
)


def ap_answer_errors(f: Facts) -> dict[str, str]:
    """What the AP form's own questions still lack, per field (Dutch)."""
    errors = {}
    if f.other_organisation in NAMED_ORGANISATION and not f.other_organisation_name.strip():
        errors["other_organisation_name"] = "Vul de naam van de andere organisatie in."
    if not f.security_measures:
        errors["security_measures"] = "Kies minstens één maatregel (of 'Nog te bepalen')."
    elif SecurityMeasure.OTHER in f.security_measures and not f.security_other.strip():
        errors["security_other"] = "Beschrijf de andere maatregel."
    if (f.impacts or f.severity is not None) and not f.consequences_reason.strip():
        errors["consequences_reason"] = (
            "Geef een reden: je wijkt af van de gevolgen die uit de beoordeling volgen."
        )
    return errors


def engine_answer_errors(f: Facts) -> dict[str, str]:
    """The FG's own judgements the engine weighs need their reason (ENISA 2013 §2: every change
    from the basic score is written down), per field (Dutch)."""
    errors = {}
    if f.context_adjustment and not f.context_reason.strip():
        errors["context_reason"] = "Geef een reden: je past de score voor de soort gegevens aan."
    if f.identification is not None and not f.identification_reason.strip():
        errors["identification_reason"] = (
            "Geef een reden: je beoordeelt zelf hoe herkenbaar de personen zijn."
        )
    return errors
