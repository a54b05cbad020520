"""close-round: at a round's deadline (a scheduled run, or accord.round.deadline-reached), close and compile it."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain, wait_for_schedule
from flows.usecases import compile as compiling
from flows.usecases import deadlines


@task(name="reach-deadline")
def reach_deadline(slug: str, round_number: int) -> bool:
    """Record accord.round.deadline-reached once the deadline has passed."""
    return deadlines.reach_deadline(app(), slug, round_number)


@task(name="close-at-deadline")
def close_at_deadline(slug: str, round_number: int) -> dict[str, Any] | None:
    """Close and compile the round if it is still open (None: already closed)."""
    return deadlines.close_at_deadline(app(), slug, round_number)


@task(name="close-now")
def close_now(slug: str) -> dict[str, Any]:
    """Close the open round now and compile it (a run started by hand, round_number 0)."""
    return plain(compiling.close_and_compile(app(), slug))


@flow(name="close-round", persist_result=False)
def close_round(
    slug: str, round_number: int = 0, event_id: str = "", occurred: str = ""
) -> dict[str, Any] | None:
    """Close a round at its deadline and compile it; round_number 0 closes the open round now."""
    wait_for_schedule()
    if not round_number:
        return close_now(slug)
    reach_deadline(slug, round_number)
    return close_at_deadline(slug, round_number)
