"""The open-round deployment's task opens the round through the use case, in the home its environment names."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.bootstrap import bootstrap
from flows.pipelines import _app
from flows.pipelines.open_round import open_next_round
from tests import factories


def test_open_round_task_opens_the_next_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    factories.create_declaration(bootstrap(home), n=4)
    monkeypatch.setenv("ACCORD_HOME", str(home))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    _app.app.cache_clear()
    try:
        opened = open_next_round.fn(factories.SLUG, "2099-01-01T12:00:00+01:00")
    finally:
        _app.app.cache_clear()
    assert opened["number"] == 1 and opened["deadline"] == "2099-01-01T11:00:00Z"
    assert len(list(Path(opened["outbox"]).glob("*.docx"))) == 4
