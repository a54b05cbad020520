"""A compilation's routing and a revision's circulation are owed from before their first letter (issue 12, "the
same for routing, circulation and mail"): a crash half-way leaves the parties not yet reached owed, `accord
status` shows them, and `accord tick` sends each of them its letter once; a second tick sends nothing.
(A round's copies: tests/integration/test_outbox.py; a silence's notice: test_silence_outbox.py.)"""

from __future__ import annotations

import collections
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.usecases import routing
from flows.usecases.compile import close_and_compile
from flows.usecases.deadlines import tick
from flows.usecases.decide import approve, decide
from flows.usecases.rounds import open_round
from flows.usecases.status import event_log, status
from tests import factories
from tests.fakes import FakeMailer
from tests.integration.test_outbox import CODES, Crash, _create, _inject, _taken_last

SLUG = factories.SLUG
CHAIRS = list(factories.CO_PRESIDENCIES)


def _compiled(app: Any) -> dict[str, str]:
    """A round with one submission, closed and compiled: its proposals, all accepted."""
    _create(app, SLUG)
    app.mail = FakeMailer()
    open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    delegation = next(code for code in CODES if code not in CHAIRS)
    factories.submit(app, delegation)
    compiled = close_and_compile(app, SLUG)
    synopsis = json.loads(
        Path(next(p for p in compiled.paths if p.endswith("synopsis.json"))).read_text()
    )
    return {p["id"]: "accept" for row in synopsis["paragraphs"] for p in row["proposals"]}


def _crash_then_tick(
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    send: Callable[[], Any],
    event: str,
    parties: list[str],
) -> None:
    """Crash ``send`` at ``point``; the rest is owed; tick sends it: each party one letter (two for the one whose
    letter the server took just before the crash), one event naming every party; a second tick sends nothing."""
    with monkeypatch.context() as patch:
        mailer = _inject(app, point, patch)
        with pytest.raises(Crash):
            send()
    reached = [mail.to for mail in mailer.sent]
    twice = _taken_last(point, reached)
    [owing] = status(app, SLUG).as_json()["owed"]
    assert owing["event"] == event
    assert len(owing["parties"]) == len(parties) - len(reached) + (1 if twice else 0)
    lines = tick(app, SLUG)
    assert any(line.startswith(f"owed {event}") for line in lines), lines
    letters = collections.Counter(mail.to for mail in mailer.sent)
    assert letters == collections.Counter(
        [f"{code.lower()}@example.org" for code in parties] + ([twice] if twice else [])
    )
    [recorded] = [e["payload"] for e in event_log(app, SLUG) if e["type"] == event]
    assert recorded["parties"] == {code: routing.MAILED for code in parties}
    assert status(app, SLUG).as_json()["owed"] == []
    sent = len(mailer.sent)
    assert not any(line.startswith("owed") for line in tick(app, SLUG)), "a second tick: nothing"
    assert len(mailer.sent) == sent


@pytest.mark.parametrize("point", ["mail:1", "mail:2", "write:3"])
def test_a_compilation_routed_half_way_is_finished_by_tick(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    app = make_app()
    _compiled(app)
    _crash_then_tick(
        app,
        monkeypatch,
        point,
        lambda: routing.route_compilation(app, SLUG),
        routing.ROUTED,
        CHAIRS,
    )


@pytest.mark.parametrize("point", ["mail:1", "mail:3", "write:4", "mailed:5"])
def test_a_revision_circulated_half_way_is_finished_by_tick(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    app = make_app()
    votes = _compiled(app)
    for chair in CHAIRS:
        decide(
            app,
            SLUG,
            party=chair,
            data=json.dumps({"decisions": votes}).encode(),
            filename="d.json",
        )
    for chair in CHAIRS:
        approve(app, SLUG, party=chair)
    _crash_then_tick(
        app,
        monkeypatch,
        point,
        lambda: routing.circulate_version(app, SLUG),
        routing.CIRCULATED,
        CODES,
    )
