"""Storage on SQLite and PostgreSQL: the event log, the chain, blobs, append-only triggers, migrations."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy import exc as sa_exc

from drafting.canonical import GENESIS, canonical_json, event_hash, sha256_hex
from drafting.errors import IntegrityError
from drafting.negotiation import Declaration
from storage import Store, UnitOfWork, db, upgrade
from storage.blobs import get_blob
from storage.schema import Blob, EventRow

T0 = "2026-11-28T09:00:00Z"


@pytest.fixture
def engine(database_url: str) -> Engine:
    """A migrated database (``db.make_engine`` is looked up at call time: the ``engines`` fixture disposes it)."""
    engine = db.make_engine(database_url)
    upgrade(engine)
    return engine


@pytest.fixture
def store(engine: Engine) -> Store:
    return Store(engine)


def _declare(store: Store, slug: str = "decl") -> None:
    store.transaction(
        lambda uow: uow.repo.add_declaration(Declaration(slug=slug, title="A declaration"), T0)
    )


def _append(
    store: Store, slug: str, type: str, payload: dict[str, Any], actor: str = "secretariat"
) -> Any:
    def work(uow: UnitOfWork) -> Any:
        return uow.append(uow.repo.declaration(slug), type, actor, payload, T0)

    return store.transaction(work)[0]


def test_append_and_read_events(store: Store) -> None:
    _declare(store)
    first = _append(store, "decl", "accord.round.opened", {"round": 1, "note": "café ☕"})
    second = _append(store, "decl", "accord.submission.received", {"party": "MX"}, actor="MX")
    with store.reading() as uow:
        declaration = uow.repo.declaration("decl")
        events = uow.log(declaration)
        later = uow.log(declaration, after=1)
        count = uow.event_count(declaration)
    assert [(e.seq, e.type, e.actor) for e in events] == [
        (1, "accord.round.opened", "secretariat"),
        (2, "accord.submission.received", "MX"),
    ]
    assert events == [first, second]
    assert later == [second] and count == 2
    assert events[0].payload == {"round": 1, "note": "café ☕"}
    assert events[0].prev_hash == GENESIS and events[1].prev_hash == events[0].hash


def test_event_hash_covers_every_stored_field(store: Store) -> None:
    _declare(store)
    event = _append(store, "decl", "accord.round.opened", {"b": 2, "a": 1})
    with store.reading() as uow:
        row = uow.session.scalars(select(EventRow)).one()
        payload, digest = row.payload, row.hash
    assert payload == canonical_json({"a": 1, "b": 2}) == '{"a":1,"b":2}'
    assert (
        digest
        == event.hash
        == event_hash(
            prev_hash=GENESIS,
            declaration="decl",
            seq=1,
            type="accord.round.opened",
            actor="secretariat",
            payload=payload,
            occurred_at=T0,
        )
    )


def test_chains_are_per_declaration_and_verify(store: Store) -> None:
    _declare(store, "one")
    _declare(store, "two")
    for i in range(5):
        _append(store, "one", "accord.test.appended", {"i": i})
        _append(store, "two", "accord.test.appended", {"i": i})
    with store.reading() as uow:
        for slug in ("one", "two"):
            declaration = uow.repo.declaration(slug)
            report = uow.verify(declaration, state=False)  # test events imply no state
            assert report.ok, report.problems
            assert report.events == 5
            assert [e.seq for e in uow.log(declaration)] == [1, 2, 3, 4, 5]


def test_failed_transaction_leaves_no_event(store: Store) -> None:
    _declare(store)

    def work(uow: UnitOfWork) -> None:
        uow.append(uow.repo.declaration("decl"), "accord.test.appended", "secretariat", {}, T0)
        uow.put_blob(b"never committed")
        raise RuntimeError("the use case failed after writing")

    with pytest.raises(RuntimeError):
        store.transaction(work)
    with store.reading() as uow:
        assert uow.event_count(uow.repo.declaration("decl")) == 0
        assert uow.session.get(Blob, sha256_hex(b"never committed")) is None


def test_duplicate_seq_is_refused_by_the_database(engine: Engine, store: Store) -> None:
    _declare(store)
    _append(store, "decl", "accord.test.appended", {})
    with pytest.raises(sa_exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO events (declaration_id, seq, type, actor, payload, occurred_at, prev_hash, hash) "
                "SELECT declaration_id, seq, type, actor, payload, occurred_at, prev_hash, :other FROM events"
            ),
            {"other": "f" * 64},
        )


def test_blobs_are_content_addressed_and_idempotent(store: Store) -> None:
    data = b"PK\x03\x04 a document"

    def put(uow: UnitOfWork) -> tuple[str, str]:
        return uow.put_blob(data), uow.put_blob(data)

    (first, again), _ = store.transaction(put)
    (third, _unused), _ = store.transaction(put)
    assert first == again == third == sha256_hex(data)
    with store.reading() as uow:
        rows = uow.session.scalars(select(Blob)).all()
        assert [(r.sha256, r.size, r.data) for r in rows] == [(first, len(data), data)]
        assert uow.blob(first) == data


def test_reading_an_altered_blob_is_refused(engine: Engine, store: Store) -> None:
    digest, _ = store.transaction(lambda uow: uow.put_blob(b"original bytes"))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE blobs SET data = :d WHERE sha256 = :k"),
            {"d": b"Original bytes", "k": digest},
        )
    with store.reading() as uow, pytest.raises(IntegrityError, match=digest[:12]):
        get_blob(uow.session, digest)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET payload = '{\"round\"\\:2}'",
        "UPDATE events SET hash = prev_hash",
        "DELETE FROM events",
    ],
    ids=["update-payload", "update-hash", "delete"],
)
def test_triggers_make_events_append_only(engine: Engine, store: Store, statement: str) -> None:
    _declare(store)
    _append(store, "decl", "accord.round.opened", {"round": 1})
    with pytest.raises(sa_exc.DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with store.reading() as uow:
        events = uow.log(uow.repo.declaration("decl"))
        assert [e.payload for e in events] == [{"round": 1}]
        assert uow.verify(uow.repo.declaration("decl"), state=False).ok


def test_migrations_are_idempotent(engine: Engine) -> None:
    before = _schema(engine)
    upgrade(engine)
    upgrade(engine)
    assert _schema(engine) == before
    assert {
        "blobs",
        "declarations",
        "parties",
        "versions",
        "rounds",
        "submissions",
        "events",
    } <= set(before["tables"])
    with engine.connect() as connection:
        heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert len(heads) == 1


def test_a_second_engine_sees_a_migrated_database(database_url: str, engine: Engine) -> None:
    other = db.make_engine(database_url)
    upgrade(other)
    store = Store(other)
    _declare(store)
    _append(store, "decl", "accord.test.appended", {"ok": True})
    with Store(engine).reading() as uow:
        assert uow.event_count(uow.repo.declaration("decl")) == 1


def _schema(engine: Engine) -> dict[str, Any]:
    inspector = inspect(engine)
    tables = sorted(inspector.get_table_names())
    return {
        "tables": tables,
        "columns": {t: sorted(c["name"] for c in inspector.get_columns(t)) for t in tables},
        "triggers": _triggers(engine),
    }


def _triggers(engine: Engine) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        if engine.dialect.name == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
    )
    with engine.connect() as connection:
        names = connection.execute(text(query)).scalars().all()
    assert names, "the append-only triggers are missing"
    return list(names)


def test_events_are_published_after_their_transaction_commits(app: Any) -> None:
    """What a use case appends is mirrored (to Prefect, here to a recorder) once, after the commit."""
    from tests import factories

    factories.open_declaration(app, n=4)
    receipt = factories.submit(app, factories.delegations(4)[0])
    published = app.publisher.events
    assert [e.type for e in published] == [
        "accord.declaration.created",
        "accord.version.issued",
        "accord.round.opened",
        "accord.submission.received",
    ]
    assert published[-1].payload["submission"] == receipt.submission
    with app.store.reading() as uow:
        assert uow.log(uow.repo.declaration(factories.SLUG)) == published


def _slugs(uow: UnitOfWork) -> list[str]:
    return [d.slug for d in uow.repo.all_declarations()]


def test_a_reading_does_not_wait_for_a_writer(store: Store) -> None:
    """Readers take no lock: a page read while an upload's transaction holds the writers' lock answers at once,
    with what was committed (on SQLite a reader began with BEGIN IMMEDIATE and queued behind every writer)."""
    _declare(store)
    writing, done = threading.Event(), threading.Event()

    def slow_writer(uow: UnitOfWork) -> None:
        uow.repo.add_declaration(Declaration(slug="second", title="Not yet"), T0)
        uow.repo.sync()
        writing.set()
        assert done.wait(20)

    with ThreadPoolExecutor(1) as pool:
        writer = pool.submit(store.transaction, slow_writer)
        assert writing.wait(20)
        try:
            began = time.monotonic()
            with store.reading() as uow:
                seen = _slugs(uow)
            waited = time.monotonic() - began
        finally:
            done.set()
        writer.result()
    assert seen == ["decl"]  # not the writer's uncommitted row
    assert waited < 5, f"the reading waited {waited:.1f} s for the writer"


def test_a_reading_cannot_write(store: Store) -> None:
    with pytest.raises(sa_exc.DBAPIError, match="readonly|read-only"), store.reading() as uow:
        uow.repo.add_declaration(Declaration(slug="sneaked", title="Written in a reading"), T0)
        uow.repo.sync()
    _declare(store, "after")  # the connection went back to the pool able to write
    with store.reading() as uow:
        assert _slugs(uow) == ["after"]


def test_readings_in_one_snapshot_are_one_transaction(store: Store) -> None:
    """Inside Store.snapshot() every reading of a store is the same unit of work, so a page reads one state: a
    write committed meanwhile (in a transaction of its own) is seen only after the snapshot."""
    _declare(store)
    with Store.snapshot():
        with store.reading() as first:
            assert _slugs(first) == ["decl"]
        _declare(store, "meanwhile")
        with store.reading() as second:
            assert second is first
            assert _slugs(second) == ["decl"]
        with Store.snapshot(), store.reading() as nested:
            assert nested is first
    with store.reading() as after:
        assert after is not first
        assert _slugs(after) == ["decl", "meanwhile"]


def test_as_many_pages_as_the_portal_has_threads_can_each_write_within_their_read(
    store: Store,
) -> None:
    """A page holds its snapshot's connection while it writes (a session's touch, a refusal logged) on a second
    one: with the portal's 40 worker threads all doing so at once, the pool must not run dry (SQLite's held 15:
    the pages waited 30 s for a connection none would give back, then failed)."""
    _declare(store)
    threads = 41  # Starlette runs sync handlers on 40 threads; one more to be sure
    all_reading = threading.Barrier(threads, timeout=20)

    def page(n: int) -> list[str]:
        with Store.snapshot():
            with store.reading() as uow:
                seen = _slugs(uow)
            all_reading.wait()
            _declare(store, f"page-{n}")
            with store.reading() as again:
                assert _slugs(again) == seen  # still the snapshot
        return seen

    with ThreadPoolExecutor(threads) as pool:
        assert all(seen == ["decl"] for seen in pool.map(page, range(threads)))
    with store.reading() as uow:
        assert len(_slugs(uow)) == threads + 1
