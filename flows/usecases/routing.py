"""Routing documents to parties: an outbox folder per party, mail through the Mailer port, an event.

Each use case here is idempotent: it may run twice (a trigger fires again, a scheduled run and a triggered run
meet, `accord tick` after `accord serve`), and the second run changes nothing and appends no event. What each
one sends is owed party by party until it has gone (``flows.usecases.delivery``): a run that dies half-way is
finished by the next, without sending again to the parties already reached.
"""

from __future__ import annotations

from typing import Any

from drafting.errors import NotFound, WrongState
from drafting.events import (
    ReminderSent,
    RoundDistributed,
    SubmissionFiled,
    VersionDistributed,
    VersionRouted,
)
from drafting.negotiation import Declaration, Event, VersionState
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import round_dir, write_file
from flows.usecases.delivery import (
    MAILED,
    NO_EMAIL,
    NO_SMTP,
    Delivery,
    Letter,
    body,
    done,
    find_event,
    letter_identity,
    outbox,
    record,
    send,
)
from storage import UnitOfWork

__all__ = [
    "MAILED",
    "NO_EMAIL",
    "NO_SMTP",
    "RECIPIENTS",
    "Delivery",
    "Letter",
    "circulate_version",
    "distribute_round",
    "failed_deliveries",
    "file_submission",
    "find_event",
    "letter_identity",
    "notify_all",
    "outbox",
    "remind",
    "resend_failed",
    "route_compilation",
]

ROUTED_KINDS = ("compilation", "synopsis-html", "synopsis-json")
# the events that close a sending, by their recorded type (the outbox and the log key them so)
DISTRIBUTED, ROUTED, CIRCULATED = RoundDistributed.TYPE, VersionRouted.TYPE, VersionDistributed.TYPE
FILED, REMINDED = SubmissionFiled.TYPE, ReminderSent.TYPE


def _file_name(slug: str, *parts: object) -> str:
    return "-".join([slug, *(str(p).replace(" ", "-") for p in parts)])


def _only(letters: list[Letter], parties: frozenset[str] | None) -> list[Letter]:
    return letters if parties is None else [letter for letter in letters if letter.party in parties]


def _key(app: App, key: dict[str, Any], again: bool, resent: str) -> dict[str, Any]:
    """A sending again is an event of its own: its key carries when (given when finishing an owed one)."""
    return key | ({"resent": resent or app.now()} if again else {})


# ---- a received submission: filed in the secretariat's inbox, acknowledged to its party


def file_submission(app: App, slug: str, submission: int) -> Delivery:
    """File a received submission in the round's inbox folder and acknowledge it to its party."""
    if done(app, slug, FILED, submission=submission):
        return Delivery(FILED, skipped=f"submission {submission} already filed")
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        row, number = _submission(uow, declaration, submission)
        party = uow.repo.party(declaration, row.party)
        data, code, filename = uow.blob(row.blob_sha256), party.code, row.filename
        text = body(
            "receipt",
            title=declaration.title,
            party_name=party.name,
            code=code,
            round=number,
            filename=filename,
            received_at=row.received_at,
            sha256=row.blob_sha256,
            late=row.late,
        )
        letter = Letter(
            code,
            party.email,
            f"[{slug}] received: {filename}",
            text,
            _file_name(slug, "round", number, "receipt", submission) + ".txt",
        )
    inbox = write_file(
        app, confine(round_dir(app, slug, number), "inbox", f"{code}-{submission}-{filename}"), data
    )
    parties, paths = send(app, slug, FILED, {"submission": submission}, [letter])
    record(
        app,
        slug,
        FILED,
        {"submission": submission},
        {"round": number, "party": code, "inbox": inbox.name, "acknowledged": parties[code]},
    )
    return Delivery(FILED, parties, [str(inbox), *paths])


def _submission(uow: UnitOfWork, declaration: Declaration, submission: int) -> tuple[Any, int]:
    for round_ in uow.repo.rounds(declaration):
        for row in uow.repo.submissions(round_):
            if row.id == submission:
                return row, round_.number
    raise NotFound(
        f"{declaration.slug!r} has no submission {submission}; see `accord status {declaration.slug}`"
    )


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
        chairs = _recipients(uow, declaration, roles=("co-presidency",))
        title = declaration.title
    if not again and done(app, slug, ROUTED, round=number):
        return Delivery(ROUTED, skipped=f"round {number} compilation already routed")
    named = tuple((_file_name(slug, "round", number, name), data) for name, data in files)
    text = body(
        "compilation",
        title=title,
        round=number,
        version=version,
        slug=slug,
        portal=app.settings.portal_url,
    )
    letters = [
        Letter(
            code,
            email,
            f"[{slug}] compilation of round {number} on {version}",
            text,
            _file_name(slug, "round", number, "routing") + ".txt",
            named,
        )
        for code, email in chairs
    ]
    key = _key(app, {"round": number}, again, resent)
    parties, paths = send(app, slug, ROUTED, key, _only(letters, only))
    record(
        app,
        slug,
        ROUTED,
        key,
        {"version": version, "parties": parties, "files": [name for name, _ in named]},
    )
    return Delivery(ROUTED, parties, paths)


