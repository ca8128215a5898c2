"""Agency accounts: `python -m services.sipp.admins create --agency CODE --name NAME`.

    create --agency CODE --name NAME [--role ROLE] [--email E [--password-file F]]
                                       prints the new account's token, once
    set-password ID [--password-file F]
                                       the password to log in to the web with
                                       (from the file's first line, else stdin)
    list [--agency CODE]               accounts, their role and whether revoked
    revoke ID                          the token and every session stop at once
    disable-totp ID                    turn off the account's second factor (a
                                       lost phone, or blocked after 100 wrong
                                       codes) and clear its count of wrong codes;
                                       it logs in with the password alone until
                                       its officer sets one up again

Roles (services/sipp/roles.py): national_admin (KemenPANRB only), coordinator
(a government, ministry or national agency), officer (a unit), agency_system
(an agency's own system). Without --role: national_admin for KemenPANRB,
officer for a unit, coordinator otherwise.

Only a SHA-256 of each token is stored (sipp.admins); a password only as an
argon2id hash (services/sipp/passwords.py). An officer logs in at
/petugas/masuk with the email and the password, and the 6-digit code of an
authenticator app when they turned the second factor on (/petugas/akun).
"""

from __future__ import annotations

import argparse
import getpass
import sys

import sqlalchemy as sa

from lapor.db import create_engine
from services.sipp import passwords
from services.sipp.adapters import admins, second_factor, sessions
from services.sipp.roles import ROLES, default_role, role_error
from services.sipp.standards import load_agency


def create_account(
    tx: sa.Connection,
    agency_code: str,
    name: str,
    role: str | None = None,
    email: str | None = None,
) -> tuple[str, str, str]:
    """(account id, token, role) of a new account; ValueError says why not."""
    agency = load_agency(tx, agency_code)
    if agency is None:
        raise ValueError(f"no agency {agency_code} in the catalogue")
    role = role or default_role(agency.code, agency.kind)
    refused = role_error(role, agency.code, agency.kind)
    if refused:
        raise ValueError(refused)
    login = _login_name(tx, email)
    admin_id, token = admins.create(tx, agency.code, name, role, login)
    return admin_id, token, role


def _login_name(tx: sa.Connection, email: str | None) -> str | None:
    if email is None:
        return None
    login = passwords.normal_email(email)
    if login is None:
        raise ValueError(f"{email!r} is not an email address")
    if admins.email_taken(tx, login):
        raise ValueError(f"{login} already logs in to another active account")
    return login


def read_password(path: str | None) -> str:
    """The first line of the file, or of stdin (asked for, on a terminal)."""
    if path:
        with open(path, encoding="utf-8") as file:
            return file.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    text = sys.stdin.read()
    return text.splitlines()[0] if text else ""


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
    create.add_argument("--email", help="the login name for the web")
    create.add_argument("--password-file", help="with --email: the password's file")
    set_password = commands.add_parser("set-password")
    set_password.add_argument("id")
    set_password.add_argument("--password-file")
    listing = commands.add_parser("list")
    listing.add_argument("--agency")
    revoke = commands.add_parser("revoke")
    revoke.add_argument("id")
    disable_totp = commands.add_parser("disable-totp")
    disable_totp.add_argument("id")
    args = parser.parse_args(argv)
    engine = create_engine(pool_size=1)
    try:
        if args.command == "create":
            return _create(engine, args)
        if args.command == "set-password":
            return _set_password(engine, args.id, read_password(args.password_file))
        if args.command == "list":
            with engine.connect() as conn:
                for a in admins.listing(conn, args.agency):
                    state = f"revoked {a['revoked_at']:%Y-%m-%d}" if a["revoked_at"] else "active"
                    shown = (a["id"], a["agency_code"], a["role"], state, a["email"] or "-")
                    print("\t".join((*shown, a["name"])))
            return 0
        if args.command == "disable-totp":
            return _disable_totp(engine, args.id)
        with engine.begin() as tx:
            if not admins.revoke(tx, args.id):
                print(f"no active admin {args.id}", file=sys.stderr)
                return 1
        print(f"revoked {args.id}")
        return 0
    finally:
        engine.dispose()


def _create(engine: sa.Engine, args: argparse.Namespace) -> int:
    if args.password_file and not args.email:
        print("--password-file needs --email: the password logs in with it", file=sys.stderr)
        return 1
    password = read_password(args.password_file) if args.password_file else None
    refused = passwords.password_error(password) if password is not None else None
    try:
        if refused:
            raise ValueError(refused)
        with engine.begin() as tx:
            admin_id, token, role = create_account(
                tx, args.agency, args.name, args.role, args.email
            )
            if password is not None:
                sessions.set_password(tx, admin_id, password)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"admin {admin_id} of {args.agency}, role {role}")
    print(f"token (shown once, keep it secret): {token}")
    return 0


def _disable_totp(engine: sa.Engine, admin_id: str) -> int:
    with engine.begin() as tx:
        if not second_factor.reset(tx, admin_id):
            print(f"no active admin {admin_id}", file=sys.stderr)
            return 1
    print(f"second factor of {admin_id} turned off; it logs in with its password alone")
    return 0


def _set_password(engine: sa.Engine, admin_id: str, password: str) -> int:
    with engine.begin() as tx:
        refused = sessions.set_password(tx, admin_id, password)
    if refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"password of {admin_id} set; its sessions have ended")
    return 0


if __name__ == "__main__":
    sys.exit(main())
