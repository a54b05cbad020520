"""Prefect's overhead on a round: 60 submissions through Prefect flows against the same use case called directly.

Run: .venv/bin/python bench/round.py [--parties 60] [--backends sqlite,postgresql] [--variants run_use_case,flow_task]

One Prefect server is started for the whole bench (a fresh SQLite database, so its start-up includes Prefect's
migrations); its start-up is printed on its own and kept out of the per-submission figures. Prefect's state lives in
a temporary PREFECT_HOME, logging at WARNING. Each backend gets fresh databases: SQLite in a temporary folder,
PostgreSQL as ``accord_bench_<random>`` on ACCORD_TEST_POSTGRES_URL (skipped, saying so, when that is unset or silent).

There is no flow dedicated to submitting in flows/pipelines/ (``ingest-submission`` files a submission that was
already received, on the ``accord.submission.received`` trigger), so the bench wraps the `submit` use case itself:

- ``direct``: ``flows.usecases.submissions.submit`` in-process, no Prefect at all (what `accord submit` does);
- ``run_use_case``: the same call through ``flows.runtime.run_use_case``, accord's own way of running a use case as a
  Prefect flow run when PREFECT_API_URL is set (heartbeat off), events mirrored to Prefect with ``emit_event``;
- ``flow_task``: a flow defined here whose one task calls the use case (the house style for flows/), same mirroring.

Submissions are sequential: the figure is the latency a delegation sees, and the ratio is Prefect's overhead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POSTGRES_ENV = "ACCORD_TEST_POSTGRES_URL"
VARIANTS = ("run_use_case", "flow_task")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help=f"flow variants among {', '.join(VARIANTS)}"
    )
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="accord-bench-round-"))
    _quiet_prefect(scratch / "prefect-home")

    from tests import factories

    started = time.perf_counter()
    codes = [p.code for p in factories.parties(args.parties)]
    for code in codes:
        factories.party_submission(code)
    print(
        f"{len(codes)} party files built in {time.perf_counter() - started:.1f} s "
        f"(2 cores here; load average {os.getloadavg()[0]:.1f} at start)"
    )

    from flows import runtime

    started = time.perf_counter()
    server, url = runtime.start_server(
        scratch,
        runtime.free_port(),
        env=runtime.server_env(scratch),
        log=scratch / "prefect-server.log",
        timeout=180,
    )
    os.environ["PREFECT_API_URL"] = url
    print(
        f"Prefect server start-up (fresh database, migrations included): {time.perf_counter() - started:.1f} s "
        "-- not counted below"
    )
    try:
        started = time.perf_counter()
        _warm_up(scratch)
        print(
            f"first flow run of the process (client set-up, imports): {time.perf_counter() - started:.1f} s "
            "-- not counted below"
        )
        rows = []
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            rows += _bench_backend(
                backend, codes, scratch, [v.strip() for v in args.variants.split(",") if v.strip()]
            )
    finally:
        runtime.stop(server)
    _print_table(rows, len(codes))
    return 0


def _quiet_prefect(home: Path) -> None:
    """Prefect's state in a temporary folder, and quiet; set before prefect is first imported."""
    home.mkdir(parents=True)
    os.environ.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
    )
    os.environ.pop("PREFECT_API_URL", None)


def _warm_up(home: Path) -> None:
    from flows import runtime

    runtime.run_use_case(home, "warm-up", lambda: None)