def _compilation(
    uow: UnitOfWork, declaration: Declaration, number: int
) -> tuple[int, str, list[tuple[str, bytes]]]:
    rounds = [r for r in uow.repo.rounds(declaration) if number in (0, r.number) and not r.is_open]
    by_round = {a.round: a for a in uow.repo.artifacts(declaration, kind="compilation")}
    compiled = [r for r in rounds if r.number in by_round]
    if not compiled:
        which = f"round {number} has no compilation" if number else "no round has a compilation yet"
        raise WrongState(
            f"{declaration.slug!r}: {which}; close the round first (`accord round close {declaration.slug}`)"
        )
    target = compiled[-1]
    artifacts = [
        a
        for a in uow.repo.artifacts(declaration)
        if a.round == target.number and a.kind in ROUTED_KINDS
    ]
    files = [(a.name, uow.blob(a.blob_sha256)) for a in artifacts]
    return target.number, uow.repo.version(declaration, target.base_version).label, files


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
        version = (
            uow.repo.version(declaration, label) if label else uow.repo.current_version(declaration)
        )
        if (
            uow.repo.get_version(declaration, version).state is VersionState.DRAFT
        ):  # approved by one at most
            raise WrongState(
                f"{version.label} of {slug!r} is {version.state}; both co-presidencies approve it first"
            )
        data, parties, title, label = (
            uow.blob(version.blob_sha256),
            _recipients(uow, declaration),
            declaration.title,
            version.label,
        )
    if not again and done(app, slug, CIRCULATED, version=label):
        return Delivery(CIRCULATED, skipped=f"{label} already distributed")
    name = _file_name(slug, label) + ".docx"
    text = body("circulation", title=title, version=label, name=name)
    letters = [
        Letter(
            code,
            email,
            f"[{slug}] {label} circulated",
            text,
            _file_name(slug, label, "circulation") + ".txt",
            ((name, data),),
        )
        for code, email in parties
    ]
    key = _key(app, {"version": label}, again, resent)
    outcome, paths = send(app, slug, CIRCULATED, key, _only(letters, only))
    record(app, slug, CIRCULATED, key, {"parties": outcome})
    return Delivery(CIRCULATED, outcome, paths)


RECIPIENTS = ("delegation", "co-presidency")  # who receives what is sent to every party


def _recipients(
    uow: UnitOfWork,
    declaration: Declaration,
    roles: tuple[str, ...] = RECIPIENTS,
) -> list[tuple[str, str | None]]:
    """(code, e-mail) of the parties with those roles (read inside the unit of work: rows expire after it)."""
    return [(p.code, p.email) for p in uow.repo.parties(declaration) if p.role in roles]


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
    from drafting.documents import local_moment, stamp_for_parties
    from flows.usecases.times import local_time

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = (
            uow.repo.round(declaration, round_number)
            if round_number
            else uow.repo.latest_round(declaration)
        )
        if current is None or not current.is_open:
            shown = current.number if current else round_number or "-"
            return Delivery(DISTRIBUTED, skipped=f"round {shown} of {slug} is not open")
        version = uow.repo.version(declaration, current.base_version)
        number, label, deadline, title, zone = (
            current.number,
            version.label,
            current.deadline,
            declaration.title,
            declaration.timezone,
        )
        parties = _recipients(uow, declaration)
        first = declaration.first_language
        documents = {
            first: uow.blob(version.blob_sha256)
        } | {  # each language's text (one: the version's)
            lang: uow.blob(t.blob) for lang, t in version.content.translations.items()
        }
        spoken = {p.code: p.language or first for p in uow.repo.parties(declaration)}
        names = {p.code: p.name for p in uow.repo.parties(declaration)}
    if not again and done(app, slug, DISTRIBUTED, round=number):
        return Delivery(DISTRIBUTED, skipped=f"round {number} copies already sent")
    copies: dict[str, bytes] = {}
    for lang, document in documents.items():  # each party's copy is of the text in its language
        copies |= stamp_for_parties(
            document,
            declaration=slug,
            version=label,
            round_number=number,
            parties=[code for code, _ in parties if spoken[code] == lang],
            names=names,
            returned_by=local_moment(deadline, zone) if deadline else None,
        )
    until = local_time(deadline, zone) if deadline else "the close of the round"
    letters = []
    for code, email in parties:
        name = (
            _file_name(slug, label, code)
            + ("" if spoken[code] == first else f".{spoken[code]}")
            + ".docx"
        )
        text = body(
            "round-copy",
            title=title,
            round=number,
            version=label,
            until=until,
            name=name,
            slug=slug,
            portal=app.settings.portal_url,
        )
        letters.append(
            Letter(
                code,
                email,
                f"[{slug}] round {number} on {label}: your copy",
                text,
                _file_name(slug, "round", number, "copy") + ".txt",
                ((name, copies[code]),),
            )
        )
    key = _key(app, {"round": number}, again, resent)
    outcome, paths = send(app, slug, DISTRIBUTED, key, _only(letters, only))
    record(app, slug, DISTRIBUTED, key, {"version": label, "parties": outcome})
    return Delivery(DISTRIBUTED, outcome, paths)


