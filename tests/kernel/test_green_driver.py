"""psycopg2 cooperates with the eventlet hub: a query waiting inside PostgreSQL
lets other green threads run. Proven without timing: the waiting query can only
succeed if another green thread gets to release what it waits for."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import eventlet
import psycopg2
import sqlalchemy as sa

SCENARIO = textwrap.dedent(
    """
    import sys

    import eventlet
    import psycopg2

    def scenario(dsn, key, lock_timeout):
        holder = psycopg2.connect(dsn)
        holder.autocommit = True
        waiter = psycopg2.connect(dsn)
        waiter.autocommit = True
        holder.cursor().execute("SELECT pg_advisory_lock(%s)", (key,))

        def wait_for_lock():
            cursor = waiter.cursor()
            cursor.execute(f"SET lock_timeout = '{lock_timeout}'")
            try:
                cursor.execute("SELECT pg_advisory_lock(%s)", (key,))
            except psycopg2.errors.LockNotAvailable:
                return "timed out"
            cursor.execute("SELECT pg_advisory_unlock(%s)", (key,))
            return "acquired"

        waiting = eventlet.spawn(wait_for_lock)
        eventlet.sleep(0)  # the waiter sends its query and, if green, yields back
        holder.cursor().execute("SELECT pg_advisory_unlock(%s)", (key,))
        outcome = waiting.wait()
        holder.close()
        waiter.close()
        return outcome
    """
)


def dsn_of(engine: sa.Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_query_waiting_in_postgres_does_not_block_the_hub(engine):
    namespace: dict = {}
    exec(SCENARIO, namespace)  # noqa: S102 - the same code runs below without psycogreen
    key = random.randint(1, 2**40)

    outcome = namespace["scenario"](dsn_of(engine), key, "5s")

    assert outcome == "acquired"


def test_the_scenario_fails_when_psycopg2_is_not_green(engine):
    """The control: with psycopg2 left blocking, the waiter holds the hub, the holder
    never gets to unlock, and the waiter's lock_timeout ends the wait.

    `eventlet.monkey_patch()` greens psycopg2 itself by default (as psycogreen's
    `make_green` does), so the control must opt out of that as well."""
    key = random.randint(1, 2**40)
    program = SCENARIO + textwrap.dedent(
        f"""
        eventlet.monkey_patch(psycopg=False)
        assert psycopg2.extensions.get_wait_callback() is None
        print(scenario({dsn_of(engine)!r}, {key}, "300ms"))
        """
    )

    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "timed out"


def test_psycopg2_has_the_green_wait_callback():
    assert psycopg2.extensions.get_wait_callback() is not None
    assert eventlet.patcher.is_monkey_patched("socket")
