"""Commands of the co-presidencies and the redline: decide, approve, revise, diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from drafting.errors import InvalidInput
from drafting.identifiers import user_name
from flows.cli._common import JSON_LIMIT, Home, app_for, edge, read_input, read_party_file
from flows.cli.negotiation_cmd import Slug

CoPresidency = Annotated[
    str,
    typer.Option(
        "--party",
        metavar="CODE",
        show_default=False,
        help="The co-presidency's code, e.g. ES or BO: only the two co-presidencies decide and approve.",
    ),
]


@edge
def decide(
    slug: Slug,
    file: Annotated[
        Path,
        typer.Argument(
            help="The compilation .docx with changes accepted/rejected, or a .json.",
            show_default=False,
        ),
    ],
    party: CoPresidency,
    home: Home = None,
) -> None:
    """Record a co-presidency's decisions on the round's proposals (Word file or JSON).

    Example: accord decide eu-celac --party ES compilation-ES.docx
    """
    from drafting.events import DecisionRefused
    from flows.usecases.decide import decide as record

    app = app_for(home)
    limit = JSON_LIMIT if file.suffix.lower() == ".json" else app.settings.limits.max_upload_bytes
    data = read_party_file(
        app, slug, party, file, limit=limit, what="decisions file", refused=DecisionRefused
    )
    _say_decided(slug, party, record(app, slug, party=party, data=data, filename=file.name))


def _say_decided(slug: str, party: str, receipt: Any) -> None:
    """The decisions counted, and the revision when both co-presidencies have decided."""
    typer.echo(
        f"{party}: {receipt.accepted} accepted, {receipt.rejected} rejected, {receipt.undecided} undecided "
        f"in round {receipt.round}"
    )
    if receipt.revision:
        typer.echo(
            f"both co-presidencies have decided: {receipt.revision} issued as a draft; "
            f"approve it with `accord approve {slug} --party CODE`"
        )


@edge
def approve(
    slug: Slug,
    party: CoPresidency,
    pending_translation: Annotated[
        bool,
        typer.Option(
            "--pending-translation",
            help="Circulate although a translation is pending (every document states it in its header).",
        ),
    ] = False,
    home: Home = None,
) -> None:
    """Approve the draft revision; it is circulated once both co-presidencies have approved.

    Example: accord approve eu-celac --party BO
    """
    from flows.usecases.decide import approve as record

    result = record(app_for(home), slug, party=party, pending_translation=pending_translation)
    typer.echo(
        f"{result['version']} approved by {', '.join(result['approved_by'])}"
        + ("; circulated" if result["circulated"] else "; waiting for the other co-presidency")
        + (
            f" ({result['pending_translation']})"
            if result["circulated"] and result.get("pending_translation")
            else ""
        )
    )


@edge
def translate(
    slug: Slug,
    language: Annotated[
        str,
        typer.Option("--language", help="The language of the file, e.g. es.", show_default=False),
    ],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The version in that language (.docx), its pending paragraphs translated.",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str, typer.Option("--role", help="Who uploads it: translator (the secretariat's).")
    ] = "translator",
    accept_warnings: Annotated[
        bool,
        typer.Option("--accept-warnings", help="Accept the concordance warnings the checks find."),
    ] = False,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            help="Instead: write the pending paragraphs as the deployment's translation service translates "
            "them (none is shipped), as tracked changes to review and upload.",
            show_default=False,
        ),
    ] = None,
    home: Home = None,
) -> None:
    """Upload a version's translation: only the paragraphs pending translation into that language may change.

    Example: accord translate eu-celac --language es Rev.1.es.docx --role translator
    """
    app = app_for(home)
    if draft is not None or file is None:
        _draft_translation(app, slug, language, file, draft)
        return
    _upload_translation(app, slug, language, file, accept_warnings=accept_warnings, role=role)


def _upload_translation(
    app: Any, slug: str, language: str, file: Path, *, accept_warnings: bool, role: str
) -> None:
    """Record the translated file; say which paragraphs it aligned and what is still pending."""
    from flows.usecases.translate import translate as upload

    data = read_input(file, limit=app.settings.limits.max_upload_bytes, what="Word file")
    given: dict[str, Any] = {"data": data, "filename": file.name, "role": role}
    done = upload(app, slug, language=language, accept_warnings=accept_warnings, **given)
    typer.echo(
        f"{done.version} in {done.language}: paragraph(s) {', '.join(done.aligned)} aligned; "
        + (done.pending if done.pending else "every language aligned")
    )
    for warning in done.warnings:
        typer.echo(f"accepted concordance warning: {warning}")


def _draft_translation(
    app: Any, slug: str, language: str, file: Path | None, out: Path | None
) -> None:
    """With --draft (and no file): write the pending paragraphs as the translation service gives them, to
    review and upload."""
    from flows.usecases.translate import draft_translation

    if file is not None or out is None:
        raise InvalidInput(
            "give the translated .docx, or --draft OUT.docx to have one drafted; not both"
        )
    made = draft_translation(app, slug, language=language, out=out)
    typer.echo(
        f"wrote {made.path}: {made.version} in {made.language}, paragraph(s) {', '.join(made.paragraphs)} "
        "as the translation service gives them; review them, then upload the file with accord translate"
    )


@edge
def revise(slug: Slug, home: Home = None) -> None:
    """Issue the next revision now; a co-presidency that has not decided is silent (its proposals bracketed).

    Example: accord revise eu-celac
    """
    from flows.usecases.decide import revise as issue

    typer.echo(f"{issue(app_for(home), slug)} issued as a draft")


@edge
def diff(
    first: Annotated[
        str, typer.Argument(help="OLD.docx, or a declaration slug.", show_default=False)
    ],
    second: Annotated[
        str,
        typer.Argument(
            help="NEW.docx, or a version label (e.g. 'Zero draft').", show_default=False
        ),
    ],
    third: Annotated[
        str | None,
        typer.Argument(help="With a slug: the second version label.", show_default=False),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Where to write the redline .docx.", show_default=False)
    ] = Path("redline.docx"),
    author: Annotated[
        str, typer.Option("--author", help="Author of the tracked changes.")
    ] = "accord",
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write the redline as an HTML page to this file.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="With a slug: compare the versions' text in this language, e.g. es (default: the first).",
            show_default=False,
        ),
    ] = None,
    home: Home = None,
) -> None:
    """Write two Word files, or two versions of a declaration, as a Word redline (tracked changes).

    Example: accord diff eu-celac "Zero draft" Rev.1 --language es --out zero-to-rev1.es.docx
    """
    if third is None and language is not None:
        raise InvalidInput(
            "--language compares two versions of a declaration: give SLUG OLD NEW, not two files"
        )
    data = _redline(first, second, third, author=author, language=language, home=home)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(f"--out {out}: the redline is a Word file; give a name ending in .docx")
    page = _redline_page(first, second, third, html, home, language) if html is not None else None
    from flows.adapters.files import write_out

    write_out(out, data)
    typer.echo(f"redline written to {out}")
    if html is not None and page is not None:
        write_out(html, page.encode("utf-8"))
        typer.echo(f"HTML redline written to {html}")


def _redline(
    first: str,
    second: str,
    third: str | None,
    *,
    author: str,
    language: str | None,
    home: Path | None,
) -> bytes:
    """The redline of two Word files (``third`` None), or of two versions of declaration ``first``."""
    from flows.usecases.redline import redline_versions

    if third is not None:
        app = app_for(home)
        who = user_name(author, where="--author")
        return redline_versions(app, first, second, third, author=who, language=language)
    from flows.cli._diff import redline_of_files

    return redline_of_files(first, second, author)


def _redline_page(
    first: str,
    second: str,
    third: str | None,
    html: Path,
    home: Path | None,
    language: str | None = None,
) -> str:
    from flows.usecases.redline import redline_page_files, redline_page_versions

    if html.suffix.lower() not in (".html", ".htm"):
        raise InvalidInput(f"--html {html}: the page is HTML; give a name ending in .html")
    if third is None:
        return redline_page_files(
            Path(first).read_bytes(), Path(second).read_bytes(), names=(first, second)
        )
    return redline_page_versions(app_for(home), first, second, third, language)
