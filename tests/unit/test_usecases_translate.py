"""The translator's upload, against the unit of work in memory (tests/unit/fakes.py): a declaration in English
and Spanish whose zero draft has one paragraph pending translation into Spanish. The Word files are built here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drafting.documents import body_texts
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.negotiation import VersionContent
from drafting.wordml.reader import read_docx
from flows.usecases import rounds, translate
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, FakeRepository, fake_app, seed_declaration


def document(*paragraphs: str) -> bytes:
    return build_docx("".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs))


EN = document("Agreed.", "Water for all.")
ES = document("Acordado.", "Water for all.")  # its second paragraph not yet translated


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def bilingual(app: Any) -> FakeRepository:
    """The seed made bilingual: the zero draft's second paragraph pending translation into Spanish."""
    repo = seed_declaration(app, template=EN)
    repo.declarations[0].languages = "en,es"
    zero = repo.versions_[0]
    meta = json.loads(zero.meta)
    meta["text"]["paragraphs"].append({"key": "p002", "text": "Water for all.", "status": "new"})
    meta["translations"] = {
        "es": {
            "text": {
                "paragraphs": [
                    {"key": "p001", "text": "Acordado.", "status": "unchanged"},
                    {"key": "p002", "text": "Water for all.", "status": "new"},
                ]
            },
            "blob": app.store.uow.put_blob(ES),
            "template": app.store.uow.put_blob(ES),
            "pending": ["p002"],
        }
    }
    zero.meta = json.dumps(meta)
    return repo


def content(repo: FakeRepository) -> VersionContent:
    return VersionContent.model_validate_json(repo.versions_[0].meta)


def test_the_pending_paragraph_is_translated_and_the_version_reissued(app: Any) -> None:
    repo = bilingual(app)
    before = repo.versions_[0].blob_sha256
    done = translate.translate(
        app, SLUG, language="es", data=document("Acordado.", "Agua para todos."), filename="es.docx"
    )
    assert (done.version, done.language, done.aligned) == ("Zero draft", "es", ["2"])
    spanish = content(repo).translations["es"]
    assert [p.text for p in spanish.text.paragraphs] == ["Acordado.", "Agua para todos."]
    assert spanish.pending == [] and content(repo).text.paragraphs[1].text == "Water for all."
    assert repo.versions_[0].blob_sha256 != before  # the version is issued again, with its new text
    event = app.store.uow.log_[-1]
    assert (event.type, event.payload["aligned"], event.payload["pending"]) == (
        "accord.version.translated",
        ["p002"],
        [],
    )
    assert Path(done.paths[0]).is_file()  # a circulated version's files in versions/ follow it


def test_a_translation_that_changes_an_aligned_paragraph_is_refused(app: Any) -> None:
    repo = bilingual(app)
    stored = repo.versions_[0].meta
    with pytest.raises(InvalidInput, match="paragraph 1 differs from Zero draft in es"):
        translate.translate(
            app, SLUG, language="es", data=document("Convenido.", "Agua."), filename="es.docx"
        )
    assert repo.versions_[0].meta == stored and app.store.uow.log_ == []


def test_no_translation_while_a_round_is_open(app: Any) -> None:
    bilingual(app)
    rounds.open_round(app, SLUG)
    with pytest.raises(WrongState, match="translate before a round opens"):
        translate.translate(
            app, SLUG, language="es", data=document("Acordado.", "Agua."), filename="es.docx"
        )


def test_only_the_translator_uploads_a_translation(app: Any) -> None:
    repo = bilingual(app)
    stored = repo.versions_[0].meta
    with pytest.raises(Forbidden, match="--role 'delegate' may not upload a translation"):
        translate.translate(
            app,
            SLUG,
            language="es",
            data=document("Acordado.", "Agua."),
            filename="es.docx",
            role="delegate",
        )
    assert repo.versions_[0].meta == stored and app.store.uow.log_ == []


class _Service:
    """A translation service that says what it was asked, or gives ``count`` texts when told to."""

    def __init__(self, count: int | None = None) -> None:
        self.asked: list[tuple[list[str], str, str]] = []
        self.count = count

    def translate(self, paragraphs: Sequence[str], source: str, target: str) -> list[str]:
        self.asked.append((list(paragraphs), source, target))
        made = [f"{p} ({source}>{target})" for p in paragraphs]
        return made if self.count is None else ["x"] * self.count


def test_a_draft_translation_asks_for_the_pending_paragraphs_only(app: Any, tmp_path: Path) -> None:
    bilingual(app)
    service = _Service()
    out = tmp_path / "draft.es.docx"
    made = translate.draft_translation(
        replace(app, translator=service), SLUG, language="es", out=out
    )
    assert (made.version, made.language, made.paragraphs, made.path) == (
        "Zero draft",
        "es",
        ["2"],
        str(out),
    )
    assert service.asked == [(["Water for all."], "en", "es")]
    drafted = body_texts(read_docx(out.read_bytes(), name=out.name))
    assert drafted == ["Acordado.", "Water for all. (en>es)"]
    assert app.store.uow.log_ == []  # records nothing


def test_a_draft_translation_needs_a_service_and_one_text_a_paragraph(
    app: Any, tmp_path: Path
) -> None:
    bilingual(app)
    out = tmp_path / "draft.es.docx"
    with pytest.raises(InvalidInput, match="no translation service is configured"):
        translate.draft_translation(app, SLUG, language="es", out=out)
    with pytest.raises(InvalidInput, match="gave 2 texts for 1 paragraphs; nothing was written"):
        translate.draft_translation(
            replace(app, translator=_Service(2)), SLUG, language="es", out=out
        )
    assert not out.exists()


def test_a_draft_translation_with_nothing_pending_is_refused(app: Any, tmp_path: Path) -> None:
    bilingual(app)
    with pytest.raises(
        WrongState, match="has no paragraph pending translation into en; there is nothing"
    ):
        translate.draft_translation(
            replace(app, translator=_Service()), SLUG, language="en", out=tmp_path / "d.docx"
        )
