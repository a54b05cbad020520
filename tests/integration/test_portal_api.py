"""The portal's JSON API: bearer tokens, the statuses the issue names, and the log naming the acting token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from drafting.access import AccountRole
from drafting.wordml.gate import GateLimits
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.portal.app import create_app
from flows.portal.views import ENVELOPE_BYTES
from flows.publish import NullPublisher
from flows.usecases.compile import compile_round
from flows.usecases.replay import replay
from flows.usecases.rounds import close_round
from flows.usecases.status import event_log
from flows.usecases.texts import load_compilation
from tests import factories

SLUG = factories.SLUG
BASE = f"/api/v1/declarations/{SLUG}"
LIMIT = 2 * 1024 * 1024  # a party's file here is ~40 KB


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: factories.Clock) -> App:
    """eu-celac (ES, BO, AT, BE, BG, HR) with round 1 open, and "other" (ES, BO only)."""
    app = bootstrap(tmp_path / "home", url=database_url, clock=clock, publisher=NullPublisher())
    app.settings.limits = GateLimits(max_upload_bytes=LIMIT)
    factories.open_declaration(app, n=6)
    factories.create_declaration(app, slug="other", n=2)
    return app


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as client:
        yield client


@pytest.fixture
def tokens(app: App) -> dict[str, str]:
    """Bearer headers' secrets for AT, BE (delegations) and ES (a co-presidency) in eu-celac."""
    return {code: accounts.create_token(app, SLUG, code)[1] for code in ("AT", "BE", "ES")}


