"""The silence procedure and agreement: a text circulated under silence is agreed unless a party objects in time.

States of a version: circulated -> silence -> agreed (expiry with no objection), or silence -> circulated again
(a party broke the silence). `accord agree` goes circulated -> agreed directly when nothing is bracketed.
The silence is bound to the sha256 of the version's text: the text agreed is the text circulated.
Times are stored in UTC and shown in the declaration's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from drafting import lifecycle
from drafting.distribution import recipients
from drafting.errors import (
    AccordError,
    Forbidden,
    IntegrityError,
    InvalidInput,
    NotFound,
    WrongState,
)
from drafting.negotiation import SECRETARIAT, Declaration, Role, SilenceState, VersionState
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import issue_stated_text, write_stated_texts
from flows.usecases.routing import NOTICE, notify_silence, silence_procedures
from flows.usecases.times import local_time, parse_moment
from storage import UnitOfWork

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
    # why the notice did not go to every party after the commit ('': it went)
    notice_owed: str = ""


def start_silence(app: App, slug: str, until: str, *, by: str | None = None) -> Silence:
    """Circulate the current version under silence until a time, bound to its text hash; its notice to every
    party is owed in the same transaction and sent after the commit (``notify_silence``). A notice not sent to
    every party stays owed (``notice_owed`` says why) and `accord tick` or `accord serve` finishes it."""
    view = change(app, lambda uow: _start(uow, app, slug, until, by))
    try:
        write_stated_texts(app, slug)
        notice = notify_silence(app, slug, view.silence)
    except (AccordError, OSError) as error:
        return replace(view, notice_owed=" ".join(str(error).split())[:300] or type(error).__name__)
    return replace(view, notified=notice.parties)


def _start(uow: UnitOfWork, app: App, slug: str, until: str, by: str | None) -> Silence:
    now, declaration = app.now(), uow.repo.declaration(slug)
    version, open_round = uow.repo.get_version(declaration), _open_round(uow, declaration)
    if (refusal := version.agreement_refusal(open_round)) is not None:  # before --until is read
        raise WrongState(f"{slug}: cannot start a silence procedure: {refusal}")
    when, number = parse_moment(until, now), uow.repo.next_silence_number(declaration)
    # what is circulated says "Agreed ad referendum" (None: a declaration from before symbols were recorded)
    document = issue_stated_text(uow, declaration, version.label, VersionState.SILENCE, now)
    silence, started = lifecycle.Silence.start(
        number, version, when, now, open_round, document=document
    )
    uow.repo.add_silence(declaration, silence)
    uow.record(declaration, started.acted_by(by), SECRETARIAT, now)
    _owe_notice(uow, declaration, number, now)
    return _view(silence, declaration)


def _owe_notice(uow: UnitOfWork, declaration: Declaration, number: int, now: str) -> None:
    """The notice is owed from this commit on: a crash or an error before it has gone leaves it owed."""
    parties = [p.code for p in recipients(uow.repo.parties(declaration))]
    uow.outbox.owe(declaration, NOTICE, {"silence": number}, parties, now)


def object_to(app: App, slug: str, *, party: str, reason: str, by: str | None = None) -> Silence:
    """A party objects: the silence is broken and the version is circulated again, not agreed."""
    if not reason.strip():
        raise InvalidInput("--reason is empty; say why the party objects (it goes into the record)")
    broken = change(app, lambda uow: _object(uow, app, slug, party, reason.strip(), by))
    publish_dashboard(app, slug)
    return broken


def _object(
    uow: UnitOfWork, app: App, slug: str, party: str, reason: str, by: str | None
) -> Silence:
    now, declaration = app.now(), uow.repo.declaration(slug)
    objector = _party(uow, declaration, party)
    version = uow.repo.get_version(declaration)
    silence = _latest(uow, declaration, version.label)
    if silence is None:
        raise WrongState(
            f"{slug}: objection by {party} not received: no silence procedure is running"
        )
    broken = silence.object(objector, reason, now, declaration.timezone, version)
    uow.record(declaration, broken.acted_by(by), objector, now)
    return _view(silence, declaration)


def expire(app: App, slug: str, silence: int = 0) -> Silence | None:
    """End a running silence whose time has come without objection (None when none is due)."""
    return change(app, lambda uow: _expire(uow, app, slug, silence))


def _expire(uow: UnitOfWork, app: App, slug: str, number: int) -> Silence | None:
    now, declaration = app.now(), uow.repo.declaration(slug)
    procedure = _find(uow, declaration, number)
    expired = procedure.expire(now) if procedure is not None else None
    if procedure is None or expired is None:
        return None
    _bound_version(uow, declaration, procedure)
    uow.record(declaration, expired, SECRETARIAT, now)
    return _view(procedure, declaration)


def adopt(app: App, slug: str, silence: int = 0) -> str | None:
    """Mark the version of an expired silence agreed (None when there is nothing to adopt)."""
    agreed = change(app, lambda uow: _adopt(uow, app, slug, silence))
    write_stated_texts(app, slug)
    return agreed


def _adopt(uow: UnitOfWork, app: App, slug: str, number: int) -> str | None:
    declaration = uow.repo.declaration(slug)
    procedure = _find(uow, declaration, number)
    if procedure is None or procedure.state is not SilenceState.EXPIRED:
        return None
    version, now = _bound_version(uow, declaration, procedure), app.now()
    adoptable = version.state is VersionState.SILENCE
    agreed = procedure.adopt(
        version, document=_agreed_text(uow, declaration, version, now, adoptable)
    )
    if agreed is None:
        return None
    uow.record(declaration, agreed, SECRETARIAT, now)
    return version.label


def end_silence(app: App, slug: str, silence: int = 0) -> str | None:
    """Expire a silence whose time has come and adopt its text; the label agreed, or None."""
    expire(app, slug, silence)
    return adopt(app, slug, silence)


def agree(app: App, slug: str, *, by: str | None = None) -> str:
    """Mark the current version agreed when no paragraph is bracketed; else refuse and list them."""
    agreed = change(app, lambda uow: _agree(uow, app, slug, by))
    write_stated_texts(app, slug)
    return agreed


def _agree(uow: UnitOfWork, app: App, slug: str, by: str | None) -> str:
    now, declaration = app.now(), uow.repo.declaration(slug)
    version, open_round = uow.repo.get_version(declaration), _open_round(uow, declaration)
    agreeable = (
        version.agreement_refusal(open_round) is None
    )  # else agree() says why, and nothing is written
    document = _agreed_text(uow, declaration, version, now, agreeable)
    uow.record(
        declaration, version.agree(open_round, document=document).acted_by(by), SECRETARIAT, now
    )
    return version.label


def _agreed_text(
    uow: UnitOfWork, declaration: Declaration, version: lifecycle.Version, now: str, agreeable: bool
) -> str | None:
    """The stated text of an agreed version, issued when it may be agreed (None: not, or no symbol recorded)."""
    if not agreeable:
        return None
    return issue_stated_text(uow, declaration, version.label, VersionState.AGREED, now)


def silences(app: App, slug: str) -> list[Silence]:
    """Every silence procedure of the declaration, oldest first, times shown in its zone."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        return [_view(silence, declaration) for silence in silence_procedures(uow, declaration)]


