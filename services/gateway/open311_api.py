"""Open311 GeoReport v2 at /open311/v2/: discovery, services (the category
taxonomy), service definitions, requests (POST through intake's `open311`
channel; GET from tracking) and tokens, each as .json or .xml. Errors are
the spec's list of code and description, with 400, 403 or 404."""

from __future__ import annotations

import json

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.contracts.report import CATEGORIES
from services.gateway.channels_api import (
    inbound_wire,
    rate_limited,
    read_body,
    reply_response,
    too_large,
)
from services.gateway.common import MAX_BODY, observed, service_proxy

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00Z"
CATEGORY_NAMES = {
    "pendidikan": "Pendidikan dan pengajaran",
    "kesehatan": "Kesehatan",
    "kemaritiman": "Kemaritiman",
    "perumahan": "Tempat tinggal",
    "perbankan": "Perbankan",
    "pertanian": "Pertanian",
    "kominfo": "Komunikasi dan informasi",
    "perhubungan": "Perhubungan",
    "hukum_keamanan": "Hukum dan keamanan",
    "lingkungan_hidup": "Lingkungan hidup",
    "jaminan_sosial": "Jaminan sosial",
    "reformasi_birokrasi": "Reformasi birokrasi",
    "bencana": "Penanggulangan bencana",
    "infrastruktur": "Infrastruktur",
    "sumber_daya_alam": "Sumber daya alam",
    "pembangunan_desa": "Pembangunan desa",
    "pariwisata": "Pariwisata",
    "ketenagakerjaan": "Ketenagakerjaan dan usaha",
    "energi": "Energi",
    "kependudukan": "Administrasi kependudukan",
    "perizinan": "Perizinan",
    "lainnya": "Topik lainnya",
}
CLOSED_STATUSES = {"closed", "resolved", "archived", "rejected", "done"}
# Open311's list parameters, and the public feed's filters they become
LIST_FILTERS = {
    "service_code": "category",
    "start_date": "submitted_from",
    "end_date": "submitted_to",
}
OPEN311_NAME = {feed: open311 for open311, feed in LIST_FILTERS.items()}
MAX_LISTED = 100
MAX_IDS = 50


def _xml_value(value, item: str = "value") -> str:
    from xml.sax.saxutils import escape

    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "".join(f"<{k}>{_xml_value(v)}</{k}>" for k, v in value.items())
    if isinstance(value, list):
        return "".join(f"<{item}>{_xml_value(v)}</{item}>" for v in value)
    return escape(str(value))


