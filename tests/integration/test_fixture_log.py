"""A log written by accord at commit ba8d25a (tests/fixtures/log-ba8d25a, made by tests/logfixture.py) still
verifies and replays byte for byte: type strings and payloads already in logs are inside their hash chain, so a
change to how events are built must leave every one of them as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.canonical import GENESIS, event_hash, sha256_hex
from drafting.negotiation import Event
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from flows.usecases.replay import ReplayReport, rebuild, replay
from tests.logfixture import FOLDER, load, originals, read_log


@pytest.fixture
def log_only(tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The fixture loaded into an empty database: declaration, parties, originals and events, nothing derived."""
    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'original.db'}", publisher=NullPublisher())
    slug = load(app, FOLDER)
    yield app, slug
    app.store.engine.dispose()


def test_the_fixture_chain_and_originals_verify() -> None:
    events = read_log(FOLDER)
    prev = GENESIS
    for number, event in enumerate(events, start=1):
        assert event["seq"] == number and event["prev_hash"] == prev
        assert event_hash(declaration="fixture", **{k: v for k, v in event.items() if k != "hash"}) == event["hash"]
        prev = event["hash"]
        for digest in originals(event["type"], json.loads(event["payload"])):
            assert sha256_hex((FOLDER / "originals" / digest).read_bytes()) == digest
    kinds = {event["type"] for event in events}
    assert {"accord.silence.broken", "accord.silence.expired", "accord.version.agreed",
            "accord.submission.refused", "accord.version.distributed", "accord.version.edited",
            "accord.declaration.archived"} <= kinds


def test_the_fixture_log_replays_byte_identical(log_only: tuple[App, str], tmp_path: Path) -> None:
    """Every event up to the agreement is re-derived (or recorded) byte for byte, and the rebuilt record verifies
    and replays again."""
    app, slug = log_only
    stored = [e for e in _stored(app, slug) if e.type != "accord.declaration.archived"]
    url = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    report = ReplayReport(slug=slug, events=len(stored))
    rebuild(app, slug, stored, tmp_path / "scratch", url, report).store.engine.dispose()
    assert report.rederived + report.recorded == len(stored) == 37

    again = bootstrap(tmp_path / "home", url=url, publisher=NullPublisher())
    try:
        with again.store.reading() as uow:
            declaration = uow.repo.declaration(slug)
            assert uow.verify(declaration).ok
            assert [e.hash for e in uow.log(declaration)] == [e.hash for e in stored]
        assert replay(again, slug).events == len(stored)
    finally:
        again.store.engine.dispose()


def test_the_fixture_seal_from_before_pages_were_recorded_replays_as_recorded(log_only: tuple[App, str],
                                                                               tmp_path: Path) -> None:
    """The fixture's archive event is a seal from before seals recorded their pages (its bundle cannot be rebuilt
    with today's pages and verify.py): replay appends it as it was, after re-deriving everything before it."""
    app, slug = log_only
    stored = _stored(app, slug)
    report = ReplayReport(slug=slug, events=len(stored))
    rebuild(app, slug, stored, tmp_path / "scratch", "sqlite://", report).store.engine.dispose()
    assert stored[-1].type == "accord.declaration.archived" and isinstance(stored[-1].payload["files"], int)
    assert report.rederived + report.recorded == len(stored) == 38


def _stored(app: App, slug: str) -> list[Event]:
    """The log-only record's events, its chain checked (its tables are empty: nothing derived was loaded)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        assert uow.verify(declaration, state=False).ok
        return uow.log(declaration)
