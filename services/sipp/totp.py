"""Officers' optional second factor: time-based one-time codes (TOTP, RFC 6238)
made by pyotp: 6 digits for each 30-second step, HMAC-SHA1, what authenticator
apps read from an `otpauth://` URI. Pure: no I/O, the time is given.

A code is accepted for the step of the moment or one step either side (phone
clocks drift), and only for a step later than the last one accepted for the
account, so a code seen once (over a shoulder, in a log) never works twice.

>>> secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
>>> at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
>>> step = accepted_step(secret, pyotp.TOTP(secret).at(at), at, last_step=None)
>>> step == time_step(at)
True
>>> accepted_step(secret, pyotp.TOTP(secret).at(at), at, last_step=step) is None
True
"""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime

import pyotp

ISSUER = "LAPOR!"
STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # steps accepted either side of now
_CODE = re.compile(rf"^\d{{{DIGITS}}}$")
_SECRET = re.compile(r"^[A-Z2-7]{32}$")


def new_secret() -> str:
    """160 random bits in base32 (32 characters), as RFC 4226 recommends."""
    return pyotp.random_base32(length=32)


def is_secret(value: object) -> bool:
    return isinstance(value, str) and _SECRET.match(value) is not None


def provisioning_uri(secret: str, account_name: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app reads (as text or a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def normal_code(code: object) -> str | None:
    """The 6 digits of a code as typed ("123 456" too), or None."""
    if not isinstance(code, str) or len(code) > 20:
        return None
    digits = re.sub(r"[\s-]", "", code)
    return digits if _CODE.match(digits) else None


def time_step(at: datetime) -> int:
    """The number of the 30-second step `at` lies in (since the Unix epoch)."""
    return int(at.astimezone(UTC).timestamp()) // STEP_SECONDS


def accepted_step(secret: str, code: object, at: datetime, last_step: int | None) -> int | None:
    """The step whose code `code` is, within DRIFT_STEPS of `at` and later
    than `last_step` (the last one accepted); None when it is not such a code."""
    digits = normal_code(code)
    if digits is None or not is_secret(secret):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None
