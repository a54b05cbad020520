"""open-round: the secretariat opens the next round from the Prefect UI (or `prefect deployment run`)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain
from flows.usecases import rounds


@task(name="open-round")
def open_next_round(slug: str, deadline: str | None) -> dict[str, Any]:
    """Open the next round on the circulated version (distribute-round then sends each party its copy)."""
    return plain(rounds.open_round(app(), slug, deadline=deadline or None))


@flow(name="open-round", persist_result=False)
def open_round(slug: str, deadline: str = "") -> dict[str, Any]:
    """Open a round with an ISO 8601 deadline (with its time zone); the deadline's close is then scheduled."""
    return open_next_round(slug, deadline)
