"""What may be recorded on the informing list (``datalek.actions.households``): the checks of a
person's details and of a family's safety judgement, each with a Dutch message per field, and
how a person's details are stored. Pure: no database; today's date is passed in.

Least data (vuistregel 5): a file number, never a name; an age only for a child; competence only
where the age rules use it (a young person of 12 to 17, an adult client); consent for informing
the parents only from a young person of 16 or 17; parents withheld only for 12 to 15, with a
reason. A child's date of birth and age band are never both kept: the date of birth would win,
so both are refused and the FG chooses."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, timedelta

from datalek.actions import recipients
from datalek.actions.addressees import Addressee, AgeBand, Concern, ParentsWithheld, Relation
from datalek.actions.corrections import MAX_REASON
from datalek.actions.recipients import DEVIATIONS, INCLUDE

MAX_LABEL = 40
MAX_TEXT = 4000  # a safety judgement's reason, as informing's safety check
MAX_POSTPONEMENT = timedelta(days=366)
EARLIEST_BIRTH = date(1900, 1, 1)
#: What ``add_member`` takes and ``change_member`` may change, in the order changes are kept.
MEMBER_FIELDS = (
    "file_ref",
    "relation",
    "birth_date",
    "age_band",
    "competent",
    "consent_parents",
    "parents_withheld",
    "parents_withheld_reason",
)
#: A dossier or client number: letters, digits and - / . _, at least one digit, no spaces.
FILE_REF = re.compile(r"(?=.*[0-9])[A-Za-z0-9._/-]{1,40}")
NOT_A_NUMBER = "Vul het dossier- of cliëntnummer in, geen naam."
FLAGGED = "Veiligheidsrisico: deze persoon krijgt nooit een bericht."
PURGED = "De gegevens van deze melding zijn opgeschoond na de bewaartermijn. Er kan niets meer bij."
REMOVED_ALREADY = "Deze persoon is al van de lijst gehaald. Er kan niets meer aan veranderen."
YOUNG = (AgeBand.FROM_12_TO_15, AgeBand.FROM_16_TO_17)


def _too_long(text: str, limit: int) -> str | None:
    return f"Dit is te lang: gebruik hoogstens {limit} tekens." if len(text) > limit else None


def member_errors(values: dict, today: date) -> dict[str, str]:
    """The Dutch message per field for a person's details (``MEMBER_FIELDS``); empty when valid."""
    errors: dict[str, str] = {}
    relation, ref = values["relation"], (values["file_ref"] or "").strip()
    if relation is None:
        errors["relation"] = "Kies hoe deze persoon bij het datalek betrokken is."
    if (ref or relation is not Relation.OTHER) and not FILE_REF.fullmatch(ref):
        errors["file_ref"] = NOT_A_NUMBER
    birth, band = values["birth_date"], values["age_band"]
    if birth is not None and birth > today:
        errors["birth_date"] = "De geboortedatum ligt in de toekomst."
    elif birth is not None and birth < EARLIEST_BIRTH:
        errors["birth_date"] = "Kies een geboortedatum vanaf 1900."
    if relation is not Relation.CHILD and (birth or band):
        errors.setdefault(
            "birth_date" if birth else "age_band", "Alleen voor een kind is de leeftijd nodig. Laat dit leeg."
        )
    elif relation is Relation.CHILD and birth and band:
        errors["age_band"] = (
            "Vul de geboortedatum of de leeftijd in, niet allebei. De geboortedatum gaat voor: laat de leeftijd leeg."
        )
    elif relation is Relation.CHILD and not (birth or band):
        errors["birth_date"] = "Vul de geboortedatum of de leeftijd van het kind in."
    if errors.keys() & {"birth_date", "age_band", "relation"}:
        return errors  # the age rules below need a valid relation and age
    now = (
        recipients.age_band_on(recipients.Member(0, relation, birth, band), today)
        if relation is Relation.CHILD
        else None
    )
    if values["competent"] is not None and not (now in YOUNG or relation is Relation.ADULT_CLIENT):
        errors["competent"] = (
            "Wilsbekwaamheid vul je alleen in voor een jongere van 12 tot en met 17 jaar of een volwassen cliënt."
        )
    if values["consent_parents"] is not None and now is not AgeBand.FROM_16_TO_17:
        errors["consent_parents"] = (
            "Toestemming voor de ouders vraag je alleen aan een jongere van 16 of 17 jaar."
        )
    withheld = values["parents_withheld"] or ParentsWithheld.NONE
    why = (values["parents_withheld_reason"] or "").strip()
    if withheld is not ParentsWithheld.NONE:
        if now is not AgeBand.FROM_12_TO_15:
            errors["parents_withheld"] = "Dit geldt alleen voor een jongere van 12 tot en met 15 jaar."
        elif not why:
            errors["parents_withheld_reason"] = "Leg uit waarom de ouders geen brief krijgen."
        elif message := _too_long(why, MAX_REASON):
            errors["parents_withheld_reason"] = message
    return errors


