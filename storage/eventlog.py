"""The append-only, hash-chained event log: append and read, nothing else."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from drafting.canonical import GENESIS, canonical_json, event_hash
from drafting.negotiation import Event
from storage.schema import DeclarationRow, EventRow

# The two statements of every append, built once.
_LAST = (
    select(EventRow.seq, EventRow.hash)
    .where(EventRow.declaration_id == bindparam("declaration"))
    .order_by(EventRow.seq.desc())
    .limit(1)
)
_INSERT = insert(EventRow.metadata.tables[EventRow.__tablename__])


def append_event(
    session: Session,
    declaration: DeclarationRow,
    *,
    type: str,
    actor: str,
    payload: dict[str, Any],
    occurred_at: str,
) -> Event:
    """Append one event after the declaration's last; a concurrent writer makes the commit fail and retry."""
    last = session.execute(_LAST, {"declaration": declaration.id}).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    body = canonical_json(payload)
    digest = event_hash(
        prev_hash=prev_hash,
        declaration=declaration.slug,
        seq=seq,
        type=type,
        actor=actor,
        payload=body,
        occurred_at=occurred_at,
    )
    event = Event(
        declaration=declaration.slug,
        seq=seq,
        type=type,
        actor=actor,
        payload=json.loads(body),
        occurred_at=occurred_at,
        prev_hash=prev_hash,
        hash=digest,
    )
    _insert(session, declaration.id, event, body)
    return event


def _insert(session: Session, declaration_id: int, event: Event, body: str) -> None:
    """Store ``event`` with its payload as the canonical text ``body`` that its hash covers."""
    session.execute(
        _INSERT,
        {
            "declaration_id": declaration_id,
            "seq": event.seq,
            "type": event.type,
            "actor": event.actor,
            "payload": body,
            "occurred_at": event.occurred_at,
            "prev_hash": event.prev_hash,
            "hash": event.hash,
        },
    )


def read_events(session: Session, declaration: DeclarationRow, *, after: int = 0) -> list[Event]:
    """The declaration's events in order, optionally only those after a sequence number."""
    rows = session.scalars(
        select(EventRow)
        .where(EventRow.declaration_id == declaration.id, EventRow.seq > after)
        .order_by(EventRow.seq)
    )
    return [to_event(row, declaration.slug) for row in rows]


def _line(slug: str, r: EventRow) -> str:
    """One stored event as a canonical JSON object (without its newline)."""
    return canonical_json(
        {
            "declaration": slug,
            "seq": r.seq,
            "type": r.type,
            "actor": r.actor,
            "occurred_at": r.occurred_at,
            "payload": json.loads(r.payload),
            "prev_hash": r.prev_hash,
            "hash": r.hash,
        }
    )


def event_lines(session: Session, declaration: DeclarationRow) -> bytes:
    """The log as stored, one canonical JSON object per line (the payload parsed from its canonical text)."""
    rows = session.scalars(
        select(EventRow).where(EventRow.declaration_id == declaration.id).order_by(EventRow.seq)
    )
    lines = [_line(declaration.slug, r) for r in rows]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def event_count(session: Session, declaration: DeclarationRow) -> int:
    """How many events the declaration has."""
    return (
        session.scalar(select(func.count()).where(EventRow.declaration_id == declaration.id)) or 0
    )


def to_event(row: EventRow, slug: str) -> Event:
    """Map a row to the domain value; a payload that is not JSON is kept as raw text for verify to flag."""
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {"_unparseable": row.payload}
    return Event(
        declaration=slug,
        seq=row.seq,
        type=row.type,
        actor=row.actor,
        payload=payload,
        occurred_at=row.occurred_at,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
