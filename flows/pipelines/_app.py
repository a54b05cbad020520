"""The app a flow run works with: bootstrapped once per process from ACCORD_HOME / ACCORD_DATABASE_URL."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime
from typing import Any

from flows.bootstrap import App, bootstrap

_WIRED: list[App] = []  # the app of this process, once made (or given with ``use``)


def app() -> App:
    """accord for the flow runs of this process: the one given with ``use``, else wired once from the environment
    the server or worker gives the flow run."""
    if not _WIRED:
        _WIRED.append(bootstrap())
    return _WIRED[0]


def use(wired: App | None) -> None:
    """Make ``wired`` the app the flow runs of this process use (None: wire it again from the environment)."""
    _WIRED.clear()
    if wired is not None:
        _WIRED.append(wired)


def plain(value: Any) -> dict[str, Any]:
    """A use case's result as plain data (the flow run's return value)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if not isinstance(value, dict):
        raise TypeError(f"a use case returned {type(value).__name__}, not a dataclass or a dict")
    return value


def wait_for_schedule(longest: float = 120.0) -> float:
    """Sleep until this run's scheduled time if it started early; return the seconds waited.

    Runners and workers prefetch scheduled runs (10 s by default) and start them as soon as their process is up,
    which can be before the deadline the run is for: a close started at 17:59:59 would find nothing due yet.
    """
    from flows.prefect_api import scheduled_start_time

    ahead = (scheduled_start_time() - datetime.now(UTC)).total_seconds()
    if 0 < ahead <= longest:
        time.sleep(ahead + 0.01)
        return ahead
    return 0.0
