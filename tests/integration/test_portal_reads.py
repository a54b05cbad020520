"""A page is one read (issue 13, page p95): a GET of the portal begins one read-only transaction, and writes
nothing but a session's touch once a minute."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.routing import BaseRoute

from drafting.access import AccountRole
from flows.bootstrap import App
from flows.portal import accounts
from flows.portal.app import create_app
from flows.portal.one_read import OneReadRoute
from storage.db import READ_ONLY
from tests import factories
from tests.integration.test_accounts import PASSWORD, app  # noqa: F401 (a fixture)

SLUG = factories.SLUG


@pytest.fixture
def begun(app: App) -> Iterator[list[str]]:
    """Each transaction begun from now on: "read" or "write"."""
    seen: list[str] = []

    def on_begin(connection: Any) -> None:
        seen.append("read" if connection.get_execution_options().get(READ_ONLY) else "write")

    event.listen(app.store.engine, "begin", on_begin)
    yield seen
    event.remove(app.store.engine, "begin", on_begin)


def signed_in(app: App, client: TestClient, party: str = "AT") -> None:
    email = f"{party.lower()}@example.org"
    invitation = accounts.invite(app, email, AccountRole.DELEGATE, party=party, declaration=SLUG)
    accounts.accept(app, invitation.token, PASSWORD)
    signed = accounts.sign_in(app, email, PASSWORD)
    assert signed is not None
    client.cookies.set("accord_session", signed.cookie)


def test_a_page_is_one_read_and_writes_nothing(
    app: App, begun: list[str], clock: factories.Clock
) -> None:
    client = TestClient(create_app(app))
    signed_in(app, client)
    begun.clear()
    page = client.get(f"/declarations/{SLUG}")
    assert page.status_code == 200 and "Your stamped copy" in page.text
    assert begun == [
        "read"
    ]  # the session, the authorization, the declaration, the submissions, the silence
    begun.clear()
    clock.advance(minutes=2)
    assert client.get(f"/declarations/{SLUG}").status_code == 200
    assert sorted(begun) == ["read", "write"]  # the session's touch, once a minute at most
    begun.clear()
    assert client.get(f"/declarations/{SLUG}").status_code == 200
    assert begun == ["read"]


def test_an_api_read_writes_nothing(app: App, begun: list[str]) -> None:
    _, secret = accounts.create_token(app, SLUG, "AT")
    client = TestClient(create_app(app))
    begun.clear()
    answer = client.get(
        f"/api/v1/declarations/{SLUG}", headers={"authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 200 and answer.json()["party"]["code"] == "AT"
    # the token (a dependency, run on a thread of its own), then the handler's one read
    assert begun == ["read", "read"]


def test_a_refusal_on_a_page_is_still_logged(app: App, begun: list[str]) -> None:
    """A write within a page's read (a refusal's line in the security log) is a transaction of its own."""
    client = TestClient(create_app(app))
    signed_in(app, client)
    factories.create_declaration(app, slug="other", n=2)
    begun.clear()
    assert client.get("/declarations/other").status_code == 403
    assert sorted(begun) == ["read", "write"]
    with app.store.reading() as uow:
        assert uow.accounts.security_log()[-1].kind == "access.refused"


def test_the_zone_list_names_every_zone_once_with_the_chosen_one_selected(app: App) -> None:
    client = TestClient(create_app(app))
    signed_in(app, client)
    page = client.get(f"/declarations/{SLUG}?tz=America/Mexico_City").text
    zones = sorted(zoneinfo.available_timezones())
    assert "<option selected>America/Mexico_City</option>" in page
    assert page.count("<option") == len(zones) and page.count(" selected>") == 1
    assert all(f">{zone}</option>" in page for zone in zones)


def test_every_route_of_the_portal_reads_in_one_snapshot(app: App) -> None:
    """A router added without ``route_class=OneReadRoute`` would have its pages begin a transaction per reading."""
    routes = list(api_routes(create_app(app).routes))
    assert len(routes) > 40
    assert [r.path for r in routes if not isinstance(r, OneReadRoute)] == []


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, within the routers included (FastAPI keeps each as a route holding its router)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route
