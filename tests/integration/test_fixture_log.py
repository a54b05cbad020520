"""Logs written by accord in the past (tests/fixtures/, made by tests/logfixture.py) still verify, and the newest
replays byte for byte: type strings and payloads already in logs are inside their hash chain, so a change to how
events are built must leave every one of them as it was.

tests/fixtures/log-ba8d25a (written at ba8d25a) still verifies, but its replay diverges at its first compilation:
main's h11 changed how every compilation, synopsis and revision is written (see the README, Determinism).
tests/fixtures/log-2026-12-06, written after that change, replays byte for byte up to its seal (event 38): h14pages
wrote the bundle's blame.html and history.html anew (a blame view with tags and a gutter, plain wording, times in
the declaration's zone), so the seal's recorded pages differ from the replayed ones. tests/fixtures/
log-2026-12-06-pages, written after that change, pins replay, seal included, from then on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.canonical import GENESIS, event_hash, sha256_hex
from drafting.errors import IntegrityError
from drafting.negotiation import Event
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from flows.usecases.replay import ReplayReport, rebuild, replay
from tests.logfixture import BA8D25A, BILINGUAL, DEC06, FOLDER, load, originals, read_log


@pytest.fixture
def log_only(tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The newest fixture loaded into an empty database: declaration, parties, originals and events, nothing
    derived."""
    yield from _loaded(tmp_path, FOLDER)


