"""Sending letters to parties, owed until sent: the outbox folder per party, mail through the Mailer port, and
one row per party in the outbox table, settled as each party's letter goes.

A sending is owed before its first letter goes (a round's copies already in the transaction that opens it), and
each party's share is settled in its own transaction, so a crash or an error half-way leaves the rest owed:
`accord tick` and `accord serve` finish it (see ``flows.usecases.owed``), and a party already reached is not sent
to again. The one window left is between the mail server accepting a letter and its share being settled: a
crash exactly there sends that one party's letter twice, with one Message-ID (mail is at-least-once: a receiver
shows it once; the copy in its folder is the same file, written again). A letter sent again by `accord resend`
keeps its Message-ID too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from drafting.canonical import canonical_json, sha256_hex
from drafting.distribution import Letter
from drafting.errors import InvalidInput
from drafting.events import EVENTS
from drafting.negotiation import SECRETARIAT, Declaration, Event
from flows.adapters.files import confine
from flows.adapters.mail import MAILED, NO_SMTP, Mail, NoMailer
from flows.bootstrap import App
from flows.usecases.common import change, write_file
from storage import UnitOfWork
from storage.outbox import Owed

__all__ = [
    "MAILED",
    "NO_EMAIL",
    "NO_SMTP",
    "Delivery",
    "Letter",
    "again_key",
    "next_again",
    "body",
    "deliver",
    "find_event",
    "letter_identity",
    "outbox",
    "send",
]

NO_EMAIL = "outbox only (no e-mail address)"
NO_LONGER_DUE = "not sent: no longer due"

_MAIL = jinja2.Environment(
    loader=jinja2.PackageLoader("flows", "templates/mail"),
    autoescape=False,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


def body(template: str, **values: Any) -> str:
    """A mail body from its template in flows/templates/mail/ (plain text)."""
    return _MAIL.get_template(f"{template}.txt.j2").render(**values)


@dataclass
class Delivery:
    """The outcome of a routing use case (what the CLI and the flows report)."""

    event: str
    parties: dict[str, str] = field(
        default_factory=dict
    )  # party -> mailed | outbox only (...) | failed: ...
    files: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (already done, nothing to do)


def find_event(uow: UnitOfWork, declaration: Declaration, type: str, **match: Any) -> Event | None:
    """The first event of a type whose payload has the given values, or None."""
    for event in uow.log(declaration):
        if event.type == type and all(event.payload.get(k) == v for k, v in match.items()):
            return event
    return None


def outbox(app: App, slug: str, party: str) -> Path:
    """The folder of documents waiting for one party (a code that is not a plain name is refused)."""
    return app.files.path("declarations", slug, "outbox", party)


def send(
    app: App, slug: str, kind: str, key: dict[str, Any], letters: list[Letter]
) -> tuple[dict[str, str], list[str]]:
    """Owe each letter's party this sending, send every share still owed, and return how each share went.

    ``kind`` and ``key`` name the sending (the event recorded once it is done, and that event's key)."""
    parties = {letter.party for letter in letters}
    _transaction(app, lambda uow, d: uow.outbox.owe(d, kind, key, parties, app.now()), slug)
    owed = {share.party for share in _shares(app, slug, kind, key) if share.outcome is None}
    paths = deliver(
        app,
        slug,
        [letter for letter in letters if letter.party in owed],
        settle=lambda party, outcome: _settle(app, slug, kind, key, party, outcome),
        sending=letter_identity(slug, kind, key),
    )
    for party in owed - parties:  # owed earlier, no longer due (e.g. it submitted)
        _settle(app, slug, kind, key, party, NO_LONGER_DUE)
    return {s.party: s.outcome for s in _shares(app, slug, kind, key) if s.outcome}, paths


def letter_identity(slug: str, kind: str, key: dict[str, Any]) -> str:
    """What a sending is, for its letters' Message-IDs: a sending again (``resent`` in its key: `accord resend`, or
    tick finishing one) sends the same letters, so they carry the same Message-ID as the first attempt. A letter
    the server took although accord noted a failure (a timeout after the data went) is then shown once."""
    return canonical_json({"declaration": slug, "event": kind, "key": _first(key)})


def again_key(app: App, slug: str, kind: str, key: dict[str, Any]) -> dict[str, Any]:
    """The key of one more sending again of ``kind``/``key``: which one it is ("1", "2", ...: one more than those
    the outbox holds), so each `accord resend` is a sending of its own whatever the clock reads, and the same
    history gives the same keys (older ones carry when they were sent: distinct from these)."""
    with app.store.reading() as uow:
        return next_again(uow.outbox.of_kind(uow.repo.declaration(slug), kind), key)


def next_again(shares: Iterable[Owed], key: dict[str, Any]) -> dict[str, Any]:
    """The key of one more sending again of ``key``, given every share of its kind the outbox holds."""
    earlier = {canonical_json(s.key) for s in shares if "resent" in s.key and _first(s.key) == key}
    return key | {"resent": str(len(earlier) + 1)}


def _first(key: dict[str, Any]) -> dict[str, Any]:
    """The key of the first sending that a sending again repeats."""
    return {k: v for k, v in key.items() if k != "resent"}


def deliver(
    app: App,
    slug: str,
    letters: Iterable[Letter],
    settle: Callable[[str, str], None] | None = None,
    sending: str = "",
) -> list[str]:
    """Copy each letter into its party's outbox and mail it; ``settle(party, outcome)`` as each one goes.

    ``sending`` names what is sent: a letter sent again after a crash carries the same Message-ID, so a mail
    client shows it once.
    Once the server could not be reached at all, the remaining letters are not tried (60 parties behind a dead
    server would each wait out its timeouts); they stay in the outboxes and the outcome says why.
    """
    paths: list[str] = []
    unreachable = ""
    for letter in letters:
        try:
            paths.extend(_copy(app, slug, letter))
        except (
            InvalidInput
        ) as refused:  # a party code or file name that would write outside the home
            outcome = f"failed: {refused}"[:300]
        else:
            outcome, unreachable = _mail(app, letter, unreachable, sending)
        if settle is not None:
            settle(letter.party, outcome)
    return paths


def _copy(app: App, slug: str, letter: Letter) -> list[str]:
    """Write the letter and its files into the party's outbox folder."""
    folder = outbox(app, slug, letter.party)
    written = [write_file(app, confine(folder, letter.note), letter.body.encode("utf-8"))]
    written += [write_file(app, confine(folder, name), data) for name, data in letter.files]
    return [str(path) for path in written]


def _mail(app: App, letter: Letter, unreachable: str, sending: str) -> tuple[str, str]:
    """How mailing one letter went, and why the server is unreachable if it seems to be ('' if not)."""
    mailer = app.mailer
    if not letter.email:
        return (NO_SMTP if isinstance(mailer, NoMailer) else NO_EMAIL), unreachable
    if unreachable:
        return f"failed: not tried, the mail server was unreachable ({unreachable})"[
            :300
        ], unreachable
    ident = f"{sha256_hex(f'{sending}|{letter.party}'.encode())[:40]}@accord" if sending else ""
    sent = mailer.send(
        Mail(letter.email, letter.subject, letter.body, letter.files, message_id=ident)
    )
    return sent.outcome, sent.outcome.removeprefix("failed: ") if sent.server_down else ""


def record(app: App, slug: str, type: str, key: dict[str, Any], payload: dict[str, Any]) -> bool:
    """Append the routing event unless an equal one (same type and key) is already in the log."""

    def work(uow: UnitOfWork) -> bool:
        declaration = uow.repo.declaration(slug)
        if find_event(uow, declaration, type, **key) is not None:
            return False
        uow.record(
            declaration, EVENTS[type].from_payload({**key, **payload}), SECRETARIAT, app.now()
        )
        return True

    return change(app, work)


def done(app: App, slug: str, type: str, **key: Any) -> bool:
    """Whether the routing event with this key is already in the log."""
    with app.store.reading() as uow:
        return find_event(uow, uow.repo.declaration(slug), type, **key) is not None


def _shares(app: App, slug: str, kind: str, key: dict[str, Any]) -> list[Owed]:
    with app.store.reading() as uow:
        return uow.outbox.sending(uow.repo.declaration(slug), kind, key)


def _settle(app: App, slug: str, kind: str, key: dict[str, Any], party: str, outcome: str) -> None:
    _transaction(
        app, lambda uow, d: uow.outbox.settle(d, kind, key, party, outcome, app.now()), slug
    )


def _transaction(app: App, work: Callable[[UnitOfWork, Declaration], object], slug: str) -> None:
    app.store.transaction(lambda uow: work(uow, uow.repo.declaration(slug)))
