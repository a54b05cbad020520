"""Refused decide and approve attempts are in the log, as the README says refusals are (issue 12, finding 11)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from drafting.errors import Forbidden, InvalidInput, NotFound, WrongState
from tests.audit_fixtures import SLUG, Run, accord, home, make, negotiated  # noqa: F401 (fixtures)


def _refusals(app: Any) -> list[tuple[str, str, str]]:
    with app.store.reading() as uow:
        events = uow.log(uow.repo.declaration(SLUG))
    return [
        (e.type, e.actor, e.payload["reason"])
        for e in events
        if e.type.endswith(".refused") and e.type != "accord.submission.refused"
    ]


def test_refused_decisions_and_approvals_are_logged_and_replayed(
    make: Callable[[], Any],  # noqa: F811
    accord: Run,
) -> None:  # noqa: F811
    from flows.usecases.decide import approve, decide
    from flows.usecases.replay import replay

    app = make()
    with pytest.raises(Forbidden):
        decide(
            app, SLUG, party="AT", data=b'{"decisions": {}}', filename="mine.json"
        )  # a delegation
    with pytest.raises(WrongState):
        decide(
            app, SLUG, party="ES", data=b'{"decisions": {}}', filename="late.json"
        )  # round already decided
    with pytest.raises(Forbidden):
        approve(app, SLUG, party="AT")
    with pytest.raises(WrongState):
        approve(app, SLUG, party="ES")  # Rev.2 is circulated already
    with pytest.raises(NotFound):
        approve(
            app, SLUG, party="XX"
        )  # no such party: refused as such, and the log names only real parties
    refusals = _refusals(app)
    assert [(kind, actor) for kind, actor, _ in refusals] == [
        ("accord.decision.refused", "AT"),
        ("accord.decision.refused", "ES"),
        ("accord.approval.refused", "AT"),
        ("accord.approval.refused", "ES"),
    ]
    assert "only the co-presidencies" in refusals[0][2] and "Rev.2" in refusals[3][2]
    assert accord("verify", SLUG).exit_code == 0
    report = replay(app, SLUG)  # appended as recorded: a refusal changed nothing to re-derive
    assert {"accord.decision.refused", "accord.approval.refused"} <= set(report.by_type)
    timeline = [
        e["summary"] for e in json.loads(accord("history", SLUG, "--json").stdout)["timeline"]
    ]
    assert any(s.startswith("Austria's approval refused: AT may not approve") for s in timeline), (
        timeline
    )


def test_a_malformed_decisions_file_is_logged_with_its_hash(make: Callable[[], Any]) -> None:  # noqa: F811
    from flows.usecases.decide import decide

    app = make()
    with pytest.raises((InvalidInput, WrongState)):
        decide(app, SLUG, party="ES", data=b"not json", filename="broken.json")
    assert _refusals(app)[-1][:2] == ("accord.decision.refused", "ES")


def test_files_refused_at_the_cli_edge_are_logged(
    accord: Run,
    make: Callable[[], Any],
    tmp_path: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: a file refused by the CLI before the use case (too large, not a regular file) was reported but
    not logged, while the same file refused by the use case was."""
    large = tmp_path / "AT-proposals.docx"
    large.write_bytes(b"PK" + b"\0" * 1998)
    monkeypatch.setenv("ACCORD_MAX_UPLOAD_BYTES", "1000")
    result = accord("submit", SLUG, "--party", "AT", str(large))
    assert (
        result.exit_code == 2
        and "2,000 bytes, more than a Word file may have (1,000)" in result.output
    )
    folder = tmp_path / "decisions.json"
    folder.mkdir()
    result = accord("decide", SLUG, "--party", "ES", str(folder))
    assert result.exit_code == 2 and "a folder; give the path of a decisions file" in result.output
    app = make()
    with app.store.reading() as uow:
        events = uow.log(uow.repo.declaration(SLUG))[-2:]
    assert [(e.type, e.actor) for e in events] == [
        ("accord.submission.refused", "AT"),
        ("accord.decision.refused", "ES"),
    ]
    assert (
        events[0].payload["size"] == 2000 and events[0].payload["sha256"] == ""
    )  # no byte of it was read
    assert (
        events[0].payload["filename"] == "AT-proposals.docx"
        and "more than a Word file" in events[0].payload["reason"]
    )
    assert events[1].payload["filename"] == "decisions.json"
    assert accord("verify", SLUG).exit_code == 0
    result = accord(
        "submit", SLUG, "--party", "XX", str(large)
    )  # no such party: refused as such, nothing logged
    assert result.exit_code == 2
    with app.store.reading() as uow:
        assert len(uow.log(uow.repo.declaration(SLUG))) == events[-1].seq
