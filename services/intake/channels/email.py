"""Email: intake polls an IMAP mailbox and hands each message (raw RFC 822)
to this channel. Plain text is preferred, HTML is reduced to text,
attachments are kept; the Message-ID makes a redelivered mail one report;
auto-replies and bounces are ignored, so two robots never talk in a loop; a
reply whose subject carries a tracking id (as our notification emails do)
lands on that report, when it comes from the reporter's own address (else it
is refused and the sender told why)."""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from lapor.channels import (
    Attachment,
    Channel,
    ChannelError,
    FollowUp,
    Ignored,
    Inbound,
    Outcome,
    Reply,
    Submission,
)
from lapor.contracts.report import TRACKING_ID_PATTERN

TRACKING_ID = re.compile(rf"\b{TRACKING_ID_PATTERN}\b", re.I)
ROBOTS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|bounces?)(\+.*)?@", re.I)
BULK = {"bulk", "junk", "list", "auto_reply"}
MAX_TEXT = 10_000


class _Text(HTMLParser):
    """HTML reduced to its text; scripts and styles dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def without_quote(text: str) -> str:
    """A reply's own words: quoted lines and the quote's header dropped."""
    lines = []
    for line in text.splitlines():
        if line.startswith(">"):
            continue
        if re.match(r"^(On|Pada) .+(wrote|menulis):\s*$", line.strip()):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def is_robot(message) -> str | None:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return f"auto-submitted: {auto}"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if str(message.get("Precedence", "")).strip().lower() in BULK:
        return "bulk"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if str(message.get("Return-Path", "")).strip() == "<>":
        return "bounce"
    _, address = email.utils.parseaddr(str(message.get("From", "")))
    if ROBOTS.match(address or ""):
        return "from a robot address"
    return None


def body_text(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_type() == "text/html" else content.strip()


@dataclass(frozen=True)
class Sender:
    """Who sent a mail, for telling them why it was refused."""

    address: str
    name: str | None
    message_id: str
    language: str  # "en" when the mail says so (Content-Language), else "id"


def language_of(message) -> str:
    tag = str(message.get("Content-Language") or message.get("Accept-Language") or "")
    return "en" if tag.strip().lower().startswith("en") else "id"


class EmailChannel(Channel):
    """Email cannot answer its sender at once: intake records a refusal as
    `inbound.rejected` (for the sender it names, `sender`), notify emails
    the explanation and the mailbox poller files the mail for operators."""

    kind = "email"

    def parse(self, inbound: Inbound) -> Submission | FollowUp | Ignored:
        try:
            message = email.message_from_bytes(inbound.body, policy=email.policy.default)
            robot = is_robot(message)
            subject = str(message.get("Subject", "") or "").strip()
            name, address = email.utils.parseaddr(str(message.get("From", "")))
            message_id = str(message.get("Message-ID", "") or "").strip()[:300]
            text = body_text(message)[:MAX_TEXT]
            attachments = tuple(
                Attachment(
                    part.get_payload(decode=True) or b"",
                    filename=part.get_filename(),
                    declared_type=part.get_content_type(),
                )
                for part in message.iter_attachments()
            )
        except (ValueError, TypeError, LookupError, UnicodeError, IndexError) as exc:
            raise ChannelError({"_body": [f"Not a readable email: {type(exc).__name__}"]}) from None
        if robot:
            return Ignored(robot)
        if "@" not in (address or ""):
            raise ChannelError({"from": ["No sender address."]})
        message_id = message_id or hashlib.sha256(inbound.body).hexdigest()
        tracking = TRACKING_ID.search(subject)
        if tracking:
            return FollowUp(
                tracking.group(0).upper(),
                without_quote(text) or subject,
                message_id=message_id,
                attachments=attachments,
                sender=address,
            )
        title = re.sub(r"^(re|fwd?|aw)\s*:\s*", "", subject, flags=re.I)[:200]
        # a reply (e.g. to our refusal) is the sender's own words, not what it quotes
        own = without_quote(text) or text
        fields = {
            "title": title if len(title) >= 5 else "Laporan lewat email",
            "description": own if len(own) >= 10 else f"{subject}\n{own}".strip(),
            "reporter": {"email": address, "name": name or None},
        }
        return Submission(fields, message_id=message_id, attachments=attachments)

    def sender(self, inbound: Inbound) -> Sender | None:
        """The sender of a mail intake refused, or None when there is nobody
        to tell (unreadable, no address, a robot)."""
        try:
            message = email.message_from_bytes(inbound.body, policy=email.policy.default)
            if is_robot(message):
                return None
            name, address = email.utils.parseaddr(str(message.get("From", "")))
            message_id = str(message.get("Message-ID", "") or "").strip()[:300]
            language = language_of(message)
        except (ValueError, TypeError, LookupError, UnicodeError, IndexError):
            return None
        if "@" not in (address or ""):
            return None
        message_id = message_id or hashlib.sha256(inbound.body).hexdigest()
        return Sender(address, name or None, message_id, language)

    def reply(self, outcome: Outcome) -> Reply:
        # the reporter hears from notify, which emails on report.submitted
        return Reply(200 if outcome.result != "rejected" else outcome.status, outcome.result)
