"""Officers' passwords, sessions and the login rate limit, on the real database."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import eventlet
import pytest
import sqlalchemy as sa

from services.sipp import admins as admins_cli
from services.sipp import passwords
from services.sipp.adapters import admins, sessions
from services.sipp.admins import create_account
from services.sipp.domain import Agency
from services.sipp.handlers import register_agencies

PASSWORD = "kata sandi uji yang panjang"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def unit(engine) -> Agency:
    suffix = uuid.uuid4().hex[:8]
    city = Agency(f"pemkot-{suffix}", "Pemkot Uji", "city", "32.73", None, None)
    unit = Agency(f"{city.code}-dinkes", "Dinkes Uji", "unit", "32.73", city.code, "dinkes")
    register_agencies(engine, [city, unit])
    return unit


@pytest.fixture
def officer(engine, unit) -> dict:
    """An officer account with an email and a password: its id, email, API token."""
    email = f"petugas-{uuid.uuid4().hex[:8]}@dinkes.example.go.id"
    with engine.begin() as tx:
        admin_id, token, _ = create_account(tx, unit.code, "Petugas Uji", None, email)
        assert sessions.set_password(tx, admin_id, PASSWORD) is None
    return {"id": admin_id, "email": email, "token": token, "agency_code": unit.code}


def _login(engine, email, password, now=T0) -> dict:
    with engine.begin() as tx:
        return sessions.login(tx, email, password, now)


def _whoami(engine, token, now=T0) -> dict | None:
    with engine.begin() as tx:
        return sessions.account(tx, token, now)


def _status(answer: dict) -> int | None:
    return answer.get("error", {}).get("status")


def test_a_password_login_gives_a_session_that_acts_as_the_account(engine, officer):
    answer = _login(engine, officer["email"].upper(), PASSWORD)
    token = answer["session"]
    assert token.startswith("sess_") and answer["idle_seconds"] == 12 * 3600
    expected = {
        "actor": f"admin-{officer['id']}",
        "agency_code": officer["agency_code"],
        "role": "officer",
        "name": "Petugas Uji",
    }
    assert answer["account"] == expected
    assert _whoami(engine, token) == expected
    # the API token still works, and neither the password nor the session is stored as given
    assert _whoami(engine, officer["token"])["actor"] == expected["actor"]
    with engine.connect() as conn:
        stored = conn.execute(admins.admins.select().where(admins.admins.c.id == officer["id"]))
        password_hash = stored.one().password_hash
        table = sessions.sessions
        kept = conn.scalars(
            sa.select(table.c.token_hash).where(table.c.admin_id == officer["id"])
        ).all()
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash
    assert kept == [admins.token_hash(token)]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(engine, officer):
    wrong = _login(engine, officer["email"], PASSWORD + "x")
    unknown = _login(engine, "tidak-ada@example.go.id", PASSWORD)
    assert wrong == unknown
    assert _status(wrong) == 401 and "wrong" in wrong["error"]["errors"]["login"][0]
    assert _status(_login(engine, officer["email"], "")) == 400
    assert _status(_login(engine, None, PASSWORD)) == 401


def test_an_unknown_email_costs_a_password_hash_too(engine, officer):
    def took(email):
        started = time.perf_counter()
        _login(engine, email, PASSWORD + "x")
        return time.perf_counter() - started

    known = min(took(officer["email"]) for _ in range(3))
    unknown = min(took("tidak-ada@example.go.id") for _ in range(3))
    hashing = min(_timed_hash() for _ in range(3))
    assert unknown > hashing * 0.7 and unknown > known * 0.5


def _timed_hash() -> float:
    started = time.perf_counter()
    passwords.burn(PASSWORD)
    return time.perf_counter() - started


def test_a_session_ends_after_12_idle_hours_or_7_days_or_at_logout(engine, officer):
    token = _login(engine, officer["email"], PASSWORD)["session"]
    assert _whoami(engine, token, T0 + timedelta(hours=11))  # used: idle time restarts
    assert _whoami(engine, token, T0 + timedelta(hours=22))
    assert _whoami(engine, token, T0 + timedelta(hours=34, minutes=1)) is None

    kept_alive = _login(engine, officer["email"], PASSWORD)["session"]
    for hours in range(10, 7 * 24, 10):
        assert _whoami(engine, kept_alive, T0 + timedelta(hours=hours)), hours
    assert _whoami(engine, kept_alive, T0 + timedelta(days=7, hours=1)) is None

    token = _login(engine, officer["email"], PASSWORD)["session"]
    with engine.begin() as tx:
        assert sessions.logout(tx, token) is True
        assert sessions.logout(tx, token) is False
        assert sessions.logout(tx, officer["token"]) is False  # an API token is no session
    assert _whoami(engine, token) is None
    assert _whoami(engine, officer["token"]) is not None


def test_a_new_password_or_a_revocation_ends_every_session(engine, officer):
    first = _login(engine, officer["email"], PASSWORD)["session"]
    with engine.begin() as tx:
        assert sessions.set_password(tx, officer["id"], "sandi baru yang panjang") is None
    assert _whoami(engine, first) is None
    assert _status(_login(engine, officer["email"], PASSWORD)) == 401
    second = _login(engine, officer["email"], "sandi baru yang panjang")["session"]
    with engine.begin() as tx:
        assert admins.revoke(tx, officer["id"])
    assert _whoami(engine, second) is None
    assert _status(_login(engine, officer["email"], "sandi baru yang panjang")) == 401


def test_ten_failures_in_15_minutes_lock_the_account_until_they_age(engine, officer):
    for minute in range(10):
        answer = _login(engine, officer["email"], "salah", T0 + timedelta(minutes=minute))
        assert _status(answer) == 401
    locked = _login(engine, officer["email"], PASSWORD, T0 + timedelta(minutes=10))
    assert _status(locked) == 429
    assert "try again in 5 minutes" in locked["error"]["errors"]["login"][0]
    # the first failure has aged out: one more try, which succeeds and clears the count
    opened = _login(engine, officer["email"], PASSWORD, T0 + timedelta(minutes=15, seconds=1))
    assert opened.get("session")
    for _ in range(9):
        assert _status(_login(engine, officer["email"], "salah", T0 + timedelta(minutes=16))) == 401
    assert _login(engine, officer["email"], PASSWORD, T0 + timedelta(minutes=17)).get("session")


def test_parallel_wrong_passwords_never_get_past_the_limit(engine, officer):
    """Each check locks the account's row, so twenty guesses at once are
    checked one after another: the eleventh and later are refused unchecked."""
    pool = eventlet.GreenPool(20)
    answers = list(pool.imap(lambda _: _login(engine, officer["email"], "salah"), range(20)))
    statuses = sorted(_status(a) for a in answers)
    assert statuses == [401] * sessions.MAX_FAILURES + [429] * (20 - sessions.MAX_FAILURES)
    with engine.connect() as conn:
        failed = sessions.login_failures.c
        counted = conn.scalar(sa.select(sa.func.count()).where(failed.admin_id == officer["id"]))
    assert counted == sessions.MAX_FAILURES


def test_other_accounts_are_not_locked_by_failures_on_one(engine, unit, officer):
    email = f"lain-{uuid.uuid4().hex[:8]}@dinkes.example.go.id"
    with engine.begin() as tx:
        other_id, _, _ = create_account(tx, unit.code, "Lain", None, email)
        assert sessions.set_password(tx, other_id, PASSWORD) is None
    for _ in range(10):
        _login(engine, officer["email"], "salah")
    assert _status(_login(engine, officer["email"], PASSWORD)) == 429
    assert _login(engine, email, PASSWORD).get("session")


@pytest.mark.parametrize(
    ("password", "why"),
    [("pendek", "at least 12"), (" spasi di depan sandi", "spaces"), ("x" * 1025, "at most")],
)
def test_a_weak_password_is_refused(engine, officer, password, why):
    with engine.begin() as tx:
        assert why in sessions.set_password(tx, officer["id"], password)
    assert _login(engine, officer["email"], PASSWORD).get("session")


def test_an_email_belongs_to_one_active_account(engine, unit, officer):
    with pytest.raises(ValueError, match="already"), engine.begin() as tx:
        create_account(tx, unit.code, "Kembar", None, officer["email"].upper())
    with pytest.raises(ValueError, match="email"), engine.begin() as tx:
        create_account(tx, unit.code, "Salah", None, "bukan-email")


def test_the_command_sets_a_password_from_stdin_or_a_file(engine, pg_url, unit, tmp_path,
                                                          monkeypatch, capsys):  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", pg_url)
    email = f"cli-{uuid.uuid4().hex[:8]}@example.go.id"
    args = ["create", "--agency", unit.code, "--name", "Lewat CLI", "--email", email]
    assert admins_cli.main(args) == 0
    admin_id = capsys.readouterr().out.split()[1]
    secret = tmp_path / "sandi"
    secret.write_text("sandi dari berkas panjang\n")
    assert admins_cli.main(["set-password", admin_id, "--password-file", str(secret)]) == 0
    assert _login(engine, email, "sandi dari berkas panjang").get("session")

    monkeypatch.setattr("sys.stdin", _Lines("sandi dari stdin panjang\n"))
    assert admins_cli.main(["set-password", admin_id]) == 0
    assert _login(engine, email, "sandi dari stdin panjang").get("session")
    monkeypatch.setattr("sys.stdin", _Lines("pendek\n"))
    assert admins_cli.main(["set-password", admin_id]) == 1
    assert "at least 12" in capsys.readouterr().err
    assert admins_cli.main(["set-password", "tidakada", "--password-file", str(secret)]) == 1


class _Lines:
    def __init__(self, text: str):
        self.text = text

    def read(self) -> str:
        return self.text

    def isatty(self) -> bool:
        return False
