"""The open-round and distribute-round deployments' tasks: the round is opened through the use case, in the home
their environment names, then each party's stamped copy goes to its outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.documents import STAMP_PARTY
from drafting.wordml.reader import read_docx
from flows.bootstrap import bootstrap
from flows.pipelines import _app
from flows.pipelines.distribute_round import send_copies
from flows.pipelines.open_round import open_next_round
from tests import factories


def test_open_round_then_distribute_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    factories.create_declaration(bootstrap(home), n=4)
    monkeypatch.setenv("ACCORD_HOME", str(home))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    _app.use(None)
    try:
        opened = open_next_round.fn(factories.SLUG, "2099-01-01T12:00:00+01:00")
        sent = send_copies.fn(factories.SLUG, 0)
        again = send_copies.fn(factories.SLUG, opened["number"])
    finally:
        _app.use(None)
    assert opened["number"] == 1 and opened["deadline"] == "2099-01-01T11:00:00Z"
    copies = sorted((home / "declarations" / factories.SLUG / "outbox").glob("*/*.docx"))
    assert [p.parent.name for p in copies] == sorted(sent["parties"]) and len(copies) == 4
    assert all(
        read_docx(p.read_bytes()).custom_properties[STAMP_PARTY] == p.parent.name for p in copies
    )
    assert again["skipped"] == "round 1 copies already sent"
