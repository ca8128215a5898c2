"""The officers' workspace: the inbox (`/petugas`) and a report's page
(`/petugas/laporan/<id>`) with its audit trail, its attachments (downloaded
from `/petugas/laporan/<id>/lampiran/<sha256>`) and a form for each action
the account may take on it now.

Nothing here decides who may see or do what: the inbox, the case view and
the actions go through the same functions as the agency API
(`services.gateway.agency_api.AgencyCases`), and routing says which actions
the account's role and the case's status allow (`routing.allowed_actions`).
Each action's fields are named `<action>.<field>`, so the forms on one page
never share an id; the services' field errors come back beside them.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from nameko.web.handlers import http
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from lapor.contracts.case import ARCHIVE_REASONS, COMPLEXITIES, STATUSES
from lapor.contracts.report import CATEGORIES, REPORT_TYPES
from services.gateway.agency_api import AgencyCases, actor_of, tracking_id_of
from services.gateway.web.attachments import file_response, listed
from services.gateway.web.csrf import csrf_refused
from services.gateway.web.forms import field_errors, page_count
from services.gateway.web.render import error_page, language, page, redirect, render
from services.gateway.web.session import SessionPages, logged_in

PER_PAGE = 20
MAX_ATTACHMENTS = 2 * 1024 * 1024  # intake's limit for all files of one message
FILTERS = ("status", "overdue", "category", "region_code", "submitted_from", "submitted_to")
# the order the forms appear in: the usual next step first
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "verify": ("report_type", "category", "complexity"),
    "accept": (),
    "respond": ("message", "attachments"),
    "dispose": ("agency_code", "note"),
    "assign": ("agency_code", "note"),
    "defer": ("note",),
    "return": ("reason", "suggested_agency"),
    "merge": ("into",),
    "archive": ("reason", "note"),
}


def inbox_args(args: MultiDict) -> dict[str, str]:
    """The inbox's filters and page from the query, empty fields left out."""
    wanted = {k: args.get(k, "").strip() for k in (*FILTERS, "page")}
    found = {k: v for k, v in wanted.items() if v}
    if found.get("region_code"):
        found["region_code"] = found["region_code"].rstrip(".")
    return found


def action_params(action: str, form: MultiDict) -> dict[str, str]:
    """An action's parameters from its form (`<action>.<field>`), empty fields
    left out, so that the API's schema says which are missing."""
    params = {}
    for name in ACTION_FIELDS.get(action, ()):
        value = form.get(f"{action}.{name}", "").strip()
        if value:
            params[name] = value.upper() if name == "into" else value
    return params


def action_errors(action: str, errors: dict, lang: str) -> dict[str, list[str]]:
    """The API's errors by the form's field names; others (status, action)
    under `<action>._form`."""
    shown = field_errors(errors, lang)
    fields = ACTION_FIELDS.get(action, ())
    return {f"{action}.{k}" if k in fields else f"{action}._form": v for k, v in shown.items()}


