"""A whole round through the `accord` command line, on SQLite and PostgreSQL.

Most commands run in-process through typer's CliRunner (about 0.1 s each); the console script itself runs as a
subprocess for the checks that are about the process (exit code, one line on stderr, no traceback).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drafting.documents import STAMP_PARTY, STAMP_VERSION
from drafting.wordml.reader import read_docx
from tests import factories
from tests.cli_runner import Accord, one_error_line
from tests.word_review import edit_text

SLUG = factories.SLUG
ACCORD = Path(sys.executable).with_name("accord")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The secretariat's inputs and the delegations' files, on disk as people would have them."""
    folder = tmp_path / "inbox"
    zero, csv = factories.write_inputs(folder)
    made = {
        "zero": zero,
        "parties": csv,
        "pdf": folder / "MX-comments.pdf",
        "six": folder / "six-parties.csv",
    }
    made["pdf"].write_bytes(PDF)
    made["six"].write_text(factories.parties_csv(6), encoding="utf-8")
    wanted = {
        "MX": factories.party_submission("MX"),
        "MX-2": factories.party_submission("MX", 1),
        "AR": factories.party_submission("AR"),
        "FR-for-DE": factories.party_submission("FR", stamped_for="DE"),
        "CL": factories.party_submission("CL"),
        "AT": factories.party_submission("AT"),
    }
    for name, data in wanted.items():
        made[name] = folder / f"{name}.docx"
        made[name].write_bytes(data)
    return made


def _deadline(days: int = 7) -> str:
    return (
        (datetime.now(UTC) + timedelta(days=days)).astimezone().replace(microsecond=0).isoformat()
    )


def test_a_whole_round_through_the_cli(accord: Accord, files: dict[str, Path]) -> None:
    created = accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        factories.TITLE,
        "--zero-draft",
        str(files["zero"]),
        "--parties",
        str(files["parties"]),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    assert f"created {SLUG}: 60 parties" in created.stdout

    opened = accord("round", "open", SLUG, "--deadline", _deadline())
    assert "round 1 open on Zero draft" in opened.stdout
    assert "copies: 60 outbox only (no SMTP settings); in " in opened.stdout
    outbox = sorted((accord.home / "declarations" / SLUG / "outbox").glob("*/*.docx"))
    assert len(outbox) == 60 and all(p.name.endswith(f"-{p.parent.name}.docx") for p in outbox)
    copy = read_docx(next(p for p in outbox if p.name.endswith("-MX.docx")).read_bytes())
    assert (
        copy.custom_properties[STAMP_PARTY] == "MX"
        and copy.custom_properties[STAMP_VERSION] == "Zero draft"
    )
    assert "still open" in accord.refused("round", "open", SLUG)

    received = accord("submit", SLUG, "--party", "MX", str(files["MX"]))
    assert "received submission" in received.stdout and "flag" not in received.stdout
    assert "already received" in accord("submit", SLUG, "--party", "MX", str(files["MX"])).stdout
    assert "supersedes" in accord("submit", SLUG, "--party", "MX", str(files["MX-2"])).stdout
    accord("submit", SLUG, "--party", "AR", str(files["AR"]))
    assert "stamp-party" in accord("submit", SLUG, "--party", "FR", str(files["FR-for-DE"])).stdout

    assert "'XX'" in accord.refused("submit", SLUG, "--party", "XX", str(files["AR"]))
    assert "MX-comments.pdf" in accord.refused("submit", SLUG, "--party", "MX", str(files["pdf"]))
    assert "no-such" in accord.refused("submit", "no-such", "--party", "MX", str(files["AR"]))

    closed = accord(
        "round", "close", SLUG, "--yes"
    )  # before the deadline, with delegations missing
    assert "round 1 closed: 3 submissions" in closed.stdout
    folder = accord.home / "declarations" / SLUG / "round-1"
    assert read_docx((folder / "compilation.docx").read_bytes()).changes, (
        "the compilation shows the proposals"
    )
    assert json.loads((folder / "synopsis.json").read_text(encoding="utf-8"))
    assert "<html" in (folder / "synopsis.html").read_text(encoding="utf-8").lower()

    assert "(LATE)" in accord("submit", SLUG, "--party", "CL", str(files["CL"])).stdout

    state = accord.json("status", SLUG)
    by_party: dict[str, list[dict[str, Any]]] = {}
    for submission in state["latest_round"]["submissions"]:
        by_party.setdefault(submission["party"], []).append(submission)
    assert [s["status"] for s in by_party["MX"]] == ["superseded", "current"], (
        "a new file supersedes; both are kept"
    )
    assert [s["filename"] for s in by_party["MX"]] == ["MX.docx", "MX-2.docx"]
    assert [f["code"] for f in by_party["FR"][0]["flags"]] == ["stamp-party"]
    assert by_party["CL"][0]["late"] and by_party["CL"][0]["flags"][0]["code"] == "late"
    assert not any(s["late"] for code in ("MX", "AR", "FR") for s in by_party[code])
    assert state["latest_round"]["state"] == "closed"

    events = accord.json("log", SLUG)
    assert isinstance(events, list) and [e["seq"] for e in events] == list(
        range(1, len(events) + 1)
    )
    assert [e["type"] for e in events] == [
        "accord.declaration.created",
        "accord.version.issued",
        "accord.round.opened",
        "accord.round.distributed",
        "accord.submission.received",
        "accord.submission.received",
        "accord.submission.received",
        "accord.submission.received",
        "accord.submission.refused",
        "accord.round.closed",
        "accord.compilation.ready",
        "accord.submission.received",
    ]
    refused = events[8]
    assert refused["actor"] == "MX" and refused["payload"]["filename"] == "MX-comments.pdf"
    assert refused["payload"]["sha256"] == factories.sha256_of(PDF) and refused["payload"]["reason"]
    assert accord.json("status", SLUG)["events"] == len(events)

    assert accord("verify", SLUG).stdout.startswith(f"ok: {len(events)} events")


