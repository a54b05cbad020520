"""Engines: SQLite in the home folder by default, PostgreSQL when ACCORD_DATABASE_URL says so."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url

DATABASE_URL_ENV = "ACCORD_DATABASE_URL"
POOL_OVERFLOW = 60  # connections beyond the pool's 10 kept open
READ_ONLY = "accord_read_only"  # an execution option: this connection's transactions only read


def database_url(home: Path, url: str | None = None) -> str:
    """The database to use: an explicit URL, else $ACCORD_DATABASE_URL, else SQLite in the home folder."""
    url = url or os.environ.get(DATABASE_URL_ENV)
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{(home / 'accord.db').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine with accord's connection settings (SQLite: WAL, foreign keys, writers begin IMMEDIATE)."""
    if url.startswith("sqlite"):
        # A pool keeps connections open between transactions: opening one costs a connect, four PRAGMAs and, on the
        # last close, a WAL checkpoint (2 ms per transaction; 1.3 s of a 10-round replay). A page holds its read
        # while it writes (a session's touch, a refusal logged): the pool has more connections than the portal
        # has worker threads (40), as PostgreSQL's below, so they can never all wait for a second one.
        in_memory = make_url(url).database in (
            None,
            "",
            ":memory:",
        )  # one connection per thread: no pool
        pool = {} if in_memory else {"pool_size": 10, "max_overflow": POOL_OVERFLOW}
        engine = create_engine(url, connect_args={"timeout": 30}, **pool)
        _configure_sqlite(engine)
        return engine
    # Snapshot isolation: a transaction's reads and the seq of the event it appends come from one snapshot, so the
    # unique (declaration, seq) turns any concurrent change to the same declaration into a retried conflict.
    # Under READ COMMITTED a submission could read "no previous file" and still append after a rival committed.
    return create_engine(
        url,
        isolation_level="REPEATABLE READ",
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=POOL_OVERFLOW,
    )


def reading_engine(engine: Engine) -> Engine:
    """The same database and pool for transactions that only read: on SQLite a deferred BEGIN with writes refused
    (a reader takes no lock, so it never queues behind a writer: WAL gives it a snapshot), on PostgreSQL a READ
    ONLY transaction (the same snapshot isolation as the writers')."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(**{READ_ONLY: True}, postgresql_readonly=True)
    return engine.execution_options(**{READ_ONLY: True})


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let us emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get(READ_ONLY):
            # A reader takes no lock (BEGIN is deferred): its first SELECT starts its snapshot; it cannot write.
            connection.connection.info[READ_ONLY] = True
            connection.exec_driver_sql("PRAGMA query_only=1")
            connection.exec_driver_sql("BEGIN")
        else:
            # A writer takes the lock at BEGIN, so two writers never deadlock upgrading a read lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):  # type: ignore[no-untyped-def]
        if record.info.pop(READ_ONLY, False) and dbapi_connection is not None:
            dbapi_connection.execute("PRAGMA query_only=0")  # back in the pool, able to write again
