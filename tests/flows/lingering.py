"""A flow whose process lingers after its run is Completed, as any flow's may while Prefect flushes its events
(tests/flows/test_runner_shutdown.py)."""

from __future__ import annotations

import atexit
import time

from prefect import flow

LINGER = 8.0  # seconds the process lives on after the run is Completed


@flow
def lingering() -> None:
    atexit.register(time.sleep, LINGER)
