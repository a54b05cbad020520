"""Waiting for what the served flows do: accord's event log, and Prefect's flow runs of a deployment."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")
PAGE = 200  # Prefect's server default limit of runs per query (PREFECT_SERVER_API_DEFAULT_LIMIT)


def new_slug(prefix: str) -> str:
    """A declaration of the test's own in the shared served home."""
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def wait_for(
    check: Callable[[], T],
    timeout: float,
    what: str,
    every: float = 0.25,
    explain: Callable[[], str] | None = None,
) -> T:
    """Poll until `check()` is truthy; fail naming what did not happen (and what `explain` finds then)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f"\n{explain()}" if explain is not None else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{seen}")
        time.sleep(every)


def events(app: Any, slug: str, type: str | None = None) -> list[dict[str, Any]]:
    """The declaration's events (of one type)."""
    from flows.usecases.status import event_log

    return [e for e in event_log(app, slug) if type is None or e["type"] == type]


def runs(deployment: str, slug: str) -> list[Any]:
    """The flow runs of a deployment for one declaration, oldest first."""
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    named = DeploymentFilter(name=DeploymentFilterName(any_=[deployment]))
    found: list[Any] = []
    with get_client(sync_client=True) as client:
        while True:  # every page: the server answers at most PAGE runs at a time, and its session keeps them all
            page = client.read_flow_runs(deployment_filter=named, limit=PAGE, offset=len(found))
            found += page
            if len(page) < PAGE:
                break
    mine = [r for r in found if r.parameters.get("slug") == slug]
    return sorted(mine, key=lambda r: r.created or datetime.min)


def described(deployment: str, slug: str) -> str:
    """Every run of a deployment for one declaration, with its state and parameters (for a failure's message)."""
    found = runs(deployment, slug)
    lines = [
        f"  {r.id} {r.state.name if r.state else None} {r.parameters} created {r.created}"
        for r in found
    ]
    return f"{deployment} runs for {slug}: {len(found)}\n" + "\n".join(lines)


def completed(deployment: str, slug: str, count: int = 1) -> list[Any]:
    """The completed runs, once there are at least `count` of them (else [])."""
    done = [r for r in runs(deployment, slug) if r.state is not None and r.state.is_completed()]
    failed = [r for r in runs(deployment, slug) if r.state is not None and r.state.is_failed()]
    assert not failed, (
        f"{deployment} failed for {slug}: {failed[0].state.message if failed[0].state else ''}"
    )
    return done if len(done) >= count else []


def moment(value: str) -> datetime:
    """An ISO 8601 string (accord's, or str(datetime)) as a datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
