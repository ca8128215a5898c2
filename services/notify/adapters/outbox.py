"""notify.notifications: what must be sent, and what became of it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

metadata = sa.MetaData(schema="notify")
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("event_id", sa.Uuid),
    *(
        sa.Column(c, sa.Text)
        for c in ("recipient", "channel", "template", "tracking_id", "status", "last_error")
    ),
    sa.Column("confidential", sa.Boolean),
    sa.Column("attempts", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
)


def record(
    tx: sa.Connection,
    event_id,
    recipient: str,
    channel: str,
    template: str,
    tracking_id: str,
    confidential: bool,
) -> None:
    tx.execute(
        pg.insert(notifications)
        .values(
            event_id=event_id,
            recipient=recipient,
            channel=channel,
            template=template,
            tracking_id=tracking_id,
            confidential=confidential,
            status="pending",
            created_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing()
    )


def claim_pending(engine: sa.Engine, limit: int) -> list[dict]:
    """Mark up to `limit` pending notifications as being sent, for this sender only."""
    with engine.begin() as tx:
        picked = (
            sa.select(notifications.c.id)
            .where(notifications.c.status == "pending")
            .order_by(notifications.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = tx.execute(
            notifications.update()
            .where(notifications.c.id.in_(picked))
            .values(status="sending", attempts=notifications.c.attempts + 1)
            .returning(notifications)
        ).all()
    return [dict(r._mapping) for r in rows]


def finish(engine: sa.Engine, notification_id: int, status: str, error: str | None = None) -> None:
    with engine.begin() as tx:
        tx.execute(
            notifications.update()
            .where(notifications.c.id == notification_id)
            .values(
                status=status,
                last_error=error,
                sent_at=datetime.now(UTC) if status == "sent" else None,
            )
        )
