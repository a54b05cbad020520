"""The portal's web application: the JSON API and the browser pages on one FastAPI app, over accord's App."""

from __future__ import annotations

import gc
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from drafting.errors import AccordError, Forbidden, InvalidInput, NotFound, RefusedFile, WrongState
from flows.bootstrap import App
from flows.portal import (
    accounts,
    api,
    chair_pages,
    create_pages,
    desk_pages,
    pages,
    people_pages,
    translator_pages,
)
from flows.portal.middleware import BodyTooLarge, SecurityHeaders, UploadLimit
from flows.portal.views import ENVELOPE_BYTES

STATUS = [
    (Forbidden, 403),
    (NotFound, 404),
    (WrongState, 409),
    (RefusedFile, 422),
    (InvalidInput, 422),
]


def create_app(app: App) -> FastAPI:
    """The portal over an accord app (its database, clock, gate limits and publisher)."""
    web = FastAPI(
        title="accord portal",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    web.state.accord = app
    web.include_router(api.router)
    web.include_router(create_pages.router)
    web.include_router(pages.router)
    web.include_router(chair_pages.router)
    web.include_router(desk_pages.router)
    web.include_router(people_pages.router)
    web.include_router(translator_pages.router)
    web.add_exception_handler(api.Unauthorized, api.unauthorized)
    web.add_exception_handler(pages.SignInNeeded, sign_in_needed)
    web.add_exception_handler(AccordError, refused)
    web.add_exception_handler(BodyTooLarge, too_large)
    most = app.settings.limits.max_upload_bytes

    async def refused_for_size(
        scope: dict[str, Any], limit: int, declared: int | None, seen: int
    ) -> None:
        await run_in_threadpool(log_too_large, app, Request(scope), limit, declared, seen)

    web.add_middleware(
        UploadLimit,
        limit=most + ENVELOPE_BYTES,
        wider={create_pages.PATH: create_pages.body_limit(most, ENVELOPE_BYTES)},
        refused=refused_for_size,
    )
    web.add_middleware(SecurityHeaders)
    return web


def freeze_startup_heap() -> None:
    """Put every object made so far (the imported modules, the app) out of the garbage collector's reach: a full
    collection walks them all, ~60 ms of CPU (200 ms on a loaded machine) with every request stopped meanwhile, and
    the portal's pages missed their 100 ms p95 by that alone. Called once, when the portal starts serving."""
    gc.collect()
    gc.freeze()


def status_of(error: AccordError) -> int:
    """The HTTP status of one of accord's refusals."""
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def refused(request: Request, error: Exception) -> Response:
    """accord's refusal with its status: {"error": "..."} from the API, a page in words from a page."""
    assert isinstance(error, AccordError)
    if not request.url.path.startswith("/api/"):
        return pages.render(request, "message.html", status_of(error), message=str(error))
    return JSONResponse({"error": str(error)}, status_code=status_of(error))


def sign_in_needed(request: Request, _error: Exception) -> Response:
    """A page without a live session: to the sign-in form (which says why when a session cookie was sent)."""
    note = "?note=expired" if request.cookies.get(pages.SESSION_COOKIE) else ""
    response = RedirectResponse(f"/sign-in{note}", status_code=303)
    response.delete_cookie(pages.SESSION_COOKIE, path="/")
    return response


def too_large(_request: Request, error: Exception) -> JSONResponse:
    """413 as {"error": "..."}: the rest of the body is never read."""
    assert isinstance(error, BodyTooLarge)
    return JSONResponse({"error": error.detail}, status_code=413, headers={"connection": "close"})


def log_too_large(app: App, request: Request, limit: int, declared: int | None, seen: int) -> None:
    """An upload refused for its size, in the security log: who sent it (its token's or session's account, when
    valid), from where, to which route, the size it declared and the bytes seen before it was refused."""
    accounts.log_event(
        app,
        "upload.too-large",
        address=api.address(request),
        by=caller(app, request),
        route=f"{request.method} {request.url.path}",
        declared=None if declared is None else str(declared),
        seen=str(seen),
        limit=str(limit),
    )


def caller(app: App, request: Request) -> str | None:
    """Who a request comes from, by its bearer token or its session cookie; None when neither is valid."""
    principal = api.token_holder(app, request)
    if principal is not None:
        return principal.by
    cookie = request.cookies.get(pages.SESSION_COOKIE)
    found = accounts.session_account(app, cookie) if cookie else None
    return found[0].principal.by if found else None
