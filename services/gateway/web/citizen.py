"""The citizens' pages: home, the report form, its confirmation, tracking a
report (with its PIN: it proves the reporter) and answering the agency, and the
public feed. Submissions and follow-ups go to intake's REST channel exactly as
`POST /api/v1/reports` and `POST /api/v1/reports/<id>/messages` do."""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets

import eventlet
from lokal import wilayah
from nameko.exceptions import RemoteError, UnknownService
from nameko.web.handlers import http
from werkzeug.datastructures import MultiDict
from werkzeug.test import encode_multipart
from werkzeug.wrappers import Request, Response

from lapor.contracts.case import STATUSES
from lapor.contracts.report import CATEGORIES, REPORT_TYPES, TRACKING_ID_PATTERN
from lapor.nameko.http import json_response
from services.gateway.channels_api import MAX_CHANNEL_BODY, rate_limited
from services.gateway.common import service_proxy
from services.gateway.limits import count_refusal
from services.gateway.tracking_api import pin_verdict
from services.gateway.web import csrf
from services.gateway.web.forms import field_errors, page_count, whole_number
from services.gateway.web.i18n import translate
from services.gateway.web.render import error_page, language, page, redirect, render

log = logging.getLogger(__name__)
TRACKING_ID = re.compile(rf"^{TRACKING_ID_PATTERN}$")
PIN = re.compile(r"^\d{8}$")
FORM_FIELDS = (
    "report_type", "title", "description", "incident_date", "province", "regency",
    "district", "category", "target_agency", "reporter.name", "reporter.email",
    "reporter.phone", "anonymous", "confidential", "idempotency_key",
)  # fmt: skip
PASSED_ON = ("report_type", "title", "description", "category", "incident_date",
             "target_agency", "reporter.name", "reporter.email", "reporter.phone")  # fmt: skip
# a report's statuses as tracking shows them: received, then the case's (lapor.contracts.case)
REPORT_STATUSES = ("submitted", *STATUSES)
# events whose reason is a code (lapor.contracts.case), shown by its name
CODED_REASONS = ("report.archived", "report.closed", "report.reopened")
NATIONAL_KINDS = ("ministry", "national_agency")
# the target agency is optional: a catalogue slower than this leaves its list empty
AGENCIES_SECONDS = 2.0
FEED_PER_PAGE = 20
PIN_COOKIE, SHOWN_PIN_COOKIE = "lapor_pin", "lapor_pin_once"
# the service's field -> the form's field, so an error appears beside the right field
SUBMIT_ALIASES = {"region_code": "province"}


def regions(parent: str | None = None) -> list[tuple[str, str]]:
    return [(w.code, w.name) for w in wilayah.list_wilayah(parent)]


def region_choice(values: dict) -> dict:
    """The province, regency and district chosen, each kept only when it lies
    inside the one before it, with the options of each level."""
    province = values.get("province", "")
    provinces = regions()
    if province not in dict(provinces):
        province = ""
    regency = values.get("regency", "")
    regencies = regions(province) if province else []
    if regency not in dict(regencies):
        regency = ""
    district = values.get("district", "")
    districts = regions(regency) if regency else []
    if district not in dict(districts):
        district = ""
    return {
        "province": province, "regency": regency, "district": district,
        "provinces": provinces, "regencies": regencies, "districts": districts,
    }  # fmt: skip


def submission_fields(values: dict) -> list[tuple[str, str]]:
    """The form's values as intake's REST channel reads a multipart submission."""
    fields = [(name, values[name].strip()) for name in PASSED_ON if values.get(name, "").strip()]
    chosen = region_choice(values)
    region = chosen["district"] or chosen["regency"] or chosen["province"]
    if region:
        fields.append(("region_code", region))
    for flag in ("anonymous", "confidential"):
        fields.append((flag, "true" if values.get(flag) else "false"))
    return fields


