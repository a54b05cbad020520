"""`accord silence / object / agree / tick / route` through the command line, embedded mode (no Prefect)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests import factories
from tests.cli_runner import Accord

SLUG = factories.SLUG
BRUSSELS_WINTER = timezone(timedelta(hours=1))


@pytest.fixture
def accord(accord_env: dict[str, str], tmp_path: Path) -> Accord:
    runner = Accord(Path(accord_env["ACCORD_HOME"]))
    zero, parties = factories.write_inputs(tmp_path / "inputs", n=4)
    runner(
        "declaration",
        "create",
        SLUG,
        "--title",
        factories.TITLE,
        "--zero-draft",
        str(zero),
        "--parties",
        str(parties),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
        "--timezone",
        "Europe/Brussels",
    )
    return runner


def test_silence_objection_and_agreement_from_the_command_line(accord: Accord) -> None:
    until = (
        (datetime.now(UTC) + timedelta(days=2)).astimezone(BRUSSELS_WINTER).replace(microsecond=0)
    )
    out = accord("silence", SLUG, "--until", until.isoformat()).stdout
    assert (
        "Zero draft under silence until" in out and "(" in out and "UTC)" in out
    )  # shown in Brussels time
    assert "not a party" in accord.refused("object", SLUG, "--party", "XX", "--reason", "no")
    assert "broken by AT" in accord("object", SLUG, "--party", "AT", "--reason", "para 3").stdout
    assert "already past" in accord.refused("silence", SLUG, "--until", "2020-01-01T10:00:00Z")
    assert "Zero draft of eu-celac is agreed" in accord("agree", SLUG).stdout
    assert "already agreed" in accord.refused("agree", SLUG)
    assert f"{SLUG}: nothing due" in accord("tick").stdout
    assert "no round has a compilation yet" in accord.refused("route", SLUG)


def test_agree_refuses_while_a_round_is_open(accord: Accord) -> None:
    accord("round", "open", SLUG)
    assert "round 1 is open" in accord.refused("agree", SLUG)
