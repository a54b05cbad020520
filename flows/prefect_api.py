"""The parts of Prefect accord calls whose types Prefect leaves open, typed in one place.

Each function imports Prefect when it is called, never at module level: `import prefect` costs ~1.2 s and the
interactive commands must not pay for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def scheduled_start_time() -> datetime:
    """When the running flow run was scheduled to start."""
    from prefect.runtime import flow_run

    moment = flow_run.scheduled_start_time
    if not isinstance(moment, datetime):
        raise TypeError(
            f"Prefect gave the scheduled start time as {type(moment).__name__}, not a datetime"
        )
    return moment


def run_deployment_later(
    name: str, *, parameters: dict[str, Any], key: str, at: datetime, title: str
) -> str:
    """Schedule a run of a deployment (never waiting for it) and return the run's id; the deployment missing
    raises Prefect's ObjectNotFound."""
    from prefect.deployments import run_deployment

    run = run_deployment(
        name,
        parameters=parameters,
        timeout=0,
        idempotency_key=key,
        as_subflow=False,
        scheduled_time=at,
        flow_run_name=title,
    )
    if not hasattr(
        run, "id"
    ):  # the coroutine an async caller would get: accord calls it from sync code only
        raise TypeError("run_deployment returned a coroutine; call it from synchronous code")
    return str(run.id)


def module_path_entrypoint() -> Any:
    """The entrypoint type that addresses a flow by module path, so any working directory will do."""
    from prefect.types.entrypoint import EntrypointType

    return EntrypointType.MODULE_PATH
