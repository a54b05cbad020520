"""Sending an earlier file again makes it current again, as a new event (issue 12, finding 5)."""

from __future__ import annotations

from typing import Any

from flows.usecases.replay import replay
from flows.usecases.status import status, verify
from tests import factories

SLUG = factories.SLUG


def _current(app: Any, code: str) -> list[tuple[int, str]]:
    subs = status(app, SLUG).as_json()["latest_round"]["submissions"]
    return [
        (s["id"], s["blob_sha256"]) for s in subs if s["party"] == code and s["status"] == "current"
    ]


def test_submit_a_then_b_then_a_again_makes_a_current(app: Any) -> None:
    factories.open_declaration(app, n=6)
    code = factories.delegations(6)[0]
    first, second = factories.submit(app, code, 0), factories.submit(app, code, 1)
    assert _current(app, code) == [(second.submission, second.sha256)]

    again = factories.submit(app, code, 0)

    assert not again.duplicate and again.sha256 == first.sha256
    assert again.submission not in (first.submission, second.submission)
    assert again.superseded == [second.submission]
    assert _current(app, code) == [(again.submission, first.sha256)]
    events = [e for e in _events(app) if e.type == "accord.submission.received"]
    assert [e.payload["submission"] for e in events] == [
        first.submission,
        second.submission,
        again.submission,
    ]
    assert factories.submit(app, code, 0).duplicate  # the current file once more: nothing new
    assert len([e for e in _events(app) if e.type == "accord.submission.received"]) == 3
    verify(app, SLUG)
    assert replay(app, SLUG).events == len(_events(app))


def _events(app: Any) -> list[Any]:

    with app.store.reading() as uow:
        return uow.log(uow.repo.declaration(SLUG))
