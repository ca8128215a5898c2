"""Agencies' webhook endpoints and the delivery log, and the HTTP client that
delivers.

One delivery row per (agency, event), enqueued in the transaction that
records the event in routing's inbox, so an event is enqueued exactly once.
The sender takes due rows that are the head of their (agency, stream) queue:
a report's event N+1 is never sent before N is delivered or has finally
failed, however the receiver behaves. A delivery is locked (FOR UPDATE SKIP
LOCKED) while it is sent, so replicas never send one twice at the same time
and never overtake the stream order.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.envelope import CONTENT_TYPE, to_wire, upcast_recorded
from lapor.eventstore import RecordedEvent, read_all
from services.routing import webhooks

log = logging.getLogger(__name__)
metadata = sa.MetaData(schema="routing")
endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column("agency_code", sa.Text, primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.Text, nullable=False),
    sa.Column("previous_secret", sa.Text),
    sa.Column("previous_valid_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("agency_code", sa.Text, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("stream", sa.Text, nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("last_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("replay", sa.Boolean, nullable=False),
    sa.Column("replay_of", sa.BigInteger),
)
LOG_COLUMNS = (
    "id",
    "event_id",
    "event_type",
    "stream",
    "stream_version",
    "position",
    "status",
    "attempts",
    "next_attempt_at",
    "first_attempt_at",
    "last_attempt_at",
    "last_status",
    "last_error",
    "finished_at",
    "created_at",
    "replay_of",
)

# A due delivery that is the first pending one of its (agency, stream).
_DUE_HEADS = sa.text("""
    SELECT d.id FROM routing.webhook_deliveries d
    WHERE d.status = 'pending' AND d.next_attempt_at <= :now
      AND NOT EXISTS (
        SELECT 1 FROM routing.webhook_deliveries e
        WHERE e.status = 'pending' AND e.agency_code = d.agency_code AND e.stream = d.stream
          AND (e.stream_version, e.id) < (d.stream_version, d.id))
    ORDER BY d.next_attempt_at, d.id
    LIMIT :batch""")


class WebhookStore:
    """Endpoints and deliveries, inside the caller's transaction."""

    def __init__(self, tx: sa.Connection):
        self.tx = tx

    # -- endpoints -------------------------------------------------------------

    def endpoint(self, agency_code: str) -> sa.Row | None:
        query = sa.select(endpoints).where(endpoints.c.agency_code == agency_code)
        return self.tx.execute(query).first()

    def has_endpoint(self, agency_code: str) -> bool:
        return self.endpoint(agency_code) is not None

    def set_endpoint(self, agency_code: str, url: str, now: datetime) -> str:
        """Register or change the agency's URL; returns its (kept or new) secret."""
        insert = pg.insert(endpoints).values(
            agency_code=agency_code,
            url=url,
            secret=webhooks.new_secret(),
            created_at=now,
            updated_at=now,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=[endpoints.c.agency_code], set_={"url": url, "updated_at": now}
        )
        return self.tx.execute(upsert.returning(endpoints.c.secret)).scalar_one()

    def rotate(self, agency_code: str, now: datetime) -> webhooks.Secrets | None:
        row = self.endpoint(agency_code)
        if row is None:
            return None
        rotated = _secrets(row).rotated(now, webhooks.new_secret())
        self.tx.execute(
            endpoints.update()
            .where(endpoints.c.agency_code == agency_code)
            .values(
                secret=rotated.current,
                previous_secret=rotated.previous,
                previous_valid_until=rotated.previous_valid_until,
                updated_at=now,
            )
        )
        return rotated

    # -- deliveries --------------------------------------------------------------

    def enqueue(self, event: RecordedEvent, now: datetime, replay: bool = False) -> bool:
        """A delivery of `event` to the agency it concerns, if that agency has a
        webhook. False when it has none, or the event is enqueued already."""
        if not webhooks.wants(event.type, event.agency) or not self.has_endpoint(event.agency):
            return False
        values = dict(
            agency_code=event.agency,
            event_id=event.event_id,
            event_type=event.type,
            stream=event.stream,
            stream_version=event.version,
            position=event.position,
            payload=to_wire(event).decode(),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            replay=replay,
        )
        insert = pg.insert(deliveries).values(values)
        if not replay:
            insert = insert.on_conflict_do_nothing(
                index_elements=[deliveries.c.agency_code, deliveries.c.event_id],
                index_where=sa.text("NOT replay"),
            )
        return self.tx.execute(insert.returning(deliveries.c.id)).first() is not None

    def log(self, agency_code: str, limit: int = 50) -> list[dict]:
        query = (
            sa.select(*(deliveries.c[c] for c in LOG_COLUMNS))
            .where(deliveries.c.agency_code == agency_code)
            .order_by(deliveries.c.id.desc())
            .limit(limit)
        )
        return [_jsonable(row._asdict()) for row in self.tx.execute(query)]

    def replay_delivery(self, agency_code: str, delivery_id: int, now: datetime) -> int | None:
        """Send one of the agency's logged deliveries again, as a new delivery;
        its new id (None: the agency has no such delivery)."""
        row = self.tx.execute(
            sa.select(deliveries).where(
                deliveries.c.id == delivery_id, deliveries.c.agency_code == agency_code
            )
        ).first()
        if row is None:
            return None
        copied = {c: getattr(row, c) for c in ("agency_code", "event_id", "event_type", "stream")}
        copied.update(stream_version=row.stream_version, position=row.position)
        return self.tx.execute(
            deliveries.insert()
            .values(
                **copied,
                payload=row.payload,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                replay=True,
                replay_of=row.id,
            )
            .returning(deliveries.c.id)
        ).scalar_one()

    def replay_from(self, agency_code: str, position: int, now: datetime) -> int:
        """Enqueue again every event of the log from `position` on that concerns
        the agency (e.g. those from before it registered its webhook)."""
        count, after = 0, position - 1
        while batch := read_all(self.tx, after, 500, webhooks.EVENT_TYPES):
            for event in batch:
                if event.agency == agency_code:
                    count += self.enqueue(upcast_recorded(event), now, replay=True)
            after = batch[-1].position
        return count


