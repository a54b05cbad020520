"""Replay takes the reading the log vouches for (issue 12, bounded replay): a submission's event records the sha256
of what accord read in the file, stored beside it; replay checks that reading against the hash and does not parse
the Word file again (``--reread`` does). A reading altered or deleted in the database fails replay and verify."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from drafting.errors import IntegrityError
from drafting.wordml.gate import GateLimits
from drafting.wordml.models import Reading
from flows.bootstrap import read_upload
from flows.cli import app as cli
from flows.usecases import readahead
from flows.usecases.replay import replay
from tests import factories
from tests.integration.test_tamper import _raw, recorded  # noqa: F401 (a fixture: 3 submissions)

SLUG = factories.SLUG


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the submitted Word files replay parses (in this process: three files start no read-ahead worker;
    the zero draft, read by declaration create, is left out)."""
    names: list[str] = []

    def counting(data: bytes, name: str, limits: GateLimits) -> Reading:
        if name != "zero-draft.docx":
            names.append(name)
        return read_upload(data, name, limits)

    monkeypatch.setattr(readahead, "read_upload", counting)
    return names


def _received(app: Any) -> list[dict[str, Any]]:
    with app.store.reading() as uow:
        events = uow.log(uow.repo.declaration(SLUG))
    return [e.payload for e in events if e.type == "accord.submission.received"]


def _reading_digest(app: Any) -> str:
    return str(_received(app)[1]["reading"])


def test_the_event_records_the_stored_reading(recorded: Any) -> None:
    with recorded.store.reading() as uow:
        declaration = uow.repo.declaration(SLUG)
        current = uow.repo.latest_round(declaration)
        summaries = [s.summary for s in uow.repo.submissions(current)]
        stored = {s.reading: uow.blob(s.reading or "") for s in summaries}
    received = _received(recorded)
    assert [p["reading"] for p in received] == [s.reading for s in summaries]
    for payload in received:  # the reading is what accord reads in the file the event names
        with recorded.store.reading() as uow:
            data = uow.blob(payload["blob"])
        assert Reading.model_validate_json(stored[payload["reading"]]) == read_upload(
            data, payload["filename"], GateLimits()
        )


def test_replay_takes_the_vouched_reading_and_reread_parses_again(
    recorded: Any, parsed: list[str]
) -> None:
    report = replay(recorded, SLUG)
    assert report.rederived == report.events and parsed == []
    again = replay(recorded, SLUG, reread=True)
    assert again.events == report.events
    assert parsed == [f"{code}-1.docx" for code in factories.delegations(6)[:3]]


def test_replay_reread_from_the_command_line(recorded: Any, parsed: list[str]) -> None:
    result = CliRunner().invoke(cli, ["replay", SLUG, "--reread", "--home", str(recorded.home)])
    assert result.exit_code == 0 and result.stdout.startswith("ok: 6 events replayed"), result
    assert len(parsed) == 3


def _altered_reading(app: Any, digest: str) -> bytes:
    """The stored reading, still a valid reading, with one paragraph's text changed."""
    with app.store.reading() as uow:
        reading = json.loads(uow.blob(digest))
    paragraph = reading["paragraphs"][3]
    paragraph["text_accepted"] = "The parties agree to nothing."
    return json.dumps(reading).encode()


def test_an_altered_reading_fails_replay_and_verify(recorded: Any, backend: str) -> None:
    digest = _reading_digest(recorded)
    forged = _altered_reading(recorded, digest)
    Reading.model_validate_json(forged)  # a well-formed reading: only its hash gives it away
    _raw(recorded, backend, "UPDATE blobs SET data = ? WHERE sha256 = ?", (forged, digest))
    with pytest.raises(IntegrityError, match=f"blob {digest[:12]} does not match its hash"):
        replay(recorded, SLUG)
    result = CliRunner().invoke(cli, ["verify", SLUG, "--home", str(recorded.home)])
    assert result.exit_code == 1 and digest[:12] in result.stderr, result


def test_a_deleted_reading_fails_replay_and_verify(recorded: Any, backend: str) -> None:
    digest = _reading_digest(recorded)
    _raw(recorded, backend, "DELETE FROM blobs WHERE sha256 = ?", (digest,))
    with pytest.raises(IntegrityError, match=digest[:12]):
        replay(recorded, SLUG)
    result = CliRunner().invoke(cli, ["verify", SLUG, "--home", str(recorded.home)])
    assert result.exit_code == 1, result
    assert "(accord.submission.received): names the document " + digest[:12] in result.stderr


def test_a_reading_swapped_for_another_submissions_fails_replay(
    recorded: Any, backend: str
) -> None:
    """The row's summary pointed at another party's stored reading: the event still names its own."""
    first, second = (p["reading"] for p in _received(recorded)[:2])
    with recorded.store.engine.connect() as connection:
        summary = connection.execute(
            text("SELECT summary FROM submissions WHERE number = 2")
        ).scalar_one()
    _raw(
        recorded,
        backend,
        "UPDATE submissions SET summary = ? WHERE number = 2",
        (summary.replace(second, first),),
    )
    with pytest.raises(IntegrityError, match="submission"):
        replay(recorded, SLUG)
