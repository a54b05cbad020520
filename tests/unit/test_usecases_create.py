"""Creating a declaration, writing the text its state makes it, and aligning a version's languages, against the
unit of work in memory (tests/unit/fakes.py). The Word files are built here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.errors import InvalidInput
from drafting.negotiation import VersionContent, VersionState
from flows.usecases import concordance, declarations, rounds
from flows.usecases.documents import agreed_text, issue_stated_text, stated_texts
from tests import factories
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, ZERO_DRAFT, fake_app

SPANISH = build_docx("<w:p><w:r><w:t>Acordado.</w:t></w:r></w:p>")


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def create(app: Any, **fields: Any) -> declarations.CreatedDeclaration:
    """The declaration created from the seed's one-paragraph zero draft, with ten parties."""
    given: dict[str, Any] = dict(
        slug=SLUG,
        title="Declaration",
        zero_draft=ZERO_DRAFT,
        zero_draft_name="zero.docx",
        parties_csv=factories.parties_csv(10),
        parties_name="parties.csv",
        co_presidencies=list(factories.CO_PRESIDENCIES),
        symbol="EU-CELAC/L.1",
    )
    return declarations.create_declaration(app, **(given | fields))


def bilingual(app: Any) -> declarations.CreatedDeclaration:
    return create(
        app,
        languages=("en", "es"),
        translations={"es": (SPANISH, "zero.es.docx")},
        accept_warnings=True,
    )


def test_a_declaration_is_created_with_its_parties_and_zero_draft(app: Any) -> None:
    created = create(app, by="account:7")
    repo = app.store.uow.repo
    assert (created.slug, created.parties, created.paragraphs, created.translations) == (
        SLUG,
        10,
        1,
        {},
    )
    assert (
        Path(created.zero_draft)
        == app.home / "declarations" / SLUG / "versions" / "Zero draft.docx"
    )
    assert [(v.label, v.state) for v in repo.versions_] == [("Zero draft", "circulated")]
    assert len(repo.parties_) == 10 and repo.declarations[0].symbol == "EU-CELAC/L.1"
    log = app.store.uow.log_
    assert [e.type for e in log] == ["accord.declaration.created", "accord.version.issued"]
    assert log[0].payload["by"] == "account:7" and log[0].payload["symbol"] == "EU-CELAC/L.1"
    assert log[1].payload["blob"] == repo.versions_[0].blob_sha256
    assert Path(created.zero_draft).read_bytes() == app.store.uow.blob(log[1].payload["blob"])


def test_a_slug_taken_is_refused_and_nothing_more_is_recorded(app: Any) -> None:
    create(app)
    with pytest.raises(InvalidInput, match="declaration 'eu-celac' already exists"):
        create(app, title="Again")
    assert len(app.store.uow.log_) == 2 and len(app.store.uow.repo.declarations) == 1


def test_in_two_languages_each_zero_draft_is_issued_and_kept(app: Any) -> None:
    created = bilingual(app)
    assert Path(created.translations["es"]).name == "Zero draft.es.docx"
    zero = app.store.uow.repo.versions_[0]
    content = VersionContent.model_validate_json(zero.meta)
    assert [p.text for p in content.translations["es"].text.paragraphs] == ["Acordado."]
    created_event = app.store.uow.log_[0].payload
    assert created_event["translations"]["es"]["filename"] == "zero.es.docx"
    assert created_event["languages"] == ["en", "es"]


def test_a_round_opens_on_the_zero_draft_created(app: Any) -> None:
    create(app)
    opened = rounds.open_round(app, SLUG)
    assert (opened.number, opened.version) == (1, "Zero draft")
    owed = app.store.uow.outbox.shares
    assert sorted(o.party for o in owed) == sorted(
        factories.delegations(10) + list(factories.CO_PRESIDENCIES)
    )


def stated(app: Any, state: VersionState) -> str | None:
    def work(uow: Any) -> str | None:
        declaration = uow.repo.declaration(SLUG)
        return issue_stated_text(uow, declaration, "Zero draft", state, app.now())

    return app.store.transaction(work)[0]


def test_the_text_under_silence_then_agreed_is_written_in_every_language(app: Any) -> None:
    bilingual(app)
    repo = app.store.uow.repo
    ad_referendum = stated(app, VersionState.SILENCE)
    agreed = stated(app, VersionState.AGREED)
    assert [(a.kind, a.name, a.version) for _, a in repo.artifacts_] == [
        ("ad-referendum-text", "Zero draft ad referendum.docx", 0),
        ("ad-referendum-text.es", "Zero draft ad referendum.es.docx", 0),
        ("agreed-text", "Agreed text.docx", 0),
        ("agreed-text.es", "Agreed text.es.docx", 0),
    ]
    assert [a.blob_sha256 for _, a in repo.artifacts_][::2] == [ad_referendum, agreed]
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(SLUG)
        zero = uow.repo.current_version(declaration)
        assert agreed_text(uow, declaration, zero) == uow.blob(agreed)
        assert agreed_text(uow, declaration, zero, "es") != agreed_text(uow, declaration, zero)
        assert sorted(stated_texts(uow, declaration)) == sorted(a.name for _, a in repo.artifacts_)


def test_a_declaration_without_identity_gets_no_stated_text(app: Any) -> None:
    create(app, symbol=None)  # as replaying a log from before symbols
    assert stated(app, VersionState.AGREED) is None
    assert app.store.uow.repo.artifacts_ == []


def test_a_version_is_aligned_in_its_languages_and_its_report_written(app: Any) -> None:
    bilingual(app)
    report = concordance.align_version(app, SLUG)
    assert report.version == "Zero draft" and report.concordance.languages == ["en", "es"]
    assert [(s.language, s.name, s.paragraphs) for s in report.sources] == [
        ("en", "Zero draft (en)", ["Agreed."]),
        ("es", "Zero draft (es)", ["Acordado."]),
    ]
    assert (
        report.page == app.home / "declarations" / SLUG / "versions" / "Zero draft.concordance.html"
    )
    assert report.page.read_text(encoding="utf-8") == report.html
    rounds.open_round(app, SLUG)
    again = concordance.align_version(app, SLUG, label="zero draft")
    assert again.page == app.home / "declarations" / SLUG / "round-1" / "concordance.html"


def test_a_version_in_one_language_has_nothing_to_align(app: Any) -> None:
    create(app)
    with pytest.raises(InvalidInput, match="eu-celac is negotiated in one language \\(en\\)"):
        concordance.align_version(app, SLUG)
    assert not list(app.home.rglob("*concordance*"))
