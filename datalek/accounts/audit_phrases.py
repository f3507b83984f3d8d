"""The details of an audit-trail entry as short Dutch sentences (``audit_trail`` reads the
trail with them): a sentence per detail key, two keys that read as one, and the names of
accounts, organisations and incidents instead of their numbers. An entry holds ids and codes,
never contents, so no sentence holds personal data or free text; a missing id says nothing.
``tests/test_audit_trail.py`` fails when a detail key written anywhere has no sentence here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from datalek.accounts.audit_labels import ATTEMPTS, DEVIATIONS, METHODS, REASONS, ROLE_LABELS, TABLES
from datalek.models import Status


def readable(code: str) -> str:
    """A code nobody gave a label yet, still readable: 'signin.locked' -> 'signin locked'."""
    return code.replace(".", " ").replace("_", " ").strip() or "-"


def attempted_label(code: str) -> str:
    return ATTEMPTS.get(code) or readable(code)


@dataclass
class Names:
    """Names of the accounts and organisations, and references of the incidents, entries name."""

    users: dict[int, str]
    organisations: dict[int, str]
    incidents: dict[int, str]

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return "-"
        return self.users.get(user_id) or f"account {user_id} (bestaat niet meer)"

    def organisation(self, org_id: int) -> str:
        return self.organisations.get(org_id) or f"organisatie {org_id}"

    def incident(self, incident_id: int) -> str:
        return self.incidents.get(incident_id) or f"nr. {incident_id}"


def as_int(value) -> int | None:
    """An id from an entry's object id or detail; None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _status(code: str | None) -> str:
    if code is None:
        return "-"
    return Status(code).label.lower() if code in {s.value for s in Status} else readable(code)


def _yes_no(value) -> str:
    return "ja" if value else "nee"


def _count(n, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


Phrase = Callable[[object, "Names", Mapping[str, str]], str | None]


def _given(phrase: Phrase) -> Phrase:
    """``phrase``, but nothing for a value that is missing (None)."""
    return lambda v, n, c: phrase(v, n, c) if v is not None else None


def _numbered(what: str) -> Phrase:
    """The sentence "<what> nr. <id>." for an id; nothing when there is none."""
    return _given(lambda v, n, c: f"{what} nr. {v}.")


def _size(n) -> str:
    """A file size as a person reads it: "812 bytes", "14 kB", "2,3 MB"."""
    if not isinstance(n, int) or n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} kB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _day(value) -> str:
    """An ISO date as the Dutch write it (31-12-2026); anything else as it is."""
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


def _themes(v) -> str:
    """How many themes a list of theme codes holds: "1 thema", "2 thema's"."""
    return _count(len(v) if isinstance(v, list | tuple) else 0, "thema", "thema's")


