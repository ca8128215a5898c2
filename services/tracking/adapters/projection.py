"""tracking.reports and tracking.timeline, fed only by events."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor.eventstore import RecordedEvent
from services.tracking.domain import ACTOR_OF, STATUS_AFTER, public_detail

metadata = sa.MetaData(schema="tracking")
reports = sa.Table(
    "reports",
    metadata,
    *(
        sa.Column(c, sa.Text)
        for c in (
            "tracking_id",
            "status",
            "title",
            "category",
            "region_code",
            "report_type",
            "channel",
            "agency_code",
            "agency_name",
        )
    ),
    sa.Column("anonymous", sa.Boolean),
    sa.Column("confidential", sa.Boolean),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)
timeline = sa.Table(
    "timeline",
    metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("tracking_id", sa.Text),
    sa.Column("position", sa.BigInteger),
    sa.Column("type", sa.Text),
    sa.Column("time", sa.DateTime(timezone=True)),
    sa.Column("actor", sa.Text),
    sa.Column("detail", pg.JSONB),
)


def apply(tx: sa.Connection, event: RecordedEvent) -> None:
    data = event.data
    tracking_id = data["tracking_id"]
    if event.type == "report.submitted":
        tx.execute(
            reports.insert().values(
                tracking_id=tracking_id,
                status=STATUS_AFTER[event.type],
                title=data["title"],
                category=data["category"],
                region_code=data["region_code"],
                report_type=data["report_type"],
                channel=data["channel"],
                anonymous=data["anonymous"],
                confidential=data["confidential"],
                submitted_at=event.recorded_at,
                updated_at=event.recorded_at,
            )
        )
    elif event.type == "report.routed":
        updated = tx.execute(
            reports.update()
            .where(reports.c.tracking_id == tracking_id)
            .values(
                status=STATUS_AFTER[event.type],
                agency_code=data["agency_code"],
                agency_name=data["agency_name"],
                updated_at=event.recorded_at,
            )
        )
        if updated.rowcount != 1:  # stream order makes this impossible; fail loudly if not
            raise LookupError(f"{tracking_id}: routed before it was submitted")
    tx.execute(
        timeline.insert().values(
            event_id=event.event_id,
            tracking_id=tracking_id,
            position=event.position,
            type=event.type,
            time=event.recorded_at,
            actor=ACTOR_OF[event.type],
            detail=public_detail(event.type, data),
        )
    )


def report_view(conn: sa.Connection, tracking_id: str) -> dict | None:
    row = conn.execute(sa.select(reports).where(reports.c.tracking_id == tracking_id)).first()
    if row is None:
        return None
    entries = conn.execute(
        sa.select(timeline)
        .where(timeline.c.tracking_id == tracking_id)
        .order_by(timeline.c.position)
    ).all()
    return {"report": dict(row._mapping), "timeline": [dict(e._mapping) for e in entries]}
