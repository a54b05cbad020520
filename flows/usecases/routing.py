"""Routing documents to parties: an outbox folder per party, an event, and mail when SMTP is configured.

Each use case here is idempotent: it may run twice (a trigger fires again, a scheduled run and a triggered run
meet, `accord tick` after `accord serve`), and the second run changes nothing and appends no event. Mail is
at-least-once: it goes out before its event is written, so a crash in between sends it again on the next run.
"""

from __future__ import annotations

import mimetypes
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from drafting.errors import NotFound, WrongState
from drafting.events import EVENTS
from drafting.negotiation import SECRETARIAT, Event, VersionState
from flows.bootstrap import App, SmtpSettings
from flows.usecases.common import change, declaration_dir, round_dir, write_file
from storage import UnitOfWork
from storage.schema import DeclarationRow

ROUTED_KINDS = ("compilation", "synopsis-html", "synopsis-json")
NO_SMTP, NO_EMAIL, MAILED = "outbox only (no SMTP settings)", "outbox only (no e-mail address)", "mailed"


@dataclass(frozen=True)
class Letter:
    """What one party receives: a note and files, copied to its outbox and mailed when possible."""

    party: str
    email: str | None
    subject: str
    body: str
    note: str  # file name of the body in the outbox
    files: tuple[tuple[str, bytes], ...] = ()


@dataclass
class Delivery:
    """The outcome of a routing use case (what the CLI and the flows report)."""

    event: str
    parties: dict[str, str] = field(default_factory=dict)  # party -> mailed | outbox only (...) | failed: ...
    files: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (already done, nothing to do)


def find_event(uow: UnitOfWork, declaration: DeclarationRow, type: str, **match: Any) -> Event | None:
    """The first event of a type whose payload has the given values, or None."""
    for event in uow.log(declaration):
        if event.type == type and all(event.payload.get(k) == v for k, v in match.items()):
            return event
    return None


def outbox(app: App, slug: str, party: str) -> Path:
    """The folder of documents waiting for one party."""
    return declaration_dir(app, slug) / "outbox" / party


def deliver(app: App, slug: str, letters: Iterable[Letter]) -> tuple[dict[str, str], list[str]]:
    """Copy each letter into its party's outbox and mail it when SMTP is configured; report per party.

    Once the server could not be reached at all, the remaining letters are not tried (60 parties behind a dead
    server would each wait out its timeouts); they stay in the outboxes and the report says why."""
    outcome: dict[str, str] = {}
    paths: list[str] = []
    unreachable = ""
    for letter in letters:
        folder = outbox(app, slug, letter.party)
        paths.append(str(write_file(folder / letter.note, letter.body.encode("utf-8"))))
        paths.extend(str(write_file(folder / name, data)) for name, data in letter.files)
        if unreachable:
            outcome[letter.party] = f"failed: not tried, the mail server was unreachable ({unreachable})"[:300]
            continue
        outcome[letter.party], down = _mail(app.settings.smtp, letter)
        if down:
            unreachable = outcome[letter.party].removeprefix("failed: ")
    return outcome, paths


def _mail(smtp: SmtpSettings | None, letter: Letter) -> tuple[str, bool]:
    """Send one letter, trying again after failures that may pass; the outcome, and whether the server is down."""
    if smtp is None:
        return NO_SMTP, False
    if not letter.email:
        return NO_EMAIL, False
    error: Exception | None = None
    for attempt in range(max(1, smtp.attempts)):
        if attempt:
            time.sleep(smtp.backoff * 2 ** (attempt - 1))
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=20) as client:
                client.send_message(message(smtp.sender, letter))
            return MAILED, False
        except smtplib.SMTPRecipientsRefused as refused:  # the address itself: trying again will not help
            error = refused
            break
        except smtplib.SMTPResponseException as refused:  # a reply: 4xx may pass, 5xx will not
            error = refused
            if refused.smtp_code >= 500:
                break
        except (OSError, smtplib.SMTPException) as failed:  # no conversation: unreachable, disconnected, timed out
            error = failed
    tries = f"{attempt + 1} attempts, " if attempt else ""
    # down: no conversation, or a server still answering "try later" (421, 451 ...) after every attempt
    permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
    down = not permanent and not isinstance(error, smtplib.SMTPRecipientsRefused)
    return f"failed: {tries}{type(error).__name__}: {error}"[:300], down


