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
too, so answering time does not tell which emails have accounts. Each
check of an account (the password, a code) first locks its `sipp.admins` row
(`SELECT ... FOR UPDATE`) and holds it to the commit, so the checks of one
account run one after another: parallel guesses cannot all read the count
before any of them adds to it.

An account with its second factor on (adapters/second_factor.py) gets no
session for its password alone: `login` answers a challenge, and
`login_code` the session once the challenge comes back with the account's
current code. A wrong code counts as a failed login, like a wrong password,
and only a whole login clears the count: the right password cannot reset it
between guesses of the code. Wrong codes also count towards a total cap
(second_factor.MAX_WRONG_CODES since the last login): past it the account
answers 403 (`totp_blocked`) until an admin turns its second factor off.

Turning the second factor on takes the password again besides a code (a
stolen session alone cannot enrol its own authenticator) and ends the
account's other sessions.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from services.sipp import passwords, totp
from services.sipp.adapters import second_factor
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
WRONG_CODE = "The code is wrong or was already used."
CODE_FORMAT = "Give the 6-digit code of your authenticator app."
EXPIRED = "Log in again: the time to give the code has passed."
BLOCKED = (
    "Too many wrong codes: this account cannot log in until the agency admin turns "
    "its second factor off."
)
WRONG_PASSWORD = "The password is wrong."


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
    second_factor.end_challenges(tx, admin_id)
    return None


def _by_email(tx: sa.Connection, email: str) -> dict | None:
    """The active account of `email`, its row locked until the commit."""
    row = tx.execute(
        sa.select(admins.c.id, admins.c.password_hash, admins.c.totp_secret)
        .where(admins.c.email == email, admins.c.revoked_at.is_(None))
        .with_for_update()
    ).first()
    return dict(row._mapping) if row else None


def _lock(tx: sa.Connection, admin_id: str) -> str | None:
    """Lock the account's row until the commit (checks of one account run one
    at a time); its password hash."""
    return tx.scalar(
        sa.select(admins.c.password_hash).where(admins.c.id == admin_id).with_for_update()
    )


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
    """`{"session": token, "account": ..., "idle_seconds"}`; for an account
    with its second factor on `{"totp_required": true, "challenge": token,
    "challenge_seconds"}` (then `login_code`); or `{"error": {"status":
    400|401|403|429, "errors": {"login": [...]}}}` (429 also says
    `retry_after_minutes`; 403 `totp_blocked`: too many wrong codes)."""
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
    if passwords.needs_rehash(found["password_hash"]):
        tx.execute(
            admins.update()
            .where(admins.c.id == found["id"])
            .values(password_hash=passwords.hash_password(password))
        )
    if found["totp_secret"]:
        if second_factor.blocked(tx, found["id"]):
            return _blocked()
        return {
            "totp_required": True,
            "challenge": second_factor.new_challenge(tx, found["id"], now),
            "challenge_seconds": int(second_factor.CHALLENGE_LIFETIME.total_seconds()),
        }
    return _start(tx, found["id"], now)


def login_code(tx: sa.Connection, challenge: object, code: object, now: datetime | None = None):
    """The second step: the challenge `login` gave and the account's current
    code give what `login` gives a password-only account. Refusals: 401
    `login` (no such challenge, or too old), 429 (locked), 400 `code` (not 6
    digits), 401 `code` (wrong, or used already: a failed login), 403
    `totp_blocked` (MAX_WRONG_CODES wrong codes since the last login)."""
    now = _now(now)
    admin_id = second_factor.challenge_admin(tx, challenge, now)
    if admin_id is None:
        return _refused(401, EXPIRED)
    refused = _code_check(tx, admin_id, code, now, wrong_status=401)
    if refused:
        return refused
    second_factor.end_challenges(tx, admin_id)
    return _start(tx, admin_id, now)


def _code_check(
    tx: sa.Connection, admin_id: str, code: object, now: datetime, wrong_status: int
) -> dict | None:
    """None when `code` is the account's current, unused code (now used up);
    else the refusal: blocked (403), locked (429), not 6 digits (400), or
    wrong, counted as a failed login and towards the cap (`wrong_status`)."""
    _lock(tx, admin_id)
    if second_factor.blocked(tx, admin_id):
        return _blocked()
    locked = _locked(_failures(tx, admin_id, now), now)
    if locked:
        return locked
    if totp.normal_code(code) is None:
        return _code_refused(400, CODE_FORMAT)
    if not second_factor.use_code(tx, admin_id, code, now):
        tx.execute(login_failures.insert().values(admin_id=admin_id, at=now))
        second_factor.count_wrong_code(tx, admin_id)
        return _code_refused(wrong_status, WRONG_CODE)
    return None


def _blocked() -> dict:
    return {"error": {"status": 403, "errors": {"login": [BLOCKED]}, "totp_blocked": True}}


