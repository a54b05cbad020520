"""One Prefect server for the whole run, and `accord serve` joined to it, shared by every `prefect` test.

The server starts from a SQLite database migrated once and kept under pytest's cache folder (one file per Prefect
version), so a run skips the ~12 s of migrations. Services the tests do not read back are off: task-run recorder
and event persister (they write to SQLite while flows run: "database is locked", prefect#18934), scheduler, late
runs, foreman, cancellation cleanup, pause expirations, the UI. The triggers service stays on. In this process
the flow-run heartbeat is off (temporary_settings); it only delays each in-process flow's exit.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows import runtime

SERVICES_OFF = {
    f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false"
    for name in (
        "TASK_RUN_RECORDER",
        "EVENT_PERSISTER",
        "SCHEDULER",
        "LATE_RUNS",
        "FOREMAN",
        "CANCELLATION_CLEANUP",
        "PAUSE_EXPIRATIONS",
    )
}
SERVER = {
    "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false",
    "PREFECT_UI_ENABLED": "false",
    **SERVICES_OFF,
}


@pytest.fixture(scope="session")
def prefect_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A migrated, empty Prefect database, made once per Prefect version and kept in the pytest cache."""
    cache = getattr(
        request.config, "cache", None
    )  # absent with -p no:cacheprovider: a folder in /tmp then
    folder = (
        cache.mkdir("accord-prefect")
        if cache is not None
        else Path(tempfile.gettempdir()) / "accord-prefect"
    )
    Path(folder).mkdir(parents=True, exist_ok=True)
    template = Path(folder) / f"prefect-{importlib.metadata.version('prefect')}.db"
    if not template.exists():
        scratch = tmp_path_factory.mktemp("migrate")
        database = scratch / "template.db"
        command = [sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"]
        subprocess.run(
            command,
            env=runtime.server_env(scratch, database),
            check=True,
            capture_output=True,
            timeout=300,
        )
        part = template.with_suffix(
            f".{os.getpid()}.part"
        )  # concurrent runs: each writes its own, then renames
        shutil.copyfile(database, part)
        part.replace(template)
    return template


@pytest.fixture(scope="session")
def prefect_api(prefect_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's Prefect server (a copy of the template), the Prefect API of this process.

    It is set in Prefect's settings context (and as the process-global one, which threads such as the events
    worker see, as prefect_test_harness does), not in os.environ: tests that run later see no PREFECT_API_URL.
    """
    base = tmp_path_factory.mktemp("prefect-server")
    database = base / "prefect.db"
    shutil.copyfile(prefect_template, database)
    env = runtime.server_env(base, database, **SERVER)
    process, url = runtime.start_server(base, runtime.free_port(), env=env, log=base / "server.log")
    import prefect.context
    from prefect.events.worker import EventsWorker
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    try:
        with (
            temporary_settings({PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
            prefect.context._temporary_global_settings_context(
                prefect.context.get_settings_context()
            ),
        ):
            yield url
            EventsWorker.drain_all()
    finally:
        runtime.stop(process)


def flow_processes(parent: int) -> list[int]:
    """The flow runs' processes (`python -m prefect.engine`, live or zombie) a runner process has not yet reaped.

    Prefect's runner, when stopped, cancels with force every run whose process it still tracks: a run already
    Completed whose process is still exiting becomes Cancelled ("Runner is shutting down.",
    tests/flows/test_runner_shutdown.py). Tests that restart serve wait for this list to be empty first."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == parent and (b"prefect.engine" in command or fields[0] == "Z"):
            found.append(int(stat.parent.name))
    return found


class Served:
    """`accord serve --home HOME` in a subprocess, joined to the session's server; restartable."""

    def __init__(self, home: Path, url: str) -> None:
        self.home, self.url = home, url
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home / "serve.log"
        self._app: Any = None

    def start(self, timeout: float = 90.0) -> None:
        """Start serving and wait for its ready line."""
        env = {
            k: v for k, v in os.environ.items() if k not in ("ACCORD_DATABASE_URL", "PREFECT_HOME")
        }
        env.update(
            {
                "ACCORD_HOME": str(self.home),
                "PREFECT_API_URL": self.url,
                "PYTHONUNBUFFERED": "1",
                **runtime.QUIET,
            }
        )
        offset = self.log.stat().st_size if self.log.exists() else 0
        command = [
            sys.executable,
            "-c",
            "from flows.cli import main; main()",
            "serve",
            "--home",
            str(self.home),
        ]
        with open(self.log, "ab") as sink:
            self.process = subprocess.Popen(
                command,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.home,
            )
        deadline = time.monotonic() + timeout
        while b"serving " not in self.log.read_bytes()[offset:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"accord serve did not start:\n{self.log.read_text(errors='replace')[-3000:]}"
                )
            time.sleep(0.2)

    def flow_processes(self) -> list[int]:
        """The flow runs' processes serve has not yet reaped (see `flow_processes`)."""
        return flow_processes(self.process.pid) if self.process is not None else []

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM)."""
        if self.process is not None:
            runtime.stop(self.process)
            self.process = None

    def app(self) -> Any:
        """accord in this process, on the served home (events mirrored to the session's server)."""
        if self._app is None:
            from flows.bootstrap import bootstrap
            from flows.publish import PrefectPublisher

            self._app = bootstrap(self.home, publisher=PrefectPublisher())
        return self._app


@pytest.fixture(scope="module")
def served(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`accord serve` for one test module (its tests use declarations of their own in its home)."""
    home = tmp_path_factory.mktemp("served-home")
    server = Served(home, prefect_api)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if server._app is not None:
            server._app.store.engine.dispose()
