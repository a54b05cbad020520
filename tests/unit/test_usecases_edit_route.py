"""The secretariat's editorial change and the routing of a compilation, against the unit of work in memory
(tests/unit/fakes.py). The Word files are built here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.errors import InvalidInput, WrongState
from drafting.negotiation import VersionContent
from flows.usecases import compile, editorial, rounds, routing, submissions
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, ZERO_DRAFT, amended, fake_app, seed_declaration


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def paragraph(text: str) -> bytes:
    return build_docx(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")


def test_an_editorial_change_becomes_the_next_draft_with_its_reason(app: Any) -> None:
    repo = seed_declaration(app, template=ZERO_DRAFT)
    with pytest.raises(InvalidInput, match="--reason is empty"):
        editorial.edit(app, SLUG, data=paragraph("Agreed!"), filename="fix.docx", reason="  ")
    with pytest.raises(InvalidInput, match="there is no change to record"):
        editorial.edit(app, SLUG, data=ZERO_DRAFT, filename="same.docx", reason="typo")
    assert app.store.uow.log_ == [] and len(repo.versions_) == 1  # refusals change nothing
    edited = editorial.edit(
        app, SLUG, data=paragraph("Agreed in full."), filename="fix.docx", reason=" typo "
    )
    assert edited.version == "Rev.1"
    rev1 = repo.versions_[-1]
    content = VersionContent.model_validate_json(rev1.meta)
    assert (rev1.label, rev1.state, rev1.parent_id) == ("Rev.1", "draft", repo.versions_[0].id)
    assert [p.text for p in content.text.paragraphs] == ["Agreed in full."]
    assert content.editorial is not None and content.editorial.reason == "typo"
    assert [e.type for e in app.store.uow.log_] == ["accord.version.edited"]


def test_no_editorial_change_while_a_round_is_open(app: Any) -> None:
    repo = seed_declaration(app, template=ZERO_DRAFT)
    rounds.open_round(app, SLUG)
    with pytest.raises(WrongState, match="edit between rounds"):
        editorial.edit(app, SLUG, data=paragraph("Agreed in full."), filename="f.docx", reason="x")
    assert len(repo.versions_) == 1 and len(app.store.uow.log_) == 1


def test_a_compilation_is_routed_to_both_co_presidencies_once(app: Any) -> None:
    seed_declaration(app, template=ZERO_DRAFT)
    rounds.open_round(app, SLUG)
    submissions.submit(app, SLUG, party="MX", data=amended("in full"), filename="MX.docx")
    compile.close_and_compile(app, SLUG)
    routed = routing.route_compilation(app, SLUG)
    assert sorted(routed.parties) == ["BO", "ES"]
    assert routed.files and all(
        Path(f).is_file() for f in routed.files
    )  # no mailer: the outbox folder
    event = app.store.uow.log_[-1]
    assert (event.type, event.payload["version"]) == ("accord.version.routed", "Zero draft")
    again = routing.route_compilation(app, SLUG)
    assert again.skipped == "round 1 compilation already routed" and app.store.uow.log_[-1] == event
