"""Officers' sessions on the web: log in, log out, and who is logged in.

The session lives in sipp (`sipp.login` gives a token, sipp keeps only its
hash and ends it after 12 idle hours); the browser keeps the token in the
cookie `lapor_session` (HttpOnly, SameSite=Lax, Secure over HTTPS). Any page
may ask `current_account(request)`: the `WebSessions` dependency gives each
request the way to ask sipp, and the answer is kept for the rest of the request.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from nameko.extensions import DependencyProvider
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.gateway.common import service_proxy
from services.gateway.web.csrf import csrf_refused
from services.gateway.web.forms import field_errors
from services.gateway.web.i18n import translate
from services.gateway.web.render import language, page, redirect, render

COOKIE = "lapor_session"
PREFIX = "sess_"
LOGIN = "/petugas/masuk"
HOME = "/petugas"
_ACCOUNT = "lapor.account"
_LOOKUP = "lapor.authenticate"


class WebSessions(DependencyProvider):
    """Before each HTTP worker runs, hand its request the service's sipp proxy
    (the `sipp` attribute), so that `current_account` can ask who is logged in."""

    def worker_setup(self, worker_ctx) -> None:
        proxy = getattr(worker_ctx.service, "sipp", None)
        for arg in worker_ctx.args:
            if isinstance(arg, Request) and proxy is not None:
                arg.environ[_LOOKUP] = proxy.authenticate


def session_token(request: Request) -> str | None:
    token = request.cookies.get(COOKIE, "")
    return token if token.startswith(PREFIX) and len(token) < 100 else None


def current_account(request: Request) -> dict | None:
    """The logged-in account ({"actor", "agency_code", "role", "name"}), or None."""
    if _ACCOUNT not in request.environ:
        token = session_token(request)
        lookup = request.environ.get(_LOOKUP)
        request.environ[_ACCOUNT] = lookup(token) if token and lookup else None
    return request.environ[_ACCOUNT]


def login_redirect(request: Request) -> Response:
    here = request.full_path.rstrip("?")
    return redirect(f"{LOGIN}?next={quote(here, safe='/?=&')}")


def logged_in(method):
    """A page for logged-in accounts: the handler gets `account` after the
    request; anyone else is sent to log in, and comes back after."""

    @functools.wraps(method)
    def page(self, request: Request, *args, **kwargs):
        account = current_account(request)
        if account is None:
            return login_redirect(request)
        return method(self, request, account, *args, **kwargs)

    return page


def local_path(value: str | None) -> str:
    """Where to go after logging in: a path on this site, never another site."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return HOME
    return value


def _secure(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"


def _login_errors(answer: dict, lang: str) -> dict[str, list[str]]:
    refused = answer["error"]
    if refused["status"] == 429:
        minutes = refused.get("retry_after_minutes", 15)
        return {"login": [translate(lang, "officer.login.locked", minutes=minutes)]}
    if refused["status"] == 401:
        return {"login": [translate(lang, "officer.login.wrong")]}
    return field_errors(refused["errors"], lang)


class SessionPages:
    sipp = service_proxy("sipp")
    web_sessions = WebSessions()

    @http("GET", LOGIN)
    @page(LOGIN)
    def officer_login_form(self, request: Request):
        if current_account(request) is not None:
            return redirect(local_path(request.args.get("next")))
        return self._login_page(request, {}, "", status=200)

    @http("POST", LOGIN)
    @page(LOGIN)
    def officer_login(self, request: Request):
        refused = csrf_refused(request)
        if refused is not None:
            return refused
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        missing = [name for name, value in (("email", email), ("password", password)) if not value]
        if missing:
            required = translate(language(request), "common.msg.required")
            return self._login_page(request, {k: [required] for k in missing}, email, status=400)
        answer = self.sipp.login(email, password)
        if "error" in answer:
            shown = _login_errors(answer, language(request))
            return self._login_page(request, shown, email, status=answer["error"]["status"])
        response = redirect(local_path(request.form.get("next")))
        response.set_cookie(COOKIE, answer["session"], httponly=True, samesite="Lax",
                            secure=_secure(request), path="/")  # fmt: skip
        return response

    @http("POST", "/petugas/keluar")
    @page("/petugas/keluar")
    def officer_logout(self, request: Request):
        refused = csrf_refused(request)
        if refused is not None:
            return refused
        token = session_token(request)
        if token:
            self.sipp.logout(token)
        response = redirect(f"{LOGIN}?keluar=1")
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax")
        return response

    def _login_page(self, request: Request, errors: dict, email: str, status: int) -> Response:
        return render(
            request,
            "officer/login.html",
            status=status,
            account=None,
            errors=errors,
            email=email,
            next=local_path(request.values.get("next")),
            logged_out=request.args.get("keluar") == "1",
        )
