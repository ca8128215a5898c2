"""sipp.sessions and sipp.login_failures: officers log in with an email and a
password and get a server-side session.

A session token is 32 random bytes (prefix `sess_`); only its SHA-256 is
stored, as with API tokens. A session ends when it has not been used for
`IDLE` (12 hours), `LIFETIME` after login at the latest, at logout, when the
password changes, and when the account is revoked. A session token works
wherever an API token does (`account`).

Guessing is slowed per account: after `MAX_FAILURES` failed logins within
`FAILURE_WINDOW`, the account refuses every login until the window has
passed, the right password included. An unknown email costs a password hash
too, so answering time does not tell which emails have accounts.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from services.sipp import passwords
from services.sipp.adapters.admins import account as token_account
from services.sipp.adapters.admins import admins, token_hash
from services.sipp.adapters.read_model import metadata

SESSION_PREFIX = "sess_"
IDLE = timedelta(hours=12)
LIFETIME = timedelta(days=7)
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("admin_id", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("last_seen_at", sa.DateTime(timezone=True)),
)
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("admin_id", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True)),
)
WRONG = "The email or the password is wrong."


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _refused(status: int, message: str, **extra) -> dict:
    return {"error": {"status": status, "errors": {"login": [message]}, **extra}}


def set_password(tx: sa.Connection, admin_id: str, password: str) -> str | None:
    """Set an active account's password; its sessions end. Why not, or None."""
    refused = passwords.password_error(password)
    if refused:
        return refused
    done = tx.execute(
        admins.update()
        .where(admins.c.id == admin_id, admins.c.revoked_at.is_(None))
        .values(password_hash=passwords.hash_password(password), password_set_at=sa.func.now())
    )
    if done.rowcount != 1:
        return f"no active admin {admin_id}"
    tx.execute(sessions.delete().where(sessions.c.admin_id == admin_id))
    return None


def _by_email(tx: sa.Connection, email: str) -> dict | None:
    row = tx.execute(
        sa.select(admins.c.id, admins.c.password_hash).where(
            admins.c.email == email, admins.c.revoked_at.is_(None)
        )
    ).first()
    return dict(row._mapping) if row else None


def _failures(tx: sa.Connection, admin_id: str, now: datetime) -> list[datetime]:
    failed = login_failures.c
    since = now - FAILURE_WINDOW
    query = sa.select(failed.at).where(failed.admin_id == admin_id, failed.at > since)
    return list(tx.scalars(query.order_by(failed.at)))


def _locked(failures: list[datetime], now: datetime) -> dict | None:
    if len(failures) < MAX_FAILURES:
        return None
    free_at = failures[-MAX_FAILURES] + FAILURE_WINDOW
    minutes = max(1, -(-int((free_at - now).total_seconds()) // 60))
    message = f"Too many failed logins; try again in {minutes} minutes."
    return _refused(429, message, retry_after_minutes=minutes)


def login(tx: sa.Connection, email: object, password: object, now: datetime | None = None):
    """`{"session": token, "account": ..., "idle_seconds"}`, or
    `{"error": {"status": 400|401|429, "errors": {"login": [...]}}}` (429 also
    says `retry_after_minutes`)."""
    now = _now(now)
    if not isinstance(password, str) or not password or len(password) > passwords.MAX_LENGTH:
        return _refused(400, "Give your email and password.")
    email = passwords.normal_email(email)
    found = _by_email(tx, email) if email else None
    if found is None:
        passwords.burn(password)
        return _refused(401, WRONG)
    locked = _locked(_failures(tx, found["id"], now), now)
    if locked:
        passwords.burn(password)
        return locked
    if not passwords.verify(found["password_hash"], password):
        tx.execute(login_failures.insert().values(admin_id=found["id"], at=now))
        return _refused(401, WRONG)
    return _start(tx, found, password, now)


def _start(tx: sa.Connection, found: dict, password: str, now: datetime) -> dict:
    admin_id = found["id"]
    tx.execute(login_failures.delete().where(login_failures.c.admin_id == admin_id))
    tx.execute(sessions.delete().where(sessions.c.last_seen_at < now - IDLE))
    if passwords.needs_rehash(found["password_hash"]):
        tx.execute(
            admins.update()
            .where(admins.c.id == admin_id)
            .values(password_hash=passwords.hash_password(password))
        )
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    tx.execute(
        sessions.insert().values(
            token_hash=token_hash(token), admin_id=admin_id, created_at=now, last_seen_at=now
        )
    )
    return {
        "session": token,
        "account": _session_account(tx, admin_id),
        "idle_seconds": int(IDLE.total_seconds()),
    }


def logout(tx: sa.Connection, token: object) -> bool:
    if not is_session(token):
        return False
    done = tx.execute(sessions.delete().where(sessions.c.token_hash == token_hash(token)))
    return done.rowcount == 1


def is_session(token: object) -> bool:
    return isinstance(token, str) and token.startswith(SESSION_PREFIX)


def _session_account(conn: sa.Connection, admin_id: str) -> dict | None:
    row = conn.execute(
        sa.select(admins.c.id, admins.c.agency_code, admins.c.role, admins.c.name).where(
            admins.c.id == admin_id, admins.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return {
        "actor": f"admin-{row.id}",
        "agency_code": row.agency_code,
        "role": row.role,
        "name": row.name,
    }


def _touch(conn: sa.Connection, token: str, now: datetime) -> str | None:
    """The admin of a live session, which counts as used now."""
    return conn.scalar(
        sessions.update()
        .where(
            sessions.c.token_hash == token_hash(token),
            sessions.c.last_seen_at > now - IDLE,
            sessions.c.created_at > now - LIFETIME,
        )
        .values(last_seen_at=now)
        .returning(sessions.c.admin_id)
    )


def account(conn: sa.Connection, token: object, now: datetime | None = None) -> dict | None:
    """Who a session or API token acts as: {"actor", "agency_code", "role"}
    (a session also gives the account's "name"), or None. Run it in a
    transaction that commits, so that a session's use is recorded."""
    if not is_session(token):
        return token_account(conn, token)
    admin_id = _touch(conn, token, _now(now))
    return _session_account(conn, admin_id) if admin_id else None
