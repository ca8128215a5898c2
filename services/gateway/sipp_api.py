"""SIPP over REST: service standards (search, read, publish, revise, withdraw),
spreadsheet import and export, compliance, and who provides a service.

Writes carry `Authorization: Bearer <token>` of an agency admin; sipp
authenticates the token itself, so the gateway only passes it on.
"""

from __future__ import annotations

import base64
import json

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.contracts.report import CATEGORIES
from lapor.nameko.http import json_response
from services.gateway.common import MAX_BODY, error, observed, service_proxy

MAX_IMPORT = 5_000_000  # a 5,000-row spreadsheet with long cells fits
REGION = "0123456789."
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _json_body(request: Request) -> dict | Response:
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return error(413, "_body", "The request body is too large.")
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return error(400, "_body", "The body is not valid JSON.")
    if not isinstance(payload, dict):
        return error(400, "_body", "Expected a JSON object.")
    return payload


def _answer(result: dict, status: int = 200) -> Response:
    if "error" in result:
        refused = result["error"]
        headers = {"WWW-Authenticate": "Bearer"} if refused["status"] == 401 else None
        return json_response({"errors": refused["errors"]}, refused["status"], headers)
    return json_response(result, status=status)


def _paging(request: Request, default: int = 20, most: int = 100) -> tuple[int, int] | Response:
    try:
        limit = int(request.args.get("limit", default))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        return error(400, "limit", "limit and offset must be whole numbers.")
    if not 0 <= limit <= most or offset < 0:
        return error(400, "limit", f"limit must be 0 to {most} and offset 0 or more.")
    return limit, offset


def search_filters(args) -> tuple[dict, dict[str, list[str]]]:
    """The filters of `sipp.search_standards` a query string asks for (q,
    region_code, agency_code, category) and its errors by parameter; the JSON
    API and the catalogue pages (services/gateway/web/sipp.py) read them here."""
    errors: dict[str, list[str]] = {}
    category = args.get("category") or None
    if category and category not in CATEGORIES:
        errors["category"] = ["Unknown category."]
    region = (args.get("region_code") or "").strip() or None
    if region and not set(region) <= set(REGION):
        errors["region_code"] = ["A Kemendagri code such as 32 or 32.73."]
    filters = {
        "q": (args.get("q") or "").strip()[:200] or None,
        "region_code": region,
        "agency_code": (args.get("agency_code") or "").strip() or None,
        "category": category,
    }
    return filters, errors


