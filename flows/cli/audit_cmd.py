"""Commands of the audit: history, replay, blame, edit, archive (`accord verify BUNDLE.zip` checks a bundle)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from drafting import identifiers
from flows.cli._common import Home, Json, app_for, edge, emit_json, read_input
from flows.cli.key_cmd import KeyFile

if TYPE_CHECKING:
    from drafting.history_model import History, HistoryRound, HistoryVersion

Slug = Annotated[
    str,
    typer.Argument(help="The declaration's short name, e.g. eu-celac-2026.", show_default=False),
]
HtmlFile = Annotated[
    Path | None,
    typer.Option("--html", help="Also write an HTML page to this file.", show_default=False),
]


@edge
def history(slug: Slug, as_json: Json = False, html: HtmlFile = None, home: Home = None) -> None:
    """Show the timeline of rounds, submissions, proposals, decisions and versions, with their documents.

    Example: accord history eu-celac --html audit/history.html
    """
    from flows.usecases.history import history as read_history
    from flows.usecases.history import write_history

    app = app_for(home)
    if html is not None:
        written = write_history(app, slug, html)
        typer.echo(
            f"wrote {written[0]} and {len(written) - 1} documents in {html.parent / 'documents'}",
            err=as_json,
        )
    data = read_history(app, slug)
    if as_json:
        emit_json(data.as_json())
    elif html is None:
        _print_history(data)


def _version_line(version: HistoryVersion, zone: str) -> str:
    """One version in the history: label, time, how it came, its state and who approved it."""
    from drafting.moments import local_time

    how = version.kind + (f" of round {version.round}" if version.round else "")
    return (
        f"  {version.label:<10} {local_time(version.at, zone)}  {how:<22} {version.state:<10} "
        f"approved by {', '.join(a.party for a in version.approvals) or '-'}"
    )


def _print_history(data: History) -> None:
    from drafting.wording import count

    zone = data.declaration.timezone
    typer.echo(
        f"{data.declaration.title} ({data.declaration.slug}): "
        f"{count(len(data.timeline), 'event')}; times in {zone}"
    )
    for version in data.versions:
        typer.echo(_version_line(version, zone))
    for r in data.rounds:
        typer.echo(_round_line(r))


def _round_line(r: HistoryRound) -> str:
    """A round of the history: its submissions, its proposals by outcome, who decided, what it produced."""
    from drafting.wording import count

    outcomes = Counter(p.outcome for p in r.proposals)
    return (
        f"  round {r.number} on {r.version}: {count(len(r.submissions), 'submission')}, "
        f"{count(len(r.proposals), 'proposal')} "
        f"({', '.join(f'{n} {k}' for k, n in sorted(outcomes.items()))}), "
        f"decided by {', '.join(d.party for d in r.decisions) or '-'} -> {r.revision or '-'}"
    )


@edge
def replay(
    slug: Slug,
    as_json: Json = False,
    reread: Annotated[
        bool,
        typer.Option(
            "--reread",
            help="Parse every submitted Word file again instead of taking the reading the log vouches for "
            "(checks that this accord still reads the originals as they were read).",
        ),
    ] = False,
    home: Home = None,
) -> None:
    """Rebuild the declaration from its log and stored originals in a scratch database; exit 1 at the first divergence.

    Example: accord replay eu-celac
    """
    from flows.usecases.replay import replay as run_replay

    app = app_for(home)
    if sys.stderr.isatty():  # a bar for people; scripts and logs get the one-line result only
        report = _replay_with_bar(app, slug, reread)
    else:
        report = run_replay(app, slug, reread=reread)
    if as_json:
        emit_json(report.as_json())
        return
    typer.echo(
        f"ok: {report.events} events replayed byte for byte ({report.rederived} re-derived by their use case, "
        f"{report.recorded} recorded facts appended as they were); {report.rows} records and "
        f"{report.documents} documents identical; {report.seconds:.2f} s"
    )


def _replay_with_bar(app: Any, slug: str, reread: bool) -> Any:
    """Replay with a progress bar on the terminal, gone when it is done."""
    from rich.progress import Progress

    from flows.usecases.replay import replay as run_replay

    with Progress(transient=True) as bar:
        task = bar.add_task(f"replaying {slug}", total=None)
        return run_replay(
            app,
            slug,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            reread=reread,
        )


@edge
def blame(
    slug: Slug,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="Version label, e.g. Rev.2 (default: current).", show_default=False
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Blame the version's text in this language, e.g. es (default: the first).",
            show_default=False,
        ),
    ] = None,
    as_json: Json = False,
    html: HtmlFile = None,
    home: Home = None,
) -> None:
    """Show where every span of a version's text comes from: zero draft, proposal, editorial, translation, or
    untraceable.

    Example: accord blame eu-celac --version Rev.2 --language es --html blame.es.html
    """
    from flows.usecases.blame import blame as run_blame
    from flows.usecases.blame import write_blame

    app = app_for(home)
    result = run_blame(app, slug, version, language)
    if html is not None:
        typer.echo(f"wrote {write_blame(app, slug, result.version, html, language)}", err=as_json)
    if as_json:
        emit_json(result.as_json())
        return
    _print_blame(result, app, slug)
    _print_missing(result.removed)


def _print_blame(result: Any, app: Any, slug: str) -> None:
    """How many characters come from where, then every span not in the zero draft and where it comes from."""
    from drafting.blame_page import describe
    from flows.usecases.blame import names

    counts = result.counts()
    typer.echo(f"{result.version}: " + ", ".join(f"{n} characters {k}" for k, n in counts.items()))
    parties = names(app, slug)
    for span in result.spans:
        if span.source != "zero-draft":
            typer.echo(f"  {span.source:<11} {span.text[:60]!r}  <- {describe(span, parties)}")


@edge
def edit(
    slug: Slug,
    file: Annotated[
        Path, typer.Option("--file", help="The .docx with the edited text.", show_default=False)
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why (goes into the record and into blame).", show_default=False
        ),
    ],
    home: Home = None,
) -> None:
    """Record an editorial change by the secretariat as a new draft version, for both co-presidencies to approve.

    Example: accord edit eu-celac --file Rev.2-typos.docx --reason "typographical corrections"
    """
    from flows.usecases.editorial import edit as record_edit

    app = app_for(home)
    data = read_input(file, limit=app.settings.limits.max_upload_bytes, what="Word file")
    edited = record_edit(
        app, slug, data=data, filename=file.name, reason=identifiers.reason(reason)
    )
    typer.echo(
        f"{edited.version}: {edited.operations} editorial change(s) to {edited.parent}, a draft awaiting "
        f"approval by both co-presidencies (`accord approve {slug} --party CODE`)"
    )


@edge
def archive(
    slug: Slug,
    out: Annotated[
        Path, typer.Option("--out", help="The bundle to write (.zip).", show_default=False)
    ],
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Add a PDF of the text (needs LibreOffice).")
    ] = True,
    key_file: KeyFile = None,
    home: Home = None,
) -> None:
    """Write a sealed bundle of the agreed (or current) text and the whole record, with its own verify.py.

    The seal (an event recording the sha256 of every page of the bundle) is signed with the secretariat's key
    when there is one (`accord key create`). Sealing again with nothing new in the log writes the same bundle.

    Example: accord archive eu-celac --out eu-celac-archive.zip
    """
    from flows.usecases.archive import archive as seal
    from flows.usecases.archive import soffice_pdf

    app = app_for(home)
    signer, path = _signer(app.home, key_file)
    made = seal(
        app,
        slug,
        out,
        convert=(lambda docx: soffice_pdf(docx, app.scratch)) if pdf else None,
        signer=signer,
    )
    _say_sealed(made, path, out)


def _print_missing(removed: Any) -> None:
    """Text the record holds that the version's text no longer does."""
    for gone in removed:
        typer.echo(
            f"  missing     {gone.text[:60]!r} at character {gone.at}: "
            "the record has it, the text does not"
        )


