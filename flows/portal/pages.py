"""The browser pages: server-rendered, no script; sessions in an HttpOnly cookie, a CSRF token on every form.

Before sign-in (the sign-in and invitation forms) the CSRF token is a double-submit cookie; after, it is the
session's own token, kept server-side. Every page asks ``views.allow`` as the API does.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from drafting.access import AccountRole, Action
from drafting.errors import AccordError, Forbidden
from flows.bootstrap import App
from flows.portal import accounts, views
from flows.portal.api import address, portal_app
from flows.portal.i18n import LANGUAGES, choose, words
from flows.portal.one_read import OneReadRoute
from flows.portal.secrets import new_token, totp_uri
from flows.portal.timefmt import all_zones, deadline_view, zone_options
from storage import DOCX
from storage.accounts import Account

SESSION_COOKIE, CSRF_COOKIE, LANG_COOKIE, ZONE_COOKIE = (
    "accord_session",
    "accord_csrf",
    "accord_lang",
    "accord_tz",
)
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)

router = APIRouter(route_class=OneReadRoute)


class SignInNeeded(Exception):
    """No live session: the page sends the browser to sign in."""


def lang_of(request: Request) -> str:
    """The language of this request's pages."""
    return choose(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the user's language."""
    lang = lang_of(request)
    html = TEMPLATES.get_template(template).render(
        t=words(lang), lang=lang, path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def signed_in(request: Request) -> tuple[Account, str]:
    """The account and CSRF token of the request's session; SignInNeeded otherwise."""
    cookie = request.cookies.get(SESSION_COOKIE)
    found = accounts.session_account(portal_app(request), cookie) if cookie else None
    if found is None:
        raise SignInNeeded()
    return found


def check_csrf(expected: str | None, given: str) -> None:
    """Refuse a form whose CSRF token is not the expected one."""
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise Forbidden(
            "this form is stale or was not sent from accord's page: reload the page and send it again"
        )


def _cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def anonymous_form(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A form shown before sign-in, its CSRF token a double-submit cookie."""
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    response = render(request, template, status, csrf=token, **context)
    _cookie(response, request, CSRF_COOKIE, token)
    return response


# The roles that read every declaration (the others read those of their parties).
_READ_ALL = (AccountRole.SECRETARIAT, AccountRole.AUDITOR, AccountRole.TRANSLATOR)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> Response:
    """The declarations of the signed-in account."""
    account, csrf = signed_in(request)
    listed = {m.declaration: m.party for m in account.memberships}
    if account.role in _READ_ALL:
        with portal_app(request).store.reading() as uow:
            listed = {row.slug: "-" for row in uow.repo.all_declarations()}
    return render(
        request,
        "declarations.html",
        account=account,
        csrf=csrf,
        declarations=sorted(listed.items()),
    )


@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(request: Request, note: str = "") -> Response:
    """The sign-in form."""
    return anonymous_form(
        request, "sign_in.html", note=note if note in ("accepted", "expired", "reset") else ""
    )


@router.post("/sign-in", include_in_schema=False)
def sign_in(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
) -> Response:
    """Check the password and, where the account has one, the TOTP code (throttled); a new session."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf)
    signed = accounts.sign_in(
        portal_app(request), email, password, code=code, address=address(request)
    )
    if signed is None:
        return anonymous_form(request, "sign_in.html", 401, note="failed")
    response = RedirectResponse("/", status_code=303)
    _cookie(response, request, SESSION_COOKIE, signed.cookie)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.post("/sign-out", include_in_schema=False)
def sign_out(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    _, expected = signed_in(request)
    check_csrf(expected, csrf)
    accounts.sign_out(portal_app(request), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invitation/{token}", response_class=HTMLResponse, include_in_schema=False)
def invitation_form(request: Request, token: str) -> Response:
    """The form that sets an invited account's password."""
    invited = accounts.invitation_account(portal_app(request), token)
    if invited is None:
        return render(
            request, "message.html", 404, message=words(lang_of(request))["invitation_gone"]
        )
    return _invitation_form(request, token, invited.email)


def _invitation_form(
    request: Request, token: str, email: str, problem: str = "", status: int = 200
) -> Response:
    secret = accounts.invitation_totp(portal_app(request), token)
    return anonymous_form(
        request,
        "invitation.html",
        status,
        email=email,
        token=token,
        problem=problem,
        totp=secret,
        totp_uri=totp_uri(secret, email) if secret else "",
    )


@router.post("/invitation/{token}", include_in_schema=False)
def accept(
    request: Request,
    token: str,
    password: Annotated[str, Form()],
    again: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
) -> Response:
    """Set the password; the invitation then no longer works."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf)
    app = portal_app(request)
    invited = accounts.invitation_account(app, token)
    if invited is None:
        return render(
            request, "message.html", 404, message=words(lang_of(request))["invitation_gone"]
        )
    problem = words(lang_of(request))["passwords_differ"] if password != again else ""
    if not problem:
        try:
            accounts.accept(app, token, password, code=code, address=address(request))
            return RedirectResponse("/sign-in?note=accepted", status_code=303)
        except AccordError as error:
            problem = str(error)
    return _invitation_form(request, token, invited.email, problem, 422)


@router.get("/language/{lang}", include_in_schema=False)
def language(request: Request, lang: str, back: str = "/") -> Response:
    """Switch the pages' language (kept in a cookie for a year)."""
    response = RedirectResponse(
        back if back.startswith("/") and not back.startswith("//") else "/", 303
    )
    if lang in LANGUAGES:
        _cookie(response, request, LANG_COOKIE, lang, max_age=365 * 86400)
    return response


@router.get("/declarations/{slug}", response_class=HTMLResponse, include_in_schema=False)
def declaration(request: Request, slug: str, tz: str = "") -> Response:
    """A declaration as the account's party sees it: round, deadline, copy, upload, earlier submissions."""
    account, csrf = signed_in(request)
    app = portal_app(request)
    acting = views.allow(app, account.principal, Action.VIEW, slug, address(request))
    response = _declaration_page(request, app, acting, account, csrf, tz)
    if tz in all_zones():  # the zone chosen is remembered for the next pages
        _cookie(response, request, ZONE_COOKIE, tz, max_age=365 * 86400)
    return response


def _declaration_page(
    request: Request,
    app: App,
    acting: views.Acting,
    account: Account,
    csrf: str,
    tz: str = "",
    receipt: dict[str, Any] | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    seen = views.declaration(app, acting)
    zone = tz or request.cookies.get(ZONE_COOKIE, "") or seen["timezone"]
    deadline = deadline_view(seen["round"], zone, app.clock(), words(lang_of(request)))
    own = views.own_submissions(app, acting) if acting.party else []
    from flows.portal.work import silence

    return render(
        request,
        "declaration.html",
        status,
        seen=seen,
        deadline=deadline,
        own=own,
        csrf=csrf,
        receipt=receipt,
        problem=problem,
        zone_options=zone_options(deadline.zone),
        account=account,
        silence=silence(app, acting.slug),
    )


@router.get("/declarations/{slug}/copy", include_in_schema=False)
def copy(request: Request, slug: str) -> Response:
    """The party's own stamped copy of the open round's draft."""
    account, _ = signed_in(request)
    app = portal_app(request)
    name, data = views.stamped_copy(
        app, views.allow(app, account.principal, Action.SUBMIT, slug, address(request))
    )
    return download(name, data, DOCX)


@router.post(
    "/declarations/{slug}/submissions", response_class=HTMLResponse, include_in_schema=False
)
def upload(
    request: Request,
    slug: str,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Receive the party's file; the page again, with the receipt or why the file was refused."""
    account, expected = signed_in(request)
    check_csrf(expected, csrf)
    app = portal_app(request)
    acting = views.allow(app, account.principal, Action.SUBMIT, slug, address(request))
    try:
        receipt = views.submit(app, acting, file.file.read(), file.filename or "")
    except Forbidden:
        raise  # the error page, 403
    except AccordError as error:
        from flows.portal.app import status_of

        return _declaration_page(
            request, app, acting, account, expected, problem=str(error), status=status_of(error)
        )
    return _declaration_page(request, app, acting, account, expected, receipt=receipt, status=201)


@router.get("/static/portal.css", include_in_schema=False)
def stylesheet() -> Response:
    """The portal's only asset, served by accord (no CDN)."""
    css = Path(__file__).with_name("static").joinpath("portal.css").read_bytes()
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})


def download(name: str, data: bytes, media_type: str) -> Response:
    """A file to save, under a name that is never a path."""
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
