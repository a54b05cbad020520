"""The co-presidencies' decisions, the revision and its approval, against the unit of work in memory
(tests/unit/fakes.py): what a refusal records, a revision issued with one co-presidency silent, and a bilingual
revision approved with its translation pending. The Word files are built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import InvalidInput, WrongState
from flows.usecases import decide, editorial, rounds
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, ZERO_DRAFT, fake_app, seed_declaration
from tests.unit.test_usecases_compile import compiled, proposals
from tests.unit.test_usecases_create import bilingual


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def refusals(app: Any) -> list[str]:
    return [e.payload["reason"] for e in app.store.uow.log_ if e.type.endswith(".refused")]


def test_decisions_on_a_round_not_compiled_are_refused_and_logged(app: Any) -> None:
    seed_declaration(app, template=ZERO_DRAFT)
    rounds.open_round(app, SLUG)
    with pytest.raises(WrongState, match="the latest round is not compiled"):
        decide.decide(app, SLUG, party="ES", data=b"{}", filename="ES.json", by="account:7")
    refused = app.store.uow.log_[-1]
    assert (refused.type, refused.actor) == ("accord.decision.refused", "ES")
    assert refused.payload["filename"] == "ES.json" and refused.payload["by"] == "account:7"
    assert app.store.uow.repo.decisions_ == []


def test_a_file_neither_json_nor_docx_is_refused_once_the_round_is_compiled(app: Any) -> None:
    seed_declaration(app, template=ZERO_DRAFT)
    with pytest.raises(WrongState, match="the latest round is not compiled"):
        decide.decide(app, SLUG, party="ES", data=b"%PDF", filename="ES.pdf")
    compiled(app)
    with pytest.raises(InvalidInput, match="ES.pdf: decisions come as the compilation .docx"):
        decide.decide(app, SLUG, party="ES", data=b"%PDF", filename="ES.pdf")
    assert refusals(app)[-1].startswith("ES.pdf: decisions come as")


def test_revise_issues_the_revision_with_a_silent_co_presidency(app: Any) -> None:
    repo = seed_declaration(app, template=ZERO_DRAFT)
    with pytest.raises(WrongState, match="no closed, compiled round waiting for a revision"):
        decide.revise(app, SLUG)
    compiled(app)
    first, second = proposals(app)  # two additions at the same place: a conflict group
    accept = json.dumps({"decisions": {first: "accept", second: "reject"}}).encode()
    receipt = decide.decide(app, SLUG, party="ES", data=accept, filename="ES.json")
    assert (receipt.round, receipt.accepted, receipt.rejected, receipt.undecided) == (1, 1, 1, 0)
    assert decide.revise(app, SLUG) == "Rev.1"
    assert [(v.label, v.state) for v in repo.versions_][-1] == ("Rev.1", "draft")
    issued = app.store.uow.log_[-1]
    assert issued.type == "accord.version.issued" and issued.payload["round"] == 1
    assert issued.payload["outcomes"] == {"applied": 0, "dropped": 0, "bracketed": 2}  # BO silent
    with pytest.raises(WrongState, match="the latest round is decided"):
        decide.decide(app, SLUG, party="BO", data=accept, filename="BO.json")


def test_a_revision_with_translation_pending_circulates_only_when_the_last_approval_says_so(
    app: Any,
) -> None:
    bilingual(app)
    changed = build_docx("<w:p><w:r><w:t>Agreed in full.</w:t></w:r></w:p>")
    editorial.edit(app, SLUG, data=changed, filename="fix.docx", reason="clearer")
    assert decide.approve(app, SLUG, party="ES") == {
        "version": "Rev.1",
        "approved_by": ["ES"],
        "circulated": False,
        "pending_translation": "Translation pending: es 1",
    }
    with pytest.raises(WrongState, match="Rev.1 is not circulated: translation pending: es 1"):
        decide.approve(app, SLUG, party="BO")
    result = decide.approve(app, SLUG, party="BO", pending_translation=True, by="account:9")
    assert result["circulated"] is True and result["approved_by"] == ["BO", "ES"]
    versions = app.home / "declarations" / SLUG / "versions"
    assert (versions / "Rev.1.docx").is_file() and (versions / "Rev.1.es.docx").is_file()
    approved = [e for e in app.store.uow.log_ if e.type == "accord.version.approved"][-1]
    assert approved.payload == {
        "version": "Rev.1",
        "party": "BO",
        "pending_translation": True,
        "by": "account:9",
    }