def group_label(region_code: str | None, lang: str) -> str:
    if region_code is None:
        return translate(lang, "citizen.form.agencies_national")
    name = wilayah.get_wilayah(region_code).name
    return translate(lang, "citizen.form.agencies_of", region=name)


def agency_order(agency: dict) -> tuple:
    """Governments before their units, then by name."""
    return (agency["kind"] == "unit", agency["name"])


def uploads(request: Request) -> list:
    """The chosen files (a file input left empty sends a nameless, empty part)."""
    return [f for f in request.files.getlist("attachments") if f.filename]


def wire(request: Request, path: str, fields: list, files: list, key: str | None) -> dict:
    """`lapor.channels.Inbound.to_wire()` of a multipart POST to `path`."""
    data = MultiDict(fields)
    for upload in files:
        data.add("attachments", upload)
    boundary, body = encode_multipart(data)
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    if key:
        headers["idempotency-key"] = key
    return {
        "method": "POST", "path": path, "headers": headers, "query": {},
        "body": base64.b64encode(body).decode("ascii"), "remote_addr": request.remote_addr,
    }  # fmt: skip


def answer_of(reply: dict) -> tuple[int, dict]:
    try:
        body = json.loads(reply["body"] or b"null")
    except ValueError:
        body = None
    return int(reply["status"]), body if isinstance(body, dict) else {}


def signed(value: str, purpose: str) -> str:
    return f"{value}.{csrf.sign(f'{purpose}:{value}')}"


def unsigned(cookie: str | None, purpose: str) -> str | None:
    if not cookie or "." not in cookie:
        return None
    value, _, mac = cookie.rpartition(".")
    return value if secrets.compare_digest(mac, csrf.sign(f"{purpose}:{value}")) else None


def too_large(request: Request) -> Response | None:
    if (request.content_length or 0) > MAX_CHANNEL_BODY:
        count_refusal(413)
        return error_page(request, 413, "common.error.too_large")
    return None


def refused(request: Request) -> Response | None:
    """Every POST of these pages: size, rate and CSRF first."""
    large = too_large(request)
    if large is not None:
        return large
    if rate_limited(request) is not None:
        return error_page(request, 429, "common.msg.rate")
    return csrf.csrf_refused(request)


def normal_id(tracking_id: str) -> str:
    return (tracking_id or "").strip().upper()