#: A sentence per detail key; None leaves the detail out (nothing worth saying).
PHRASES: dict[str, Phrase] = {
    "attempted": lambda v, n, c: f"Geprobeerd: {attempted_label(str(v))}.",
    "reason": lambda v, n, c: f"Reden: {REASONS.get(str(v)) or readable(str(v))}.",
    "count": lambda v, n, c: f"Aantal: {v}.",
    "method": lambda v, n, c: f"{(METHODS.get(str(v)) or readable(str(v))).capitalize()}.",
    "user_id": lambda v, n, c: f"Account: {n.user(v)}.",
    "org_id": lambda v, n, c: f"Organisatie: {n.organisation(v)}.",
    "org_ids": lambda v, n, c: "Organisatie(s): " + ", ".join(n.organisation(i) for i in v) + ".",
    "invited_by": lambda v, n, c: f"Uitgenodigd door: {n.user(v)}." if v else "Uitgenodigd op de server.",
    "invitation_id": lambda v, n, c: f"Link nr. {v}.",
    "delivery": lambda v, n, c: (
        "Verstuurd per e-mail." if v == "mail" else "Op de server getoond om door te geven."
    ),
    "superseded": lambda v, n, c: (
        f"{_count(v, 'oudere link vervalt', 'oudere links vervallen')}." if v else None
    ),
    "invitations_closed": lambda v, n, c: (
        f"{_count(v, 'open uitnodiging vervalt', 'open uitnodigingen vervallen')}." if v else None
    ),
    "role": lambda v, n, c: f"Rol: {ROLE_LABELS.get(str(v), v)}.",
    "email_changed": lambda v, n, c: "Het e-mailadres van de FG is gewijzigd." if v else None,
    "name_changed": lambda v, n, c: "De naam van de FG is gewijzigd." if v else None,
    "phone_changed": lambda v, n, c: "Het telefoonnummer van de FG is gewijzigd." if v else None,
    "year": lambda v, n, c: f"Jaar {v}.",
    "format": lambda v, n, c: f"Bestand: {str(v).upper()}.",
    "rows": lambda v, n, c: f"{_count(v, 'regel', 'regels')}.",
    "integrity_ok": lambda v, n, c: f"Controle van de kopie: {'in orde' if v else 'NIET in orde'}.",
    "incidents": lambda v, n, c: f"{_count(v, 'melding', 'meldingen')}.",
    "decisions": lambda v, n, c: f"{_count(v, 'besluit', 'besluiten')}.",
    "followed_up": lambda v, n, c: f"{v} opgevolgd.",
    "seed": lambda v, n, c: f"Startgetal {v}.",
    # what the demo data hold of issue #16 ("demo.generate")
    "merged": lambda v, n, c: f"{_count(v, 'melding', 'meldingen')} samengevoegd als dubbele melding.",
    "merges_undone": lambda v, n, c: f"{_count(v, 'samenvoeging', 'samenvoegingen')} ongedaan gemaakt.",
    "chains": lambda v, n, c: f"{_count(v, 'keten', 'ketens')} van incidenten.",
    "chain_members_removed": lambda v, n, c: f"{_count(v, 'melding', 'meldingen')} uit een keten gehaald.",
    "report_links": lambda v, n, c: f"{_count(v, 'meldlink', 'meldlinks')}.",
    "reports_through_links": lambda v, n, c: f"{_count(v, 'melding', 'meldingen')} via een meldlink.",
    "notification_id": lambda v, n, c: f"AP-melding nr. {v}.",
    "late": lambda v, n, c: "Later dan 72 uur gemeld." if v else "Binnen 72 uur gemeld.",
    "supplement": lambda v, n, c: "Voor een aanvulling." if v else "Voor de eerste melding.",
    "recipient": lambda v, n, c: f"Voor: {c.get(str(v), readable(str(v)))}.",
    "risk": lambda v, n, c: (
        f"Risico: {_yes_no(v) if isinstance(v, bool) else c.get(str(v), readable(str(v)))}."
    ),
    "people_count": lambda v, n, c: f"{_count(v, 'persoon', 'personen')}.",
    "channel": lambda v, n, c: f"Via: {c.get(str(v), readable(str(v)))}.",
    "measure_id": _numbered("Maatregel"),
    "notice_id": lambda v, n, c: f"Informeren nr. {v}.",
    "kind": lambda v, n, c: f"Soort: {c.get(str(v), readable(str(v)))}.",
    "status": lambda v, n, c: f"Status: {c.get(str(v), readable(str(v)))}.",
    "version": lambda v, n, c: f"Versie {v}.",
    "notify": lambda v, n, c: f"Melden bij de AP: {_yes_no(v)}.",
    "inform": lambda v, n, c: f"Betrokkenen informeren: {c.get(str(v), readable(str(v)))}.",
    "deviates": lambda v, n, c: "Wijkt af van het advies." if v else "Volgt het advies.",
    "decision_id": lambda v, n, c: f"Besluit nr. {v}.",
    "pii_kept": lambda v, n, c: "Persoonsgegevens in de tekst bewust laten staan." if v else None,
    "repeat": lambda v, n, c: "Lijkt op een eerdere melding." if v else None,
    "supplement_id": lambda v, n, c: f"Aanvulling nr. {v}.",
    "old_years": lambda v, n, c: f"Was {v} jaar.",
    "new_years": lambda v, n, c: f"Wordt {v} jaar.",
    "file": lambda v, n, c: f"Bestand: {v}.",
    "legacy_until": lambda v, n, c: f"Verzegeld tot en met regel {v}.",
    "action": lambda v, n, c: f"Voor: {attempted_label(str(v))}.",
    "permission": lambda v, n, c: f"Recht: {attempted_label(str(v))}.",
    "client": lambda v, n, c: f"Vanaf adres {v}.",
    "scope": lambda v, n, c: "Geteld per account en adres." if v == "account_client" else "Geteld per adres.",
    "failures": lambda v, n, c: f"{_count(v, 'mislukte poging', 'mislukte pogingen')}.",
    "wait_seconds": lambda v, n, c: f"Wachttijd {v} seconden.",
    "fields": lambda v, n, c: f"{_count(len(v), 'moment of gegeven', 'momenten of gegevens')} gewijzigd.",
    "after_notification": lambda v, n, c: "Na de melding bij de AP." if v else None,
    "replaced": lambda v, n, c: "Vervangt een eerdere reden; die blijft bewaard." if v else None,
    "accounts": lambda v, n, c: f"{_count(v, 'account', 'verschillende accounts')} geprobeerd.",
    "deputy_changed": lambda v, n, c: "De plaatsvervangend FG is gewijzigd." if v else None,
    "management_changed": lambda v, n, c: "Het adres van het management is gewijzigd." if v else None,
    "hours_changed": lambda v, n, c: "De momenten van de herinneringen zijn gewijzigd." if v else None,
    "points": lambda v, n, c: f"{_count(v, 'moment', 'momenten')} voor een herinnering.",
    "point_hours": lambda v, n, c: f"Herinnering na {v} uur.",
    "recipients": lambda v, n, c: f"{_count(v, 'ontvanger', 'ontvangers')}.",
    "escalation": lambda v, n, c: "Ook aan het management." if v else None,
    "skipped": lambda v, n, c: (
        f"{_count(v, 'eerder moment', 'eerdere momenten')} overgeslagen." if v else None
    ),
    # a decision on a duplicate report (issue #17)
    "duplicate_of": lambda v, n, c: (
        f"Dubbele melding van {n.incident(as_int(v))}." if as_int(v) is not None else None
    ),
    # evidence (issue #17): ids, size and hash, never the file's name or note
    # merged and linked incidents (issue #16): ids, never the reason or the note
    "merge_id": _numbered("Samenvoeging"),
    "incident_link_id": _numbered("Koppeling"),
    "linked_to": lambda v, n, c: f"Gekoppeld aan {n.incident(as_int(v))}." if as_int(v) is not None else None,
    "evidence_id": _numbered("Bewijsstuk"),
    "size": _given(lambda v, n, c: f"Grootte: {_size(v)}."),
    "sha256": _given(lambda v, n, c: f"Controlecode (SHA-256): {v}."),
    # what was learned at a closing (issue #17): its theme and choice, never its words
    "lesson_id": _numbered("Les"),
    "theme": _given(lambda v, n, c: f"Thema: {c.get(str(v), readable(str(v)))}."),
    "prevention": _given(
        lambda v, n, c: (
            "Er volgt een preventieve maatregel."
            if v == "measure"
            else "Er volgt geen preventieve maatregel."
        )
    ),
    # the FG's summaries per theme for the board: how many themes, never the text
    "shown": lambda v, n, c: f"{_themes(v)} getoond.",
    "hidden": lambda v, n, c: f"{_themes(v)} niet meer getoond." if v else None,
    # the informing list in families (issue #15): numbers and codes, never a file number or date
    "household_id": _numbered("Gezin"),
    "member_id": _numbered("Persoon"),
    "relation": _given(lambda v, n, c: f"Relatie: {c.get(str(v), readable(str(v)))}."),
    "deviation": _given(lambda v, n, c: DEVIATIONS.get(str(v)) or f"Afwijking: {readable(str(v))}."),
    "flagged": lambda v, n, c: (
        f"{_count(v, 'persoon krijgt', 'personen krijgen')} nooit een bericht (veiligheid)."
        if v
        else "Niemand in het gezin is een risico voor de veiligheid."
    ),
    "postponed": lambda v, n, c: "Informeren uitgesteld." if v else None,
    "letter_id": _numbered("Brief"),
    "template_version": lambda v, n, c: f"Briefsjabloon versie {v}." if v is not None else None,
    # the small-number threshold of the figures (issue #17): the values, never the reason's words
    "change_id": _numbered("Wijziging"),
    "new_small_number": _given(lambda v, n, c: f"Drempel voor kleine aantallen: {v}."),
    # report links (issue #16): the number and whether one-time, never the token or the label
    "link_id": _numbered("Meldlink"),
    "one_time": lambda v, n, c: "Eenmalig: werkt voor één melding." if v else "Werkt voor meer meldingen.",
    # chain incidents and the partner notification log (issue #16): numbers and codes, never text
    "chain_id": _numbered("Keten"),
    "partner_notice_id": _numbered("Informeren ketenpartner"),
    "replied": lambda v, n, c: "Met het antwoord van de partner." if v else None,
}