# ---- a reminder before a deadline, to the parties that have not submitted


def remind(app: App, slug: str, round_number: int = 0, *, by: str | None = None) -> Delivery:
    """Remind the delegations that have not submitted to the open round (round 0: the latest); ``by``: the
    account that sent them through the portal (None: the CLI or the deadline's timer)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if current is None or not current.is_open or round_number not in (0, current.number):
            return Delivery(REMINDED, skipped=f"round {round_number or '-'} of {slug} is not open")
        received = {s.party for s in uow.repo.submissions(current, current_only=True)}
        missing = [
            (p.code, p.email)
            for p in uow.repo.parties(declaration)
            if p.role == "delegation" and p.code not in received
        ]
        number, deadline, title, zone = (
            current.number,
            current.deadline,
            declaration.title,
            declaration.timezone,
        )
    if deadline is not None and deadline <= app.now():
        return Delivery(REMINDED, skipped=f"round {number} of {slug}: the deadline has passed")
    if done(app, slug, REMINDED, round=number):
        return Delivery(REMINDED, skipped=f"round {number} reminder already sent")
    from flows.usecases.times import local_time

    when = local_time(deadline, zone) if deadline else "the close of the round"
    text = body(
        "reminder", title=title, round=number, when=when, slug=slug, portal=app.settings.portal_url
    )
    letters = [
        Letter(
            code,
            email,
            f"[{slug}] round {number} closes {when}",
            text,
            _file_name(slug, "round", number, "reminder") + ".txt",
        )
        for code, email in missing
    ]
    outcome, paths = send(app, slug, REMINDED, {"round": number}, letters)
    sent = {"deadline": deadline, "parties": outcome} | ({"by": by} if by else {})
    record(app, slug, REMINDED, {"round": number}, sent)
    return Delivery(REMINDED, outcome, paths)


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
    """Send the same letter to every party (the silence procedure's notice) as the sending ``kind``/``key`` of
    the outbox: only to the parties it is still owed to, each settled as it goes; no event closes it."""
    with app.store.reading() as uow:
        parties = _recipients(uow, uow.repo.declaration(slug))
    letters = [
        Letter(code, email, f"[{slug}] {subject}", body, note, files) for code, email in parties
    ]
    outcome, paths = send(app, slug, kind, key, letters)
    return Delivery(kind, outcome, paths)


# ---- sending again what failed


# routing event -> the key that names what it sent, and how to send that again to some parties
_RESENDABLE: dict[str, tuple[str, Any]] = {
    DISTRIBUTED: (
        "round",
        lambda app, slug, key, only: distribute_round(app, slug, int(key), again=True, only=only),
    ),
    ROUTED: (
        "round",
        lambda app, slug, key, only: route_compilation(app, slug, int(key), again=True, only=only),
    ),
    CIRCULATED: (
        "version",
        lambda app, slug, key, only: circulate_version(app, slug, str(key), again=True, only=only),
    ),
}


def failed_deliveries(events: list[Event]) -> dict[tuple[str, object], dict[str, str]]:
    """For each thing routed (a round's copies, a compilation, a circulation): the parties whose latest sending
    failed, with the reason. A later success for a party clears its failure; a closed round's copies are moot."""
    closed = {e.payload.get("round") for e in events if e.type == "accord.round.closed"}
    latest: dict[tuple[str, object], dict[str, str]] = {}
    for event in events:
        if event.type == "accord.round.distributed" and event.payload.get("round") in closed:
            continue
        if event.type in _RESENDABLE:
            outcome = latest.setdefault(
                (event.type, event.payload.get(_RESENDABLE[event.type][0])), {}
            )
            outcome.update(event.payload.get("parties", {}))
    return {
        what: {party: how for party, how in outcome.items() if how.startswith("failed")}
        for what, outcome in latest.items()
        if any(how.startswith("failed") for how in outcome.values())
    }


def resend_failed(app: App, slug: str) -> list[Delivery]:
    """Send again, to the parties it failed for, everything whose latest sending failed (after mending the mail
    settings or a party's address); each sending again is an event of its own."""
    with app.store.reading() as uow:
        failed = failed_deliveries(uow.log(uow.repo.declaration(slug)))
    return [
        _RESENDABLE[kind][1](app, slug, key, frozenset(parties))
        for (kind, key), parties in failed.items()
    ]
