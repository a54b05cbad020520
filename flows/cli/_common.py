"""What every command shares: the home option, the app, and turning errors into one line and an exit code."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from drafting.errors import AccordError, IntegrityError

F = TypeVar("F", bound=Callable[..., Any])

Home = Annotated[
    Path | None,
    typer.Option("--home", metavar="FOLDER", help="accord's home folder (default $ACCORD_HOME or ./accord-home).",
                 show_default=False),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable summary.")]


# What a value is, in words, where an option names no metavar of its own (typer would print <str>, <list[str]>).
_WORDS: dict[Any, str] = {int: "NUMBER", float: "NUMBER", str: "TEXT"}


def _plain_metavars(params: list[Any]) -> list[Any]:
    """Give every parameter a metavar in words: FILE, TEXT, SLUG; none for on/off flags."""
    for param in params:
        if param.metavar is not None:
            continue
        if isinstance(param, TyperArgument):
            param.metavar = param.name.upper()
            param.display_type_rich = _no_type  # an argument's name already says what it is (SLUG, FILE)
        elif getattr(param, "is_flag", False):
            param.metavar = ""
        else:
            param.metavar = _word(param.type_descriptor)
    return params


def _no_type(ctx: Any) -> None:
    return None


def _word(descriptor: Any) -> str:
    if descriptor.is_path:
        return "PATH"
    if descriptor.is_choice:
        return "|".join(str(choice) for choice in descriptor.choices or ())
    annotation = descriptor.annotation
    element = (getattr(annotation, "__args__", None) or (annotation,))[0] if descriptor.is_list else annotation
    return _WORDS.get(element, "VALUE")


class PlainCommand(TyperCommand):
    """A command whose help names values in words (FILE, TEXT), never Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_metavars(super().get_params(ctx))


class PlainGroup(TyperGroup):
    """A group whose own help shows no Python types either."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_metavars(super().get_params(ctx))


def make_plain(command: Any) -> None:
    """Make a command, and a group's commands, name their values in words (every module's commands, whoever
    registered them: the classes differ only in get_params)."""
    if isinstance(command, TyperGroup):
        if not isinstance(command, PlainGroup):
            command.__class__ = PlainGroup
        for sub in command.commands.values():
            make_plain(sub)
    elif isinstance(command, TyperCommand) and not isinstance(command, PlainCommand):
        command.__class__ = PlainCommand


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


def declaration_slugs(app: Any) -> list[str]:
    """The slugs of every declaration in the app's database."""
    with app.store.reading() as uow:
        return [row.slug for row in uow.repo.all_declarations()]


def read_input(path: Path) -> bytes:
    """Read a file given on the command line."""
    return path.read_bytes()


def emit_json(value: Any) -> None:
    """Print JSON (UTF-8, indented, stable key order)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))
