"""Reading the audit trail: for the beheerder only, with Dutch names for its action codes.

The trail spans every organisation of the installation, so only the beheerder (or the operator
on the server) checks and reads it; an entry holds ids and codes, never contents.
"""

from __future__ import annotations

from sqlite_utils import Database

from datalek.accounts import audit
from datalek.accounts.permissions import Action, require
from datalek.models import Actor
from datalek.store import audit_log

LABELS = {
    "setup": "Installatie ingericht",
    "signin": "Aangemeld",
    "signin_failed": "Aanmelden mislukt",
    "signin_throttled": "Aanmelden geweigerd: te veel pogingen",
    "signin_refused_disabled": "Aanmelden geweigerd: account uitgeschakeld",
    "signout": "Afgemeld",
    "session_end": "Sessie beëindigd (time-out of uitgeschakeld)",
    "refused": "Actie geweigerd (geen toegang)",
    "incident.create": "Melding gedaan",
    "incident.read": "Melding geopend",
    "incident.supplement": "Melding aangevuld",
    "incident.status": "Status gewijzigd",
    "incident.purge": "Melding opgeschoond (bewaartermijn)",
    "assessment.save": "Beoordeling opgeslagen",
    "decision.record": "Besluit vastgelegd",
    "authority.concept": "Concept AP-melding gemaakt",
    "authority.initial": "Melding bij de AP vastgelegd",
    "authority.supplement": "Aanvulling bij de AP vastgelegd",
    "authority.withdrawal": "Intrekking bij de AP vastgelegd",
    "subjects.safety_check": "Veiligheidscheck vastgelegd",
    "subjects.letter": "Brief aan betrokkenen gemaakt",
    "subjects.notice": "Informeren van betrokkenen vastgelegd",
    "subjects.public_notice": "Openbare mededeling vastgelegd",
    "measure.add": "Maatregel toegevoegd",
    "measure.status": "Status maatregel gewijzigd",
    "register.view": "Register bekeken",
    "register.export": "Register geëxporteerd",
    "annual_report.generate": "Jaarverantwoording gemaakt",
    "organisation.create": "Organisatie aangemaakt",
    "user.create": "Account aangemaakt",
    "user.disable": "Account uitgeschakeld",
    "user.enable": "Account ingeschakeld",
    "user.password": "Wachtwoord gewijzigd",
    "retention.set": "Bewaartermijn ingesteld",
    "retention.purge": "Opschonen na bewaartermijn",
    "demo.generate": "Demogegevens aangemaakt",
    "backup": "Back-up gemaakt",
    "audit.verify": "Audittrail gecontroleerd",
}


def label(action: str) -> str:
    """The Dutch name, or the code itself for an action without one."""
    return LABELS.get(action, action)


def check(db: Database, actor: Actor) -> audit.Verification:
    """``audit.verify`` for a signed-in beheerder."""
    require(db, actor, Action.VERIFY_AUDIT)
    return audit.verify(db)


def recent_entries(db: Database, actor: Actor, limit: int = 200) -> list[dict]:
    """The newest entries (ids and codes only, by construction)."""
    require(db, actor, Action.READ_AUDIT)
    return audit_log.recent(db, limit)
