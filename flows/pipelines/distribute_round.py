"""distribute-round: when a round opens, each party receives its own stamped copy of the draft."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain
from flows.usecases import routing


@task(name="send-copies")
def send_copies(slug: str, round_number: int) -> dict[str, Any]:
    """Each party's stamped copy to its outbox, and by mail with SMTP settings (idempotent)."""
    return plain(routing.distribute_round(app(), slug, round_number))


@flow(name="distribute-round", persist_result=False)
def distribute_round(
    slug: str, round_number: int = 0, event_id: str = "", occurred: str = ""
) -> dict[str, Any]:
    """Send the round's copies (triggered by accord.round.opened); round 0 = the latest."""
    return send_copies(slug, round_number)
