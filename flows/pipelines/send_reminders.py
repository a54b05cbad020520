"""send-reminders: before a deadline, remind the delegations that have not submitted."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain, wait_for_schedule
from flows.usecases import routing


@task(name="remind")
def remind(slug: str, round_number: int) -> dict[str, Any]:
    """Send the round's reminder once (skipped when the round is closed or the deadline passed)."""
    return plain(routing.remind(app(), slug, round_number))


@flow(name="send-reminders", persist_result=False)
def send_reminders(
    slug: str, round_number: int = 0, event_id: str = "", occurred: str = ""
) -> dict[str, Any]:
    """Remind the missing delegations of a round (scheduled by plan-timers before the deadline)."""
    wait_for_schedule()
    return remind(slug, round_number)
