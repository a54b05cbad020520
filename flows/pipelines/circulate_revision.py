"""circulate-revision: a revision both co-presidencies approved goes to every party."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.pipelines._app import app, plain
from flows.usecases import routing


@task(name="distribute")
def distribute(slug: str, version: str) -> dict[str, Any]:
    """Send the circulated version to every party (idempotent)."""
    return plain(routing.circulate_version(app(), slug, version))


@flow(name="circulate-revision", persist_result=False)
def circulate_revision(
    slug: str, version: str = "", event_id: str = "", occurred: str = ""
) -> dict[str, Any]:
    """Distribute a circulated revision (triggered by accord.version.circulated); '' = the current version."""
    return distribute(slug, version)
