"""The `accord` command line. Prefect is imported only by the commands that run flows; SQLAlchemy only by those
that open a database.

The commands live in flows/cli/*_cmd.py and are assembled in flows.cli._app. `accord inspect`, `accord diff` and
`accord align` also run on plain files, where a user waits for them: they start in an app of their own, without
importing the other commands (`accord --help` and every other command build the whole app); `accord inspect FILE
[--json]` and `accord diff OLD NEW [--out FILE]`, the usual forms, run without typer (flows.cli._inspect,
flows.cli._diff), with the same output, messages and exit codes.
"""

from __future__ import annotations

import sys
from typing import Any

ALONE = ("inspect", "diff", "align")


def main() -> None:
    """Entry point of the console script."""
    from flows.cli import _diff, _inspect

    plain = _inspect.plain_form(sys.argv[1:])
    if plain is not None:  # `accord inspect FILE [--json]`: without typer at all
        _inspect.run(*plain)
    files = _diff.plain_form(sys.argv[1:])
    if files is not None:  # `accord diff OLD NEW [--out FILE]`: without typer at all
        _diff.run(*files)
    from flows.cli import _app

    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name in ALONE:
        _app.lone_group(name)()
    else:
        _app.full_app()()


def __getattr__(name: str) -> Any:
    """`flows.cli.app`: the typer app with every command, built on first use."""
    if name == "app":
        from flows.cli._app import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