@pytest.fixture
def log_dec06(tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The fixture written after main's h11, before h14pages, loaded the same way."""
    yield from _loaded(tmp_path, DEC06)


@pytest.fixture
def log_ba8d25a(tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The fixture written at ba8d25a, loaded the same way."""
    yield from _loaded(tmp_path, BA8D25A)


@pytest.fixture
def log_bilingual(tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The bilingual demo's log (issue 15), loaded the same way."""
    yield from _loaded(tmp_path, BILINGUAL)


@pytest.mark.parametrize(
    "folder", [BA8D25A, DEC06, FOLDER, BILINGUAL], ids=lambda folder: folder.name
)
def test_the_fixture_chain_and_originals_verify(folder: Path) -> None:
    events = read_log(folder)
    slug = json.loads(events[0]["payload"])["slug"]  # "fixture"; the bilingual one is the demo's
    prev = GENESIS
    for number, event in enumerate(events, start=1):
        assert event["seq"] == number and event["prev_hash"] == prev
        assert (
            event_hash(declaration=slug, **{k: v for k, v in event.items() if k != "hash"})
            == event["hash"]
        )
        prev = event["hash"]
        for digest in originals(event["type"], json.loads(event["payload"])):
            assert sha256_hex((folder / "originals" / digest).read_bytes()) == digest
    kinds = {event["type"] for event in events}
    if folder == BILINGUAL:
        assert {
            "accord.version.translated",
            "accord.version.agreed",
            "accord.declaration.archived",
        } <= kinds
        return
    assert {
        "accord.silence.broken",
        "accord.silence.expired",
        "accord.version.agreed",
        "accord.submission.refused",
        "accord.version.distributed",
        "accord.version.edited",
        "accord.declaration.archived",
    } <= kinds


def test_the_fixture_log_replays_byte_identical(log_only: tuple[App, str], tmp_path: Path) -> None:
    """Every event up to the agreement is re-derived (or recorded) byte for byte, and the rebuilt record verifies
    and replays again."""
    app, slug = log_only
    stored = [e for e in _stored(app, slug) if e.type != "accord.declaration.archived"]
    again = _rebuilt(app, slug, stored, tmp_path)
    try:
        assert replay(again, slug).events == len(stored) == 37
    finally:
        again.store.engine.dispose()


def test_the_bilingual_fixture_replays_byte_identical(
    log_bilingual: tuple[App, str], tmp_path: Path
) -> None:
    """A negotiation in English and Spanish (issue 15: both compilations, translations, the agreed text and its
    seal in both languages) is re-derived byte for byte, and the rebuilt record verifies."""
    app, slug = log_bilingual
    stored = _stored(app, slug)
    assert sum(e.type == "accord.version.translated" for e in stored) == 3
    _rebuilt(app, slug, stored, tmp_path).store.engine.dispose()


def _rebuilt(app: App, slug: str, stored: list[Event], tmp_path: Path) -> App:
    """The record rebuilt from ``stored`` by replay (every event re-derived or recorded, byte for byte), verified;
    the caller disposes of it."""
    url = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    report = ReplayReport(slug=slug, events=len(stored))
    rebuild(app, slug, stored, tmp_path / "scratch", url, report).store.engine.dispose()
    assert report.rederived + report.recorded == len(stored)
    again = bootstrap(tmp_path / "home", url=url, publisher=NullPublisher())
    with again.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        assert uow.verify(declaration).ok
        assert [e.hash for e in uow.log(declaration)] == [e.hash for e in stored]
    return again


def test_the_fixture_seal_replays_with_its_recorded_pages(
    log_only: tuple[App, str], tmp_path: Path
) -> None:
    """The newest fixture's archive event is a seal that records its pages (their sha256 by name): replay
    re-derives it too, after everything before it."""
    app, slug = log_only
    stored = _stored(app, slug)
    report = ReplayReport(slug=slug, events=len(stored))
    rebuild(app, slug, stored, tmp_path / "scratch", "sqlite://", report).store.engine.dispose()
    assert stored[-1].type == "accord.declaration.archived" and isinstance(
        stored[-1].payload["files"], dict
    )
    assert report.rederived + report.recorded == len(stored) == 38


def test_the_2026_12_06_fixture_replays_up_to_its_seal_whose_pages_were_rewritten(
    log_dec06: tuple[App, str], tmp_path: Path
) -> None:
    """A known break, recorded in the README (Determinism): every event before the seal re-derives byte for byte
    and the seal's documents are the same; only the pages h14pages rewrote differ (blame.html first, by name)."""
    app, slug = log_dec06
    stored = _stored(app, slug)
    seal = stored[-1]
    assert seal.seq == 38 and seal.type == "accord.declaration.archived"
    newer = json.loads(read_log(FOLDER)[-1]["payload"])["files"]
    changed = sorted(
        name for name, digest in seal.payload["files"].items() if newer[name] != digest
    )
    assert changed == ["blame.html", "history.html"]
    report = ReplayReport(slug=slug, events=len(stored))
    with pytest.raises(
        IntegrityError,
        match=r"^event 38 \(accord\.declaration\.archived\): payload\.files\.blame\.html: ",
    ):
        rebuild(app, slug, stored, tmp_path / "scratch", "sqlite://", report)
    assert report.rederived + report.recorded == 37


def test_the_ba8d25a_fixture_verifies_and_its_replay_diverges_first_at_the_compilation(
    log_ba8d25a: tuple[App, str], tmp_path: Path
) -> None:
    """A known break, recorded in the README (Determinism): main's h11 writes every compilation anew (amendment
    comments, a legend, whole-word amendments), so the log of ba8d25a still verifies (chain and originals; its
    seal, from before seals recorded their pages, is intact) but its replay diverges first at the compilation.ready
    of round 1: the compilation's bytes; every event before it still replays byte for byte."""
    app, slug = log_ba8d25a
    stored = _stored(app, slug)
    assert stored[-1].type == "accord.declaration.archived" and isinstance(
        stored[-1].payload["files"], int
    )
    first = next(e for e in stored if e.type == "accord.compilation.ready")
    report = ReplayReport(slug=slug, events=len(stored))
    with pytest.raises(
        IntegrityError,
        match=rf"^event {first.seq} \(accord\.compilation\.ready\): "
        r"payload\.documents\.compilation\.docx: stored ",
    ):
        rebuild(app, slug, stored, tmp_path / "scratch", "sqlite://", report)
    assert report.rederived + report.recorded == first.seq - 1 == 8


def _loaded(tmp_path: Path, folder: Path) -> Iterator[tuple[App, str]]:
    app = bootstrap(
        tmp_path / "home", url=f"sqlite:///{tmp_path / 'original.db'}", publisher=NullPublisher()
    )
    slug = load(app, folder)
    yield app, slug
    app.store.engine.dispose()


def _stored(app: App, slug: str) -> list[Event]:
    """The log-only record's events, its chain checked (its tables are empty: nothing derived was loaded)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        assert uow.verify(declaration, state=False).ok
        return uow.log(declaration)
