"""Agency subscriptions: the use cases behind routing's webhook RPCs, and the
`lapor` commands an operator runs for an agency.

    lapor agency-amqp-user CODE [--vhost VHOST] [--password-file FILE]
        a RabbitMQ user that can consume only the agency's own events from
        its own queue `lapor.agency.<CODE>` (bound to `#.<CODE>`)
    lapor webhook-replay CODE [--from POSITION | --delivery ID]
        send again the agency's events from a log position, or one logged delivery
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa

from lapor import config
from lapor.contracts.errors import Invalid, NotFound
from lapor.db import create_engine
from services.routing import webhooks
from services.routing.adapters import amqp_users
from services.routing.adapters.agencies import AgencyDirectory
from services.routing.adapters.webhooks import WebhookStore

MAX_LOG_LIMIT = 500


def _unknown(message: str = "Unknown agency.") -> dict:
    return NotFound(message, field="agency_code").answer()


def set_webhook(tx: sa.Connection, agency_code: object, url: object, now: datetime) -> dict:
    """Register (or move) an agency's webhook: {"url", "secret"} or {"error": ...}."""
    if not isinstance(agency_code, str) or not AgencyDirectory(tx).exists(agency_code):
        return _unknown()
    problems = webhooks.url_errors(url)
    if problems:
        return Invalid({"url": problems}).answer()
    secret = WebhookStore(tx).set_endpoint(agency_code, url, now)
    return {"url": url, "secret": secret}


def rotate_webhook_secret(tx: sa.Connection, agency_code: object, now: datetime) -> dict:
    """A new secret; the previous one keeps signing until `previous_valid_until`."""
    if not isinstance(agency_code, str):
        return _unknown()
    rotated = WebhookStore(tx).rotate(agency_code, now)
    if rotated is None:
        return _unknown("The agency has no webhook.")
    valid_until = rotated.previous_valid_until.isoformat()
    return {"secret": rotated.current, "previous_valid_until": valid_until}


def webhook_deliveries(tx: sa.Connection, agency_code: object, limit: object = 50) -> list[dict]:
    """The agency's delivery log, newest first."""
    if not isinstance(agency_code, str):
        return []
    size = limit if isinstance(limit, int) and not isinstance(limit, bool) else 50
    return WebhookStore(tx).log(agency_code, max(1, min(size, MAX_LOG_LIMIT)))


# -- commands ------------------------------------------------------------------


def _vhost_of(amqp_uri: str) -> str:
    path = urlsplit(amqp_uri).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def agency_amqp_user_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="lapor agency-amqp-user",
        description="Create or update an agency's RabbitMQ user and its own queue.",
    )
    parser.add_argument("code", help="the agency code, e.g. pemkot-3273-dpupr")
    parser.add_argument("--vhost", help="default: the vhost of AMQP_URI")
    parser.add_argument("--password-file", help="read the password here; default: a new one")
    args = parser.parse_args(argv)
    password = None
    if args.password_file:
        with open(args.password_file, encoding="utf-8") as f:
            password = f.read().strip()
    vhost = args.vhost or _vhost_of(config.amqp_uri())
    try:
        created = amqp_users.create_agency_user(
            amqp_users.Management.from_env(), vhost, args.code, password
        )
    except (ValueError, amqp_users.ManagementError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"user\t{created.username}")
    print(f"password\t{created.password}")
    print(f"vhost\t{created.vhost}")
    print(f"queue\t{created.queue}")
    print(f"binding\t{created.binding_key} on {amqp_users.EXCHANGE}")
    return 0


def webhook_replay_command(argv: list[str], engine: sa.Engine | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lapor webhook-replay",
        description="Send an agency's webhook events again (new deliveries in its log).",
    )
    parser.add_argument("code", help="the agency code")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--from", dest="position", type=int, help="every event from this position")
    which.add_argument("--delivery", type=int, help="one logged delivery, by its id")
    args = parser.parse_args(argv)
    engine = engine or create_engine(pool_size=1)
    now = datetime.now(UTC)
    with engine.begin() as tx:
        store = WebhookStore(tx)
        if not store.has_endpoint(args.code):
            print(f"error: {args.code} has no webhook", file=sys.stderr)
            return 1
        if args.delivery is not None:
            return _replay_one(store, args.code, args.delivery, now)
        count = store.replay_from(args.code, args.position, now)
    print(f"{count} deliveries enqueued for {args.code} from position {args.position}")
    return 0


def _replay_one(store: WebhookStore, code: str, delivery_id: int, now: datetime) -> int:
    new_id = store.replay_delivery(code, delivery_id, now)
    if new_id is None:
        print(f"error: {code} has no delivery {delivery_id}", file=sys.stderr)
        return 1
    print(f"delivery {delivery_id} enqueued again as {new_id}")
    return 0
