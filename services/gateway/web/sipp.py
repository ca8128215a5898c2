"""The SIPP catalogue on the web: `/standar` (search and browse published
service standards), `/standar/<id>` (a standard with the 14 components of
PermenPANRB 15/2014), and `/standar/kelola` where a logged-in account of an
agency lists, creates, edits, publishes, revises and withdraws its agency's
standards.

The form is one row of the SIPP spreadsheet template: its fields are the
template's columns, read and checked by `lapor.standard_template.parse_row`
(the kernel's code that also checks imported rows), and a standard is shown in
the form by `template.to_row`. The sipp service checks it all again and decides.
"""

from __future__ import annotations

from urllib.parse import urlencode

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor import standard_template as template
from lapor.contracts.report import CATEGORIES
from lapor.contracts.standard import TIME_UNITS
from services.gateway.common import service_proxy
from services.gateway.sipp_api import search_filters
from services.gateway.web.csrf import csrf_refused
from services.gateway.web.forms import field_errors, page_count, whole_number
from services.gateway.web.render import language, page, redirect, render
from services.gateway.web.session import logged_in, session_token

PER_PAGE = 20
MANAGE = "/standar/kelola"
# The 14 components of PermenPANRB 15/2014, in its order, with the template
# columns that hold each: 1-6 service delivery, 7-14 service management.
COMPONENTS = template.COMPONENT_COLUMNS
# columns shown as multi-line text areas (lists: one item per line)
TEXTAREAS = (
    *template.LIST_COLUMNS,
    "description",
    "product",
    "staff_competence",
    "internal_supervision",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
    "pledge",
)
REQUIRED = "Missing data for required field."
NUMBERS = ("completion_time_value", "cost_amount", "staff_count")
WITHDRAW_REASON = "withdraw_reason"  # the withdrawal form's field (sipp's `reason`)


def form_cells(form, agency_code: str, slug: str, demo: bool = False) -> dict[str, str]:
    """The posted form as a template row; the agency and (when editing) the slug
    come from the server, never from the form."""
    cells = {c: (form.get(c) or "") for c in template.COLUMNS}
    cells.update(
        agency_code=agency_code,
        slug=slug,
        complaint_via_lapor="ya" if form.get("complaint_via_lapor") else "tidak",
        demo="ya" if demo else "tidak",
    )
    return cells


def read_form(cells: dict[str, str]) -> tuple[dict | None, dict[str, list[str]]]:
    """(content, {}) of a valid form, else (None, errors by field)."""
    parsed = template.parse_row(2, cells)
    if isinstance(parsed, template.Row):
        return parsed.content, {}
    errors: dict[str, list[str]] = {}
    for e in parsed:
        errors.setdefault(e.column, []).append(e.reason)
    return None, errors


def standard_cells(standard: dict) -> dict[str, str]:
    """A standard as the form's values."""
    agency, slug = standard["standard_id"].split(".", 1)
    return dict(
        zip(template.COLUMNS, template.to_row(agency, slug, standard["content"]), strict=True)
    )