def message(sender: str, letter: Letter) -> EmailMessage:
    """The e-mail for a letter, its files attached."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, letter.email or "", letter.subject
    mail.set_content(letter.body)
    for name, data in letter.files:
        kind = (mimetypes.guess_type(name)[0] or "application/octet-stream").split("/", 1)
        mail.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return mail


def _record(app: App, slug: str, type: str, key: dict[str, Any], payload: dict[str, Any]) -> bool:
    """Append the routing event unless an equal one (same type and key) is already in the log."""

    def work(uow: UnitOfWork) -> bool:
        declaration = uow.repo.declaration(slug)
        if find_event(uow, declaration, type, **key) is not None:
            return False
        uow.record(declaration, EVENTS[type].from_payload({**key, **payload}), SECRETARIAT, app.now())
        return True

    return change(app, work)


def _done(app: App, slug: str, type: str, **key: Any) -> bool:
    with app.store.reading() as uow:
        return find_event(uow, uow.repo.declaration(slug), type, **key) is not None


def _file_name(slug: str, *parts: object) -> str:
    return "-".join([slug, *(str(p).replace(" ", "-") for p in parts)])


def _only(letters: list[Letter], parties: frozenset[str] | None) -> list[Letter]:
    return letters if parties is None else [letter for letter in letters if letter.party in parties]


def _resent(app: App, again: bool) -> dict[str, str]:
    """A sending again is an event of its own: its key carries when."""
    return {"resent": app.now()} if again else {}


# ---- a received submission: filed in the secretariat's inbox, acknowledged to its party


def file_submission(app: App, slug: str, submission: int) -> Delivery:
    """File a received submission in the round's inbox folder and acknowledge it to its party."""
    if _done(app, slug, "accord.submission.filed", submission=submission):
        return Delivery("accord.submission.filed", skipped=f"submission {submission} already filed")
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        row, number = _submission(uow, declaration, submission)
        party = uow.repo.party_by_id(row.party_id)
        data, code, filename = uow.blob(row.blob_sha256), party.code, row.filename
        body = (f"{declaration.title}\n\nReceived from {party.name} ({code}) for round {number}: {filename}\n"
                f"received {row.received_at}, sha256 {row.blob_sha256}"
                + ("\nThis file arrived after the deadline." if row.late else ""))
        letter = Letter(code, party.email, f"[{slug}] received: {filename}", body,
                        _file_name(slug, "round", number, "receipt", submission) + ".txt")
    inbox = write_file(round_dir(app, slug, number) / "inbox" / f"{code}-{submission}-{filename}", data)
    parties, paths = deliver(app, slug, [letter])
    _record(app, slug, "accord.submission.filed", {"submission": submission},
            {"round": number, "party": code, "inbox": inbox.name, "acknowledged": parties[code]})
    return Delivery("accord.submission.filed", parties, [str(inbox), *paths])


def _submission(uow: UnitOfWork, declaration: DeclarationRow, submission: int) -> tuple[Any, int]:
    for round_row in uow.repo.rounds(declaration):
        for row in uow.repo.submissions(round_row):
            if row.number == submission:
                return row, round_row.number
    raise NotFound(f"{declaration.slug!r} has no submission {submission}; see `accord status {declaration.slug}`")


# ---- a ready compilation: to each co-presidency


