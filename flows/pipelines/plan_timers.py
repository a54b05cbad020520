"""plan-timers: a deadline or a silence's end becomes a flow run scheduled for that time (no polling)."""

from __future__ import annotations

import dataclasses
from typing import Any

from prefect import flow, task

from flows import runtime
from flows.pipelines._app import app
from flows.usecases import deadlines


@task(name="apply-due")
def apply_due(slug: str) -> list[str]:
    """Apply what is already due (a plan made late, e.g. after a restart)."""
    return deadlines.tick(app(), slug)


@task(name="timers-ahead")
def timers_ahead(slug: str) -> list[dict[str, Any]]:
    """The declaration's timers still in the future."""
    return [dataclasses.asdict(timer) for timer in deadlines.split(app(), slug)[1]]


@task(name="schedule")
def schedule(timer: dict[str, Any]) -> str:
    """Schedule one timer's flow run; its idempotency key makes planning twice harmless."""
    planned = deadlines.Timer(**timer)
    return runtime.schedule(planned.deployment, planned.parameters(), planned.at, planned.key)


@flow(name="plan-timers", persist_result=False)
def plan_timers(slug: str, event_id: str = "", occurred: str = "") -> dict[str, Any]:
    """Schedule the runs for the declaration's deadlines and silence (on accord.round.opened / silence.started)."""
    applied = apply_due(slug)
    scheduled = {f"{t['kind']}@{t['at']}": schedule(t) for t in timers_ahead(slug)}
    return {"applied": applied, "scheduled": scheduled}
