"""End-to-end benchmark: reports through the gateway until routed and visible.

    python bench/e2e.py [--reports N] [--concurrency C]      # or: make bench BENCH_ARGS="..."

In one run, against a database, RabbitMQ vhost and ports of its own:

1. starts the whole stack (every service its own process) with a seeded catalogue;
2. measures this machine's baselines on the same broker and database:
   kombu persistent publish with one confirm per message, then consume;
   a single-row SQLAlchemy insert + commit; a no-op HTTP round trip on the gateway;
3. drives N reports through POST /api/v1/reports with C client threads, each
   polling GET /api/v1/reports/<id> until the report shows as routed.

The last line of output is one JSON object (see bench/README.md). Everything it
started is torn down at the end, on failure and on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import kombu  # noqa: E402
import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from deploy.local.stack import SERVICES, Stack  # noqa: E402
from lapor.db import create_engine  # noqa: E402
from lapor.testing import isolation  # noqa: E402

CATEGORIES = ("kependudukan", "kesehatan", "pendidikan", "perizinan")
# regencies and cities of West Java (province 32): Kota Bandung, Kab. Bandung,
# Kab. Bogor, Kota Bogor, Kab. Bekasi, Kota Depok, Kab. Cirebon, Kota Bekasi
REGIONS = ("32.73", "32.04", "32.01", "32.71", "32.16", "32.76", "32.09", "32.75")
REPORT_TYPES = ("pengaduan", "aspirasi", "permintaan_informasi")


class Interrupted(BaseException):
    """SIGTERM, treated like Ctrl-C: stop and tear down."""


def on_sigterm(signum, frame) -> None:
    raise Interrupted()


def say(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n*q/100), at least 1
    return ordered[int(rank) - 1]


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# -- setup -------------------------------------------------------------------


def pg_connections() -> tuple[int, int]:
    """(connections in use, max_connections) on the shared PostgreSQL server."""
    admin = create_engine(isolation.PG_ADMIN_URL, pool_size=1)
    try:
        with admin.connect() as conn:
            in_use = conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity")).scalar()
            limit = int(conn.execute(sa.text("SHOW max_connections")).scalar())
    finally:
        admin.dispose()
    return in_use, limit


def wait_for_agencies(engine: sa.Engine, timeout: float) -> int:
    """Until routing has projected every agency the catalogue registered."""
    started = time.monotonic()
    deadline = started + timeout
    last_print = 0.0
    while True:
        with engine.connect() as conn:
            registered = conn.execute(
                sa.text("SELECT count(*) FROM lapor.streams WHERE stream LIKE 'agency-%'")
            ).scalar()
            projected = conn.execute(sa.text("SELECT count(*) FROM routing.agencies")).scalar()
        if registered and projected >= registered:
            say(f"routing has projected {projected}/{registered} agencies "
                f"({time.monotonic() - started:.1f} s)")  # fmt: skip
            return projected
        if time.monotonic() > deadline:
            raise TimeoutError(f"routing projected only {projected}/{registered} agencies")
        if time.monotonic() - last_print > 5:
            say(f"  waiting for routing: {projected}/{registered} agencies projected")
            last_print = time.monotonic()
        time.sleep(0.25)


def stop_stack(stack: Stack, grace: float = 15.0) -> None:
    """stop_all(), then make sure: Stack.kill() forgets a process's pidfile as
    soon as it has sent SIGTERM, so stop_all() never SIGKILLs one that hangs in
    shutdown. Survivors here get SIGKILL before the database and vhost go."""
    pids = []
    for name, replica in stack.running():
        try:
            pids.append((f"{name}-{replica}", int(stack._pidfile(name, replica).read_text())))
        except (OSError, ValueError):
            continue
    stack.stop_all()

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    deadline = time.monotonic() + grace
    while any(alive(pid) for _, pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    for label, pid in pids:
        if alive(pid):
            say(f"teardown: {label} (pid {pid}) ignored SIGTERM for {grace:.0f} s; SIGKILL")
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# -- baselines ---------------------------------------------------------------


def baseline_mq(amqp_uri: str, count: int, max_seconds: float) -> dict:
    """Persistent publishes to a durable queue, each waiting for its confirm; then
    consume them all with one ack per message (prefetch 100)."""
    body = json.dumps({"type": "bench.baseline", "pad": "x" * 400}).encode()
    queue = kombu.Queue("bench.baseline", kombu.Exchange("bench.baseline", "direct", durable=True),
                        routing_key="bench", durable=True)  # fmt: skip
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        channel = conn.channel()
        queue(channel).declare()
        queue(channel).purge()
        producer = kombu.Producer(channel, exchange=queue.exchange, routing_key="bench")
        started = time.perf_counter()
        published = 0
        while published < count and time.perf_counter() - started < max_seconds:
            producer.publish(body, delivery_mode=2, content_type="application/json",
                             content_encoding="binary")  # fmt: skip
            published += 1
        publish_seconds = time.perf_counter() - started

        consumed = 0

        def on_message(message):
            nonlocal consumed
            message.ack()
            consumed += 1

        started = time.perf_counter()
        with kombu.Consumer(channel, queues=[queue], callbacks=[], accept=None,
                            prefetch_count=100, on_message=on_message):  # fmt: skip
            while consumed < published:
                try:
                    conn.drain_events(timeout=10)
                except TimeoutError:
                    break
        consume_seconds = time.perf_counter() - started
        queue(channel).delete()
        queue.exchange(channel).delete()
        channel.close()
    return {
        "published": published,
        "publish_per_s": published / publish_seconds,
        "consumed": consumed,
        "consume_per_s": consumed / consume_seconds if consume_seconds else None,
    }


def baseline_pg(engine: sa.Engine, count: int, max_seconds: float) -> dict:
    """One single-row INSERT and COMMIT per iteration, on a scratch table."""
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS public.bench_scratch ("
                             " id bigserial PRIMARY KEY, payload text NOT NULL,"
                             " created_at timestamptz NOT NULL DEFAULT now())"))  # fmt: skip
    insert = sa.text("INSERT INTO public.bench_scratch (payload) VALUES (:payload)")
    payload = "x" * 400
    commits = 0
    with engine.connect() as conn:
        started = time.perf_counter()
        while commits < count and time.perf_counter() - started < max_seconds:
            conn.execute(insert, {"payload": payload})
            conn.commit()
            commits += 1
        seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE public.bench_scratch"))
    return {"commits": commits, "commit_per_s": commits / seconds}


def baseline_http(base_url: str, count: int, max_seconds: float) -> dict:
    """Sequential GET /api/v1/ping on the gateway over one keep-alive connection."""
    session = requests.Session()
    url = f"{base_url}/api/v1/ping"
    for _ in range(20):  # warm the connection and the gateway
        session.get(url, timeout=10).raise_for_status()
    timings = []
    started = time.perf_counter()
    while len(timings) < count and time.perf_counter() - started < max_seconds:
        t0 = time.perf_counter()
        answer = session.get(url, timeout=10)
        timings.append(time.perf_counter() - t0)
        answer.raise_for_status()
    seconds = time.perf_counter() - started
    session.close()
    return {
        "requests": len(timings),
        "per_s": len(timings) / seconds,
        "p50_ms": percentile(timings, 50) * 1000,
    }


# -- end to end --------------------------------------------------------------


class Driver:
    """Client threads submit reports and poll each until it is routed."""

    def __init__(self, base_url: str, poll_interval: float, timeout: float,
                 stuck_grace: float = 2.0):  # fmt: skip
        self.base_url = base_url
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.stuck_grace = stuck_grace
        self.run_deadline = float("inf")
        self.stop = threading.Event()
        self._local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    @staticmethod
    def payload(i: int) -> dict:
        body = {
            "title": f"Bench report {i}: layanan publik terhambat",
            "description": (
                f"Laporan uji beban nomor {i}. Antrean layanan sangat panjang dan "
                "petugas tidak memberi kepastian waktu penyelesaian."
            ),
            "category": CATEGORIES[i % len(CATEGORIES)],
            "region_code": REGIONS[(i // len(CATEGORIES)) % len(REGIONS)],  # all 32 pairs
            "report_type": REPORT_TYPES[i % len(REPORT_TYPES)],
        }
        if i % 3 == 0:
            body["reporter"] = {"name": f"Pelapor {i}", "email": f"pelapor{i}@example.org"}
        return body

    def one(self, i: int) -> dict:
        """Submit report i and poll until routed. Times from just before the POST."""
        result = {"i": i, "ok": False, "polls": 0}
        if self.stop.is_set() or time.perf_counter() > self.run_deadline:
            result["error"] = "not submitted: run deadline"
            return result
        session = self.session()
        t0 = time.perf_counter()
        result["t0"] = t0
        try:
            answer = session.post(f"{self.base_url}/api/v1/reports", json=self.payload(i),
                                  timeout=self.timeout)  # fmt: skip
        except requests.RequestException as exc:
            result["error"] = f"POST {type(exc).__name__}"
            return result
        result["submit_s"] = time.perf_counter() - t0
        if answer.status_code != 201:
            result["error"] = f"POST {answer.status_code}: {answer.text[:200]}"
            return result
        tracking_id = answer.json()["tracking_id"]
        result["tracking_id"] = tracking_id
        url = f"{self.base_url}/api/v1/reports/{tracking_id}"
        deadline = t0 + self.timeout
        status, routed_in_timeline = None, None
        while True:
            if self.stop.is_set() or time.perf_counter() > self.run_deadline:
                result["error"] = f"run deadline while polling (last status {status})"
                return result
            try:
                seen = session.get(url, timeout=max(deadline - time.perf_counter(), 0.5))
            except requests.RequestException as exc:
                result["error"] = f"GET {type(exc).__name__}"
                return result
            now = time.perf_counter()
            result["polls"] += 1
            if seen.status_code == 200:
                report = seen.json()
                status = report["status"]
                routed = any(e.get("type") == "report.routed" for e in report.get("timeline", ()))
                if routed and status != "submitted":  # routing decided: its owner shows
                    agency = (report.get("agency") or {}).get("code")
                    result.update(ok=True, t_routed=now, latency_s=now - t0, agency=agency)
                    return result
                # tracking recorded the routing in the timeline but not in the status:
                # it will not change any more (see the tracking projection)
                if routed:
                    routed_in_timeline = routed_in_timeline or now
                    if now - routed_in_timeline > self.stuck_grace:
                        result["error"] = (f"stuck: timeline has report.routed but status is "
                                           f"{status!r} for {self.stuck_grace:.0f} s")  # fmt: skip
                        return result
            elif seen.status_code != 404:  # 404: not projected by tracking yet
                result["error"] = f"GET {seen.status_code}: {seen.text[:200]}"
                return result
            if now + self.poll_interval > deadline:
                result["error"] = f"timeout after {self.timeout:.0f} s (last status {status})"
                return result
            time.sleep(self.poll_interval)

    def run(self, first: int, count: int, concurrency: int,
            max_seconds: float = float("inf")) -> tuple[list[dict], float]:  # fmt: skip
        """Reports first..first+count-1 with `concurrency` threads; (results, wall seconds).

        After `max_seconds` no new report is submitted and polling stops; what
        was not routed by then counts as an error."""
        results = []
        pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="client")
        try:
            started = time.perf_counter()
            self.run_deadline = started + max_seconds
            futures = [pool.submit(self.one, first + k) for k in range(count)]
            for future in as_completed(futures):
                results.append(future.result())
            wall_end = max((r["t_routed"] for r in results if r["ok"]), default=time.perf_counter())
            first_post = min((r["t0"] for r in results if "t0" in r), default=started)
            return results, wall_end - first_post
        finally:
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            self.stop.clear()


def summarise(results: list[dict], wall: float) -> dict:
    ok = [r for r in results if r["ok"]]
    latencies = [r["latency_s"] * 1000 for r in ok]
    submits = [r["submit_s"] * 1000 for r in results if "submit_s" in r]
    errors: dict[str, int] = {}
    for r in results:
        if not r["ok"]:
            kind = r.get("error", "unknown").split(":")[0]
            errors[kind] = errors.get(kind, 0) + 1
    agencies: dict[str, int] = {}
    for r in ok:
        agencies[r["agency"]] = agencies.get(r["agency"], 0) + 1
    return {
        "routed": len(ok),
        "errors": len(results) - len(ok),
        "error_kinds": errors,
        "wall_s": wall,
        "reports_per_s": len(ok) / wall if wall > 0 else None,
        "p50_ms": percentile(latencies, 50),
        "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies) if latencies else None,
        "mean_ms": statistics.fmean(latencies) if latencies else None,
        "submit_p50_ms": percentile(submits, 50),
        "submit_p99_ms": percentile(submits, 99),
        "polls_per_report": (sum(r["polls"] for r in results) / len(results)) if results else None,
        "distinct_agencies": len(agencies),
        "first_error": next((r["error"] for r in results if not r["ok"]), None),
    }


# -- scaling -----------------------------------------------------------------

# Services where a second replica can share the work: the relay has one active
# leader (the other waits on a lock), mail is the bench's own catcher.
SCALABLE = tuple(name for name in SERVICES if name != "relay")


def busiest(cpu: dict[str, float]) -> str:
    """The scalable service whose processes used the most CPU during the run."""
    per_service: dict[str, float] = {}
    for label, seconds in cpu.items():
        name = label.rsplit("-", 1)[0]
        if name in SCALABLE:
            per_service[name] = per_service.get(name, 0.0) + seconds
    return max(per_service, key=per_service.get)


def scale_run(stack: Stack, driver: Driver, args: argparse.Namespace, replicas: dict,
              cpu: dict, first: int) -> dict:  # fmt: skip
    """Start one more replica of `--scale` (or of the busiest service), then drive
    the same number of reports again on the same stack and database."""
    name = busiest(cpu) if args.scale == "auto" else args.scale
    replica = replicas.get(name, 1) + 1
    result: dict = {"service": name, "replicas": replica}
    port = stack.port(name, replica)
    if not port_free(port):
        say(f"scaled run skipped: port {port} for {name}-{replica} is in use")
        result["error"] = f"port {port} in use"
        return result
    stack.start(name, replica)
    stack.wait_ready(name, replica)
    replicas[name] = replica
    time.sleep(1.0)  # the new consumer's first catch-up pass
    before = cpu_seconds(stack)
    run, wall = driver.run(first, args.reports, args.concurrency, args.max_run_seconds)
    after = cpu_seconds(stack)
    summary = summarise(run, wall)
    say(f"end to end with {replica} replicas of {name}: {summary['routed']}/{args.reports} "
        f"routed in {wall:.2f} s: {summary['reports_per_s'] or 0:.1f} reports/s, "
        f"p50 {rounded(summary['p50_ms'])} ms, p99 {rounded(summary['p99_ms'])} ms, "
        f"errors {summary['errors']}")  # fmt: skip
    result.update({
        "reports_per_s": rounded(summary["reports_per_s"], 2),
        "p50_ms": rounded(summary["p50_ms"]),
        "p99_ms": rounded(summary["p99_ms"]),
        "routed": summary["routed"],
        "errors": summary["errors"],
        "error_kinds": summary["error_kinds"],
        "wall_s": rounded(wall, 3),
        "service_cpu_s": {k: round(v - before.get(k, 0.0), 1) for k, v in after.items()},
    })  # fmt: skip
    return result


# -- diagnostics -------------------------------------------------------------

# Per report, from the event log and the consumers' inboxes (recorded_at: when the
# event was appended, before its commit; handled_at: when the consumer's
# transaction began). Warm-up reports included.
_HOPS = """
WITH hop AS (
  SELECT extract(epoch FROM ir.handled_at - es.recorded_at) * 1000 AS to_routing,
         extract(epoch FROM er.recorded_at - ir.handled_at) * 1000 AS routing_tx,
         extract(epoch FROM it.handled_at - er.recorded_at) * 1000 AS to_tracking,
         extract(epoch FROM it.handled_at - es.recorded_at) * 1000 AS total
  FROM lapor.events es
  JOIN lapor.events er ON er.stream = es.stream AND er.type = 'report.routed'
  JOIN lapor.inbox ir ON ir.consumer = 'routing.assign' AND ir.event_id = es.event_id
  JOIN lapor.inbox it ON it.consumer = 'tracking.reports' AND it.event_id = er.event_id
  WHERE es.type = 'report.submitted')
