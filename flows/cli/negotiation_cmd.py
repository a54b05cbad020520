"""Commands of the negotiation spine: declaration, round, submit, status, log, verify."""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from drafting.errors import AccordError
from flows.cli._common import (
    Home,
    Json,
    app_for,
    declaration_slugs,
    edge,
    emit_json,
    fail,
    missing_database,
    read_input,
    read_party_file,
)

if TYPE_CHECKING:
    from flows.usecases.status import Status

declaration_app = typer.Typer(help="Create and list declarations.", no_args_is_help=True)
round_app = typer.Typer(help="Open and close drafting rounds.", no_args_is_help=True)

Slug = Annotated[
    str,
    typer.Argument(help="The declaration's short name, e.g. eu-celac-2026.", show_default=False),
]
PartyCode = Annotated[
    str,
    typer.Option("--party", metavar="CODE", help="The party's code, e.g. MX.", show_default=False),
]


@declaration_app.command("create")
@edge
def declaration_create(
    slug: Slug,
    title: Annotated[
        str, typer.Option("--title", help="The declaration's title.", show_default=False)
    ],
    zero_draft: Annotated[
        list[str],
        typer.Option(
            "--zero-draft",
            metavar="[LANG=]FILE",
            help="The zero draft (.docx); in several languages, once per language as LANG=FILE (en=zero.en.docx), "
            "the first language first.",
            show_default=False,
        ),
    ],
    parties: Annotated[
        Path, typer.Option("--parties", help="CSV with header code,name,bloc.", show_default=False)
    ],
    co_presidency: Annotated[
        list[str],
        typer.Option(
            "--co-presidency", help="A co-presidency's code (give it twice).", show_default=False
        ),
    ],
    timezone: Annotated[
        str, typer.Option("--timezone", help="Time zone in which times are shown.")
    ] = "UTC",
    symbol: Annotated[
        str,
        typer.Option(
            "--symbol",
            help="Document symbol on every page, e.g. EU-CELAC/HLM/2026/L.1 (default: from the slug).",
            show_default=False,
        ),
    ] = "",
    accept_warnings: Annotated[
        bool,
        typer.Option(
            "--accept-warnings",
            help="Accept the concordance warnings between the zero drafts' languages.",
        ),
    ] = False,
    home: Home = None,
) -> None:
    """Create a declaration with its parties, co-presidencies and zero draft (in one language or several).

    Example: accord declaration create eu-celac --title "Political Declaration" --zero-draft en=zero.en.docx --zero-draft es=zero.es.docx --parties parties.csv --co-presidency ES --co-presidency BO
    """
    from flows.usecases.declarations import create_declaration

    _check_identifiers(slug, timezone, co_presidency)  # before any file is read or the home made
    app, files = _home_and_files(home, zero_draft, parties)
    created = create_declaration(
        app,
        slug=slug,
        title=title,
        co_presidencies=co_presidency,
        timezone=timezone,
        symbol=symbol,
        accept_warnings=accept_warnings,
        **files,
    )
    _say_created(created)


def _check_identifiers(slug: str, timezone: str, co_presidencies: list[str]) -> None:
    from drafting import identifiers

    identifiers.slug(slug)
    identifiers.time_zone(timezone)
    for code in co_presidencies:
        identifiers.party_code(code, where="--co-presidency")


def _home_and_files(
    home: Path | None, zero_draft: list[str], parties: Path
) -> tuple[Any, dict[str, Any]]:
    """The new declaration's home, and what create_declaration takes from the files: the zero draft in the first
    language, its translations, the parties (the languages checked before the home is made)."""
    from drafting.parties import MAX_BYTES, decode_parties_csv

    languages, paths = _languages_and_paths(zero_draft)
    app = app_for(home, create=True)
    files = _read_drafts(app, paths)
    parties_data = read_input(parties, limit=MAX_BYTES, what="parties file")
    return app, {
        "zero_draft": files[0][0],
        "zero_draft_name": files[0][1],
        "parties_csv": decode_parties_csv(parties_data, source=parties.name),
        "parties_name": parties.name,
        "languages": languages[:1],
        "translations": dict(zip(languages[1:], files[1:], strict=True)),
    }


def _languages_and_paths(values: list[str]) -> tuple[tuple[str, ...], list[Path]]:
    """The zero drafts' languages, checked, and their files."""
    from drafting.languages import check_languages

    drafts = _zero_drafts(values)
    return check_languages([language for language, _ in drafts]), [path for _, path in drafts]


