"""Where two language versions with different paragraph counts first diverge.

Paragraphs are aligned as a translator would line them up: by their numbering, the numbers and symbols they carry,
their lengths (a translation is about as long as its original) and the cognates they share (the first letters of
their longer words: "climate change intensifies" / "el cambio climático intensifica"). A global alignment
(Needleman-Wunsch, in a band as wide as the difference of counts allows) leaves out the paragraphs that have no
counterpart; the first such paragraph, or the first pair numbered differently, is the divergence. An extra preamble
paragraph, unnumbered, is found where it is, not at the first numbered paragraph after it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from drafting._concordance_facts import QUOTED, facts, label_of

GAP = -2.5  # a paragraph without counterpart
_SLACK = 3  # the band: the difference of counts, and this much more
_STEM = 4
_COGNATES = 6.0
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Divergence:
    """The first place two versions part: ``a`` and ``b`` are 0-based indexes (None: no counterpart there)."""

    a: int | None
    b: int | None


@dataclass(frozen=True)
class _Sign:
    label: str
    facts: Counter[str]
    size: int
    stems: frozenset[str]  # first letters of its longer words: cognates share them (climate, climático)


def first_divergence(a: Sequence[str], a_lang: str, b: Sequence[str], b_lang: str) -> Divergence | None:
    """The first paragraph without counterpart, or the first pair numbered differently; None if they align."""
    signs_a, signs_b = [_sign(t, a_lang) for t in a], [_sign(t, b_lang) for t in b]
    for i, j in _path(signs_a, signs_b):
        if i is None or j is None or signs_a[i].label != signs_b[j].label:
            return Divergence(i, j)
    return None


def _sign(text: str, language: str) -> _Sign:
    found = Counter(f"{f.kind}:{f.values[0]}" for f in facts(text, language) if f.kind != QUOTED)
    stems = frozenset(w[:_STEM].casefold() for w in _WORD.findall(text) if len(w) > _STEM)
    return _Sign(label_of(text)[1], found, len(text), stems)


def _score(a: _Sign, b: _Sign) -> float:
    labels = 0.0 if not a.label and not b.label else 3.0 if a.label == b.label else -3.0
    shared = sum((a.facts & b.facts).values())
    apart = sum((a.facts - b.facts).values()) + sum((b.facts - a.facts).values())
    ratio = max(a.size, b.size, 1) / max(min(a.size, b.size), 1)
    cognate = len(a.stems & b.stems) / max(len(a.stems | b.stems), 1)
    return labels + 2.0 * shared - apart - min(3.0, 2.0 * math.log2(ratio)) + _COGNATES * cognate


def _path(a: list[_Sign], b: list[_Sign]) -> list[tuple[int | None, int | None]]:
    """The best alignment, as pairs of indexes in order (None: left out)."""
    band = abs(len(a) - len(b)) + _SLACK
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {(0, 0): (0.0, None)}
    for i in range(len(a) + 1):
        for j in range(max(0, i - band), min(len(b), i + band) + 1):
            if (i, j) == (0, 0):
                continue
            options = []
            if i and j and (i - 1, j - 1) in best:
                options.append((best[i - 1, j - 1][0] + _score(a[i - 1], b[j - 1]), (i - 1, j - 1)))
            if i and (i - 1, j) in best:
                options.append((best[i - 1, j][0] + GAP, (i - 1, j)))
            if j and (i, j - 1) in best:
                options.append((best[i, j - 1][0] + GAP, (i, j - 1)))
            best[i, j] = max(options, key=lambda option: option[0])
    steps: list[tuple[int | None, int | None]] = []
    at: tuple[int, int] | None = (len(a), len(b))
    while at is not None and at != (0, 0):
        i, j = at
        previous = best[at][1]
        if previous is None:
            break
        pi, pj = previous
        steps.append((pi if pi < i else None, pj if pj < j else None))
        at = previous
    return steps[::-1]
