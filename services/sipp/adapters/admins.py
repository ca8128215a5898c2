"""sipp.admins: agency accounts, their role and API tokens (only a SHA-256 of each is kept).

An account is a person (a coordinator, an officer) or an agency's own system;
its role is checked against its agency's kind by `services.sipp.roles`.

A token is 32 random bytes, so a fast hash is enough: there is nothing to
guess-and-check as there is with a password.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

import sqlalchemy as sa

from services.sipp.adapters.read_model import metadata

admins = sa.Table(
    "admins",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("agency_code", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("token_hash", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("email", sa.Text),  # the login name of a person's account, lower case
    sa.Column("password_hash", sa.Text),  # argon2id (services/sipp/passwords.py)
    sa.Column("password_set_at", sa.DateTime(timezone=True)),
    # the optional second factor (services/sipp/adapters/second_factor.py)
    sa.Column("totp_secret", sa.Text),
    sa.Column("totp_pending_secret", sa.Text),
    sa.Column("totp_enabled_at", sa.DateTime(timezone=True)),
    sa.Column("totp_last_step", sa.BigInteger),
    sa.Column("totp_wrong_codes", sa.Integer),  # since the last login: the cap on guessing
)
TOKEN_PREFIX = "sipp_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    tx: sa.Connection,
    agency_code: str,
    name: str,
    role: str = "coordinator",
    email: str | None = None,
) -> tuple[str, str]:
    """A new account of `agency_code`: (admin id, token). The token is shown once."""
    admin_id = uuid.uuid4().hex[:16]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tx.execute(
        admins.insert().values(
            id=admin_id,
            agency_code=agency_code,
            name=name,
            role=role,
            email=email,
            token_hash=token_hash(token),
            created_at=sa.func.now(),
        )
    )
    return admin_id, token


def revoke(tx: sa.Connection, admin_id: str) -> bool:
    result = tx.execute(
        admins.update()
        .where(admins.c.id == admin_id, admins.c.revoked_at.is_(None))
        .values(revoked_at=sa.func.now())
    )
    return result.rowcount == 1


def by_token(conn: sa.Connection, token: str) -> dict | None:
    row = conn.execute(
        sa.select(admins.c.id, admins.c.agency_code, admins.c.name, admins.c.role).where(
            admins.c.token_hash == token_hash(token), admins.c.revoked_at.is_(None)
        )
    ).first()
    return dict(row._mapping) if row else None


def email_taken(conn: sa.Connection, email: str) -> bool:
    """Whether an active account already logs in with `email`."""
    found = sa.select(admins.c.id).where(admins.c.email == email, admins.c.revoked_at.is_(None))
    return conn.execute(found).first() is not None


def listing(conn: sa.Connection, agency_code: str | None) -> list[dict]:
    query = sa.select(
        admins.c.id,
        admins.c.agency_code,
        admins.c.name,
        admins.c.role,
        admins.c.email,
        admins.c.created_at,
        admins.c.revoked_at,
    ).order_by(admins.c.created_at)
    if agency_code:
        query = query.where(admins.c.agency_code == agency_code)
    return [dict(r._mapping) for r in conn.execute(query)]


def account(conn: sa.Connection, token: str | None) -> dict | None:
    """Who a token acts as: {"actor": "admin-<id>", "agency_code", "role"}, or None."""
    if not token or not isinstance(token, str):
        return None
    found = by_token(conn, token)
    if found is None:
        return None
    return {
        "actor": f"admin-{found['id']}",
        "agency_code": found["agency_code"],
        "role": found["role"],
    }