def _read_drafts(app: Any, paths: list[Path]) -> list[tuple[bytes, str]]:
    """Each zero draft's bytes and file name, within the home's upload limit."""
    limit = app.settings.limits.max_upload_bytes
    return [(read_input(path, limit=limit, what="Word file"), path.name) for path in paths]


def _say_created(created: Any) -> None:
    """The declaration, its zero draft in each language, and the concordance warnings accepted."""
    typer.echo(
        f"created {created.slug}: {created.parties} parties, zero draft of {created.paragraphs} paragraphs"
    )
    typer.echo(f"zero draft: {created.zero_draft}")
    for language, path in created.translations.items():
        typer.echo(f"zero draft ({language}): {path}")
    for warning in created.warnings:
        typer.echo(f"accepted concordance warning: {warning}")


def _zero_drafts(values: list[str]) -> list[tuple[str, Path]]:
    """``--zero-draft`` values as (language, file): a bare FILE is the one language, English."""
    import re

    from drafting.errors import InvalidInput

    drafts = []
    for value in values:
        tagged = re.match(r"([A-Za-z]{2,3})=(.+)", value)
        drafts.append((tagged.group(1), Path(tagged.group(2))) if tagged else ("en", Path(value)))
    if len(drafts) > 1 and any(not re.match(r"[A-Za-z]{2,3}=", value) for value in values):
        raise InvalidInput(
            "--zero-draft: in several languages give each as LANG=FILE, e.g. --zero-draft "
            "en=zero.en.docx --zero-draft es=zero.es.docx"
        )
    return drafts


@declaration_app.command("list")
@edge
def declaration_list(as_json: Json = False, home: Home = None) -> None:
    """List the declarations in the home folder: current version and its state, the latest round.

    Example: accord declaration list --json
    """
    from flows.usecases.status import status as read_status

    if missing_database(home):
        _no_declarations_yet(as_json)
        return
    app = app_for(home)
    rows = [_summary(read_status(app, slug)) for slug in declaration_slugs(app)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        typer.echo(f"no declarations in {app.home}; create one with `accord declaration create`")
    for row in rows:
        typer.echo(_declaration_line(row))


def _no_declarations_yet(as_json: bool) -> None:
    """Nothing created here yet: an empty list, and the folder is left as it is."""
    if as_json:
        emit_json([])
    else:
        typer.echo("no declarations here yet; create one with `accord declaration create`")


def _declaration_line(row: dict[str, Any]) -> str:
    """One declaration in the list: slug, current version and state, latest round, title."""
    latest = row["round"]
    where = f"round {latest['number']} {latest['state']}" if latest else "no round yet"
    return f"{row['slug']}  {row['version']} ({row['state']}), {where}  {row['title']}"


def _summary(state: Status) -> dict[str, Any]:
    current = state.versions[-1]
    latest = state.latest_round
    return {
        "slug": state.declaration.slug,
        "title": state.declaration.title,
        "version": current.label,
        "state": current.state.value,
        "round": latest.model_dump(mode="json", include={"number", "state", "deadline"})
        if latest
        else None,
    }


@round_app.command("open")
@edge
def round_open(
    slug: Slug,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="ISO 8601 with time zone.")
    ] = None,
    home: Home = None,
) -> None:
    """Open a round on the current version; each party gets its stamped copy (outbox, and mail with SMTP settings).

    With a Prefect server (`accord serve`) the distribute-round deployment sends the copies, on accord.round.opened.

    Example: accord round open eu-celac --deadline 2026-12-04T18:00:00+01:00
    """
    from flows.runtime import prefect_enabled
    from flows.usecases.rounds import open_round

    app = app_for(home)
    opened = open_round(app, slug, deadline=deadline)
    typer.echo(
        f"round {opened.number} open on {opened.version}, deadline {opened.deadline or 'none'}"
    )
    if prefect_enabled():
        typer.echo("copies: sent by the distribute-round deployment")
        return
    _send_copies(app, slug, opened.number)


def _send_copies(app: Any, slug: str, number: int) -> None:
    """Each party's copy of round ``number`` sent now; a failure leaves them owed and says so."""
    from flows.usecases.routing import distribute_round, outbox

    try:
        sent = distribute_round(app, slug, number)
    except (AccordError, OSError) as error:  # the round is open (committed): its copies stay owed
        fail(
            f"round {number} of {slug} is open but its copies were not all sent ({error}); they are owed: "
            f"mend the cause, then `accord tick {slug}` sends them (`accord status {slug}` lists them)"
        )
        return
    typer.echo(f"copies: {outcomes(sent.parties)}; in {outbox(app, slug, 'PARTY')}")


