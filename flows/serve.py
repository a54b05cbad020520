"""`accord serve`: start (or join) a Prefect server and serve accord's deployments with their triggers.

State lives in two databases, so a restart loses nothing: accord's own (declarations, rounds, the event log) and
Prefect's (scheduled runs, automations). On start, `reconcile` makes sure a run exists for every timer and every
submission not yet filed, in case events or timers were missed while nothing was serving.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flows import runtime
from flows.bootstrap import App, bootstrap
from flows.pipelines import DEPLOYMENTS
from flows.usecases import deadlines, routing

POLL_SECONDS = "1"  # serve() picks a run up after ~2 s instead of ~7 s (PREFECT_RUNNER_POLL_FREQUENCY)


def load_flow(deployment: str) -> Any:
    """The flow object of a deployment (imports prefect and the pipeline module)."""
    module, function = DEPLOYMENTS[deployment].split(":")
    return getattr(importlib.import_module(module), function)


def runner_deployments() -> list[Any]:
    """Every deployment with its triggers, addressed by module path so any working directory will do."""
    from prefect.deployments.runner import EntrypointType

    from flows.triggers import deployment_triggers

    return [
        load_flow(name).to_deployment(
            name=name, triggers=deployment_triggers(name), entrypoint_type=EntrypointType.MODULE_PATH,
            tags=["accord"], description=(load_flow(name).description or "").split("\n")[0],
        )
        for name in DEPLOYMENTS
    ]


def reconcile(app: App, schedule: Callable[[str, dict[str, Any], str, str], str] = runtime.schedule) -> list[str]:
    """Ensure a flow run exists for every timer (due ones run now) and every submission not yet filed."""
    lines: list[str] = []
    now = app.now()
    with app.store.reading() as uow:
        slugs = [row.slug for row in uow.repo.all_declarations()]
    for slug in slugs:
        for timer in deadlines.timers(app, slug):
            # A future timer keeps its key (its scheduled run survived in Prefect's database); a due one gets a
            # new run now, since its earlier run may have died with the process that ran it.
            due = timer.at <= now
            schedule(timer.deployment, timer.parameters(), now if due else timer.at,
                     f"{timer.key}/late@{now}" if due else timer.key)
            lines.append(f"{slug}: {timer.kind} {'now' if due else 'at ' + timer.at}")
        for submission in routing.unfiled(app, slug):
            schedule("ingest-submission", {"slug": slug, "submission": submission}, now,
                     f"accord/{slug}/submission-{submission}/file@{now}")
            lines.append(f"{slug}: file submission {submission}")
    return lines


def serve(home: Path | None = None, *, port: int = 4200, limit: int | None = None,
          echo: Callable[[str], None] = print) -> None:
    """Start or join a Prefect server, register and serve the deployments until interrupted."""
    home = (home or Path(os.environ.get("ACCORD_HOME", "accord-home"))).resolve()
    os.environ["ACCORD_HOME"] = str(home)  # the flow runs' subprocesses bootstrap from it
    runtime.configure(home)
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", POLL_SECONDS)
    server = None
    if not runtime.prefect_enabled():
        echo(f"starting a Prefect server on SQLite in {runtime.prefect_home(home)} ...")
        server, url = runtime.start_server(home, port)
        os.environ[runtime.API_URL] = url
    try:
        _run(home, limit, echo)
    finally:
        if server is not None:
            runtime.stop(server)


def _run(home: Path, limit: int | None, echo: Callable[[str], None]) -> None:
    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=False, limit=limit)
    for deployment in runner_deployments():
        runner.add_deployment(deployment)
    lines = reconcile(bootstrap(home))
    url = os.environ[runtime.API_URL]
    echo(f"serving {len(DEPLOYMENTS)} deployments for {home}; API {url}; UI {url.removesuffix('/api')}")
    for line in lines:
        echo(f"  reconciled {line}")
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        echo("accord serve: stopped")