def refused_errors(answer: dict, aliases: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The field errors of a sipp refusal, keyed by form field where one fits
    (`aliases`: a sipp field -> the form's field)."""
    found: dict[str, list[str]] = {}
    for field, messages in answer["error"]["errors"].items():
        for path, reason in _flatten(messages, field):
            path = path.removeprefix("content.")
            column = (aliases or {}).get(path) or template.column_of(path)
            if column not in template.COLUMNS and column not in (aliases or {}).values():
                column = "_form"
            found.setdefault(column, []).append(reason)
    return found


def _flatten(messages, prefix: str) -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        return [
            pair
            for key, value in messages.items()
            for pair in _flatten(value, prefix if str(key).isdigit() else f"{prefix}.{key}")
        ]
    if isinstance(messages, list):
        return [(prefix, str(m)) for m in messages]
    return [(prefix, str(messages))]


def _plain(errors: dict[str, list[str]], cells: dict[str, str]) -> dict[str, list[str]]:
    """An empty field's reasons (a length, "'' is not a whole number", ...) say
    "required", in the words forms.py translates. Reasons about no field
    (`_form`: the standard's state, e.g. already withdrawn) stay as sipp said."""
    return {
        field: [REQUIRED] if field in cells and not (cells[field] or "").strip() else messages
        for field, messages in errors.items()
    }


def _page_number(args) -> int:
    return whole_number(args.get("page"), 10_000) or 1


class SippPages:
    sipp = service_proxy("sipp")

    # -- public ---------------------------------------------------------------

    @http("GET", "/standar")
    @page("/standar")
    def standards_page(self, request: Request):
        filters, errors = search_filters(request.args)
        page = _page_number(request.args)
        found = {"total": 0, "standards": []}
        if not errors:
            found = self.sipp.search_standards(
                **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
            )
        kept = [(k, v) for k, v in request.args.items() if k in filters and v]
        return render(
            request,
            "sipp/search.html",
            status=400 if errors else 200,
            args=request.args,
            errors=errors,
            found=found,
            page=page,
            pages=page_count(found["total"], PER_PAGE),
            base_query=urlencode(kept),
            categories=CATEGORIES,
        )

    @http("GET", "/standar/<string:standard_id>")
    @page("/standar/{id}")
    def standard_page(self, request: Request, standard_id: str):
        found = self.sipp.get_standard(standard_id, whole_number(request.args.get("versi")))
        if found is None:
            return render(request, "sipp/not_found.html", status=404, standard_id=standard_id)
        return render(request, "sipp/standard.html", standard=found, components=COMPONENTS)

    # -- agency accounts -------------------------------------------------------

    def _own(self, request: Request, standard_id: str) -> dict | None:
        answer = self.sipp.agency_standards(session_token(request))
        found = [s for s in answer.get("standards", []) if s["standard_id"] == standard_id]
        return found[0] if found else None

    @http("GET", "/standar/kelola")
    @page("/standar/kelola")
    @logged_in
    def manage_page(self, request: Request, account: dict):
        answer = self.sipp.agency_standards(session_token(request))
        return render(
            request,
            "sipp/manage.html",
            standards=answer.get("standards", []),
            done=request.args.get("ok"),
            done_id=request.args.get("id"),
        )

    @http("GET,POST", "/standar/kelola/baru")
    @page("/standar/kelola/baru")
    @logged_in
    def new_standard_page(self, request: Request, account: dict):
        cells = {c: "" for c in template.COLUMNS}
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            refused = csrf_refused(request)
            if refused:
                return refused
            slug = (request.form.get("slug") or "").strip()
            cells = form_cells(request.form, account["agency_code"], slug)
            content, errors = read_form(cells)
            if content is not None:
                publish = request.form.get("action") == "publish"
                answer = self.sipp.create_standard(
                    session_token(request), account["agency_code"], slug, content, publish=publish
                )
                if "error" not in answer:
                    return _done("published" if publish else "drafted", answer["standard_id"])
                errors = refused_errors(answer)
        return self._form(request, None, cells, errors)

    @http("GET,POST", "/standar/kelola/<string:standard_id>")
    @page("/standar/kelola/{id}")
    @logged_in
    def edit_standard_page(self, request: Request, account: dict, standard_id: str):
        standard = self._own(request, standard_id)
        if standard is None:
            return render(request, "sipp/not_found.html", status=404, standard_id=standard_id)
        cells, errors = standard_cells(standard), {}
        if request.method == "POST":
            refused = csrf_refused(request)
            if refused:
                return refused
            answer, cells, errors = self._save(session_token(request), standard, request.form)
            if answer is not None:
                return answer
        return self._form(request, standard, cells, errors)

    def _save(self, token: str, standard: dict, form) -> tuple[Response | None, dict, dict]:
        agency, slug = standard["standard_id"].split(".", 1)
        cells = form_cells(form, agency, slug, demo=standard["content"]["demo"])
        content, errors = read_form(cells)
        if content is None:
            return None, cells, errors
        if standard["status"] == "draft":
            publish = form.get("action") == "publish"
            answer = self.sipp.create_standard(token, agency, slug, content, publish=publish)
            outcome = "published" if publish else "drafted"
        else:
            note = (form.get("note") or "").strip() or None
            answer = self.sipp.revise_standard(token, standard["standard_id"], content, note)
            outcome = "revised" if answer.get("changed") else "unchanged"
        if "error" in answer:
            return None, cells, refused_errors(answer)
        return _done(outcome, standard["standard_id"]), cells, {}

    @http("POST", "/standar/kelola/<string:standard_id>/terbitkan")
    @page("/standar/kelola/{id}/terbitkan")
    @logged_in
    def publish_standard_page(self, request: Request, account: dict, standard_id: str):
        refused = csrf_refused(request)
        if refused:
            return refused
        answer = self.sipp.publish_standard(session_token(request), standard_id)
        if "error" in answer:
            standard = self._own(request, standard_id)
            if standard is None:
                return render(request, "sipp/not_found.html", status=404, standard_id=standard_id)
            errors = refused_errors(answer)
            status = answer["error"]["status"]
            return self._form(request, standard, standard_cells(standard), errors, status=status)
        return _done("published", standard_id)

    @http("POST", "/standar/kelola/<string:standard_id>/tarik")
    @page("/standar/kelola/{id}/tarik")
    @logged_in
    def withdraw_standard_page(self, request: Request, account: dict, standard_id: str):
        """Take a published standard out of the catalogue, with the reason sipp requires."""
        refused = csrf_refused(request)
        if refused:
            return refused
        standard = self._own(request, standard_id)
        if standard is None:
            return render(request, "sipp/not_found.html", status=404, standard_id=standard_id)
        reason = request.form.get(WITHDRAW_REASON) or ""
        answer = self.sipp.withdraw_standard(session_token(request), standard_id, reason)
        if "error" not in answer:
            return _done("withdrawn", standard_id)
        # a 409 (withdrawn already, e.g. from another tab) shows as sipp said it
        errors = refused_errors(answer, {"reason": WITHDRAW_REASON})
        status = answer["error"]["status"]
        return self._form(request, standard, standard_cells(standard), errors, reason, status)

    def _form(
        self,
        request: Request,
        standard: dict | None,
        cells: dict,
        errors: dict,
        reason: str = "",
        status: int | None = None,
    ):
        """The standard's form; `status`: sipp's, when it refused (else 400
        with errors)."""
        shown = _plain(errors, {**cells, WITHDRAW_REASON: reason})
        return render(
            request,
            "sipp/edit.html",
            status=status or (400 if errors else 200),
            standard=standard,
            cells=cells,
            withdraw_reason=reason,
            errors=field_errors(shown, language(request)),
            components=COMPONENTS,
            categories=CATEGORIES,
            time_units=TIME_UNITS,
            textareas=TEXTAREAS,
            numbers=NUMBERS,
        )


def _done(outcome: str, standard_id: str) -> Response:
    return redirect(f"{MANAGE}?{urlencode({'ok': outcome, 'id': standard_id})}")
