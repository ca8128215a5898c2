"""An officer's optional second factor, kept in sipp.admins (`totp_*`), and
sipp.login_challenges: what stands between a right password and its code.
The rules of the codes are services/sipp/totp.py.

Setting it up: `begin` keeps a new secret apart (`totp_pending_secret`) and
answers it with its otpauth:// URI; `enable` makes it the account's secret once
a code from it is given. Turning it off takes a code too (sessions.py counts
wrong ones as failed logins); `reset`, for an admin whose officer lost the
phone, takes none.

Guessing is capped twice: a wrong code counts as a failed login in the
rolling lock of sessions.py, and `totp_wrong_codes` counts the wrong codes
since the account's last successful login. At `MAX_WRONG_CODES` (100, the
limit of NIST SP 800-63B 5.2.2) the account logs in with no code at all until
an admin turns its second factor off (`reset`, which clears the count): the
rolling lock alone would let a patient guesser try some 960 codes a day.

A code is used once: `use_code` moves `totp_last_step` forward in the same
UPDATE that checks it was behind, so two requests with one code cannot both
pass.

The secrets are stored as they are (a TOTP verifier needs the secret itself,
unlike a password); only sipp reads them, and they never leave it after
setting up.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from services.sipp import totp
from services.sipp.adapters.admins import admins, token_hash
from services.sipp.adapters.read_model import metadata

CHALLENGE_PREFIX = "mfa_"
CHALLENGE_LIFETIME = timedelta(minutes=5)
MAX_WRONG_CODES = 100  # consecutive wrong codes (NIST SP 800-63B 5.2.2)

login_challenges = sa.Table(
    "login_challenges",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("admin_id", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)


def _state(conn: sa.Connection, admin_id: str) -> dict | None:
    a = admins.c
    row = conn.execute(
        sa.select(a.email, a.totp_secret, a.totp_pending_secret, a.totp_last_step).where(
            a.id == admin_id, a.revoked_at.is_(None)
        )
    ).first()
    return dict(row._mapping) if row else None


def enabled(conn: sa.Connection, admin_id: str) -> bool:
    state = _state(conn, admin_id)
    return bool(state and state["totp_secret"])


def status(conn: sa.Connection, admin_id: str) -> dict:
    """{"enabled": bool, "pending": {"secret", "uri"} or None}."""
    state = _state(conn, admin_id) or {}
    pending = state.get("totp_pending_secret")
    return {
        "enabled": bool(state.get("totp_secret")),
        "pending": _shown(pending, state["email"]) if pending else None,
    }


def _shown(secret: str, email: str | None) -> dict:
    return {"secret": secret, "uri": totp.provisioning_uri(secret, email or "petugas")}


def begin(tx: sa.Connection, admin_id: str) -> dict | None:
    """A new secret to set up ({"secret", "uri"}), replacing one not yet
    confirmed; None when the second factor is on already."""
    state = _state(tx, admin_id)
    if state is None or state["totp_secret"]:
        return None
    secret = totp.new_secret()
    tx.execute(admins.update().where(admins.c.id == admin_id).values(totp_pending_secret=secret))
    return _shown(secret, state["email"])


def enable(tx: sa.Connection, admin_id: str, code: object, now: datetime) -> str | None:
    """Turn it on with a code of the secret being set up: None, or why not
    ("not_started", "wrong")."""
    state = _state(tx, admin_id)
    pending = (state or {}).get("totp_pending_secret")
    if not pending:
        return "not_started"
    step = totp.accepted_step(pending, code, now, None)
    if step is None:
        return "wrong"
    tx.execute(
        admins.update()
        .where(admins.c.id == admin_id, admins.c.totp_pending_secret == pending)
        .values(
            totp_secret=pending,
            totp_pending_secret=None,
            totp_enabled_at=now,
            totp_last_step=step,  # the code that turned it on does not log in
        )
    )
    return None


def use_code(tx: sa.Connection, admin_id: str, code: object, now: datetime) -> bool:
    """Whether `code` is the account's code now and was not used before; if so
    it is used up."""
    state = _state(tx, admin_id)
    secret = (state or {}).get("totp_secret")
    if not secret:
        return False
    step = totp.accepted_step(secret, code, now, state["totp_last_step"])
    if step is None:
        return False
    a = admins.c
    moved = tx.execute(
        admins.update()
        .where(
            a.id == admin_id,
            a.totp_secret == secret,
            sa.or_(a.totp_last_step.is_(None), a.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return moved.rowcount == 1


def blocked(conn: sa.Connection, admin_id: str) -> bool:
    """Whether the account gave MAX_WRONG_CODES wrong codes since its last
    login: then no code logs it in until `reset`."""
    wrong = conn.scalar(sa.select(admins.c.totp_wrong_codes).where(admins.c.id == admin_id))
    return (wrong or 0) >= MAX_WRONG_CODES


def count_wrong_code(tx: sa.Connection, admin_id: str) -> None:
    a = admins.c
    tx.execute(
        admins.update().where(a.id == admin_id).values(totp_wrong_codes=a.totp_wrong_codes + 1)
    )


def clear_wrong_codes(tx: sa.Connection, admin_id: str) -> None:
    """A successful login starts the count again."""
    a = admins.c
    tx.execute(
        admins.update().where(a.id == admin_id, a.totp_wrong_codes != 0).values(totp_wrong_codes=0)
    )


def reset(tx: sa.Connection, admin_id: str) -> bool:
    """Turn it off without a code (the admins command, for a lost phone, or an
    account blocked by MAX_WRONG_CODES); the count of wrong codes starts again."""
    done = tx.execute(
        admins.update()
        .where(admins.c.id == admin_id, admins.c.revoked_at.is_(None))
        .values(
            totp_secret=None,
            totp_pending_secret=None,
            totp_enabled_at=None,
            totp_last_step=None,
            totp_wrong_codes=0,
        )
    )
    end_challenges(tx, admin_id)
    return done.rowcount == 1


def new_challenge(tx: sa.Connection, admin_id: str, now: datetime) -> str:
    """A token that proves the password was right, for CHALLENGE_LIFETIME;
    only its hash is kept."""
    tx.execute(
        login_challenges.delete().where(login_challenges.c.created_at < now - CHALLENGE_LIFETIME)
    )
    token = CHALLENGE_PREFIX + secrets.token_urlsafe(32)
    tx.execute(
        login_challenges.insert().values(
            token_hash=token_hash(token), admin_id=admin_id, created_at=now
        )
    )
    return token


def challenge_admin(conn: sa.Connection, token: object, now: datetime) -> str | None:
    """The active account a live challenge was made for, or None."""
    if not isinstance(token, str) or not token.startswith(CHALLENGE_PREFIX) or len(token) > 100:
        return None
    c = login_challenges.c
    joined = login_challenges.join(admins, admins.c.id == c.admin_id)
    return conn.scalar(
        sa.select(c.admin_id)
        .select_from(joined)
        .where(
            c.token_hash == token_hash(token),
            c.created_at > now - CHALLENGE_LIFETIME,
            admins.c.revoked_at.is_(None),
        )
    )


def end_challenges(tx: sa.Connection, admin_id: str) -> None:
    tx.execute(login_challenges.delete().where(login_challenges.c.admin_id == admin_id))