class SippApi:
    sipp = service_proxy("sipp")

    @http("GET", "/api/v1/sipp/standards")
    @observed("/api/v1/sipp/standards")
    def search_standards(self, request: Request):
        paging = _paging(request)
        if isinstance(paging, Response):
            return paging
        filters, errors = search_filters(request.args)
        if errors:
            return json_response({"errors": errors}, status=400)
        found = self.sipp.search_standards(**filters, limit=paging[0], offset=paging[1])
        return json_response({**found, "limit": paging[0], "offset": paging[1]})

    @http("POST", "/api/v1/sipp/standards")
    @observed("/api/v1/sipp/standards")
    def create_standard(self, request: Request):
        payload = _json_body(request)
        if isinstance(payload, Response):
            return payload
        publish = payload.get("publish", True)
        result = self.sipp.create_standard(
            _token(request),
            payload.get("agency_code"),
            payload.get("slug"),
            payload.get("content"),
            publish=publish is not False,
        )
        return _answer(result, 201)

    @http("GET", "/api/v1/sipp/standards/<string:standard_id>")
    @observed("/api/v1/sipp/standards/{id}")
    def get_standard(self, request: Request, standard_id: str):
        found = self.sipp.get_standard(standard_id)
        if found is None:
            return error(404, "standard_id", "No standard with this id.")
        return json_response(found)

    @http("GET", "/api/v1/sipp/standards/<string:standard_id>/versions/<int:version>")
    @observed("/api/v1/sipp/standards/{id}/versions/{version}")
    def get_standard_version(self, request: Request, standard_id: str, version: int):
        found = self.sipp.get_standard(standard_id, version)
        if found is None:
            return error(404, "version", "No such standard or version.")
        return json_response(found)

    @http("POST", "/api/v1/sipp/standards/<string:standard_id>/publication")
    @observed("/api/v1/sipp/standards/{id}/publication")
    def publish_standard(self, request: Request, standard_id: str):
        return _answer(self.sipp.publish_standard(_token(request), standard_id))

    @http("POST", "/api/v1/sipp/standards/<string:standard_id>/revisions")
    @observed("/api/v1/sipp/standards/{id}/revisions")
    def revise_standard(self, request: Request, standard_id: str):
        payload = _json_body(request)
        if isinstance(payload, Response):
            return payload
        result = self.sipp.revise_standard(
            _token(request), standard_id, payload.get("content"), payload.get("note")
        )
        return _answer(result)

    @http("POST", "/api/v1/sipp/standards/<string:standard_id>/withdrawal")
    @observed("/api/v1/sipp/standards/{id}/withdrawal")
    def withdraw_standard(self, request: Request, standard_id: str):
        payload = _json_body(request)
        if isinstance(payload, Response):
            return payload
        return _answer(
            self.sipp.withdraw_standard(_token(request), standard_id, payload.get("reason"))
        )

    @http("POST", "/api/v1/sipp/imports")
    @observed("/api/v1/sipp/imports")
    def import_standards(self, request: Request):
        body = request.stream.read(MAX_IMPORT + 1)
        if len(body) > MAX_IMPORT:
            return error(413, "_body", f"At most {MAX_IMPORT:,} bytes per file.")
        if not body:
            return error(400, "_body", "Send the CSV or XLSX file as the body.")
        token = _token(request)
        if token is None:  # before shipping megabytes to sipp
            return _answer(
                {"error": {"status": 401, "errors": {"authorization": ["A token is needed."]}}}
            )
        result = self.sipp.import_standards(token, base64.b64encode(body).decode())
        return _answer(result)

    @http("GET", "/api/v1/sipp/exports")
    @observed("/api/v1/sipp/exports")
    def export_standards(self, request: Request):
        fmt = request.args.get("format", "csv")
        if fmt not in MIMETYPES:
            return error(400, "format", "csv or xlsx.")
        agency, region = request.args.get("agency_code"), request.args.get("region_code")
        if not agency and not region:
            return error(400, "agency_code", "Give agency_code or region_code.")
        data = base64.b64decode(self.sipp.export_standards(agency, region, fmt))
        name = f"standar-pelayanan-{agency or region}.{fmt}"
        return Response(
            data,
            mimetype=MIMETYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @http("GET", "/api/v1/sipp/agencies/<string:code>")
    @observed("/api/v1/sipp/agencies/{code}")
    def agency_profile(self, request: Request, code: str):
        found = self.sipp.agency_profile(code)
        if found is None:
            return error(404, "code", "No agency with this code.")
        return json_response(found)

    @http("GET", "/api/v1/sipp/compliance/<string:region_code>")
    @observed("/api/v1/sipp/compliance/{region_code}")
    def compliance(self, request: Request, region_code: str):
        if not set(region_code) <= set(REGION):
            return error(400, "region_code", "A Kemendagri code such as 32 or 32.73.")
        return json_response(self.sipp.compliance(region_code))

    @http("GET", "/api/v1/sipp/providers")
    @observed("/api/v1/sipp/providers")
    def providers(self, request: Request):
        region = request.args.get("region_code", "")
        if not region or not set(region) <= set(REGION):
            return error(400, "region_code", "A Kemendagri code such as 32.73 is needed.")
        service, category = request.args.get("service"), request.args.get("category")
        if not service and not category:
            return error(400, "service", "Give service or category.")
        return json_response(
            {"providers": self.sipp.providers(region, service=service, category=category)}
        )