def _seal_said(made: Any) -> str:
    """The seal: made now, or an earlier one that already records this bundle."""
    how = (
        "the log's seal (event {}) already records it: nothing new recorded"
        if made.reused
        else "sealed at event {}"
    )
    return how.format(made.seal)


def _say_sealed(made: Any, key_path: Path, out: Path) -> None:
    """The bundle, its seal (new or reused), whether it is signed, and how to check it."""
    typer.echo(
        f"sealed {made.path}: {made.version}, {made.files} files{', with PDF' if made.pdf else ''}; "
        + _seal_said(made)
    )
    if not made.signed:
        typer.echo(
            f"unsigned: no key at {key_path}; `accord key create` makes one, and the next archive signs the head"
        )
    typer.echo(
        f"bundle sha256 {made.bundle_sha256}; "
        f"check it with `python3 verify.py {out.name}` or `accord verify {out}`"
    )


def _signer(home: Path, key_file: Path | None) -> tuple[Any, Path]:
    """Sign with the key given, or the home's key when it exists; a key given that cannot be used is an error."""
    from storage.signing import default_key_path, load_key, sign

    path = key_file or default_key_path(home)
    if key_file is None and not path.exists():
        return None, path
    key = load_key(path)
    return (lambda message: sign(key, message)), path
