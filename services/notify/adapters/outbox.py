"""notify's tables: one notification per event x recipient x channel and what
became of it; the reports notify remembers; opt-outs; agencies' contacts.

A notification's life: pending -> sending -> sent -> delivered, or back to
pending (a retry after `next_attempt_at`), or skipped / failed / ambiguous.
`sending` is written (and committed) before the gateway is called, so a
sender that dies mid-call leaves a trace: `reclaim_stale` counts such an
attempt as ambiguous.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from services.notify.domain import Notice, Outcome

metadata = sa.MetaData(schema="notify")
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("event_id", sa.Uuid),
    sa.Column("reference", sa.Uuid),
    *(
        sa.Column(c, sa.Text)
        for c in (
            "recipient",
            "channel",
            "template",
            "tracking_id",
            "status",
            "last_error",
            "origin_channel",
            "language",
            "dlr_status",
        )
    ),
    sa.Column("template_values", pg.JSONB),
    sa.Column("confidential", sa.Boolean),
    sa.Column("attempts", sa.Integer),
    sa.Column("ambiguous_attempts", sa.Integer),
    *(
        sa.Column(c, sa.DateTime(timezone=True))
        for c in ("created_at", "sent_at", "next_attempt_at", "attempt_started_at", "delivered_at")
    ),
)
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("tracking_id", sa.Text, primary_key=True),
    sa.Column("reporter_ref", sa.Text),
    sa.Column("channel", sa.Text),
    sa.Column("confidential", sa.Boolean),
)
opt_outs = sa.Table(
    "opt_outs",
    metadata,
    sa.Column("channel", sa.Text, primary_key=True),
    sa.Column("contact_digest", sa.Text, primary_key=True),
    sa.Column("via", sa.Text),
    sa.Column("opted_out_at", sa.DateTime(timezone=True)),
)
agency_contacts = sa.Table(
    "agency_contacts",
    metadata,
    sa.Column("agency_code", sa.Text, primary_key=True),
    sa.Column("email", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)


def _now() -> datetime:
    return datetime.now(UTC)


# -- recording -----------------------------------------------------------------


def record(
    tx: sa.Connection,
    event_id,
    notice: Notice,
    tracking_id: str,
    confidential: bool,
    origin_channel: str | None,
) -> None:
    """One row per event x recipient x channel: a redelivered event adds nothing."""
    tx.execute(
        pg.insert(notifications)
        .values(
            event_id=event_id,
            recipient=notice.recipient,
            channel=notice.channel,
            template=notice.template,
            template_values=notice.values,
            tracking_id=tracking_id,
            confidential=confidential,
            origin_channel=origin_channel,
            status="pending",
            created_at=_now(),
            next_attempt_at=_now(),
        )
        .on_conflict_do_nothing(index_elements=["event_id", "recipient", "channel"])
    )


def remember_report(tx: sa.Connection, data: dict) -> None:
    tx.execute(
        pg.insert(reports)
        .values(
            tracking_id=data["tracking_id"],
            reporter_ref=data.get("reporter_ref"),
            channel=data["channel"],
            confidential=data["confidential"],
        )
        .on_conflict_do_nothing()
    )


def set_confidential(tx: sa.Connection, tracking_id: str, confidential: bool) -> None:
    tx.execute(
        reports.update()
        .where(reports.c.tracking_id == tracking_id)
        .values(confidential=confidential)
    )


def report_of(conn: sa.Connection, tracking_id: str) -> dict | None:
    row = conn.execute(sa.select(reports).where(reports.c.tracking_id == tracking_id)).first()
    return dict(row._mapping) if row else None


# -- sending -------------------------------------------------------------------

_CLAIM = sa.text("""
    UPDATE notify.notifications n
    SET status = 'sending', attempts = n.attempts + 1, attempt_started_at = now()
    WHERE n.id = (SELECT id FROM notify.notifications
                  WHERE status = 'pending' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING n.*""")


def claim_one(engine: sa.Engine) -> dict | None:
    """The next due notification, marked `sending` and committed before any send."""
    with engine.begin() as tx:
        row = tx.execute(_CLAIM).first()
    return dict(row._mapping) if row else None


def reclaim_stale(engine: sa.Engine, lease_seconds: float, max_ambiguous: int) -> int:
    """Notifications left `sending` longer than any attempt may take: their sender
    died mid-attempt, so the gateway may have accepted them. Each counts as an
    ambiguous attempt: sent again once, then left as `ambiguous`."""
    with engine.begin() as tx:
        return tx.execute(
            sa.text("""
            UPDATE notify.notifications SET
                ambiguous_attempts = ambiguous_attempts + 1,
                status = CASE WHEN ambiguous_attempts + 1 >= :max_ambiguous
                              THEN 'ambiguous' ELSE 'pending' END,
                last_error = 'the sender stopped during the attempt; it may have been sent',
                next_attempt_at = now()
            WHERE status = 'sending'
              AND attempt_started_at < now() - make_interval(secs => :lease)"""),
            {"lease": lease_seconds, "max_ambiguous": max_ambiguous},
        ).rowcount


def finish(engine: sa.Engine, item: dict, outcome: Outcome, language: str | None) -> None:
    values = {
        "status": outcome.status,
        "last_error": outcome.error,
        "language": language,
        "ambiguous_attempts": item["ambiguous_attempts"] + (1 if outcome.ambiguous else 0),
    }
    if outcome.status == "sent":
        values["sent_at"] = _now()
    if outcome.next_attempt_at is not None:
        values["next_attempt_at"] = outcome.next_attempt_at
    with engine.begin() as tx:
        tx.execute(
            notifications.update()
            .where(notifications.c.id == item["id"], notifications.c.status == "sending")
            .values(**values)
        )


def skip(engine: sa.Engine, item: dict, reason: str) -> None:
    with engine.begin() as tx:
        tx.execute(
            notifications.update()
            .where(notifications.c.id == item["id"])
            .values(status="skipped", last_error=reason)
        )


def apply_delivery_report(tx: sa.Connection, reference, status: str, final: str | None):
    """Record the operator's word on an SMS; returns its tracking id, or None
    for an unknown reference.

    A final state (delivered, failed) is never overwritten: Kannel may send the
    phone's `delivered` before the SMSC's `accepted`. A report for a message
    waiting for its retry (its attempt looked ambiguous) settles it: the
    earlier attempt did reach the operator, so the retry is cancelled."""
    row = tx.execute(
        sa.select(notifications.c.status, notifications.c.tracking_id)
        .where(notifications.c.reference == reference, notifications.c.channel == "sms")
        .with_for_update()
    ).first()
    if row is None:
        return None
    values: dict = {"dlr_status": status}
    if row.status in ("delivered", "failed"):
        values = {}
    elif final == "delivered":
        values.update(status="delivered", delivered_at=_now())
    elif final == "failed":
        values.update(status="failed", last_error=f"operator reported: {status}")
    elif row.status == "pending":
        values.update(status="sent", sent_at=_now())
    if values:
        tx.execute(
            notifications.update().where(notifications.c.reference == reference).values(**values)
        )
    return row.tracking_id


def by_reference(conn: sa.Connection, reference) -> dict | None:
    row = conn.execute(
        sa.select(notifications).where(notifications.c.reference == reference)
    ).first()
    return dict(row._mapping) if row else None


# -- consent and officers -------------------------------------------------------


def add_opt_out(tx: sa.Connection, channel: str, digest: str, via: str) -> None:
    tx.execute(
        pg.insert(opt_outs)
        .values(channel=channel, contact_digest=digest, via=via, opted_out_at=_now())
        .on_conflict_do_nothing()
    )


def opted_out(engine: sa.Engine, channel: str, digest: str) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(sa.literal(1)).where(
                    opt_outs.c.channel == channel, opt_outs.c.contact_digest == digest
                )
            ).first()
            is not None
        )


def set_agency_contact(engine: sa.Engine, code: str, email: str, language: str) -> None:
    with engine.begin() as tx:
        tx.execute(
            pg.insert(agency_contacts)
            .values(agency_code=code, email=email, language=language, updated_at=_now())
            .on_conflict_do_update(
                index_elements=["agency_code"],
                set_={"email": email, "language": language, "updated_at": _now()},
            )
        )


def agency_contact(engine: sa.Engine, code: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(agency_contacts.c.email, agency_contacts.c.language).where(
                agency_contacts.c.agency_code == code
            )
        ).first()
    return dict(row._mapping) if row else None
