"""The audit tests' shared record: a two-round negotiation among six parties (brackets in round 1, resolved in
round 2) and a refused file, not yet agreed; each test gets a copy of its database to change as it likes.

Test modules import the fixtures by name: ``from tests.audit_fixtures import accord, home, make, negotiated``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.audit_scenario import StepClock, negotiate

SLUG = "audit"
Run = Callable[..., Any]


@pytest.fixture(scope="module")
def negotiated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two rounds among six parties (brackets in round 1, resolved in round 2), and a refused file; not yet agreed."""
    folder = tmp_path_factory.mktemp("negotiated")
    clock = StepClock()
    app = bootstrap(
        folder / "home",
        url=f"sqlite:///{folder / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    try:
        negotiate(app, clock, slug=SLUG, parties=6, rounds=2, agree=False)
        _refused_file(app, clock)
    finally:
        app.store.engine.dispose()
    return folder


def _refused_file(app: Any, clock: StepClock) -> None:
    from drafting.errors import RefusedFile
    from flows.usecases.submissions import submit

    clock.step()
    with pytest.raises(RefusedFile):
        submit(app, SLUG, party="AT", data=b"not a word file", filename="notes.txt")


@pytest.fixture
def home(negotiated: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the negotiated database, for one test to change as it likes."""
    shutil.copy(negotiated / "accord.db", tmp_path / "accord.db")
    yield tmp_path


@pytest.fixture
def make(home: Path) -> Iterator[Callable[[], Any]]:
    """Apps on the copy (a step clock starting after the negotiation), disposed at the end."""
    made: list[Any] = []

    def build() -> Any:
        clock = StepClock(factories.Clock().moment.replace(year=2027))
        app = bootstrap(
            home / "home",
            url=f"sqlite:///{home / 'accord.db'}",
            clock=clock,
            publisher=NullPublisher(),
        )
        app.step = clock.step
        made.append(app)
        return app

    yield build
    for app in made:
        app.store.engine.dispose()


@pytest.fixture
def accord(home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `accord ...` in-process on the copy; returns the result (exit_code, output)."""
    from flows.cli import app as cli

    monkeypatch.setenv("ACCORD_HOME", str(home / "home"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{home / 'accord.db'}")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args])
