"""Intake's own store: reporters' contact details, and the Kemendagri regions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from lokal import wilayah

metadata = sa.MetaData(schema="intake")
reporters = sa.Table(
    "reporters",
    metadata,
    sa.Column("ref", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)


def add_reporter(tx: sa.Connection, contact: dict) -> str:
    ref = uuid.uuid4()
    tx.execute(
        reporters.insert().values(
            ref=ref,
            name=contact.get("name"),
            email=contact.get("email"),
            phone=contact.get("phone"),
            created_at=datetime.now(UTC),
        )
    )
    return str(ref)


def reporter_contact(conn: sa.Connection, ref: str) -> dict | None:
    try:
        key = uuid.UUID(ref)
    except (TypeError, ValueError):
        return None
    row = conn.execute(
        sa.select(reporters.c.name, reporters.c.email, reporters.c.phone).where(
            reporters.c.ref == key
        )
    ).first()
    return dict(row._mapping) if row else None


def region_exists(code: str) -> bool:
    return wilayah.get_wilayah(code) is not None
