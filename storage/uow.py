"""The unit of work: one transaction per state change, retried when a concurrent writer took the same seq."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from drafting.events import DomainEvent
from drafting.negotiation import Declaration, Event
from storage import blobs, eventlog
from storage.accounts import Accounts
from storage.db import reading_engine
from storage.outbox import Outbox
from storage.repository import Repository, declaration_row
from storage.verify import VerifyReport, check_anchor, check_signatures, verify_declaration

T = TypeVar("T")

RETRIES = 50


@dataclass
class UnitOfWork:
    """What a use case sees inside its transaction: the repository, blobs and the event log."""

    session: Session
    repo: Repository
    events: list[Event] = field(default_factory=list)

    def put_blob(self, data: bytes, media_type: str = blobs.DOCX) -> str:
        """Store a document in this transaction and return its sha256."""
        return blobs.put_blob(self.session, data, media_type)

    @property
    def accounts(self) -> Accounts:
        """The portal's accounts, invitations, tokens, web sessions and security log, in this transaction."""
        return Accounts(self.session)

    @property
    def outbox(self) -> Outbox:
        """What is owed to parties after this transaction commits (see storage.outbox)."""
        return Outbox(self.session, self.repo)

    def blob(self, digest: str) -> bytes:
        """Read a stored document, checking its hash."""
        return blobs.get_blob(self.session, digest)

    def blobs(self, digests: list[str]) -> dict[str, bytes]:
        """Many stored documents at once (those present), unchecked: compare each with its sha256 before use."""
        return blobs.get_blobs(self.session, digests)

    def blob_digests(self) -> list[str]:
        """The sha256 of every stored document, sorted."""
        return blobs.all_digests(self.session)

    def stored_size(self) -> int:
        """The bytes of all stored documents together."""
        return blobs.stored_size(self.session)

    def log(self, declaration: Declaration, *, after: int = 0) -> list[Event]:
        """The declaration's events in order, optionally only those after a sequence number."""
        return eventlog.read_events(
            self.session, declaration_row(self.repo, declaration), after=after
        )

    def event_count(self, declaration: Declaration) -> int:
        """How many events the declaration has."""
        return eventlog.event_count(self.session, declaration_row(self.repo, declaration))

    def log_lines(self, declaration: Declaration) -> bytes:
        """The log as stored, one canonical JSON object per line (as a bundle carries it)."""
        return eventlog.event_lines(self.session, declaration_row(self.repo, declaration))

    def verify(
        self, declaration: Declaration, *, blobs: bool = True, state: bool = True
    ) -> VerifyReport:
        """Check the declaration's chain, versions, tables against the log and (unless told not to) every document."""
        return verify_declaration(
            self.session, declaration_row(self.repo, declaration), blobs=blobs, state=state
        )

    def check_signatures(self, declaration: Declaration, public_key: str) -> tuple[str | None, int]:
        """Every signed head in the log verifies against the public key: (the first problem or None, the last
        signed event's seq)."""
        return check_signatures(self.session, declaration_row(self.repo, declaration), public_key)

    def check_anchor(self, declaration: Declaration, seq: int, prefix: str) -> str | None:
        """What is wrong with the log against an anchor written down earlier, or None."""
        return check_anchor(self.session, declaration_row(self.repo, declaration), seq, prefix)

    def record(
        self, declaration: Declaration, event: DomainEvent, actor: str, occurred_at: str
    ) -> Event:
        """Append a domain event to the declaration's log in this transaction, with the state change it records."""
        self.repo.sync()
        return self._append(declaration, event.TYPE, actor, event.payload(), occurred_at)

    def append(
        self,
        declaration: Declaration,
        type: str,
        actor: str,
        payload: dict[str, Any],
        occurred_at: str,
    ) -> Event:
        """Append an event given as its type string and payload (the log's mechanics; use cases ``record``)."""
        return self._append(declaration, type, actor, payload, occurred_at)

    def append_as_recorded(self, declaration: Declaration, event: Event) -> Event:
        """Append a stored event as it was (replay of facts from outside, which accord cannot recompute)."""
        return self._append(declaration, event.type, event.actor, event.payload, event.occurred_at)

    def _append(
        self,
        declaration: Declaration,
        type: str,
        actor: str,
        payload: dict[str, Any],
        occurred_at: str,
    ) -> Event:
        event = eventlog.append_event(
            self.session,
            declaration_row(self.repo, declaration),
            type=type,
            actor=actor,
            payload=payload,
            occurred_at=occurred_at,
        )
        self.events.append(event)
        return event


class _Snapshot:
    """The readings opened inside one ``Store.snapshot()``: one per store, closed when it ends."""

    def __init__(self) -> None:
        self.readings: dict[Store, UnitOfWork] = {}
        self.exits = ExitStack()


_SNAPSHOT: ContextVar[_Snapshot | None] = ContextVar("accord_snapshot", default=None)


class Store:
    """The database: run a function in one retried transaction, or read in one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = reading_engine(engine)

    def transaction(self, work: Callable[[UnitOfWork], T]) -> tuple[T, list[Event]]:
        """Run ``work`` in one transaction; retry on write conflicts; return its result and the events it appended."""
        for attempt in range(RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
                    uow = UnitOfWork(session, Repository(session))
                    result = work(uow)
                    uow.repo.sync()
                return result, uow.events
            except (sa_exc.IntegrityError, sa_exc.OperationalError) as error:
                if attempt == RETRIES - 1 or not _retryable(error):
                    raise
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work (rolled back at the end). Inside ``snapshot()`` every reading of this store
        is one and the same transaction."""
        shared = _SNAPSHOT.get()
        if shared is None:
            with self._read() as uow:
                yield uow
            return
        if self not in shared.readings:
            shared.readings[self] = shared.exits.enter_context(self._read())
        yield shared.readings[self]

    @staticmethod
    @contextmanager
    def snapshot() -> Iterator[None]:
        """Make the readings within (in this thread or task) one read transaction per store: a page reads one
        consistent state and begins once. Writes within are transactions of their own, which the snapshot does
        not see: for work that only reads (or writes nothing it reads back)."""
        if _SNAPSHOT.get() is not None:
            yield
            return
        shared = _Snapshot()
        token = _SNAPSHOT.set(shared)
        try:
            with shared.exits:
                yield
        finally:
            _SNAPSHOT.reset(token)

    @contextmanager
    def _read(self) -> Iterator[UnitOfWork]:
        with Session(self._reader, expire_on_commit=False) as session:
            yield UnitOfWork(session, Repository(session))
            session.rollback()


def _retryable(error: sa_exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return any(
        marker in text
        for marker in (
            "uq_events_declaration_seq",
            "events.declaration_id, events.seq",
            "database is locked",
            "could not serialize",
            "deadlock detected",
            "blobs_pkey",
            "unique constraint failed: blobs.sha256",
            "declarations_slug_key",  # two creations of one slug: the retry sees it exists and refuses in words
            "uq_outbox_sending_party",  # one share owed twice at once: the retry sees it owed
            "unique constraint failed: outbox.declaration_id, outbox.kind, outbox.key, outbox.party",
            "uq_totp_uses_account_step",  # one authenticator code, two sign-ins: the retry sees it spent
            "unique constraint failed: totp_uses.account_id, totp_uses.step",
        )
    )
