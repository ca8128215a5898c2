"""Open311 GeoReport v2 `POST requests.(json|xml)`: a civic app's service
request becomes a report. Form-encoded, with the client's `api_key`; the
service code is a category code; the location is `lat`/`long`,
`address_string` or `address_id`; `attribute[...]` carries Lapor's own fields
(`attribute[region_code]`, `attribute[title]`, `attribute[report_type]`,
`attribute[anonymous]`, `attribute[confidential]`); `media_url` is kept as a
link in the description. The same request replayed by the same client makes
one report. Answers and errors in the spec's JSON or XML."""

from __future__ import annotations

import hashlib
import json
import math
import re
from xml.sax.saxutils import escape

from lapor.channels import Channel, ChannelError, Inbound, Outcome, Reply, Submission
from lapor.contracts.report import CATEGORIES

PATH = re.compile(r"^/open311/v2/requests\.(json|xml)$")
ATTRIBUTE = re.compile(r"^attribute\[([a-z_]{1,32})\]$")
ATTRIBUTES = {"region_code", "title", "report_type", "anonymous", "confidential", "category"}
KNOWN = {
    "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string",
    "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
    "description", "media_url",
}  # fmt: skip


def response_format(inbound: Inbound) -> str:
    match = PATH.match(inbound.path)
    return match.group(1) if match else "json"


def to_xml(root: str, item: str, rows: list[dict]) -> str:
    """Open311's XML: a root element holding one element per row."""

    def value(v) -> str:
        return "" if v is None else escape(str(v).lower() if isinstance(v, bool) else str(v))

    body = "".join(
        f"<{item}>" + "".join(f"<{k}>{value(v)}</{k}>" for k, v in row.items()) + f"</{item}>"
        for row in rows
    )
    return f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'


def errors_reply(fmt: str, status: int, errors: dict[str, list[str]]) -> Reply:
    rows = [
        {"code": status, "description": f"{field}: {' '.join(map(str, messages))}"}
        for field, messages in errors.items()
    ]
    if fmt == "xml":
        return Reply(status, to_xml("errors", "error", rows), "text/xml; charset=utf-8")
    return Reply(status, json.dumps(rows))


def _one(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ChannelError({name: ["Give this field once."]})
    return values[0].strip() or None


def _coordinate(form, name: str, bound: float) -> float | None:
    raw = _one(form, name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ChannelError({name: ["Expected a decimal number (WGS84)."]}) from None
    if not math.isfinite(value) or abs(value) > bound:
        raise ChannelError({name: [f"Must be between -{bound:g} and {bound:g}."]})
    return value


class Open311Channel(Channel):
    kind = "open311"
    requires_api_key = True

    def api_key(self, inbound: Inbound) -> str | None:
        try:
            return _one(inbound.form(), "api_key")
        except ChannelError:
            return None

    def parse(self, inbound: Inbound) -> Submission:
        if inbound.method != "POST" or not PATH.match(inbound.path):
            raise ChannelError({"_path": ["POST /open311/v2/requests.json or .xml"]}, 404)
        form = inbound.form()
        fields: dict = {}
        errors: dict[str, list[str]] = {}
        for name in form:
            match = ATTRIBUTE.match(name)
            if match and match.group(1) in ATTRIBUTES:
                fields[match.group(1)] = _one(form, name)
            elif name not in KNOWN:
                errors[name] = ["Unknown field."]
        service_code = _one(form, "service_code")
        if service_code not in CATEGORIES:
            errors["service_code"] = ["Not a service code of GET services."]
        description = _one(form, "description")
        if not description:
            errors["description"] = ["Describe the problem."]
        lat = _coordinate(form, "lat", 90)
        long = _coordinate(form, "long", 180)
        address = _one(form, "address_string")
        address_id = _one(form, "address_id")
        if (lat is None) != (long is None):
            errors["lat"] = ["Give both lat and long, or neither."]
        if lat is None and not address and not address_id:
            errors["address_string"] = ["Give lat and long, address_string or address_id."]
        if errors:
            raise ChannelError(errors)
        place = "; ".join(
            part
            for part in (
                address,
                f"ID alamat {address_id}" if address_id else None,
                f"koordinat {lat:.6f}, {long:.6f}" if lat is not None else None,
            )
            if part
        )
        text = f"{description}\n\nLokasi: {place}"
        if _one(form, "media_url"):
            text += f"\nMedia: {_one(form, 'media_url')}"
        fields = {k: v for k, v in fields.items() if v is not None}
        fields.setdefault("category", service_code)
        fields.setdefault("title", (description[:80] if len(description) >= 5 else text[:80]))
        fields["description"] = text
        reporter = {
            "name": " ".join(p for p in (_one(form, "first_name"), _one(form, "last_name")) if p)
            or None,
            "email": _one(form, "email"),
            "phone": _one(form, "phone"),
        }
        if any(reporter.values()):
            fields["reporter"] = reporter
        # a client that posts the same request again (a retry) gets the same report
        canonical = json.dumps(sorted((k, v) for k, v in form.items()), ensure_ascii=False)
        message_id = hashlib.sha256(canonical.encode()).hexdigest()
        return Submission(fields, message_id=message_id)

    def reply(self, outcome: Outcome) -> Reply:
        fmt = response_format(outcome.inbound) if outcome.inbound else "json"
        if outcome.result == "rejected":
            return errors_reply(fmt, outcome.status, outcome.errors or {})
        notice = (
            f"Laporan diterima dengan nomor {outcome.tracking_id}. "
            f"Lacak di /api/v1/reports/{outcome.tracking_id}."
        )
        row = {
            "service_request_id": outcome.tracking_id,
            "service_notice": notice,
            "account_id": None,
        }
        status = 201 if outcome.result == "accepted" else 200
        if fmt == "xml":
            return Reply(status, to_xml("service_requests", "request", [row]), "text/xml")
        return Reply(status, json.dumps([row]))