def route_compilation(app: App, slug: str, round_number: int = 0, *, again: bool = False,
                      only: frozenset[str] | None = None) -> Delivery:
    """Send a round's compilation and synopsis to both co-presidencies (round 0: the latest compiled round);
    ``again`` sends it once more (to ``only`` these parties, if given)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        number, version, files = _compilation(uow, declaration, round_number)
        chairs = _recipients(uow, declaration, roles=("co-presidency",))
        title = declaration.title
    if not again and _done(app, slug, "accord.version.routed", round=number):
        return Delivery("accord.version.routed", skipped=f"round {number} compilation already routed")
    named = tuple((_file_name(slug, "round", number, name), data) for name, data in files)
    body = (f"{title}\n\nThe compilation of round {number} on {version} is ready for your decisions.\n"
            f"Record them with: accord decide {slug} --party <CODE> <decisions.json | compilation.docx>\n")
    letters = [Letter(code, email, f"[{slug}] compilation of round {number} on {version}", body,
                      _file_name(slug, "round", number, "routing") + ".txt", named) for code, email in chairs]
    parties, paths = deliver(app, slug, _only(letters, only))
    _record(app, slug, "accord.version.routed", {"round": number} | _resent(app, again),
            {"version": version, "parties": parties, "files": [name for name, _ in named]})
    return Delivery("accord.version.routed", parties, paths)


def _compilation(uow: UnitOfWork, declaration: DeclarationRow, number: int) -> tuple[int, str, list[tuple[str, bytes]]]:
    rounds = [r for r in uow.repo.rounds(declaration)
              if number in (0, r.number) and not uow.repo.get_round(declaration, r).is_open]
    by_round = {a.round_id: a for a in uow.repo.artifacts(declaration, kind="compilation")}
    compiled = [r for r in rounds if r.id in by_round]
    if not compiled:
        which = f"round {number} has no compilation" if number else "no round has a compilation yet"
        raise WrongState(f"{declaration.slug!r}: {which}; close the round first (`accord round close {declaration.slug}`)")
    target = compiled[-1]
    artifacts = [a for a in uow.repo.artifacts(declaration) if a.round_id == target.id and a.kind in ROUTED_KINDS]
    files = [(a.name, uow.blob(a.blob_sha256)) for a in artifacts]
    return target.number, uow.repo.version_by_id(target.base_version_id).label, files


# ---- a circulated revision: to every party


def circulate_version(app: App, slug: str, label: str = "", *, again: bool = False,
                      only: frozenset[str] | None = None) -> Delivery:
    """Send a circulated version to every party (label '': the current version); ``again`` sends it once more
    (to ``only`` these parties, if given)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        version = uow.repo.version(declaration, label) if label else uow.repo.current_version(declaration)
        if uow.repo.get_version(declaration, version).state is VersionState.DRAFT:  # approved by one at most
            raise WrongState(f"{version.label} of {slug!r} is {version.state}; both co-presidencies approve it first")
        data, parties, title, label = uow.blob(version.blob_sha256), _recipients(uow, declaration), declaration.title, version.label
    if not again and _done(app, slug, "accord.version.distributed", version=label):
        return Delivery("accord.version.distributed", skipped=f"{label} already distributed")
    name = _file_name(slug, label) + ".docx"
    body = f"{title}\n\n{label} is circulated by the co-presidencies. The document is attached: {name}\n"
    letters = [Letter(code, email, f"[{slug}] {label} circulated", body,
                      _file_name(slug, label, "circulation") + ".txt", ((name, data),)) for code, email in parties]
    outcome, paths = deliver(app, slug, _only(letters, only))
    _record(app, slug, "accord.version.distributed", {"version": label} | _resent(app, again), {"parties": outcome})
    return Delivery("accord.version.distributed", outcome, paths)


def _recipients(uow: UnitOfWork, declaration: DeclarationRow,
                roles: tuple[str, ...] = ("delegation", "co-presidency")) -> list[tuple[str, str | None]]:
    """(code, e-mail) of the parties with those roles (read inside the unit of work: rows expire after it)."""
    return [(p.code, p.email) for p in uow.repo.parties(declaration) if p.role in roles]


# ---- a round opened: each party's stamped copy of the draft


def distribute_round(app: App, slug: str, round_number: int = 0, *, again: bool = False,
                     only: frozenset[str] | None = None) -> Delivery:
    """Send each party its own stamped copy of the round's draft (round 0: the latest), with what to do with it;
    ``again`` sends the copies once more (to ``only`` these parties, if given).

    The stamp (declaration, version, round, party in the document's custom properties) is how a returned file
    is recognised: the copy made for one party and submitted by another is flagged."""
    from drafting.documents import local_moment, stamp_for_parties
    from flows.usecases.times import local_time

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = uow.repo.round(declaration, round_number) if round_number else uow.repo.latest_round(declaration)
        if current is None or not uow.repo.get_round(declaration, current).is_open:
            shown = current.number if current else round_number or "-"
            return Delivery("accord.round.distributed", skipped=f"round {shown} of {slug} is not open")
        version = uow.repo.version_by_id(current.base_version_id)
        number, label, deadline, title, zone = (current.number, version.label, current.deadline, declaration.title,
                                                declaration.timezone)
        document, parties = uow.blob(version.blob_sha256), _recipients(uow, declaration)
        names = {p.code: p.name for p in uow.repo.parties(declaration)}
    if not again and _done(app, slug, "accord.round.distributed", round=number):
        return Delivery("accord.round.distributed", skipped=f"round {number} copies already sent")
    copies = stamp_for_parties(document, declaration=slug, version=label, round_number=number,
                               parties=[code for code, _ in parties], names=names,
                               returned_by=local_moment(deadline, zone) if deadline else None)
    until = local_time(deadline, zone) if deadline else "the close of the round"
    letters = []
    for code, email in parties:
        name = _file_name(slug, label, code) + ".docx"
        body = (f"{title}\n\nRound {number} is open on {label} until {until}. Your copy is attached: {name}\n\n"
                "Make your proposals in it with Track Changes on, add comments where you explain them, and return "
                "this file: every tracked change in it is taken as your delegation's proposal.\n")
        letters.append(Letter(code, email, f"[{slug}] round {number} on {label}: your copy", body,
                              _file_name(slug, "round", number, "copy") + ".txt", ((name, copies[code]),)))
    outcome, paths = deliver(app, slug, _only(letters, only))
    _record(app, slug, "accord.round.distributed", {"round": number} | _resent(app, again),
            {"version": label, "parties": outcome})
    return Delivery("accord.round.distributed", outcome, paths)


