"""Routing documents to parties: an outbox folder per party, mail through the Mailer port, an event.

Each use case here is idempotent: it may run twice (a trigger fires again, a scheduled run and a triggered run
meet, `accord tick` after `accord serve`), and the second run changes nothing and appends no event. What each
one sends is owed party by party until it has gone (``flows.usecases.delivery``): a run that dies half-way is
finished by the next, without sending again to the parties already reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from drafting import distribution
from drafting.distribution import (
    RECIPIENTS,
    RESENDABLE,
    Failed,
    Letter,
    RoundCopies,
    failed_deliveries,
    failed_notices,
    file_name,
    unlogged_again,
)
from drafting.errors import NotFound, WrongState
from drafting.events import (
    ReminderSent,
    RoundDistributed,
    SilenceStarted,
    SubmissionFiled,
    VersionDistributed,
    VersionRouted,
)
from drafting.lifecycle import Round, Silence
from drafting.moments import local_time
from drafting.negotiation import (
    Declaration,
    Event,
    Party,
    Role,
    SilenceState,
    Submission,
    Version,
    VersionState,
)
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import round_dir, write_file
from flows.usecases.delivery import (
    MAILED,
    NO_EMAIL,
    NO_SMTP,
    Delivery,
    again_key,
    body,
    done,
    find_event,
    letter_identity,
    next_again,
    outbox,
    record,
    send,
)
from storage import UnitOfWork
from storage.outbox import Owed

__all__ = [
    "MAILED",
    "NOTICE",
    "NO_EMAIL",
    "NO_SMTP",
    "RECIPIENTS",
    "Delivery",
    "Letter",
    "circulate_version",
    "distribute_round",
    "failed_deliveries",
    "failed_mail",
    "file_submission",
    "find_event",
    "letter_identity",
    "notify_all",
    "notify_silence",
    "outbox",
    "remind",
    "resend_failed",
    "route_compilation",
]

ROUTED_KINDS = ("compilation", "synopsis-html", "synopsis-json")
# the events that close a sending, by their recorded type (the outbox and the log key them so)
DISTRIBUTED, ROUTED, CIRCULATED = RoundDistributed.TYPE, VersionRouted.TYPE, VersionDistributed.TYPE
FILED, REMINDED = SubmissionFiled.TYPE, ReminderSent.TYPE
# The outbox's name for a silence's notice: the event whose notice it is (no event closes a notice; its parties'
# settled shares are its record, as the notice was never logged).
NOTICE = SilenceStarted.TYPE

Outcome = dict[str, str]  # party -> mailed | outbox only (...) | failed: ...


def _key(
    app: App, slug: str, kind: str, key: dict[str, Any], again: bool, resent: str
) -> dict[str, Any]:
    """A sending again is a sending of its own: its key carries which one (``resent``: given when finishing an owed
    one)."""
    if not again:
        return key
    return (key | {"resent": resent}) if resent else again_key(app, slug, kind, key)


def _dispatch(
    app: App,
    slug: str,
    kind: str,
    key: dict[str, Any],
    letters: list[Letter],
    payload: dict[str, Any],
    parties: Callable[[Outcome], dict[str, Any]] = lambda outcome: {"parties": outcome},
) -> Delivery:
    """Send the letters as the sending ``kind``/``key``, then record its event: ``payload`` and how each party's
    letter went (``parties``: in which field)."""
    outcome, paths = send(app, slug, kind, key, letters)
    record(app, slug, kind, key, payload | parties(outcome))
    return Delivery(kind, outcome, paths)


# ---- a received submission: filed in the secretariat's inbox, acknowledged to its party


def file_submission(app: App, slug: str, submission: int) -> Delivery:
    """File a received submission in the round's inbox folder and acknowledge it to its party."""
    if done(app, slug, FILED, submission=submission):
        return Delivery(FILED, skipped=f"submission {submission} already filed")
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        received, number = _submission(uow, declaration, submission)
        party, data = uow.repo.party(declaration, received.party), uow.blob(received.blob_sha256)
    name = f"{party.code}-{submission}-{received.filename}"
    inbox = write_file(app, confine(round_dir(app, slug, number), "inbox", name), data)
    filed = {"round": number, "party": party.code, "inbox": inbox.name}
    letters = [_receipt(app, declaration, party, received, number)]
    key = {"submission": submission}
    sent = _dispatch(
        app, slug, FILED, key, letters, filed, lambda outcome: {"acknowledged": outcome[party.code]}
    )
    return replace(sent, files=[str(inbox), *sent.files])


