"""`accord align`: the concordance of a text's language versions, paragraph by paragraph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drafting.errors import InvalidInput
from flows.cli._common import Json, edge, emit_json, read_input


@edge
def align(
    versions: Annotated[list[str] | None, typer.Argument(
        help="With --files: each language version as LANG=FILE (en=ZERO.en.docx).",
        show_default=False)] = None,
    files: Annotated[bool, typer.Option(
        "--files", help="Compare Word files given as LANG=FILE, the first language the reference.")] = False,
    as_json: Json = False,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Also write the report as an HTML page to this file.", show_default=False)] = None,
) -> None:
    """Check that language versions agree paragraph by paragraph: numbering, numbers, years, percentages, document
    symbols, URLs, quoted names. Exits 1 when they are not aligned.

    Example: accord align --files en=ZERO.en.docx es=ZERO.es.docx --html concordance.html
    """
    from flows.usecases.concordance import language_files

    if not files:
        raise InvalidInput("give the Word files to compare: accord align --files en=ZERO.en.docx es=ZERO.es.docx")
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise InvalidInput(f"--html {html}: the report is HTML; give a name ending in .html")
    named = language_files(versions or [])
    _report(named, as_json=as_json, html=html)


def _report(named: dict[str, str], *, as_json: bool, html: Path | None) -> None:
    from drafting.wordml.gate import GateLimits
    from flows.adapters.files import write_out
    from flows.usecases.concordance import align_sources, read_source, report_lines, report_page

    limit = GateLimits().max_upload_bytes
    sources = [read_source(lang, name, read_input(Path(name), limit=limit, what="Word file"))
               for lang, name in named.items()]
    concordance = align_sources(sources)
    if html is not None:
        write_out(html, report_page(concordance, named).encode("utf-8"))
    if as_json:
        import json

        emit_json(json.loads(concordance.to_json()))
    else:
        for line in report_lines(concordance, sources):
            typer.echo(line)
        if html is not None:
            typer.echo(f"HTML report written to {html}")
    if not concordance.aligned:
        raise typer.Exit(1)
