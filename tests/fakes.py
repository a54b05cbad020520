"""Fakes of accord's ports for tests: the clock, the mailer, the document sink and the publisher.

Each has the port's interface and keeps what it was asked to do, in memory, so a test reads it back:
``FakeMailer().sent``, ``MemorySink(root).files``, ``RecordingPublisher().events``, ``FixedClock(...)()``.
Pass them to ``flows.bootstrap.bootstrap(..., clock=, mail=, publisher=)``; a sink goes on ``app.files``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.adapters.files import confine, inside
from flows.adapters.mail import MAILED, Mail, Sent
from flows.publish import NullPublisher, RecordingPublisher

__all__ = ["FakeMailer", "FixedClock", "MemorySink", "NullPublisher", "RecordingPublisher"]


class FixedClock:
    """A clock that says the same moment until told to move (``advance``)."""

    def __init__(self, moment: datetime = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move forward, e.g. ``clock.advance(hours=2)``."""
        self.moment += timedelta(**delta)


class FakeMailer:
    """The Mailer port in memory: every mail is kept in ``sent``; ``outcomes`` sets what an address gets instead
    of "mailed" (e.g. ``{"mx@example.org": "failed: 550 no such user"}``); ``before``/``after`` are called around
    each sending with the mail (a test injects a crash there)."""

    def __init__(
        self,
        outcomes: dict[str, str] | None = None,
        *,
        down: bool = False,
        before: Callable[[Mail], None] | None = None,
        after: Callable[[Mail], None] | None = None,
    ) -> None:
        self.sent: list[Mail] = []
        self.outcomes = outcomes or {}
        self.down = down
        self.before, self.after = before, after

    def send(self, mail: Mail) -> Sent:
        """Keep the mail (unless it fails) and say how it went."""
        if self.before:
            self.before(mail)
        if self.down:
            return Sent("failed: ConnectionRefusedError: fake server down", server_down=True)
        outcome = self.outcomes.get(mail.to, MAILED)
        if outcome == MAILED:
            self.sent.append(mail)
        if self.after:
            self.after(mail)
        return Sent(outcome)

    def to(self, address: str) -> list[Mail]:
        """The mails sent to one address."""
        return [mail for mail in self.sent if mail.to == address]


class MemorySink:
    """The document sink in memory, with the real sink's confinement: ``files`` maps each path to its bytes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[Path, bytes] = {}

    def path(self, *names: str) -> Path:
        """A path under the root made of plain names."""
        return confine(self.root, *names)

    def write(self, path: Path, data: bytes, *, root: Path | None = None) -> Path:
        """Keep the document; a path outside the root is refused as the real sink refuses it."""
        self.files[inside(self.root if root is None else root, path)] = data
        return path
