"""Officers' passwords: the rules a new one must meet, and argon2id hashing
(argon2-cffi, with its default RFC 9106 parameters). No I/O.

>>> password_error("kort")
'A password needs at least 12 characters.'
>>> verify(hash_password("kata sandi yang panjang"), "kata sandi yang panjang")
True
"""

from __future__ import annotations

import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing is deliberately slow; do not let a request make it slower
MAX_EMAIL = 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


def password_error(password: object) -> str | None:
    """Why `password` may not be set, or None."""
    if not isinstance(password, str):
        return "A password is text."
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"A password has at most {MAX_LENGTH} characters."
    if password.strip() != password:
        return "A password does not start or end with spaces."
    return None


def normal_email(email: object) -> str | None:
    """The login name as stored (trimmed, lower case), or None if it is not an email."""
    if not isinstance(email, str):
        return None
    email = email.strip().lower()
    return email if len(email) <= MAX_EMAIL and EMAIL.match(email) else None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an account without a password matches nothing,
    but takes as long to say so."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def burn(password: str) -> None:
    """Spend the time a real check would, so an unknown login name answers as
    slowly as a known one."""
    verify(None, password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password")
