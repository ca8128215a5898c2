"""Notify's public callbacks: Kannel's delivery reports and the unsubscribe link.

Both carry a signature notify made when it sent the message, so nobody can
forge a delivery report or unsubscribe someone else; the gateway only passes
them on.
"""

from __future__ import annotations

import html

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.gateway.common import error, observed, service_proxy

_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Lapor</title></head>
<body style="font-family: sans-serif; max-width: 40em">{body}</body></html>"""
_CONFIRM = """<p>Berhenti menerima email dari Lapor untuk alamat ini?<br>
Stop receiving email from Lapor at this address?</p>
<form method="post" action="{action}">
<button type="submit">Berhenti berlangganan / Unsubscribe</button></form>"""
_DONE = """<p>Anda tidak akan menerima email lagi dari Lapor di alamat ini.<br>
You will receive no more email from Lapor at this address.</p>"""


def _page(body: str, status: int = 200) -> Response:
    return Response(_PAGE.format(body=body), status=status, mimetype="text/html")


class NotifyApi:
    notify = service_proxy("notify")

    @http("GET", "/api/v1/notify/sms/dlr/<string:reference>")
    @observed("/api/v1/notify/sms/dlr/{reference}")
    def sms_delivery_report(self, request: Request, reference: str):
        """Called by Kannel: `?s=<signature>&type=<%d>`."""
        recorded = self.notify.delivery_report(
            reference, request.args.get("s", ""), request.args.get("type")
        )
        if not recorded:
            return error(404, "reference", "No such message, or a bad signature.")
        return Response("ok", mimetype="text/plain")

    @http("GET", "/api/v1/notify/unsubscribe/<string:reference>")
    @observed("/api/v1/notify/unsubscribe/{reference}")
    def unsubscribe_page(self, request: Request, reference: str):
        """A link may be followed by mail scanners: GET only asks, POST acts."""
        action = html.escape(f"{request.path}?s={request.args.get('s', '')}")
        return _page(_CONFIRM.format(action=action))

    @http("POST", "/api/v1/notify/unsubscribe/<string:reference>")
    @observed("/api/v1/notify/unsubscribe/{reference}")
    def unsubscribe(self, request: Request, reference: str):
        """The form above, or a mail client's one-click unsubscribe (RFC 8058)."""
        if not self.notify.unsubscribe(reference, request.args.get("s", "")):
            return _page("<p>Tautan tidak berlaku. / This link is not valid.</p>", 404)
        return _page(_DONE)


def _reference() -> dict:
    return {
        "name": "reference",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
        "description": "notify's reference of one message.",
    }


def _signature() -> dict:
    return {
        "name": "s",
        "in": "query",
        "required": True,
        "schema": {"type": "string"},
        "description": "The signature notify put into the link when it sent the message.",
    }


_HTML = {"text/html": {"schema": {"type": "string"}}}


def paths(service_failed: dict) -> dict:
    """The OpenAPI operations of these routes (docs/generate_openapi.py)."""
    return {
        "/api/v1/notify/sms/dlr/{reference}": {
            "get": {
                "operationId": "smsDeliveryReport",
                "tags": ["notify"],
                "summary": "Kannel's delivery report for one SMS (its dlr-url)",
                "parameters": [
                    _reference(),
                    _signature(),
                    {
                        "name": "type",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "enum": [1, 2, 4, 8, 16]},
                        "description": "Kannel's %d: 1 delivered, 2 undeliverable, "
                        "4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC.",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "Recorded (as `notification.delivery_reported`).",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    "404": {
                        "description": "Unknown message or bad signature (`reference`).",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}
                        },
                    },
                    "503": service_failed,
                },
            }
        },
        "/api/v1/notify/unsubscribe/{reference}": {
            "get": {
                "operationId": "unsubscribePage",
                "tags": ["notify"],
                "summary": "The unsubscribe link of an email: a page that asks to confirm",
                "parameters": [_reference(), _signature()],
                "responses": {"200": {"description": "A form.", "content": _HTML}},
            },
            "post": {
                "operationId": "unsubscribe",
                "tags": ["notify"],
                "summary": "No more email to this address (also RFC 8058 one-click)",
                "parameters": [_reference(), _signature()],
                "responses": {
                    "200": {
                        "description": "Recorded (as `contact.opted_out`).",
                        "content": _HTML,
                    },
                    "404": {"description": "The link is not valid.", "content": _HTML},
                    "503": service_failed,
                },
            },
        },
    }