# ---- a reminder before a deadline, to the parties that have not submitted


def remind(app: App, slug: str, round_number: int = 0) -> Delivery:
    """Remind the delegations that have not submitted to the open round (round 0: the latest)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if current is None or not uow.repo.get_round(declaration, current).is_open \
                or round_number not in (0, current.number):
            return Delivery("accord.round.reminder-sent", skipped=f"round {round_number or '-'} of {slug} is not open")
        received = {s.party_id for s in uow.repo.submissions(current, current_only=True)}
        missing = [(p.code, p.email) for p in uow.repo.parties(declaration)
                   if p.role == "delegation" and p.id not in received]
        number, deadline, title, zone = current.number, current.deadline, declaration.title, declaration.timezone
    if deadline is not None and deadline <= app.now():
        return Delivery("accord.round.reminder-sent", skipped=f"round {number} of {slug}: the deadline has passed")
    if _done(app, slug, "accord.round.reminder-sent", round=number):
        return Delivery("accord.round.reminder-sent", skipped=f"round {number} reminder already sent")
    from flows.usecases.times import local_time

    when = local_time(deadline, zone) if deadline else "the close of the round"
    body = f"{title}\n\nRound {number} closes {when}. We have not yet received your comments.\n"
    letters = [Letter(code, email, f"[{slug}] round {number} closes {when}", body,
                      _file_name(slug, "round", number, "reminder") + ".txt") for code, email in missing]
    outcome, paths = deliver(app, slug, letters)
    _record(app, slug, "accord.round.reminder-sent", {"round": number}, {"deadline": deadline, "parties": outcome})
    return Delivery("accord.round.reminder-sent", outcome, paths)


def notify_all(app: App, slug: str, subject: str, body: str, note: str, files: tuple[tuple[str, bytes], ...] = ()) -> dict[str, str]:
    """Send the same letter to every party (used by the silence procedure)."""
    with app.store.reading() as uow:
        parties = _recipients(uow, uow.repo.declaration(slug))
    letters = [Letter(code, email, f"[{slug}] {subject}", body, note, files) for code, email in parties]
    return deliver(app, slug, letters)[0]


# ---- sending again what failed


# routing event -> the key that names what it sent, and how to send that again to some parties
_RESENDABLE: dict[str, tuple[str, Any]] = {
    "accord.round.distributed": ("round", lambda app, slug, key, only: distribute_round(
        app, slug, int(key), again=True, only=only)),
    "accord.version.routed": ("round", lambda app, slug, key, only: route_compilation(
        app, slug, int(key), again=True, only=only)),
    "accord.version.distributed": ("version", lambda app, slug, key, only: circulate_version(
        app, slug, str(key), again=True, only=only)),
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
            outcome = latest.setdefault((event.type, event.payload.get(_RESENDABLE[event.type][0])), {})
            outcome.update(event.payload.get("parties", {}))
    return {what: {party: how for party, how in outcome.items() if how.startswith("failed")}
            for what, outcome in latest.items() if any(how.startswith("failed") for how in outcome.values())}


def resend_failed(app: App, slug: str) -> list[Delivery]:
    """Send again, to the parties it failed for, everything whose latest sending failed (after mending the mail
    settings or a party's address); each sending again is an event of its own."""
    with app.store.reading() as uow:
        failed = failed_deliveries(uow.log(uow.repo.declaration(slug)))
    return [_RESENDABLE[kind][1](app, slug, key, frozenset(parties)) for (kind, key), parties in failed.items()]