def _submission(
    uow: UnitOfWork, declaration: Declaration, submission: int
) -> tuple[Submission, int]:
    for round_ in uow.repo.rounds(declaration):
        for row in uow.repo.submissions(round_):
            if row.id == submission:
                return row, round_.number
    raise NotFound(
        f"{declaration.slug!r} has no submission {submission}; see `accord status {declaration.slug}`"
    )


def _receipt(
    app: App, declaration: Declaration, party: Party, received: Submission, number: int
) -> Letter:
    """The acknowledgement of a received file to its party."""
    text = body(
        "receipt",
        title=declaration.title,
        party_name=party.name,
        code=party.code,
        round=number,
        filename=received.filename,
        received_at=received.received_at,
        sha256=received.blob_sha256,
        late=received.late,
    )
    slug = declaration.slug
    note = file_name(slug, "round", number, "receipt", received.id) + ".txt"
    return Letter(party.code, party.email, f"[{slug}] received: {received.filename}", text, note)


# ---- a ready compilation: to each co-presidency


def route_compilation(
    app: App,
    slug: str,
    round_number: int = 0,
    *,
    again: bool = False,
    only: frozenset[str] | None = None,
    resent: str = "",
) -> Delivery:
    """Send a round's compilation and synopsis to both co-presidencies (round 0: the latest compiled round);
    ``again`` sends it once more (to ``only`` these parties, if given)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        number, version, files = _compilation(uow, declaration, round_number)
        chairs = distribution.recipients(uow.repo.parties(declaration), (Role.CO_PRESIDENCY.value,))
    if not again and done(app, slug, ROUTED, round=number):
        return Delivery(ROUTED, skipped=f"round {number} compilation already routed")
    named = tuple((file_name(slug, "round", number, name), data) for name, data in files)
    letters = _compilation_letters(app, declaration, number, version, named, chairs)
    routed = {"version": version, "files": [name for name, _ in named]}
    key = _key(app, slug, ROUTED, {"round": number}, again, resent)
    return _dispatch(app, slug, ROUTED, key, distribution.only(letters, only), routed)


def _compilation(
    uow: UnitOfWork, declaration: Declaration, number: int
) -> tuple[int, str, list[tuple[str, bytes]]]:
    """The compiled round (``number``, 0: the latest compiled), its draft's label and the files to route."""
    rounds = [r for r in uow.repo.rounds(declaration) if number in (0, r.number) and not r.is_open]
    compiled = {a.round for a in uow.repo.artifacts(declaration, kind="compilation")}
    target = next((r for r in reversed(rounds) if r.number in compiled), None)
    if target is None:
        which = f"round {number} has no compilation" if number else "no round has a compilation yet"
        raise WrongState(
            f"{declaration.slug!r}: {which}; close the round first (`accord round close {declaration.slug}`)"
        )
    artifacts = uow.repo.artifacts(declaration)
    files = [
        (a.name, uow.blob(a.blob_sha256))
        for a in artifacts
        if a.round == target.number and a.kind in ROUTED_KINDS
    ]
    return target.number, uow.repo.version(declaration, target.base_version).label, files


def _compilation_letters(
    app: App,
    declaration: Declaration,
    number: int,
    version: str,
    files: distribution.Files,
    chairs: list[Party],
) -> list[Letter]:
    slug = declaration.slug
    text = _round_body(app, "compilation", declaration, number, version=version)
    subject = f"[{slug}] compilation of round {number} on {version}"
    note = file_name(slug, "round", number, "routing") + ".txt"
    return distribution.letters(chairs, subject, text, note, files)


# ---- a circulated revision: to every party


