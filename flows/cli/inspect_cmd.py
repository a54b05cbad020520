"""`accord inspect`: what accord reads in a Word file (the work is done in flows.cli._inspect, without typer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli._common import Json, edge


@edge
def inspect(
    file: Annotated[Path, typer.Argument(help="The .docx file to read.", show_default=False)],
    as_json: Json = False,
) -> None:
    """Read a Word file exactly (tracked changes, comments) and report what accord sees.

    Example: accord inspect MX-Rev.1.docx --json
    """
    from flows.cli._inspect import inspect_file

    inspect_file(file, as_json)
