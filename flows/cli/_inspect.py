"""What accord reads in a Word file (`accord inspect`), without typer: the console script runs the common forms
of the command here directly (`accord inspect FILE [--json]`: flows.cli.main), the typer command
(flows.cli.inspect_cmd) runs the same function for every other form."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafting.canonical import sha256_hex
from flows.cli._edge import emit_json, error_line, read_input, refusal_of

if TYPE_CHECKING:  # the reader's models cost ~0.3 s to import; only `inspect` pays it
    from drafting.wordml.models import Comment, Paragraph, Reading, TrackedChange


def inspect_file(file: Path, as_json: bool) -> None:
    """Read a Word file exactly (tracked changes, comments) and report what accord sees."""
    from drafting.wordml.gate import GateLimits
    from drafting.wordml.reader import read_docx

    data = read_input(file, limit=GateLimits().max_upload_bytes, what="Word file")
    reading = read_docx(data, name=file.name)
    if as_json:
        emit_json(inspection_json(file.name, data, reading))
    else:
        _print_summary(file.name, reading)


def plain_form(args: list[str]) -> tuple[Path, bool] | None:
    """(FILE, --json) when ``args`` are `inspect FILE`, `inspect FILE --json` or `inspect --json FILE` with a plain
    FILE (printable, not starting with "-"), and no shell completion is asked for; else None (typer runs it)."""
    if not args or args[0] != "inspect" or "_ACCORD_COMPLETE" in os.environ:
        return None
    rest = args[1:]
    as_json = "--json" in rest
    files = [arg for arg in rest if arg != "--json"]
    if len(rest) != len(files) + as_json or len(files) != 1:
        return None
    file = files[0]
    if not plain_argument(file):
        return None
    return Path(file), as_json


def plain_argument(text: str) -> bool:
    """A value typer would take as it is: not empty, not an option, printable and decodable."""
    return bool(text) and not text.startswith("-") and text.isprintable() and _encodable(text)


def _encodable(text: str) -> bool:
    """No lone surrogate (an argument the system could not decode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def run(file: Path, as_json: bool) -> None:
    """`accord inspect` as the console script runs it: an error as one line on stderr and its exit code, the
    same as the typer command's (flows.cli._common.edge); always ends in SystemExit, as click does."""
    finish(lambda: inspect_file(file, as_json))


def finish(command: Callable[[], None]) -> None:
    """Run a command without typer as the typer command would end: an error as one line on stderr and its exit
    code (flows.cli._common.edge), else 0; always in SystemExit, as click does."""
    try:
        command()
    except KeyboardInterrupt:
        raise SystemExit(130) from None  # as typer
    except Exception as error:  # noqa: BLE001 - the edge: every error becomes one line
        message, code = refusal_of(error)
        sys.stderr.write(error_line(message))
        raise SystemExit(code) from None
    raise SystemExit(0)


def inspection_json(name: str, data: bytes, reading: Reading) -> dict[str, Any]:
    """The JSON document `accord inspect --json` prints."""
    return {
        "file": name,
        "sha256": sha256_hex(data),
        "paragraphs": [_paragraph_json(p) for p in reading.paragraphs],
        "accepted_text": reading.accepted_text,
        "rejected_text": reading.rejected_text,
        "changes": [_change_json(c) for c in reading.changes],
        "comments": [_comment_json(c) for c in reading.comments],
        "authors": reading.authors,
        "external_links": [link.model_dump() for link in reading.external_links],
        "custom_properties": reading.custom_properties,
        "warnings": [w.model_dump() for w in reading.warnings],
    }


def _paragraph_json(p: Paragraph) -> dict[str, Any]:
    return {
        "index": p.index,
        "para_id": p.para_id,
        "style": p.style,
        "text_accepted": p.text_accepted,
        "text_rejected": p.text_rejected,
    }


def _change_json(c: TrackedChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "type": c.type.value,
        "author": c.author,
        "date": c.date,
        "paragraph": c.paragraph,
        "part": c.part,
        "text": c.text,
    }


def _comment_json(c: Comment) -> dict[str, Any]:
    return {
        "id": c.id,
        "author": c.author,
        "initials": c.initials,
        "date": c.date,
        "text": c.text,
        "anchor": c.anchor,
        "paragraph": c.paragraph,
        "parent": c.parent,
        "resolved": c.resolved,
    }


def _print_summary(name: str, reading: Reading) -> None:
    from rich.console import Console
    from rich.markup import escape

    # What the file says is printed as written: never read as rich markup ("[/b]" would stop the command) nor
    # as emoji codes (":flag_es:"); not loading rich's emoji table also saves `accord inspect` ~15 ms.
    console = Console(emoji=False)
    changed = sorted({c.paragraph for c in reading.changes if c.paragraph is not None})
    console.print(f"[bold]{escape(name)}[/bold]  sha256 {reading.sha256[:16]}…")
    console.print(
        f"{len(reading.paragraphs)} paragraphs, {len(changed)} changed; "
        f"{len(reading.changes)} tracked changes; {len(reading.comments)} comments"
    )
    console.print(_author_table(reading))
    _print_notes(console, reading)


def _print_notes(console: Any, reading: Reading) -> None:
    """The first twenty comments, and every warning."""
    from rich.markup import escape

    for comment in reading.comments[:20]:
        anchor = comment.anchor.replace("\n", " ")[:50]
        console.print(escape(f"  💬 {comment.author}: {comment.text[:70]!r} on {anchor!r}"))
    for warning in reading.warnings:
        console.print(f"[yellow]warning[/yellow] {escape(f'{warning.code}: {warning.message}')}")


def _author_table(reading: Reading) -> Any:
    """Each author's tracked changes by kind, and comments."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        "author", "insert", "delete", "move", "format", "other", "comments", title="By author"
    )
    for author in reading.authors:
        counts = _counts(reading, author)
        table.add_row(escape(author) or "(no name)", *(str(n) for n in counts))
    return table


def _counts(reading: Reading, author: str) -> list[int]:
    """An author's insertions, deletions, moves, format changes, other changes, and comments."""
    mine = [c for c in reading.changes if c.author == author]
    kinds = [sum(1 for c in mine if c.type.value.startswith(k)) for k in _KINDS]
    comments = sum(1 for c in reading.comments if c.author == author)
    return [*kinds, len(mine) - sum(kinds), comments]


_KINDS = ("insert", "delete", "move", "format")
