"""E-mail to the FG about a new report: only the reference number and a link.

No personal data, no description and no reporter name ever goes into the message;
mail is optional and a failure to send never undoes or hides a stored report.
"""

from __future__ import annotations

import logging
import threading
from email.message import EmailMessage

from datalek import mail
from datalek.config import SmtpSettings

log = logging.getLogger(__name__)


def new_report_message(settings: SmtpSettings, to: list[str], reference: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"Nieuwe melding {reference} in Datalek"
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg.set_content(
        f"Er is een nieuwe melding van een mogelijk datalek: {reference}.\n\n"
        f"Bekijk de melding in Datalek: {settings.base_url}\n\n"
        "Let op: de termijn van 72 uur voor een melding bij de Autoriteit Persoonsgegevens "
        "loopt vanaf het moment dat de organisatie het lek kent.\n"
    )
    return msg


def send_new_report(settings: SmtpSettings | None, to: list[str], reference: str) -> bool:
    """Send the notice; True when sent. Logs only the reference, never addresses."""
    recipients = sorted({a for a in to if a})
    if settings is None or not recipients:
        return False
    try:
        mail.deliver(settings, new_report_message(settings, recipients, reference), recipients)
    except mail.FAILURES as exc:
        log.warning("notice for %s not sent: %s", reference, type(exc).__name__)
        return False
    log.info("notice for %s sent to %d recipient(s)", reference, len(recipients))
    return True


def send_new_report_in_background(
    settings: SmtpSettings | None, to: list[str], reference: str
) -> threading.Thread | None:
    """Send without making the employee wait for the mail server."""
    if settings is None:
        return None
    thread = threading.Thread(
        target=send_new_report, args=(settings, to, reference), name="datalek-notice", daemon=True
    )
    thread.start()
    return thread
