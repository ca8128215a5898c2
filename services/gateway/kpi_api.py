"""KPIs of complaint handling (DOMAIN.md section 7), public: aggregates only,
no report and no person. Computed by tracking (docs/kpis.md)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.contracts.kpis import GROUP_BY, REGION_LEVELS
from lapor.contracts.report import REGION_CODE
from lapor.nameko.http import json_response
from services.gateway.common import observed, service_proxy
from services.gateway.tracking_schemas import query_param

JAKARTA = ZoneInfo("Asia/Jakarta")
COLUMNS = (
    "group",
    "received",
    "verified_within_sla",
    "followed_up",
    "followed_up_within_sla",
    "resolved",
    "reopened",
    "verified_within_sla_pct",
    "followed_up_pct",
    "followed_up_within_sla_pct",
    "resolved_pct",
    "reopened_pct",
    "first_response_median_h",
    "first_response_p90_h",
    "resolution_median_h",
    "resolution_p90_h",
)


def _time(args, name: str, errors: dict) -> str | None:
    """ISO 8601; a date alone is its midnight in Asia/Jakarta; no zone means Jakarta."""
    raw = args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Not an ISO 8601 date or date-time."]
        return None
    return (value if value.tzinfo else value.replace(tzinfo=JAKARTA)).isoformat()


def _period(args, errors: dict) -> dict[str, Any]:
    found = {
        "period_from": _time(args, "from", errors),
        "period_to": _time(args, "to", errors),
        "as_of": _time(args, "as_of", errors),
    }
    if found["period_from"] and found["period_to"] and not errors:
        start, end = (datetime.fromisoformat(found[k]) for k in ("period_from", "period_to"))
        if start >= end:
            errors["to"] = ["Must be after `from`."]
    return found


def _region(value: str | None, field: str, errors: dict) -> str | None:
    if value in (None, ""):
        return None
    if not re.match(REGION_CODE, value):
        errors[field] = ["A Kemendagri region code, e.g. 32 or 32.73."]
    return value


def kpi_csv(rows: list[dict]) -> Response:
    """The KPI rows as CSV (the API's `format=csv`; also the web page's download)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv")


def kpi_query(args) -> tuple[dict[str, Any], dict]:
    """The arguments of `tracking.kpis` a query string asks for (group_by, from,
    to, as_of, region, level), and its errors by parameter. The JSON API and
    the statistics page (services/gateway/web/stats.py) both read it here."""
    errors: dict = {}
    group_by = args.get("group_by", "agency")
    if group_by not in GROUP_BY:
        errors["group_by"] = [f"One of {', '.join(GROUP_BY)}."]
    level = args.get("level", "1")
    if level not in {str(n) for n in REGION_LEVELS}:
        errors["level"] = ["1 (province), 2 (regency/city), 3 (district) or 4 (village)."]
    region = _region(args.get("region"), "region", errors)
    period = _period(args, errors)
    query = {
        "group_by": group_by,
        **period,
        "region_level": int(level) if "level" not in errors else 1,
        "region_code": region,
    }
    return query, errors


class KpiApi:
    tracking = service_proxy("tracking")

    @http("GET", "/api/v1/kpis")
    @observed("/api/v1/kpis")
    def kpis(self, request: Request):
        """?group_by=agency|region|category&from=&to=&as_of=&region=&level=&format=json|csv"""
        query, errors = kpi_query(request.args)
        fmt = request.args.get("format", "json")
        if fmt not in ("json", "csv"):
            errors["format"] = ["json or csv."]
        if errors:
            return json_response({"errors": errors}, status=400)
        rows = self.tracking.kpis(**query)
        if fmt == "csv":
            return kpi_csv(rows)
        period = {k: query[k] for k in ("period_from", "period_to", "as_of")}
        return json_response({"group_by": query["group_by"], **period, "rows": rows})

    @http("GET", "/api/v1/kpis/regions/<string:code>")
    @observed("/api/v1/kpis/regions/{code}")
    def region_kpis(self, request: Request, code: str):
        """The "good region" indicators: decree, active accounts, > 50 % followed up."""
        errors: dict = {}
        _region(code, "code", errors)
        period = _period(request.args, errors)
        if errors:
            return json_response({"errors": errors}, status=400)
        return json_response(self.tracking.region_kpis(code, **period))


# -- OpenAPI (docs/generate_openapi.py) ----------------------------------------------


PERIOD = [
    query_param("from", "Reports received from (ISO 8601; a date is its midnight in Jakarta)."),
    query_param("to", "Reports received before (exclusive)."),
    query_param("as_of", "Compute from the log's events recorded until then (time travel)."),
]
KPI_ROW = {
    "type": "object",
    "properties": {
        name: {"type": "string"} if name == "group" else {"type": ["number", "null"]}
        for name in COLUMNS
    },
}
REGION_ANSWER = {
    "type": "object",
    "properties": {
        "region_code": {"type": "string"},
        "governments": {"type": "array", "items": {"type": "string"}},
        "complaint_team_decree": {"type": "array", "items": {"type": "object"}},
        "active_accounts": {
            "type": "integer",
            "description": "Distinct agency accounts that acted on a case in the period "
            "(from the events; accounts that exist but did nothing are not in the log).",
        },
        "received": {"type": "integer"},
        "followed_up_pct": {"type": ["number", "null"]},
        "indicators": {"type": "object"},
        "good": {"type": "boolean"},
    },
}


def paths(service_failed: dict) -> dict[str, dict[str, Any]]:
    bad = {"$ref": "#/components/schemas/Errors"}
    errors = {"description": "A parameter is not valid.",
              "content": {"application/json": {"schema": bad}}}  # fmt: skip
    return {
        "/api/v1/kpis": {
            "get": {
                "operationId": "kpis",
                "tags": ["kpis"],
                "summary": "KPIs per agency, region or category",
                "description": "See docs/kpis.md for each definition.",
                "parameters": [
                    query_param(
                        "group_by",
                        "agency, region or category.",
                        {"type": "string", "enum": list(GROUP_BY), "default": "agency"},
                    ),
                    query_param("region", "Only reports of this region (code prefix)."),
                    query_param(
                        "level",
                        "Region level to group by: 1 province .. 4 village.",
                        {"type": "integer", "enum": list(REGION_LEVELS), "default": 1},
                    ),
                    *PERIOD,
                    query_param(
                        "format",
                        "json or csv.",
                        {"type": "string", "enum": ["json", "csv"], "default": "json"},
                    ),
                ],  # fmt: skip
                "responses": {
                    "200": {
                        "description": "One row per group.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"rows": {"type": "array", "items": KPI_ROW}},
                                }
                            },
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "400": errors,
                    "503": service_failed,
                },
            }
        },
        "/api/v1/kpis/regions/{code}": {
            "get": {
                "operationId": "regionKpis",
                "tags": ["kpis"],
                "summary": "The good-region indicators of one region",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "Region code, e.g. 32.73.",
                    },
                    *PERIOD,
                ],  # fmt: skip
                "responses": {
                    "200": {
                        "description": "Decree on record, active accounts, followed up.",
                        "content": {"application/json": {"schema": REGION_ANSWER}},
                    },
                    "400": errors,
                    "503": service_failed,
                },
            }
        },
    }
