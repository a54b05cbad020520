"""Replay a declaration: re-run every use case at its recorded time on the stored originals, in a scratch
database, and prove that every event, row and document comes out byte for byte as stored.

The originals are what people gave accord (the zero draft, the submissions, the decisions, editorial files);
everything else (proposals, compilations, synopses, revisions, the event log itself) is derived and recomputed.
Events that record a fact from outside (a refused file whose bytes were never kept, a delivery by mail) are
appended as recorded; the report counts them apart.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from time import perf_counter

from drafting.errors import AccordError, IntegrityError
from drafting.negotiation import Event
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from flows.usecases import replay_rules
from flows.usecases.replay_state import compare_blobs, compare_events, compare_state
from storage import verify_declaration
from storage.eventlog import read_events


@dataclass
class ReplayReport:
    """What a replay re-ran and compared; it is only returned when everything matched."""

    slug: str
    events: int = 0
    rederived: int = 0
    recorded: int = 0
    rows: int = 0
    documents: int = 0
    seconds: float = 0.0
    by_type: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The JSON `accord replay --json` prints."""
        return {"slug": self.slug, "ok": True, "events": self.events, "rederived": self.rederived,
                "recorded": self.recorded, "rows": self.rows, "documents": self.documents,
                "seconds": round(self.seconds, 3), "seconds_by_type": {k: round(v, 3) for k, v in self.by_type.items()}}


def replay(app: App, slug: str) -> ReplayReport:
    """Rebuild ``slug`` in a scratch database; raise IntegrityError naming the first divergence."""
    started = perf_counter()
    original = _original_events(app, slug)
    report = ReplayReport(slug=slug, events=len(original))
    with tempfile.TemporaryDirectory(prefix="accord-replay-") as scratch:
        moment: list[datetime] = [datetime.fromisoformat(original[0].occurred_at.replace("Z", "+00:00"))]
        scratch_app = bootstrap(Path(scratch) / "home", url=f"sqlite:///{Path(scratch) / 'replay.db'}",
                                clock=lambda: moment[0], publisher=NullPublisher())
        scratch_app.settings.limits, scratch_app.settings.smtp = app.settings.limits, None
        scratch_app.settings.write_outbox = False  # derived files; the record is what is compared
        keeper = scratch_app.store.engine.raw_connection()  # held open: no WAL checkpoint at every commit
        try:
            context = replay_rules.Context(app, scratch_app, slug, Path(scratch))
            _replay_events(context, original, moment, report)
            report.rows = compare_state(app, scratch_app, slug)
            report.documents = compare_blobs(app, scratch_app, slug)
        finally:
            keeper.close()
            scratch_app.store.engine.dispose()
    report.seconds = perf_counter() - started
    return report


def _original_events(app: App, slug: str) -> list[Event]:
    """The stored log, after checking its hash chain (a broken chain is the first divergence)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        checked = verify_declaration(uow.session, declaration)
        events = read_events(uow.session, declaration)
    if checked.problems and not checked.problems[0].startswith("blob"):
        raise IntegrityError(f"{slug}: {checked.problems[0]}")
    if not events:
        raise IntegrityError(f"{slug}: the event log is empty; there is nothing to replay")
    return events


def _replay_events(context: replay_rules.Context, original: list[Event], moment: list[datetime],
                   report: ReplayReport) -> None:
    """Re-run the use case of each event not yet reproduced; compare what it appended with the log."""
    done = 0
    for event in original:
        if event.seq <= done:
            continue
        moment[0] = datetime.fromisoformat(event.occurred_at.replace("Z", "+00:00"))
        started = perf_counter()
        rule = _rule(event)
        try:
            rule(context, event)
        except IntegrityError as error:
            raise IntegrityError(f"event {event.seq} ({event.type}): {error}") from None
        except AccordError as error:
            raise IntegrityError(f"event {event.seq} ({event.type}): re-running it failed: {error}") from None
        produced = context.replayed_events(after=done)
        compare_events(original[done:done + len(produced)], produced, event)
        done += len(produced)
        if rule is replay_rules.record:
            report.recorded += len(produced)
        else:
            report.rederived += len(produced)
        report.by_type[event.type] = report.by_type.get(event.type, 0.0) + perf_counter() - started


def _rule(event: Event) -> Callable[[replay_rules.Context, Event], None]:
    rule = replay_rules.RULES.get(event.type)
    if rule is None:
        raise IntegrityError(f"event {event.seq} ({event.type}): replay has no rule for this event type; "
                             "add one in flows/usecases/replay_rules.py")
    return rule
