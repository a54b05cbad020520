"""A page is one read: every GET handler of the portal runs in one read transaction (``Store.snapshot``).

Without it a page began a transaction for each thing it read (the session, the authorization, the declaration,
the party's submissions, the silence), and on SQLite each queued behind the uploads being written.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute

from storage import Store

READS = frozenset({"GET", "HEAD"})


class OneReadRoute(APIRoute):
    """A route whose handler, when it only reads (GET), sees one snapshot: its readings share one transaction.
    A write it makes (a session's touch, a refusal's line in the security log) is a transaction of its own."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        methods = {m.upper() for m in options.get("methods") or ("GET",)}
        if methods <= READS and not inspect.iscoroutinefunction(endpoint):
            endpoint = in_one_read(endpoint)
        super().__init__(path, endpoint, **options)


def in_one_read(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint, run inside one snapshot (FastAPI reads the parameters through ``functools.wraps``)."""

    @functools.wraps(endpoint)
    def read(*args: Any, **kwargs: Any) -> Any:
        with Store.snapshot():
            return endpoint(*args, **kwargs)

    return read
