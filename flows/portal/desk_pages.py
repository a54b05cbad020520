"""The secretariat's dashboard and actions, and the auditors' pages (history, blame, verify, the bundle).

Every action is a POST with the session's CSRF token, allowed by ``views.allow`` (Action.RUN: the secretariat
only); the auditors' pages are GETs allowed for Action.AUDIT and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from drafting.access import Action
from drafting.errors import AccordError, Forbidden, NotFound
from flows.bootstrap import App
from flows.portal import accounts, desk, documents, views
from flows.portal.api import address, portal_app
from flows.portal.chair_pages import document_page, signed_in_acting
from flows.portal.one_read import OneReadRoute
from flows.portal.pages import check_csrf, download, render
from storage.accounts import Account

router = APIRouter(include_in_schema=False, route_class=OneReadRoute)


def _dashboard(
    request: Request,
    slug: str,
    account: Account,
    csrf: str,
    *,
    done: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    seen = desk.dashboard(portal_app(request), slug)
    return render(
        request,
        "dashboard.html",
        status,
        seen=seen,
        slug=slug,
        account=account,
        csrf=csrf,
        done=done,
        problem=problem,
    )


@router.get("/declarations/{slug}/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, slug: str) -> Response:
    """Who has and has not submitted, the deadline, decisions pending, brackets, the silence; the actions."""
    _, account, csrf = signed_in_acting(request, slug, Action.RUN)
    return _dashboard(request, slug, account, csrf)


def _run(
    request: Request, slug: str, csrf: str, action: Callable[[App, views.Acting], str]
) -> Response:
    acting, account, expected = signed_in_acting(request, slug, Action.RUN)
    check_csrf(expected, csrf)
    try:
        done = action(portal_app(request), acting)
    except (Forbidden, NotFound):
        raise
    except AccordError as error:
        from flows.portal.app import status_of

        return _dashboard(
            request, slug, account, expected, problem=str(error), status=status_of(error)
        )
    return _dashboard(request, slug, account, expected, done=done)


Csrf = Annotated[str, Form()]


@router.post("/declarations/{slug}/round/open", response_class=HTMLResponse)
def open_round(
    request: Request, slug: str, csrf: Csrf = "", deadline: Annotated[str, Form()] = ""
) -> Response:
    """Open the next round (with its deadline, ISO 8601 with a zone) and send the copies."""
    return _run(request, slug, csrf, lambda app, acting: desk.open_round(app, acting, deadline))


@router.post("/declarations/{slug}/round/close", response_class=HTMLResponse)
def close_round(request: Request, slug: str, csrf: Csrf = "") -> Response:
    """Close the open round and compile it."""
    return _run(request, slug, csrf, desk.close_round)


@router.post("/declarations/{slug}/round/deadline", response_class=HTMLResponse)
def extend_deadline(
    request: Request, slug: str, csrf: Csrf = "", deadline: Annotated[str, Form()] = ""
) -> Response:
    """Move the open round's deadline later."""
    return _run(
        request, slug, csrf, lambda app, acting: desk.extend_deadline(app, acting, deadline)
    )


@router.post("/declarations/{slug}/reminders", response_class=HTMLResponse)
def remind(request: Request, slug: str, csrf: Csrf = "") -> Response:
    """Remind the delegations that have not submitted."""
    return _run(request, slug, csrf, desk.remind)


@router.post("/declarations/{slug}/silence", response_class=HTMLResponse)
def silence(
    request: Request, slug: str, csrf: Csrf = "", until: Annotated[str, Form()] = ""
) -> Response:
    """Start a silence procedure on the current version, until a time."""
    return _run(request, slug, csrf, lambda app, acting: desk.start_silence(app, acting, until))


@router.post("/declarations/{slug}/agree", response_class=HTMLResponse)
def agree(request: Request, slug: str, csrf: Csrf = "") -> Response:
    """Mark the current version agreed (nothing bracketed)."""
    return _run(request, slug, csrf, desk.agree)


@router.post("/declarations/{slug}/archive", response_class=HTMLResponse)
def archive(
    request: Request, slug: str, csrf: Csrf = "", pdf: Annotated[str, Form()] = ""
) -> Response:
    """Seal the declaration and write its bundle (with a PDF of the text when asked and LibreOffice is there)."""
    return _run(request, slug, csrf, lambda app, acting: desk.archive(app, acting, pdf=bool(pdf)))


@router.get("/declarations/{slug}/audit", response_class=HTMLResponse)
def audit(request: Request, slug: str) -> Response:
    """The auditor's page: whether the records verify, and links to the history, blame and bundle."""
    _, account, csrf = signed_in_acting(request, slug, Action.AUDIT)
    app = portal_app(request)
    return render(
        request,
        "audit.html",
        slug=slug,
        account=account,
        csrf=csrf,
        verified=desk.verify(app, slug),
        sealed=desk.bundle(app, slug) is not None,
    )


@router.get("/declarations/{slug}/history", response_class=HTMLResponse)
def history(request: Request, slug: str) -> Response:
    """The declaration's history, event by event."""
    signed_in_acting(request, slug, Action.AUDIT)
    return document_page(desk.history(portal_app(request), slug))


@router.get("/declarations/{slug}/documents/{path:path}")
def document(request: Request, slug: str, path: str) -> Response:
    """A document the history links to (its path in the bundle): to the secretariat, auditors and co-presidencies;
    to a delegation the versions circulated to it and its own submissions (any other refusal is logged)."""
    acting, _, _ = signed_in_acting(request, slug, Action.VIEW)
    app = portal_app(request)
    try:
        name, data, media = documents.document(app, acting, path)
    except Forbidden:
        accounts.log_refusal(
            app, acting.principal, f"document {slug} {path[:200]}", address(request)
        )
        raise
    return download(name, data, media)


@router.get("/declarations/{slug}/blame", response_class=HTMLResponse)
def blame(request: Request, slug: str) -> Response:
    """Where each character of the current text comes from."""
    signed_in_acting(request, slug, Action.AUDIT)
    return document_page(desk.blame(portal_app(request), slug))


@router.get("/declarations/{slug}/bundle")
def bundle(request: Request, slug: str) -> Response:
    """The archive bundle the last seal vouches for."""
    signed_in_acting(request, slug, Action.AUDIT)
    data = desk.bundle(portal_app(request), slug)
    if data is None:
        raise NotFound(f"{slug!r} is not sealed: the secretariat archives it first")
    return download(f"{slug}-archive.zip", data, "application/zip")
