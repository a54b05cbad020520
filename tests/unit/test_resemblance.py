"""A file made on a different text (issue 12 hardening): refused at the gate, and a diff of unrelated texts bounded."""

from __future__ import annotations

import pytest

from drafting._diff import MAX_UNALIKE, word_diff
from drafting.errors import RefusedFile
from drafting.resemblance import base_found, check_made_on
from tests.compilation_fixtures import reading_of, sample_base, sample_bytes


def _paragraphs(name: str) -> list[str]:
    return [p.text for p in sample_base(name).paragraphs]


def test_an_edited_copy_of_the_base_is_found() -> None:
    base = _paragraphs("water")
    edited = (
        [text.replace(" the ", " a ", 1) for text in base[:30]] + base[30:] + ["A new paragraph."]
    )
    assert base_found(base, base) == 1.0
    assert base_found(base, edited) == 1.0
    assert base_found(base, base[: len(base) // 2]) == pytest.approx(0.5, abs=0.05)


def test_a_translation_of_the_base_is_another_text() -> None:
    """The Spanish version of the same declaration shares its numbers, not its paragraphs."""
    file = [p.text_rejected for p in reading_of(sample_bytes("water-es")).paragraphs]
    assert base_found(_paragraphs("water"), file) < 0.1
    with pytest.raises(
        RefusedFile,
        match=r"^ES.docx: refused, made on a different text: only \d% of the paragraphs "
        r"of Rev.1 are found in it; download your copy of Rev.1 ",
    ):
        check_made_on(
            file,
            {"Zero draft": _paragraphs("water"), "Rev.1": _paragraphs("water")},
            base="Rev.1",
            name="ES.docx",
        )


def test_a_file_made_on_an_older_version_is_not_refused() -> None:
    older, base = _paragraphs("water"), _paragraphs("water-es")
    check_made_on(older, {"Zero draft": older, "Rev.1": base}, base="Rev.1", name="MX.docx")


def test_a_diff_of_unrelated_long_texts_is_one_replacement() -> None:
    """Regression: the word diff of two unrelated declarations took a minute (Myers' cost grows with the square of
    the words it cannot line up); past MAX_UNALIKE words the stretch is one deletion and one insertion."""
    a, b = "\u2029".join(_paragraphs("water")), "\u2029".join(_paragraphs("water-es"))
    pieces = word_diff(a, b)
    assert len(pieces) <= 4, pieces[:6]  # not thousands of word fragments
    assert sum(len(text) for op, text in pieces if op == -1) > 0.9 * len(a)
    short_a, short_b = (
        a[: MAX_UNALIKE // 4],
        b[: MAX_UNALIKE // 4],
    )  # below the bound: diffed word by word
    assert any(op == 0 for op, _ in word_diff(short_a, short_b))
