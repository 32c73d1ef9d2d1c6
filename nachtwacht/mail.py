"""Sending the KCC digest by e-mail ([notify] in the site config), through SMTP with STARTTLS.

The user name and password come from environment variables named in the config, never from
the config itself. A mail server that is down or refuses is a logged warning: the night's
run is done and stays done.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from reports.mail import digest

log = logging.getLogger(__name__)
DEFAULT_PORT = 587
TIMEOUT = 30


def build_message(results: dict, settings: dict, lang: str = "nl",
                  report_path: str | None = None) -> EmailMessage | None:
    """The digest e-mail for this run, or None when nobody is to get one."""
    recipients = settings.get("email") or []
    if not recipients:
        return None
    mail = digest(results, lang, report_path)
    if not mail.changes and not settings.get("send_when_quiet", False):
        return None
    sender = settings.get("sender") or f"nachtwacht@{settings.get('smtp_host') or 'localhost'}"
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def send(message: EmailMessage, settings: dict, environ=None) -> bool:
    """Send through the configured server; False (and a warning in the log) when it failed."""
    environ = os.environ if environ is None else environ
    host = settings.get("smtp_host") or "localhost"
    port = settings.get("smtp_port") or DEFAULT_PORT
    user = environ.get(settings["username_env"]) if settings.get("username_env") else None
    password = environ.get(settings["password_env"]) if settings.get("password_env") else None
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
            smtp.ehlo()
            if settings.get("starttls", True):
                context = ssl.create_default_context(cafile=settings.get("ca_file"))
                smtp.starttls(context=context)
                smtp.ehlo()
            if user and password:
                smtp.login(user, password)
            smtp.send_message(message)
        return True
    except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
        log.warning("KCC-overzicht per e-mail naar %s:%s mislukt: %s", host, port, error)
        return False


def send_digest(results: dict, settings: dict, lang: str = "nl",
                report_path: str | None = None) -> bool | None:
    """Mail the run's digest when [notify] email is set; None when there was nothing to send."""
    message = build_message(results, settings, lang, report_path)
    return None if message is None else send(message, settings)
