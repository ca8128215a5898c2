"""Notify's admin commands.

    python -m services.notify.cli agency-contact pemkot-3273-disdukcapil dukcapil@bandung.go.id
    python -m services.notify.cli agency-contact pemkot-3273 admin@bandung.go.id --language en

An agency's officers are told of new assignments at its contact email.
"""

from __future__ import annotations

import argparse

from lapor import config
from lapor.db import create_engine
from services.notify.adapters import outbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.notify.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    contact = commands.add_parser("agency-contact", help="set an agency's contact email")
    contact.add_argument("agency_code")
    contact.add_argument("email")
    contact.add_argument("--language", choices=("id", "en"), default="id")
    args = parser.parse_args(argv)
    engine = create_engine(config.database_url(), pool_size=1)
    outbox.set_agency_contact(engine, args.agency_code, args.email.strip().lower(), args.language)
    engine.dispose()
    print(f"{args.agency_code}: {args.email} ({args.language})")


if __name__ == "__main__":
    main()
