"""The co-presidencies' pages (the synopsis to decide from, the compilation returned from Word, approval), the
redline between two versions, and a party's objection during a silence procedure. Each action is a POST with the
session's CSRF token, asked of ``views.allow`` first, and run through the CLI's use case naming the account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from drafting.access import Action
from drafting.errors import AccordError, Forbidden
from flows.portal import views, work
from flows.portal.api import address, portal_app
from flows.portal.one_read import OneReadRoute
from flows.portal.pages import check_csrf, download, render, signed_in
from storage.accounts import Account

router = APIRouter(include_in_schema=False, route_class=OneReadRoute)
# The redline is the self-contained page `accord diff --html` writes, its style inline: served with a CSP of its own
# that lets that style in and still allows no script, no fetch, no form and no framing.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def document_page(html: str) -> HTMLResponse:
    """A self-contained page made by accord (redline, history, blame) under its own, still script-free, CSP."""
    return HTMLResponse(
        html, headers={"content-security-policy": DOCUMENT_CSP, "cache-control": "no-store"}
    )


def signed_in_acting(
    request: Request, slug: str, action: Action
) -> tuple[views.Acting, Account, str]:
    """Who acts, for which party, on ``slug`` (``action`` allowed, else 403 logged), their account and CSRF token."""
    account, csrf = signed_in(request)
    return (
        views.allow(portal_app(request), account.principal, action, slug, address(request)),
        account,
        csrf,
    )


def _synopsis_page(
    request: Request,
    acting: views.Acting,
    account: Account,
    csrf: str,
    *,
    done: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    seen = work.synopsis(portal_app(request), acting)
    return render(
        request,
        "synopsis.html",
        status,
        seen=seen,
        slug=acting.slug,
        party=acting.party,
        account=account,
        csrf=csrf,
        done=done,
        problem=problem,
    )


@router.get("/declarations/{slug}/synopsis", response_class=HTMLResponse)
def synopsis(request: Request, slug: str) -> Response:
    """The synopsis to decide from, amendment by amendment, the other co-presidency's decisions beside."""
    acting, account, csrf = signed_in_acting(request, slug, Action.DECIDE)
    return _synopsis_page(request, acting, account, csrf)


@router.get("/declarations/{slug}/compilation")
def compilation(request: Request, slug: str) -> Response:
    """The round's compilation .docx, to accept or reject the changes in Word and send it back."""
    acting, _, _ = signed_in_acting(request, slug, Action.DECIDE)
    name, data = work.compilation(portal_app(request), acting)
    return download(name, data, work.DOCX)


def _outcome(receipt: dict[str, Any]) -> str:
    done = f"{receipt['accepted']} accepted, {receipt['rejected']} rejected, {receipt['undecided']} undecided"
    return done + (f"; {receipt['revision']} issued as a draft" if receipt.get("revision") else "")


async def _refusal_or(
    request: Request, acting: views.Acting, account: Account, csrf: str, run: Any
) -> Response:
    """Run an action in a worker thread; the synopsis again with what happened, or why it was refused."""
    try:
        done = await run_in_threadpool(run)
    except Forbidden:
        raise
    except AccordError as error:
        from flows.portal.app import status_of

        return _synopsis_page(
            request, acting, account, csrf, problem=str(error), status=status_of(error)
        )
    return _synopsis_page(request, acting, account, csrf, done=done)


@router.post("/declarations/{slug}/decisions", response_class=HTMLResponse)
async def decide(request: Request, slug: str) -> Response:
    """The decisions chosen on the synopsis page (``decide:P001`` = accept | reject; ``decide:C01`` = P003)."""
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    acting, account, csrf = await run_in_threadpool(signed_in_acting, request, slug, Action.DECIDE)
    check_csrf(csrf, form.get("csrf", ""))
    app = portal_app(request)
    return await _refusal_or(
        request,
        acting,
        account,
        csrf,
        lambda: _outcome(work.decide(app, acting, work.decisions_of_form(form))),
    )


@router.post("/declarations/{slug}/decisions/file", response_class=HTMLResponse)
async def decide_file(
    request: Request,
    slug: str,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The compilation returned from Word with its changes accepted or rejected."""
    acting, account, expected = await run_in_threadpool(
        signed_in_acting, request, slug, Action.DECIDE
    )
    check_csrf(expected, csrf)
    data, app = await file.read(), portal_app(request)
    return await _refusal_or(
        request,
        acting,
        account,
        expected,
        lambda: _outcome(work.decide_file(app, acting, data, file.filename or "")),
    )


@router.post("/declarations/{slug}/approve", response_class=HTMLResponse)
async def approve(request: Request, slug: str, csrf: Annotated[str, Form()] = "") -> Response:
    """Approve the draft revision; circulated once both co-presidencies have."""
    acting, account, expected = await run_in_threadpool(
        signed_in_acting, request, slug, Action.DECIDE
    )
    check_csrf(expected, csrf)
    app = portal_app(request)

    def run() -> str:
        result = work.approve(app, acting)
        return f"{result['version']} approved by {', '.join(result['approved_by'])}" + (
            "; circulated" if result["circulated"] else "; waiting for the other co-presidency"
        )

    return await _refusal_or(request, acting, account, expected, run)


@router.get("/declarations/{slug}/redline", response_class=HTMLResponse)
def redline(request: Request, slug: str, first: str = "", second: str = "") -> Response:
    """The redline between two versions (`accord diff --html`); any reader of the declaration may see it."""
    acting, _, _ = signed_in_acting(request, slug, Action.VIEW)
    return document_page(work.redline(portal_app(request), acting.slug, first, second))


@router.post("/declarations/{slug}/objection", response_class=HTMLResponse)
def objection(
    request: Request,
    slug: str,
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The party's objection to the running silence procedure, with its reason."""
    acting, account, expected = signed_in_acting(request, slug, Action.OBJECT)
    check_csrf(expected, csrf)
    broken = work.object_to(portal_app(request), acting, reason)
    message = f"silence {broken['silence']} on {broken['version']} broken by {acting.party}: it is not agreed"
    return render(
        request,
        "message.html",
        201,
        message=message,
        account=account,
        csrf=expected,
        done=True,
        back=f"/declarations/{slug}",
    )
