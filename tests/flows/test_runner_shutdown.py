"""Prefect's runner, stopped while a Completed run's process still exits, may force that run to Cancelled.

Found when tests/flows/test_served.py timed out about once in four CI-style runs under load: it restarted
`accord serve` as soon as the first ingest run was Completed, the run became Cancelled ("Runner is shutting
down."), and the test waited in vain for a Completed run. accord's own record was whole (the filing was logged,
and reconcile re-runs only what has no follow-up), but Prefect's showed a finished run as cancelled.

Measured with this file's flow (Prefect 3.9.1, 2026-12-07): stopped as soon as the run was Completed, the run
became Cancelled in 16 of 18 tries; in the other 2 it did not (one was seen still Completed, presumably when the
run's process had told the runner it was done first), so no test can pin it. Stopped once the process has exited,
it stays Completed: the served tests now restart serve once no flow run's process is left
(tests/flows/conftest.py `flow_processes`), as this test does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flows import runtime
from tests.flows.conftest import flow_processes
from tests.flows.waiting import wait_for

pytestmark = pytest.mark.prefect
ROOT = Path(__file__).resolve().parents[2]
RUNNER = """
import asyncio
from prefect.deployments.runner import EntrypointType
from prefect.runner import Runner
from tests.flows.lingering import lingering
runner = Runner(pause_on_shutdown=False)
runner.add_deployment(lingering.to_deployment(name="lingering", entrypoint_type=EntrypointType.MODULE_PATH))
print("serving", flush=True)
asyncio.run(runner.start())
"""


def test_a_runner_stopped_once_the_process_exited_leaves_the_run_completed(
    prefect_api: str, tmp_path: Path
) -> None:
    state = _stopped_once_completed(prefect_api, tmp_path)
    assert state.type.value == "COMPLETED", state.message


def _stopped_once_completed(url: str, folder: Path) -> Any:
    """Run `lingering` on a runner of its own, stop the runner once the run is Completed and its process has
    exited, and return the run's state then."""
    from prefect import get_client
    from prefect.deployments import run_deployment

    runner = _runner(url, folder)
    try:
        run = run_deployment("lingering/lingering", timeout=0, as_subflow=False)
        with get_client(sync_client=True) as client:
            wait_for(lambda: _completed(client, run.id), 120, "the lingering run to complete", 0.1)
            # the process lingers LINGER seconds after the run is Completed: flow_processes sees it
            assert flow_processes(runner.pid), "no flow-run process seen while it lingers"
            wait_for(lambda: not flow_processes(runner.pid), 60, "its process to exit", 0.1)
            runtime.stop(runner, timeout=60)
            return client.read_flow_run(run.id).state
    finally:
        runtime.stop(runner)


def _runner(url: str, folder: Path) -> subprocess.Popen[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "runner.log"
    env = {
        **os.environ,
        "PREFECT_API_URL": url,
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        **runtime.QUIET,
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with open(log, "ab") as sink:
        runner = subprocess.Popen(
            [sys.executable, "-c", RUNNER],
            env=env,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for(lambda: b"serving" in log.read_bytes() or runner.poll() is not None, 90, "the runner")
    assert runner.poll() is None, log.read_text(errors="replace")[-3000:]
    return runner


def _completed(client: Any, run_id: Any) -> bool:
    state = client.read_flow_run(run_id).state
    return state is not None and state.is_completed()
