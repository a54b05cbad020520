"""The command line's edge without typer: an error as one line and an exit code, input files read within limits,
JSON printed. `accord inspect` runs on these alone (flows.cli._inspect), without importing typer; the typer
commands use them through flows.cli._common."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from drafting.errors import AccordError, IntegrityError, InvalidInput
from drafting.identifiers import shown

# set to 1: an unexpected error shows its traceback (for accord's developers)
DEBUG_ENV = "ACCORD_DEBUG"


def error_line(message: str) -> str:
    """The one line an error is on stderr: ``error: `` and the message, its white space collapsed."""
    return f"error: {' '.join(message.split())}\n"


def refusal_of(error: Exception) -> tuple[str, int]:
    """What to say about an error at the edge, and the exit code: 1 for integrity failures, else 2."""
    if isinstance(error, IntegrityError):
        return str(error), 1
    return message_for(error), 2


def message_for(error: BaseException) -> str:
    """The one-line message for an error at the edge: what, where, why, what to do."""
    if isinstance(error, AccordError):
        return str(error)
    known = _builtin_message(error) or _database_message(error)
    if known:
        return known
    if os.environ.get(DEBUG_ENV) == "1":
        raise error
    return (
        f"unexpected {type(error).__name__}: {error}; nothing further was done. Please report it "
        f"(run again with {DEBUG_ENV}=1 for the details)"
    )


def _os_message(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    if isinstance(error, FileNotFoundError):
        return f"{where}no such file or folder; check the path"
    if isinstance(error, IsADirectoryError):
        return f"{where}is a folder, not a file; give the path of a file"
    if isinstance(error, NotADirectoryError | FileExistsError):
        return f"{where}a file stands where accord needs a folder; give --home a folder (or a new name)"
    if isinstance(error, PermissionError):
        return f"{where}permission denied; give a path accord may write to (or fix its permissions)"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{where}the disk is full; free some space and run the command again"
    return f"{where}{error.strerror or error}; check the path and the disk"


def _builtin_message(error: BaseException) -> str | None:
    """Python's own errors that bad input causes, in words (None for any other)."""
    if isinstance(error, RecursionError):
        return "the input nests too deeply to read (thousands of levels); give a flat file"
    if isinstance(error, OverflowError):
        return (
            f"a date or number is out of range ({error}); give a date between the years 1 and 9999"
        )
    if isinstance(error, OSError):
        return _os_message(error)
    return None


def _database_message(error: BaseException) -> str | None:
    """A database failure in words (sqlalchemy is imported only by the commands that use the database)."""
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is None or not isinstance(error, exc.SQLAlchemyError):
        return None
    origin = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
    if isinstance(error, exc.ArgumentError | exc.NoSuchModuleError):
        return (
            f"the database URL is not one accord can use ({origin}); set ACCORD_DATABASE_URL to "
            "postgresql://USER@HOST:PORT/DB, or unset it for SQLite in the home folder"
        )
    return _failure_message(error, exc, origin)


def _failure_message(error: BaseException, exc: Any, origin: str) -> str:
    """A database that failed while in use: full, damaged, out of reach, or refusing (``exc``: sqlalchemy.exc)."""
    if "disk is full" in origin or "No space left" in origin:
        return "the disk is full: the database could not write; nothing was recorded. Free space and run it again"
    if "not a database" in origin or "malformed" in origin:
        return (
            f"the database is damaged ({origin}); restore accord.db from a backup (`accord replay` can rebuild "
            "the state from a copy of the log)"
        )
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return (
            f"cannot reach the database ({origin}); check that it runs and ACCORD_DATABASE_URL (or the home "
            "folder) is right"
        )
    return f"the database refused the operation ({origin}); nothing was recorded"


def _not_a_file(path: Path, mode: int, what: str) -> InvalidInput:
    """The refusal of a path that is a folder, a device, a pipe or a socket."""
    kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
    return InvalidInput(f"{shown(str(path), 120)}: {kind}; give the path of a {what}")


def read_input(path: Path, *, limit: int, what: str = "file") -> bytes:
    """The bytes of a file given on the command line: a regular file of at most ``limit`` bytes, checked before
    it is read (and read no further, should it grow meanwhile)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path, info.st_mode, what)
    if info.st_size > limit:
        raise InvalidInput(
            f"{shown(str(path), 120)}: {info.st_size:,} bytes, more than a {what} may have "
            f"({limit:,}); check that it is the right file"
        )
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            f"{shown(str(path), 120)}: grew past {limit:,} bytes while being read; try again"
        )
    return data


def emit_json(value: Any) -> None:
    """Print JSON (UTF-8, indented, stable key order)."""
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True), flush=True)
