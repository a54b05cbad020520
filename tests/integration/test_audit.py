"""The audit end to end: replay, history, blame, editorial changes, and every kind of tampering (through SQL, as
an attacker with the database would) caught by replay, `accord verify` and the archive; the bundle itself is
tested in test_archive_bundle.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from drafting.canonical import event_hash
from drafting.errors import Forbidden, WrongState
from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.audit_fixtures import SLUG, Run, accord, home, make, negotiated  # noqa: F401 (fixtures)
from tests.audit_scenario import (
    StepClock,
    current_text,
    flip_document,
    negotiate,
    query,
    silent_edit,
    sql,
)

# --- replay ------------------------------------------------------------------------------------------------------


def test_replay_of_a_multi_round_negotiation_is_byte_identical(
    make: Callable[[], Any], accord: Run
) -> None:
    from flows.usecases.replay import replay

    report = replay(make(), SLUG)
    count = query_events(make())
    assert (
        report.events == count and report.rederived == count - 1 and report.recorded == 1
    )  # the refused file
    assert report.documents >= 20 and report.rows > 20
    result = accord("replay", SLUG)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {count} events replayed byte for byte")


def query_events(app: Any) -> int:
    from flows.usecases.status import event_log

    return len(event_log(app, SLUG))


def _first(home: Path, type: str) -> int:
    return int(query(home, f"SELECT min(seq) FROM events WHERE type = '{type}'")[0][0])


def _payload(home: Path) -> str:
    seq = _first(home, "accord.submission.received")
    sql(
        home,
        f"""UPDATE events SET payload = replace(payload, '"late":false', '"late":true') WHERE seq = {seq}""",
    )
    return f"event {seq} "


def _submitted(home: Path) -> str:
    flip_document(home, "submissions")
    return f"event {_first(home, 'accord.submission.received')} "


def _compiled(home: Path) -> str:
    flip_document(home, "artifacts")
    return "the stored document was altered"


def _revision(home: Path) -> str:
    silent_edit(home)
    return "Rev.2"  # replay checks the records first: "version Rev.2: its text does not match ..."


TAMPERING: dict[str, Callable[[Path], str]] = {
    "an event's payload": _payload,
    "a submitted document": _submitted,
    "a compilation document": _compiled,
    "a revision's text": _revision,
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_any_change_is_caught_by_replay_verify_and_the_archive(
    kind: str, home: Path, accord: Run, tmp_path: Path
) -> None:
    where = TAMPERING[kind](home)
    replayed = accord("replay", SLUG)
    assert replayed.exit_code == 1 and where in replayed.output, replayed.output
    assert replayed.output.startswith("error: ") and len(replayed.output.strip().splitlines()) == 1
    verified = accord("verify", SLUG)
    assert verified.exit_code == 1, verified.output  # a silent edit of a revision's text included
    archived = accord("archive", SLUG, "--out", tmp_path / "bundle.zip", "--no-pdf")
    assert archived.exit_code == 1 and not (tmp_path / "bundle.zip").exists(), archived.output


def test_a_log_rewritten_with_fresh_hashes_is_still_caught(home: Path, accord: Run) -> None:
    """The attacker recomputes every hash after the change, so the chain verifies; the tables the log implies and
    re-deriving it do not."""
    seq = _first(home, "accord.decision.recorded")
    rows = query(
        home, "SELECT seq, type, actor, payload, occurred_at, hash FROM events ORDER BY seq"
    )
    prev = rows[seq - 2][5]
    for number, type_, actor, payload, occurred_at, _ in rows[seq - 1 :]:
        if number == seq:
            payload = payload.replace('"accept"', '"reject"', 1)
        digest = event_hash(
            prev_hash=prev,
            declaration=SLUG,
            seq=number,
            type=type_,
            actor=actor,
            payload=payload,
            occurred_at=occurred_at,
        )
        sql(
            home,
            f"UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = {number}",
            params=(payload, prev, digest),
        )
        prev = digest
    verified = accord(
        "verify", SLUG
    )  # the chain alone cannot tell; the decisions table no longer matches the log
    assert verified.exit_code == 1 and "decisions: decision 1 (ES, round 1)" in verified.output, (
        verified.output
    )
    replayed = accord("replay", SLUG)
    assert replayed.exit_code == 1 and "decisions: decision 1 (ES, round 1)" in replayed.output, (
        replayed.output
    )


# --- history and blame ---------------------------------------------------------------------------------------------


def test_history_is_a_timeline_with_every_document(accord: Run, tmp_path: Path) -> None:
    result = accord("history", SLUG, "--json")
    data = json.loads(result.stdout)
    assert [v["label"] for v in data["versions"]] == ["Zero draft", "Rev.1", "Rev.2"]
    first = data["rounds"][0]
    assert len(first["decisions"]) == 2 and first["revision"] == "Rev.1"
    assert {p["outcome"] for p in first["proposals"]} == {"applied", "bracketed"}
    assert any(e["type"] == "accord.submission.refused" for e in data["timeline"])
    page = tmp_path / "audit" / "history.html"
    assert accord("history", SLUG, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    links = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert len(links) >= data["documents"] and all((page.parent / link).is_file() for link in links)
    assert "Round 2 on Rev.1" in html


def test_history_pages_escape_what_parties_wrote(make: Callable[[], Any]) -> None:
    from flows.usecases.history import history, history_html

    data = history(make(), SLUG)
    first = data.rounds[0]
    submitted = first.submissions[0].model_copy(
        update={"filename": "<script>alert(1)</script>.docx"}
    )
    created = data.timeline[0].model_copy(update={"summary": "<img src=x onerror=alert(1)>"})
    html = history_html(
        data.model_copy(
            update={
                "rounds": (
                    first.model_copy(update={"submissions": (submitted,)}),
                    *data.rounds[1:],
                ),
                "timeline": (created, *data.timeline[1:]),
            }
        )
    )
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html


def test_blame_attributes_every_character_to_the_zero_draft_or_a_decided_proposal(
    make: Callable[[], Any], accord: Run, tmp_path: Path
) -> None:
    result = accord("blame", SLUG, "--json", "--html", tmp_path / "blame.html")
    blamed = json.loads(result.stdout)  # "wrote blame.html" goes to stderr
    assert blamed["version"] == "Rev.2"
    assert "".join(s["text"] for s in blamed["spans"]) == current_text(make(), SLUG)[1].plain
    assert {s["source"] for s in blamed["spans"]} == {"zero-draft", "proposal"} and blamed[
        "removed"
    ] == []
    for span in (s for s in blamed["spans"] if s["source"] == "proposal"):
        decided = span["decided"]
        assert span["party"] and span["round"] in (1, 2) and span["proposal"]
        assert decided["outcome"] == "applied" or decided["resolved"]["outcome"] == "applied", span
    page = (tmp_path / "blame.html").read_text(encoding="utf-8")
    assert all(
        f"round {s['round']} · {s['proposal']}" in page for s in blamed["spans"] if s["proposal"]
    )
    rev1 = json.loads(accord("blame", SLUG, "--version", "Rev.1", "--json").stdout)
    assert any(s["decided"] and s["decided"]["outcome"] == "bracketed" for s in rev1["spans"])


def test_blame_flags_an_edit_injected_without_a_record(
    home: Path, accord: Run, tmp_path: Path
) -> None:
    silent_edit(home)
    silent_edit(home, old="mangroves", new="")
    blamed = json.loads(accord("blame", SLUG, "--json").stdout)
    untraceable = [s for s in blamed["spans"] if s["source"] == "untraceable"]
    assert [s["text"].strip() for s in untraceable] == ["unconditional"] and untraceable[0][
        "introduced"
    ] == "Rev.2"
    assert [r["text"].strip() for r in blamed["removed"]] == ["mangroves"]
    assert accord("blame", SLUG, "--html", tmp_path / "b.html").exit_code == 0
    assert 'class="untraceable"' in (tmp_path / "b.html").read_text(encoding="utf-8")


# --- editorial changes ----------------------------------------------------------------------------------------------


def test_an_editorial_change_is_recorded_attributed_and_replayed(
    make: Callable[[], Any], accord: Run, tmp_path: Path
) -> None:
    from drafting.documents import render_version
    from drafting.text import DraftText
    from flows.usecases.decide import approve
    from flows.usecases.editorial import edit
    from flows.usecases.replay import replay
    from flows.usecases.rounds import open_round

    app = make()
    _, text = current_text(app, SLUG)
    changed = [
        p.model_copy(update={"text": p.text.replace("cooperation", "co-operation")})
        for p in text.paragraphs
    ]
    file = tmp_path / "edited.docx"
    file.write_bytes(
        render_version(factories.zero_draft(), DraftText(paragraphs=changed), title="t", stamp={})
    )
    with pytest.raises(Forbidden):
        edit(app, SLUG, data=file.read_bytes(), filename=file.name, reason="style", actor="ES")
    result = accord("edit", SLUG, "--file", file, "--reason", "house style: co-operation")
    assert result.exit_code == 0 and result.output.startswith("Rev.3:"), result.output
    for party in ("ES", "BO"):
        app.step()
        approve(app, SLUG, party=party)
    blamed = json.loads(accord("blame", SLUG, "--json").stdout)
    editorial = [s for s in blamed["spans"] if s["source"] == "editorial"]
    assert editorial and all(s["party"] == "secretariat" for s in editorial)
    assert editorial[0]["decided"] == {
        "outcome": "editorial",
        "reason": "house style: co-operation",
    }
    assert "untraceable" not in {s["source"] for s in blamed["spans"]}
    assert replay(app, SLUG).events == query_events(app)
    app.step()
    open_round(app, SLUG)
    with pytest.raises(WrongState, match="round 3"):
        edit(app, SLUG, data=file.read_bytes(), filename=file.name, reason="again")


# --- the limits found -------------------------------------------------------------------------------------------------


def test_replay_of_a_declaration_sharing_its_database(tmp_path: Path) -> None:
    """Regression: submissions were numbered by global row id in the log, so only a lone declaration replayed."""
    from flows.usecases.replay import replay

    clock = StepClock()
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    try:
        negotiate(app, clock, slug="first", parties=3, rounds=1, agree=False)
        negotiate(app, clock, slug="second", parties=3, rounds=1, agree=False)
        replay(app, "second")
    finally:
        app.store.engine.dispose()


def test_every_audit_command_has_help_and_an_example(accord: Run) -> None:
    from flows.cli import audit_cmd

    for name in ("history", "replay", "blame", "edit", "archive"):
        assert accord(name, "--help").exit_code == 0
        assert "Example: accord " + name in (getattr(audit_cmd, name).__doc__ or "")


class TickingClock(StepClock):
    """A wall clock in miniature: every reading is one second later, so a use case reading it twice differs."""

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def test_replay_holds_when_the_clock_moves_between_readings(tmp_path: Path) -> None:
    """Regression: decide read the clock again for the revision it issued, so replay diverged at Rev.1."""
    from flows.bootstrap import bootstrap
    from flows.usecases.replay import replay

    clock = TickingClock()
    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'ticking.db'}", clock=clock)
    done = negotiate(app, clock, slug="ticking", parties=4, rounds=2)
    assert done.versions == ["Rev.1", "Rev.2"]
    report = replay(app, "ticking")
    assert report.events > 0
