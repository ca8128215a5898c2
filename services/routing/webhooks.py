"""Webhooks to agencies: which events an agency gets, how they are signed, and
when a failed delivery is tried again. Pure: no database, no network.

Signatures follow Standard Webhooks (https://www.standardwebhooks.com): the
headers `webhook-id` (the event id: the same for every retry, so a receiver
can drop duplicates), `webhook-timestamp` (seconds, when this attempt was
signed) and `webhook-signature`, one `v1,<base64 HMAC-SHA256>` per valid
secret, separated by spaces. While a rotated secret is still valid, both the
new and the previous secret sign, so the agency can switch at its own pace.

>>> headers = signed_headers("0b6f...", datetime.now(UTC), body, [secret])
>>> Webhook(secret).verify(body, headers)  # the receiver's side
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from standardwebhooks import Webhook

from lapor.contracts.case import CASE_EVENTS

# Every event of a report that can concern an agency. report.submitted never
# does (the first event of a stream names no agency), so it is not here: its
# reporter reference must never reach an agency anyway.
EVENT_TYPES: tuple[str, ...] = ("report.message_added", *CASE_EVENTS)

# Delay before attempt n+1 after n failed attempts; the last delay repeats
# until MAX_RETRY_AGE after the first attempt, then the delivery has failed.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
MAX_RETRY_AGE = timedelta(days=3)
ROTATION_OVERLAP = timedelta(hours=24)  # the previous secret keeps signing this long
SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000


def wants(event_type: str, agency: str | None) -> bool:
    """Whether an event goes to the webhook of the agency it concerns."""
    return agency is not None and event_type in EVENT_TYPES


def next_attempt_at(attempts: int, first_attempt_at: datetime, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts, or None: give up.

    >>> next_attempt_at(1, t0, t0)  # t0 + 5 seconds
    """
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    at = now + delay
    deadline = first_attempt_at + MAX_RETRY_AGE
    if now >= deadline:
        return None
    return min(at, deadline)


def succeeded(status: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (or no answer) is retried."""
    return status is not None and 200 <= status < 300


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form `whsec_<base64>`."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(32)).decode()


@dataclass(frozen=True)
class Secrets:
    current: str
    previous: str | None = None
    previous_valid_until: datetime | None = None

    def signing(self, now: datetime) -> list[str]:
        """The secrets that sign now: the current one, and the previous one
        until its overlap ends."""
        valid = self.previous and self.previous_valid_until and now < self.previous_valid_until
        return [self.current, self.previous] if valid else [self.current]

    def rotated(self, now: datetime, new: str, overlap: timedelta = ROTATION_OVERLAP) -> Secrets:
        return Secrets(current=new, previous=self.current, previous_valid_until=now + overlap)


def signed_headers(
    message_id: str, timestamp: datetime, body: str, secrets: Sequence[str]
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt, signed with every secret."""
    at = timestamp.astimezone(UTC)
    signatures = " ".join(Webhook(s).sign(message_id, at, body) for s in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }


def url_errors(url: object) -> list[str]:
    """What is wrong with a webhook URL (empty list: nothing)."""
    if not isinstance(url, str) or not url:
        return ["A URL is required."]
    if len(url) > MAX_URL_LENGTH:
        return [f"At most {MAX_URL_LENGTH} characters."]
    try:
        parts = urlsplit(url)
    except ValueError:
        return ["Not a valid URL."]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ["Must be an absolute http or https URL."]
    if parts.username or parts.password:
        return ["Must not contain credentials; verify the signature instead."]
    return []