def _code_refused(status: int, message: str) -> dict:
    return {"error": {"status": status, "errors": {"code": [message]}}}


def _start(tx: sa.Connection, admin_id: str, now: datetime) -> dict:
    tx.execute(login_failures.delete().where(login_failures.c.admin_id == admin_id))
    second_factor.clear_wrong_codes(tx, admin_id)
    tx.execute(sessions.delete().where(sessions.c.last_seen_at < now - IDLE))
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


def session_admin(conn: sa.Connection, token: object, now: datetime | None = None) -> str | None:
    """The account of a live session (not of an API token: only a person logs
    in, and only a person has a second factor), or None."""
    if not is_session(token):
        return None
    admin_id = _touch(conn, token, _now(now))
    return admin_id if admin_id and _session_account(conn, admin_id) else None


def account(conn: sa.Connection, token: object, now: datetime | None = None) -> dict | None:
    """Who a session or API token acts as: {"actor", "agency_code", "role"}
    (a session also gives the account's "name"), or None. Run it in a
    transaction that commits, so that a session's use is recorded."""
    if not is_session(token):
        return token_account(conn, token)
    admin_id = _touch(conn, token, _now(now))
    return _session_account(conn, admin_id) if admin_id else None


# --- the second factor, managed by the logged-in officer ---------------------

NOT_LOGGED_IN = {"error": {"status": 401, "errors": {"authorization": ["Log in first."]}}}


def totp_status(tx: sa.Connection, token: object, now: datetime | None = None) -> dict:
    """{"enabled", "pending": {"secret", "uri"} or None} of the session's account."""
    admin_id = session_admin(tx, token, now)
    return NOT_LOGGED_IN if admin_id is None else second_factor.status(tx, admin_id)


def totp_begin(tx: sa.Connection, token: object, now: datetime | None = None) -> dict:
    """A new secret to set up: {"secret", "uri"}; 409 when it is on already."""
    admin_id = session_admin(tx, token, now)
    if admin_id is None:
        return NOT_LOGGED_IN
    shown = second_factor.begin(tx, admin_id)
    if shown is None:
        return {"error": {"status": 409, "errors": {"status": ["The second factor is on."]}}}
    return shown


def totp_enable(
    tx: sa.Connection, token: object, code: object, password: object, now: datetime | None = None
):
    """On, with the account's password and a current code of the secret being
    set up: {"enabled": true}; the account's other sessions end. Refusals: 400
    `password` (missing, or wrong: a failed login) and `code`, 429 (locked),
    409 (no secret set up)."""
    now = _now(now)
    admin_id = session_admin(tx, token, now)
    if admin_id is None:
        return NOT_LOGGED_IN
    missing: dict[str, list[str]] = {}
    if not isinstance(password, str) or not password or len(password) > passwords.MAX_LENGTH:
        missing["password"] = ["Give your password."]
    if totp.normal_code(code) is None:
        missing["code"] = [CODE_FORMAT]
    if missing:
        return {"error": {"status": 400, "errors": missing}}
    refused = _password_check(tx, admin_id, password, now)
    if refused:
        return refused
    refused = second_factor.enable(tx, admin_id, code, now)
    if refused == "not_started":
        return {"error": {"status": 409, "errors": {"status": ["Set up a secret first."]}}}
    if refused:
        return _code_refused(400, WRONG_CODE)
    # whoever else holds a session of the account keeps no way in
    tx.execute(
        sessions.delete().where(
            sessions.c.admin_id == admin_id, sessions.c.token_hash != token_hash(token)
        )
    )
    return {"enabled": True}


def _password_check(tx: sa.Connection, admin_id: str, password: str, now: datetime):
    """None when `password` is the account's; else locked (429) or wrong (400
    `password`, counted as a failed login)."""
    password_hash = _lock(tx, admin_id)
    locked = _locked(_failures(tx, admin_id, now), now)
    if locked:
        return locked
    if not passwords.verify(password_hash, password):
        tx.execute(login_failures.insert().values(admin_id=admin_id, at=now))
        return {"error": {"status": 400, "errors": {"password": [WRONG_PASSWORD]}}}
    return None


def totp_disable(tx: sa.Connection, token: object, code: object, now: datetime | None = None):
    """Off, with a current code: {"enabled": false}. A wrong code counts as a
    failed login (whoever holds a stolen session cannot guess on for ever)."""
    now = _now(now)
    admin_id = session_admin(tx, token, now)
    if admin_id is None:
        return NOT_LOGGED_IN
    if not second_factor.enabled(tx, admin_id):
        return {"error": {"status": 409, "errors": {"status": ["The second factor is off."]}}}
    refused = _code_check(tx, admin_id, code, now, wrong_status=400)
    if refused:
        return refused
    second_factor.reset(tx, admin_id)
    return {"enabled": False}
