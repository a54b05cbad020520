"""`accord align`: the concordance of a text's language versions, paragraph by paragraph."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from drafting.errors import InvalidInput
from flows.cli._common import Home, Json, app_for, edge, emit_json, read_input

if TYPE_CHECKING:
    from drafting.concordance import Concordance
    from flows.usecases.concordance import Source


@edge
def align(
    versions: Annotated[
        list[str] | None,
        typer.Argument(
            help="A declaration's slug; or, with --files, each language version as LANG=FILE (en=ZERO.en.docx).",
            show_default=False,
        ),
    ] = None,
    files: Annotated[
        bool,
        typer.Option(
            "--files",
            help="Compare Word files given as LANG=FILE, the first language the reference.",
        ),
    ] = False,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="The declaration's version to align, e.g. Rev.1 (default: the current one).",
            show_default=False,
        ),
    ] = None,
    as_json: Json = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write the report as an HTML page to this file.", show_default=False
        ),
    ] = None,
    home: Home = None,
) -> None:
    """Check that language versions agree paragraph by paragraph: numbering, numbers, years, percentages, document
    symbols, URLs, quoted names. A declaration's report is also written beside its synopsis. Exits 1 when the
    versions are not aligned.

    Example: accord align eu-celac --version Rev.1
    Example: accord align --files en=ZERO.en.docx es=ZERO.es.docx --html concordance.html
    """
    given = versions or []
    _check_html_name(html)
    if files:
        if version is not None:
            raise InvalidInput(
                "--version is for a declaration's versions; with --files give the Word files only"
            )
        _files(given, as_json=as_json, html=html)
    elif len(given) == 1 and "=" not in given[0]:
        _declaration(given[0], version, as_json=as_json, html=html, home=home)
    else:
        raise InvalidInput(
            "give a declaration's slug (accord align eu-celac), or Word files after --files "
            "(accord align --files en=ZERO.en.docx es=ZERO.es.docx)"
        )


def _check_html_name(html: Path | None) -> None:
    """Refuse an --html file whose name does not say it is HTML."""
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise InvalidInput(f"--html {html}: the report is HTML; give a name ending in .html")


def _files(given: list[str], *, as_json: bool, html: Path | None) -> None:
    from drafting.wordml.gate import GateLimits
    from flows.usecases.concordance import align_sources, language_files, read_source, report_page

    named = language_files(given)
    limit = GateLimits().max_upload_bytes
    sources = [
        read_source(lang, name, read_input(Path(name), limit=limit, what="Word file"))
        for lang, name in named.items()
    ]
    concordance = align_sources(sources)
    page = report_page(concordance, named) if html else ""
    _show(concordance, sources, as_json=as_json, html=html, page=page)


def _declaration(
    slug: str, version: str | None, *, as_json: bool, html: Path | None, home: Path | None
) -> None:
    from flows.usecases.concordance import align_version

    report = align_version(app_for(home), slug, label=version)
    _show(
        report.concordance,
        report.sources,
        as_json=as_json,
        html=html,
        page=report.html,
        kept=report.page,
    )


def _show(
    concordance: Concordance,
    sources: list[Source],
    *,
    as_json: bool,
    html: Path | None,
    page: str,
    kept: Path | None = None,
) -> None:
    from flows.adapters.files import write_out

    if html is not None:
        write_out(html, page.encode("utf-8"))
    if as_json:
        import json

        emit_json(json.loads(concordance.to_json()))
    else:
        _print_report(concordance, sources, (kept, html))
    if not concordance.aligned:
        raise typer.Exit(1)


def _print_report(
    concordance: Concordance, sources: list[Source], written: tuple[Path | None, ...]
) -> None:
    """The report in words, and where its HTML pages were written."""
    from flows.usecases.concordance import report_lines

    for line in report_lines(concordance, sources):
        typer.echo(line)
    for path in written:
        if path is not None:
            typer.echo(f"HTML report written to {path}")
