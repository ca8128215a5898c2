"""Rebuild benchmark: tracking's projections rebuilt from a generated log.

    python bench/rebuild.py [--events 100000] [--e2e-log .run/bench-e2e.log]

In a database of its own (created, migrated, dropped at the end):
1. generates case histories (services/tracking/tests/kpi_scenario.py) until
   the log holds --events events;
2. applies them live, through the consumer path (EventProcessor catch-up,
   one transaction per event and consumer), timing it;
3. `compare-projections`: rebuilds into a scratch schema and counts every
   differing row (must be 0);
4. `rebuild`: builds a fresh schema and swaps it in; rebuild events/s =
   events applied by the rebuild (per consumer) / its wall time.
With --e2e-log (the output of bench/e2e.py) it compares with the live
end-to-end rate: each routed report there is 2 events tracking applies.
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from lapor.consumer import EventProcessor  # noqa: E402
from lapor.contracts.report import report_stream  # noqa: E402
from lapor.db import create_engine  # noqa: E402
from lapor.eventstore import NO_STREAM, EventStore, NewEvent, head_position  # noqa: E402
from lapor.testing import isolation  # noqa: E402
from services.tracking import rebuild  # noqa: E402
from services.tracking.tests import kpi_scenario as sc  # noqa: E402

GOAL_RATIO = 20  # rebuild events/s against the live end-to-end events/s


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(engine: sa.Engine, events: int, seed: int) -> int:
    """Whole case histories, one append per report, until `events` are in the log."""
    rng, store, written = random.Random(seed), EventStore(engine), 0
    agencies = [f"dinas-{i}" for i in range(40)]
    regions = ["32.73", "32.04", "32.01", "31.71", "35.78"]
    while written < events:
        for plan in sc.make_plans(rng, 200, regions, agencies, ["pemkab-1", "pemkab-2"]):
            batch = [NewEvent(type_, data) for _, type_, data in sc.events_of(plan)]
            store.append(report_stream(plan.tracking_id), NO_STREAM, batch)
            written += len(batch)
        say(f"  generated {written} events")
    return written


def apply_live(engine: sa.Engine) -> dict:
    started, applied = time.perf_counter(), 0
    for item in rebuild.projections():
        processor = EventProcessor(item.subscription, engine, item.apply)
        processor.ensure_checkpoint()
        applied += processor.catch_up(grace_seconds=0)
    seconds = time.perf_counter() - started
    return {"live_applied": applied, "live_s": round(seconds, 1),
            "live_events_per_s": round(applied / seconds, 1)}  # fmt: skip


def e2e_rate(path: str | None) -> float | None:
    """reports_per_s of bench/e2e.py's JSON line, as tracking events/s."""
    if not path or not Path(path).exists():
        return None
    lines = [line for line in Path(path).read_text().splitlines() if line.startswith("{")]
    if not lines:
        return None
    reports = json.loads(lines[-1]).get("reports_per_s")
    return None if reports is None else 2 * reports  # report.submitted + report.routed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--e2e-log", help="output of bench/e2e.py (its last JSON line)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    name = isolation.unique_name("lapor_bench_rebuild")
    result: dict = {"events_requested": args.events}
    url = isolation.create_database(name)
    engine = create_engine(url, pool_size=2)
    try:
        say(f"database {name}: generating {args.events} events")
        result["events"] = generate(engine, args.events, args.seed)
        with engine.connect() as conn:
            result["log_head"] = head_position(conn)
        say("applying them live (consumer path)")
        result.update(apply_live(engine))
        say("comparing a rebuild with the live projections")
        found = rebuild.differences(engine)
        result["differing_rows"] = sum(len(r) for sides in found.values() for r in sides.values())
        say("rebuilding with swap")
        done = rebuild.rebuild(engine, say=say)
        result["rebuild_applied"] = done["events"]
        result["rebuild_s"] = round(done["seconds"], 2)
        result["rebuild_events_per_s"] = round(done["events"] / done["seconds"], 1)
        live = e2e_rate(args.e2e_log)
        result["e2e_tracking_events_per_s"] = live
        result["ratio_vs_e2e"] = round(result["rebuild_events_per_s"] / live, 1) if live else None
        result["goal_ratio"] = GOAL_RATIO
    except Exception as exc:  # the JSON line comes in every case
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        engine.dispose()
        if not args.keep:
            isolation.drop_database(name)
    print(json.dumps(result), flush=True)
    return 1 if "error" in result or result.get("differing_rows") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
