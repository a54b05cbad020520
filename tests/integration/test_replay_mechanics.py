"""Replay's machinery. The read-ahead worker: the readings it hands back are the in-process ones, refusals keep
their words, and anything it cannot answer (a dead worker, a file nobody foresaw, other limits) is read
in-process. A replay through the worker, with its scratch database in memory or on disk, is byte for byte; and
the scratch log must be exactly what the use cases committed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.errors import RefusedFile
from drafting.wordml.gate import GateLimits
from flows.bootstrap import bootstrap, read_upload
from flows.publish import NullPublisher
from flows.usecases import readahead
from flows.usecases.readahead import ReadAhead
from tests.audit_scenario import StepClock, negotiate
from tests.integration.test_corpus_conformance import CORPUS

FILES = ["docx2python_comments.docx", "oxpt_RP015-MoveFrom-MoveTo.docx"]
NOT_WORD = (b"just some notes", "notes.docx")


def _corpus() -> list[tuple[bytes, str]]:
    found = [(CORPUS / name).read_bytes() for name in FILES if (CORPUS / name).is_file()]
    if len(found) != len(FILES):
        pytest.skip(f"real-Word corpus not found at {CORPUS}")
    return list(zip(found, FILES, strict=True))


@pytest.fixture
def local_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files read in this process (the worker's reads are elsewhere)."""
    names: list[str] = []

    def counting(data: bytes, name: str, limits: GateLimits):  # type: ignore[no-untyped-def]
        names.append(name)
        return read_upload(data, name, limits)

    monkeypatch.setattr(readahead, "read_upload", counting)
    monkeypatch.setattr(readahead, "MIN_FILES", 1)
    return names


@pytest.fixture
def worker(tmp_path: Path, local_reads: list[str]) -> Iterator[ReadAhead]:
    files = [*_corpus(), NOT_WORD]
    with ReadAhead(files, GateLimits(), tmp_path / "read-ahead") as reader:
        assert reader.process is not None
        yield reader


def test_the_worker_reads_what_this_process_reads(
    worker: ReadAhead, local_reads: list[str]
) -> None:
    for data, name in _corpus():
        assert worker(data, name, GateLimits()) == read_upload(data, name, GateLimits())
    assert local_reads == []


def test_a_file_the_worker_refused_is_refused_here_in_the_same_words(
    worker: ReadAhead, local_reads: list[str]
) -> None:
    with pytest.raises(RefusedFile) as here:
        read_upload(*NOT_WORD, GateLimits())
    with pytest.raises(RefusedFile) as through:
        worker(
            *NOT_WORD, GateLimits()
        )  # the worker's answers for the two files before it are dropped
    assert str(through.value) == str(here.value) and local_reads == ["notes.docx"]


def test_a_dead_worker_leaves_the_reading_to_this_process(
    worker: ReadAhead, local_reads: list[str]
) -> None:
    assert worker.process is not None
    worker.process.kill()
    worker.process.wait()
    data, name = _corpus()[0]
    assert worker(data, name, GateLimits()) == read_upload(data, name, GateLimits())
    assert local_reads == [name] and worker.process is None


def test_unforeseen_files_and_other_limits_are_read_here(
    worker: ReadAhead, local_reads: list[str]
) -> None:
    data, name = _corpus()[0]
    worker(data, "renamed.docx", GateLimits())
    worker(data, name, GateLimits(max_xml_depth=150))
    assert local_reads == ["renamed.docx", name]
    assert worker(data, name, GateLimits()) == read_upload(
        data, name, GateLimits()
    )  # still answered by the worker
    assert local_reads == ["renamed.docx", name]


def test_few_files_start_no_worker(tmp_path: Path) -> None:
    with ReadAhead(_corpus(), GateLimits(), tmp_path) as reader:
        assert reader.process is None and not list(tmp_path.iterdir())


@pytest.mark.parametrize("scratch_in_memory", [True, False], ids=["memory-scratch", "file-scratch"])
def test_a_replay_through_the_worker_is_byte_identical(
    scratch_in_memory: bool, tmp_path: Path, local_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.usecases import replay as replaying

    if not scratch_in_memory:
        monkeypatch.setattr(replaying, "MEMORY_BUDGET", -1)
    clock = StepClock()
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    seen: list[tuple[int, int]] = []
    try:
        negotiate(app, clock, slug="ahead", parties=5, rounds=2, agree=False)
        report = replaying.replay(  # reread: the files themselves, not their vouched readings
            app, "ahead", progress=lambda done, total: seen.append((done, total)), reread=True
        )
    finally:
        app.store.engine.dispose()
    assert report.rederived == report.events and report.documents > 10
    done = [d for d, _ in seen]  # progress: every event counted once, in order, to the end
    assert done == sorted(set(done)) and seen[-1] == (report.events, report.events)
    assert not [
        name for name in local_reads if "-round-" in name
    ]  # every delegation's file was read by the worker


def test_a_scratch_log_that_differs_from_what_was_committed_is_a_divergence(tmp_path: Path) -> None:
    from drafting.errors import IntegrityError
    from flows.publish import RecordingPublisher
    from flows.usecases.replay_rules import Context

    clock = StepClock()
    published = RecordingPublisher()
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=published,
    )
    try:
        negotiate(app, clock, slug="logged", parties=3, rounds=1, agree=False)
        context = Context(app, app, "logged", tmp_path, published)
        context.check_log()  # what was published is the log
        published.events.pop(3)
        with pytest.raises(IntegrityError, match="the replayed log differs"):
            context.check_log()
    finally:
        app.store.engine.dispose()


def test_replay_gives_the_garbage_collector_its_settings_back(tmp_path: Path) -> None:
    import gc

    from drafting.errors import NotFound
    from flows.usecases.replay import replay

    before = gc.get_threshold()
    app = bootstrap(
        tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", publisher=NullPublisher()
    )
    try:
        with pytest.raises(NotFound):
            replay(app, "nowhere")  # fails inside: the settings still come back
    finally:
        app.store.engine.dispose()
    assert gc.get_threshold() == before