# ---- helpers


def _view(silence: lifecycle.Silence, declaration: Declaration) -> Silence:
    return Silence(
        silence.number,
        silence.version,
        silence.state.value,
        silence.until,
        local_time(silence.until, declaration.timezone),
        silence.text_sha256,
    )


def _party(uow: UnitOfWork, declaration: Declaration, code: str) -> str:
    try:
        party = uow.repo.party(declaration, code)
    except NotFound:
        party = None
    if party is None or party.role == Role.SECRETARIAT:
        raise Forbidden(
            f"{code!r} is not a party to {declaration.slug!r}; only its parties may object "
            f"(codes in `accord status {declaration.slug}`)"
        )
    return party.code


def _open_round(uow: UnitOfWork, declaration: Declaration) -> int | None:
    latest = uow.repo.latest_round(declaration)
    return latest.number if latest is not None and latest.is_open else None


def _latest(uow: UnitOfWork, declaration: Declaration, label: str) -> lifecycle.Silence | None:
    found = uow.repo.silences(uow.repo.version(declaration, label))
    return found[-1] if found else None


def _find(uow: UnitOfWork, declaration: Declaration, number: int) -> lifecycle.Silence | None:
    """The silence with that number (0: the latest of the current version) if it belongs to the declaration."""
    if not number:
        return _latest(uow, declaration, uow.repo.current_version(declaration).label)
    return next((s for s in silence_procedures(uow, declaration) if s.number == number), None)


def _bound_version(
    uow: UnitOfWork, declaration: Declaration, silence: lifecycle.Silence
) -> lifecycle.Version:
    version = uow.repo.get_version(declaration, uow.repo.version(declaration, silence.version))
    if version.text_sha256 != silence.text_sha256:
        raise IntegrityError(
            f"silence {silence.number}: {version.label}'s text hash changed since it was circulated; "
            "run `accord verify` and restore from the archive"
        )
    return version
