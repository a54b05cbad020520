"""The hash chain alone cannot tell that events were cut from the end of the log; an anchor written down outside
accord (`accord verify` prints the head) can."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from tests.audit_scenario import StepClock, negotiate, query, sql

SLUG = "anchored"


@pytest.fixture
def accord(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    clock = StepClock()
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    try:
        negotiate(app, clock, slug=SLUG, parties=3, rounds=1, agree=False)
    finally:
        app.store.engine.dispose()
    from flows.cli import app as cli

    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{tmp_path / 'accord.db'}")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli, [str(a) for a in args])


def _head(accord: Any) -> str:
    result = accord("verify", SLUG)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[-1].removeprefix("head: ")


def test_verify_prints_the_head_and_accepts_it_as_an_anchor(accord: Any, tmp_path: Path) -> None:
    head = _head(accord)
    last, digest = query(tmp_path, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")[0]
    assert head == f"{last}:{digest}"
    seq, full = head.split(":")
    result = accord(
        "verify", SLUG, "--anchor", f"{seq}:{full[:12]}"
    )  # a prefix is enough to write down
    assert result.exit_code == 0 and f"the log still holds event {seq}:" in result.output


def test_events_cut_from_the_end_pass_the_chain_but_not_the_anchor(
    accord: Any, tmp_path: Path
) -> None:
    head = _head(accord)
    last = int(head.split(":")[0])
    sql(
        tmp_path, f"DELETE FROM events WHERE seq > {last - 2}"
    )  # the tail: what a pen-holder would hide
    assert (
        "versions: Rev.1 has state 'circulated' in the table" in accord("verify", SLUG).output
    )  # its state stays
    sql(
        tmp_path,
        "DELETE FROM approvals WHERE id = (SELECT MAX(id) FROM approvals)",  # so they hide that too
        "UPDATE versions SET state = 'draft' WHERE label = 'Rev.1'",
    )
    assert (
        accord("verify", SLUG).exit_code == 0
    )  # what remains still chains, and the tables agree with it
    result = accord("verify", SLUG, "--anchor", head)
    assert result.exit_code == 1
    assert f"the log ends at event {last - 2}, but the anchor names event {last}" in result.output


def test_a_rewritten_log_does_not_match_the_anchor(accord: Any, tmp_path: Path) -> None:
    seq = int(_head(accord).split(":")[0]) - 1
    anchor = f"{seq}:{'0' * 16}"
    result = accord("verify", SLUG, "--anchor", anchor)
    assert (
        result.exit_code == 1
        and f"event {seq} has the hash" in result.output
        and "rewritten" in result.output
    )


@pytest.mark.parametrize("anchor", ["12", "x:abcdefabcdef", "3:abc", "3:zzzzzzzzzzzzzz"])
def test_a_malformed_anchor_is_refused_in_words(accord: Any, anchor: str) -> None:
    result = accord("verify", SLUG, "--anchor", anchor)
    assert (
        result.exit_code == 2
        and "is not SEQ:HASH" in result.output
        and len(result.output.splitlines()) == 1
    )


def test_the_bundle_checks_an_anchor_too(tmp_path: Path) -> None:
    """An auditor with only the bundle and an anchor from the minutes: verify.py, standard library alone."""
    from flows.usecases.archive import archive, verify_bundle
    from tests.audit_scenario import unpack, verify_py

    clock = StepClock()
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    try:
        negotiate(app, clock, slug=SLUG, parties=3, rounds=1)
        bundle = tmp_path / "bundle.zip"
        archive(app, SLUG, bundle, convert=None)
        events = query(tmp_path, "SELECT seq, hash FROM events ORDER BY seq")
    finally:
        app.store.engine.dispose()
    seq, digest = events[-1]  # the seal is the bundle's last event
    folder = unpack(bundle, tmp_path / "unpacked")
    held = verify_py(folder, "--anchor", f"{seq}:{digest[:12]}")
    assert held.returncode == 0 and f"anchor: the log holds event {seq}" in held.stdout, (
        held.stdout + held.stderr
    )
    cut = verify_py(folder, "--anchor", f"{seq + 5}:{digest}")
    assert cut.returncode == 1 and f"but the anchor names event {seq + 5}" in cut.stdout
    rewritten = verify_py(folder, "--anchor", f"{seq}:{'0' * 12}")
    assert rewritten.returncode == 1 and "the log was rewritten" in rewritten.stdout
    malformed = verify_py(folder, "--anchor", "yesterday")
    assert malformed.returncode == 2 and "is not SEQ:HASH" in malformed.stderr
    assert any(line.startswith("anchor: ") for line in verify_bundle(bundle, f"{seq}:{digest}"))


def test_a_malformed_anchor_with_a_bundle_is_refused_in_words(accord: Any, tmp_path: Path) -> None:
    (tmp_path / "bundle.zip").write_bytes(b"")
    result = accord("verify", tmp_path / "bundle.zip", "--anchor", "yesterday")
    assert result.exit_code == 2 and "anchor 'yesterday' is not SEQ:HASH" in result.output
