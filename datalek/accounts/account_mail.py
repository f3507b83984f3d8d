"""E-mail about accounts: a one-time link (an invitation to an FG account, a new password), and
the notices that keep the FG informed about her own role (an FG account added or switched
off, the organisation's FG address changed).

A message goes only to the people it is about; the log says which kind of message and to how
many addresses, never an address, a name or a link. A failure to send never undoes what was
stored: the caller hears False and says so on the screen.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage

from datalek import clock, mail
from datalek.config import SmtpSettings

log = logging.getLogger(__name__)

SIGNATURE = "\n\nDit bericht is automatisch verstuurd door Datalek. Je kunt er niet op antwoorden.\n"
NOT_EXPECTED = (
    "Verwachtte je dit bericht niet? Gebruik de link dan niet en meld het bij de FG of de "
    "beheerder van je organisatie."
)


def _message(settings: SmtpSettings, to: list[str], subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg.set_content(body + SIGNATURE)
    return msg


def invitation(
    settings: SmtpSettings, to: str, link: str, org_name: str, expires_at: datetime, deputy: bool
) -> EmailMessage:
    role = "plaatsvervangend functionaris" if deputy else "functionaris"
    return _message(
        settings,
        [to],
        "Uitnodiging: je FG-account in Datalek",
        f"Je bent uitgenodigd als {role} gegevensbescherming (FG) van {org_name} in Datalek, "
        "het systeem voor het melden en afhandelen van datalekken.\n\n"
        f"Kies zelf je wachtwoord via deze link:\n{link}\n\n"
        f"De link werkt één keer en is geldig tot {clock.format_local(expires_at)}. "
        "Daarna meld je je aan met dit e-mailadres en je wachtwoord.\n\n" + NOT_EXPECTED,
    )


def password_reset(settings: SmtpSettings, to: str, link: str, expires_at: datetime) -> EmailMessage:
    return _message(
        settings,
        [to],
        "Nieuw wachtwoord voor Datalek",
        "Er is gevraagd om een nieuw wachtwoord voor je account in Datalek.\n\n"
        f"Kies zelf een nieuw wachtwoord via deze link:\n{link}\n\n"
        f"De link werkt één keer en is geldig tot {clock.format_local(expires_at)}. Je oude "
        "wachtwoord blijft werken tot je een nieuw wachtwoord hebt gekozen. Kies je een nieuw "
        "wachtwoord, dan word je overal afgemeld waar je nog aangemeld was.\n\n" + NOT_EXPECTED,
    )


def dpo_granted(
    settings: SmtpSettings, to: list[str], org_name: str, name: str, email: str, at: datetime
) -> EmailMessage:
    return _message(
        settings,
        to,
        f"Nieuw FG-account voor {org_name} in Datalek",
        f"Op {clock.format_local(at)} heeft {name} ({email}) de rol van functionaris "
        f"gegevensbescherming (FG) gekregen voor {org_name} in Datalek. Met die rol kan "
        "iemand alle meldingen van datalekken van de organisatie lezen.\n\n"
        "Klopt dit niet? Laat de beheerder het account dan direct uitschakelen en kijk in de "
        "audittrail wie de uitnodiging heeft verstuurd.",
    )


def dpo_active_changed(
    settings: SmtpSettings,
    to: list[str],
    org_names: list[str],
    name: str,
    email: str,
    active: bool,
    at: datetime,
) -> EmailMessage:
    what = "weer ingeschakeld" if active else "uitgeschakeld"
    orgs = ", ".join(org_names)
    return _message(
        settings,
        to,
        f"FG-account {what} in Datalek",
        f"Op {clock.format_local(at)} heeft een beheerder het FG-account van {name} ({email}) "
        f"bij {orgs} {what}.\n\n"
        "Klopt dit niet? Neem dan contact op met de beheerder van Datalek in je organisatie.",
    )


def dpo_email_changed(
    settings: SmtpSettings, to: list[str], org_name: str, old: str, new: str, at: datetime
) -> EmailMessage:
    return _message(
        settings,
        to,
        f"FG-e-mailadres van {org_name} gewijzigd in Datalek",
        f"Op {clock.format_local(at)} is het e-mailadres van de FG van {org_name} in Datalek "
        f"gewijzigd van {old or '(geen)'} in {new or '(geen)'}.\n\n"
        "Naar dat adres gaan de berichten over nieuwe meldingen van datalekken en de "
        "uitnodiging voor een FG-account. Klopt dit niet? Neem dan direct contact op met de "
        "beheerder van Datalek in je organisatie.",
    )


def send(settings: SmtpSettings | None, kind: str, message: EmailMessage) -> bool:
    """Send ``message``; True when the mail server took it. Logs ``kind`` and a count only."""
    recipients = sorted({a.strip() for a in message["To"].split(",") if a.strip()})
    if settings is None or not recipients:
        return False
    try:
        mail.deliver(settings, message, recipients)
    except mail.FAILURES as exc:
        log.warning("account mail %s not sent: %s", kind, type(exc).__name__)
        return False
    log.info("account mail %s sent to %d recipient(s)", kind, len(recipients))
    return True


def recipients(*groups: list[str] | str | None) -> list[str]:
    """Every address once, blanks left out, in a fixed order."""
    found: set[str] = set()
    for group in groups:
        items = [group] if isinstance(group, str) else (group or [])
        found |= {a.strip().lower() for a in items if a and a.strip()}
    return sorted(found)
