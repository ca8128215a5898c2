"""Agency accounts: `python -m services.sipp.admins create --agency CODE --name NAME`.

    create --agency CODE --name NAME [--role ROLE]
                                       prints the new account's token, once
    list [--agency CODE]               accounts, their role and whether revoked
    revoke ID                          the token stops working at once

Roles (services/sipp/roles.py): national_admin (KemenPANRB only), coordinator
(a government, ministry or national agency), officer (a unit), agency_system
(an agency's own system). Without --role: national_admin for KemenPANRB,
officer for a unit, coordinator otherwise.

Only a SHA-256 of each token is stored (sipp.admins).
"""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from lapor.db import create_engine
from services.sipp.adapters import admins
from services.sipp.roles import ROLES, default_role, role_error
from services.sipp.standards import load_agency


def create_account(
    tx: sa.Connection, agency_code: str, name: str, role: str | None = None
) -> tuple[str, str, str]:
    """(account id, token, role) of a new account; ValueError says why not."""
    agency = load_agency(tx, agency_code)
    if agency is None:
        raise ValueError(f"no agency {agency_code} in the catalogue")
    role = role or default_role(agency.code, agency.kind)
    refused = role_error(role, agency.code, agency.kind)
    if refused:
        raise ValueError(refused)
    admin_id, token = admins.create(tx, agency.code, name, role)
    return admin_id, token, role


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
    create.add_argument("--role", choices=ROLES)
    listing = commands.add_parser("list")
    listing.add_argument("--agency")
    revoke = commands.add_parser("revoke")
    revoke.add_argument("id")
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        if args.command == "create":
            try:
                with engine.begin() as tx:
                    admin_id, token, role = create_account(tx, args.agency, args.name, args.role)
            except ValueError as exc:
                print(exc, file=sys.stderr)
                return 1
            print(f"admin {admin_id} of {args.agency}, role {role}")
            print(f"token (shown once, keep it secret): {token}")
            return 0
        if args.command == "list":
            with engine.connect() as conn:
                for a in admins.listing(conn, args.agency):
                    state = f"revoked {a['revoked_at']:%Y-%m-%d}" if a["revoked_at"] else "active"
                    print(f"{a['id']}\t{a['agency_code']}\t{a['role']}\t{state}\t{a['name']}")
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
