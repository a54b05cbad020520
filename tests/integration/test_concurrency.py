"""60 parties submitting at once, from threads and from separate processes: nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from flows.usecases.status import event_log, status, verify
from tests import factories

N = 60
PROCESSES = 3


def _check_round(app: Any, expected: dict[str, str]) -> None:
    """Every party has exactly one current submission, with its own file; the log has one event each; all verifies."""
    state = status(app, factories.SLUG).as_json()
    submissions = state["latest_round"]["submissions"]
    assert len(submissions) == len(expected), "a submission was lost or recorded twice"
    assert Counter(s["party"] for s in submissions) == Counter(expected.keys())
    assert {s["party"]: s["blob_sha256"] for s in submissions} == expected
    assert all(s["status"] == "current" and not s["late"] for s in submissions)
    events = event_log(app, factories.SLUG)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    received = [e for e in events if e["type"] == "accord.submission.received"]
    assert sorted(e["actor"] for e in received) == sorted(expected)
    assert sorted(e["payload"]["submission"] for e in received) == sorted(
        s["id"] for s in submissions
    )
    report = verify(app, factories.SLUG)
    assert report["ok"] and report["events"] == len(events)


def _all_parties() -> list[str]:
    return [p.code for p in factories.parties(N)]


def test_sixty_parties_submit_from_threads(app: Any) -> None:
    factories.open_declaration(app, n=N)
    codes = _all_parties()
    files = {code: factories.party_submission(code) for code in codes}
    barrier = threading.Barrier(len(codes))

    def send(code: str) -> Any:
        barrier.wait()
        return factories.submit(app, code)

    with ThreadPoolExecutor(max_workers=len(codes)) as pool:
        receipts = list(pool.map(send, codes))
    assert not any(r.duplicate for r in receipts)
    assert len({r.submission for r in receipts}) == N
    _check_round(app, {code: factories.sha256_of(files[code]) for code in codes})


def test_sixty_parties_submit_from_separate_processes(
    app: Any, database_url: str, tmp_path: Path
) -> None:
    factories.open_declaration(app, n=N)
    codes = _all_parties()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    expected = {}
    for code in codes:
        data = factories.party_submission(code)
        (inbox / f"{code}.docx").write_bytes(data)
        expected[code] = factories.sha256_of(data)
    go = tmp_path / "go"
    workers = [
        factories.spawn_worker(
            app.home,
            database_url,
            [f"{c}={inbox / f'{c}.docx'}" for c in codes[i::PROCESSES]],
            go=go,
        )
        for i in range(PROCESSES)
    ]
    try:
        for worker in workers:
            assert factories.read_line(worker).get("ready")
        go.touch()
        lines = [line for worker in workers for line in _finish(worker)]
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    receipts = [json.loads(line) for line in lines]
    assert sorted(r["party"] for r in receipts) == sorted(codes)
    _check_round(app, expected)


def _finish(worker: subprocess.Popen[str]) -> list[str]:
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    return out.splitlines()


def test_same_party_racing_itself_keeps_one_current_submission(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files from one party in flight at once: the later supersedes the earlier, never two current ones.

    The party's previous submissions are read, then (slowly) the new one is written; a second submission that read
    before the first committed must not also become current.
    """
    import storage.repository

    factories.open_declaration(app, n=4)
    original = storage.repository.Repository.party_submissions

    def slow(self: Any, round_row: Any, party: Any) -> Any:
        rows = original(self, round_row, party)
        time.sleep(0.3)
        return rows

    monkeypatch.setattr(storage.repository.Repository, "party_submissions", slow)
    code = factories.delegations(4)[0]
    results: list[Any] = []

    def send(variant: int) -> None:
        time.sleep(0.15 * variant)
        results.append(factories.submit(app, code, variant))

    threads = [threading.Thread(target=send, args=(v,)) for v in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submissions = status(app, factories.SLUG).as_json()["latest_round"]["submissions"]
    assert len(submissions) == 2, "both files are kept"
    assert [s["status"] for s in submissions] == ["superseded", "current"]
    assert sorted(len(r.superseded) for r in results) == [0, 1]
    assert verify(app, factories.SLUG)["ok"]


def test_the_same_file_twice_at_once_is_recorded_once(app: Any) -> None:
    factories.open_declaration(app, n=4)
    code = factories.delegations(4)[0]
    barrier = threading.Barrier(8)

    def send(_: int) -> Any:
        barrier.wait()
        return factories.submit(app, code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(send, range(8)))
    assert len({r.submission for r in receipts}) == 1
    assert sum(not r.duplicate for r in receipts) == 1
    submissions = status(app, factories.SLUG).as_json()["latest_round"]["submissions"]
    assert len(submissions) == 1


def test_two_secretariats_creating_the_same_declaration_at_once(app: Any) -> None:
    """One declaration is created; the other attempt is refused in words (not a database error)."""
    from drafting.errors import InvalidInput

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create() -> None:
        barrier.wait()
        try:
            factories.create_declaration(app, n=4)
            outcomes.append("created")
        except InvalidInput as error:
            outcomes.append(f"refused: {error}")

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "created" and "already exists" in sorted(outcomes)[1], outcomes
    assert verify(app, factories.SLUG)["events"] == 2
