"""end-silence: when a silence procedure's time is up with no objection, the text is adopted."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain, wait_for_schedule
from flows.usecases import silence as procedure


@task(name="expire")
def expire(slug: str, silence: int) -> dict[str, Any] | None:
    """Record accord.silence.expired if the silence is still running and its time is up."""
    expired = procedure.expire(app(), slug, silence)
    return plain(expired) if expired is not None else None


@task(name="adopt")
def adopt(slug: str, silence: int) -> str | None:
    """Mark the version agreed (accord.version.agreed) after an expiry without objection."""
    return procedure.adopt(app(), slug, silence)


@flow(name="end-silence", persist_result=False)
def end_silence(slug: str, silence: int = 0, event_id: str = "", occurred: str = "") -> str | None:
    """End a silence procedure at its time (scheduled, or on accord.silence.expired); a broken one stays broken."""
    wait_for_schedule()
    expire(slug, silence)
    return adopt(slug, silence)
