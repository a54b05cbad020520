"""ingest-submission: a received submission is filed in the round's inbox and acknowledged to its party."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain
from flows.usecases import routing


@task(name="file-submission")
def file_submission(slug: str, submission: int) -> dict[str, Any]:
    """File and acknowledge one submission (idempotent)."""
    return plain(routing.file_submission(app(), slug, submission))


@flow(name="ingest-submission", persist_result=False)
def ingest_submission(
    slug: str, submission: int, event_id: str = "", occurred: str = ""
) -> dict[str, Any]:
    """File a received submission in the inbox and acknowledge it (triggered by accord.submission.received)."""
    return file_submission(slug, submission)
