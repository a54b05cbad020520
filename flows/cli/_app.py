"""The typer app behind `accord`: every command, or only the one being run.

`accord --help` lists the commands in the order of a negotiation, in panels: set up, rounds, decisions,
silence and agreement, audit, operations. A command module is imported only when its command is registered, so
an app holding `inspect` alone starts without the other commands' modules (flows.cli.main decides which app runs).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Collection
from typing import Any

import typer

from flows.cli._common import PlainGroup, make_plain

SET_UP, ROUNDS, DECISIONS = "Set up", "Rounds", "Decisions"
SILENCE, AUDIT, OPERATIONS = "Silence and agreement", "Audit", "Operations"

# name, help panel, module in flows.cli, and the command function or sub-app (a typer.Typer) in it
COMMANDS: list[tuple[str, str, str, str]] = [
    ("declaration", SET_UP, "negotiation_cmd", "declaration_app"),
    ("inspect", SET_UP, "inspect_cmd", "inspect"),
    ("demo", SET_UP, "demo_cmd", "demo"),
    ("round", ROUNDS, "negotiation_cmd", "round_app"),
    ("submit", ROUNDS, "negotiation_cmd", "submit"),
    ("status", ROUNDS, "negotiation_cmd", "status"),
    ("route", ROUNDS, "events_cmd", "route"),
    ("decide", DECISIONS, "decide_cmd", "decide"),
    ("approve", DECISIONS, "decide_cmd", "approve"),
    ("revise", DECISIONS, "decide_cmd", "revise"),
    ("translate", DECISIONS, "decide_cmd", "translate"),
    ("edit", DECISIONS, "audit_cmd", "edit"),
    ("diff", DECISIONS, "decide_cmd", "diff"),
    ("align", DECISIONS, "align_cmd", "align"),
    ("silence", SILENCE, "events_cmd", "silence"),
    ("object", SILENCE, "events_cmd", "object_"),
    ("agree", SILENCE, "events_cmd", "agree"),
    ("dashboard", AUDIT, "export_cmd", "dashboard"),
    ("history", AUDIT, "audit_cmd", "history"),
    ("log", AUDIT, "negotiation_cmd", "log"),
    ("blame", AUDIT, "audit_cmd", "blame"),
    ("verify", AUDIT, "negotiation_cmd", "verify"),
    ("replay", AUDIT, "audit_cmd", "replay"),
    ("archive", AUDIT, "audit_cmd", "archive"),
    ("export", AUDIT, "export_cmd", "export"),
    ("tick", OPERATIONS, "events_cmd", "tick"),
    ("resend", OPERATIONS, "events_cmd", "resend"),
    ("serve", OPERATIONS, "events_cmd", "serve"),
    ("key", OPERATIONS, "key_cmd", "key_app"),
    ("user", OPERATIONS, "user_cmd", "user_app"),
    ("token", OPERATIONS, "user_cmd", "token_app"),
    ("portal", OPERATIONS, "user_cmd", "portal"),
]

ORDER = [
    "declaration", "inspect", "demo", "round", "submit", "status", "route", "decide", "approve", "revise", "edit",
    "diff", "align", "silence", "object", "agree", "dashboard", "history", "log", "blame", "verify", "replay",
    "archive", "export", "tick", "resend", "serve", "key", "user", "token", "portal",
]  # fmt: skip


class WorkflowGroup(PlainGroup):
    """The top-level group: every command's help in words, commands listed in the order they are used (typer
    would put sub-groups last)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            make_plain(command)

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))


def build(names: Collection[str] | None = None) -> typer.Typer:
    """The accord app with every command, or with only the commands ``names`` (their modules alone imported)."""
    app = typer.Typer(
        name="accord",
        help="Run the drafting of multi-party declarations: rounds, submissions, compilations, decisions, audit.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=WorkflowGroup,
    )
    for name, panel, module, attribute in COMMANDS:
        if names is None or name in names:
            _register(
                app, name, panel, getattr(importlib.import_module(f"flows.cli.{module}"), attribute)
            )
    return app


def _register(app: typer.Typer, name: str, panel: str, target: Any) -> None:
    """A command function, or a sub-app (declaration, round, key ...), under ``name`` in its help panel."""
    if isinstance(target, typer.Typer):
        app.add_typer(target, name=name, rich_help_panel=panel)
    else:
        app.command(name, rich_help_panel=panel)(target)


@functools.cache
def full_app() -> typer.Typer:
    """The app with every command (built once)."""
    return build()


def lone_group(name: str) -> Any:
    """The click group of an app holding the command ``name`` alone: `accord NAME ...` runs as in the full app
    (same usage lines, messages and exit codes) without importing or building the other commands."""
    return typer.main.get_group(build([name]))
