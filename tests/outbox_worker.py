"""A process that opens a round and is killed (SIGKILL, no clean-up) at one point of sending the copies.

``python -m tests.outbox_worker --home H --url U --journal J --slug S --kill POINT``. POINT is ``commit`` (the
round's commit done, nothing sent), ``write:K`` (before the K-th file is written), ``mail:K`` (before the K-th
mail reaches the server), ``mailed:K`` (after the server took the K-th mail, before accord notes it), or
``record`` (every party settled, before the distribution event). accord itself has no such hooks: this worker
wraps the ports it hands to accord, as a test would.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
from pathlib import Path
from typing import Any

from flows.adapters.mail import MAILED, Mail, Sent


class JournalMailer:
    """A mail server that is a file: one JSON line per mail taken, written through to the disk."""

    def __init__(self, journal: Path) -> None:
        self.journal = journal

    def send(self, mail: Mail) -> Sent:
        """Take the mail: append it to the journal."""
        with self.journal.open("a", encoding="utf-8") as out:
            out.write(
                json.dumps(
                    {
                        "to": mail.to,
                        "subject": mail.subject,
                        "message_id": mail.message_id,
                        "files": [name for name, _ in mail.files],
                    }
                )
                + "\n"
            )
            out.flush()
            os.fsync(out.fileno())
        return Sent(MAILED)


def taken(journal: Path) -> list[dict[str, Any]]:
    """Every mail the journal server took."""
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _Countdown:
    def __init__(self, point: str, kind: str) -> None:
        name, _, count = point.partition(":")
        self.left = int(count) if name == kind else -1

    def tick(self) -> None:
        self.left -= 1
        if self.left == 0:
            _die()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.outbox_worker")
    for option in ("--home", "--url", "--journal", "--slug", "--kill"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher
    from flows.usecases import delivery, routing
    from flows.usecases.rounds import open_round

    mailer, writes = JournalMailer(Path(args.journal)), _Countdown(args.kill, "write")
    before, after = _Countdown(args.kill, "mail"), _Countdown(args.kill, "mailed")

    class Killing:
        def send(self, mail: Mail) -> Sent:
            before.tick()
            sent = mailer.send(mail)
            after.tick()
            return sent

    app = bootstrap(Path(args.home), url=args.url, publisher=NullPublisher(), mail=Killing())
    write = app.files.write
    app.files.write = lambda path, data, **kw: (writes.tick(), write(path, data, **kw))[1]  # type: ignore[method-assign]
    if args.kill == "record":
        routing.record = lambda *a, **kw: _die()  # type: ignore[assignment]
        delivery.record = routing.record
    open_round(app, args.slug)
    if args.kill == "commit":
        _die()
    routing.distribute_round(app, args.slug)
    raise SystemExit(f"the worker was never killed at {args.kill}")


if __name__ == "__main__":
    main()
