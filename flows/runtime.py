"""Prefect's environment for accord: state inside the home folder, quiet, and only when a Prefect API is configured.

Nothing here imports prefect at module level: `import prefect` costs ~1.2 s and the interactive commands must
stay fast. Call `configure(home)` before the first prefect import of a process.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

API_URL = "PREFECT_API_URL"
QUIET = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def prefect_home(home: Path) -> Path:
    """Where Prefect keeps its profile and (for `accord serve`) its SQLite database."""
    return home / "prefect"


def prefect_env(home: Path) -> dict[str, str]:
    """The environment accord gives Prefect for a home folder."""
    return {"PREFECT_HOME": str(prefect_home(home)), **QUIET}


def configure(home: Path) -> None:
    """Set Prefect's environment for this process; variables the user set explicitly win."""
    for name, value in prefect_env(home).items():
        os.environ.setdefault(name, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def prefect_enabled() -> bool:
    """True when a Prefect API is configured: use cases then run as flows and events are mirrored."""
    return bool(os.environ.get(API_URL))


def run_use_case(home: Path, name: str, work: Callable[[], T]) -> T:
    """Call `work()` in-process, or as a Prefect flow run named `name` when PREFECT_API_URL is set."""
    if not prefect_enabled():
        return work()
    configure(home)
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    # A short in-process run needs no crash-detection heartbeat; its thread costs ~1 s at exit (prefect#19641).
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return flow(name=name, persist_result=False, log_prints=False, validate_parameters=False)(
            work
        )()


def demo_runner(home: Path, say: Callable[[str], None] = print) -> Callable[..., Any]:
    """A runner `run(step, fn, *args, **kw)` doing each step as a flow run (on PREFECT_API_URL, or a server of its own).

    The server is started at the first step, not before: the demo may first empty the home folder it lives in.
    """
    configure(home)

    def run(step: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not prefect_enabled():
            say(
                f"starting a Prefect server in {prefect_home(home)} (it stops when the demo ends) ..."
            )
            process, url = start_server(home, free_port())
            os.environ[API_URL] = url
            atexit.register(stop, process)
            say(f"Prefect UI {url.removesuffix('/api')}")
        return run_use_case(home, step, lambda: fn(*args, **kwargs))

    return run


def schedule(deployment: str, parameters: dict[str, Any], at: str, key: str) -> str:
    """Create a run of a deployment scheduled for `at` (ISO UTC); the same key never schedules twice."""
    from prefect.exceptions import ObjectNotFound

    from drafting.errors import NotFound
    from flows.prefect_api import run_deployment_later

    try:
        return run_deployment_later(
            f"{deployment}/{deployment}",
            parameters=parameters,
            key=key,
            at=datetime.fromisoformat(at.replace("Z", "+00:00")),
            title=f"{deployment} at {at}",
        )
    except ObjectNotFound:
        raise NotFound(
            f"deployment {deployment} is not registered at {os.environ.get(API_URL)}; start `accord serve` "
            "or run `prefect deploy --all` there"
        ) from None


# ---- a Prefect server of our own (accord serve, the tests)


def server_env(home: Path, database: Path | None = None, **overrides: str) -> dict[str, str]:
    """Environment for `prefect server start` on SQLite inside the home folder."""
    database = database or prefect_home(home) / "prefect.db"
    env = {k: v for k, v in os.environ.items() if k != API_URL}
    env.update(prefect_env(home))
    env["PREFECT_API_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{database}"
    env.update(overrides)
    return env


def start_server(
    home: Path,
    port: int,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 90.0,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `prefect server start` as a subprocess and wait until it answers; return it and its API URL."""
    prefect_home(home).mkdir(parents=True, exist_ok=True)
    log = log or prefect_home(home) / "server.log"
    command = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            command,
            env=env or server_env(home),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(url, timeout, process)
    except BaseException:
        stop(process)
        raise
    return process, url


def wait_healthy(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until the Prefect API at `url` answers /health."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"the Prefect server exited with code {process.returncode}; see its log"
            )
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the Prefect API at {url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop a subprocess we started (SIGTERM to its session, then SIGKILL)."""
    if process.poll() is not None:
        return
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)
    except ProcessLookupError:
        pass


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
