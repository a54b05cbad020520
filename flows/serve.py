"""`accord serve`: start (or join) a Prefect server and serve accord's deployments with their triggers.

State lives in two databases, so a restart loses nothing: accord's own (declarations, rounds, the event log) and
Prefect's (scheduled runs, automations). On start, `reconcile` makes sure a run exists for every timer and every
event still waiting for its follow-up (a submission not filed, a compilation not routed ...), in case events were
missed or runs died while nothing was serving.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.events import (
    CompilationReady,
    DeadlineReached,
    DecisionRecorded,
    DomainEvent,
    RoundClosed,
    RoundDistributed,
    RoundOpened,
    SilenceExpired,
    SubmissionFiled,
    SubmissionReceived,
    VersionAgreed,
    VersionCirculated,
    VersionDistributed,
    VersionRouted,
)
from drafting.negotiation import Event
from flows import runtime
from flows.bootstrap import App, bootstrap
from flows.pipelines import DEPLOYMENTS
from flows.usecases import deadlines
from flows.usecases.owed import deliver_owed

POLL_SECONDS = (
    "1"  # serve() picks a run up after ~2 s instead of ~7 s (PREFECT_RUNNER_POLL_FREQUENCY)
)


def load_flow(deployment: str) -> Any:
    """The flow object of a deployment (imports prefect and the pipeline module)."""
    module, function = DEPLOYMENTS[deployment].split(":")
    return getattr(importlib.import_module(module), function)


def runner_deployments() -> list[Any]:
    """Every deployment with its triggers, addressed by module path so any working directory will do."""
    from flows.prefect_api import module_path_entrypoint
    from flows.triggers import deployment_triggers

    return [
        load_flow(name).to_deployment(
            name=name,
            triggers=deployment_triggers(name),
            entrypoint_type=module_path_entrypoint(),
            tags=["accord"],
            description=(load_flow(name).description or "").split("\n")[0],
        )
        for name in DEPLOYMENTS
    ]


@dataclass(frozen=True)
class FollowUp:
    """An event, the payload key naming what it is about, the event that shows it was followed up, and the
    deployment (with its parameter) that follows it up."""

    event: type[DomainEvent]
    key: str
    done_by: type[DomainEvent]
    deployment: str
    parameter: str


FOLLOW_UPS = (
    FollowUp(RoundOpened, "round", RoundDistributed, "distribute-round", "round_number"),
    FollowUp(SubmissionReceived, "submission", SubmissionFiled, "ingest-submission", "submission"),
    FollowUp(DeadlineReached, "round", RoundClosed, "close-round", "round_number"),
    FollowUp(CompilationReady, "round", VersionRouted, "route-compilation", "round_number"),
    FollowUp(VersionCirculated, "version", VersionDistributed, "circulate-revision", "version"),
    FollowUp(SilenceExpired, "silence", VersionAgreed, "end-silence", "silence"),
)


def missed(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    """The follow-ups the current round is still waiting for: (deployment, parameters), e.g. a submission not filed.

    Only since the latest `accord.round.opened`: catching up on an older round (a compilation already decided on,
    a revision superseded) would only send stale documents.
    """
    opened = [i for i, e in enumerate(events) if e.type == RoundOpened.TYPE]
    events = events[opened[-1] :] if opened else events
    waiting = _still_relevant(events)
    done = {
        (e.type, e.payload.get(f.key))
        for e in waiting
        for f in FOLLOW_UPS
        if e.type == f.done_by.TYPE
    }
    found = [
        (f.deployment, {f.parameter: e.payload.get(f.key)})
        for e in waiting
        for f in FOLLOW_UPS
        if e.type == f.event.TYPE and (f.done_by.TYPE, e.payload.get(f.key)) not in done
    ]
    return found + _uncompiled(events)


def _still_relevant(events: list[Event]) -> list[Event]:
    """The events but a compilation already decided on and a round already closed (copies sent now: too late)."""
    decided = {e.payload.get("round") for e in events if e.type == DecisionRecorded.TYPE}
    closed = {e.payload.get("round") for e in events if e.type == RoundClosed.TYPE}
    return [
        e
        for e in events
        if not (e.type == CompilationReady.TYPE and e.payload.get("round") in decided)
        and not (e.type == RoundOpened.TYPE and e.payload.get("round") in closed)
    ]


def _uncompiled(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    """The latest round, closed but never compiled (the process died between the two): compile it."""
    closed = [e.payload["round"] for e in events if e.type == RoundClosed.TYPE]
    opened = [e.payload["round"] for e in events if e.type == RoundOpened.TYPE]
    compiled = {e.payload.get("round") for e in events if e.type == CompilationReady.TYPE}
    if closed and closed[-1] == max(opened, default=0) and closed[-1] not in compiled:
        return [("close-round", {"round_number": 0})]
    return []


def reconcile(
    app: App, schedule: Callable[[str, dict[str, Any], str, str], str] = runtime.schedule
) -> list[str]:
    """Ensure a flow run exists for every timer (due ones run now) and every event still waiting for its follow-up."""
    lines: list[str] = []
    now = app.now()
    with app.store.reading() as uow:
        logs = {row.slug: uow.log(row) for row in uow.repo.all_declarations()}
    for slug, events in logs.items():
        lines += _schedule_timers(app, slug, schedule, now)
        lines += _schedule_missed(slug, events, schedule, now)
        # a sending again cut short (`accord resend`) or a silence's notice has no flow run to finish it: here
        lines += [f"{slug}: {line}" for line in deliver_owed(app, slug, unfollowed_only=True)]
    return lines


_Schedule = Callable[[str, dict[str, Any], str, str], str]


def _schedule_timers(app: App, slug: str, schedule: _Schedule, now: str) -> list[str]:
    """A flow run for each of the declaration's timers: at its time, or now when it is due."""
    lines = []
    for timer in deadlines.timers(app, slug):
        # A future timer keeps its key (its scheduled run survived in Prefect's database); a due one gets a
        # new run now, since its earlier run may have died with the process that ran it.
        due = timer.at <= now
        key = f"{timer.key}/late@{now}" if due else timer.key
        schedule(timer.deployment, timer.parameters(), now if due else timer.at, key)
        lines.append(f"{slug}: {timer.kind} {'now' if due else 'at ' + timer.at}")
    return lines


