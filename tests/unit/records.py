"""A record in memory for unit tests: domain events as the log holds them, and versions with their stored text."""

from __future__ import annotations

import json
from typing import Any

from drafting import events as ev
from drafting.canonical import GENESIS
from drafting.negotiation import Event, Version, VersionState, version_label


def log(*events: tuple[ev.DomainEvent, str]) -> list[Event]:
    """The events with their times as the log records them, numbered from 1, the secretariat acting (no hash
    chain: nothing here verifies it)."""
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


def logged(seq: int, type: str, payload: dict[str, Any] | None = None, **fields: Any) -> Event:
    """An event as a log holds it, its hash made up from its seq: for the functions that read a log."""
    return Event.model_validate(
        {
            "declaration": "eu-celac",
            "seq": seq,
            "type": type,
            "actor": "secretariat",
            "payload": payload or {},
            "occurred_at": "2026-12-01T09:00:00Z",
            "prev_hash": GENESIS,
            "hash": f"{seq:064x}",
        }
        | fields
    )


def version(
    number: int,
    state: VersionState,
    paragraphs: list[tuple[str, str, str]],
    **stored: Any,
) -> Version:
    """A version whose text has these paragraphs (key, text, status), issued on the ``number``+1th of December,
    with anything else its content stores (``resolutions=[...]``)."""
    text = {"paragraphs": [{"key": k, "text": t, "status": s} for k, t, s in paragraphs]}
    return Version(
        number=number,
        label=version_label(number),
        blob_sha256="b",
        text_sha256="t",
        state=state,
        created_at=f"2026-12-{number + 1:02d}T08:00:00Z",
        stored=json.dumps({"text": text} | stored),
    )
