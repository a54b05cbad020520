"""Event-to-flow-run latency: `accord.submission.received` -> the triggered ingest-submission run under `accord serve`.

Run: .venv/bin/python bench/events.py [--runs 10] [--poll 1]

Starts a Prefect server on SQLite in a temporary home (or joins PREFECT_API_URL) and `accord serve` on that home,
creates a declaration, then submits one file at a time and waits until the triggered run has filed it. For each
submission it prints, from the event's time (Prefect's `occurred`, carried into the run's parameters):

- created:  the automation created the flow run (Prefect's triggers service);
- running:  `serve()` picked the run up and its subprocess started the flow (poll interval + process start);
- done:     the run completed (the use case itself takes ~0.1-0.5 s);
- filed:    this script saw `accord.submission.filed` in accord's log (polled every 50 ms).

Nothing is asserted: the figures depend on the machine and its load (printed with the results).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows import runtime  # noqa: E402


def main() -> None:
    """Measure and print."""
    options = _arguments()
    home = Path(tempfile.mkdtemp(prefix="accord-bench-events-"))
    runtime.configure(home)
    server = None
    if not runtime.prefect_enabled():
        started = time.perf_counter()
        server, url = runtime.start_server(
            home, runtime.free_port(), env=runtime.server_env(home, PREFECT_UI_ENABLED="false")
        )
        os.environ[runtime.API_URL] = url
        print(
            f"Prefect server (fresh SQLite, migrations included) up in {time.perf_counter() - started:.1f} s"
        )
    serve = _serve(home, options.poll)
    try:
        rows = _measure(home, options.runs)
    finally:
        runtime.stop(serve)
        if server is not None:
            runtime.stop(server)
    _report(rows, options)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="submissions to time (default 10)")
    parser.add_argument(
        "--poll",
        default="1",
        help="PREFECT_RUNNER_POLL_FREQUENCY for serve (default 1; Prefect's is 10)",
    )
    return parser.parse_args()


def _serve(home: Path, poll: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ACCORD_HOME": str(home), "PREFECT_RUNNER_POLL_FREQUENCY": poll}
    log = home / "serve.log"
    started = time.perf_counter()
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from flows.cli import main; main()", "serve"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
    while b"serving " not in log.read_bytes():
        if process.poll() is not None:
            raise SystemExit(f"accord serve exited:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
    print(f"accord serve ready in {time.perf_counter() - started:.1f} s (poll every {poll} s)")
    return process


def _measure(home: Path, count: int) -> list[dict[str, float]]:
    from flows.bootstrap import bootstrap
    from tests import factories

    app = bootstrap(home)
    slug = "bench"
    factories.open_declaration(app, slug=slug, n=min(60, count + 2))
    _wait(
        lambda: _run_of("plan-timers", slug, None), 120
    )  # let the round's own trigger finish first
    rows = []
    for code in factories.delegations(min(60, count + 2))[:count]:
        submitted = time.time()
        receipt = factories.submit(app, code, slug=slug)
        _wait(lambda: _filed(app, slug, receipt.submission), 120)
        filed = time.time()
        run = _wait(lambda: _run_of("ingest-submission", slug, receipt.submission), 30)
        occurred = datetime.fromisoformat(run.parameters["occurred"]).timestamp()
        rows.append(
            {
                "created": run.created.timestamp() - occurred,
                "running": run.start_time.timestamp() - occurred,
                "done": run.end_time.timestamp() - occurred,
                "filed": filed - occurred,
                "submit": occurred - submitted,
            }
        )
        print(f"  {code}: " + "  ".join(f"{k} {v:6.2f} s" for k, v in rows[-1].items()), flush=True)
    return rows


def _filed(app: Any, slug: str, submission: int) -> bool:
    from flows.usecases.status import event_log

    return any(
        e["type"] == "accord.submission.filed" and e["payload"]["submission"] == submission
        for e in event_log(app, slug)
    )


def _run_of(deployment: str, slug: str, submission: int | None) -> Any:
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    with get_client(sync_client=True) as client:
        found = client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment]))
        )
    for run in found:
        mine = run.parameters.get("slug") == slug and submission in (
            None,
            run.parameters.get("submission"),
        )
        if mine and run.state is not None and run.state.is_final():
            return run
    return None


def _wait(check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise SystemExit(f"timed out after {timeout:.0f} s")


def _report(rows: list[dict[str, float]], options: argparse.Namespace) -> None:
    print(
        f"\n{len(rows)} submissions, serve poll {options.poll} s, load average {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} cores; seconds after the event:"
    )
    for key in ("created", "running", "done", "filed"):
        values = sorted(row[key] for row in rows)
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(
            f"  {key:<8} median {statistics.median(values):6.2f}   p90 {p90:6.2f}   max {values[-1]:6.2f}"
        )


if __name__ == "__main__":
    main()
