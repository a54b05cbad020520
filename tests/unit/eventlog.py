"""An event log in memory for unit tests: domain events with their times, numbered from 1, the secretariat acting."""

from __future__ import annotations

from drafting import events as ev
from drafting.negotiation import Event


def log(*events: tuple[ev.DomainEvent, str]) -> list[Event]:
    """The events as the log records them (no hash chain: nothing here verifies it)."""
    return [
        Event(
            declaration="d",
            seq=n,
            type=e.TYPE,
            actor="secretariat",
            payload=e.payload(),
            occurred_at=at,
            prev_hash="",
            hash="",
        )
        for n, (e, at) in enumerate(events, start=1)
    ]
