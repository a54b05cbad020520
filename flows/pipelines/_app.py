"""The app a flow run works with: bootstrapped once per process from ACCORD_HOME / ACCORD_DATABASE_URL."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from flows.bootstrap import App, bootstrap


@functools.cache
def app() -> App:
    """accord, wired from the environment the server or worker gives the flow run."""
    return bootstrap()


def plain(value: Any) -> Any:
    """A use case's result as plain data (the flow run's return value)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value
