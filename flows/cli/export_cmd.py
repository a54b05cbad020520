"""`accord export`: a version as Akoma Ntoso 3.0, and every issued document as PDF next to its .docx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from drafting.errors import InvalidInput
from flows.cli._common import Home, app_for, edge

Slug = Annotated[
    str,
    typer.Argument(help="The declaration's short name, e.g. eu-celac-2026.", show_default=False),
]


@edge
def export(
    slug: Slug,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="The version to export, e.g. Rev.1 (default: the agreed text, else the current version).",
            show_default=False,
        ),
    ] = None,
    akn: Annotated[
        Path | None,
        typer.Option(
            "--akn",
            help="Write the version as Akoma Ntoso 3.0 XML (OASIS LegalDocML) to this file.",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Print every version, the agreed text and each compilation to PDF next to its .docx "
            "(needs LibreOffice).",
        ),
    ] = False,
    home: Home = None,
) -> None:
    """Export a declaration's documents in standard formats: Akoma Ntoso XML, PDF.

    Example: accord export eu-celac --version Rev.2 --akn eu-celac-rev2.xml --pdf
    """
    if akn is None and not pdf:
        raise InvalidInput("nothing to export; give --akn OUT.xml and/or --pdf")
    app = app_for(home)
    if akn is not None:
        from flows.usecases.export import export_akn

        label = export_akn(app, slug, akn, label=version)
        typer.echo(f"{label} of {slug} written as Akoma Ntoso to {akn}")
    if pdf:
        _export_pdfs(app, slug)


def _export_pdfs(app: Any, slug: str) -> None:
    """Every version, the agreed text and each compilation printed to PDF; the overview links them."""
    from flows.usecases.pdf import write_pdfs

    written = write_pdfs(app, slug)
    if written is None:
        raise InvalidInput(
            "--pdf: LibreOffice (soffice) is not installed; install it and export again"
        )
    from flows.usecases.dashboard import publish_dashboard

    publish_dashboard(app, slug)  # index.html links the new PDFs
    typer.echo(
        f"{len(written)} PDF(s) written next to their .docx in {app.home / 'declarations' / slug}"
    )


@edge
def dashboard(
    slug: Slug,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Print every version, the agreed text and each compilation to PDF first (needs LibreOffice), "
            "so the page links them.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FOLDER",
            help="Also copy the page and every document it links to into this folder "
            "(e.g. to publish it).",
            show_default=False,
        ),
    ] = None,
    home: Home = None,
) -> None:
    """Write the declaration's dashboard, index.html: state, paragraph map, timeline, submissions, documents.

    Also written whenever accord publishes the declaration's files; history and blame pages go beside it (audit/).

    Example: accord dashboard eu-celac --pdf --out site
    """
    from flows.usecases.dashboard import write_dashboard
    from flows.usecases.pdf import libreoffice

    if pdf and libreoffice() is None:
        raise InvalidInput(
            "--pdf: LibreOffice (soffice) is not installed; install it, or leave out --pdf"
        )
    app = app_for(home)
    page = write_dashboard(app, slug, pdf=pdf, out=out.resolve() if out else None)
    typer.echo(f"dashboard written: {page}")
