"""Intake's pure rules: clean text, one phone format, tracking ids and PINs."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

import phonenumbers

from lapor.contracts.report import TRACKING_ID_PATTERN

TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
TRACKING_PREFIX = "LAP-"
TRACKING_ID = re.compile(rf"^{TRACKING_ID_PATTERN}$")
PIN_DIGITS = 8
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NUL and control characters out, Unicode composed, line ends unified,
    outer blanks trimmed. Markup stays as typed: it is shown escaped, never run."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def e164(phone: str, region: str = "ID") -> str | None:
    """`0812-3456-7890`, `62812...` and `+62 812 ...` all become `+6281234567890`;
    None when it is not a valid number."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_tracking_id() -> str:
    """A tracking id a reporter can quote on any channel, e.g. `LAP-7K3M9QXT2B`."""
    return TRACKING_PREFIX + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def report_pin(secret: bytes, tracking_id: str) -> str:
    """The PIN of a report, derived so that it is never stored and a retried
    submission gets the same one. It proves the reporter: needed to add to any
    report, and to read a confidential one."""
    digest = hmac.new(secret, tracking_id.encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**PIN_DIGITS).zfill(PIN_DIGITS)


def pin_matches(secret: bytes, tracking_id: str, pin: str) -> bool:
    return hmac.compare_digest(report_pin(secret, tracking_id), pin.strip())


def is_reporter(contact: dict | None, sender: str | None) -> bool:
    """Whether a channel's sender (an SMS number, an email address) is the
    reporter intake keeps for a report: the number in E.164 form, the address
    in lower case, as a submission stores them.

    >>> contact = {"email": "ani@example.id", "phone": "+6281234567890"}
    >>> is_reporter(contact, "6281234567890"), is_reporter(contact, "ANI@Example.id")
    (True, True)
    >>> is_reporter(contact, "+6281299999999"), is_reporter(None, "ani@example.id")
    (False, False)
    >>> is_reporter({"email": None, "phone": None}, "")
    False
    """
    sender = (sender or "").strip()
    if not contact or not sender:
        return False
    if "@" in sender:
        return bool(contact.get("email")) and sender.lower() == contact["email"]
    number = e164(sender)
    return number is not None and number == contact.get("phone")


def flat_errors(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """Field-level messages as one level: field -> messages, a nested field
    dotted (marshmallow nests them: a reporter's email, a list's item).

    >>> flat_errors({"reporter": {"email": ["Not a valid email address."]}, "_rate": "Slow."})
    {'reporter.email': ['Not a valid email address.'], '_rate': ['Slow.']}
    """
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        field = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flat_errors(value, f"{field}."))
        elif isinstance(value, (list, tuple)):
            flat.setdefault(field, []).extend(str(v) for v in value if not isinstance(v, dict))
            for nested in (v for v in value if isinstance(v, dict)):
                flat.update(flat_errors(nested, f"{field}."))
        else:
            flat[field] = [str(value)]
    return {field: messages for field, messages in flat.items() if messages}
