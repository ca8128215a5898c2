"""`lapor`: operate the kernel.

lapor migrate                 alembic upgrade of the kernel and every service schema
lapor declare                 declare the exchanges and every subscription's queue
lapor parked list [CONSUMER]  events parked by consumers, with reason and attempts
lapor parked replay ID        let the consumer apply a parked event again
lapor verify STREAM           check a stream's hash chain (e.g. report-LAP-7K3M9QXT2B)
lapor <command> --help        a command a service adds (its manifest's COMMANDS, listed below)
"""

from __future__ import annotations

import argparse
import importlib
import sys

import kombu

from lapor import broker, config, consumer, eventstore
from lapor.db import create_engine
from lapor.migrate import service_manifests, upgrade_all


def all_subscriptions() -> list[consumer.Subscription]:
    return [s for m in service_manifests().values() for s in getattr(m, "SUBSCRIPTIONS", [])]


def declare_topology(amqp_uri: str | None = None) -> int:
    subscriptions = all_subscriptions()
    with kombu.Connection(amqp_uri or config.amqp_uri()) as conn:
        broker.declare(conn, subscriptions)
    return len(subscriptions)


def service_commands() -> dict[str, str]:
    """Commands services add to `lapor`: a manifest's COMMANDS, name -> "module:function"."""
    return {
        name: target
        for manifest in service_manifests().values()
        for name, target in getattr(manifest, "COMMANDS", {}).items()
    }


def run_service_command(target: str, argv: list[str]) -> int:
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)(argv)


def main(argv: list[str] | None = None) -> int:
    added = service_commands()
    listed = "\n".join(
        f"  {name:<22}{target.split(':')[0]}" for name, target in sorted(added.items())
    )
    parser = argparse.ArgumentParser(
        prog="lapor",
        description=__doc__,
        epilog=f"commands of the services:\n{listed}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate")
    commands.add_parser("declare")
    parked_cmd = commands.add_parser("parked").add_subparsers(dest="action", required=True)
    listing = parked_cmd.add_parser("list")
    listing.add_argument("consumer", nargs="?")
    replay = parked_cmd.add_parser("replay")
    replay.add_argument("id", type=int)
    verify = commands.add_parser("verify")
    verify.add_argument("stream")
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in added:
        return run_service_command(added[argv[0]], argv[1:])
    args = parser.parse_args(argv)

    if args.command == "migrate":
        upgrade_all()
        print("migrated")
        return 0
    if args.command == "declare":
        print(f"declared {declare_topology()} subscription queues")
        return 0
    engine = create_engine(pool_size=1)
    if args.command == "parked" and args.action == "list":
        with engine.connect() as conn:
            rows = consumer.list_parked(conn, args.consumer)
        for row in rows:
            print(
                f"{row.id}\t{row.consumer}\t{row.type or '-'}\t{row.event_id or '-'}\t"
                f"attempts={row.attempts}\t{row.reason.splitlines()[0][:160]}"
            )
        print(f"{len(rows)} parked")
        return 0
    if args.command == "parked" and args.action == "replay":
        try:
            with engine.begin() as conn:
                print(consumer.replay_parked(conn, args.id))
        except LookupError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    if args.command == "verify":
        result = eventstore.EventStore(engine).verify_stream(args.stream)
        print(
            f"{result.stream}: {'intact' if result.intact else 'NOT INTACT'} "
            f"({result.events} events)"
        )
        for problem in result.problems:
            print(f"  - {problem}")
        return 0 if result.intact else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
