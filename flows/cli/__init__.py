"""The `accord` command line. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import typer

from flows.cli import decide_cmd, demo_cmd, inspect_cmd, negotiation_cmd
from flows.cli import events_cmd
from flows.cli import audit_cmd, export_cmd
from flows.cli import key_cmd

app = typer.Typer(
    name="accord",
    help="Run the drafting of multi-party declarations: rounds, submissions, compilations, decisions, audit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("inspect")(inspect_cmd.inspect)
app.add_typer(negotiation_cmd.declaration_app, name="declaration")
app.add_typer(negotiation_cmd.round_app, name="round")
app.command("submit")(negotiation_cmd.submit)
app.command("status")(negotiation_cmd.status)
app.command("log")(negotiation_cmd.log)
app.command("verify")(negotiation_cmd.verify)
app.command("decide")(decide_cmd.decide)
app.command("approve")(decide_cmd.approve)
app.command("revise")(decide_cmd.revise)
app.command("diff")(decide_cmd.diff)
app.command("demo")(demo_cmd.demo)
app.command("silence")(events_cmd.silence)
app.command("object")(events_cmd.object_)
app.command("agree")(events_cmd.agree)
app.command("tick")(events_cmd.tick)
app.command("route")(events_cmd.route)
app.command("resend")(events_cmd.resend)
app.command("serve")(events_cmd.serve)

app.command("history")(audit_cmd.history)
app.command("replay")(audit_cmd.replay)
app.command("blame")(audit_cmd.blame)
app.command("edit")(audit_cmd.edit)
app.command("archive")(audit_cmd.archive)
app.add_typer(key_cmd.key_app, name="key")
app.command("export")(export_cmd.export)


def main() -> None:
    """Entry point of the console script."""
    app()