SELECT q, percentile_cont(q) WITHIN GROUP (ORDER BY to_routing),
       percentile_cont(q) WITHIN GROUP (ORDER BY routing_tx),
       percentile_cont(q) WITHIN GROUP (ORDER BY to_tracking),
       percentile_cont(q) WITHIN GROUP (ORDER BY total)
FROM hop, unnest(ARRAY[0.5, 0.9, 0.99]) AS q GROUP BY q ORDER BY q"""


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """User+system CPU seconds each service process has used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for name, replica in stack.running():
        try:
            pid = int(stack._pidfile(name, replica).read_text())
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[f"{name}-{replica}"] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    return found


def pipeline_hops(engine: sa.Engine) -> dict:
    """Percentiles (ms) of each hop between intake's append and tracking's projection."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text(_HOPS)).all()
    names = ("submitted_to_routing", "routing_tx", "routed_to_tracking", "submitted_to_tracking")
    return {
        name: {f"p{round(r[0] * 100)}": rounded(r[i + 1]) for r in rows}
        for i, name in enumerate(names)
    }


def diagnose(engine: sa.Engine, vhost: str) -> dict:
    """The pipeline's state after the run: where do reports stop?"""
    found: dict = {}
    with engine.connect() as conn:
        found["events"] = dict(
            conn.execute(
                sa.text("SELECT type, count(*) FROM lapor.events GROUP BY type ORDER BY type")
            ).all()
        )
        found["head_position"] = conn.execute(
            sa.text("SELECT coalesce(max(position), 0) FROM lapor.events")
        ).scalar()
        found["checkpoints"] = dict(
            conn.execute(
                sa.text("SELECT consumer, position FROM lapor.checkpoints ORDER BY consumer")
            ).all()
        )
        found["inbox"] = dict(
            conn.execute(
                sa.text("SELECT consumer || ':' || outcome, count(*) FROM lapor.inbox GROUP BY 1")
            ).all()
        )
        found["parked"] = conn.execute(sa.text("SELECT count(*) FROM lapor.parked")).scalar()
        found["parked_reasons"] = [
            r
            for (r,) in conn.execute(
                sa.text("SELECT DISTINCT left(reason, 200) FROM lapor.parked LIMIT 3")
            )
        ]
        found["failing_attempts"] = [
            {"consumer": c, "attempts": a, "error": e}
            for c, a, e in conn.execute(
                sa.text(
                    "SELECT consumer, attempts, left(last_error, 300) FROM lapor.attempts LIMIT 3"
                )
            )
        ]
        found["tracking_status"] = dict(
            conn.execute(
                sa.text("SELECT status, count(*) FROM tracking.reports GROUP BY status")
            ).all()
        )
    queues = subprocess.run(["rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "messages",
                             "messages_unacknowledged", "consumers"],
                            capture_output=True, text=True)  # fmt: skip
    found["queues"] = {
        cols[0]: {"ready": int(cols[1]), "unacked": int(cols[2]), "consumers": int(cols[3])}
        for cols in (line.split() for line in queues.stdout.splitlines())
        if len(cols) == 4 and cols[1].isdigit()
    }
    return found


