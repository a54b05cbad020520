"""route-compilation: a ready compilation goes to both co-presidencies (outbox, event, mail)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain
from flows.usecases import routing


@task(name="route")
def route(slug: str, round_number: int) -> dict[str, Any]:
    """Send the round's compilation and synopsis to the co-presidencies (idempotent)."""
    return plain(routing.route_compilation(app(), slug, round_number))


@flow(name="route-compilation", persist_result=False)
def route_compilation(
    slug: str, round_number: int = 0, event_id: str = "", occurred: str = ""
) -> dict[str, Any]:
    """Route a round's compilation (triggered by accord.compilation.ready); round 0: the latest compiled."""
    return route(slug, round_number)
