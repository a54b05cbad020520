"""A revision reaches the parties only once both co-presidencies approved it.

Regression: routing refused to send a version in state "draft" or "approved", but nothing ever set "approved"
(a version approved by one co-presidency stays a draft until the other approves, drafting/lifecycle.py); the
refusal now names the one state that waits, and this test pins it for a draft approved by one only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import WrongState
from flows.usecases import routing
from flows.usecases.compile import close_and_compile
from flows.usecases.decide import approve, decide
from tests import factories


def test_a_revision_approved_by_one_co_presidency_is_not_sent_out(app: Any) -> None:
    factories.open_declaration(app, n=4)
    factories.submit(app, factories.delegations(4)[0])
    compiled = close_and_compile(app, factories.SLUG)
    synopsis = json.loads(
        Path(next(p for p in compiled.paths if p.endswith("synopsis.json"))).read_text()
    )
    votes = {p["id"]: "accept" for row in synopsis["paragraphs"] for p in row["proposals"]}
    for party in ("ES", "BO"):
        decide(
            app,
            factories.SLUG,
            party=party,
            data=json.dumps({"decisions": votes}).encode(),
            filename="d.json",
        )
    approve(app, factories.SLUG, party="ES")
    with pytest.raises(
        WrongState, match="Rev.1 of 'eu-celac' is draft; both co-presidencies approve it first"
    ):
        routing.circulate_version(app, factories.SLUG)
    approve(app, factories.SLUG, party="BO")
    assert routing.circulate_version(app, factories.SLUG).event == "accord.version.distributed"