@round_app.command("extend")
@edge
def round_extend(
    slug: Slug,
    deadline: Annotated[
        str,
        typer.Option(
            "--deadline",
            help="The new deadline, later than the present one; ISO 8601 with time zone.",
            show_default=False,
        ),
    ],
    home: Home = None,
) -> None:
    """Move the open round's deadline later; its reminder and closing are planned anew.

    Example: accord round extend eu-celac --deadline 2026-12-05T18:00:00+01:00
    """
    from flows.usecases.rounds import extend_deadline

    moved = extend_deadline(app_for(home), slug, deadline)
    typer.echo(f"round {moved.number} of {slug}: the deadline is now {moved.deadline}")


def outcomes(parties: dict[str, str]) -> str:
    """How a sending went, in one line: counts by outcome, failures by party."""
    counts = Counter(how for how in parties.values() if not how.startswith("failed"))
    failed = [f"{party} {how}" for party, how in parties.items() if how.startswith("failed")]
    return "; ".join([f"{n} {how}" for how, n in sorted(counts.items())] + failed) or "no party"


@round_app.command("close")
@edge
def round_close(
    slug: Slug,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Close before the deadline although delegations have not submitted, without asking.",
        ),
    ] = False,
    home: Home = None,
) -> None:
    """Close the open round and write the compilation and synopsis.

    Before the deadline, with delegations that have not submitted, it names them and asks first on a terminal;
    a script must add --yes.

    Example: accord round close eu-celac --yes
    """
    from flows.usecases.compile import close_and_compile
    from flows.usecases.status import status as read_status

    app = app_for(home)
    early = _early_close(read_status(app, slug), app.clock())
    if early and not yes:
        _confirm_early_close(slug, early)
    result = close_and_compile(app, slug)
    typer.echo(
        f"round {result.round} closed: {result.submissions} submissions, {result.proposals} proposals, "
        f"{result.conflicts} conflict groups"
    )
    for path in result.paths:
        typer.echo(path)


def _early_close(state: Status, now: datetime) -> str:
    """What closing now would cut short ("" if nothing): the deadline not reached and who has not submitted."""
    from drafting.moments import local_time
    from drafting.negotiation import RoundState

    latest = state.latest_round
    if not latest or latest.state != RoundState.OPEN or not latest.deadline or not latest.missing:
        return ""
    deadline = datetime.fromisoformat(latest.deadline)
    if now >= deadline:
        return ""
    missing = latest.missing
    return (
        f"round {latest.number} of {state.declaration.slug} has its deadline at "
        f"{local_time(latest.deadline, state.declaration.timezone)} and {len(missing)} of the delegations "
        f"have not submitted: {', '.join(missing)}"
    )


def _confirm_early_close(slug: str, early: str) -> None:
    """Ask on a terminal; refuse in a script (no terminal to ask on)."""
    if not sys.stdin.isatty():
        fail(
            f"{early}; to close it before the deadline anyway, run `accord round close {slug} --yes`"
        )
    typer.echo(early)
    if not typer.confirm("Close the round now?", default=False):
        fail("round not closed; nothing changed")


@edge
def submit(
    slug: Slug,
    file: Annotated[
        Path,
        typer.Argument(
            help="The party's .docx with tracked changes and comments.", show_default=False
        ),
    ],
    party: PartyCode,
    home: Home = None,
) -> None:
    """Submit a party's Word file for the current round.

    Example: accord submit eu-celac --party MX MX-zero-draft.docx
    """
    from drafting.events import SubmissionRefused
    from flows.usecases.submissions import submit as submit_file

    app = app_for(home)
    data = read_party_file(
        app,
        slug,
        party,
        file,
        limit=app.settings.limits.max_upload_bytes,
        what="Word file",
        refused=SubmissionRefused,
    )
    _say_received(party, submit_file(app, slug, party=party, data=data, filename=file.name))


