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
    sa.Column("language", sa.Text),  # 'id' | 'en'; null means 'id'
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
            language=contact.get("language"),
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
        sa.select(
            reporters.c.name, reporters.c.email, reporters.c.phone, reporters.c.language
        ).where(reporters.c.ref == key)
    ).first()
    return dict(row._mapping) if row else None


def region_exists(code: str) -> bool:
    return wilayah.get_wilayah(code) is not None


attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("sha256", sa.Text, primary_key=True),
    sa.Column("media_type", sa.Text),
    sa.Column("size", sa.Integer),
    sa.Column("content", sa.LargeBinary),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)


def keep_attachments(tx: sa.Connection, files: list) -> None:
    """Store each checked attachment once by its SHA-256, in the transaction
    that appends the event naming it."""
    from sqlalchemy.dialects.postgresql import insert

    for f in files:
        tx.execute(
            insert(attachments)
            .values(
                sha256=f.sha256,
                media_type=f.media_type,
                size=f.size,
                content=f.content,
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=["sha256"])
        )


def attachment(conn: sa.Connection, sha256: str) -> dict | None:
    row = conn.execute(
        sa.select(attachments.c.media_type, attachments.c.content).where(
            attachments.c.sha256 == sha256
        )
    ).first()
    return dict(row._mapping) if row else None


api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("key_hash", sa.Text, primary_key=True),
    sa.Column("channel", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)


def _key_hash(key: str) -> str:
    # keys are 256 random bits: a plain SHA-256 cannot be brute-forced, and a
    # slow KDF would cost every request
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(tx: sa.Connection, channel: str, name: str) -> str:
    """A new key for the client application `name` of `channel`; only its hash is kept."""
    import secrets

    key = secrets.token_urlsafe(32)
    tx.execute(
        api_keys.insert().values(
            key_hash=_key_hash(key), channel=channel, name=name, created_at=datetime.now(UTC)
        )
    )
    return key


def api_key_client(conn: sa.Connection, channel: str, key: str) -> str | None:
    """The name of the client application the key was issued to, or None."""
    return conn.execute(
        sa.select(api_keys.c.name).where(
            api_keys.c.key_hash == _key_hash(key), api_keys.c.channel == channel
        )
    ).scalar()


def recent_reports_by(conn: sa.Connection, email: str | None, phone: str | None) -> int:
    """Reports made in the last hour with this email address or phone number."""
    match = []
    if email:
        match.append(reporters.c.email == email)
    if phone:
        match.append(reporters.c.phone == phone)
    if not match:
        return 0
    return conn.execute(
        sa.select(sa.func.count())
        .select_from(reporters)
        .where(
            sa.or_(*match), reporters.c.created_at > sa.func.now() - sa.text("interval '1 hour'")
        )
    ).scalar_one()