#: Two details that read as one sentence.
PAIRS: dict[tuple[str, str], Phrase] = {
    ("old_role", "new_role"): lambda v, n, c: (
        f"Rol van {ROLE_LABELS.get(v[0], v[0])} naar {ROLE_LABELS.get(v[1], v[1])}."
    ),
    ("from_status", "to_status"): lambda v, n, c: f"Van {_status(v[0])} naar {_status(v[1])}.",
    ("old_years", "new_years"): lambda v, n, c: f"Bewaartermijn van {v[0]} naar {v[1]} jaar.",
    ("start", "end"): lambda v, n, c: f"Periode van {_day(v[0])} tot en met {_day(v[1])}.",
    ("old_small_number", "new_small_number"): lambda v, n, c: (
        f"Drempel voor kleine aantallen van {v[0]} naar {v[1]}."
    ),
}


def details_sentence(
    action: str, detail: dict, names: Names, value_labels: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The details of one entry as sentences. ``value_labels`` gives Dutch labels for codes in
    the details, per key or per "action:key" (the screens pass the enums of the later stages)."""
    value_labels = value_labels or {}
    done: set[str] = set()
    parts: list[str] = []
    for (first, second), phrase in PAIRS.items():
        if first in detail and second in detail:
            parts.append(phrase((detail[first], detail[second]), names, {}))
            done |= {first, second}
    order = {key: i for i, key in enumerate(PHRASES)}
    for key, value in sorted(detail.items(), key=lambda item: order.get(item[0], len(order))):
        if key in done:
            continue
        codes = value_labels.get(f"{action}:{key}") or value_labels.get(key) or {}
        if key in PHRASES:
            sentence = PHRASES[key](value, names, codes)
        elif key in TABLES and isinstance(value, int):
            sentence = f"{TABLES[key].capitalize()}: {value}."
        else:
            shown = _yes_no(value) if isinstance(value, bool) else value
            sentence = f"{readable(key).capitalize()}: {shown}."
        if sentence:
            parts.append(sentence)
    return " ".join(parts)
