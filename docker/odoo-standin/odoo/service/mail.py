"""Outgoing mail: the first active ir_mail_server with a host, else the --smtp
and --smtp-port options (what Odoo does when no server is configured in the database)."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from ..tools.config import config

_logger = logging.getLogger("odoo.addons.base.models.ir_mail_server")
_mail_logger = logging.getLogger("odoo.addons.mail.models.mail_mail")


def _server(cr):
    cr.execute(
        "SELECT id, name, smtp_host, smtp_port FROM ir_mail_server "
        "WHERE active AND smtp_host IS NOT NULL ORDER BY sequence, id LIMIT 1"
    )
    row = cr.fetchone()
    if row:
        return row[0], row[2], int(row[3] or 25)
    return None, config["smtp_server"] or "localhost", int(config["smtp_port"] or 25)


def send_mail(cr, mail_id):
    cr.execute("SELECT email_from, email_to, subject, body_html FROM mail_mail WHERE id = %s", (mail_id,))
    email_from, email_to, subject, body = cr.fetchone()
    message = EmailMessage()
    message["From"] = email_from or config["email_from"] or "odoo@localhost"
    message["To"] = email_to
    message["Subject"] = subject or ""
    message_id = make_msgid(domain="odoo")
    message["Message-Id"] = message_id
    message.set_content(body or "")
    server_id, host, port = _server(cr)
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if config["smtp_user"]:
                smtp.login(config["smtp_user"], config["smtp_password"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # Odoo 18 marks the mail 'exception' with the reason and logs nothing above INFO: an
        # unreachable SMTP server does not turn a build yellow.
        _logger.info("Mail delivery failed via SMTP server '%s'. %s: %s", host, exc.__class__.__name__, exc)
        cr.execute("UPDATE mail_mail SET state = 'exception', failure_reason = %s WHERE id = %s", (str(exc), mail_id))
        return False
    cr.execute("UPDATE mail_mail SET state = 'sent', message_id = %s WHERE id = %s", (message_id, mail_id))
    _mail_logger.info("Mail with ID %r and Message-Id %r successfully sent", mail_id, message_id)
    _mail_logger.info("Sent batch %s emails via mail server ID #%s", 1, server_id or 0)
    return True
