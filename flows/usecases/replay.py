"""Replay a declaration: re-run every use case at its recorded time on the stored originals, in a scratch
database, and prove that every event, row and document comes out byte for byte as stored.

The originals are what people gave accord (the zero draft, the submissions, the decisions, editorial files);
everything else (proposals, compilations, synopses, revisions, the event log itself) is derived and recomputed.
Events that record a fact from outside (a refused file whose bytes were never kept, a delivery by mail) are
appended as recorded; the report counts them apart.

A submitted Word file is not parsed again when its event records the sha256 of the reading stored beside it: the
reading is taken from the store, checked against that hash like every original (a reading altered in the database
fails the replay), and fed to the same use case; ``reread`` (`accord replay --reread`) parses every file again, to
check that today's reader still reads the originals as they were read.

Speed (10 rounds among 60 parties in 3.3 s, `bench/replay.py`): the scratch database is in memory when the
documents fit; a worker process reads the submitted Word files ahead of the use cases (``readahead``); the events a
use case committed are taken from the scratch app's publisher, and the scratch log is checked against them once;
the garbage collector runs less often.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from time import perf_counter

from drafting.errors import AccordError, IntegrityError
from drafting.negotiation import Event
from flows.bootstrap import App, bootstrap
from flows.publish import RecordingPublisher
from flows.usecases import replay_rules
from flows.usecases.readahead import ReadAhead
from flows.usecases.replay_state import compare_blobs, compare_events, compare_state


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

    def count(self, event_type: str, recorded: bool, produced: int, started: float) -> None:
        """The events one rule appended (recorded as logged, or derived again), and its time since ``started``."""
        if recorded:
            self.recorded += produced
        else:
            self.rederived += produced
        self.by_type[event_type] = self.by_type.get(event_type, 0.0) + perf_counter() - started

    def as_json(self) -> dict[str, object]:
        """The JSON `accord replay --json` prints."""
        return {
            "slug": self.slug,
            "ok": True,
            "events": self.events,
            "rederived": self.rederived,
            "recorded": self.recorded,
            "rows": self.rows,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "seconds_by_type": {k: round(v, 3) for k, v in self.by_type.items()},
        }


Progress = Callable[[int, int], None]  # events done, events in all


def replay(
    app: App, slug: str, *, progress: Progress | None = None, reread: bool = False
) -> ReplayReport:
    """Rebuild ``slug`` in a scratch database; raise IntegrityError naming the first divergence.
    ``reread``: parse every submitted Word file again instead of taking the reading the log vouches for."""
    with _fewer_collections():
        return _replay(app, slug, progress, reread)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage every 20,000 allocations instead of 700 while replaying: each collection walks the kept
    readings and the sessions' objects, 0.5 s of a 10-round replay at the default; the garbage is the same."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 20_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _replay(app: App, slug: str, progress: Progress | None, reread: bool) -> ReplayReport:
    started = perf_counter()
    original = original_events(app, slug)
    report = ReplayReport(slug=slug, events=len(original))
    with app.scratch.folder("replay") as scratch:
        url = _scratch_url(app, Path(scratch))
        scratch_app = rebuild(app, slug, original, Path(scratch), url, report, progress, reread)
        try:
            report.rows = compare_state(app, scratch_app, slug)
            report.documents = compare_blobs(app, scratch_app, slug)
        finally:
            scratch_app.store.engine.dispose()
    report.seconds = perf_counter() - started
    return report


def rebuild(
    app: App,
    slug: str,
    original: list[Event],
    folder: Path,
    url: str,
    report: ReplayReport,
    progress: Progress | None = None,
    reread: bool = False,
) -> App:
    """Re-run ``original`` (the log of ``slug`` in ``app``) into a new database at ``url``; return its app, whose
    log is proven to be the original's, event for event (the caller disposes of its engine)."""
    moment = [_instant(original[0].occurred_at)]
    published = RecordingPublisher()
    scratch_app = _scratch_app(app, folder, url, moment, published)
    try:
        context = replay_rules.Context(app, scratch_app, slug, folder, published, reread)
        files = context.submitted_files(original)
        with ReadAhead(files, app.settings.limits, folder / "read-ahead") as reader:
            context.reader, scratch_app.reader = reader, context.read
            _replay_events(context, original, moment, report, progress or _no_progress)
        context.check_log()
    except BaseException:
        scratch_app.store.engine.dispose()
        raise
    return scratch_app


# The scratch database lives in memory when the documents it will hold fit (writes there cost nothing to commit;
# 0.4 s of a 10-round replay), else in a file beside the other scratch files.
MEMORY_BUDGET = 512 * 1024 * 1024


def _scratch_url(app: App, folder: Path) -> str:
    with app.store.reading() as uow:
        stored = uow.stored_size()
    return "sqlite://" if stored <= MEMORY_BUDGET else f"sqlite:///{folder / 'replay.db'}"


def original_events(app: App, slug: str) -> list[Event]:
    """The stored log, after checking its hash chain (a broken chain is the first divergence).

    Documents are checked as the replay meets them: each original when it is fed to a use case, each derived one
    when it is compared (``compare_blobs``)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        checked = uow.verify(declaration, blobs=False)
        events = uow.log(declaration)
    if checked.problems:
        raise IntegrityError(f"{slug}: {checked.problems[0]}")
    if not events:
        raise IntegrityError(f"{slug}: the event log is empty; there is nothing to replay")
    return events


def _no_progress(done: int, total: int) -> None:
    """Progress nobody follows."""


def _instant(occurred_at: str) -> datetime:
    """An event's time, as the clock of the scratch app gives it."""
    return datetime.fromisoformat(occurred_at.replace("Z", "+00:00"))


def _scratch_app(
    app: App, folder: Path, url: str, moment: list[datetime], published: RecordingPublisher
) -> App:
    """The app replay writes into: its clock reads ``moment``, it sends no mail and publishes no pages."""
    scratch_app = bootstrap(folder / "home", url=url, clock=lambda: moment[0], publisher=published)
    scratch_app.settings.limits, scratch_app.settings.smtp = app.settings.limits, None
    scratch_app.pages = False
    return scratch_app


def _replay_events(
    context: replay_rules.Context,
    original: list[Event],
    moment: list[datetime],
    report: ReplayReport,
    progress: Progress,
) -> None:
    """Re-run the use case of each event not yet reproduced; compare what it appended with the log."""
    done = 0
    for event in original:
        if event.seq <= done:
            continue
        moment[0] = _instant(event.occurred_at)
        started = perf_counter()
        rule = _rule(event)
        _run_rule(rule, context, event)
        produced = context.replayed_events()
        compare_events(original[done : done + len(produced)], produced, event)
        done += len(produced)
        report.count(event.type, rule is replay_rules.record, len(produced), started)
        progress(done, len(original))


def _run_rule(
    rule: Callable[[replay_rules.Context, Event], None], context: replay_rules.Context, event: Event
) -> None:
    """Re-run one event's rule; its failure is a divergence of the log, named by the event."""
    try:
        rule(context, event)
    except IntegrityError as error:
        raise IntegrityError(f"event {event.seq} ({event.type}): {error}") from None
    except AccordError as error:
        raise IntegrityError(
            f"event {event.seq} ({event.type}): re-running it failed: {error}"
        ) from None


def _rule(event: Event) -> Callable[[replay_rules.Context, Event], None]:
    rule = replay_rules.rule(event)
    if rule is None:
        raise IntegrityError(
            f"event {event.seq} ({event.type}): replay has no rule for this event type; "
            "add one in flows/usecases/replay_rules.py"
        )
    return rule
