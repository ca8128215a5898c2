"""The plugin API for intake channels.

A channel turns one raw inbound message (an HTTP request the gateway received
for it, or a message a poller fetched) into one of:

- `Submission`: a new report, as loose fields that intake normalises;
- `FollowUp`: a message about an existing report (added information, a reply
  to the agency's response, a dispute);
- `Ignored`: nothing to record (a ping, an auto-reply, a delivery receipt);

or raises `ChannelError` with field-level messages. Intake then records what
it can and asks the same channel how to answer the sender (`Channel.reply`).

A channel is a class registered under the entry-point group `lapor.channels`;
the entry point's name is the channel's name, used in the gateway's URL
`/channels/<name>` and recorded in the report's `channel_name`:

    # pyproject.toml of a plugin package
    [project.entry-points."lapor.channels"]
    chat = "lapor_chat_channel:ChatChannel"

    class ChatChannel(Channel):
        kind = "plugin"

        def parse(self, inbound: Inbound) -> Submission:
            body = inbound.json()
            return Submission({"title": ..., "description": body["text"]},
                              message_id=body["id"])

Intake finds a new plugin without a restart: an unknown channel name makes it
look at the installed entry points again. Only this module and the contracts
are the API; nothing else of `lapor` or `services` is promised to plugins.
"""

from __future__ import annotations

import base64
import importlib
import importlib.metadata
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs

ENTRY_POINT_GROUP = "lapor.channels"
CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
# what a channel is, as recorded in `report.submitted`'s `channel`
KINDS = ("web", "mobile", "sms", "email", "webhook", "open311", "walk_in", "plugin")
FOLLOW_UP_KINDS = ("information", "reply", "dispute", "confirmation")  # lapor.contracts.followup


class ChannelError(Exception):
    """Bad input: the sender gets `status` and the messages by field."""

    def __init__(self, errors: dict[str, list[str]], status: int = 400):
        super().__init__(f"{status}: {errors}")
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class Inbound:
    """One raw inbound message as it arrived. Header names are lower case.

    >>> Inbound("POST", "/channels/chat", {"content-type": "application/json"},
    ...         body=b'{"text": "halo"}').json()
    {'text': 'halo'}
    """

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    remote_addr: str | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body as JSON, or a ChannelError naming `_body`."""
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise ChannelError({"_body": ["The body is not valid JSON."]}) from None

    def form(self) -> dict[str, list[str]]:
        """An `application/x-www-form-urlencoded` body."""
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ChannelError({"_body": ["The body is not UTF-8."]}) from None
        return parse_qs(text, keep_blank_values=True)

    def to_wire(self) -> dict[str, Any]:
        """A JSON-safe form, for RPC between the gateway and intake."""
        return {
            "method": self.method,
            "path": self.path,
            "headers": dict(self.headers),
            "query": {k: list(v) for k, v in self.query.items()},
            "body": base64.b64encode(self.body).decode("ascii"),
            "remote_addr": self.remote_addr,
        }

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> Inbound:
        return cls(
            method=str(wire["method"]),
            path=str(wire["path"]),
            headers={str(k).lower(): str(v) for k, v in dict(wire.get("headers") or {}).items()},
            query={str(k): [str(x) for x in v] for k, v in dict(wire.get("query") or {}).items()},
            body=base64.b64decode(wire.get("body") or ""),
            remote_addr=wire.get("remote_addr"),
        )


@dataclass(frozen=True)
class Attachment:
    """A file as the sender sent it. Its type is sniffed from the content by
    intake; `declared_type` and `filename` are hints only."""

    content: bytes
    filename: str | None = None
    declared_type: str | None = None


@dataclass(frozen=True)
class Submission:
    """A new report. `fields` take the names of `POST /api/v1/reports`
    (title, description, category, region_code, report_type, incident_date,
    reporter {name, email, phone}, anonymous, confidential); intake infers a
    missing category and region from the text. `message_id` is the channel's
    own id of the message: the same id twice makes one report."""

    fields: dict[str, Any]
    message_id: str | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """A message about an existing report. Only its reporter may add to a
    report: the message carries the report's `pin`, or the channel names a
    `sender` (an SMS number, an email address: one the channel itself
    verified, never a field of the body) that is the reporter's contact
    intake keeps for that report. Otherwise intake refuses it (403, `pin`)."""

    tracking_id: str
    message: str
    kind: str = "information"
    message_id: str | None = None
    attachments: tuple[Attachment, ...] = ()
    pin: str | None = None
    sender: str | None = None


@dataclass(frozen=True)
class Ignored:
    reason: str


@dataclass(frozen=True)
class OptOut:
    """The sender wants no more messages on `channel` (an SMS `STOP`): intake
    passes it to notify, which records `contact.opted_out`."""

    address: str
    channel: str = "sms"
    via: str = "sms_keyword"


@dataclass(frozen=True)
class Outcome:
    """What intake did with a message. `result` is `accepted` (a new report),
    `followed_up`, `duplicate` (seen before: nothing new written; the first
    answer's tracking id), `opted_out`, `ignored` or `rejected` (with
    `errors`, `status`)."""

    result: str
    tracking_id: str | None = None
    pin: str | None = None
    errors: dict[str, list[str]] | None = None
    status: int = 200
    reason: str | None = None
    # the inbound message, for a channel whose answer depends on it
    inbound: Inbound | None = None


@dataclass(frozen=True)
class Reply:
    """What the sender gets back."""

    status: int
    body: str
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "body": self.body,
            "content_type": self.content_type,
            "headers": dict(self.headers),
        }


class Channel:
    """Base of every channel. Override `parse`; override `reply` to answer in
    the channel's own format (the default is JSON). A channel is created once
    per process with the intake configuration (`config`, a dict of strings) and
    must keep no per-message state."""

    kind: ClassVar[str] = "plugin"
    # True: intake checks `api_key(inbound)` against the keys issued for this
    # channel (stored hashed) before `parse` sees the message; 403 otherwise
    requires_api_key: ClassVar[bool] = False

    def __init__(self, name: str, config: Mapping[str, Any] | None = None):
        self.name = name
        self.config = dict(config or {})

    def api_key(self, inbound: Inbound) -> str | None:
        """The client application's key in the message (only with `requires_api_key`)."""
        return None

    def parse(self, inbound: Inbound) -> Submission | FollowUp | OptOut | Ignored:
        raise NotImplementedError

    def reply(self, outcome: Outcome) -> Reply:
        return json_reply(outcome)


