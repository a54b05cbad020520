"""The `accord` command line. Prefect is imported only by the commands that run flows.

`accord --help` lists the commands in the order of a negotiation, in panels: set up, rounds, decisions,
silence and agreement, audit, operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from flows.cli import (
    align_cmd,
    audit_cmd,
    decide_cmd,
    demo_cmd,
    events_cmd,
    export_cmd,
    inspect_cmd,
    key_cmd,
    negotiation_cmd,
    user_cmd,
)
from flows.cli._common import PlainGroup, make_plain

SET_UP, ROUNDS, DECISIONS = "Set up", "Rounds", "Decisions"
SILENCE, AUDIT, OPERATIONS = "Silence and agreement", "Audit", "Operations"


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


app = typer.Typer(
    name="accord",
    help="Run the drafting of multi-party declarations: rounds, submissions, compilations, decisions, audit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=WorkflowGroup,
)


def _command(name: str, panel: str, function: Callable[..., Any]) -> None:
    app.command(name, rich_help_panel=panel)(function)


app.add_typer(negotiation_cmd.declaration_app, name="declaration", rich_help_panel=SET_UP)
_command("inspect", SET_UP, inspect_cmd.inspect)
_command("demo", SET_UP, demo_cmd.demo)
app.add_typer(negotiation_cmd.round_app, name="round", rich_help_panel=ROUNDS)
_command("submit", ROUNDS, negotiation_cmd.submit)
_command("status", ROUNDS, negotiation_cmd.status)
_command("route", ROUNDS, events_cmd.route)
_command("decide", DECISIONS, decide_cmd.decide)
_command("approve", DECISIONS, decide_cmd.approve)
_command("revise", DECISIONS, decide_cmd.revise)
_command("translate", DECISIONS, decide_cmd.translate)
_command("edit", DECISIONS, audit_cmd.edit)
_command("diff", DECISIONS, decide_cmd.diff)
_command("align", DECISIONS, align_cmd.align)
_command("silence", SILENCE, events_cmd.silence)
_command("object", SILENCE, events_cmd.object_)
_command("agree", SILENCE, events_cmd.agree)
_command("dashboard", AUDIT, export_cmd.dashboard)
_command("history", AUDIT, audit_cmd.history)
_command("log", AUDIT, negotiation_cmd.log)
_command("blame", AUDIT, audit_cmd.blame)
_command("verify", AUDIT, negotiation_cmd.verify)
_command("replay", AUDIT, audit_cmd.replay)
_command("archive", AUDIT, audit_cmd.archive)
_command("export", AUDIT, export_cmd.export)
_command("tick", OPERATIONS, events_cmd.tick)
_command("resend", OPERATIONS, events_cmd.resend)
_command("serve", OPERATIONS, events_cmd.serve)
app.add_typer(key_cmd.key_app, name="key", rich_help_panel=OPERATIONS)
app.add_typer(user_cmd.user_app, name="user", rich_help_panel=OPERATIONS)
app.add_typer(user_cmd.token_app, name="token", rich_help_panel=OPERATIONS)
_command("portal", OPERATIONS, user_cmd.portal)

ORDER = [
    "declaration", "inspect", "demo", "round", "submit", "status", "route", "decide", "approve", "revise", "edit",
    "diff", "align", "silence", "object", "agree", "dashboard", "history", "log", "blame", "verify", "replay",
    "archive", "export", "tick", "resend", "serve", "key", "user", "token", "portal",
]  # fmt: skip


def main() -> None:
    """Entry point of the console script."""
    app()
