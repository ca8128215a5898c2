"""Officers' sessions on the web: log in (with the code of an authenticator
app after the password when the account has its second factor on), log out,
who is logged in, and the account page where an officer turns the second
factor on and off (`/petugas/akun`).

The session lives in sipp (`sipp.login` gives a token, sipp keeps only its
hash and ends it after 12 idle hours); the browser keeps the token in the
cookie `lapor_session` (HttpOnly, SameSite=Lax, Secure over HTTPS). Any page
may ask `current_account(request)`: the `WebSessions` dependency gives each
request the way to ask sipp, and the answer is kept for the rest of the request.

With the second factor on, `sipp.login` answers a challenge instead of a
session; it waits in the cookie `lapor_login_challenge` (HttpOnly,
SameSite=Strict, limited to `/petugas/masuk`, 5 minutes) until the code
page (`/petugas/masuk/kode`) sends it back to `sipp.login_code` with the code.
An account that gave too many wrong codes (sipp answers 403 `totp_blocked`)
is sent back to the login page, which tells the officer to ask the agency
admin to turn the second factor off.

Turning the second factor on (`/petugas/akun/2fa/aktifkan`) takes the
password again with the code, so a stolen cookie alone cannot enrol its own
authenticator; sipp then ends the account's other sessions.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlencode, urlsplit

from nameko.extensions import DependencyProvider
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.gateway.common import service_proxy
from services.gateway.web.csrf import csrf_refused
from services.gateway.web.forms import field_errors
from services.gateway.web.i18n import translate
from services.gateway.web.render import error_page, language, page, redirect, render

COOKIE = "lapor_session"
PREFIX = "sess_"
LOGIN = "/petugas/masuk"
CODE_PAGE = "/petugas/masuk/kode"
CHALLENGE_COOKIE = "lapor_login_challenge"
CHALLENGE_PREFIX = "mfa_"
ACCOUNT_PAGE = "/petugas/akun"
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


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")  # control characters, backslash


def local_path(value: str | None) -> str:
    """Where to go after logging in: a path on this site, never another site.
    Browsers drop tabs and newlines from a URL and read `\\` as `/`, so
    `/\t/evil.com` would go to `//evil.com`: any such character refuses it."""
    if not value or _UNSAFE.search(value):
        return HOME
    parts = urlsplit(value)
    if not value.startswith("/") or value.startswith("//") or parts.scheme or parts.netloc:
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
    if refused.get("totp_blocked"):
        return {"login": [translate(lang, "officer.totp.blocked")]}
    return field_errors(refused["errors"], lang)


def typed_code(form) -> str | None:
    """The 6 digits typed in the form's `code` ("123 456" too), or None. Only
    the shape: sipp says whether it is the code."""
    code = re.sub(r"[\s-]", "", form.get("code", ""))
    return code if re.fullmatch(r"\d{6}", code) else None


def _code_errors(answer: dict, lang: str, locked_field: str = "code") -> dict[str, list[str]]:
    """A refused code beside the code field: wrong (or used), locked, or
    blocked; a refused password (turning it on) beside the password field."""
    refused = answer["error"]
    if refused["status"] == 429:
        minutes = refused.get("retry_after_minutes", 15)
        return {locked_field: [translate(lang, "officer.login.locked", minutes=minutes)]}
    if refused.get("totp_blocked"):
        return {"code": [translate(lang, "officer.totp.blocked")]}
    shown = {}
    if "password" in refused["errors"]:
        shown["password"] = [translate(lang, "officer.account.password_wrong")]
    if "code" in refused["errors"]:
        shown["code"] = [translate(lang, "officer.totp.wrong")]
    return shown or field_errors(refused["errors"], lang)


def _challenge(request: Request) -> str | None:
    token = request.cookies.get(CHALLENGE_COOKIE, "")
    return token if token.startswith(CHALLENGE_PREFIX) and len(token) < 100 else None


def _logged_in_response(request: Request, session: str, next_path: str) -> Response:
    response = redirect(local_path(next_path))
    response.set_cookie(COOKIE, session, httponly=True, samesite="Lax",
                        secure=_secure(request), path="/")  # fmt: skip
    response.delete_cookie(CHALLENGE_COOKIE, path=LOGIN, httponly=True, samesite="Strict")
    return response


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
        next_path = local_path(request.form.get("next"))
        if answer.get("totp_required"):
            response = redirect(f"{CODE_PAGE}?{urlencode({'next': next_path})}")
            response.set_cookie(CHALLENGE_COOKIE, answer["challenge"], httponly=True,
                                samesite="Strict", secure=_secure(request), path=LOGIN,
                                max_age=answer.get("challenge_seconds", 300))  # fmt: skip
            return response
        return _logged_in_response(request, answer["session"], next_path)

    @http("GET", CODE_PAGE)
    @page(CODE_PAGE)
    def officer_login_code_form(self, request: Request):
        if _challenge(request) is None:
            return redirect(LOGIN)
        return self._code_page(request, {}, status=200)

    @http("POST", CODE_PAGE)
    @page(CODE_PAGE)
    def officer_login_code(self, request: Request):
        """The second step: the code of the authenticator app."""
        refused = csrf_refused(request)
        if refused is not None:
            return refused
        lang, challenge = language(request), _challenge(request)
        if challenge is None:
            errors = {"login": [translate(lang, "officer.totp.expired")]}
            return self._login_page(request, errors, "", status=401)
        code = typed_code(request.form)
        if code is None:
            return self._code_page(request, {"code": [translate(lang, "officer.totp.format")]}, 400)
        answer = self.sipp.login_code(challenge, code)
        if "error" not in answer:
            return _logged_in_response(request, answer["session"], request.form.get("next"))
        refused = answer["error"]
        if "login" in refused["errors"] and refused["status"] in (401, 403):
            message = (
                "officer.totp.blocked" if refused.get("totp_blocked") else "officer.totp.expired"
            )
            errors = {"login": [translate(lang, message)]}
            response = self._login_page(request, errors, "", status=refused["status"])
            response.delete_cookie(CHALLENGE_COOKIE, path=LOGIN, httponly=True, samesite="Strict")
            return response
        return self._code_page(request, _code_errors(answer, lang), answer["error"]["status"])

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

    def _code_page(self, request: Request, errors: dict, status: int) -> Response:
        return render(
            request,
            "officer/login_code.html",
            status=status,
            account=None,
            errors=errors,
            next=local_path(request.values.get("next")),
        )

    # -- the account page: the second factor ----------------------------------

    @http("GET", ACCOUNT_PAGE)
    @page(ACCOUNT_PAGE)
    @logged_in
    def officer_account(self, request: Request, account: dict):
        return self._account_page(request, account, {}, 200)

    @http("POST", ACCOUNT_PAGE + "/2fa/<string:step>")
    @page(ACCOUNT_PAGE + "/2fa/{step}")
    @logged_in
    def officer_second_factor(self, request: Request, account: dict, step: str):
        """`mulai` (set up a new secret), `aktifkan` (on, with the password and
        a code of it), `matikan` (off, with a current code)."""
        refused = csrf_refused(request)
        if refused is not None:
            return refused
        token, lang = session_token(request), language(request)
        if step == "mulai":
            answer = self.sipp.totp_begin(token)
            if "error" not in answer:
                return redirect(ACCOUNT_PAGE)
            errors = field_errors(answer["error"]["errors"], lang)
            return self._account_page(request, account, errors, answer["error"]["status"])
        if step not in ("aktifkan", "matikan"):
            return error_page(request, 404, "common.error.not_found")
        code, password = typed_code(request.form), request.form.get("password", "")
        errors = {}
        if step == "aktifkan" and not password:
            errors["password"] = [translate(lang, "common.msg.required")]
        if code is None:
            errors["code"] = [translate(lang, "officer.totp.format")]
        if errors:
            return self._account_page(request, account, errors, 400)
        if step == "aktifkan":
            answer = self.sipp.totp_enable(token, code, password)
        else:
            answer = self.sipp.totp_disable(token, code)
        if "error" in answer:
            status, locked_field = (
                answer["error"]["status"],
                "password" if step == "aktifkan" else "code",
            )
            errors = _code_errors(answer, lang, locked_field)
            return self._account_page(request, account, errors, status)
        return redirect(f"{ACCOUNT_PAGE}?ok={'on' if answer['enabled'] else 'off'}")

    def _account_page(self, request: Request, account: dict, errors: dict, status: int):
        second_factor = self.sipp.totp_status(session_token(request))
        if "error" in second_factor:
            return login_redirect(request)
        response = render(
            request,
            "officer/account.html",
            status=status,
            account=account,
            second_factor=second_factor,
            errors=errors,
            done=request.args.get("ok") if request.args.get("ok") in ("on", "off") else None,
        )
        response.headers["Cache-Control"] = "private, no-store"  # it may show the secret
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
