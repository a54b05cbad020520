"""A round's deadline moved later, and a silence expired and its text adopted as two separate steps (as the flows
call them), against the unit of work in memory (tests/unit/fakes.py): what each records, what it changes, and
that a refusal leaves no trace. No database, no Word file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.errors import IntegrityError, InvalidInput, WrongState
from drafting.negotiation import RoundState, VersionState
from flows.usecases import rounds, silence
from tests.unit.fakes import SLUG, add_round, add_version, fake_app, seed_declaration
from tests.unit.test_usecases import _under_silence


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def types(app: Any) -> list[str]:
    return [e.type for e in app.store.uow.log_]


def test_an_open_round_s_deadline_is_moved_later_and_recorded(app: Any) -> None:
    repo = seed_declaration(app)
    add_round(repo, RoundState.OPEN, deadline="2026-12-04T17:00:00Z")
    moved = rounds.extend_deadline(app, SLUG, "2026-12-05T18:00:00+01:00", by="account:7")
    assert moved == rounds.OpenedRound(
        number=1, version="Zero draft", deadline="2026-12-05T17:00:00Z"
    )
    assert repo.rounds_[0].deadline == "2026-12-05T17:00:00Z" and repo.rounds_[0].state == "open"
    [extended] = app.store.uow.log_
    assert (extended.type, extended.actor, extended.occurred_at) == (
        "accord.round.deadline-extended",
        "secretariat",
        "2026-12-01T09:00:00Z",
    )
    assert extended.payload == {
        "round": 1,
        "deadline": "2026-12-05T17:00:00Z",
        "previous": "2026-12-04T17:00:00Z",
        "by": "account:7",
    }
    assert [e.type for e in app.publisher.events] == types(app)


def test_a_round_without_deadline_gets_one_and_the_cli_records_no_account(app: Any) -> None:
    repo = seed_declaration(app)
    add_round(repo, RoundState.OPEN)
    rounds.extend_deadline(app, SLUG, "2026-12-02T09:00:00Z")
    assert app.store.uow.log_[0].payload == {
        "round": 1,
        "deadline": "2026-12-02T09:00:00Z",
        "previous": None,
    }


@pytest.mark.parametrize(
    ("deadline", "refusal"),
    [
        ("2026-12-03T09:00:00Z", "a deadline is only moved later"),
        ("2026-12-04T17:00:00Z", "a deadline is only moved later"),  # the same time is not later
        ("2026-12-01T08:00:00Z", "the new deadline 2026-12-01T08:00:00Z is already past"),
        ("2026-12-09T09:00:00", "has no time zone"),
        ("next week", "is not ISO 8601"),
    ],
)
def test_a_deadline_not_moved_later_is_refused_and_leaves_no_trace(
    app: Any, deadline: str, refusal: str
) -> None:
    repo = seed_declaration(app)
    add_round(repo, RoundState.OPEN, deadline="2026-12-04T17:00:00Z")
    with pytest.raises(InvalidInput, match=refusal):
        rounds.extend_deadline(app, SLUG, deadline)
    assert repo.rounds_[0].deadline == "2026-12-04T17:00:00Z"
    assert app.store.uow.log_ == [] and app.store.commits == 0 and app.publisher.events == []


def test_a_deadline_passed_or_a_round_not_open_is_not_extended(app: Any) -> None:
    repo = seed_declaration(app)
    with pytest.raises(WrongState, match="'eu-celac' has no open round"):
        rounds.extend_deadline(app, SLUG, "2026-12-09T09:00:00Z")  # no round at all
    add_round(repo, RoundState.OPEN, deadline="2026-12-01T18:00:00Z")
    app.clock.step(hours=10)
    with pytest.raises(WrongState, match="its deadline 2026-12-01T18:00:00Z has passed"):
        rounds.extend_deadline(app, SLUG, "2026-12-09T09:00:00Z")
    repo.rounds_[0].state = RoundState.CLOSED.value
    with pytest.raises(WrongState, match="'eu-celac' has no open round"):
        rounds.extend_deadline(app, SLUG, "2026-12-09T09:00:00Z")
    assert repo.rounds_[0].deadline == "2026-12-01T18:00:00Z" and app.store.uow.log_ == []


def test_a_silence_is_expired_then_adopted_as_two_steps(app: Any) -> None:
    repo = seed_declaration(app)
    _under_silence(app, repo, until="2026-12-02T09:00:00Z")
    assert silence.adopt(app, SLUG) is None  # running: nothing to adopt yet
    assert silence.expire(app, SLUG) is None  # not yet due
    app.clock.step(days=1)
    expired = silence.expire(app, SLUG)
    assert expired is not None
    assert (expired.silence, expired.version, expired.state, expired.until) == (
        1,
        "Zero draft",
        "expired",
        "2026-12-02T09:00:00Z",
    )
    assert expired.until_local == "Wed 02 Dec 2026 10:00 CET (09:00 UTC)"
    assert repo.silences_[0].state == "expired" and repo.versions_[0].state == "silence"
    last = app.store.uow.log_[-1]
    assert (last.type, last.actor, last.occurred_at) == (
        "accord.silence.expired",
        "secretariat",
        "2026-12-02T09:00:00Z",
    )
    assert last.payload == {
        "silence": 1,
        "version": "Zero draft",
        "until": "2026-12-02T09:00:00Z",
        "text_sha256": repo.versions_[0].text_sha256,
    }
    assert silence.expire(app, SLUG) is None  # once
    assert silence.adopt(app, SLUG, 1) == "Zero draft"
    assert repo.versions_[0].state == "agreed"
    assert types(app)[-2:] == ["accord.silence.expired", "accord.version.agreed"]
    assert app.store.uow.log_[-1].payload == {
        "version": "Zero draft",
        "via": "silence",
        "silence": 1,
        "blob": repo.versions_[0].blob_sha256,
        "text_sha256": repo.versions_[0].text_sha256,
    }
    assert silence.adopt(app, SLUG, 1) is None  # agreed already: nothing more


def test_a_silence_of_another_number_or_an_altered_text_is_neither_expired_nor_adopted(
    app: Any,
) -> None:
    repo = seed_declaration(app)
    _under_silence(app, repo, until="2026-12-02T09:00:00Z")
    app.clock.step(days=1)
    recorded = types(app)
    assert silence.expire(app, SLUG, 2) is None and silence.adopt(app, SLUG, 2) is None
    repo.versions_[0].text_sha256 = "0" * 64  # the text changed behind the record's back
    with pytest.raises(IntegrityError, match="Zero draft's text hash changed"):
        silence.expire(app, SLUG, 1)
    assert types(app) == recorded and repo.silences_[0].state == "running"


def test_a_silence_on_an_earlier_version_is_found_by_its_number(app: Any) -> None:
    repo = seed_declaration(app)
    _under_silence(app, repo, until="2026-12-02T09:00:00Z")
    add_version(repo, 1, VersionState.DRAFT)  # the current version has no silence of its own
    app.clock.step(days=1)
    assert silence.expire(app, SLUG) is None  # 0: the latest of the current version, which has none
    expired = silence.expire(app, SLUG, 1)
    assert expired is not None and expired.version == "Zero draft"
