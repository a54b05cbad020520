"""A translator's upload as values (drafting.translating): only paragraphs pending translation into its language
may change; they become aligned; the version's content and VersionTranslated record it."""

from __future__ import annotations

import pytest

from drafting.brackets import FIRST_RULES
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.events import SourceFile
from drafting.lifecycle import Round
from drafting.negotiation import (
    Declaration,
    RoundState,
    Translation,
    Version,
    VersionContent,
    VersionState,
)
from drafting.translating import (
    TRANSLATOR,
    Translating,
    TranslatorFile,
    Upload,
    align,
    circulated_files,
    may_upload,
    translated_content,
    version_translated,
)
from tests.compilation_fixtures import sample_base

T, B = "t" * 64, "b" * 64


def _content(pending: list[str]) -> VersionContent:
    spanish = Translation(text=sample_base("water-es"), blob=B, template=T, pending=pending)
    return VersionContent(text=sample_base("water"), template=T, translations={"es": spanish})


def _upload(changes: dict[int, str]) -> Upload:
    paragraphs = [p.text for p in sample_base("water-es").paragraphs]
    for index, text in changes.items():
        paragraphs[index] = text
    return Upload("water", "Rev.1", "es", "rev1.es.docx", paragraphs, accept_warnings=True)


def test_nothing_pending_is_refused() -> None:
    with pytest.raises(WrongState, match="Rev.1 of 'water' has no paragraph pending"):
        align(_content([]), "en", _upload({}))


def test_a_change_to_a_paragraph_not_pending_is_refused_by_its_number() -> None:
    key = sample_base("water-es").paragraphs[0].key
    with pytest.raises(InvalidInput, match="paragraph 2 differs"):
        align(_content([key]), "en", _upload({1: "Otra cosa."}))


def test_the_pending_paragraph_is_aligned_and_recorded_as_the_translators_words() -> None:
    key = sample_base("water-es").paragraphs[0].key
    aligned = align(_content([key]), "en", _upload({0: "Traducido de nuevo."}))
    assert aligned.texts["es"].paragraphs[0].text == "Traducido de nuevo."
    assert aligned.pending == {"es": []} and aligned.note == ""
    assert (aligned.aligned, aligned.numbers) == ([key], ["1"])
    assert aligned.made and aligned.others == "en"
    content, translations = translated_content(_content([key]), aligned, {"es": "n" * 64})
    assert translations["es"].blob == "n" * 64 and translations["es"].pending == []
    assert translations["es"].translated  # what the translator changed, for blame
    assert content.translations["es"].text.paragraphs[0].text == "Traducido de nuevo."
    source = SourceFile(blob="s" * 64, filename="rev1.es.docx")
    event = version_translated(aligned, translations, label="Rev.1", blob=B, source=source, by=None)
    assert event.aligned == (key,) and event.translations["es"].blob == "n" * 64


def _translating(
    state: VersionState = VersionState.CIRCULATED, round_state: RoundState | None = None
) -> Translating:
    """Rev.1 of 'water' in English and Spanish, its first Spanish paragraph pending translation."""
    key = sample_base("water-es").paragraphs[0].key
    stored = _content([key]).model_dump_json()
    version = Version(
        number=1,
        label="Rev.1",
        blob_sha256=B,
        text_sha256=T,
        state=state,
        created_at="x",
        stored=stored,
    )
    declaration = Declaration(slug="water", title="Water", languages=["en", "es"])
    latest = None if round_state is None else Round("water", 2, "Rev.1", round_state, "x")
    return Translating(declaration, version, latest)


def test_only_the_translator_may_upload() -> None:
    may_upload(TRANSLATOR)
    with pytest.raises(
        Forbidden, match=r"--role 'chair' may not upload a translation: .*--role translator"
    ):
        may_upload("chair")


@pytest.mark.parametrize(
    ("translating", "language", "refusal"),
    [
        (
            _translating(),
            "fr",
            "--language fr: 'water' is negotiated in en, es; translate into one",
        ),
        (
            _translating(VersionState.AGREED),
            "es",
            "Rev.1 of 'water' is agreed; its text no longer changes",
        ),
        (
            _translating(round_state=RoundState.OPEN),
            "es",
            "round 2 of 'water' is open on Rev.1; translate before",
        ),
    ],
)
def test_a_translation_is_taken_for_a_language_of_a_version_still_changing(
    translating: Translating, language: str, refusal: str
) -> None:
    _translating(VersionState.DRAFT, RoundState.CLOSED).check("es")
    with pytest.raises((InvalidInput, WrongState), match=refusal):
        translating.check(language)


def test_a_translator_file_is_aligned_on_the_current_version() -> None:
    file = TranslatorFile("es", "rev1.es.docx", b"", _upload({0: "Traducido."}).paragraphs, True)
    aligned = _translating().align(file, FIRST_RULES)
    assert aligned.texts["es"].paragraphs[0].text == "Traducido." and aligned.numbers == ["1"]


def test_a_service_is_asked_for_the_pending_paragraphs_in_the_other_language() -> None:
    translating = _translating()
    request = translating.request("es")
    english, spanish = sample_base("water"), sample_base("water-es")
    assert (request.label, request.source, request.numbers) == ("Rev.1", "en", ["1"])
    assert request.keys == [spanish.paragraphs[0].key] and request.said == [
        english.paragraphs[0].text
    ]
    request.check(["Traducido."])
    texts = request.texts(["Traducido."], spanish)
    assert texts == ["Traducido.", *[p.text for p in spanish.paragraphs[1:]]]
    assert (translating.blob("en"), translating.blob("es")) == (B, B)
    with pytest.raises(InvalidInput, match="gave 2 texts for 1 paragraphs"):
        request.check(["a", "b"])
    with pytest.raises(
        WrongState, match="no paragraph pending translation into en; there is nothing"
    ):
        translating.request("en")


def test_only_a_circulated_versions_files_follow_it() -> None:
    documents = {"en": b"e", "es": b"s"}
    circulated = _translating().version
    assert circulated_files(circulated, "en", documents) == {
        "Rev.1.docx": b"e",
        "Rev.1.es.docx": b"s",
    }
    draft = _translating(VersionState.DRAFT).version
    assert circulated_files(draft, "en", documents) == {}
