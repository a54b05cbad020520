"""Shared fixtures: the sample declaration, ../shared (skipping with a reason where it is absent), and a database
on SQLite and on PostgreSQL for every storage test.

``database_url`` is parametrized: ``[sqlite]`` is a file in the test's temporary folder, ``[postgresql]`` a
database of its own (``CREATE DATABASE accord_test_<random>``, dropped at teardown) on the server named by
``ACCORD_TEST_POSTGRES_URL``; the PostgreSQL case skips with the reason when that variable is unset or the
server does not answer. Engines made during a test are disposed at its end, so no connection outlives it.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import factories

POSTGRES_ENV = "ACCORD_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def sample_zero_draft() -> Path:
    """The repository's own sample declaration, flows/samples (the zero draft of every test declaration)."""
    return factories.SAMPLE_ZERO_DRAFT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the clone (samples, corpus); the test skips, saying why, where it is absent."""
    return factories.shared_path("")


def _postgres_admin_url() -> str:
    """The server's URL; skip the test (saying why) when it is unset or the server does not answer."""
    url, reason = _postgres_status()
    if reason:
        pytest.skip(reason)
    return url


@functools.cache
def _postgres_status() -> tuple[str, str]:
    """(url, reason to skip), checked once per run."""
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        return url, (
            f"{POSTGRES_ENV} is not set: PostgreSQL tests need a server "
            "(.ci/run sets it when 127.0.0.1:5432 answers)"
        )
    try:
        with _admin_connection(url):
            pass
    except Exception as error:  # any failure to reach the server means: skip, saying why
        return (
            url,
            f"PostgreSQL at {POSTGRES_ENV}={url} does not answer: {str(error).strip().splitlines()[0]}",
        )
    return url, ""


def _admin_connection(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain, autocommit=True, connect_timeout=3)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (dropped afterwards, whatever connections remain)."""
    from sqlalchemy.engine import make_url

    admin = _postgres_admin_url()
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection(admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection(admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every engine made during the test (by accord or the test), disposed at teardown."""
    import flows.bootstrap
    import storage
    import storage.db

    made: list[Any] = []
    original = storage.db.make_engine

    def tracking(url: str) -> Any:
        engine = original(url)
        made.append(engine)
        return engine

    for module in (storage.db, storage, flows.bootstrap):
        monkeypatch.setattr(module, "make_engine", tracking)
    yield made
    for engine in made:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, engines: list[Any]) -> str:
    """A database URL for one test: SQLite in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'accord.db'}"
    return str(request.getfixturevalue("postgres_database"))


@pytest.fixture
def backend(database_url: str) -> str:
    """``sqlite`` or ``postgresql``: the backend of this test's database."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def accord_env(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Environment for accord commands (in-process and subprocess): home in tmp_path, the test's database."""
    home = tmp_path / "home"
    env = {"ACCORD_HOME": str(home), "ACCORD_DATABASE_URL": database_url}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return {**os.environ, **env}


@pytest.fixture
def clock() -> factories.Clock:
    """A clock that starts on 2026-11-28 09:00 UTC and advances one second per reading."""
    return factories.Clock()


@pytest.fixture
def make_app(tmp_path: Path, database_url: str, clock: factories.Clock) -> Callable[..., Any]:
    """Bootstrap accord on the test's database (home in tmp_path); extra keywords go to ``bootstrap``.

    Events are kept in ``app.publisher.events`` (a RecordingPublisher), never sent to a Prefect server that another
    test of the session may have configured.
    """
    from flows.bootstrap import bootstrap
    from flows.publish import RecordingPublisher

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("publisher", RecordingPublisher())
        return bootstrap(tmp_path / "home", url=database_url, **kwargs)

    return make


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    """accord wired to the test's database with the test clock."""
    return make_app()


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say up front whether the PostgreSQL half of the storage tests can run."""
    url = os.environ.get(POSTGRES_ENV)
    shared = (
        f"../shared: {factories.SHARED}"
        if factories.SHARED.is_dir()
        else f"../shared: absent ({factories.SHARED}), the tests that need it skip"
    )
    return [
        f"postgresql: {url}" if url else f"postgresql: {POSTGRES_ENV} unset, PostgreSQL tests skip",
        shared,
    ]
