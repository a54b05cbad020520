"""Commands of the event-driven part: silence, object, agree, tick, route, serve.

Each runs its use case in-process (the embedded mode), or as a Prefect flow run when PREFECT_API_URL is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from drafting import identifiers
from flows.cli._common import Home, app_for, declaration_slugs, edge, fail

Slug = Annotated[
    str,
    typer.Argument(help="The declaration's short name, e.g. eu-celac-2026.", show_default=False),
]


def _run(app: Any, name: str, work: Any) -> Any:
    from flows.runtime import run_use_case

    return run_use_case(app.home, name, work)


def _silence_notice_owed(started: Any, slug: str) -> str:
    """A silence that started without its notice reaching every party: what is owed and how to send it."""
    return (
        f"silence {started.silence} of {slug} has started but its notice was not sent to every party "
        f"({started.notice_owed}); it is owed: mend the cause, then `accord tick {slug}` sends it "
        f"(`accord status {slug}` lists it)"
    )


@edge
def silence(
    slug: Slug,
    until: Annotated[
        str,
        typer.Option(
            "--until", help="End of the silence, ISO 8601 with a time zone.", show_default=False
        ),
    ],
    home: Home = None,
) -> None:
    """Circulate the current version under silence until a time; without objection it is agreed.

    Example: accord silence eu-celac --until 2026-12-11T18:00:00+01:00
    """
    from flows.usecases.silence import start_silence

    app = app_for(home)
    started = _run(app, "start-silence", lambda: start_silence(app, slug, until))
    typer.echo(
        f"silence {started.silence}: {started.version} under silence until {started.until_local}"
    )
    if started.notice_owed:  # the silence has started (committed): its notice stays owed
        fail(_silence_notice_owed(started, slug))
    typer.echo(
        f"text sha256 {started.text_sha256}; notice sent to {len(started.notified or {})} parties"
    )


@edge
def object_(
    slug: Slug,
    party: Annotated[
        str,
        typer.Option("--party", help="The objecting party's code, e.g. MX.", show_default=False),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why the party objects (goes into the record).", show_default=False
        ),
    ],
    home: Home = None,
) -> None:
    """Break the running silence procedure with a party's objection.

    Example: accord object eu-celac --party MX --reason "paragraph 12 needs further consultation"
    """
    from flows.usecases.silence import object_to

    app = app_for(home)
    broken = _run(
        app,
        "break-silence",
        lambda: object_to(app, slug, party=party, reason=identifiers.reason(reason)),
    )
    typer.echo(
        f"silence {broken.silence} on {broken.version} broken by {party}; {broken.version} is not agreed"
    )


@edge
def agree(slug: Slug, home: Home = None) -> None:
    """Mark the current version agreed when no paragraph is bracketed (else list them).

    Example: accord agree eu-celac
    """
    from flows.usecases.silence import agree as agree_version

    app = app_for(home)
    label = _run(app, "agree", lambda: agree_version(app, slug))
    typer.echo(f"{label} of {slug} is agreed")


@edge
def tick(
    slug: Annotated[
        str | None, typer.Argument(help="One declaration (default: all).", show_default=False)
    ] = None,
    home: Home = None,
) -> None:
    """Deliver what is still owed to the parties (sendings a crash cut short), then apply what has come due:
    reminders, passed deadlines (close and compile), ended silences.

    Example: accord tick eu-celac
    """
    from flows.runtime import prefect_enabled
    from flows.usecases.deadlines import tick as apply_due

    app = app_for(home)
    served = prefect_enabled()  # then the served flow runs deliver what is owed, not this process
    for name in [slug] if slug else declaration_slugs(app):
        lines = _run(app, "tick", _bound(apply_due, app, name, owed=not served))
        for line in lines or ["nothing due"]:
            typer.echo(f"{name}: {line}")
    if prefect_enabled():
        from flows.serve import reconcile

        for line in reconcile(app):
            typer.echo(f"scheduled {line}")


def _bound(function: Any, app: Any, slug: str, **options: Any) -> Any:
    """A call without parameters (a flow run records none)."""
    return lambda: function(app, slug, **options)


@edge
def route(
    slug: Slug,
    round_number: Annotated[
        int, typer.Option("--round", help="The round (default: the latest compiled).")
    ] = 0,
    again: Annotated[
        bool, typer.Option("--again", help="Send again even if already routed.")
    ] = False,
    home: Home = None,
) -> None:
    """Send a round's compilation and synopsis to both co-presidencies (outbox, and mail with SMTP settings).

    Example: accord route eu-celac --round 1
    """
    from flows.usecases.routing import route_compilation

    app = app_for(home)
    sent = _run(
        app, "route-compilation", lambda: route_compilation(app, slug, round_number, again=again)
    )
    if sent.skipped:
        typer.echo(f"{sent.skipped} (use --again to send it again)")
    for party, outcome in sent.parties.items():
        typer.echo(f"{party}: {outcome}")


@edge
def resend(slug: Slug, home: Home = None) -> None:
    """Send again whatever failed to reach a party by mail (round copies, compilations, circulations, the notices of
    running silences), to those parties.

    Mend the mail settings or the party's address first; `accord status` lists what failed.

    A sending again cut short is owed, not failed: `accord tick` finishes it; it is not sent again here.

    A sending again whose letters all went but whose event a crash lost is only logged here.

    Example: accord resend eu-celac
    """
    from flows.usecases.routing import resend_failed

    sent = resend_failed(app_for(home), slug)
    if not sent:
        typer.echo(
            "nothing failed: every party got what was sent to it (or it is in its outbox, without SMTP)"
        )
    for delivery in sent:
        for party, outcome in delivery.parties.items():
            typer.echo(f"{delivery.event}: {party}: {outcome}")


@edge
def serve(
    home: Home = None,
    port: Annotated[
        int, typer.Option("--port", help="Port of the Prefect server started here.")
    ] = 4200,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Most flow runs at once (default: no limit).")
    ] = None,
    portal_host: Annotated[
        str, typer.Option("--portal-host", help="The address the portal listens on.")
    ] = "127.0.0.1",
    portal_port: Annotated[
        int, typer.Option("--portal-port", help="The portal's port (0: no portal).")
    ] = 8000,
) -> None:
    """Start (or join, with PREFECT_API_URL) a Prefect server and serve accord's flows and triggers, and the
    delegations' portal (as `accord portal` does) in the same process.

    Example: accord serve --home ./accord-home --port 4200 --portal-port 8000
    """
    from flows.serve import serve as run_server

    run_server(
        Path(home) if home else None,
        port=port,
        limit=limit,
        echo=lambda line: typer.echo(line),
        portal=(portal_host, portal_port) if portal_port else None,
    )
