"""Signed webhooks (`/channels/webhook/<source>`) for social media and partner
systems, verified with Standard Webhooks: `webhook-id`, `webhook-timestamp`,
`webhook-signature`, one secret per source (intake's `WEBHOOK_SECRETS`).

The body is a JSON object: a report with the fields of `POST /api/v1/reports`,
or a follow-up `{"tracking_id", "message", "kind"?, "pin"?}`. A stale or
future timestamp, or a wrong signature, is refused with 401; the same
`webhook-id` again makes no second report (the first answer comes back)."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from standardwebhooks.webhooks import Webhook

from lapor.channels import Channel, ChannelError, FollowUp, Inbound, Submission

SOURCE = re.compile(r"^/channels/webhook/([a-z0-9][a-z0-9_-]{0,63})$")
WEBHOOK_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
FOLLOW_UP_FIELDS = {"tracking_id", "message", "kind", "pin"}


def secrets_from(config: Mapping) -> dict[str, tuple[str, ...]]:
    """Source -> its secrets: one `whsec_...` string, or a list of them while
    a source rotates (a delivery signed with any of them verifies)."""
    raw = config.get("WEBHOOK_SECRETS") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValueError("WEBHOOK_SECRETS must be a JSON object of source -> secret") from None
    return {
        str(k): tuple(str(s) for s in v) if isinstance(v, list) else (str(v),)
        for k, v in dict(raw).items()
    }


def verify(secrets: tuple[str, ...], inbound: Inbound, tolerance: timedelta, now: datetime) -> str:
    """The checked `webhook-id`; ChannelError (401) for anything not signed
    with one of `secrets` within `tolerance` of `now`."""
    msg_id = inbound.header("webhook-id") or ""
    stamp = inbound.header("webhook-timestamp") or ""
    signatures = inbound.header("webhook-signature") or ""
    if not (msg_id and stamp and signatures):
        raise ChannelError({"_signature": ["Missing webhook-id, -timestamp or -signature."]}, 401)
    if not WEBHOOK_ID.match(msg_id):
        raise ChannelError({"webhook-id": ["Not a valid webhook id."]}, 400)
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:  # not "²"
        raise ChannelError({"webhook-timestamp": ["Expected whole seconds since 1970."]}, 400)
    sent = datetime.fromtimestamp(int(stamp), UTC)
    if abs(now - sent) > tolerance:
        raise ChannelError({"webhook-timestamp": ["Too old or too far in the future."]}, 401)
    try:
        text = inbound.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ChannelError({"_body": ["The body is not UTF-8."]}) from None
    expected = [Webhook(secret).sign(msg_id, sent, text).split(",", 1)[1] for secret in secrets]
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and any(hmac.compare_digest(value, e) for e in expected):
            return msg_id
    raise ChannelError({"webhook-signature": ["No matching signature."]}, 401)


class WebhookChannel(Channel):
    kind = "webhook"

    def __init__(self, name, config=None):
        super().__init__(name, config)
        self.secrets = secrets_from(self.config)
        self.tolerance = timedelta(seconds=int(self.config.get("WEBHOOK_TOLERANCE_SECONDS", 300)))

    def parse(self, inbound: Inbound) -> Submission | FollowUp:
        match = SOURCE.match(inbound.path)
        if inbound.method != "POST" or not match or match.group(1) not in self.secrets:
            raise ChannelError({"source": ["No webhook source by this name."]}, 404)
        source = match.group(1)
        msg_id = verify(self.secrets[source], inbound, self.tolerance, datetime.now(UTC))
        body = inbound.json()
        if not isinstance(body, dict):
            raise ChannelError({"_body": ["Expected a JSON object."]})
        key = f"{source}:{msg_id}"
        if "tracking_id" in body:
            unknown = set(body) - FOLLOW_UP_FIELDS
            if unknown:
                raise ChannelError({name: ["Unknown field."] for name in sorted(unknown)})
            for name in ("tracking_id", "message"):
                if not isinstance(body.get(name), str):
                    raise ChannelError({name: ["Missing or not a string."]})
            return FollowUp(
                body["tracking_id"],
                body["message"],
                kind=str(body.get("kind", "information")),
                message_id=key,
                pin=str(body["pin"]) if body.get("pin") is not None else None,
            )
        return Submission(body, message_id=key)
