"""The secretariat's dashboard and actions, and the auditors' read-only views, over the CLI's use cases.

Each action names the acting account: in the declaration's log (its event's ``by``) and in the security log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.bootstrap import App
from flows.portal import accounts
from flows.portal.views import Acting


@dataclass(frozen=True)
class _Recorded:
    """What the dashboard reads from the store besides the status."""

    brackets: list[str]
    chairs: list[str]
    decided: list[str]
    labels: list[str]


def _recorded(app: App, slug: str) -> _Recorded:
    """The current version's bracketed paragraphs, the co-presidencies, who of them decided the latest round,
    and the versions' labels."""
    from flows.usecases.texts import version_text

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = uow.repo.current_version(declaration)
        brackets = [p.key for p in version_text(current).bracketed()]
        latest = uow.repo.latest_round(declaration)
        chairs = sorted(p.code for p in uow.repo.parties(declaration) if p.role == "co-presidency")
        decided = sorted({r.party for r in uow.repo.decisions(latest)}) if latest else []
        labels = [v.label for v in uow.repo.versions(declaration)]
    return _Recorded(brackets, chairs, decided, labels)


def _submitted(latest_round: dict[str, Any] | None) -> list[str]:
    """The parties with a current submission in the latest round."""
    if not latest_round:
        return []
    return sorted({s["party"] for s in latest_round["submissions"] if s["status"] == "current"})


def _pending(recorded: _Recorded, latest_round: dict[str, Any] | None) -> list[str]:
    """The co-presidencies yet to decide a closed round."""
    if not (latest_round and latest_round["state"] == "closed"):
        return []
    return [c for c in recorded.chairs if c not in recorded.decided]


def dashboard(app: App, slug: str) -> dict[str, Any]:
    """Where a declaration stands for the secretariat: who has and has not submitted, the deadline, decisions
    pending, brackets and the silence procedure."""
    from flows.usecases.silence import silences
    from flows.usecases.status import status

    state = status(app, slug).as_json()
    recorded = _recorded(app, slug)
    found = silences(app, slug)
    latest_round = state["latest_round"]
    return {
        "declaration": state["declaration"],
        "overall": state["overall"]["summary"],
        "round": latest_round,
        "submitted": _submitted(latest_round),
        "missing": latest_round["missing"] if latest_round else [],
        "version": state["versions"][-1],
        "brackets": recorded.brackets,
        "pending": _pending(recorded, latest_round),
        "silence": vars(found[-1]) if found else None,
        "labels": recorded.labels,
        "owed": state["owed"],
        "failed_mail": state["failed_mail"],
    }


def _noted(app: App, acting: Acting, what: str, **detail: str | int | None) -> None:
    accounts.log_action(app, acting.principal, f"{what} {acting.slug}", **detail)


def open_round(app: App, acting: Acting, deadline: str) -> str:
    """Open the next round and send each party its copy, as `accord round open` does."""
    from flows.usecases.rounds import open_round as open_next
    from flows.usecases.routing import distribute_round

    opened = open_next(app, acting.slug, deadline=deadline.strip() or None, by=acting.principal.by)
    _noted(app, acting, "round.opened", round=opened.number)
    sent = distribute_round(app, acting.slug, opened.number)
    return (
        f"round {opened.number} open on {opened.version}, deadline {opened.deadline or 'none'}; "
        f"copies to {len(sent.parties)} parties"
    )


def close_round(app: App, acting: Acting) -> str:
    """Close the open round and compile it, as `accord round close --yes` does."""
    from flows.usecases.compile import close_and_compile

    result = close_and_compile(app, acting.slug, by=acting.principal.by)
    _noted(app, acting, "round.closed", round=result.round)
    return (
        f"round {result.round} closed: {result.submissions} submissions, {result.proposals} proposals, "
        f"{result.conflicts} conflict groups"
    )


