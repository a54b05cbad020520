"""The silence procedure and agreement: a text circulated under silence is agreed unless a party objects in time.

States of a version: circulated -> silence -> agreed (expiry with no objection), or silence -> circulated again
(a party broke the silence). `accord agree` goes circulated -> agreed directly when nothing is bracketed.
The silence is bound to the sha256 of the version's text: the text agreed is the text circulated.
Times are stored in UTC and shown in the declaration's time zone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from drafting.canonical import canonical_json
from drafting.errors import Forbidden, IntegrityError, InvalidInput, NotFound, WrongState
from drafting.negotiation import SECRETARIAT
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.documents import issue_stated_text, write_stated_texts
from flows.usecases.times import local_time, parse_moment
from flows.usecases.routing import notify_all
from storage import UnitOfWork
from storage.schema import DeclarationRow, SilenceRow, VersionRow

# ---- pure rules (unit-tested without a database)


def bracketed(meta: str | dict[str, object]) -> list[tuple[str, str]]:
    """The (key, text) of each paragraph of a version still in brackets."""
    data = json.loads(meta) if isinstance(meta, str) else meta
    paragraphs = (data.get("text") or {}).get("paragraphs", []) if isinstance(data, dict) else []
    return [(p.get("key", str(i + 1)), p.get("text", "")) for i, p in enumerate(paragraphs) if p.get("status") == "bracketed"]


def describe_brackets(items: list[tuple[str, str]], limit: int = 8) -> str:
    """One line naming the bracketed paragraphs, e.g. "p003 'Affirm…', p007 '…'"."""
    shown = ", ".join(f"{key} {text[:40]!r}" for key, text in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def agreement_refusal(state: str, label: str, brackets: list[tuple[str, str]], open_round: int | None) -> str | None:
    """Why a version cannot be agreed (or put under silence) now, or None when it can."""
    if state == "agreed":
        return f"{label} is already agreed"
    if state == "silence":
        return f"{label} is under silence; it is agreed when the silence ends without objection"
    if state != "circulated":
        return f"{label} is {state}; both co-presidencies approve it first (`accord approve`)"
    if open_round is not None:
        return f"round {open_round} is open; close it first (`accord round close`)"
    if brackets:
        return f"{label} still has {len(brackets)} bracketed paragraph(s): {describe_brackets(brackets)}; resolve them in a new round"
    return None


def objection_refusal(state: str | None, until: str | None, now: str, zone: str) -> str | None:
    """Why an objection cannot be received now, or None when it breaks the silence."""
    if state is None or until is None:
        return "no silence procedure is running"
    if state == "broken":
        return "the silence is already broken"
    if state == "expired" or now >= until:
        return f"the silence ended {local_time(until, zone)}; an objection after that does not count"
    return None


# ---- use cases


@dataclass(frozen=True)
class Silence:
    """A silence procedure as the CLI and the flows report it."""

    silence: int
    version: str
    state: str
    until: str
    until_local: str
    text_sha256: str
    notified: dict[str, str] | None = None


def start_silence(app: App, slug: str, until: str) -> Silence:
    """Circulate the current version under silence until a time, bound to its text hash."""

    def work(uow: UnitOfWork) -> tuple[Silence, bytes, str]:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        version = uow.repo.current_version(declaration)
        refusal = agreement_refusal(version.state, version.label, bracketed(version.meta), _open_round(uow, declaration))
        if refusal:
            raise WrongState(f"{slug}: cannot start a silence procedure: {refusal}")
        when = parse_moment(until, now)
        row = uow.repo.add_silence(version_id=version.id, text_sha256=version.text_sha256, until=when,
                                   state="running", started_at=now)
        version.state = "silence"
        document = issue_stated_text(uow, declaration, version, now)  # what is circulated says "ad referendum"
        uow.append(declaration, "accord.silence.started", SECRETARIAT, {
            "silence": row.number, "version": version.label, "until": when, "text_sha256": version.text_sha256,
            "blob": version.blob_sha256, "document": document,
        }, now)
        return _view(row, version, declaration), uow.blob(document), declaration.title

    view, document, title = change(app, work)
    write_stated_texts(app, slug)
    name = f"{slug}-{view.version.replace(' ', '-')}.docx"
    body = (f"{title}\n\n{view.version} is circulated under silence until {view.until_local}.\n"
            f"Without objection by then it is agreed. Text sha256 {view.text_sha256}.\n"
            f"To object: accord object {slug} --party <CODE> --reason <TEXT>\n")
    notified = notify_all(app, slug, f"silence procedure on {view.version} until {view.until_local}", body,
                          f"{slug}-silence-{view.silence}.txt", ((name, document),))
    return replace(view, notified=notified)


def object_to(app: App, slug: str, *, party: str, reason: str) -> Silence:
    """A party objects: the silence is broken and the version is circulated again, not agreed."""
    if not reason.strip():
        raise InvalidInput("--reason is empty; say why the party objects (it goes into the record)")

    def work(uow: UnitOfWork) -> Silence:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        objector = _party(uow, declaration, party)
        version = uow.repo.current_version(declaration)
        row = _latest(uow, version)
        refusal = objection_refusal(row.state if row else None, row.until if row else None, now, declaration.timezone)
        if refusal or row is None:
            raise WrongState(f"{slug}: objection by {party} not received: {refusal}")
        row.state, row.ended_at = "broken", now
        row.objection = canonical_json({"party": objector, "reason": reason.strip()})
        version.state = "circulated"
        uow.append(declaration, "accord.silence.broken", objector, {
            "silence": row.number, "version": version.label, "party": objector, "reason": reason.strip(),
            "until": row.until,
        }, now)
        return _view(row, version, declaration)

    return change(app, work)


def expire(app: App, slug: str, silence: int = 0) -> Silence | None:
    """End a running silence whose time has come without objection (None when none is due)."""

    def work(uow: UnitOfWork) -> Silence | None:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        row = _find(uow, declaration, silence)
        if row is None or row.state != "running" or row.until > now:
            return None
        version = _bound_version(uow, row)
        row.state, row.ended_at = "expired", now
        uow.append(declaration, "accord.silence.expired", SECRETARIAT, {
            "silence": row.number, "version": version.label, "until": row.until, "text_sha256": row.text_sha256,
        }, now)
        return _view(row, version, declaration)

    return change(app, work)


def adopt(app: App, slug: str, silence: int = 0) -> str | None:
    """Mark the version of an expired silence agreed (None when there is nothing to adopt)."""

    def work(uow: UnitOfWork) -> str | None:
        declaration = uow.repo.declaration(slug)
        row = _find(uow, declaration, silence)
        if row is None or row.state != "expired":
            return None
        version = _bound_version(uow, row)
        if version.state != "silence":
            return None
        return _agree(uow, app, declaration, version, {"via": "silence", "silence": row.number})

    agreed = change(app, work)
    write_stated_texts(app, slug)
    return agreed


def end_silence(app: App, slug: str, silence: int = 0) -> str | None:
    """Expire a silence whose time has come and adopt its text; the label agreed, or None."""
    expire(app, slug, silence)
    return adopt(app, slug, silence)


def agree(app: App, slug: str) -> str:
    """Mark the current version agreed when no paragraph is bracketed; else refuse and list them."""

    def work(uow: UnitOfWork) -> str:
        declaration = uow.repo.declaration(slug)
        version = uow.repo.current_version(declaration)
        refusal = agreement_refusal(version.state, version.label, bracketed(version.meta), _open_round(uow, declaration))
        if refusal:
            raise WrongState(f"{slug}: not agreed: {refusal}")
        return _agree(uow, app, declaration, version, {"via": "agreement"})

    agreed = change(app, work)
    write_stated_texts(app, slug)
    return agreed


def silences(app: App, slug: str) -> list[Silence]:
    """Every silence procedure of the declaration, oldest first, times shown in its zone."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        return [_view(row, uow.repo.version_by_id(row.version_id), declaration) for row in _all(uow, declaration)]


