"""Routing's commands, added to the `lapor` CLI through its manifest's COMMANDS.

lapor sla-check [--now 2026-04-01T09:00:00+07:00] [--report TRACKING_ID ...]
    check every case's deadline once (or only those of the reports named),
    as the service's timer does, at that moment (default: now); prints what
    was escalated, warned, closed
lapor holidays add 2026-04-10 "Cuti bersama tambahan"
lapor holidays cancel 2026-12-24 "Cuti bersama Natal dibatalkan"
lapor holidays list [--year 2026]
    the holidays announced or cancelled after the `holidays` package
    knew of them; deadlines computed from then on count them
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime

from lapor.db import create_engine
from services.routing import handlers
from services.routing.adapters import cases
from services.routing.calendar import JAKARTA, official_holiday


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=JAKARTA)


def sla_check(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lapor sla-check")
    parser.add_argument(
        "--now", type=_moment, default=None, help="ISO time (default now; no offset: Jakarta)"
    )
    parser.add_argument(
        "--report", action="append", dest="reports", help="only this report (repeatable)"
    )
    args = parser.parse_args(argv)
    now = args.now or datetime.now(UTC)
    engine = create_engine(pool_size=1)
    try:
        settings = handlers.Settings.from_config(os.environ)
        outcome = handlers.check_deadlines(
            lambda: cases.begin(engine), now, settings, only=args.reports
        )
    finally:
        engine.dispose()
    for tracking_id, stage in outcome.escalated:
        print(f"escalated\t{tracking_id}\t{stage}")
    for tracking_id, stage in outcome.warned:
        print(f"warned\t{tracking_id}\t{stage}")
    for tracking_id in outcome.closed:
        print(f"closed\t{tracking_id}\tno_reply")
    print(f"{len(outcome.escalated)} escalated, {len(outcome.warned)} warned, "
          f"{len(outcome.closed)} closed")  # fmt: skip
    return 0


def holidays_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lapor holidays")
    actions = parser.add_subparsers(dest="action", required=True)
    for action in ("add", "cancel"):
        sub = actions.add_parser(action)
        sub.add_argument("day", type=date.fromisoformat, help="YYYY-MM-DD")
        sub.add_argument("name", help="the holiday, as announced")
    actions.add_parser("list").add_argument("--year", type=int)
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        with engine.begin() as tx:
            if args.action == "list":
                for row in cases.list_holidays(tx, args.year):
                    print(f"{row.day}\t{row.kind}\t{row.name}")
                return 0
            if args.action == "cancel" and official_holiday(args.day) is None:
                print(f"note: {args.day} is no national holiday or cuti bersama", file=sys.stderr)
            kind = "added" if args.action == "add" else "cancelled"
            cases.set_holiday(tx, args.day, kind, args.name)
            print(f"{args.day}\t{kind}\t{args.name}")
    finally:
        engine.dispose()
    return 0
