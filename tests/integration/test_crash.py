"""kill -9 in the middle of a submission: nothing committed is lost, nothing half-written remains, verify passes.

The submitter is another process (``python -m tests.factories submit``). To kill it inside its transaction, that
worker alone monkeypatches the event log to pause after the submission, its blob and its event are written and
before the commit; accord itself has no such hook.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from flows.usecases.status import event_log, status, verify
from tests import factories

SLUG = factories.SLUG


def _wait_for(path: Path, worker: subprocess.Popen[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if worker.poll() is not None:
            raise AssertionError(
                f"the worker ended early: {worker.stderr.read() if worker.stderr else ''}"
            )
        assert time.monotonic() < deadline, "the worker never reached its transaction"
        time.sleep(0.02)


def _kill(worker: subprocess.Popen[str]) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    for stream in (worker.stdout, worker.stderr):
        if stream:
            stream.close()


def _stored_blobs(app: Any) -> set[str]:
    with app.store.engine.connect() as connection:
        return set(connection.execute(text("SELECT sha256 FROM blobs")).scalars())


def _brought_by(submission: dict[str, Any]) -> set[str]:
    """The blobs a submission's transaction stores: the file, and its reading when accord keeps one."""
    reading = submission["summary"].get("reading")
    return {submission["blob_sha256"], *([reading] if isinstance(reading, str) else [])}


def _consistent(app: Any, baseline: set[str]) -> dict[str, Any]:
    """No half-written state: every submission has its event, and every blob beyond ``baseline`` (those present
    before the submitter started) was brought by a recorded submission; verify passes."""
    state = status(app, SLUG).as_json()
    submissions = state["latest_round"]["submissions"]
    events = event_log(app, SLUG)
    received = {
        e["payload"]["submission"]: e for e in events if e["type"] == "accord.submission.received"
    }
    assert sorted(received) == sorted(s["id"] for s in submissions), (
        "a submission without its event, or the reverse"
    )
    for submission in submissions:
        assert received[submission["id"]]["payload"]["blob"] == submission["blob_sha256"]
    stored = _stored_blobs(app)
    brought = set().union(*(_brought_by(s) for s in submissions)) if submissions else set()
    assert stored - baseline == brought - baseline, (
        "a blob was left without the submission that brought it"
    )
    assert verify(app, SLUG)["ok"]
    return {"submissions": submissions, "events": events, "blobs": stored}


def test_killed_inside_the_transaction(app: Any, database_url: str, tmp_path: Path) -> None:
    factories.open_declaration(app, n=8)
    baseline = _stored_blobs(app)
    first, second, victim = factories.delegations(8)[:3]
    factories.submit(app, first)
    factories.submit(app, second)
    before = _consistent(app, baseline)

    victim_file = tmp_path / f"{victim}.docx"
    victim_file.write_bytes(factories.party_submission(victim))
    marker = tmp_path / "in-transaction"
    worker = factories.spawn_worker(
        app.home, database_url, [f"{victim}={victim_file}"], sleep_in_transaction=60, marker=marker
    )
    _wait_for(marker, worker)
    assert json.loads(marker.read_text())["seq"] == len(before["events"]) + 1
    _kill(worker)

    after = _consistent(app, baseline)
    assert after == before, (
        "the killed submission left nothing behind, and nothing committed was lost"
    )
    receipt = factories.submit(app, victim)
    assert not receipt.duplicate, "the party can submit again at once: no lock survives the crash"
    assert len(_consistent(app, baseline)["submissions"]) == 3


def test_killed_at_a_random_moment_of_a_submitting_loop(
    app: Any, database_url: str, tmp_path: Path
) -> None:
    factories.open_declaration(app, n=12)
    codes = factories.delegations(12)
    files = []
    for variant in range(4):
        for code in codes:
            path = tmp_path / f"{code}-{variant + 1}.docx"
            path.write_bytes(factories.party_submission(code, variant))
            files.append(f"{code}={path}")
    baseline = _stored_blobs(app)
    worker = factories.spawn_worker(app.home, database_url, files)
    assert factories.read_line(worker).get("ready")
    # A random point of the loop, counted in confirmed submissions (a wall-clock delay let a fast machine finish
    # the whole loop first), then a random instant inside the next one.
    confirmed = [factories.read_line(worker) for _ in range(random.randint(1, len(files) // 2))]
    delay = random.uniform(0.0, 0.01)
    time.sleep(delay)
    _kill(worker)

    state = _consistent(app, baseline)
    ids = {s["id"] for s in state["submissions"]}
    assert {r["submission"] for r in confirmed} <= ids, (
        f"a confirmed submission was lost (kill after {delay:.3f} s)"
    )
    assert len(ids) < len(files), "the worker was killed before it finished"
    current = [s for s in state["submissions"] if s["status"] == "current"]
    assert len({s["party"] for s in current}) == len(current), "one current submission per party"
