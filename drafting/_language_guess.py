"""Language codes (BCP 47 primary tags) and a guess at the language a text is written in, from its commonest
words: enough to tell a Spanish file given as the English one, not a language identifier."""

from __future__ import annotations

import re
from collections.abc import Sequence

# ISO 639-1: the two-letter primary language subtags of BCP 47
LANGUAGE_CODES = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en "
    "eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja "
    "jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
    "nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq "
    "sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split())
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
    words = [w.casefold() for text in paragraphs for w in _WORD.findall(text) if not w.isupper()]  # not "A/RES"
    if len(words) < MIN_WORDS:
        return None
    scores = sorted(((sum(w in common for w in words), lang) for lang, common in _SETS.items()), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= 0.15 * len(words) and best >= 1.5 * second else None


def knows(language: str) -> bool:
    """Whether ``guess_language`` can recognise a text in ``language``."""
    return language in _SETS
