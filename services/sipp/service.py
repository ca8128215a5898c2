"""SippService: the catalogue of agencies and their service standards.

Commands take the caller's bearer token and authenticate it here, so no other
service can act as an admin by claiming to be one. Each answer is a dict; a
refused command answers {"error": {"status": 4xx, "errors": {...}}}.
"""

from __future__ import annotations

import base64
import functools

from nameko.rpc import rpc

from lapor.contracts.errors import DomainError
from lapor.nameko.events import handle_events
from lapor.nameko.http import LaporService
from services.sipp import handlers, manifest, standards
from services.sipp.adapters import read_model, sessions
from services.sipp.adapters import standards as read_side


def command(method):
    """Authenticate the token, run the command, turn refusals into answers."""

    @functools.wraps(method)
    def wrapper(self, token, *args, **kwargs):
        with self.db.begin() as conn:  # a session's use is recorded
            actor = standards.authenticate(conn, token)
        if actor is None:
            return _refused(401, "authorization", "A valid admin token is needed.")
        try:
            return method(self, actor, *args, **kwargs)
        except DomainError as exc:
            return exc.answer()

    return wrapper


def _refused(status: int, field: str, message: str) -> dict:
    return {"error": {"status": status, "errors": {field: [message]}}}


class SippService(LaporService):
    name = "sipp"

    @handle_events(manifest.CATALOGUE)
    def project_agency(self, event, tx):
        handlers.project_agency(event, tx)

    @handle_events(manifest.STANDARDS)
    def project_standard(self, event, tx):
        read_side.project(tx, event.type, event.data, event.recorded_at)

    @rpc
    def list_agencies(self, region_code=None, kind=None, limit=100, offset=0):
        with self.db.connect() as conn:
            return read_model.find_agencies(
                conn, region_code, kind, min(int(limit), 1000), int(offset)
            )

    @rpc
    def get_agency(self, code):
        with self.db.connect() as conn:
            return read_model.get_agency(conn, code)

    @rpc
    def agency_profile(self, code):
        """An agency with its profile (coordinator, complaint team decree,
        authorised categories) and the agencies one tier down."""
        with self.db.connect() as conn:
            return read_model.agency_with_units(conn, code)

    @rpc
    def authenticate(self, token):
        """{"actor": "admin-<id>", "agency_code", "role"} of a valid API token or
        a live session (which also gives "name"), else None."""
        with self.db.begin() as tx:
            return sessions.account(tx, token)

    @rpc
    def login(self, email, password):
        """{"session": token, "account", "idle_seconds"}, or {"error": {"status":
        400|401|403|429, "errors": {"login": [...]}}} (services/sipp/adapters/sessions.py)."""
        with self.db.begin() as tx:
            return sessions.login(tx, email, password)

    @rpc
    def login_code(self, challenge, code):
        """The second step of a login whose account has its second factor on:
        the challenge `login` gave and the current 6-digit code; answers as
        `login` does (services/sipp/adapters/sessions.py)."""
        with self.db.begin() as tx:
            return sessions.login_code(tx, challenge, code)

    @rpc
    def logout(self, session):
        with self.db.begin() as tx:
            return {"logged_out": sessions.logout(tx, session)}

    @rpc
    def totp_status(self, session):
        """{"enabled", "pending": {"secret", "uri"} | None} of the session's account."""
        with self.db.begin() as tx:
            return sessions.totp_status(tx, session)

    @rpc
    def totp_begin(self, session):
        """A new secret for the session's account to set up: {"secret", "uri"}."""
        with self.db.begin() as tx:
            return sessions.totp_begin(tx, session)

    @rpc
    def totp_enable(self, session, code, password):
        """On, with the account's password again and a current code of the
        secret being set up; the account's other sessions end."""
        with self.db.begin() as tx:
            return sessions.totp_enable(tx, session, code, password)

    @rpc
    def totp_disable(self, session, code):
        with self.db.begin() as tx:
            return sessions.totp_disable(tx, session, code)

    @rpc
    @command
    def create_standard(self, actor, agency_code, slug, content, publish=True):
        return standards.create_standard(self.db, actor, agency_code, slug, content, publish)

    @rpc
    @command
    def publish_standard(self, actor, standard_id):
        return standards.publish_draft(self.db, actor, standard_id)

    @rpc
    @command
    def revise_standard(self, actor, standard_id, content, note=None):
        return standards.revise_standard(self.db, actor, standard_id, content, note)

    @rpc
    @command
    def withdraw_standard(self, actor, standard_id, reason):
        return standards.withdraw_standard(self.db, actor, standard_id, reason)

    @rpc
    @command
    def import_standards(self, actor, file_base64):
        return standards.import_standards(self.db, actor, base64.b64decode(file_base64))

    @rpc
    @command
    def agency_standards(self, actor):
        """The standards of the caller's own agency, drafts included (for its admins)."""
        with self.db.connect() as conn:
            return {"standards": read_side.of_agency(conn, actor.agency_code)}

    @rpc
    def search_standards(
        self, q=None, region_code=None, agency_code=None, category=None, limit=20, offset=0
    ):
        with self.db.connect() as conn:
            return standards.search(
                conn, q, region_code, agency_code, category, min(int(limit), 100), int(offset)
            )

    @rpc
    def get_standard(self, standard_id, version=None):
        with self.db.connect() as conn:
            return read_side.get(conn, standard_id, None if version is None else int(version))

    @rpc
    def compliance(self, region_code):
        with self.db.connect() as conn:
            return standards.compliance(conn, region_code)

    @rpc
    def export_standards(self, agency_code=None, region_code=None, fmt="csv"):
        with self.db.connect() as conn:
            data = standards.export_standards(conn, agency_code, region_code, fmt)
        return base64.b64encode(data).decode()

    @rpc
    def providers(self, region_code, service=None, category=None):
        """Which agency provides service S (or category C) in region R."""
        with self.db.connect() as conn:
            return standards.providers(conn, service, category, region_code)
