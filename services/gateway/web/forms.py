"""Field errors from the services' answers, ready to show beside each field.

Services answer `{"errors": {field: [message]}}` (marshmallow's shape: a nested
field's messages are an object by subfield). Pages show them flat, by dotted
name (`reporter.email`), with ids to link the error summary to each field and
`aria-describedby` / `aria-invalid` on the field."""

from __future__ import annotations

import re

from services.gateway.web.i18n import translate

# the services' English messages that have words in i18n.py; others show as they
# are. A pattern's named groups fill the words' {placeholders}.
KNOWN = (
    (re.compile(r"^Missing data for required field\.$"), "common.msg.required"),
    (re.compile(r"^Field may not be null\.$"), "common.msg.required"),
    (re.compile(r"^Not a valid email address\.$"), "common.msg.email"),
    (re.compile(r"^Not a valid phone number\.$"), "common.msg.phone"),
    (re.compile(r"^Not a valid date\.$"), "common.msg.date"),
    (re.compile(r"^Not a valid (?:string|boolean|integer)\.$"), "common.msg.invalid"),
    (re.compile(r"^Invalid input type\.$"), "common.msg.invalid"),
    (re.compile(r"^Give this field once\.$"), "common.msg.invalid"),
    (re.compile(r"^Unknown field\.$"), "common.msg.unknown_field"),
    (re.compile(r"^The incident date cannot be in the future\.$"), "common.msg.future_date"),
    (re.compile(r"^Must be one of: "), "common.msg.choice"),
    (re.compile(r"^No such region"), "common.msg.region"),
    (re.compile(r"^Expected a Kemendagri region code"), "common.msg.region"),
    (re.compile(r"^Missing: give a Kemendagri region code"), "common.msg.region_missing"),
    (re.compile(r"^Expected an agency code"), "common.msg.agency"),
    (re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"), "common.msg.max_length"),
    (re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"), "common.msg.min_length"),
    (re.compile(r"^At most (?P<count>\d+) attachments\.$"), "common.msg.attachment_count"),
    (
        re.compile(r"^Attachments may be at most (?P<bytes>[\d,]+) bytes in total\.$"),
        "common.msg.attachment_size",
    ),
    (re.compile(r"^Attachment (?P<number>\d+) is empty\.$"), "common.msg.attachment_empty"),
    (
        re.compile(r"^Attachment (?P<number>\d+) is not a photo that can be read: it is damaged"),
        "common.msg.attachment_damaged",
    ),
    (
        re.compile(r"^Attachment (?P<number>\d+) is not a photo that can be read: more than"),
        "common.msg.attachment_pixels",
    ),
    (re.compile(r"^Attachment (?P<number>\d+) is not a photo"), "common.msg.attachment_type"),
    (re.compile(r"^Too many reports from this sender"), "common.msg.sender_rate"),
    (re.compile(r"^Expected a tracking id"), "citizen.lookup.bad_id"),
    (re.compile(r"^No report with this tracking id\.$"), "citizen.lookup.unknown"),
    (re.compile(r"confidential: give its PIN"), "common.msg.pin"),
    (re.compile(r"^Only the reporter can add to a report"), "common.msg.reporter_only"),
)
LENGTH = re.compile(r"^(?:Length must be between|Write a message of) (\d+) (?:and|to) (\d+)")


def whole_number(raw: str | None, limit: int = 1_000_000) -> int | None:
    """A query's positive whole number in ASCII digits ("2"), else None: "²"
    is a digit to str.isdigit() but not to int()."""
    if raw and raw.isascii() and raw.isdigit() and 0 < int(raw) < limit:
        return int(raw)
    return None


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill (at least one, an empty page)."""
    return max(1, -(-total // per_page))


def flatten(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """{"reporter": {"email": ["..."]}} -> {"reporter.email": ["..."]}."""
    flat: dict[str, list[str]] = {}
    for name, messages in (errors or {}).items():
        key = f"{prefix}{name}"
        if isinstance(messages, dict):
            flat.update(flatten(messages, key + "."))
        elif isinstance(messages, list | tuple):
            flat.setdefault(key, []).extend(str(m) for m in messages)
        else:
            flat.setdefault(key, []).append(str(messages))
    return flat


def word(lang: str, message: str) -> str:
    """A service's message in the page's language, when i18n.py knows it."""
    length = LENGTH.match(message)
    if length:
        low, high = length.groups()
        return translate(lang, "common.msg.length", min=low, max=high)
    for pattern, key in KNOWN:
        found = pattern.search(message)
        if found:
            values = found.groupdict()
            if "bytes" in values:  # 2,097,152 bytes -> 2 MB
                values["mb"] = f"{int(values.pop('bytes').replace(',', '')) / 2**20:g}"
            return translate(lang, key, **values)
    return message


def field_errors(errors: dict, lang: str, aliases: dict[str, str] | None = None) -> dict:
    """Flat errors in `lang`; `aliases` renames a service's field to the form's."""
    aliases = aliases or {}
    shown: dict[str, list[str]] = {}
    for name, messages in flatten(errors).items():
        field = aliases.get(name, name)
        shown.setdefault(field, []).extend(word(lang, m) for m in messages)
    return shown


def field_id(name: str) -> str:
    """The HTML id of a field: `reporter.email` -> `f-reporter-email`."""
    return "f-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name)
