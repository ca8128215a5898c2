"""RabbitMQ users for agencies, through the management HTTP API.

An agency's user may read only its own queue `lapor.agency.<code>`, which is
bound to `#.<code>` on `lapor.events`: every event that concerns the agency
(its routing key ends in the agency's code). The user may bind its queue to
`lapor.events` only with binding keys whose last word is its own code (topic
permission `read`), may publish nowhere, and may touch no other queue. The
broker refuses anything else with ACCESS_REFUSED.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from lapor.contracts.agency import AGENCY_CODE

EXCHANGE = "lapor.events"
DEFAULT_MANAGEMENT_URL = "http://guest:guest@127.0.0.1:15672"
# no delivery limit: an agency's event is never dropped for its consumer's failures
QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}


def queue_name(code: str) -> str:
    return f"lapor.agency.{code}"


def username(code: str) -> str:
    return f"agency-{code}"


def binding_key(code: str) -> str:
    return f"#.{code}"


def permissions(code: str) -> dict[str, str]:
    """configure: declare its own queue; write: bind to it (the queue is the
    binding's destination); read: consume it, and bind from `lapor.events`."""
    queue = re.escape(queue_name(code))
    return {
        "configure": f"^{queue}$",
        "write": f"^{queue}$",
        "read": f"^({queue}|{re.escape(EXCHANGE)})$",
    }


def topic_permissions(code: str) -> dict[str, str]:
    """Binding keys on `lapor.events` must end in the agency's own code;
    publishing (topic write) matches nothing."""
    return {"exchange": EXCHANGE, "write": "^$", "read": f"^(.*\\.)?{re.escape(code)}$"}


class ManagementError(Exception):
    pass


@dataclass(frozen=True)
class Management:
    base_url: str
    username: str
    password: str

    @classmethod
    def from_env(cls) -> Management:
        return cls.from_url(os.environ.get("RABBITMQ_MANAGEMENT_URL", DEFAULT_MANAGEMENT_URL))

    @classmethod
    def from_url(cls, url: str) -> Management:
        parts = urlsplit(url)
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        return cls(f"{parts.scheme}://{netloc}", parts.username or "", parts.password or "")

    def request(self, method: str, path: str, body: dict | None = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"authorization": f"Basic {token}", "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                text = response.read()
        except urllib.error.HTTPError as exc:
            raise ManagementError(f"{method} {path}: HTTP {exc.code} {exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ManagementError(f"{method} {path}: {exc}") from exc
        return json.loads(text) if text else None


@dataclass(frozen=True)
class AgencyUser:
    username: str
    password: str
    vhost: str
    queue: str
    binding_key: str


def create_agency_user(
    api: Management, vhost: str, code: str, password: str | None = None
) -> AgencyUser:
    """Declare the agency's queue and binding, and create (or reset) its user."""
    if not re.fullmatch(AGENCY_CODE, code):
        raise ValueError(f"not an agency code: {code!r}")
    v = quote(vhost, safe="")
    queue = queue_name(code)
    api.request(
        "PUT",
        f"/api/exchanges/{v}/{EXCHANGE}",
        {"type": "topic", "durable": True, "auto_delete": False, "internal": False},
    )
    api.request(
        "PUT",
        f"/api/queues/{v}/{quote(queue, safe='')}",
        {"durable": True, "auto_delete": False, "arguments": QUEUE_ARGUMENTS},
    )
    api.request(
        "POST",
        f"/api/bindings/{v}/e/{EXCHANGE}/q/{quote(queue, safe='')}",
        {"routing_key": binding_key(code), "arguments": {}},
    )
    user = username(code)
    password = password or secrets.token_urlsafe(24)
    u = quote(user, safe="")
    api.request("PUT", f"/api/users/{u}", {"password": password, "tags": ""})
    api.request("PUT", f"/api/permissions/{v}/{u}", permissions(code))
    api.request("PUT", f"/api/topic-permissions/{v}/{u}", topic_permissions(code))
    return AgencyUser(user, password, vhost, queue, binding_key(code))


def delete_agency_user(api: Management, vhost: str, code: str) -> None:
    """Remove the agency's user and its queue (with whatever it still holds)."""
    v = quote(vhost, safe="")
    for path in (
        f"/api/users/{quote(username(code), safe='')}",
        f"/api/queues/{v}/{quote(queue_name(code), safe='')}",
    ):
        try:
            api.request("DELETE", path)
        except ManagementError as exc:
            if "HTTP 404" not in str(exc):
                raise