def _bench_backend(
    backend: str, codes: list[str], scratch: Path, variants: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for variant in ["direct", *variants]:
        with _database(backend, scratch / f"{backend}-{variant}") as url:
            if url is None:
                print(f"{backend}: skipped ({POSTGRES_ENV} unset or the server does not answer)")
                return rows
            times = _run(variant, url, scratch / f"{backend}-{variant}", codes)
            rows.append({"backend": backend, "variant": variant, "times": times})
            print(
                f"{backend:<10} {variant:<13} {sum(times):7.2f} s for {len(times)} submissions",
                flush=True,
            )
    return rows


class _database:
    """A fresh database for one run: a SQLite file, or a PostgreSQL database dropped afterwards."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder, self.name = (
            backend,
            folder,
            f"accord_bench_{uuid.uuid4().hex[:10]}",
        )
        self.admin = os.environ.get(POSTGRES_ENV, "")

    def __enter__(self) -> str | None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / 'accord.db'}"
        if not self.admin:
            return None
        try:
            self._admin(f'CREATE DATABASE "{self.name}"')
        except Exception:  # a silent server means: skip this backend, saying so
            return None
        from sqlalchemy.engine import make_url

        return make_url(self.admin).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        if self.backend != "sqlite" and self.admin:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        plain = (
            make_url(self.admin).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as connection:
            connection.execute(statement)


def _run(variant: str, url: str, home: Path, codes: list[str]) -> list[float]:
    """Open a round on a fresh declaration, then time each party's submission (set-up not timed)."""
    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher
    from tests import factories

    app = bootstrap(home, url=url, publisher=NullPublisher() if variant == "direct" else None)
    factories.open_declaration(app, n=len(codes))
    call = _caller(variant, home)
    times = []
    try:
        for code in codes:
            data = factories.party_submission(code)
            started = time.perf_counter()
            receipt = call(_submission(app, code, data))
            times.append(time.perf_counter() - started)
            assert not receipt["duplicate"] if isinstance(receipt, dict) else not receipt.duplicate
        _check(app, codes)
    finally:
        app.store.engine.dispose()
    return times


def _submission(app: Any, code: str, data: bytes) -> Callable[[], Any]:
    """The use case call as a function of no arguments: Prefect sees no parameters, never the document."""
    from flows.usecases.submissions import submit

    return lambda: submit(app, "eu-celac", party=code, data=data, filename=f"{code}.docx")


def _caller(variant: str, home: Path) -> Callable[[Callable[[], Any]], Any]:
    if variant == "direct":
        return lambda work: work()
    if variant == "run_use_case":
        from flows import runtime

        return lambda work: runtime.run_use_case(home, "submit", work)
    if variant == "flow_task":
        return _flow_task()
    raise SystemExit(f"unknown variant {variant!r}; choose among direct, {', '.join(VARIANTS)}")


def _flow_task() -> Callable[[Callable[[], Any]], Any]:
    """A flow with one task that runs the use case (a closure: the bench passes no documents through Prefect)."""
    from prefect import flow, task
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    @task(name="submit-file", persist_result=False)
    def submit_task(work: Callable[[], Any]) -> Any:
        return work()

    @flow(name="submit", persist_result=False, validate_parameters=False)
    def submit_flow(work: Callable[[], Any]) -> Any:
        return submit_task(work)

    def call(work: Callable[[], Any]) -> Any:
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return submit_flow(work)

    return call


def _check(app: Any, codes: list[str]) -> None:
    from flows.usecases.status import status, verify

    submissions = status(app, "eu-celac").as_json()["latest_round"]["submissions"]
    assert sorted(s["party"] for s in submissions) == sorted(codes), (
        "a submission was lost or doubled"
    )
    assert verify(app, "eu-celac")["ok"]


def _print_table(rows: list[dict[str, Any]], n: int) -> None:
    print()
    print(
        f"{n} sequential submissions, wall time (ratio = per-submission time / direct on the same backend)"
    )
    print(
        f"{'backend':<11}{'path':<14}{'total s':>9}{'mean ms':>9}{'median ms':>11}{'p90 ms':>8}{'ratio':>8}"
    )
    direct = {r["backend"]: statistics.mean(r["times"]) for r in rows if r["variant"] == "direct"}
    for row in rows:
        times = sorted(row["times"])
        mean = statistics.mean(times)
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
        ratio = mean / direct[row["backend"]]
        print(
            f"{row['backend']:<11}{row['variant']:<14}{sum(times):>9.2f}{mean * 1e3:>9.0f}"
            f"{statistics.median(times) * 1e3:>11.0f}{p90 * 1e3:>8.0f}{ratio:>7.1f}x"
        )


if __name__ == "__main__":
    sys.exit(main())
