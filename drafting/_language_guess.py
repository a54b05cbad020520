"""A guess at the language a text is written in, from its commonest words: enough to tell a Spanish file given as
the English one, not a language identifier. (The language codes themselves: drafting.identifiers.LANGUAGE_CODES.)"""

from __future__ import annotations

import re
from collections.abc import Sequence

_COMMON = {
    "en": "the and of to in that for with on is are its our we by which this be as an or",
    "es": "el la los las de del y en que para con por una un su sus se al lo como",
    "fr": "le la les de des du et en que pour avec par une un dans sur au aux est nous",
    "pt": "os as de do da dos das em que para com por uma um no na nos não são",
}
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese"}
_SETS = {lang: frozenset(words.split()) for lang, words in _COMMON.items()}
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 30  # fewer words tell nothing


def guess_language(paragraphs: Sequence[str]) -> str | None:
    """The language whose commonest words a text uses clearly most (en, es, fr, pt); None when unclear."""
    words = [
        w.casefold() for text in paragraphs for w in _WORD.findall(text) if not w.isupper()
    ]  # not "A/RES"
    if len(words) < MIN_WORDS:
        return None
    scores = sorted(
        ((sum(w in common for w in words), lang) for lang, common in _SETS.items()), reverse=True
    )
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= 0.15 * len(words) and best >= 1.5 * second else None


def knows(language: str) -> bool:
    """Whether ``guess_language`` can recognise a text in ``language``."""
    return language in _SETS