# -- main --------------------------------------------------------------------


def arguments(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", "-n", type=int, default=int(env("BENCH_REPORTS", 500)))
    parser.add_argument("--concurrency", "-c", type=int,
                        default=int(env("BENCH_CONCURRENCY", 8)))  # fmt: skip
    parser.add_argument("--warmup", type=int, default=int(env("BENCH_WARMUP", 20)))
    parser.add_argument("--poll-ms", type=float, default=20.0, help="poll interval per report")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds a report may take to show as routed")  # fmt: skip
    parser.add_argument("--max-run-seconds", type=float,
                        default=float(env("BENCH_MAX_RUN_SECONDS", 120)),
                        help="cap on the counted run; then unrouted = error")  # fmt: skip
    parser.add_argument("--mq-messages", type=int, default=3000)
    parser.add_argument("--pg-commits", type=int, default=3000)
    parser.add_argument("--http-requests", type=int, default=1000)
    parser.add_argument("--baseline-seconds", type=float, default=10.0,
                        help="cap on each baseline's duration")  # fmt: skip
    parser.add_argument("--port-offset", type=int, default=int(env("BENCH_PORT_OFFSET", 2000)))
    parser.add_argument("--smtp-port", type=int, default=int(env("BENCH_SMTP_PORT", 12025)))
    parser.add_argument("--provinces", default=env("BENCH_PROVINCES", "32"),
                        help="SIPP_SEED_PROVINCES for the catalogue ('' = all)")  # fmt: skip
    parser.add_argument("--run-dir", default=str(ROOT / ".run" / "bench"))
    parser.add_argument("--replicas", default=env("BENCH_REPLICAS", ""),
                        help="e.g. routing=2,tracking=2")  # fmt: skip
    parser.add_argument("--scale", default=env("BENCH_SCALE", "auto"),
                        help="after the run, start one more replica of this service and "
                             "run again: a service name, 'auto' (the busiest by CPU) "
                             "or 'none'")  # fmt: skip
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when any report failed or was not routed")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="keep the database and vhost, for a post-mortem")  # fmt: skip
    args = parser.parse_args(argv)
    if args.reports < 1 or args.concurrency < 1:
        parser.error("--reports and --concurrency must be at least 1")
    if args.scale not in ("auto", "none", *SCALABLE):
        parser.error(f"--scale must be auto, none or one of {', '.join(SCALABLE)}")
    return args


def main(argv: list[str]) -> int:
    args = arguments(argv)
    run_started = time.perf_counter()
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with & in a script
    replicas = {}
    for item in filter(None, args.replicas.split(",")):
        name, _, n = item.partition("=")
        replicas[name.strip()] = int(n)

    stack = Stack(Path(args.run_dir), port_offset=args.port_offset)
    busy = [p for p in [stack.port(name, r) for name in SERVICES
                        for r in range(1, replicas.get(name, 1) + 1)] + [args.smtp_port]
            if not port_free(p)]  # fmt: skip
    if busy:
        say(f"ports already in use: {busy}; pick another --port-offset / --smtp-port")
        print(json.dumps({"reports": args.reports, "concurrency": args.concurrency,
                          "error": f"ports already in use: {busy}"}), flush=True)  # fmt: skip
        return 2

    db_name = isolation.unique_name("lapor_bench")
    vhost = isolation.unique_name("lapor_bench")
    engine = None
    outcome: dict = {"reports": args.reports, "concurrency": args.concurrency}
    phases: dict[str, float] = {}
    exit_code = 0
    try:
        # -- stack ------------------------------------------------------------
        t = time.perf_counter()
        if stack.running():  # left over from an interrupted bench in this run dir
            stack.stop_all()
        shutil.rmtree(stack.run_dir / "logs", ignore_errors=True)
        shutil.rmtree(stack.run_dir / "mail", ignore_errors=True)
        say(f"database {db_name}, vhost {vhost}, gateway {stack.url()}")
        in_use, limit = pg_connections()
        outcome["pg_connections_at_start"] = in_use
        say(f"postgres connections in use before the bench: {in_use} of {limit}")
        database_url = isolation.create_database(db_name)
        amqp_uri = isolation.create_vhost(vhost)
        stack.env.update({
            "DATABASE_URL": database_url,
            "AMQP_URI": amqp_uri,
            "SMTP_PORT": str(args.smtp_port),
            "SIPP_SEED_PROVINCES": args.provinces,
            "LAPOR_PIN_SECRET": secrets.token_hex(16),
            # every bench client is 127.0.0.1: lift the per-IP limit
            "GATEWAY_IP_PER_MINUTE": "1000000",
            "GATEWAY_IP_BURST": "100000",
            "LAPOR_NOTIFY_SECRET": secrets.token_hex(16),
            "LAPOR_WEB_SECRET": secrets.token_hex(16),
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        })  # fmt: skip
        engine = create_engine(database_url, pool_size=2)
        stack.prepare()
        stack.start_mail_catcher(args.smtp_port)
        stack.up(replicas)
        say(f"stack up ({time.perf_counter() - t:.1f} s); logs in {stack.run_dir}/logs")
        outcome["agencies"] = wait_for_agencies(engine, timeout=600)
        phases["setup_s"] = time.perf_counter() - t

        # -- baselines --------------------------------------------------------
        t = time.perf_counter()
        mq = baseline_mq(amqp_uri, args.mq_messages, args.baseline_seconds)
        say(f"baseline kombu: {mq['published']} persistent publishes, confirm each: "
            f"{mq['publish_per_s']:.0f} msg/s; consume (ack each, prefetch 100): "
            f"{mq['consume_per_s']:.0f} msg/s")  # fmt: skip
        pg = baseline_pg(engine, args.pg_commits, args.baseline_seconds)
        say(f"baseline postgres: {pg['commits']} single-row insert+commit: "
            f"{pg['commit_per_s']:.0f} commits/s")  # fmt: skip
        http = baseline_http(stack.url(), args.http_requests, args.baseline_seconds)
        say(f"baseline http: {http['requests']} sequential GET /api/v1/ping: "
            f"{http['per_s']:.0f} req/s, p50 {http['p50_ms']:.2f} ms")  # fmt: skip
        phases["baselines_s"] = time.perf_counter() - t

        # -- end to end -------------------------------------------------------
        driver = Driver(stack.url(), args.poll_ms / 1000, args.timeout)
        t = time.perf_counter()
        if args.warmup:
            warm, warm_wall = driver.run(0, args.warmup, args.concurrency, 60)
            summary = summarise(warm, warm_wall)
            say(f"warm-up: {summary['routed']}/{args.warmup} routed, "
                f"p50 {rounded(summary['p50_ms'])} ms, errors {summary['errors']}")  # fmt: skip
            if summary["errors"]:
                say(f"  first warm-up error: {summary['first_error']}")
        phases["warmup_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cpu_before = cpu_seconds(stack)
        client_before = time.process_time()
        results, wall = driver.run(
            args.warmup, args.reports, args.concurrency, args.max_run_seconds
        )
        phases["run_s"] = time.perf_counter() - t
        cpu_after = cpu_seconds(stack)
        cpu = {k: round(v - cpu_before.get(k, 0.0), 1) for k, v in cpu_after.items()}
        cpu["bench-client"] = round(time.process_time() - client_before, 1)
        run = summarise(results, wall)
        say(
            f"end to end: {run['routed']}/{args.reports} reports routed and visible in "
            f"{wall:.2f} s with {args.concurrency} clients: {run['reports_per_s']:.1f} reports/s"
        )
        say(f"  latency submit -> routed: p50 {rounded(run['p50_ms'])} ms, "
            f"p90 {rounded(run['p90_ms'])} ms, p99 {rounded(run['p99_ms'])} ms, "
            f"max {rounded(run['max_ms'])} ms; POST alone p50 {rounded(run['submit_p50_ms'])} ms, "
            f"p99 {rounded(run['submit_p99_ms'])} ms; "
            f"{run['polls_per_report']:.1f} GETs per report")  # fmt: skip
        if run["errors"]:
            say(f"  {run['errors']} errors {run['error_kinds']}; first: {run['first_error']}")

        try:
            hops = pipeline_hops(engine)
        except Exception as exc:  # noqa: BLE001 - a breakdown must not hide the result
            hops = {"failed": f"{type(exc).__name__}: {exc}"}
        outcome["pipeline_ms"] = hops
        outcome["service_cpu_s"] = cpu
        say(f"  inside the pipeline (ms, from the log): {json.dumps(hops)}")
        say(f"  CPU seconds per service during the run ({phases['run_s']:.1f} s, "
            f"{os.cpu_count()} CPUs): {json.dumps(cpu)}")  # fmt: skip
        ratio = (run["reports_per_s"] or 0) / mq["publish_per_s"]
        say(f"ratio vs kombu sync publish: {ratio:.3f} (goal >= 0.5, with p99 < 250 ms "
            "at half that load)")  # fmt: skip
        outcome.update({
            "reports_per_s": rounded(run["reports_per_s"], 2),
            "p50_ms": rounded(run["p50_ms"]),
            "p90_ms": rounded(run["p90_ms"]),
            "p99_ms": rounded(run["p99_ms"]),
            "max_ms": rounded(run["max_ms"]),
            "submit_p50_ms": rounded(run["submit_p50_ms"]),
            "submit_p99_ms": rounded(run["submit_p99_ms"]),
            "routed": run["routed"],
            "errors": run["errors"],
            "error_kinds": run["error_kinds"],
            "polls_per_report": rounded(run["polls_per_report"], 2),
            "distinct_agencies": run["distinct_agencies"],
            "wall_s": rounded(wall, 3),
            "baseline_mq_sync_per_s": rounded(mq["publish_per_s"]),
            "baseline_mq_consume_per_s": rounded(mq["consume_per_s"]),
            "baseline_pg_commit_per_s": rounded(pg["commit_per_s"]),
            "baseline_http_noop_per_s": rounded(http["per_s"]),
            "baseline_http_noop_p50_ms": rounded(http["p50_ms"], 3),
            "ratio_vs_mq_sync": round(ratio, 4),
            "ratio_vs_pg_commit": round((run["reports_per_s"] or 0) / pg["commit_per_s"], 4),
        })  # fmt: skip
        if run["errors"]:
            exit_code = 1 if args.strict else 0
            time.sleep(2)  # let the stragglers settle before looking
            try:
                found = diagnose(engine, vhost)
            except Exception as exc:  # noqa: BLE001 - diagnostics must not hide the result
                found = {"failed": f"{type(exc).__name__}: {exc}"}
            outcome["diagnostics"] = found
            say(f"  diagnostics: {json.dumps(found, default=str)}")

        # -- the same run with one more replica of the busiest service ---------
        if args.scale != "none":
            t = time.perf_counter()
            scaled = scale_run(stack, driver, args, replicas, cpu, first=args.warmup + args.reports)
            phases["scaled_run_s"] = time.perf_counter() - t
            if scaled.get("errors"):
                exit_code = 1 if args.strict else exit_code
            outcome["scaled"] = scaled
    except (KeyboardInterrupt, Interrupted):
        say("interrupted; tearing down")
        outcome["error"] = "interrupted"
        exit_code = 130
    except Exception as exc:  # noqa: BLE001 - reported in the JSON line, then non-zero exit
        traceback.print_exc()
        say(f"bench failed: {exc}; see {stack.run_dir}/logs")
        outcome["error"] = f"{type(exc).__name__}: {exc}"
        exit_code = 1
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # let teardown finish
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        steps = [("stop the stack", lambda: stop_stack(stack))]
        if engine is not None:
            steps.append(("close the bench's connections", engine.dispose))
        if args.keep:
            say(f"keeping database {db_name} and vhost {vhost} (--keep)")
        else:
            steps.append(("drop the database", lambda: isolation.drop_database(db_name)))
            steps.append(("delete the vhost", lambda: isolation.delete_vhost(vhost)))
        for what, step in steps:
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - do every step, say what failed
                say(f"teardown: could not {what}: {exc}")
                outcome.setdefault("teardown_errors", []).append(f"{what}: {exc}")
        signal.signal(signal.SIGINT, previous)
    phases["total_s"] = time.perf_counter() - run_started
    outcome.update({k: round(v, 1) for k, v in phases.items()})
    outcome["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    say(f"total {phases['total_s']:.1f} s")
    # the headline figures first, the breakdowns last
    tail = ("scaled", "pipeline_ms", "service_cpu_s", "diagnostics")
    ordered = {k: v for k, v in outcome.items() if k not in tail}
    ordered.update({k: outcome[k] for k in tail if k in outcome})
    print(json.dumps(ordered), flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
