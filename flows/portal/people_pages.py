"""Pages about people: the password reset by an e-mailed code, and a head of delegation adding and disabling its
own delegation's delegates (as e-deleGATE's mission administrators do)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from drafting.access import AccountRole, Action
from drafting.errors import AccordError, Forbidden
from flows.bootstrap import App
from flows.portal import accounts, recovery, views
from flows.portal.api import address, portal_app
from flows.portal.i18n import words
from flows.portal.one_read import OneReadRoute
from flows.portal.pages import CSRF_COOKIE, anonymous_form, check_csrf, lang_of, render, signed_in
from storage.accounts import Account

router = APIRouter(include_in_schema=False, route_class=OneReadRoute)


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> Response:
    """Ask for a reset code by e-mail."""
    return anonymous_form(request, "reset.html", step="ask", email="", problem="")


@router.post("/reset", response_class=HTMLResponse)
def ask_reset(
    request: Request, email: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    """Mail a code if the address has an account; the page says the same either way."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf)
    recovery.request_reset(
        portal_app(request),
        email,
        address=address(request),
        portal=str(request.base_url).rstrip("/"),
    )
    return anonymous_form(
        request, "reset.html", step="code", email=email.strip().lower(), problem=""
    )


@router.post("/reset/confirm", response_class=HTMLResponse)
def confirm_reset(
    request: Request,
    email: Annotated[str, Form()],
    code: Annotated[str, Form()],
    password: Annotated[str, Form()],
    again: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    totp: Annotated[str, Form()] = "",
) -> Response:
    """Set the new password with the code (and the authenticator's code where the role has one)."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf)
    problem = words(lang_of(request))["passwords_differ"] if password != again else ""
    if not problem:
        try:
            recovery.reset(
                portal_app(request), email, code, password, totp=totp, address=address(request)
            )
            return RedirectResponse("/sign-in?note=reset", status_code=303)
        except AccordError as error:
            problem = str(error)
    return anonymous_form(request, "reset.html", 422, step="code", email=email, problem=problem)


def _delegation(request: Request, slug: str) -> tuple[views.Acting, Account, str]:
    account, csrf = signed_in(request)
    acting = views.allow(
        portal_app(request), account.principal, Action.MANAGE_DELEGATES, slug, address(request)
    )
    return acting, account, csrf


def _members(app: App, acting: views.Acting) -> list[Account]:
    """The accounts of the acting party's delegation to the declaration."""
    with app.store.reading() as uow:
        return [
            a
            for a in uow.accounts.all()
            if any(m.declaration == acting.slug and m.party == acting.party for m in a.memberships)
        ]


def _delegates_page(
    request: Request,
    acting: views.Acting,
    account: Account,
    csrf: str,
    *,
    done: str = "",
    link: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    members = _members(portal_app(request), acting)
    return render(
        request,
        "delegates.html",
        status,
        slug=acting.slug,
        party=acting.party,
        members=members,
        account=account,
        csrf=csrf,
        done=done,
        link=link,
        problem=problem,
    )


@router.get("/declarations/{slug}/delegates", response_class=HTMLResponse)
def delegates(request: Request, slug: str) -> Response:
    """The delegation's accounts, to add or disable delegates."""
    acting, account, csrf = _delegation(request, slug)
    return _delegates_page(request, acting, account, csrf)


@router.post("/declarations/{slug}/delegates", response_class=HTMLResponse)
def add_delegate(
    request: Request,
    slug: str,
    email: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Invite a delegate of the head's own delegation: the link is shown once (and mailed when SMTP is set)."""
    acting, account, expected = _delegation(request, slug)
    check_csrf(expected, csrf)
    app = portal_app(request)
    try:
        invitation = accounts.invite(
            app,
            email,
            AccountRole.DELEGATE,
            party=acting.party,
            declaration=slug,
            by=acting.principal.by,
        )
    except AccordError as error:
        return _delegates_page(request, acting, account, expected, problem=str(error), status=422)
    link = f"{str(request.base_url).rstrip('/')}/invitation/{invitation.token}"
    mailed = recovery.mail_invitation(app, invitation, link)
    done = f"{invitation.account.email} invited" + (f" ({mailed})" if mailed else "")
    return _delegates_page(
        request,
        acting,
        account,
        expected,
        done=done,
        link="" if mailed == "mailed" else link,
        status=201,
    )


@router.post("/declarations/{slug}/delegates/disable", response_class=HTMLResponse)
def disable_delegate(
    request: Request,
    slug: str,
    email: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Disable a delegate of the head's own delegation (never another delegation's, nor a head or a chair)."""
    acting, account, expected = _delegation(request, slug)
    check_csrf(expected, csrf)
    app = portal_app(request)
    with app.store.reading() as uow:
        target = uow.accounts.find(email)
    own = (
        target is not None
        and target.role is AccountRole.DELEGATE
        and all(m.declaration == slug and m.party == acting.party for m in target.memberships)
        and bool(target.memberships)
    )
    if target is None or not own:
        accounts.log_refusal(
            app, acting.principal, f"disable {email.strip().lower()} in {slug}", address(request)
        )
        raise Forbidden(
            f"{email.strip()} is not a delegate of {acting.party} only; the secretariat disables "
            "other accounts (`accord user disable`)"
        )
    accounts.disable(app, target.email, by=acting.principal.by)
    return _delegates_page(request, acting, account, expected, done=f"{target.email} disabled")