def render(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> Response:
    if fmt == "json":
        return Response(json.dumps(rows), status=status, mimetype="application/json")
    body = "".join(
        f"<{item}>"
        + "".join(f"<{k}>{_xml_value(v, k.rstrip('s'))}</{k}>" for k, v in row.items())
        + f"</{item}>"
        for row in rows
    )
    xml = f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'
    return Response(xml, status=status, mimetype="text/xml")


def open311_error(fmt: str, status: int, description: str) -> Response:
    rows = [{"code": status, "description": description}]
    return render(fmt if fmt in ("json", "xml") else "json", "errors", "error", rows, status)


def request_view(report: dict) -> dict:
    """A tracking report as an Open311 service request."""
    agency = report.get("agency") or {}
    return {
        "service_request_id": report["tracking_id"],
        "status": "closed" if report["status"] in CLOSED_STATUSES else "open",
        "status_notes": report["status_label"]["id"],
        "service_name": CATEGORY_NAMES.get(report["category"], report["category"]),
        "service_code": report["category"],
        "description": report.get("title"),
        "agency_responsible": agency.get("name"),
        "service_notice": None,
        "requested_datetime": report["submitted_at"],
        "updated_datetime": report["updated_at"],
        "expected_datetime": report.get("due_at"),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
        **({"notes": notes(report["timeline"])} if "timeline" in report else {}),
    }


def notes(timeline: list[dict]) -> list[dict]:
    """The `notes` extension: the public timeline, oldest first."""
    return [
        {
            "datetime": entry["time"],
            "type": entry["type"].removeprefix("report."),
            "summary": entry.get("status_label") or entry["type"],
            "description": entry.get("message"),
            "actor": entry["actor_role"],
        }
        for entry in timeline
    ]


class Open311Api:
    intake = service_proxy("intake")
    tracking = service_proxy("tracking")

    def _public_request(self, tracking_id: str) -> dict | None:
        report = self.tracking.get_report(tracking_id.strip().upper())
        if report is None or report["confidential"]:  # a confidential report is not public
            return None
        return request_view(report)

    @http("GET", "/open311/v2/discovery.<string:fmt>")
    @observed("/open311/v2/discovery")
    def open311_discovery(self, request: Request, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        base = request.host_url.rstrip("/") + "/open311/v2/"
        endpoint = {
            "specification": SPEC,
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
        doc = {"changeset": CHANGESET, "contact": "admin Lapor", "key_service": "lapor open311-key"}
        if fmt == "json":
            return Response(
                json.dumps({**doc, "endpoints": [endpoint]}), mimetype="application/json"
            )
        endpoint_xml = "".join(
            f"<{k}>{_xml_value(v) if k != 'formats' else ''.join(f'<format>{f}</format>' for f in v)}</{k}>"  # noqa: E501
            for k, v in endpoint.items()
        )
        inner = "".join(f"<{k}>{_xml_value(v)}</{k}>" for k, v in doc.items())
        xml = (
            f'<?xml version="1.0" encoding="utf-8"?><discovery>{inner}'
            f"<endpoints><endpoint>{endpoint_xml}</endpoint></endpoints></discovery>"
        )
        return Response(xml, mimetype="text/xml")

    @http("GET", "/open311/v2/services.<string:fmt>")
    @observed("/open311/v2/services")
    def open311_services(self, request: Request, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        rows = [
            {
                "service_code": code,
                "service_name": CATEGORY_NAMES[code],
                "description": f"Pengaduan tentang {CATEGORY_NAMES[code].lower()}.",
                "metadata": False,
                "type": "realtime",
                "keywords": code.replace("_", ","),
                "group": "SP4N-LAPOR!",
            }
            for code in CATEGORIES
        ]
        return render(fmt, "services", "service", rows)

    @http("GET", "/open311/v2/services/<string:code>.<string:fmt>")
    @observed("/open311/v2/services/{code}")
    def open311_service(self, request: Request, code: str, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        if code not in CATEGORIES:
            return open311_error(fmt, 404, f"service_code: no service {code!r}.")
        definition = {"service_code": code, "attributes": []}
        return render(fmt, "service_definition", "service", [definition]) if fmt == "xml" else (
            Response(json.dumps(definition), mimetype="application/json")
        )  # fmt: skip

    @http("POST", "/open311/v2/requests.<string:fmt>")
    @observed("/open311/v2/requests")
    def open311_post_request(self, request: Request, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        limited = rate_limited(request)
        if limited is not None:
            return open311_error(fmt, 429, "Too many requests from this address.")
        body = read_body(request, MAX_BODY)
        if body is None:
            too_large()
            return open311_error(fmt, 413, "The request body is too large.")
        return reply_response(self.intake.receive("open311", inbound_wire(request, body)))

    @http("GET", "/open311/v2/requests.<string:fmt>")
    @observed("/open311/v2/requests")
    def open311_get_requests(self, request: Request, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        ids = [i for i in request.args.get("service_request_id", "").split(",") if i.strip()]
        if not ids:
            return self._listed_requests(request, fmt)
        if len(ids) > MAX_IDS:
            return open311_error(fmt, 400, f"service_request_id: at most {MAX_IDS} ids.")
        rows = [row for row in map(self._public_request, ids) if row is not None]
        return render(fmt, "service_requests", "request", rows)

    def _listed_requests(self, request: Request, fmt: str) -> Response:
        """Without ids: the public (non-confidential) requests, newest first."""
        filters = {LIST_FILTERS[k]: v for k, v in request.args.items() if k in LIST_FILTERS}
        status = request.args.get("status")
        if status not in (None, "open", "closed"):
            return open311_error(fmt, 400, "status: open or closed.")
        if status:
            filters["open"] = status == "open"
        page = self.tracking.public_feed(filters, 1, MAX_LISTED)
        if "error" in page:
            errors = page["error"]["errors"].items()
            wrong = [f"{OPEN311_NAME.get(k, k)}: {' '.join(map(str, m))}" for k, m in errors]
            return open311_error(fmt, 400, "; ".join(wrong))
        return render(fmt, "service_requests", "request", [request_view(r) for r in page["items"]])

    @http("GET", "/open311/v2/requests/<string:request_id>.<string:fmt>")
    @observed("/open311/v2/requests/{id}")
    def open311_get_request(self, request: Request, request_id: str, fmt: str):
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        row = self._public_request(request_id)
        if row is None:
            return open311_error(fmt, 404, "service_request_id: no such request.")
        return render(fmt, "service_requests", "request", [row])

    @http("GET", "/open311/v2/tokens/<string:token>.<string:fmt>")
    @observed("/open311/v2/tokens/{token}")
    def open311_token(self, request: Request, token: str, fmt: str):
        """Requests are committed before the answer, so a token is the request id."""
        if fmt not in ("json", "xml"):
            return open311_error("json", 404, "Formats: json, xml.")
        if self._public_request(token) is None:
            return open311_error(fmt, 404, "token: no such token.")
        rows = [{"service_request_id": token.strip().upper(), "token": token}]
        return render(fmt, "service_requests", "request", rows)
