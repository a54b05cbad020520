"""The unit of work: one transaction per state change, retried when a concurrent writer took the same seq."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from drafting.negotiation import Event
from storage import blobs, eventlog
from storage.outbox import Outbox
from storage.repository import Repository
from storage.schema import DeclarationRow

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
    def outbox(self) -> Outbox:
        """What is owed to parties after this transaction commits (see storage.outbox)."""
        return Outbox(self.session)

    def blob(self, digest: str) -> bytes:
        """Read a stored document, checking its hash."""
        return blobs.get_blob(self.session, digest)

    def append(
        self, declaration: DeclarationRow, type: str, actor: str, payload: dict[str, Any], occurred_at: str
    ) -> Event:
        """Append an event to the declaration's log in this transaction."""
        event = eventlog.append_event(
            self.session, declaration, type=type, actor=actor, payload=payload, occurred_at=occurred_at
        )
        self.events.append(event)
        return event


class Store:
    """The database: run a function in one retried transaction, or read in one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def transaction(self, work: Callable[[UnitOfWork], T]) -> tuple[T, list[Event]]:
        """Run ``work`` in one transaction; retry on write conflicts; return its result and the events it appended."""
        for attempt in range(RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
                    uow = UnitOfWork(session, Repository(session))
                    result = work(uow)
                return result, uow.events
            except (sa_exc.IntegrityError, sa_exc.OperationalError) as error:
                if attempt == RETRIES - 1 or not _retryable(error):
                    raise
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work (rolled back at the end)."""
        with Session(self.engine, expire_on_commit=False) as session:
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
        )
    )
