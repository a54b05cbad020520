"""The read use cases, history and dashboard, against the unit of work in memory (tests/unit/fakes.py): a round
compiled and decided, read back as the history's round with its proposals' outcomes and as the dashboard's
paragraphs, bars and boards. The Word files are built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafting.dashboard import AMENDED
from flows.usecases import compile, decide, history, rounds, submissions
from flows.usecases.dashboard import dashboard_of
from tests.unit.fakes import SLUG, ZERO_DRAFT, amended, fake_app, seed_declaration


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def _round(app: Any) -> list[str]:
    """A round in which MX and AT each proposed an addition, closed and compiled: its proposals' ids."""
    seed_declaration(app, template=ZERO_DRAFT)
    rounds.open_round(app, SLUG)
    submissions.submit(app, SLUG, party="MX", data=amended("and welcomed"), filename="MX.docx")
    submissions.submit(app, SLUG, party="AT", data=amended("in full"), filename="AT.docx")
    app.clock.step()
    compile.close_and_compile(app, SLUG)
    return [p.id for p in history.history(app, SLUG).rounds[0].proposals]


def test_the_history_reads_a_round_and_its_revision(app: Any) -> None:
    ids = _round(app)
    undecided = history.history(app, SLUG).rounds[0]
    assert [p.outcome for p in undecided.proposals] == ["undecided", "undecided"]
    assert [s.party for s in undecided.submissions] == ["MX", "AT"]
    assert undecided.compilation is not None and undecided.reason == "closed"
    choice = json.dumps({"decisions": {ids[0]: "accept", ids[1]: "reject"}}).encode()
    for party in ("ES", "BO"):
        decide.decide(app, SLUG, party=party, data=choice, filename=f"{party}.json")
    decided = history.history(app, SLUG)
    [rev1] = decided.versions  # the seeded zero draft was never logged as issued
    assert (decided.rounds[0].revision, rev1.label, rev1.kind, rev1.round) == (
        "Rev.1",
        "Rev.1",
        "revision",
        1,
    )
    assert [(p.outcome, p.decisions) for p in decided.rounds[0].proposals] == [
        ("applied", {"BO": "accept", "ES": "accept"}),
        ("dropped", {"BO": "reject", "ES": "reject"}),
    ]
    assert [(d.party, d.accepted, d.rejected) for d in decided.rounds[0].decisions] == [
        ("ES", 1, 1),
        ("BO", 1, 1),
    ]
    assert decided.documents == len(history.documents_of(app.store.uow.log_))


def test_the_dashboard_marks_what_a_compiled_round_proposes(app: Any, tmp_path: Path) -> None:
    _round(app)
    with app.store.reading() as uow:
        page = dashboard_of(uow, SLUG, tmp_path, printing=False)
    assert [c.status for c in page.cells if c.status == AMENDED]  # proposals not yet decided
    assert [b.label for b in page.bars] == ["Round 1"]
    assert page.boards[0].received.keys() == {"MX", "AT"} and page.boards[0].delegations == 2
    assert "LibreOffice is not installed" in page.pdf_note
    assert [(link.name, link.href) for link in page.audit] == [("History", None), ("Blame", None)]
    heading, [archive] = page.documents[-1]
    assert (heading, archive.href, archive.missing) == ("Archive", None, "not sealed yet")
