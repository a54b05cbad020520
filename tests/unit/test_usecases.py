"""The use cases of the state machine against a unit of work in memory (tests/unit/fakes.py): what each records,
what it changes, and that a refusal leaves no trace. No database, no Word file; milliseconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.negotiation import RoundState, VersionState
from flows.usecases import deadlines, decide, rounds, silence
from tests.unit.fakes import (
    SLUG,
    FakeRepository,
    add_round,
    add_version,
    fake_app,
    seed_declaration,
)


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def log(app: Any) -> list[tuple[str, str]]:
    return [(e.type, e.actor) for e in app.store.uow.log_]


def test_open_then_close_a_round(app: Any) -> None:
    repo = seed_declaration(app)
    opened = rounds.open_round(app, SLUG, deadline="2026-12-04T18:00:00+01:00")
    assert (opened.number, opened.version, opened.deadline) == (
        1,
        "Zero draft",
        "2026-12-04T17:00:00Z",
    )
    assert repo.rounds_[0].state == "open"
    owed = app.store.uow.outbox.shares  # each party's copy owed in the opening's transaction
    assert [(o.kind, o.key, o.party, o.outcome) for o in owed] == [
        ("accord.round.distributed", {"round": 1}, code, None) for code in ("AT", "BO", "ES", "MX")
    ]
    app.clock.step()
    assert rounds.close_round(app, SLUG) == 1
    assert repo.rounds_[0].state == "closed" and repo.rounds_[0].closed_at == app.now()
    assert log(app) == [
        ("accord.round.opened", "secretariat"),
        ("accord.round.closed", "secretariat"),
    ]
    assert app.store.uow.log_[0].payload["parties"] == ["AT", "BO", "ES", "MX"]
    assert [e.type for e in app.publisher.events] == [
        t for t, _ in log(app)
    ]  # published after each commit


def test_a_refused_round_leaves_no_trace(app: Any) -> None:
    repo = seed_declaration(app)
    rounds.open_round(app, SLUG)
    with pytest.raises(WrongState, match="round 1 of 'eu-celac' is still open"):
        rounds.open_round(
            app, SLUG, deadline="not a time"
        )  # the state is refused before the deadline is read
    rounds.close_round(app, SLUG)
    with pytest.raises(InvalidInput, match="not ISO 8601"):
        rounds.open_round(app, SLUG, deadline="not a time")
    assert [r.state for r in repo.rounds_] == ["closed"] and len(log(app)) == 2


def test_a_round_opens_only_on_a_circulated_version(app: Any) -> None:
    repo = seed_declaration(app)
    add_version(repo, 1, VersionState.DRAFT)
    with pytest.raises(WrongState, match="Rev.1 of 'eu-celac' is draft, not circulated"):
        rounds.open_round(app, SLUG)
    with pytest.raises(WrongState, match="no open round to close"):
        rounds.close_round(app, SLUG)
    assert log(app) == [] and app.store.commits == 0


def test_both_co_presidencies_approve_then_the_revision_circulates(app: Any) -> None:
    repo = seed_declaration(app)
    add_version(repo, 1, VersionState.DRAFT)
    app.store.uow.documents[repo.versions_[-1].blob_sha256] = b"Rev.1 document"
    assert decide.approve(app, SLUG, party="ES") == {
        "version": "Rev.1",
        "approved_by": ["ES"],
        "circulated": False,
    }
    with pytest.raises(WrongState, match="ES has already approved Rev.1"):
        decide.approve(app, SLUG, party="ES")
    with pytest.raises(Forbidden, match="AT may not approve a revision"):
        decide.approve(app, SLUG, party="AT")
    assert decide.approve(app, SLUG, party="BO")["circulated"] is True
    assert repo.versions_[-1].state == "circulated" and len(repo.approvals_) == 2
    assert log(app) == [
        ("accord.version.approved", "ES"),
        ("accord.approval.refused", "ES"),
        ("accord.approval.refused", "AT"),
        ("accord.version.approved", "BO"),
        ("accord.version.circulated", "secretariat"),
    ]  # refusals are logged, with their reason
    assert app.store.uow.log_[2].payload == {
        "party": "AT",
        "reason": "AT may not approve a revision: only the co-presidencies (BO, ES) do",
    }
    assert (
        app.home / "declarations" / SLUG / "versions" / "Rev.1.docx"
    ).read_bytes() == b"Rev.1 document"


def test_agreement_refuses_brackets_then_agrees(app: Any) -> None:
    repo = seed_declaration(app, brackets=("p002",))
    with pytest.raises(WrongState, match="1 bracketed paragraph"):
        silence.agree(app, SLUG)
    add_version(repo, 1, VersionState.CIRCULATED)
    assert silence.agree(app, SLUG) == "Rev.1"
    assert repo.versions_[-1].state == "agreed" and log(app) == [
        ("accord.version.agreed", "secretariat")
    ]
    assert app.store.uow.log_[0].payload["via"] == "agreement"
    assert (
        "document" not in app.store.uow.log_[0].payload and repo.artifacts_ == []
    )  # no symbol: as before


def test_an_objection_in_time_breaks_the_silence_and_a_late_one_is_refused(app: Any) -> None:
    repo = seed_declaration(app)
    _under_silence(app, repo, until="2026-12-02T09:00:00Z")
    with pytest.raises(Forbidden, match="only its parties may object"):
        silence.object_to(app, SLUG, party="XX", reason="no")
    broken = silence.object_to(app, SLUG, party="MX", reason="  paragraph 3  ")
    assert (broken.state, broken.silence) == ("broken", 1)
    assert repo.silences_[0].objection == '{"party":"MX","reason":"paragraph 3"}'
    assert repo.versions_[-1].state == "circulated"
    with pytest.raises(WrongState, match="already broken"):
        silence.object_to(app, SLUG, party="AT", reason="me too")
    assert log(app)[-1] == ("accord.silence.broken", "MX")


def test_a_silence_expires_once_due_and_its_text_is_adopted(app: Any) -> None:
    repo = seed_declaration(app)
    _under_silence(app, repo, until="2026-12-02T09:00:00Z")
    assert silence.end_silence(app, SLUG) is None  # not yet due: nothing recorded
    app.clock.step(days=2)
    with pytest.raises(WrongState, match="an objection after that does not count"):
        silence.object_to(app, SLUG, party="MX", reason="late")
    assert silence.end_silence(app, SLUG) == "Zero draft"
    assert repo.silences_[0].state == "expired" and repo.versions_[-1].state == "agreed"
    assert [t for t, _ in log(app)][-2:] == ["accord.silence.expired", "accord.version.agreed"]
    assert (
        "document" not in app.store.uow.log_[-1].payload
    )  # a declaration without symbol: as before symbols
    assert silence.end_silence(app, SLUG) is None


def test_a_deadline_is_recorded_once_and_only_when_past(app: Any) -> None:
    repo = seed_declaration(app)
    add_round(repo, RoundState.OPEN, deadline="2026-12-01T18:00:00Z")
    assert deadlines.reach_deadline(app, SLUG, 1) is False
    app.clock.step(hours=10)
    assert deadlines.reach_deadline(app, SLUG, 2) is False
    assert deadlines.reach_deadline(app, SLUG, 1) is True
    assert deadlines.reach_deadline(app, SLUG, 1) is False  # once
    assert log(app) == [("accord.round.deadline-reached", "secretariat")]
    assert [t.kind for t in deadlines.timers(app, SLUG)] == ["close"]


def _under_silence(app: Any, repo: FakeRepository, until: str) -> None:
    """The current version put under silence by the use case itself, without its mail (tested elsewhere)."""
    from drafting.lifecycle import Silence

    def work(uow: Any) -> None:
        declaration = uow.repo.declaration(SLUG)
        procedure, started = Silence.start(
            1, uow.repo.get_version(declaration), until, app.now(), None
        )
        uow.repo.add_silence(declaration, procedure)
        uow.record(declaration, started, "secretariat", app.now())

    app.store.transaction(work)
