"""Email over SMTP: multipart plain text and HTML, rendered from the templates.

Where an attempt fails decides whether it may have been sent: before the
message data is handed over, nothing was (`SendError`); once the data is
sent, a missing answer is `AmbiguousSend`.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notify.domain import AmbiguousSend, SendError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html.j2"], default_for_string=False, default=False),
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def render(template: str, language: str, **values) -> Rendered:
    """Subject, plain text, HTML and SMS text of one template in one language."""
    source = TEMPLATES.get_template(f"{template}.{language}.j2")
    context = source.new_context(values)

    def block(name: str) -> str:
        return "".join(source.blocks[name](context)).strip()

    text = block("text")
    html = TEMPLATES.get_template("email.html.j2").render(
        subject=block("subject"),
        paragraphs=[p for p in text.split("\n\n") if p.strip()],
        language=language,
        **values,
    )
    return Rendered(block("subject"), text + "\n", html, " ".join(block("sms").split()))


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    reply_to: str | None = None
    unsubscribe_url: str | None = None


class SmtpSender:
    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def build(self, email: Email) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = email.message_id
        message["Auto-Submitted"] = "auto-generated"
        if email.reply_to:
            message["Reply-To"] = email.reply_to
        if email.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        return message

    def send(self, email: Email) -> None:
        message = self.build(email)
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot reach the SMTP server: {exc}") from exc
        try:
            try:
                smtp.ehlo_or_helo_if_needed()
                code, reply = smtp.mail(self.sender)
                if code != 250:
                    raise SendError(f"MAIL FROM refused: {code} {reply!r}")
                code, reply = smtp.rcpt(email.to)
                if code not in (250, 251):
                    raise SendError(f"RCPT TO refused: {code} {reply!r}")
            except (OSError, smtplib.SMTPException) as exc:
                raise SendError(f"SMTP failed before the data: {exc}") from exc
            try:
                # SMTP wants CRLF line ends; smtplib fixes them only for str
                code, reply = smtp.data(message.as_bytes(policy=SMTP))
                if code != 250:
                    raise SendError(f"SMTP refused the message: {code} {reply!r}")
            except smtplib.SMTPDataError as exc:
                raise SendError(f"SMTP refused the message: {exc}") from exc
            except (TimeoutError, OSError, smtplib.SMTPException) as exc:
                raise AmbiguousSend(f"no answer after the data: {exc}") from exc
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
