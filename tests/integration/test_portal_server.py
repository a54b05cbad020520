"""The portal served by uvicorn on loopback: an upload over the limit is refused while it streams."""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.wordml.gate import GateLimits
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.portal.views import ENVELOPE_BYTES
from flows.publish import NullPublisher
from tests import factories
from tests.portal_server import serving

LIMIT = 1024 * 1024
CHUNK = 64 * 1024
SENT_AT_MOST = 200 * 1024 * 1024  # what the client would send if nobody stopped it


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[App, int]]:
    """A portal on a loopback port (SQLite), stopped at the end."""
    app = bootstrap(
        tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", publisher=NullPublisher()
    )
    app.settings.limits = GateLimits(max_upload_bytes=LIMIT)
    factories.open_declaration(app, n=6)
    with serving(app) as port:
        yield app, port
    app.store.engine.dispose()


def test_a_chunked_upload_over_the_limit_is_refused_before_it_ends(served: tuple[App, int]) -> None:
    app, port = served
    _, secret = accounts.create_token(app, factories.SLUG, "AT")
    head = (
        f"POST /api/v1/declarations/{factories.SLUG}/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="AT.docx"\r\n\r\n'
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(head + f"{len(part):x}\r\n".encode() + part + b"\r\n")
        client.settimeout(
            5
        )  # a server that stopped reading makes sendall time out: then read its answer
        while sent < SENT_AT_MOST and not select.select([client], [], [], 0)[0]:
            try:
                client.sendall(f"{CHUNK:x}\r\n".encode() + b"\0" * CHUNK + b"\r\n")
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                break
            sent += CHUNK
        answer = b""
        client.settimeout(10)
        while b"\r\n\r\n" not in answer:
            more = client.recv(65536)
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < SENT_AT_MOST // 4, f"the server read {sent} bytes before refusing"
    logged = wait_for_too_large(app)  # written once the answer is sent
    token = accounts.token_principal(app, secret)
    assert token is not None
    assert logged["by"] == token.by and logged["declared"] is None  # chunked: no length declared
    assert logged["route"] == f"POST /api/v1/declarations/{factories.SLUG}/submissions"
    assert LIMIT < int(logged["seen"]) <= sent + len(part) and logged["limit"] == str(
        LIMIT + ENVELOPE_BYTES
    )


def wait_for_too_large(app: App) -> dict[str, str | None]:
    """The security log's one upload.too-large entry, waiting a little for it."""
    for _ in range(100):
        with app.store.reading() as uow:
            found = [e for e in uow.accounts.security_log() if e.kind == "upload.too-large"]
        if found:
            [entry] = found
            detail: dict[str, str | None] = json.loads(entry.detail)
            return detail
        time.sleep(0.1)
    raise AssertionError("no upload.too-large in the security log")


def test_accord_serve_starts_the_portal_beside_the_flows(tmp_path: Path) -> None:
    """flows.serve.start_portal, as `accord serve` calls it: the home's portal answers on its port, then stops."""
    import time
    import urllib.request

    from flows.serve import start_portal
    from tests.portal_server import free_port

    factories.create_declaration(bootstrap(tmp_path / "home", publisher=NullPublisher()), n=2)
    port, said = free_port(), []
    web = start_portal(tmp_path / "home", "127.0.0.1", port, echo=said.append)
    try:
        for _ in range(250):
            if web.started:
                break
            time.sleep(0.02)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in") as page:
            assert page.status == 200 and b'name="password"' in page.read()
    finally:
        web.should_exit = True
    assert said == [f"portal on http://127.0.0.1:{port}/ (API: /api/v1)"]
