"""CSRF protection by double submit: a random cookie, and in every form a field
whose value is the cookie's HMAC under LAPOR_WEB_SECRET. A cross-site page can
make the browser send the cookie but cannot read it, so it cannot make the field."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from werkzeug.wrappers import Request, Response

COOKIE = "lapor_csrf"
FIELD = "csrf_token"


def web_secret() -> bytes:
    """The key of CSRF tokens and of the pages' signed cookies. No default: a
    known key would let any site forge the tokens."""
    secret = os.environ.get("LAPOR_WEB_SECRET", "")
    if len(secret) < 16:
        raise RuntimeError("LAPOR_WEB_SECRET must be set to at least 16 random characters")
    return secret.encode()


def sign(value: str) -> str:
    return hmac.new(web_secret(), value.encode(), hashlib.sha256).hexdigest()


def token_for(cookie: str) -> str:
    return sign(f"csrf:{cookie}")


def new_cookie() -> str:
    return secrets.token_urlsafe(32)


def cookie_of(request: Request) -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value and 20 <= len(value) <= 100 else None


def valid(request: Request) -> bool:
    cookie = cookie_of(request)
    given = request.form.get(FIELD, "")
    return cookie is not None and hmac.compare_digest(given.encode(), token_for(cookie).encode())


def csrf_refused(request: Request) -> Response | None:
    """None when the form carries the right token, else a 403 page saying why."""
    if valid(request):
        return None
    from services.gateway.web.render import render

    return render(
        request,
        "error.html",
        status=403,
        title_key="common.csrf.title",
        message_key="common.csrf.message",
    )
