"""Handing an e-mail to the SMTP server in ``config.SmtpSettings`` (used by every part that
mails: the notice of a new report, the mail about accounts).

Nothing is logged here: each caller logs what kind of message it was and to how many
addresses, never an address."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from datalek.config import SmtpSettings

#: What a failed delivery raises; callers catch these and tell the user that no mail went out.
FAILURES = (OSError, smtplib.SMTPException)


def deliver(settings: SmtpSettings, message: EmailMessage, recipients: list[str]) -> None:
    """Send ``message`` to ``recipients``; raises one of ``FAILURES`` when it did not go."""
    with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message, to_addrs=recipients)
