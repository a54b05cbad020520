"""The language a text reads as: enough to tell a Spanish file given as the English one, and silent when unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting._language_guess import MIN_WORDS, guess_language
from flows import samples

SHARED = Path(__file__).resolve().parents[3] / "shared" / "samples" / "declarations"


def lines(path: Path) -> list[str]:
    return [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_sample_reads_as_its_language_and_no_paragraph_as_another(language: str) -> None:
    paragraphs = lines(samples.source_path(language))
    assert guess_language(paragraphs) == language
    guesses = [guess_language([p]) for p in paragraphs]  # most are too short to tell
    assert guesses.count(language) >= 10 and set(guesses) <= {language, None}


def test_the_shared_samples_read_as_their_languages() -> None:
    found = sorted(SHARED.glob("*.txt"))
    if not found:
        pytest.skip("../shared/samples/declarations is not beside this checkout")
    for path in found:
        assert guess_language(lines(path)) == path.suffixes[-2].lstrip("."), path.name


def test_a_short_or_mixed_text_is_not_guessed() -> None:
    assert guess_language(["the and of"] * (MIN_WORDS // 3 - 1)) is None
    mixed = ["the and of to in that for with " * 3, "el la los las de del y en " * 3]
    assert guess_language(mixed) is None
    assert guess_language(["1. 2. 3. 2030 A/RES/70/1"] * 20) is None
