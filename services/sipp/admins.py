"""Agency admin accounts: `python -m services.sipp.admins create --agency CODE --name NAME`.

    create --agency CODE --name NAME   prints the new admin's token, once
    list [--agency CODE]               admins and whether they are revoked
    revoke ID                          the token stops working at once

Only a SHA-256 of each token is stored (sipp.admins).
"""

from __future__ import annotations

import argparse
import sys

from lapor.db import create_engine
from services.sipp.adapters import admins
from services.sipp.standards import load_agency


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.sipp.admins",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create")
    create.add_argument("--agency", required=True)
    create.add_argument("--name", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("--agency")
    revoke = commands.add_parser("revoke")
    revoke.add_argument("id")
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        if args.command == "create":
            with engine.begin() as tx:
                if load_agency(tx, args.agency) is None:
                    print(f"no agency {args.agency} in the catalogue", file=sys.stderr)
                    return 1
                admin_id, token = admins.create(tx, args.agency, args.name)
            print(f"admin {admin_id} of {args.agency}")
            print(f"token (shown once, keep it secret): {token}")
            return 0
        if args.command == "list":
            with engine.connect() as conn:
                for a in admins.listing(conn, args.agency):
                    state = f"revoked {a['revoked_at']:%Y-%m-%d}" if a["revoked_at"] else "active"
                    print(f"{a['id']}\t{a['agency_code']}\t{state}\t{a['name']}")
            return 0
        with engine.begin() as tx:
            if not admins.revoke(tx, args.id):
                print(f"no active admin {args.id}", file=sys.stderr)
                return 1
        print(f"revoked {args.id}")
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
