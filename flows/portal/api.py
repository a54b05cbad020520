"""The JSON API under /api/v1: `Authorization: Bearer TOKEN`, the same rules and use cases as the CLI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from drafting.access import Action, Principal
from drafting.errors import InvalidInput
from flows.bootstrap import App
from flows.portal import accounts, views
from flows.portal.one_read import OneReadRoute


class Unauthorized(Exception):
    """No valid bearer token: 401."""


class Decisions(BaseModel):
    decisions: dict[str, str]


def portal_app(request: Request) -> App:
    """The accord app the portal was made with."""
    app: App = request.app.state.accord
    return app


def address(request: Request) -> str | None:
    """The client's address, for throttling and the security log."""
    return request.client.host if request.client else None


def token_holder(app: App, request: Request) -> Principal | None:
    """Who the request's API token acts as, or None without a valid one."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return accounts.token_principal(app, secret.strip())


def bearer(request: Request, app: Annotated[App, Depends(portal_app)]) -> Principal:
    """Who the request's API token acts as; 401 without a valid one."""
    principal = token_holder(app, request)
    if principal is None:
        raise Unauthorized()
    return principal


AppDep = Annotated[App, Depends(portal_app)]
Caller = Annotated[Principal, Depends(bearer)]
router = APIRouter(prefix="/api/v1", route_class=OneReadRoute)


@router.get("/declarations/{slug}")
def get_declaration(slug: str, request: Request, app: AppDep, principal: Caller) -> dict[str, Any]:
    """The declaration as the token's party sees it: the current version and the latest round."""
    return views.declaration(app, views.allow(app, principal, Action.VIEW, slug, address(request)))


@router.post("/declarations/{slug}/submissions", status_code=201)
def post_submission(
    slug: str, request: Request, app: AppDep, principal: Caller, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """Submit the party's Word file (multipart field `file`): the receipt, or why it was refused."""
    acting = views.allow(app, principal, Action.SUBMIT, slug, address(request))
    data = file.file.read()
    return views.submit(app, acting, data, file.filename or "")


@router.get("/declarations/{slug}/submissions")
def get_submissions(
    slug: str, request: Request, app: AppDep, principal: Caller
) -> list[dict[str, Any]]:
    """The token's party's own submissions, newest first."""
    return views.own_submissions(
        app, views.allow(app, principal, Action.LIST_OWN, slug, address(request))
    )


@router.post("/declarations/{slug}/decisions", status_code=201)
def post_decisions(
    slug: str, body: Decisions, request: Request, app: AppDep, principal: Caller
) -> dict[str, Any]:
    """A co-presidency's decisions, {"decisions": {"P001": "accept"}} (403 for any other party)."""
    acting = views.allow(app, principal, Action.DECIDE, slug, address(request))
    if not body.decisions:
        raise InvalidInput('no decisions given; send {"decisions": {"P001": "accept"}}')
    return views.decide(app, acting, body.decisions)


def unauthorized(_request: Request, _error: Exception) -> JSONResponse:
    """401 with the scheme to use."""
    return JSONResponse(
        {
            "error": "a valid API token is needed: send `Authorization: Bearer TOKEN` "
            "(`accord token create` makes one)"
        },
        status_code=401,
        headers={"www-authenticate": "Bearer"},
    )
