"""A translator's upload as values (drafting.translating): only paragraphs pending translation into its language
may change; they become aligned; the version's content and VersionTranslated record it."""

from __future__ import annotations

import pytest

from drafting.errors import InvalidInput, WrongState
from drafting.events import SourceFile
from drafting.negotiation import Translation, VersionContent
from drafting.translating import Upload, align, translated_content, version_translated
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