def auth(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def upload(
    client: TestClient, secret: str, data: bytes, name: str = "AT.docx", slug: str = SLUG
) -> Any:
    return client.post(
        f"/api/v1/declarations/{slug}/submissions",
        headers=auth(secret),
        files={
            "file": (
                name,
                data,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        },
    )


ROUTES = [
    ("get", BASE, {}),
    ("get", f"{BASE}/submissions", {}),
    ("post", f"{BASE}/submissions", {"files": {"file": ("AT.docx", b"x")}}),
    ("post", f"{BASE}/decisions", {"json": {"decisions": {"P001": "accept"}}}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic QVQ6QVQ=", "Bearer "])
def test_without_a_valid_token_every_route_answers_401(
    client: TestClient, method: str, path: str, body: dict[str, Any], header: str | None
) -> None:
    response = getattr(client, method)(
        path, headers={"authorization": header} if header else {}, **body
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "accord token create" in response.json()["error"]


def test_a_party_reads_its_declaration(client: TestClient, tokens: dict[str, str]) -> None:
    seen = client.get(BASE, headers=auth(tokens["AT"])).json()
    assert seen["party"] == {"code": "AT", "name": factories.NAMES["AT"], "role": "delegation"}
    assert seen["round"]["number"] == 1 and seen["round"]["state"] == "open"
    assert seen["version"]["label"] == "Zero draft"


@pytest.mark.parametrize(
    ("method", "path", "body"), [(m, p.replace(SLUG, "other"), b) for m, p, b in ROUTES]
)
def test_a_party_not_in_the_declaration_gets_403_and_the_refusal_is_logged(
    app: App,
    client: TestClient,
    tokens: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    assert getattr(client, method)(path, headers=auth(tokens["AT"]), **body).status_code == 403
    with app.store.reading() as uow:
        refusals = [row for row in uow.accounts.security_log() if row[1] == "access.refused"]
    assert len(refusals) == 1 and '"by":"token:' in refusals[0][4]


def test_a_submission_answers_201_with_the_receipt_and_the_log_names_the_token(
    app: App, client: TestClient, tokens: dict[str, str]
) -> None:
    data = factories.party_submission("AT")
    response = upload(client, tokens["AT"], data, name="Propuesta\u202e.docx")
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["sha256"] == factories.sha256_of(data) and receipt["submission"] == 1
    assert receipt["filename"] == "Propuesta.docx"
    assert receipt["amendments"] and all(
        {"id", "paragraph", "deleted", "inserted"} <= set(a) for a in receipt["amendments"]
    )
    assert any("proposes this clause" in a["inserted"] for a in receipt["amendments"])
    assert isinstance(receipt["warnings"], list)
    with app.store.reading() as uow:
        event = uow.log(uow.repo.declaration(SLUG))[-1]
        [token] = [t for t in uow.accounts.tokens() if t.membership.party == "AT"]
    assert event.type == "accord.submission.received" and event.actor == "AT"
    assert event.payload["by"] == f"token:{token.id}" and event.payload["party"] == "AT"
    own = client.get(f"{BASE}/submissions", headers=auth(tokens["AT"])).json()
    assert [s["sha256"] for s in own] == [receipt["sha256"]]
    assert (
        client.get(f"{BASE}/submissions", headers=auth(tokens["BE"])).json() == []
    )  # another party sees none


def test_a_revoked_token_answers_401(app: App, client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get(BASE, headers=auth(tokens["AT"])).status_code == 200
    with app.store.reading() as uow:
        [token] = [t for t in uow.accounts.tokens() if t.membership.party == "AT"]
    accounts.revoke_token(app, token.id)
    assert client.get(BASE, headers=auth(tokens["AT"])).status_code == 401


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "AT.docx", ""),
        (b"%PDF-1.7", "AT.pdf", "is not a .docx file"),
        (b"MZ", "AT\u202excod.exe", "is not a .docx file"),
    ],
)
def test_a_file_the_gate_refuses_answers_422(
    app: App, client: TestClient, tokens: dict[str, str], data: bytes, name: str, message: str
) -> None:
    response = upload(client, tokens["AT"], data, name=name)
    assert response.status_code == 422
    assert message in response.json()["error"]
    refused = [e for e in event_log(app, SLUG) if e["type"] == "accord.submission.refused"]
    assert (
        len(refused) == 1 and refused[0]["actor"] == "AT"
    )  # the name check at the edge is logged too
    assert refused[0]["payload"]["size"] == len(data) and message in refused[0]["payload"]["reason"]
    assert "\u202e" not in refused[0]["payload"]["filename"]  # the hostile name shown as ⟨U+202E⟩


def test_no_open_round_answers_409(app: App, client: TestClient, tokens: dict[str, str]) -> None:
    close_round(app, SLUG)
    response = upload(client, tokens["AT"], factories.party_submission("AT"))
    assert response.status_code == 409
    assert "no round of 'eu-celac' is open" in response.json()["error"]


def test_an_upload_over_the_limit_answers_413_from_its_length(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = upload(client, tokens["AT"], b"\0" * (LIMIT + 128 * 1024))
    assert response.status_code == 413
    assert "larger than the limit" in response.json()["error"]


def too_large_entries(app: App) -> list[dict[str, Any]]:
    with app.store.reading() as uow:
        return [
            {"address": e.address, **json.loads(e.detail)}
            for e in uow.accounts.security_log()
            if e.kind == "upload.too-large"
        ]


def test_an_upload_refused_for_its_size_is_in_the_security_log(
    app: App, client: TestClient, tokens: dict[str, str]
) -> None:
    """Issue 12: who sent it (the token's account, a session's, or nobody known), to which route, how large."""
    with app.store.reading() as uow:
        at = uow.accounts.tokens()[0]
    assert at.membership.party == "AT"
    size = LIMIT + 128 * 1024
    assert upload(client, tokens["AT"], b"\0" * size).status_code == 413
    assert upload(client, "not-a-token", b"\0" * size).status_code == 413
    invitation = accounts.invite(
        app, "at@example.org", AccountRole.DELEGATE, party="AT", declaration=SLUG
    )
    accounts.accept(app, invitation.token, "a long and unusual passphrase")
    signed = accounts.sign_in(app, "at@example.org", "a long and unusual passphrase")
    assert signed is not None
    client.cookies.set("accord_session", signed.cookie)
    page = client.post(
        f"/declarations/{SLUG}/submissions", files={"file": ("AT.docx", b"\0" * size)}
    )
    assert page.status_code == 413
    logged = too_large_entries(app)
    assert [e["by"] for e in logged] == [at.principal.by, None, signed.account.principal.by]
    assert [e["route"] for e in logged] == [
        f"POST /api/v1/declarations/{SLUG}/submissions",
        f"POST /api/v1/declarations/{SLUG}/submissions",
        f"POST /declarations/{SLUG}/submissions",
    ]
    assert all(int(e["declared"]) > size and e["seen"] == "0" for e in logged)  # refused unread
    assert {e["limit"] for e in logged} == {str(LIMIT + ENVELOPE_BYTES)}
    assert {e["address"] for e in logged} == {"testclient"}
    assert upload(client, tokens["AT"], factories.party_submission("AT")).status_code == 201
    assert len(too_large_entries(app)) == 3  # an upload within the limit is not logged as one


def test_only_co_presidencies_decide(app: App, client: TestClient, tokens: dict[str, str]) -> None:
    decisions = {"decisions": {"P001": "accept"}}
    assert (
        client.post(f"{BASE}/decisions", headers=auth(tokens["AT"]), json=decisions).status_code
        == 403
    )
    assert (
        client.post(f"{BASE}/decisions", headers=auth(tokens["ES"]), json=decisions).status_code
        == 409
    )
    assert upload(client, tokens["AT"], factories.party_submission("AT")).status_code == 201
    close_round(app, SLUG)
    compile_round(app, SLUG)
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(SLUG)
        stored = load_compilation(uow, declaration, uow.repo.latest_round(declaration))
    ids = [p.id for p in stored.merged.proposals]
    bad = client.post(
        f"{BASE}/decisions", headers=auth(tokens["ES"]), json={"decisions": {"P999": "accept"}}
    )
    assert bad.status_code == 422 and "P999" in bad.json()["error"]
    response = client.post(
        f"{BASE}/decisions",
        headers=auth(tokens["ES"]),
        json={"decisions": {pid: "accept" for pid in ids}},
    )
    assert response.status_code == 201, response.text
    assert response.json()["accepted"] == len(ids) and response.json()["party"] == "ES"
    with app.store.reading() as uow:
        event = uow.log(uow.repo.declaration(SLUG))[-1]
    assert event.type == "accord.decision.recorded" and event.actor == "ES"
    assert event.payload["by"].startswith("token:")
    # The portal's events replay byte for byte: the use cases take `by` from the logged payload.
    assert replay(app, SLUG).events == len(read_events_of(app))


def read_events_of(app: App) -> list[Any]:
    with app.store.reading() as uow:
        return uow.log(uow.repo.declaration(SLUG))


def test_the_openapi_document_is_served(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/v1/declarations/{slug}",
        "/api/v1/declarations/{slug}/submissions",
        "/api/v1/declarations/{slug}/decisions",
    }
