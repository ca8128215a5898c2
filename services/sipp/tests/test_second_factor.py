"""Officers' optional second factor on the real database: setting it up,
logging in with the code after the password, no code twice, wrong codes
counted as failed logins, turning it off, and the admins command's reset."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import eventlet
import pyotp
import pytest
import sqlalchemy as sa

from services.sipp import admins as admins_cli
from services.sipp.adapters import second_factor, sessions
from services.sipp.adapters.admins import admins as admins_table
from services.sipp.admins import create_account
from services.sipp.domain import Agency
from services.sipp.handlers import register_agencies

PASSWORD = "kata sandi uji yang panjang"
T0 = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC)


@pytest.fixture
def officer(engine) -> dict:
    suffix = uuid.uuid4().hex[:8]
    city = Agency(f"pemkot-{suffix}", "Pemkot Uji", "city", "32.73", None, None)
    unit = Agency(f"{city.code}-dinkes", "Dinkes Uji", "unit", "32.73", city.code, "dinkes")
    register_agencies(engine, [city, unit])
    email = f"petugas-{suffix}@dinkes.example.go.id"
    with engine.begin() as tx:
        admin_id, token, _ = create_account(tx, unit.code, "Petugas Uji", None, email)
        assert sessions.set_password(tx, admin_id, PASSWORD) is None
    return {"id": admin_id, "email": email, "token": token}


def _tx(engine, function, *args):
    with engine.begin() as tx:
        return function(tx, *args)


def _login(engine, officer, at=T0) -> dict:
    return _tx(engine, sessions.login, officer["email"], PASSWORD, at)


def _wrong_code(secret: str, at: datetime) -> str:
    """Six digits that are none of the codes accepted at `at`."""
    totp = pyotp.TOTP(secret)
    accepted = {totp.at(at + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def _status(answer: dict) -> int | None:
    return answer.get("error", {}).get("status")


def _enabled(engine, officer, at=T0) -> tuple[str, str]:
    """(session, secret) of an officer who has just turned the second factor on."""
    session = _login(engine, officer, at)["session"]
    shown = _tx(engine, sessions.totp_begin, session, at)
    code = pyotp.TOTP(shown["secret"]).at(at)
    assert _tx(engine, sessions.totp_enable, session, code, PASSWORD, at) == {"enabled": True}
    return session, shown["secret"]


def test_setting_up_shows_a_secret_and_takes_effect_only_with_its_code(engine, officer):
    session = _login(engine, officer)["session"]
    assert _tx(engine, sessions.totp_status, session, T0) == {"enabled": False, "pending": None}
    shown = _tx(engine, sessions.totp_begin, session, T0)
    assert shown["uri"] == pyotp.TOTP(shown["secret"]).provisioning_uri(
        name=officer["email"], issuer_name="LAPOR!"
    )
    assert _tx(engine, sessions.totp_status, session, T0) == {"enabled": False, "pending": shown}
    wrong = _tx(
        engine, sessions.totp_enable, session, _wrong_code(shown["secret"], T0), PASSWORD, T0
    )
    assert _status(wrong) == 400 and "code" in wrong["error"]["errors"]
    assert _status(_tx(engine, sessions.totp_enable, session, "12345", PASSWORD, T0)) == 400
    assert _login(engine, officer).get("session")  # not on yet: the password alone
    # starting again replaces the secret not yet confirmed
    again = _tx(engine, sessions.totp_begin, session, T0)
    assert again["secret"] != shown["secret"]
    old_code = pyotp.TOTP(shown["secret"]).at(T0)
    assert _status(_tx(engine, sessions.totp_enable, session, old_code, PASSWORD, T0)) == 400
    code = pyotp.TOTP(again["secret"]).at(T0)
    assert _tx(engine, sessions.totp_enable, session, code, PASSWORD, T0) == {"enabled": True}
    assert _tx(engine, sessions.totp_status, session, T0) == {"enabled": True, "pending": None}
    assert _status(_tx(engine, sessions.totp_begin, session, T0)) == 409
    # only a person's session manages it, not an API token
    assert _status(_tx(engine, sessions.totp_status, officer["token"], T0)) == 401


def test_with_it_on_the_password_gives_a_challenge_and_the_code_the_session(engine, officer):
    _, secret = _enabled(engine, officer)
    later = T0 + timedelta(minutes=1)
    answer = _login(engine, officer, later)
    assert set(answer) == {"totp_required", "challenge", "challenge_seconds"}
    assert answer["challenge"].startswith("mfa_")
    assert _tx(engine, sessions.account, answer["challenge"], later) is None  # no session
    code = pyotp.TOTP(secret).at(later)
    done = _tx(engine, sessions.login_code, answer["challenge"], code, later)
    assert done["session"].startswith("sess_")
    assert done["account"]["actor"] == f"admin-{officer['id']}"
    # the challenge is used up
    assert _status(_tx(engine, sessions.login_code, answer["challenge"], code, later)) == 401


def test_the_same_code_is_refused_within_its_window(engine, officer):
    _, secret = _enabled(engine, officer)
    later = T0 + timedelta(minutes=2)
    code = pyotp.TOTP(secret).at(later)
    first = _login(engine, officer, later)["challenge"]
    assert _tx(engine, sessions.login_code, first, code, later).get("session")
    second = _login(engine, officer, later + timedelta(seconds=10))["challenge"]
    replayed = _tx(engine, sessions.login_code, second, code, later + timedelta(seconds=10))
    assert _status(replayed) == 401 and "already used" in replayed["error"]["errors"]["code"][0]
    # the code that turned it on does not log in either
    assert _status(_tx(engine, sessions.login_code, second, pyotp.TOTP(secret).at(T0), T0)) == 401
    nxt = later + timedelta(seconds=30)
    assert _tx(engine, sessions.login_code, second, pyotp.TOTP(secret).at(nxt), nxt).get("session")


def test_wrong_codes_count_with_wrong_passwords_and_a_right_password_does_not_clear_them(
    engine, officer
):
    _, secret = _enabled(engine, officer)
    at = T0 + timedelta(minutes=3)
    for _ in range(5):
        assert _status(_tx(engine, sessions.login, officer["email"], "salah", at)) == 401
    for _ in range(5):
        challenge = _login(engine, officer, at)["challenge"]  # the right password
        wrong = _wrong_code(secret, at)
        assert _status(_tx(engine, sessions.login_code, challenge, wrong, at)) == 401
    locked = _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(at), at)
    assert _status(locked) == 429
    assert _status(_login(engine, officer, at)) == 429
    # the failures age out; a whole login clears the count
    free = at + timedelta(minutes=16)
    challenge = _login(engine, officer, free)["challenge"]
    assert _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(free), free)["session"]


def test_a_challenge_lasts_five_minutes_and_ends_with_a_new_password(engine, officer):
    _, secret = _enabled(engine, officer)
    at = T0 + timedelta(minutes=4)
    challenge = _login(engine, officer, at)["challenge"]
    late = at + timedelta(minutes=5, seconds=1)
    expired = _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(late), late)
    assert _status(expired) == 401 and "login" in expired["error"]["errors"]
    challenge = _login(engine, officer, at)["challenge"]
    _tx(engine, sessions.set_password, officer["id"], "sandi baru yang panjang sekali")
    ended = _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(at), at)
    assert _status(ended) == 401
    assert _status(_tx(engine, sessions.login_code, "mfa_bukan", "123456", at)) == 401


def test_turning_it_off_takes_a_current_code(engine, officer):
    session, secret = _enabled(engine, officer)
    at = T0 + timedelta(minutes=6)
    session = _tx(engine, sessions.login_code, _login(engine, officer, at)["challenge"],
                  pyotp.TOTP(secret).at(at), at)["session"]  # fmt: skip
    off_at = at + timedelta(seconds=30)
    wrong = _wrong_code(secret, off_at)
    assert _status(_tx(engine, sessions.totp_disable, session, wrong, off_at)) == 400
    code = pyotp.TOTP(secret).at(off_at)
    assert _tx(engine, sessions.totp_disable, session, code, off_at) == {"enabled": False}
    assert _status(_tx(engine, sessions.totp_disable, session, code, off_at)) == 409
    assert _login(engine, officer, off_at).get("session")  # the password alone again


def test_the_admins_command_turns_it_off_for_a_lost_phone(engine, pg_url, officer, monkeypatch,
                                                          capsys):  # fmt: skip
    _enabled(engine, officer)
    assert _login(engine, officer).get("totp_required")
    monkeypatch.setenv("DATABASE_URL", pg_url)
    assert admins_cli.main(["disable-totp", officer["id"]]) == 0
    assert "turned off" in capsys.readouterr().out
    assert _login(engine, officer).get("session")
    with engine.connect() as conn:
        assert second_factor.status(conn, officer["id"]) == {"enabled": False, "pending": None}
    assert admins_cli.main(["disable-totp", "tidak-ada"]) == 1


def test_parallel_wrong_codes_never_get_past_the_limit(engine, officer):
    _, secret = _enabled(engine, officer)
    at = T0 + timedelta(minutes=7)
    challenges = [_login(engine, officer, at)["challenge"] for _ in range(20)]
    wrong = _wrong_code(secret, at)
    pool = eventlet.GreenPool(20)
    answers = list(pool.imap(lambda c: _tx(engine, sessions.login_code, c, wrong, at), challenges))
    statuses = sorted(_status(a) for a in answers)
    assert statuses == [401] * sessions.MAX_FAILURES + [429] * (20 - sessions.MAX_FAILURES)
    assert _wrong_codes(engine, officer) == sessions.MAX_FAILURES


def _wrong_codes(engine, officer) -> int:
    with engine.connect() as conn:
        a = admins_table.c
        return conn.scalar(sa.select(a.totp_wrong_codes).where(a.id == officer["id"]))


def test_a_hundred_wrong_codes_block_code_logins_until_an_admin_turns_it_off(
    engine, pg_url, officer, monkeypatch
):
    session, secret = _enabled(engine, officer)
    at = T0 + timedelta(minutes=8)
    # a right login clears the count of wrong codes
    challenge = _login(engine, officer, at)["challenge"]
    for _ in range(3):
        assert (
            _status(_tx(engine, sessions.login_code, challenge, _wrong_code(secret, at), at)) == 401
        )
    assert _wrong_codes(engine, officer) == 3
    assert _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(at), at)["session"]
    assert _wrong_codes(engine, officer) == 0
    # ten wrong codes in each 15-minute window, ten windows: the cap, rolling lock or not
    for window in range(second_factor.MAX_WRONG_CODES // sessions.MAX_FAILURES):
        at = T0 + timedelta(minutes=10 + 16 * window)
        challenge = _login(engine, officer, at)["challenge"]
        for _ in range(sessions.MAX_FAILURES):
            wrong = _wrong_code(secret, at)
            assert _status(_tx(engine, sessions.login_code, challenge, wrong, at)) == 401
    assert _wrong_codes(engine, officer) == second_factor.MAX_WRONG_CODES
    at += timedelta(minutes=16)  # the rolling lock is over; the cap is not
    with engine.begin() as tx:  # a challenge made before the cap was reached
        challenge = second_factor.new_challenge(tx, officer["id"], at)
    blocked = _tx(engine, sessions.login_code, challenge, pyotp.TOTP(secret).at(at), at)
    assert _status(blocked) == 403 and blocked["error"]["totp_blocked"]
    assert "agency admin" in blocked["error"]["errors"]["login"][0]
    assert _status(_login(engine, officer, at)) == 403  # the right password gets no challenge
    off = _tx(engine, sessions.totp_disable, session, pyotp.TOTP(secret).at(at), at)
    assert _status(off) == 403  # nor does an older session turn it off
    assert _wrong_codes(engine, officer) == second_factor.MAX_WRONG_CODES  # not counted further
    # the admin turns it off: the password logs in again, and the count starts again
    monkeypatch.setenv("DATABASE_URL", pg_url)
    assert admins_cli.main(["disable-totp", officer["id"]]) == 0
    assert _wrong_codes(engine, officer) == 0
    assert _login(engine, officer, at).get("session")


def test_turning_it_on_takes_the_password_and_ends_the_other_sessions(engine, officer):
    other = _login(engine, officer)["session"]  # e.g. a stolen cookie, or another browser
    session = _login(engine, officer)["session"]
    shown = _tx(engine, sessions.totp_begin, session, T0)
    code = pyotp.TOTP(shown["secret"]).at(T0)
    missing = _tx(engine, sessions.totp_enable, session, code, "", T0)
    assert _status(missing) == 400 and set(missing["error"]["errors"]) == {"password"}
    both = _tx(engine, sessions.totp_enable, session, "12", None, T0)
    assert set(both["error"]["errors"]) == {"password", "code"}
    wrong = _tx(engine, sessions.totp_enable, session, code, "bukan sandinya sama sekali", T0)
    assert wrong == {"error": {"status": 400, "errors": {"password": [sessions.WRONG_PASSWORD]}}}
    assert _tx(engine, sessions.totp_status, session, T0)["enabled"] is False
    # a wrong password there counts as a failed login: a stolen session cannot guess on
    for _ in range(sessions.MAX_FAILURES - 1):
        _tx(engine, sessions.totp_enable, session, code, "bukan sandinya sama sekali", T0)
    assert _status(_tx(engine, sessions.totp_enable, session, code, PASSWORD, T0)) == 429
    later = T0 + timedelta(minutes=16)
    code = pyotp.TOTP(shown["secret"]).at(later)
    assert _tx(engine, sessions.totp_enable, session, code, PASSWORD, later) == {"enabled": True}
    assert _tx(engine, sessions.account, session, later)["actor"] == f"admin-{officer['id']}"
    assert _tx(engine, sessions.account, other, later) is None
