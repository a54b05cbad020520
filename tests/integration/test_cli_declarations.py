"""`accord declaration list`, and `accord round close` before the deadline: asked on a terminal, refused in a
script without --yes, naming the delegations that have not submitted."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import factories
from tests.cli_runner import Accord

SLUG = factories.SLUG
ACCORD = Path(sys.executable).with_name("accord")


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


@pytest.fixture
def opened(accord: Accord, tmp_path: Path) -> Accord:
    """A declaration of six parties (four delegations) with round 1 open for a week; Austria has submitted."""
    zero, _ = factories.write_inputs(tmp_path / "inbox")
    parties = tmp_path / "inbox" / "six.csv"
    parties.write_text(factories.parties_csv(6), encoding="utf-8")
    accord(
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
    )
    deadline = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0).isoformat()
    accord("round", "open", SLUG, "--deadline", deadline)
    submission = tmp_path / "inbox" / "AT.docx"
    submission.write_bytes(factories.party_submission("AT"))
    accord("submit", SLUG, "--party", "AT", str(submission))
    return accord


def test_declaration_list_on_a_home_never_created_lists_nothing_and_creates_nothing(
    tmp_path: Path,
) -> None:
    """Regression: the list refused a missing home once other commands stopped creating it; it must not create it."""
    empty = Accord(tmp_path / "never")
    assert "no declarations" in empty("declaration", "list").stdout
    assert empty.json("declaration", "list") == []
    assert not (tmp_path / "never").exists()


def test_round_close_on_a_home_never_created_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    """Regression: the list's empty answer was copied into `round close` too, where it named an unknown `as_json`;
    closing a round needs the declaration's database, so a home never created is refused, saying where to look."""
    empty = Accord(tmp_path / "never")
    assert "no accord database there" in empty.refused("round", "close", SLUG, "--yes")
    assert not (tmp_path / "never").exists()


def test_declaration_list_shows_each_declaration_and_its_round(
    accord: Accord, tmp_path: Path
) -> None:
    assert "no declarations" in accord("declaration", "list").stdout
    assert accord.json("declaration", "list") == []
    zero, parties = factories.write_inputs(tmp_path / "inbox")
    accord(
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
    )
    assert accord("declaration", "list").stdout.startswith(f"{SLUG}  Zero draft (")
    accord("round", "open", SLUG)
    [row] = accord.json("declaration", "list")
    assert (
        row["slug"] == SLUG and row["title"] == factories.TITLE and row["version"] == "Zero draft"
    )
    assert row["round"] == {"number": 1, "state": "open", "deadline": None}
    assert "round 1 open" in accord("declaration", "list").stdout


def test_closing_early_in_a_script_is_refused_naming_who_has_not_submitted(opened: Accord) -> None:
    line = opened.refused("round", "close", SLUG)
    assert "BE, BG, HR" in line and "AT" not in line.split("submitted:")[1], line
    assert "--yes" in line
    assert opened.json("status", SLUG)["latest_round"]["state"] == "open"  # nothing changed
    closed = opened("round", "close", SLUG, "--yes")
    assert "round 1 closed: 1 submissions" in closed.stdout


@pytest.mark.parametrize("answer, closed", [("n", False), ("y", True)])
def test_closing_early_on_a_terminal_asks_first(
    opened: Accord, accord_env: dict[str, str], answer: str, closed: bool
) -> None:
    output, code = _on_a_terminal([str(ACCORD), "round", "close", SLUG], accord_env, answer)
    assert "have not submitted: BE, BG, HR" in output and "Close the round now?" in output, output
    assert code == (0 if closed else 2), output
    state = opened.json("status", SLUG)["latest_round"]["state"]
    assert (state != "open") is closed, state


def _on_a_terminal(command: list[str], env: dict[str, str], answer: str) -> tuple[str, int]:
    """Run ``command`` with a pseudo-terminal as its standard streams, answer its question, return its output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
    )
    os.close(follower)
    output = b""
    answered = False
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the command exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"Close the round now?" in output:
            os.write(leader, f"{answer}\n".encode())
            answered = True
    os.close(leader)
    return output.decode(errors="replace"), process.wait(timeout=60)
