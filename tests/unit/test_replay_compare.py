"""How replay names what differs (flows/usecases/replay_state.py): the first differing leaf of two values, and
the first event a re-run did not reproduce."""

from __future__ import annotations

from typing import Any

import pytest

from drafting.errors import IntegrityError
from drafting.negotiation import Event
from flows.usecases.replay_state import compare_events, first_difference
from tests.unit.records import logged


def event(seq: int, **changed: Any) -> Event:
    opened = {"payload": {"round": 1, "parties": ["AT", "MX"]}}
    return logged(seq, "accord.round.opened", **(opened | changed))


def test_the_first_differing_leaf_by_its_path() -> None:
    assert first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}, "t") is None
    assert first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}, "t") == (
        "t.a[1].b: stored 2, replayed 3"
    )
    assert first_difference({"b": 1, "a": 1}, {"b": 2, "a": 2}, "t") == "t.a: stored 1, replayed 2"
    assert first_difference({"a": 1}, {}, "t") == "t.a: stored 1, replayed (absent)"
    assert first_difference([1], [1, 2], "t") == "t[1]: stored (absent), replayed 2"
    assert first_difference({1: "x", "a": "x"}, {1: "y", "a": "x"}, "t") == (
        "t.1: stored 'x', replayed 'y'"
    )  # keys of any type, sorted as text
    long = "x" * 100
    assert first_difference(long, "y", "t") == f"t: stored '{'x' * 86}..., replayed 'y'"


def test_the_replayed_events_are_the_stored_ones() -> None:
    stored = [event(1), event(2)]
    compare_events(stored, [event(1), event(2)], stored[0])
    with pytest.raises(IntegrityError, match=r"^event 2 \(accord.round.opened\): payload.round: "):
        compare_events(
            stored,
            [event(1), event(2, payload={"round": 2, "parties": ["AT", "MX"]}, hash="f" * 64)],
            stored[0],
        )
    with pytest.raises(IntegrityError, match="event 1 .*: its hash differs from the replayed"):
        compare_events(stored, [event(1, hash="f" * 64)], stored[0])
    with pytest.raises(IntegrityError, match="event 3 .*: the replay appended it, the log ends"):
        compare_events(stored, [*stored, event(3)], stored[0])
    with pytest.raises(IntegrityError, match="event 1 .*: re-running it appended no event"):
        compare_events(stored, [], stored[0])
