"""`accord demo`: the whole negotiation on the sample declaration shipped with accord (flows/samples)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli._common import edge


@edge
def demo(
    home: Annotated[
        Path, typer.Option("--home", help="Folder for the demo's database and documents.")
    ] = Path("accord-home"),
    parties: Annotated[
        int,
        typer.Option("--parties", help="How many delegations submit in round 1.", min=2, max=58),
    ] = 12,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Remove an earlier demo in the same folder first.")
    ] = False,
    language: Annotated[
        str,
        typer.Option(
            "--language",
            metavar="LANG",
            help="Language of the declaration: en (the Spanish text ships in flows/samples; its delegations' edits "
            "are not written yet).",
        ),
    ] = "en",
    bilingual: Annotated[
        bool,
        typer.Option(
            "--bilingual",
            help="Negotiate the English and the Spanish text together: CELAC delegations on the Spanish "
            "text, EU ones on the English, with a translation step after each revision.",
        ),
    ] = False,
    prefect: Annotated[
        bool,
        typer.Option(
            "--prefect/--no-prefect",
            help="Run each step as a Prefect flow (a temporary server unless PREFECT_API_URL is set).",
        ),
    ] = True,
) -> None:
    """Run a whole negotiation: zero draft, submissions, compilation, decisions, Rev.1, Rev.2, silence, archive.

    Example: accord demo --home /tmp/accord-demo --parties 12 --fresh
    """
    from rich.console import Console

    from flows.demo import run_demo

    console = Console()
    started = time.perf_counter()
    runner_for = _prefect_runner(console) if prefect else None
    outputs = run_demo(
        home.resolve(),
        parties=parties,
        fresh=fresh,
        runner_for=runner_for,
        language=language,
        bilingual=bilingual,
        say=lambda line: console.print(f"[green]•[/green] {line}"),
    )
    done = f"Done in {time.perf_counter() - started:.1f} s."
    console.print(f"\n[bold]{done}[/bold] Documents: {home.resolve() / 'declarations' / 'demo'}")
    console.print(f"Open the overview: {outputs['overview']}")


def _prefect_runner(console: Any) -> Callable[[Path], Callable[..., Any]]:
    """Each step as a Prefect flow, on a temporary server unless one is configured; its lines said dimly."""
    from flows.runtime import demo_runner

    def runner_for(folder: Path) -> Callable[..., Any]:
        return demo_runner(folder, say=lambda line: console.print(f"[dim]{line}[/dim]"))

    return runner_for