def _bit(value: bool | None) -> int | None:
    return None if value is None else int(value)


def stored(values: dict) -> dict:
    """A person's valid details as the columns of ``household_members`` hold them."""
    withheld = values["parents_withheld"] or ParentsWithheld.NONE
    return {
        "file_ref": (values["file_ref"] or "").strip(),
        "relation": values["relation"].value,
        "birth_date": values["birth_date"].isoformat() if values["birth_date"] else None,
        "age_band": values["age_band"].value if values["age_band"] else None,
        "competent": _bit(values["competent"]),
        "consent_parents": _bit(values["consent_parents"]),
        "parents_withheld": withheld.value,
        "parents_withheld_reason": (
            "" if withheld is ParentsWithheld.NONE else (values["parents_withheld_reason"] or "").strip()
        ),
    }


def safety_errors(
    flagged: Collection[int],
    concerns: Collection[Concern],
    postponed: bool | None,
    reason: str,
    review_on: date | None,
    today: date,
) -> dict[str, str]:
    """The Dutch message per field for a family's safety judgement (who is flagged is checked
    against the family by the caller)."""
    errors: dict[str, str] = {}
    if postponed is None:
        errors["postponed"] = "Kies ja of nee."
    if flagged and not concerns:
        errors["concerns"] = "Kies waarom deze persoon geen bericht mag krijgen."
    if postponed:
        if not reason:
            errors["reason"] = "Leg uit waarom informeren nu niet veilig is."
        if review_on is None or review_on <= today:
            errors["review_on"] = "Kies een datum na vandaag waarop je dit opnieuw bekijkt."
        elif review_on > today + MAX_POSTPONEMENT:
            errors["review_on"] = "Kies een datum binnen een jaar."
    elif flagged and not reason:
        errors["reason"] = "Leg uit waarom het nu veilig is om de anderen in dit gezin te informeren."
    if message := _too_long(reason, MAX_TEXT):
        errors["reason"] = message
    return errors


def deviation_errors(deviation: str, reader: Addressee | None, reason: str) -> dict[str, str]:
    """The Dutch message per field for departing from the rule for one person (or following
    it again): a kind of letter for "include", and always a reason."""
    errors: dict[str, str] = {}
    if deviation not in DEVIATIONS:
        errors["deviation"] = "Kies: volg de regel, geef deze persoon toch een brief, of juist geen brief."
    elif deviation == INCLUDE and reader not in Addressee.options():
        errors["reader"] = "Kies welke brief deze persoon krijgt."
    if not reason:
        errors["reason"] = (
            "Schrijf waarom je van de regel afwijkt."
            if deviation
            else "Schrijf waarom je de regel weer volgt."
        )
    elif message := _too_long(reason, MAX_REASON):
        errors["reason"] = message
    return errors
