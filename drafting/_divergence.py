"""Where two language versions with different paragraph counts first diverge.

Paragraphs are aligned as a translator would line them up: by their numbering, the numbers and symbols they carry,
their lengths (a translation is about as long as its original) and the cognates they share (the first letters of
their longer words: "climate change intensifies" / "el cambio climático intensifica"). A global alignment
(Needleman-Wunsch, in a band as wide as the difference of counts allows) leaves out the paragraphs that have no
counterpart; the first such paragraph, or the first pair numbered differently, is the divergence. An extra preamble
paragraph, unnumbered, is found where it is, not at the first numbered paragraph after it. Versions too long or too
far apart for that (``MAX_CELLS``) are compared by their numbering alone: the work stays bounded by the input.
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
MAX_CELLS = 100_000  # beyond (versions of thousands of paragraphs, or far apart), the numbering alone is compared
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
    facts: dict[str, int]  # "number:2030" -> how many times
    count: int  # of facts
    size: int
    stems: frozenset[
        str
    ]  # first letters of its longer words: cognates share them (climate, climático)


def first_divergence(
    a: Sequence[str], a_lang: str, b: Sequence[str], b_lang: str
) -> Divergence | None:
    """The first paragraph without counterpart, or the first pair numbered differently; None if they align."""
    if (len(a) + 1) * (2 * (abs(len(a) - len(b)) + _SLACK) + 1) > MAX_CELLS:
        return _by_numbering(a, b)
    signs_a, signs_b = [_sign(t, a_lang) for t in a], [_sign(t, b_lang) for t in b]
    for i, j in _path(signs_a, signs_b):
        if i is None or j is None or signs_a[i].label != signs_b[j].label:
            return Divergence(i, j)
    return None


def _by_numbering(a: Sequence[str], b: Sequence[str]) -> Divergence | None:
    """The first pair numbered differently, else the first paragraph past the shorter version's end."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if label_of(x)[1] != label_of(y)[1]:
            return Divergence(i, i)
    if len(a) == len(b):
        return None
    return Divergence(len(b), None) if len(a) > len(b) else Divergence(None, len(a))


def _sign(text: str, language: str) -> _Sign:
    found = Counter(f"{f.kind}:{f.values[0]}" for f in facts(text, language) if f.kind != QUOTED)
    stems = frozenset(w[:_STEM].casefold() for w in _WORD.findall(text) if len(w) > _STEM)
    return _Sign(label_of(text)[1], dict(found), sum(found.values()), len(text), stems)


def _score(a: _Sign, b: _Sign) -> float:
    labels = 0.0 if not a.label and not b.label else 3.0 if a.label == b.label else -3.0
    shared = (
        sum(min(n, b.facts[k]) for k, n in a.facts.items() if k in b.facts)
        if a.count and b.count
        else 0
    )
    apart = a.count + b.count - 2 * shared
    ratio = max(a.size, b.size, 1) / max(min(a.size, b.size), 1)
    common = len(a.stems & b.stems)
    cognate = common / max(len(a.stems) + len(b.stems) - common, 1)
    return labels + 2.0 * shared - apart - min(3.0, 2.0 * math.log2(ratio)) + _COGNATES * cognate


_DIAGONAL, _UP, _LEFT = (
    0,
    1,
    2,
)  # the step into a cell: a pair, a's paragraph left out, b's left out


def _path(a: list[_Sign], b: list[_Sign]) -> list[tuple[int | None, int | None]]:
    """The best alignment, as pairs of indexes in order (None: left out), in a band around the diagonal."""
    band = abs(len(a) - len(b)) + _SLACK
    score: list[dict[int, float]] = [{0: 0.0}]
    moves: list[dict[int, int]] = [{}]
    for j in range(1, min(len(b), band) + 1):
        score[0][j], moves[0][j] = score[0][j - 1] + GAP, _LEFT
    for i in range(1, len(a) + 1):
        row, step = _row(a[i - 1], b, score[i - 1], i, band)
        score.append(row)
        moves.append(step)
    return _trace(moves, len(a), len(b))


def _row(
    sign: _Sign, b: list[_Sign], above: dict[int, float], i: int, band: int
) -> tuple[dict[int, float], dict[int, int]]:
    """Row ``i`` of the band (``sign`` is a[i - 1]): each column's best score and the move that reaches it."""
    minus = float("-inf")
    row: dict[int, float] = {}
    step: dict[int, int] = {}
    for j in range(max(0, i - band), min(len(b), i + band) + 1):
        options = [
            (above.get(j - 1, minus) + _score(sign, b[j - 1]) if j else minus, _DIAGONAL),
            (above.get(j, minus) + GAP, _UP),
            (row.get(j - 1, minus) + GAP, _LEFT),
        ]
        row[j], step[j] = max(options, key=lambda option: option[0])
    return row, step


def _trace(moves: list[dict[int, int]], i: int, j: int) -> list[tuple[int | None, int | None]]:
    steps: list[tuple[int | None, int | None]] = []
    while i or j:
        move = moves[i][j]
        if move == _DIAGONAL:
            i, j = i - 1, j - 1
            steps.append((i, j))
        elif move == _UP:
            i -= 1
            steps.append((i, None))
        else:
            j -= 1
            steps.append((None, j))
    return steps[::-1]
