"""`accord diff OLD.docx NEW.docx [--out FILE]` without typer: the console script runs this common form here
directly (flows.cli.main), as it does `accord inspect FILE` (flows.cli._inspect); the typer command
(flows.cli.decide_cmd.diff) runs every other form (a declaration's versions, --html, --author, --language) and this
one too when it is called through the typer app. Same output, messages and exit codes: a test compares them."""

from __future__ import annotations

import os
from pathlib import Path

from flows.cli._edge import read_input
from flows.cli._inspect import finish, plain_argument

DEFAULT_OUT = Path("redline.docx")
AUTHOR = "accord"


def plain_form(args: list[str]) -> tuple[str, str, Path] | None:
    """(OLD, NEW, --out) when ``args`` are `diff OLD NEW` with an optional `--out FILE` (or `--out=FILE`) anywhere
    after the command, every value plain (printable, not starting with "-"), and no shell completion is asked for;
    else None (typer runs it)."""
    if not args or args[0] != "diff" or "_ACCORD_COMPLETE" in os.environ:
        return None
    rest, out = _out_option(args[1:])
    if rest is None or len(rest) != 2 or not all(plain_argument(arg) for arg in rest):
        return None
    return rest[0], rest[1], out


def _out_option(rest: list[str]) -> tuple[list[str] | None, Path]:
    """The arguments without `--out FILE`, and FILE (default redline.docx); None when the option is malformed
    or given twice."""
    outs = [i for i, arg in enumerate(rest) if arg == "--out" or arg.startswith("--out=")]
    if not outs:
        return rest, DEFAULT_OUT
    if len(outs) > 1:
        return None, DEFAULT_OUT
    at = outs[0]
    if rest[at] == "--out":
        if at + 1 >= len(rest) or not plain_argument(rest[at + 1]):
            return None, DEFAULT_OUT
        return rest[:at] + rest[at + 2 :], Path(rest[at + 1])
    value = rest[at].removeprefix("--out=")
    if not plain_argument(value):
        return None, DEFAULT_OUT
    return rest[:at] + rest[at + 1 :], Path(value)


def redline_of_files(old_name: str, new_name: str, author: str) -> bytes:
    """The redline of two Word files given on the command line, each read within the upload limit."""
    from drafting.identifiers import user_name
    from drafting.wordml.gate import GateLimits
    from flows.usecases.redline import redline_files

    limit = GateLimits().max_upload_bytes
    old = read_input(Path(old_name), limit=limit, what="Word file")
    new = read_input(Path(new_name), limit=limit, what="Word file")
    return redline_files(
        old, new, names=(old_name, new_name), author=user_name(author, where="--author")
    )


def diff_files(old_name: str, new_name: str, out: Path) -> None:
    """Write the redline of two Word files to ``out`` (what `accord diff OLD NEW --out FILE` does)."""
    from drafting.errors import InvalidInput
    from flows.adapters.files import write_out

    data = redline_of_files(old_name, new_name, AUTHOR)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(f"--out {out}: the redline is a Word file; give a name ending in .docx")
    write_out(out, data)
    print(f"redline written to {out}", flush=True)


def run(old_name: str, new_name: str, out: Path) -> None:
    """`accord diff` as the console script runs it; always ends in SystemExit, as click does."""
    finish(lambda: diff_files(old_name, new_name, out))