# ---- helpers


def _agree(uow: UnitOfWork, app: App, declaration: DeclarationRow, version: VersionRow, how: dict[str, object]) -> str:
    now = app.now()
    version.state = "agreed"
    document = issue_stated_text(uow, declaration, version, now)
    uow.append(declaration, "accord.version.agreed", SECRETARIAT, {
        "version": version.label, "text_sha256": version.text_sha256, "blob": version.blob_sha256,
        "document": document, **how,
    }, now)
    return version.label


def _view(row: SilenceRow, version: VersionRow, declaration: DeclarationRow) -> Silence:
    return Silence(row.number, version.label, row.state, row.until, local_time(row.until, declaration.timezone),
                   row.text_sha256)


def _party(uow: UnitOfWork, declaration: DeclarationRow, code: str) -> str:
    try:
        party = uow.repo.party(declaration, code)
    except NotFound:
        party = None
    if party is None or party.role == "secretariat":
        raise Forbidden(f"{code!r} is not a party to {declaration.slug!r}; only its parties may object "
                        f"(codes in `accord status {declaration.slug}`)")
    return party.code


def _open_round(uow: UnitOfWork, declaration: DeclarationRow) -> int | None:
    latest = uow.repo.latest_round(declaration)
    return latest.number if latest is not None and latest.state == "open" else None


def _all(uow: UnitOfWork, declaration: DeclarationRow) -> list[SilenceRow]:
    rows = [s for v in uow.repo.versions(declaration) for s in uow.repo.silences(v)]
    return sorted(rows, key=lambda s: s.number)


def _latest(uow: UnitOfWork, version: VersionRow) -> SilenceRow | None:
    rows = uow.repo.silences(version)
    return rows[-1] if rows else None


def _find(uow: UnitOfWork, declaration: DeclarationRow, silence: int) -> SilenceRow | None:
    """The silence with that id (0: the latest of the current version) if it belongs to the declaration."""
    if not silence:
        return _latest(uow, uow.repo.current_version(declaration))
    return next((s for s in _all(uow, declaration) if s.number == silence), None)


def _bound_version(uow: UnitOfWork, row: SilenceRow) -> VersionRow:
    version = uow.repo.version_by_id(row.version_id)
    if version.text_sha256 != row.text_sha256:
        raise IntegrityError(f"silence {row.number}: {version.label}'s text hash changed since it was circulated; "
                             "run `accord verify` and restore from the archive")
    return version
