"""Compiling a round and deciding on it, against the unit of work in memory (tests/unit/fakes.py): two parties'
files compiled into one compilation with its synopsis, kept as the round's artifacts; both co-presidencies'
decisions issue the next revision; a refusal changes nothing. The Word files are built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import Forbidden, WrongState
from flows.usecases import compile, decide, rounds, submissions
from flows.usecases.texts import load_compilation
from tests.unit.fakes import SLUG, ZERO_DRAFT, amended, fake_app, seed_declaration


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def compiled(app: Any) -> compile.CompiledRound:
    """A round in which MX and AT each proposed an addition, closed and compiled."""
    rounds.open_round(app, SLUG)
    submissions.submit(app, SLUG, party="MX", data=amended("and welcomed"), filename="MX.docx")
    submissions.submit(app, SLUG, party="AT", data=amended("in full"), filename="AT.docx")
    app.clock.step()
    return compile.close_and_compile(app, SLUG)


def proposals(app: Any) -> list[str]:
    """The ids of the latest round's proposals, as its stored compilation has them."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(SLUG)
        stored = load_compilation(uow, declaration, uow.repo.latest_round(declaration))
    assert stored is not None
    return [p.id for p in stored.merged.proposals]


def test_a_closed_round_is_compiled_once_into_its_artifacts(app: Any) -> None:
    repo = seed_declaration(app, template=ZERO_DRAFT)
    result = compiled(app)
    assert (result.round, result.submissions, result.proposals) == (1, 2, 2)
    assert sorted((a.kind, a.round) for _, a in repo.artifacts_) == [
        ("compilation", 1),
        ("proposals", 1),
        ("synopsis-html", 1),
        ("synopsis-json", 1),
    ]
    assert {Path(p).name for p in result.paths} >= {"compilation.docx", "synopsis.json"}
    assert [r.state for r in repo.rounds_] == ["closed"]
    recorded = len(app.store.uow.log_)
    again = compile.compile_round(app, SLUG)  # idempotent: the stored compilation as it is
    assert (again.proposals, len(app.store.uow.log_), len(repo.artifacts_)) == (2, recorded, 4)


def test_both_co_presidencies_decide_and_the_revision_is_issued(app: Any) -> None:
    repo = seed_declaration(app, template=ZERO_DRAFT)
    compiled(app)
    ids = proposals(app)
    choice = {ids[0]: "accept", ids[1]: "reject"}
    with pytest.raises(Forbidden, match="MX may not decide"):
        decide.decide(app, SLUG, party="MX", data=b"{}", filename="d.json")
    data = json.dumps({"decisions": choice}).encode()
    first = decide.decide(app, SLUG, party="ES", data=data, filename="ES.json")
    assert (first.accepted, first.rejected, first.revision) == (1, 1, None)
    again = decide.decide(app, SLUG, party="ES", data=data, filename="ES-2.json")
    assert again.revision is None  # ES's second return supersedes its first
    assert [d.status for d in repo.decisions_] == ["superseded", "current"]
    last = decide.decide(app, SLUG, party="BO", data=data, filename="BO.json")
    assert last.revision == "Rev.1"
    assert [(v.label, v.state) for v in repo.versions_] == [
        ("Zero draft", "circulated"),
        ("Rev.1", "draft"),
    ]
    assert [r.state for r in repo.rounds_] == ["decided"]
    assert [e.type for e in app.store.uow.log_][-5:] == [
        "accord.decision.refused",
        "accord.decision.recorded",
        "accord.decision.recorded",
        "accord.decision.recorded",
        "accord.version.issued",
    ]
    with pytest.raises(WrongState):
        decide.decide(app, SLUG, party="ES", data=data, filename="late.json")
