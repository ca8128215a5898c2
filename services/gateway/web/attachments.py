"""A report's attachments on the pages: the reporter's photos and documents and
the agency's, listed and downloaded.

Intake keeps the files by their SHA-256 and answers for one only as a report's
(`intake.report_attachment(tracking_id, sha256)` is None when the report's
events do not name it), so a page can never hand out another report's file.
Who may see the report decides who may download: officers as on the case page
(`officer.py`), anyone with the tracking id on `/lacak/<id>/lampiran` as on the
tracking page, the PIN first for a confidential report. The reporter's own
files (the report's and follow-ups') are shown there only with the PIN: a
photo carries what its camera recorded (place, device), which could name an
anonymous reporter, so the public gets the agency's files only.

A download is always a download (`Content-Disposition: attachment` with a
name made here, never the sender's), of the type intake sniffed from the
content, with `nosniff`, and not kept by any cache when it is confidential.
"""

from __future__ import annotations

import base64
import re

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from lapor.contracts.report import TRACKING_ID_PATTERN
from services.gateway.common import service_proxy
from services.gateway.web.citizen import PIN_COOKIE, unsigned
from services.gateway.web.render import SECURITY_HEADERS, error_page, page, render

TRACKING_ID = re.compile(rf"^{TRACKING_ID_PATTERN}$")
# what intake accepts (services/intake/normalise.py), with the file name's extension
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def file_name(tracking_id: str, attachment: dict) -> str:
    """`lampiran-LAP-7K3M9QXT2B-1a2b3c4d5e6f.png`: only letters, digits and
    hyphens from this side, so no sender's name reaches a header or a disk."""
    extension = EXTENSIONS.get(attachment["media_type"], "bin")
    return f"lampiran-{tracking_id}-{attachment['sha256'][:12]}.{extension}"


def listed(tracking_id: str, attachments: list[dict] | None, base: str) -> list[dict]:
    """Attachments as the pages list them: with their link, file name, kind
    (the extension) and size in whole kB."""
    return [
        {
            **a,
            "href": f"{base}/{a['sha256']}",
            "name": file_name(tracking_id, a),
            "kind": EXTENSIONS.get(a["media_type"], "bin"),
            "kb": max(1, -(-a["size"] // 1024)),
        }
        for a in attachments or ()
    ]


REPORTER_EVENTS = ("report.submitted", "report.message_added")


def public_ones(attachments: list[dict] | None, reporter: bool) -> list[dict]:
    """What the tracking page shows: the reporter (who gave the PIN) sees all;
    anyone else only the agency's files, never the reporter's (see above)."""
    return [a for a in attachments or () if reporter or a["event"] not in REPORTER_EVENTS]


def file_response(tracking_id: str, found: dict, confidential: bool) -> Response:
    """The file as a download."""
    media_type = found["media_type"] if found["media_type"] in EXTENSIONS else None
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": f'attachment; filename="{file_name(tracking_id, found)}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store" if confidential else "private, max-age=600",
    }
    return Response(
        base64.b64decode(found["content"]),
        mimetype=media_type or "application/octet-stream",
        headers=headers,
    )


def pin_given(request: Request, tracking_id: str) -> bool:
    """Whether the browser holds the tracking page's signed proof of the PIN
    (the cookie citizen.py sets once intake has checked the PIN)."""
    return unsigned(request.cookies.get(PIN_COOKIE), f"pin:{tracking_id}") is not None


class AttachmentPages:
    intake = service_proxy("intake")
    tracking = service_proxy("tracking")

    def _opened(self, request: Request, raw_id: str) -> tuple[dict, bool] | Response:
        """(the public report, whether its reporter is asking) when this browser
        may see the report; else the page to show instead (unknown: 404; a
        confidential one without its PIN: the PIN form, 403)."""
        tracking_id = (raw_id or "").strip().upper()
        found = self.tracking.get_report(tracking_id) if TRACKING_ID.match(tracking_id) else None
        if found is None:
            return error_page(request, 404, "citizen.lookup.unknown")
        reporter = pin_given(request, tracking_id)
        if found["confidential"] and not reporter:
            return render(
                request, "citizen/pin.html", 403, tracking_id=tracking_id, values={}, errors={}
            )
        return found, reporter

    @http("GET", "/lacak/<string:tracking_id>/lampiran")
    @page("/lacak/{id}/lampiran")
    def track_attachments(self, request: Request, tracking_id: str):
        opened = self._opened(request, tracking_id)
        if isinstance(opened, Response):
            return opened
        report, reporter = opened
        tracking_id = report["tracking_id"]
        shown = public_ones(self.intake.report_attachments(tracking_id), reporter)
        response = render(
            request,
            "attachments/report.html",
            report=report,
            attachments=listed(tracking_id, shown, f"/lacak/{tracking_id}/lampiran"),
        )
        if report["confidential"]:
            response.headers["Cache-Control"] = "private, no-store"
        return response

    @http("GET", "/lacak/<string:tracking_id>/lampiran/<string:sha256>")
    @page("/lacak/{id}/lampiran/{sha256}")
    def track_attachment(self, request: Request, tracking_id: str, sha256: str):
        opened = self._opened(request, tracking_id)
        if isinstance(opened, Response):
            return opened
        report, reporter = opened
        found = self.intake.report_attachment(report["tracking_id"], sha256)
        if found is None or not public_ones([found], reporter):
            return error_page(request, 404, "attachments.not_found")
        return file_response(report["tracking_id"], found, report["confidential"])