def page_links(found: dict, args: dict) -> dict[str, str | int | None]:
    pages = page_count(found.get("total", 0), PER_PAGE)
    page = found.get("page", 1)

    def link(number: int) -> str:
        return "/petugas?" + urlencode({**args, "page": number})

    return {
        "page": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


class OfficerPages(SessionPages, AgencyCases):
    @http("GET", "/petugas")
    @page("/petugas")
    @logged_in
    def officer_inbox(self, request: Request, account: dict):
        args = inbox_args(request.args)
        found = self.inbox_for(account, {**args, "per_page": PER_PAGE})
        errors = {}
        if "error" in found:
            errors = field_errors(found["error"]["errors"], language(request))
            found = {"items": [], "total": 0, "page": 1, "per_page": PER_PAGE}
        filters = {k: v for k, v in args.items() if k != "page"}
        return render(
            request,
            "officer/inbox.html",
            status=400 if errors else 200,
            account=account,
            found=found,
            args=args,
            errors=errors,
            paging=page_links(found, filters),
            statuses=STATUSES,
            categories=CATEGORIES,
        )

    @http("GET", "/petugas/laporan/<string:tracking_id>")
    @page("/petugas/laporan/{id}")
    @logged_in
    def officer_case(self, request: Request, account: dict, tracking_id: str):
        return self._case_page(request, account, tracking_id)

    @http("POST", "/petugas/laporan/<string:tracking_id>/<string:action>")
    @page("/petugas/laporan/{id}/{action}")
    @logged_in
    def officer_act(self, request: Request, account: dict, tracking_id: str, action: str):
        refused = csrf_refused(request)
        if refused is not None:
            return refused
        params = action_params(action, request.form)
        if action == "respond":
            attached = self.respond_attachments(request)
            if "error" in attached:
                result = attached
            else:
                result = self.act_for(account, tracking_id, action, {**params, **attached})
        else:
            result = self.act_for(account, tracking_id, action, params)
        if "error" not in result:
            case_id = result["case"]["tracking_id"]
            return redirect(f"/petugas/laporan/{case_id}?selesai={action}")
        refused = result["error"]
        if refused["status"] == 404 and "tracking_id" in refused["errors"]:
            return self._not_found(request, account, tracking_id)
        errors = action_errors(action, refused["errors"], language(request))
        return self._case_page(request, account, tracking_id, errors, refused["status"])

    @http("GET", "/petugas/laporan/<string:tracking_id>/lampiran/<string:sha256>")
    @page("/petugas/laporan/{id}/lampiran/{sha256}")
    @logged_in
    def officer_attachment(self, request: Request, account: dict, tracking_id: str, sha256: str):
        """A file of a report the account may see (as its case page); else 404."""
        seen = self._visible_case(account, tracking_id)
        if seen is None:
            return self._not_found(request, account, tracking_id)
        case_id = seen[0]["tracking_id"]
        found = self.intake.report_attachment(case_id, sha256)
        if found is None:
            return error_page(request, 404, "attachments.not_found")
        return file_response(case_id, found, confidential=True)

    def respond_attachments(self, request: Request) -> dict:
        """`{"attachments": [refs]}` of the files sent with an answer (kept by
        intake), or `{"error": ...}`."""
        files = [f for f in request.files.getlist("respond.attachments") if f and f.filename]
        if not files:
            return {}
        contents = [f.read(MAX_ATTACHMENTS + 1) for f in files]
        if sum(len(c) for c in contents) > MAX_ATTACHMENTS:
            message = "Attachments may be at most 2 MB in total."
            return {"error": {"status": 413, "errors": {"attachments": [message]}}}
        return self.intake.keep_attachments([base64.b64encode(c).decode() for c in contents])

    def _case_page(
        self,
        request: Request,
        account: dict,
        raw_id: str,
        errors: dict | None = None,
        status: int = 200,
    ) -> Response:
        seen = self.case_for(account, raw_id)
        if seen is None:
            return self._not_found(request, account, raw_id)
        case = seen["case"]
        actions = self.routing.allowed_actions(case["tracking_id"], actor_of(account))
        files = self.intake.report_attachments(case["tracking_id"])
        base = f"/petugas/laporan/{case['tracking_id']}/lampiran"
        return render(
            request,
            "officer/case.html",
            status=status,
            account=account,
            report=seen,
            case=case,
            actions=[a for a in ACTION_FIELDS if a in actions],
            choices=self._choices(account, case, actions),
            errors=errors or {},
            form=request.form if request.method == "POST" else MultiDict(),
            done=request.args.get("selesai")
            if request.args.get("selesai") in ACTION_FIELDS
            else None,
            attachments=listed(case["tracking_id"], files, base),
        )

    def _choices(self, account: dict, case: dict, actions: list[str]) -> dict:
        """The options of the forms: categories, reasons, and the agencies a
        case may go to (the coordinator's own tree; any agency, by code, for
        the national admin)."""
        choices = {
            "report_types": REPORT_TYPES,
            "categories": CATEGORIES,
            "complexities": COMPLEXITIES,
            "archive_reasons": ARCHIVE_REASONS,
            "assign_to": [],
            "dispose_to": [],
        }
        if "assign" in actions and account["role"] == "coordinator":
            choices["assign_to"] = self._tree(account["agency_code"], include_self=True)
        if "dispose" in actions and case.get("owner"):
            choices["dispose_to"] = self._tree(case["owner"], include_self=False)
        return choices

    def _tree(self, code: str, include_self: bool) -> list[tuple[str, str]]:
        """(code, name) of an agency's units (one tier down), and itself."""
        found = self.sipp.agency_profile(code) or {}
        units = [(c["code"], c["name"]) for c in found.get("children", [])]
        if include_self and found:
            units.insert(0, (found["code"], found["name"]))
        return units

    def _not_found(self, request: Request, account: dict, raw_id: str) -> Response:
        return render(
            request,
            "officer/not_found.html",
            status=404,
            account=account,
            tracking_id=tracking_id_of(raw_id) or "",
        )