def json_reply(outcome: Outcome) -> Reply:
    """The default answer: 201 with the tracking id for a new report, 200 for a
    duplicate or a follow-up, 202 when ignored, the errors with their status."""
    if outcome.result == "rejected":
        return Reply(outcome.status, json.dumps({"errors": outcome.errors}))
    if outcome.result in ("ignored", "opted_out"):
        return Reply(202, json.dumps({outcome.result: outcome.reason or True}))
    body: dict[str, Any] = {
        "tracking_id": outcome.tracking_id,
        "duplicate": outcome.result == "duplicate",
    }
    if outcome.pin:
        body["pin"] = outcome.pin
    return Reply(201 if outcome.result == "accepted" else 200, json.dumps(body))


class Registry:
    """The installed channels by name, loaded from the entry points; a name it
    does not know makes it look again, so a plugin installed while the
    process runs is found."""

    def __init__(self, config: Mapping[str, Any] | None = None, group: str = ENTRY_POINT_GROUP):
        self.config = dict(config or {})
        self.group = group
        self._channels: dict[str, Channel] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Channel | None:
        if not CHANNEL_NAME.match(name or ""):
            return None
        channel = self._channels.get(name)
        if channel is None:
            with self._lock:
                importlib.invalidate_caches()
                self._load(name)
                channel = self._channels.get(name)
        return channel

    def names(self) -> list[str]:
        return sorted(ep.name for ep in importlib.metadata.entry_points(group=self.group))

    def _load(self, name: str) -> None:
        for ep in importlib.metadata.entry_points(group=self.group):
            if ep.name == name and name not in self._channels:
                cls = ep.load()
                if not (isinstance(cls, type) and issubclass(cls, Channel)):
                    raise TypeError(f"entry point {name!r} is not a lapor.channels.Channel")
                if cls.kind not in KINDS:
                    raise TypeError(f"channel {name!r}: kind must be one of {KINDS}")
                self._channels[name] = cls(name, self.config)