def test_the_console_script_answers_in_one_line(
    accord: Accord, files: dict[str, Path], accord_env: dict[str, str]
) -> None:
    """The installed `accord` as a person runs it: exit codes and a single `error:` line, no traceback."""
    accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "T",
        "--zero-draft",
        str(files["zero"]),
        "--parties",
        str(files["six"]),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    accord("round", "open", SLUG)
    accord("submit", SLUG, "--party", "AT", str(files["AT"]))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ACCORD), *args], env=accord_env, capture_output=True, text=True, timeout=60
        )

    unknown = run("submit", SLUG, "--party", "XX", str(files["AT"]))
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "XX" in one_error_line(unknown.stderr)
    verified = run("verify", SLUG)
    assert verified.returncode == 0 and verified.stdout.startswith("ok: 5 events"), verified.stderr


def test_a_file_after_the_deadline_is_recorded_and_flagged(
    app: Any, clock: factories.Clock
) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.status import status

    factories.open_declaration(app, n=4, deadline="2026-11-29T18:00:00+01:00")
    on_time = factories.submit(app, "AT")
    clock.advance(days=2)
    late = factories.submit(app, "BE")
    assert not on_time.late and late.late
    assert late.flags[0].code == "late" and "2026-11-29T17:00:00Z" in late.flags[0].message
    submissions = {
        s["party"]: s for s in status(app, SLUG).as_json()["latest_round"]["submissions"]
    }
    assert submissions["BE"]["status"] == "current" and submissions["BE"]["late"]
    assert close_and_compile(app, SLUG).submissions == 2, "a late file is never dropped"


@pytest.mark.parametrize("party", ["XX", "X" * 100], ids=["unknown", "longer-than-a-code"])
def test_a_refused_file_from_no_known_party(
    accord: Accord, files: dict[str, Path], party: str
) -> None:
    """Refused as an unknown party, in one line; nothing is written to the log in the name of a party that is not one.

    Regression: the refusal used to be logged with the unchecked code as actor; on PostgreSQL a code longer than
    the actor column (80) then crashed with a traceback instead of the one-line refusal.
    """
    accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "T",
        "--zero-draft",
        str(files["zero"]),
        "--parties",
        str(files["six"]),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    accord("round", "open", SLUG)
    before = accord.json("log", SLUG)
    assert f"party '{party}' is not a party" in accord.refused(
        "submit", SLUG, "--party", party, str(files["pdf"])
    )
    assert accord.json("log", SLUG) == before


def test_decisions_that_would_garble_the_text_are_refused_and_nothing_is_recorded(
    accord: Accord, files: dict[str, Path], tmp_path: Path
) -> None:
    """Two alternatives of one conflict accepted in a decisions file, or a compilation returned with words typed
    into it: one `error:` line naming the conflict (or saying how to record a compromise), exit 2, nothing
    recorded but the refusal."""
    from tests.compilation_fixtures import Edits, sample_base, sample_bytes, tracked

    base = sample_base()
    at = Edits(base).replace(3, "Charter of the United Nations", "UN Charter").result
    ar = (
        Edits(base)
        .replace(
            3,
            "Charter of the United Nations",
            "Charter of the United Nations and international law",
        )
        .result
    )
    for code, texts in (("AT", at), ("AR", ar)):
        (tmp_path / f"{code}.docx").write_bytes(tracked(sample_bytes(), base, texts, author=code))
    zero = (
        tmp_path / "zero-draft.docx"
    )  # the text the two files were made on (not the repository's own sample)
    zero.write_bytes(sample_bytes())
    accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "T",
        "--zero-draft",
        str(zero),
        "--parties",
        str(files["parties"]),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    accord("round", "open", SLUG)
    for code in ("AT", "AR"):
        accord("submit", SLUG, "--party", code, str(tmp_path / f"{code}.docx"))
    accord("round", "close", SLUG)
    folder = accord.home / "declarations" / SLUG / "round-1"
    synopsis = json.loads((folder / "synopsis.json").read_text(encoding="utf-8"))
    (conflict,) = synopsis["conflicts"]
    before = len(accord.json("log", SLUG))

    both = tmp_path / "decisions-ES.json"
    both.write_text(
        json.dumps({"decisions": dict.fromkeys(conflict["proposals"], "accept")}), encoding="utf-8"
    )
    assert f"conflict {conflict['id']} has 2 alternatives accepted" in accord.refused(
        "decide", SLUG, "--party", "ES", str(both)
    )
    typed = tmp_path / "compilation-ES.docx"
    typed.write_bytes(
        edit_text(
            (folder / "compilation.docx").read_bytes(),
            "Political Declaration",
            "Political and Binding Declaration",
        )
    )
    assert "record a compromise as an amendment in the next round" in accord.refused(
        "decide", SLUG, "--party", "ES", str(typed)
    )
    # each refusal is logged as such; no decision is recorded
    assert [e["type"] for e in accord.json("log", SLUG)[before:]] == ["accord.decision.refused"] * 2