class CitizenPages:
    intake = service_proxy("intake")
    tracking = service_proxy("tracking")
    sipp = service_proxy("sipp")

    def _agencies(self, region_code: str | None, kinds: tuple) -> list[dict]:
        return [
            agency
            for kind in kinds
            for agency in self.sipp.list_agencies(region_code, kind, 1000, 0)
        ]

    def _agency_groups(self, chosen: dict, lang: str) -> list[dict]:
        """The agencies a reporter may name as the target: those of the chosen
        regency or city and of its province (SIPP's catalogue), then the
        national ones. Empty when SIPP does not answer in time: the field is
        optional, and the report form must not wait for it."""
        wanted = [(code, (None,)) for code in (chosen["regency"], chosen["province"]) if code]
        wanted.append((None, NATIONAL_KINDS))
        groups = []
        timer = eventlet.Timeout(AGENCIES_SECONDS)
        try:
            for region, kinds in wanted:
                found = sorted(self._agencies(region, kinds), key=agency_order)
                if found:
                    options = [(a["code"], a["name"]) for a in found]
                    groups.append({"label": group_label(region, lang), "options": options})
        except eventlet.Timeout as exc:
            if exc is not timer:
                raise  # the whole request's time is up, not just the list's
            log.warning("the catalogue did not answer in time: no agencies for the form")
            return []
        except (RemoteError, UnknownService) as exc:
            log.warning("no agencies from the catalogue for the form", extra={"error": repr(exc)})
            return []
        finally:
            timer.cancel()
        return groups

    @http("GET", "/")
    @page("/")
    def home_page(self, request: Request):
        return render(request, "citizen/home.html")

    # --- the report form -------------------------------------------------

    def _report_form(self, request, values: dict, errors: dict, status: int = 200):
        values.setdefault("idempotency_key", secrets.token_urlsafe(18))
        region = region_choice(values)
        return render(
            request, "citizen/report_form.html", status=status, values=values, errors=errors,
            region=region, categories=CATEGORIES, report_types=REPORT_TYPES,
            agencies=self._agency_groups(region, language(request)),
        )  # fmt: skip

    @http("GET", "/lapor")
    @page("/lapor")
    def report_form(self, request: Request):
        return self._report_form(request, {"report_type": "pengaduan"}, {})

    @http("GET", "/lapor/wilayah")
    @page("/lapor/wilayah")
    def region_options(self, request: Request):
        """The regions inside `induk` (provinces without it), for the form's script."""
        parent = request.args.get("induk") or None
        if parent is not None and wilayah.get_wilayah(parent) is None:
            return json_response({"errors": {"induk": ["No such region."]}}, status=404)
        return json_response({"regions": [{"code": c, "name": n} for c, n in regions(parent)]})

    @http("GET", "/lapor/instansi")
    @page("/lapor/instansi")
    def agency_options(self, request: Request):
        """The target agencies the form offers for the region `wilayah` (its
        regency or city, its province, national), for the form's script."""
        code = request.args.get("wilayah") or ""
        if code and wilayah.get_wilayah(code) is None:
            return json_response({"errors": {"wilayah": ["No such region."]}}, status=404)
        parts = code.split(".")
        chosen = {
            "province": parts[0] if code else "",
            "regency": ".".join(parts[:2]) if len(parts) >= 2 else "",
        }
        groups = self._agency_groups(chosen, language(request))
        return json_response(
            {
                "groups": [
                    {
                        "label": g["label"],
                        "agencies": [{"code": c, "name": n} for c, n in g["options"]],
                    }
                    for g in groups
                ]
            }
        )

    @http("POST", "/lapor")
    @page("/lapor")
    def report_submit(self, request: Request):
        stop = refused(request)
        if stop is not None:
            return stop
        values = {name: request.form.get(name, "") for name in FORM_FIELDS}
        if request.form.get("stage"):  # "show choices" of the next region level
            return self._report_form(request, values, {})
        return self._submit(request, values)

    def _submit(self, request: Request, values: dict) -> Response:
        lang = language(request)
        inbound = wire(
            request, "/api/v1/reports", submission_fields(values), uploads(request),
            values.get("idempotency_key") or None,
        )  # fmt: skip
        status, body = answer_of(self.intake.receive("web", inbound))
        count_refusal(status)
        if status not in (200, 201) or "tracking_id" not in body:
            errors = field_errors(body.get("errors") or {}, lang, SUBMIT_ALIASES)
            return self._report_form(request, values, errors, status if status >= 400 else 400)
        tracking_id = body["tracking_id"]
        response = redirect(f"/lapor/terkirim/{tracking_id}")
        if body.get("pin"):
            secret = "rahasia" if values.get("confidential") else "publik"
            response.set_cookie(
                SHOWN_PIN_COOKIE, signed(f"{tracking_id}-{secret}-{body['pin']}", "shown-pin"),
                max_age=600, httponly=True, samesite="Strict", path="/lapor/terkirim/",
            )  # fmt: skip
            self._remember_pin(response, tracking_id, body["pin"])  # to reply without typing it
        return response

    @http("GET", "/lapor/terkirim/<string:tracking_id>")
    @page("/lapor/terkirim/{id}")
    def report_sent(self, request: Request, tracking_id: str):
        """The tracking id and the report's PIN, once."""
        tracking_id = normal_id(tracking_id)
        if not TRACKING_ID.match(tracking_id):
            return error_page(request, 404, "common.error.not_found")
        shown = unsigned(request.cookies.get(SHOWN_PIN_COOKIE), "shown-pin") or ""
        pin, confidential = None, False
        if shown.startswith(f"{tracking_id}-"):
            secret, _, pin = shown.removeprefix(f"{tracking_id}-").partition("-")
            confidential = secret == "rahasia"
        response = render(
            request, "citizen/sent.html", tracking_id=tracking_id, pin=pin or None,
            confidential=confidential,
        )  # fmt: skip
        if pin:
            response.delete_cookie(SHOWN_PIN_COOKIE, path="/lapor/terkirim/")
        return response

    # --- tracking ----------------------------------------------------------

    @http("GET", "/lacak")
    @page("/lacak")
    def track_lookup(self, request: Request):
        return render(request, "citizen/lookup.html", values={}, errors={})

    @http("POST", "/lacak")
    @page("/lacak")
    def track_lookup_submit(self, request: Request):
        stop = refused(request)
        if stop is not None:
            return stop
        values = {"tracking_id": request.form.get("tracking_id", ""), "pin": ""}
        tracking_id = normal_id(values["tracking_id"])
        error, status = self._lookup_error(tracking_id)
        if error is None:
            pin = request.form.get("pin", "").strip()
            if not pin:
                return redirect(f"/lacak/{tracking_id}")
            return self._open_with_pin(request, tracking_id, pin, "citizen/lookup.html", values)
        errors = {"tracking_id": [translate(language(request), error)]}
        return render(request, "citizen/lookup.html", status, values=values, errors=errors)

    def _lookup_error(self, tracking_id: str) -> tuple[str | None, int]:
        if not TRACKING_ID.match(tracking_id):
            return "citizen.lookup.bad_id", 400
        if self.tracking.get_report(tracking_id) is None:
            return "citizen.lookup.unknown", 404
        return None, 200

    def _pin_error(self, request: Request, tracking_id: str, pin: str) -> str | None:
        """Checks the PIN as `GET /api/v1/reports/<id>` does, with the same
        limit of wrong guesses per client address."""
        if not PIN.match(pin):
            count_refusal(403)
            return "common.msg.pin"
        ip = request.remote_addr or "-"
        verdict = pin_verdict(ip, tracking_id, pin, self.intake.check_pin)
        return {None: None, 403: "common.msg.pin", 429: "common.msg.too_many_pins"}[verdict]

    def _open_with_pin(self, request, tracking_id, pin, template, values, **context):
        error = self._pin_error(request, tracking_id, pin)
        if error is not None:
            errors = {"pin": [translate(language(request), error)]}
            status = 429 if error == "common.msg.too_many_pins" else 403
            return render(
                request, template, status, values=values, errors=errors,
                tracking_id=tracking_id, **context,
            )  # fmt: skip
        return self._remember_pin(redirect(f"/lacak/{tracking_id}"), tracking_id, pin)

    @staticmethod
    def _remember_pin(response: Response, tracking_id: str, pin: str) -> Response:
        """This browser holds the report's PIN (signed), for its tracking page."""
        response.set_cookie(
            PIN_COOKIE, signed(pin, f"pin:{tracking_id}"), httponly=True, samesite="Strict",
            path=f"/lacak/{tracking_id}",
        )  # fmt: skip
        return response

    def _remembered_pin(self, request: Request, tracking_id: str) -> str | None:
        return unsigned(request.cookies.get(PIN_COOKIE), f"pin:{tracking_id}")

    @http("GET", "/lacak/<string:tracking_id>")
    @page("/lacak/{id}")
    def track_page(self, request: Request, tracking_id: str):
        return self._track(request, normal_id(tracking_id))

    def _track(self, request, tracking_id, status=200, errors=None, values=None) -> Response:
        report = self.tracking.get_report(tracking_id) if TRACKING_ID.match(tracking_id) else None
        if report is None:
            return error_page(request, 404, "citizen.lookup.unknown")
        holds_pin = self._remembered_pin(request, tracking_id) is not None
        if report["confidential"]:
            if not holds_pin:
                return render(
                    request, "citizen/pin.html", 403, tracking_id=tracking_id, values={},
                    errors={},
                )  # fmt: skip
            report = self.tracking.get_report(tracking_id, reporter=True)
        answers = [e for e in report["timeline"] if e["type"] == "report.responded"]
        return render(
            request, "citizen/track.html", status, report=report, answers=answers,
            errors=errors or {}, values=values or {}, sent="terkirim" in request.args,
            coded_reasons=CODED_REASONS,
            holds_pin=holds_pin,
        )  # fmt: skip

    @http("POST", "/lacak/<string:tracking_id>/pin")
    @page("/lacak/{id}/pin")
    def track_pin(self, request: Request, tracking_id: str):
        stop = refused(request)
        if stop is not None:
            return stop
        tracking_id = normal_id(tracking_id)
        if self.tracking.get_report(tracking_id) is None:
            return error_page(request, 404, "citizen.lookup.unknown")
        pin = request.form.get("pin", "").strip()
        return self._open_with_pin(request, tracking_id, pin, "citizen/pin.html", {})

    @http("POST", "/lacak/<string:tracking_id>/pesan")
    @page("/lacak/{id}/pesan")
    def track_message(self, request: Request, tracking_id: str):
        """A reply, dispute, confirmation or more information from the reporter."""
        stop = refused(request)
        if stop is not None:
            return stop
        tracking_id = normal_id(tracking_id)
        if not TRACKING_ID.match(tracking_id):
            return error_page(request, 404, "citizen.lookup.unknown")
        kind = request.form.get("kind", "")
        closing = kind == "confirmation"
        field, pin_field = ("closing_message", "closing_pin") if closing else ("message", "pin")
        values = {field: request.form.get(field, ""), "kind": kind}
        fields = [("kind", kind), ("message", request.form.get(field, "").strip())]
        typed = request.form.get(pin_field, "").strip()
        pin = self._remembered_pin(request, tracking_id)
        if typed and typed != pin:  # a PIN typed here counts against wrong guesses too
            error = self._pin_error(request, tracking_id, typed)
            if error is not None:
                error = "common.msg.reporter_only" if error == "common.msg.pin" else error
                errors = {pin_field: [translate(language(request), error)]}
                status = 429 if error == "common.msg.too_many_pins" else 403
                return self._track(request, tracking_id, status, errors, values)
            pin = typed
        if pin:
            fields.append(("pin", pin))
        path = f"/api/v1/reports/{tracking_id}/messages"
        inbound = wire(request, path, fields, uploads(request), None)
        status, body = answer_of(self.intake.receive("web", inbound))
        count_refusal(status)
        if status in (200, 201):
            response = redirect(f"/lacak/{tracking_id}?terkirim=1#riwayat")
            return self._remember_pin(response, tracking_id, pin) if typed else response
        aliases = {"message": field, "pin": pin_field}
        errors = field_errors(body.get("errors") or {}, language(request), aliases)
        return self._track(request, tracking_id, status, errors, values)

    # --- the public feed ----------------------------------------------------

    @http("GET", "/laporan")
    @page("/laporan")
    def public_feed_page(self, request: Request):
        wanted = {k: request.args.get(k, "") for k in ("status", "category", "region_code")}
        filters = {k: v for k, v in wanted.items() if v}
        page_number = whole_number(request.args.get("page")) or 1
        found = self.tracking.public_feed(filters, page_number, FEED_PER_PAGE)
        errors, status = {}, 200
        if "error" in found:
            errors = field_errors(found["error"]["errors"], language(request))
            status = found["error"]["status"]
            found = {"items": [], "total": 0, "page": 1, "per_page": FEED_PER_PAGE}
        pages = page_count(found["total"], FEED_PER_PAGE)
        return render(
            request, "citizen/feed.html", status, found=found, pages=pages, values=wanted,
            errors=errors, statuses=REPORT_STATUSES, categories=CATEGORIES,
            provinces=regions(),
        )  # fmt: skip
