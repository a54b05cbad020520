"""What every command shares: the home option, the app, reading input files within limits, and turning every error
into one `error:` line and an exit code (2; 1 for integrity failures). No command ends in a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from drafting.errors import InvalidInput

# DEBUG_ENV, emit_json, message_for and read_input are re-exported: the commands import them from here
from flows.cli._edge import DEBUG_ENV as DEBUG_ENV
from flows.cli._edge import emit_json as emit_json
from flows.cli._edge import error_line, refusal_of
from flows.cli._edge import message_for as message_for
from flows.cli._edge import read_input as read_input

F = TypeVar("F", bound=Callable[..., Any])

Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        metavar="FOLDER",
        help="accord's home folder (default $ACCORD_HOME or ./accord-home).",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable summary.")]

MIB = 1024 * 1024
JSON_LIMIT = 2 * MIB  # a decisions file: ~30 bytes a proposal


# What a value is, in words, where an option names no metavar of its own (typer would print <str>, <list[str]>).
_WORDS: dict[Any, str] = {int: "NUMBER", float: "NUMBER", str: "TEXT"}


def _plain_metavars(params: list[Any]) -> list[Any]:
    """Give every parameter a metavar in words: FILE, TEXT, SLUG; none for on/off flags."""
    for param in params:
        if param.metavar is not None:
            continue
        if isinstance(param, TyperArgument):
            param.metavar = param.name.upper()
            # an argument's name already says what it is (SLUG, FILE); typer's method, replaced on this instance
            param.display_type_rich = _no_type  # type: ignore[method-assign]
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
    element = (
        (getattr(annotation, "__args__", None) or (annotation,))[0]
        if descriptor.is_list
        else annotation
    )
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
    sys.stderr.write(error_line(message))
    raise typer.Exit(code)


def edge(func: F) -> F:
    """Turn every error into one line on stderr and exit 2 (1 for integrity failures); never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes one line
            fail(*refusal_of(error))

    return wrapper  # type: ignore[return-value]


def declaration_slugs(app: Any) -> list[str]:
    """The slugs of every declaration in the app's database."""
    with app.store.reading() as uow:
        return [row.slug for row in uow.repo.all_declarations()]


def app_for(home: Path | None, *, create: bool = False) -> Any:
    """Bootstrap accord for a home folder (imported late: the database layer is not needed by `inspect`).

    Only `declaration create` (``create=True``) makes a missing home folder or SQLite database; every other command
    refuses to run on one that is not there, and leaves it not there."""
    from flows.bootstrap import Settings, bootstrap

    settings = Settings.from_env(home)
    missing = missing_database(home)
    if not create and missing:
        raise InvalidInput(
            f"{settings.home}: no accord database there ({missing} is missing); give --home "
            "or set ACCORD_HOME to the folder where the declaration was created"
        )
    return bootstrap(home, create=create)


def missing_database(home: Path | None) -> str | None:
    """The path of the home's SQLite database when it does not exist yet (None when it does, or on PostgreSQL)."""
    from sqlalchemy.engine import make_url

    from flows.bootstrap import Settings

    url = make_url(Settings.from_env(home).database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).is_file():
            return url.database
    return None


def read_party_file(
    app: Any, slug: str, party: str, path: Path, *, limit: int, what: str, refused: Any
) -> bytes:
    """``read_input`` for a party's file: a file refused before it is read is logged as the use case logs its
    refusals (``refused``: SubmissionRefused or DecisionRefused), when the declaration exists, then reported."""
    try:
        return read_input(path, limit=limit, what=what)
    except InvalidInput as error:
        from flows.usecases.common import log_unread

        log_unread(
            app, slug, refused, party=party, filename=path.name, size=_size(path), reason=str(error)
        )
        raise


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