def circulate_version(
    app: App,
    slug: str,
    label: str = "",
    *,
    again: bool = False,
    only: frozenset[str] | None = None,
    resent: str = "",
) -> Delivery:
    """Send a circulated version to every party (label '': the current version); ``again`` sends it once more
    (to ``only`` these parties, if given)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        version = _circulated(uow, declaration, label)
        data, parties = uow.blob(version.blob_sha256), uow.repo.parties(declaration)
    if not again and done(app, slug, CIRCULATED, version=version.label):
        return Delivery(CIRCULATED, skipped=f"{version.label} already distributed")
    letters = distribution.only(
        _circulation_letters(declaration, version.label, data, parties), only
    )
    key = _key(app, slug, CIRCULATED, {"version": version.label}, again, resent)
    return _dispatch(app, slug, CIRCULATED, key, letters, {})


def _circulated(uow: UnitOfWork, declaration: Declaration, label: str) -> Version:
    """The version ``label`` ('': the current one), refused while no more than one co-presidency approved it."""
    version = (
        uow.repo.version(declaration, label) if label else uow.repo.current_version(declaration)
    )
    if uow.repo.get_version(declaration, version).state is VersionState.DRAFT:
        raise WrongState(
            f"{version.label} of {declaration.slug!r} is {version.state}; both co-presidencies approve it first"
        )
    return version


def _circulation_letters(
    declaration: Declaration, label: str, data: bytes, parties: list[Party]
) -> list[Letter]:
    slug, name = declaration.slug, file_name(declaration.slug, label) + ".docx"
    text = body("circulation", title=declaration.title, version=label, name=name)
    note = file_name(slug, label, "circulation") + ".txt"
    subject = f"[{slug}] {label} circulated"
    return distribution.letters(
        distribution.recipients(parties), subject, text, note, ((name, data),)
    )


# ---- a round opened: each party's stamped copy of the draft


def distribute_round(
    app: App,
    slug: str,
    round_number: int = 0,
    *,
    again: bool = False,
    only: frozenset[str] | None = None,
    resent: str = "",
) -> Delivery:
    """Send each party its own stamped copy of the round's draft (round 0: the latest), with what to do with it;
    ``again`` sends the copies once more (to ``only`` these parties, if given).

    The stamp (declaration, version, round, party in the document's custom properties) is how a returned file
    is recognised: the copy made for one party and submitted by another is flagged."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = _round(uow, declaration, round_number)
        if current is None or not current.is_open:
            shown = current.number if current else round_number or "-"
            return Delivery(DISTRIBUTED, skipped=f"round {shown} of {slug} is not open")
        copies = _round_copies(uow, declaration, current)
    if not again and done(app, slug, DISTRIBUTED, round=current.number):
        return Delivery(DISTRIBUTED, skipped=f"round {current.number} copies already sent")
    letters = distribution.only(_copy_letters(app, copies), only)
    key = _key(app, slug, DISTRIBUTED, {"round": current.number}, again, resent)
    return _dispatch(app, slug, DISTRIBUTED, key, letters, {"version": copies.version})


def _round(uow: UnitOfWork, declaration: Declaration, number: int) -> Round | None:
    return uow.repo.round(declaration, number) if number else uow.repo.latest_round(declaration)


def _round_copies(uow: UnitOfWork, declaration: Declaration, current: Round) -> RoundCopies:
    """What the round's copies are made of: its draft in each language (one: the version's), its recipients."""
    version = uow.repo.version(declaration, current.base_version)
    translations = version.content.translations.items()
    documents = {declaration.first_language: uow.blob(version.blob_sha256)} | {
        language: uow.blob(translation.blob) for language, translation in translations
    }
    parties = distribution.recipients(uow.repo.parties(declaration))
    return RoundCopies(declaration, current, version.label, parties, documents)


def _copy_letters(app: App, copies: RoundCopies) -> list[Letter]:
    declaration, number, label = copies.declaration, copies.round.number, copies.version
    until = distribution.until(copies.round, declaration.timezone)

    def text(name: str) -> str:
        return _round_body(
            app, "round-copy", declaration, number, version=label, until=until, name=name
        )

    subject = f"[{declaration.slug}] round {number} on {label}: your copy"
    note = file_name(declaration.slug, "round", number, "copy") + ".txt"
    return copies.letters(subject, text, note)


def _round_body(
    app: App, template: str, declaration: Declaration, number: int, **values: Any
) -> str:
    """A letter about round ``number``: its template given the title, the round and the portal's address."""
    return body(
        template,
        title=declaration.title,
        round=number,
        slug=declaration.slug,
        portal=app.settings.portal_url,
        **values,
    )


# ---- a reminder before a deadline, to the parties that have not submitted


def remind(app: App, slug: str, round_number: int = 0, *, by: str | None = None) -> Delivery:
    """Remind the delegations that have not submitted to the open round (round 0: the latest); ``by``: the
    account that sent them through the portal (None: the CLI or the deadline's timer)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = distribution.if_open(uow.repo.latest_round(declaration), round_number)
        if current is None:
            return Delivery(REMINDED, skipped=f"round {round_number or '-'} of {slug} is not open")
        received = uow.repo.submissions(current, current_only=True)
        missing = distribution.not_submitted(uow.repo.parties(declaration), received)
    if why := _no_reminder(app, slug, current):
        return Delivery(REMINDED, skipped=why)
    reminded = {"deadline": current.deadline} | ({"by": by} if by else {})
    letters = _reminders(app, declaration, current, missing)
    return _dispatch(app, slug, REMINDED, {"round": current.number}, letters, reminded)


def _no_reminder(app: App, slug: str, current: Round) -> str:
    """Why no reminder goes for the open round ('': one goes)."""
    if current.deadline is not None and current.deadline <= app.now():
        return f"round {current.number} of {slug}: the deadline has passed"
    if done(app, slug, REMINDED, round=current.number):
        return f"round {current.number} reminder already sent"
    return ""


def _reminders(
    app: App, declaration: Declaration, current: Round, missing: list[Party]
) -> list[Letter]:
    slug, number = declaration.slug, current.number
    when = distribution.until(current, declaration.timezone)
    text = _round_body(app, "reminder", declaration, number, when=when)
    note = file_name(slug, "round", number, "reminder") + ".txt"
    return distribution.letters(missing, f"[{slug}] round {number} closes {when}", text, note)


# ---- a silence's notice, and the same letter to every party


def notify_silence(
    app: App,
    slug: str,
    silence: int,
    *,
    again: bool = False,
    only: frozenset[str] | None = None,
    resent: str = "",
) -> Delivery:
    """Send a silence's notice (the text circulated, until when, how to object) to every party it is still owed
    to: idempotent, a party already reached is not sent to again; nothing for a silence no longer running.
    ``again`` sends it once more (to ``only`` these parties, if given), as a sending of its own."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        started = _running(uow, declaration, silence)
        if started is None:
            return Delivery(NOTICE, skipped=f"silence {silence} of {slug} is not running")
        document, parties = (
            uow.blob(started.document or started.blob),
            uow.repo.parties(declaration),
        )
    letters = distribution.only(_notices(app, declaration, started, document, parties), only)
    outcome, paths = send(
        app, slug, NOTICE, _key(app, slug, NOTICE, {"silence": silence}, again, resent), letters
    )
    return Delivery(NOTICE, outcome, paths)


def silence_procedures(uow: UnitOfWork, declaration: Declaration) -> list[Silence]:
    """Every silence procedure of the declaration, oldest first."""
    found = (s for v in uow.repo.versions(declaration) for s in uow.repo.silences(v))
    return sorted(found, key=lambda s: s.number)


def _running(uow: UnitOfWork, declaration: Declaration, number: int) -> SilenceStarted | None:
    """How silence ``number`` started, while it runs (its notice is due then only)."""
    running = {
        s.number for s in silence_procedures(uow, declaration) if s.state is SilenceState.RUNNING
    }
    found = find_event(uow, declaration, NOTICE, silence=number)
    return SilenceStarted.from_payload(found.payload) if found and number in running else None


def _notices(
    app: App,
    declaration: Declaration,
    started: SilenceStarted,
    document: bytes,
    parties: list[Party],
) -> list[Letter]:
    slug, until = declaration.slug, local_time(started.until, declaration.timezone)
    text = body(
        "silence",
        title=declaration.title,
        version=started.version,
        until=until,
        text_sha256=started.text_sha256,
        portal=app.settings.portal_url,
        slug=slug,
    )
    subject = f"[{slug}] silence procedure on {started.version} until {until}"
    files = ((file_name(slug, started.version) + ".docx", document),)
    note = f"{slug}-silence-{started.silence}.txt"
    return distribution.letters(distribution.recipients(parties), subject, text, note, files)


def notify_all(
    app: App,
    slug: str,
    subject: str,
    body: str,
    note: str,
    files: tuple[tuple[str, bytes], ...] = (),
    *,
    kind: str,
    key: dict[str, Any],
) -> Delivery:
    """Send the same letter to every party as the sending ``kind``/``key`` of the outbox: only to the parties it is
    still owed to, each settled as it goes; no event closes it."""
    with app.store.reading() as uow:
        parties = distribution.recipients(uow.repo.parties(uow.repo.declaration(slug)))
    outcome, paths = send(
        app,
        slug,
        kind,
        key,
        distribution.letters(parties, f"[{slug}] {subject}", body, note, files),
    )
    return Delivery(kind, outcome, paths)


# ---- sending again what failed


_RESEND: dict[str, Callable[[App, str, Any, frozenset[str], str], Delivery]] = {
    DISTRIBUTED: lambda app, slug, key, only, resent: distribute_round(
        app, slug, int(key), again=True, only=only, resent=resent
    ),
    ROUTED: lambda app, slug, key, only, resent: route_compilation(
        app, slug, int(key), again=True, only=only, resent=resent
    ),
    CIRCULATED: lambda app, slug, key, only, resent: circulate_version(
        app, slug, str(key), again=True, only=only, resent=resent
    ),
    NOTICE: lambda app, slug, key, only, resent: notify_silence(
        app, slug, int(key), again=True, only=only, resent=resent
    ),
}
# what a failed sending's key names, in the key of its sending again (the outbox's and the event's)
_NAMED = {**RESENDABLE, NOTICE: "silence"}


def failed_mail(uow: UnitOfWork, declaration: Declaration) -> Failed:
    """Everything whose latest sending failed to some parties, with the reason for each: what was routed (a round's
    copies, a compilation, a circulation: from the outbox, and from the log what was sent before it) and the
    notices of the silences still running (from the outbox: no event records a notice). A share still owed (a
    sending cut short, which `accord tick` finishes) is pending, not failed: `accord resend` leaves it alone."""
    return _failed_in(uow, declaration, uow.log(declaration), _resendable(uow, declaration))


def _resendable(uow: UnitOfWork, declaration: Declaration) -> dict[str, list[Owed]]:
    """Every share of every sending `accord resend` may send again, by kind, in the order owed."""
    return {kind: uow.outbox.of_kind(declaration, kind) for kind in _NAMED}


def _failed_in(
    uow: UnitOfWork, declaration: Declaration, log: list[Event], shares: dict[str, list[Owed]]
) -> Failed:
    running = [
        s.number for s in silence_procedures(uow, declaration) if s.state is SilenceState.RUNNING
    ]
    notices = failed_notices(NOTICE, shares[NOTICE], running)
    return failed_deliveries(log, {kind: shares[kind] for kind in RESENDABLE}) | notices


def resend_failed(app: App, slug: str) -> list[Delivery]:
    """Send again, to the parties it failed for, everything whose latest sending failed (after mending the mail
    settings or a party's address); each sending again is a sending of its own (and, when routed, an event)."""
    claimed, _ = app.store.transaction(lambda uow: _claim_failed(uow, slug, app.now()))
    return [_RESEND[kind](app, slug, key, only, resent) for kind, key, only, resent in claimed]


def _claim_failed(
    uow: UnitOfWork, slug: str, now: str
) -> list[tuple[str, Any, frozenset[str], str]]:
    """What failed, each sending again owed to its parties under its number, in one transaction: a resend started
    meanwhile then finds these pending, not failed, and sends nothing twice (two at once both sent every letter)."""
    declaration = uow.repo.declaration(slug)
    # the log and the outbox read once, before owing anything
    log, shares = uow.log(declaration), _resendable(uow, declaration)
    # a sending again whose letters all went but whose event a crash kept out: logged now, to no party again
    routed = {kind: shares[kind] for kind in RESENDABLE}
    claimed = [
        (kind, key, frozenset[str](), resent) for kind, key, resent in unlogged_again(log, routed)
    ]
    for (kind, key), parties in _failed_in(uow, declaration, log, shares).items():
        again = next_again(shares[kind], {_NAMED[kind]: key})
        uow.outbox.owe(declaration, kind, again, parties, now)
        claimed.append((kind, key, frozenset(parties), again["resent"]))
    return claimed
