"""The rules of officers' one-time codes (services/sipp/totp.py): pure, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp

from services.sipp import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OTHER = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"
T0 = datetime(2026, 11, 23, 8, 0, 10, tzinfo=UTC)


def _code(at: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(at)


def test_a_new_secret_is_160_random_bits_and_its_uri_names_lapor_and_the_account():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and totp.is_secret(first) and len(first) == 32
    uri = urlparse(totp.provisioning_uri(first, "petugas@dinkes.example.go.id"))
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert uri.path == "/LAPOR%21:petugas%40dinkes.example.go.id"
    assert parse_qs(uri.query) == {"secret": [first], "issuer": ["LAPOR!"]}


def test_the_code_of_now_or_one_step_either_side_is_accepted_no_further():
    now = totp.time_step(T0)
    assert totp.accepted_step(SECRET, _code(T0), T0, None) == now
    assert totp.accepted_step(SECRET, _code(T0 - timedelta(seconds=30)), T0, None) == now - 1
    assert totp.accepted_step(SECRET, _code(T0 + timedelta(seconds=30)), T0, None) == now + 1
    assert totp.accepted_step(SECRET, _code(T0 - timedelta(seconds=60)), T0, None) is None
    assert totp.accepted_step(SECRET, _code(T0 + timedelta(seconds=60)), T0, None) is None


def test_a_code_is_not_accepted_again_nor_an_older_one_after_it():
    now = totp.time_step(T0)
    assert totp.accepted_step(SECRET, _code(T0), T0, last_step=now) is None
    earlier = _code(T0 - timedelta(seconds=30))
    assert totp.accepted_step(SECRET, earlier, T0, last_step=now) is None
    later = T0 + timedelta(seconds=30)
    assert totp.accepted_step(SECRET, _code(later), later, last_step=now) == now + 1


def test_codes_are_six_digits_as_typed_and_nothing_else():
    assert totp.normal_code(" 123 456 ") == "123456" and totp.normal_code("123-456") == "123456"
    for bad in ("12345", "1234567", "abcdef", "", None, 123456, "1" * 40):
        assert totp.normal_code(bad) is None
    assert totp.accepted_step(SECRET, "abcdef", T0, None) is None
    assert totp.accepted_step("not a secret", _code(T0), T0, None) is None
    # another account's code (fixed secrets: the outcome is certain)
    assert totp.accepted_step(SECRET, _code(T0, OTHER), T0, None) is None