def extend_deadline(app: App, acting: Acting, deadline: str) -> str:
    """Move the open round's deadline later."""
    from flows.usecases.rounds import extend_deadline as extend

    moved = extend(app, acting.slug, deadline, by=acting.principal.by)
    _noted(app, acting, "round.deadline-extended", round=moved.number, deadline=moved.deadline)
    return f"round {moved.number}: the deadline is now {moved.deadline}"


def remind(app: App, acting: Acting) -> str:
    """Remind the delegations that have not submitted (through the outbox and the mailer)."""
    from flows.usecases.routing import remind as send_reminders

    sent = send_reminders(app, acting.slug, by=acting.principal.by)
    _noted(app, acting, "round.reminded", skipped=sent.skipped)
    return (
        f"reminders not sent: {sent.skipped}"
        if sent.skipped
        else f"reminders sent to {len(sent.parties)} parties"
    )


def start_silence(app: App, acting: Acting, until: str) -> str:
    """Circulate the current version under silence until a time."""
    from flows.usecases.silence import start_silence as start

    started = start(app, acting.slug, until, by=acting.principal.by)
    _noted(app, acting, "silence.started", silence=started.silence)
    said = f"silence {started.silence}: {started.version} under silence until {started.until_local}"
    if started.notice_owed:  # the silence has started (committed): its notice stays owed
        said += f"; its notice was not sent to every party ({started.notice_owed}): owed, `accord tick` sends it"
    return said


def agree(app: App, acting: Acting) -> str:
    """Mark the current version agreed when nothing is bracketed."""
    from flows.usecases.silence import agree as agree_version

    label = agree_version(app, acting.slug, by=acting.principal.by)
    _noted(app, acting, "version.agreed", version=label)
    return f"{label} of {acting.slug} is agreed"


def archive(app: App, acting: Acting, *, pdf: bool) -> str:
    """Seal the declaration and write its bundle under the home (the auditors download it from the portal)."""
    from flows.usecases.archive import archive as seal
    from flows.usecases.archive import soffice_pdf
    from flows.usecases.common import declaration_dir

    out = Path(declaration_dir(app, acting.slug), "archive", f"{acting.slug}-archive.zip")
    made = seal(
        app,
        acting.slug,
        out,
        convert=(lambda docx: soffice_pdf(docx, app.scratch)) if pdf else None,
        by=acting.principal.by,
    )
    _noted(app, acting, "declaration.archived", seal=made.seal)
    return f"sealed at event {made.seal}: {made.version}, {made.files} files; bundle sha256 {made.bundle_sha256}"


def verify(app: App, slug: str) -> dict[str, Any]:
    """Whether the declaration's records verify (chain, state, blobs): the result, or the first problem."""
    from drafting.errors import IntegrityError
    from flows.usecases.status import verify as check

    try:
        return check(app, slug)
    except IntegrityError as error:
        return {"ok": False, "problem": str(error)}


def bundle(app: App, slug: str) -> bytes | None:
    """The archive bundle the log's last seal vouches for (rebuilt from the log; None when it is not sealed)."""
    from drafting.archiving import zip_bytes
    from flows.usecases.archive import ARCHIVED, bundle_files

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        events = uow.log(declaration)
        if (
            not events
            or events[-1].type != ARCHIVED
            or not isinstance(events[-1].payload.get("files"), dict)
        ):
            return None
        return zip_bytes(bundle_files(uow, slug))


def history(app: App, slug: str) -> str:
    """The declaration's history page (the one in the bundle), its links to the portal's documents/ route
    (desk_pages.document)."""
    from flows.usecases.history import history as history_data
    from flows.usecases.history import history_html

    return history_html(history_data(app, slug), prefix="documents/")


def blame(app: App, slug: str) -> str:
    """Where each character of the current text comes from."""
    from flows.usecases.blame import blame as blame_of
    from flows.usecases.blame import blame_html, names

    with app.store.reading() as uow:
        title = uow.repo.declaration(slug).title
    return blame_html(blame_of(app, slug), title=title, names=names(app, slug))