def _secrets(row: sa.Row) -> webhooks.Secrets:
    return webhooks.Secrets(row.secret, row.previous_secret, row.previous_valid_until)


def _jsonable(values: dict) -> dict:
    return {
        k: v.isoformat() if isinstance(v, datetime) else str(v) if k == "event_id" else v
        for k, v in values.items()
    }


# -- sending -----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int | None  # the HTTP status, None when there was no answer
    error: str | None = None


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> Answer:
    """POST one delivery. Never raises: a refused connection is an Answer too."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"content-type": CONTENT_TYPE, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status)
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Answer(None, f"{type(exc).__name__}: {reason}"[:500])


def deliver_due(
    engine: sa.Engine, now: datetime | None = None, post=http_post, batch: int = 100
) -> Counter:
    """Send every delivery that is due at `now` and heads its stream's queue,
    until none is left; counts the outcomes (delivered, retry, failed)."""
    now = now or datetime.now(UTC)
    outcomes: Counter = Counter()
    while True:
        with engine.connect() as conn:
            due = conn.execute(_DUE_HEADS, {"now": now, "batch": batch}).scalars().all()
        sent = [_deliver_one(engine, delivery_id, now, post) for delivery_id in due]
        outcomes.update(s for s in sent if s)
        if not any(s == "delivered" or s == "failed" for s in sent):
            # nothing moved a stream forward: no new head can have become due
            return outcomes


def _deliver_one(engine: sa.Engine, delivery_id: int, now: datetime, post) -> str | None:
    with engine.begin() as tx:
        row = tx.execute(
            sa.select(deliveries)
            .where(deliveries.c.id == delivery_id, deliveries.c.status == "pending")
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None  # another replica has it, or it is done
        endpoint = WebhookStore(tx).endpoint(row.agency_code)
        if endpoint is None:
            answer = Answer(None, "the agency has no webhook any more")
            return _record(tx, row, answer, now, final=True)
        signed_at = datetime.now(UTC)  # the receiver checks it against its own clock
        headers = webhooks.signed_headers(
            str(row.event_id), signed_at, row.payload, _secrets(endpoint).signing(signed_at)
        )
        answer = post(endpoint.url, row.payload.encode(), headers)
        return _record(tx, row, answer, now)


def _record(tx: sa.Connection, row: sa.Row, answer: Answer, now: datetime, final=False) -> str:
    attempts = row.attempts + 1
    first = row.first_attempt_at or now
    retry_at = None if final else webhooks.next_attempt_at(attempts, first, now)
    if webhooks.succeeded(answer.status):
        status, outcome = "delivered", "delivered"
    elif retry_at is None:
        status, outcome = "failed", "failed"
    else:
        status, outcome = "pending", "retry"
    tx.execute(
        deliveries.update()
        .where(deliveries.c.id == row.id)
        .values(
            status=status,
            attempts=attempts,
            first_attempt_at=first,
            last_attempt_at=now,
            last_status=answer.status,
            last_error=answer.error,
            next_attempt_at=retry_at or row.next_attempt_at,
            finished_at=None if status == "pending" else now,
        )
    )
    if outcome != "delivered":
        log.info(
            "webhook delivery not accepted",
            extra={"delivery": row.id, "agency": row.agency_code, "outcome": outcome},
        )
    return outcome
