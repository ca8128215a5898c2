"""Tracking's commands, added to the `lapor` CLI through its manifest's COMMANDS."""

from __future__ import annotations

import argparse

from lapor.db import create_engine
from services.tracking import handlers


def verify_report(argv: list[str]) -> int:
    """`lapor verify-report TRACKING_ID`: is the report's history intact? Exit 0
    when it is, 1 when an event was tampered with (named), 2 for no such report."""
    parser = argparse.ArgumentParser(prog="lapor verify-report")
    parser.add_argument("tracking_id")
    args = parser.parse_args(argv)
    tracking_id = args.tracking_id.strip().upper()
    engine = create_engine(pool_size=1)
    try:
        with engine.connect() as conn:
            result = handlers.verify_report(conn, tracking_id)
    finally:
        engine.dispose()
    if result is None:
        print(f"{tracking_id}: no such report")
        return 2
    if result["intact"]:
        print(f"{tracking_id}: intact ({result['events']} events)")
        return 0
    bad = result["first_bad_event"]
    if bad:
        print(
            f"{tracking_id}: NOT intact; first bad event {bad['event_id']} "
            f"(version {bad['version']}, {bad['type']}, recorded {bad['recorded_at']})"
        )
    else:
        print(f"{tracking_id}: NOT intact")
    for problem in result["problems"]:
        print(f"  {problem}")
    return 1