def _say_received(party: str, receipt: Any) -> None:
    """The submission received (or already received), and the flags it raised."""
    if receipt.duplicate:
        typer.echo(f"already received: submission {receipt.submission} from {party} (same file)")
        return
    typer.echo(
        f"received submission {receipt.submission} from {party} for round {receipt.round}"
        + (f", made on the {receipt.language} text" if receipt.language else "")
        + (" (LATE)" if receipt.late else "")
        + (f", supersedes {receipt.superseded}" if receipt.superseded else "")
    )
    for flag in receipt.flags:
        typer.echo(f"  flag {flag.code}: {flag.message}")


@edge
def status(slug: Slug, as_json: Json = False, home: Home = None) -> None:
    """Show where a declaration stands: its overall state first, then versions, the latest round, who has
    submitted, each co-presidency's decisions, what is owed. Times in the declaration's time zone; --json gives
    the shape documented in docs/status.md (times there in UTC, ISO 8601).

    Example: accord status eu-celac --json
    """
    from flows.usecases.status import status as read_status
    from flows.usecases.status import status_lines

    state = read_status(app_for(home), slug)
    if as_json:
        emit_json(state.as_json())
        return
    for line in status_lines(state):
        typer.echo(line)


@edge
def log(slug: Slug, as_json: Json = False, home: Home = None) -> None:
    """Print the declaration's event log (a JSON list with --json).

    Example: accord log eu-celac --json
    """
    from flows.usecases.status import event_log

    events = event_log(app_for(home), slug)
    if as_json:
        emit_json(events)
        return
    for e in events:
        typer.echo(
            f"{e['seq']:>5} {e['occurred_at']} {e['type']:<32} {e['actor']:<12} {e['hash'][:12]}"
        )


def _bundle(target: str) -> Path | None:
    """The archive bundle ``target`` names (a path ending in .zip or holding a folder separator, or a folder here
    holding a bundle's manifest.json), or None for a declaration slug; refuse a bare name that could be either."""
    path = Path(target)
    if target.lower().endswith(".zip") or "/" in target or os.sep in target:
        return path
    if not (path / "manifest.json").is_file():
        return None
    if all(c.isalnum() or c in "-_" for c in target):
        fail(
            f"{target!r} is both a declaration slug and the bundle folder ./{target} here; write ./{target} to "
            "verify the bundle, or run the command from another folder to verify the declaration"
        )
    return path


@edge
def verify(
    target: Annotated[
        str,
        typer.Argument(
            help="A declaration slug, or an archive bundle: its .zip, or the path of its unpacked folder.",
            show_default=False,
        ),
    ],
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="SEQ:HASH of an event, as an earlier `accord verify` printed it: the log must still hold it.",
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="The secretariat's public key (`accord key show`): every signed head must verify with it.",
            show_default=False,
        ),
    ] = None,
    home: Home = None,
) -> None:
    """Recompute the hash chain, the state the log implies and every stored document's hash (exit 1 naming the
    first problem).

    It prints the head (the last event's number and hash). Kept outside accord (in the minutes, a mail to the
    parties), it lets a later `--anchor` prove that no event was cut from the end of the log. With `--key`, the
    heads signed at each `accord archive` must verify: a log rewritten without the key is caught.

    Example: accord verify eu-celac --anchor 212:5f0c9a3e41b2d7c8 --key 3b6a27bcceb6a42d62a3a8d02a6f0d73...
    """
    bundle = _bundle(target)
    if bundle is not None:
        _verify_bundle(bundle, anchor, key)
        return
    from flows.usecases.status import verify as verify_records

    report = verify_records(app_for(home), target, anchor=anchor, key=key)
    typer.echo(
        f"ok: {report['events']} events and {report['blobs']} documents of the declaration {target!r} verify"
        + (f"; the log still holds event {anchor}" if anchor else "")
    )
    if key is not None:
        typer.echo(_signed_line(report))
    typer.echo(f"head: {report['head']}")


def _verify_bundle(bundle: Path, anchor: str | None, key: str | None) -> None:
    """An archive bundle checked as its own verify.py checks it."""
    from flows.usecases.archive import verify_bundle

    lines = verify_bundle(bundle, anchor, key)
    typer.echo(f"archive bundle {bundle}:")
    for line in lines:
        typer.echo(line)


def _signed_line(report: dict[str, Any]) -> str:
    """Where the log's last signed head is, and how many events came after it."""
    after = report["events"] - report["signed"]
    unsigned = (
        f"; the {after} event(s) after it are not yet signed (the next `accord archive` signs them)"
        if after
        else ""
    )
    return f"signed: the head at event {report['signed']} verifies with the key" + unsigned
