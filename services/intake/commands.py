"""Intake's commands, added to the `lapor` CLI through its manifest's COMMANDS."""

from __future__ import annotations

import argparse

from lapor.db import create_engine
from services.intake.adapters import store


def open311_key(argv: list[str]) -> int:
    """`lapor open311-key create NAME`: print a new API key for an Open311 client
    application (shown once; intake keeps only its hash)."""
    parser = argparse.ArgumentParser(prog="lapor open311-key")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("create").add_argument("name", help="the client application")
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        with engine.begin() as tx:
            print(store.create_api_key(tx, "open311", args.name))
    finally:
        engine.dispose()
    return 0
