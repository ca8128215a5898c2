"""Pages from Jinja2 templates (autoescaped), in the visitor's language.

`?lang=en|id` chooses the language and remembers it in the cookie `lang`;
without either, pages are in Indonesian. Every page gets `lang`, `t` (the
words of i18n.py), `csrf_token`, `account` and `path`, and sets the CSRF
cookie when the browser has none."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from lokal import wilayah
from werkzeug.wrappers import Request, Response

from services.gateway.common import observed
from services.gateway.web import csrf
from services.gateway.web.forms import field_id
from services.gateway.web.i18n import DEFAULT, LANGUAGES, translator

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
JAKARTA = ZoneInfo("Asia/Jakarta")
YEAR = 365 * 24 * 3600
MONTHS = {
    "id": "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split(),
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
}
# what the browser may load: this site only; no inline scripts
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def when(value: str | datetime | None, lang: str = DEFAULT, with_time: bool = True) -> str:
    """An ISO time as people in Indonesia read it: 5 Mei 2026 14.05 WIB."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(JAKARTA)
    day = f"{moment.day} {MONTHS.get(lang, MONTHS[DEFAULT])[moment.month - 1]} {moment.year}"
    if not with_time or (isinstance(value, str) and "T" not in value):
        return day
    return f"{day} {moment:%H.%M} WIB"


@lru_cache(maxsize=4096)
def region_name(code: str | None) -> str:
    """`32.73` -> `Kota Bandung, Jawa Barat`; an unknown code shows itself."""
    if not code:
        return "—"
    region = wilayah.get_wilayah(code)
    return region.path if region else code


ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.globals.update(region_name=region_name, field_id=field_id)


def language(request: Request) -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get("lang")
    return remembered if remembered in LANGUAGES else DEFAULT


def switch_url(request: Request, lang: str) -> str:
    """This page in the other language."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    other = "en" if lang == "id" else "id"
    return f"{request.path}?{urlencode([*args, ('lang', other)])}"


def _account(request: Request, context: dict):
    if "account" in context:
        return context.pop("account")
    from services.gateway.web import session  # here: session imports this module

    return session.current_account(request)


def render(request: Request, template: str, status: int = 200, **context) -> Response:
    lang = language(request)
    cookie = csrf.cookie_of(request)
    new_cookie = cookie is None
    if new_cookie:
        cookie = csrf.new_cookie()
    page = ENV.get_template(template).render(
        lang=lang,
        t=translator(lang),
        when=lambda value, with_time=True: when(value, lang, with_time),
        csrf_token=csrf.token_for(cookie),
        account=_account(request, context),
        path=request.path,
        switch_url=switch_url(request, lang),
        **context,
    )
    response = Response(page, status=status, mimetype="text/html", headers=SECURITY_HEADERS)
    if new_cookie:
        response.set_cookie(csrf.COOKIE, cookie, httponly=True, samesite="Lax", path="/")
    if request.args.get("lang") in LANGUAGES:
        response.set_cookie("lang", lang, max_age=YEAR, samesite="Lax", path="/")
    return response


def redirect(location: str, status: int = 303) -> Response:
    """After a POST: 303 See Other, so that reloading does not send the form again."""
    return Response("", status=status, headers={"Location": location, **SECURITY_HEADERS})


def error_page(request: Request, status: int, message_key: str) -> Response:
    return render(
        request, "error.html", status=status, title_key="common.error.title",
        message_key=message_key,
    )  # fmt: skip


def page(route: str):
    """`common.observed` for pages: counted and timed; a service that fails,
    is missing or does not answer in time becomes a 503 page, not a 500."""
    return observed(route, lambda request: error_page(request, 503, "common.error.service"))
