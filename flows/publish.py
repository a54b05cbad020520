"""Mirror accord's events to Prefect when a Prefect API is configured; accord's own log is written regardless."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Protocol

from drafting.negotiation import Event


class Publisher(Protocol):
    def publish(self, events: Iterable[Event]) -> None: ...


class NullPublisher:
    """No Prefect: events live in accord's log only."""

    def publish(self, events: Iterable[Event]) -> None:
        return None


class RecordingPublisher:
    """Keeps what was published (tests, and the demo's progress display)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, events: Iterable[Event]) -> None:
        self.events.extend(events)


class PrefectPublisher:
    """Emits each event to Prefect as ``accord.*`` with resource ``accord.declaration.<slug>``."""

    def publish(self, events: Iterable[Event]) -> None:
        from prefect.events import emit_event  # imported here: prefect costs ~1 s to import

        for event in events:
            emit_event(
                event=event.type,
                resource={
                    "prefect.resource.id": f"accord.declaration.{event.declaration}",
                    "prefect.resource.name": event.declaration,
                },
                payload={
                    **event.payload,
                    "seq": event.seq,
                    "actor": event.actor,
                    "hash": event.hash,
                },
                id=None,
            )


class EnvironmentPublisher:
    """Mirrors to Prefect whenever PREFECT_API_URL is set at the time of publishing (the demo sets it mid-run)."""

    def publish(self, events: Iterable[Event]) -> None:
        if os.environ.get("PREFECT_API_URL"):
            PrefectPublisher().publish(events)


def publisher_from_env() -> Publisher:
    """Prefect mirroring when a Prefect API is configured, checked at each publish."""
    return EnvironmentPublisher()
