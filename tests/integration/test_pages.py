"""The pages and the status a person reads, on a small negotiation (the demo's, six delegations): `accord status`
says the overall state first, in the declaration's zone; history.html speaks plainly and fits a phone; blame.html
shows who, which round and which amendment without hovering."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.bootstrap import bootstrap
from flows.demo import SLUG, run_demo
from tests import factories
from tests.cli_runner import Accord

DOCS = Path(__file__).resolve().parents[2] / "docs" / "status.md"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pages") / "home"
    run_demo(home, parties=6, fresh=False, say=lambda _line: None)
    return home


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


# --- accord status -------------------------------------------------------------------------------------------------


def test_status_after_agreement_says_agreed_and_archived_first_and_no_missing_list(
    demo_home: Path,
) -> None:
    from flows.usecases.status import status, status_lines

    state = status(bootstrap(demo_home), SLUG)
    lines = status_lines(state)
    assert state.overall.phase == "archived"
    assert re.fullmatch(
        r"  Rev\.2 agreed on .+ CET \(.+ UTC\); archived on .+ CET \(.+ UTC\)", lines[1]
    ), lines[1]
    shown = "\n".join(lines)
    assert "not yet received" not in shown, (
        "a closed round's missing delegations are no news after agreement"
    )
    assert re.search(
        r"round 2 on Rev\.1: decided, deadline \w{3} \d\d \w{3} 2026 \d\d:\d\d CET .*, 1 submission;",
        shown,
    ), shown
    assert re.search(r"decisions: BO (\d+)/\1 decided, ES (\d+)/\2 decided", shown), shown
    assert not ISO.search(shown), "every time in the declaration's zone"


def test_status_json_keeps_the_shape_docs_status_md_gives(demo_home: Path) -> None:
    from flows.usecases.status import status

    data = status(bootstrap(demo_home), SLUG).as_json()
    table = DOCS.read_text(encoding="utf-8").split("## `accord status SLUG --json`")[1]
    documented = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    assert set(data) == set(documented)
    assert set(data["overall"]) == {
        "phase",
        "summary",
        "version",
        "round",
        "agreed_at",
        "archived_at",
        "until",
    }
    latest = data["latest_round"]
    assert set(latest) == set(data["rounds"][-1]) | {
        "submissions",
        "missing",
        "delegations",
        "received",
        "decisions",
    }
    assert {d["party"] for d in latest["decisions"]} == {"ES", "BO"}
    assert all(set(d) == {"party", "decided", "proposals"} for d in latest["decisions"])
    assert all(
        set(v)
        == {
            "number",
            "label",
            "blob_sha256",
            "text_sha256",
            "state",
            "created_at",
            "parent",
            "approvals",
        }
        for v in data["versions"]
    )
    assert data["versions"][1]["parent"] == "Zero draft" and data["overall"]["agreed_at"].endswith(
        "Z"
    )


def test_status_of_an_open_round_names_who_has_not_submitted_in_the_zone(
    accord: Accord, tmp_path: Path
) -> None:
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
        "--timezone",
        "America/La_Paz",
    )
    deadline = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
    accord("round", "open", SLUG, "--deadline", deadline.isoformat())
    submission = tmp_path / "inbox" / "AT.docx"
    submission.write_bytes(factories.party_submission("AT"))
    accord("submit", SLUG, "--party", "AT", str(submission))
    shown = accord("status", SLUG).stdout
    lines = shown.splitlines()
    assert lines[1].startswith("  Round 1 open on Zero draft until ") and " -04 (" in lines[1], (
        lines[1]
    )
    assert "1 submission; 1 of 4 delegations submitted" in shown, shown
    missing = next(line for line in lines if "not yet received from" in line)
    assert missing.startswith("  not yet received from (3): ") and "AT" not in missing
    assert "decisions:" not in shown, "nothing to decide while the round is open"
    assert not ISO.search(shown), shown


def test_status_while_the_co_presidencies_decide_shows_each_one_s_progress(app: Any) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import decide
    from flows.usecases.status import status, status_lines

    factories.open_declaration(app, n=6)
    factories.submit(app, "AT")
    compiled = close_and_compile(app, factories.SLUG)
    assert compiled.proposals >= 1
    decide(
        app,
        factories.SLUG,
        party="ES",
        data=b'{"decisions": {"P001": "accept"}}',
        filename="ES.json",
    )
    state = status(app, factories.SLUG)
    assert state.overall.phase == "awaiting decisions"
    assert {(d.party, d.decided, d.proposals) for d in state.latest_round.decisions} == {
        ("ES", 1, compiled.proposals),
        ("BO", 0, compiled.proposals),
    }
    shown = "\n".join(status_lines(state))
    assert (
        f"ES 1/{compiled.proposals} decided" in shown
        and "BO none" in shown
        and "not yet received" not in shown
    )
    assert "1 submission; 1 of 4 delegations submitted" in shown, shown


# --- history.html --------------------------------------------------------------------------------------------------


def test_history_page_speaks_plainly_in_the_zone_and_fits_a_phone(demo_home: Path) -> None:
    from drafting.events import EVENTS
    from flows.usecases.history import history, history_html

    data = history(bootstrap(demo_home), SLUG)
    html = history_html(data)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert (
        "overflow-wrap: break-word" in html
        and "overflow-wrap: anywhere" in html
        and 'class="wide"' in html
        and "@media print" in html
    )
    said = [e.summary for e in data.timeline]
    assert not [
        s for s in said for name in EVENTS if name.removeprefix("accord.") in s or "accord." in s
    ]
    assert "(closed)" not in html and not ISO.search(html.split("<body>", 1)[1])
    assert any(
        s.startswith("Silence procedure on Rev.2 until ") and s.endswith("UTC)") for s in said
    ), said
    assert any(re.fullmatch(r"Round 2 closed with 1 submission", s) for s in said), said


def test_history_in_the_terminal_says_times_in_the_zone_and_counts_in_the_right_number(
    demo_home: Path,
) -> None:
    shown = Accord(demo_home)("history", SLUG).stdout
    assert "times in Europe/Brussels" in shown and not ISO.search(shown), shown
    assert "round 2 on Rev.1: 1 submission, " in shown and " CET (" in shown


# --- blame.html ----------------------------------------------------------------------------------------------------


def test_blame_page_of_the_agreed_text_tags_every_amendment_and_numbers_every_paragraph(
    demo_home: Path,
) -> None:
    from flows.usecases.blame import blame, blame_html, names
    from flows.usecases.texts import version_text

    app = bootstrap(demo_home)
    result, parties = blame(app, SLUG), names(app, SLUG)
    page = blame_html(result, title="T", names=parties)
    with app.store.reading() as uow:
        count = len(version_text(uow.repo.current_version(uow.repo.declaration(SLUG))).paragraphs)
    assert re.findall(r'<div class="row" id="p(\d+)">', page) == [
        str(n) for n in range(1, count + 1)
    ]
    for span in (s for s in result.spans if s.source == "proposal"):
        assert f">{span.party} · round {span.round} · {span.proposal}</span>" in page, span
    for gone in result.deleted:
        assert f">deleted · {gone.party} · round {gone.round} · {gone.proposal}</span>" in page, (
            gone
        )
    legend = re.findall(r'<span class="swatch s\d+">([^<]+)</span>([^:]+):', page)
    assert [name for _, name in legend] == sorted((name for _, name in legend), key=str.casefold)
    colours = re.findall(r"\.tag\.s\d+ \{ color: (#[0-9a-f]{6});", page)
    assert len(colours) == len(legend) == len(set(colours)) > 3