def _schedule_missed(slug: str, events: list[Event], schedule: _Schedule, now: str) -> list[str]:
    """A flow run now for each event whose follow-up never ran."""
    lines = []
    for deployment, parameters in missed(events):
        key = "/".join(f"{k}-{v}" for k, v in parameters.items())
        run_key = f"accord/{slug}/{deployment}/{key}@{now}"
        schedule(deployment, {"slug": slug, **parameters}, now, run_key)
        lines.append(f"{slug}: {deployment} {parameters}")
    return lines


def serve(
    home: Path | None = None,
    *,
    port: int = 4200,
    limit: int | None = None,
    echo: Callable[[str], None] = print,
    portal: tuple[str, int] | None = None,
) -> None:
    """Start or join a Prefect server, register and serve the deployments until interrupted; with ``portal``
    (host, port), the delegations' portal too, in the same process."""
    home = (home or Path(os.environ.get("ACCORD_HOME", "accord-home"))).resolve()
    os.environ["ACCORD_HOME"] = str(home)  # the flow runs' subprocesses bootstrap from it
    runtime.configure(home)
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", POLL_SECONDS)
    server = _prefect_server(home, port, echo)
    web = start_portal(home, *portal, echo=echo) if portal else None
    try:
        _run(home, limit, echo)
    finally:
        if web is not None:
            web.should_exit = True
        if server is not None:
            runtime.stop(server)


def _prefect_server(home: Path, port: int, echo: Callable[[str], None]) -> Any:
    """A Prefect server of accord's own on SQLite in the home folder, unless one is configured (then None)."""
    if runtime.prefect_enabled():
        return None
    echo(f"starting a Prefect server on SQLite in {runtime.prefect_home(home)} ...")
    server, url = runtime.start_server(home, port)
    os.environ[runtime.API_URL] = url
    return server


def start_portal(home: Path, host: str, port: int, *, echo: Callable[[str], None] = print) -> Any:
    """The portal on uvicorn in a thread of this process (its app publishes to the Prefect server like the CLI);
    the server object, whose ``should_exit`` stops it."""
    import threading

    import uvicorn

    from flows.portal.app import create_app, freeze_startup_heap

    config = uvicorn.Config(
        create_app(bootstrap(home)), host=host, port=port, log_level="warning", proxy_headers=True
    )
    freeze_startup_heap()
    web = uvicorn.Server(config)
    # in a thread of its own uvicorn leaves the signals alone: the runner handles them
    threading.Thread(target=web.run, name="accord-portal", daemon=True).start()
    echo(f"portal on http://{host}:{port}/ (API: /api/v1)")
    return web


def _run(home: Path, limit: int | None, echo: Callable[[str], None]) -> None:
    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=False, limit=limit)
    for deployment in runner_deployments():
        runner.add_deployment(deployment)
    lines = reconcile(bootstrap(home))
    url = os.environ[runtime.API_URL]
    echo(
        f"serving {len(DEPLOYMENTS)} deployments for {home}; API {url}; UI {url.removesuffix('/api')}"
    )
    for line in lines:
        echo(f"  reconciled {line}")
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        echo("accord serve: stopped")
