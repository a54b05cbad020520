"""What every command shares: the home option, the app, and turning errors into one line and an exit code."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from drafting.errors import AccordError, IntegrityError

F = TypeVar("F", bound=Callable[..., Any])

Home = Annotated[
    Path | None,
    typer.Option("--home", help="accord's home folder (default $ACCORD_HOME or ./accord-home).", show_default=False),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable summary.")]


def fail(message: str, code: int = 2) -> None:
    """Print one `error:` line on stderr and exit."""
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(code)


def edge(func: F) -> F:
    """Turn accord's errors (and a missing file) into one line on stderr, exit 2 (1 for integrity failures)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IntegrityError as error:
            fail(str(error), 1)
        except AccordError as error:
            fail(str(error))
        except FileNotFoundError as error:
            fail(f"{error.filename}: no such file; check the path")
        except IsADirectoryError as error:
            fail(f"{error.filename}: is a folder, not a file; give the path of a file")

    return wrapper  # type: ignore[return-value]


def app_for(home: Path | None) -> Any:
    """Bootstrap accord for a home folder (imported late: the database layer is not needed by `inspect`)."""
    from flows.bootstrap import bootstrap

    return bootstrap(home)


def read_input(path: Path) -> bytes:
    """Read a file given on the command line."""
    return path.read_bytes()


def emit_json(value: Any) -> None:
    """Print JSON (UTF-8, indented, stable key order)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))
