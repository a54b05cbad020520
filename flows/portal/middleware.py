"""ASGI middleware of the portal: the upload limit, enforced while the body streams in, and security headers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException

Scope = dict[str, Any]
Message = dict[str, Any]
# Told of each refusal: the request's scope, the limit, the Content-Length it declared (None without one) and the
# bytes seen.
Refused = Callable[[Scope, int, int | None, int], Awaitable[None]]

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),  # invitation links carry a secret in their path
    (b"cross-origin-opener-policy", b"same-origin"),
]


class BodyTooLarge(HTTPException):
    """The request body passed the limit: answered 413 without reading the rest. An HTTPException, so that FastAPI
    lets it through its body parsing (which turns other errors into 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large(limit))


class UploadLimit:
    """Refuse a request body over ``limit`` bytes (``wider``: a larger one for a path whose form carries several
    files): at once from its Content-Length, else as soon as the bytes received pass it (a chunked upload is never
    read to its end); ``refused`` is told of each refusal."""

    def __init__(
        self,
        app: Any,
        limit: int,
        wider: dict[str, int] | None = None,
        refused: Refused | None = None,
    ) -> None:
        self.app, self.default, self.wider, self.refused = app, limit, wider or {}, refused

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.wider.get(scope.get("path", ""), self.default)
        length = dict(scope["headers"]).get(b"content-length", b"")
        declared = int(length) if length.isdigit() else None
        if declared is not None and declared > limit:
            await self._tell(scope, limit, declared, 0)
            await _too_large(send, limit)
            return
        received, started, over = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            message: Message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                over = True
                raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)
        if over:  # answered 413 here or by the app's handler of BodyTooLarge
            await self._tell(scope, limit, declared, received)

    async def _tell(self, scope: Scope, limit: int, declared: int | None, seen: int) -> None:
        if self.refused is not None:
            await self.refused(scope, limit, declared, seen)


def too_large(limit: int) -> str:
    """Why a body over the limit is refused, and what to do."""
    return (
        f"the upload is larger than the limit of {limit} bytes; send a smaller file "
        "(a Word file with its images is rarely more than a few MB)"
    )


async def _too_large(send: Any, limit: int) -> None:
    body = json.dumps({"error": too_large(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Every response carries the CSP (no script at all), no framing, no sniffing, no referrer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # a response with a CSP of its own (accord's self-contained pages) keeps it, and gets the rest
                given = {name.lower() for name, _ in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        *((k, v) for k, v in SECURITY_HEADERS if k not in given),
                    ],
                }
            await send(message)

        await self.app(scope, receive, with_headers)
