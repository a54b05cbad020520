"""diff-match-patch at word granularity, offset mapping, and fuzzy re-anchoring."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
CONTEXT = 24


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut a diff short because the machine is slow
    dmp.Match_Threshold = 0.35
    dmp.Match_Distance = 5000
    return dmp


def word_diff(a: str, b: str) -> list[tuple[int, str]]:
    """Diff two texts word by word (words, runs of spaces, punctuation): [(op, text)], op -1, 0 or 1."""
    vocabulary: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            if token not in vocabulary:
                vocabulary[token] = chr(0xE000 + len(tokens)) if len(tokens) < 6400 else chr(0x10000 + len(tokens))
                tokens.append(token)
            out.append(vocabulary[token])
        return "".join(out)

    dmp = _engine()
    diffs = dmp.diff_main(encode(a), encode(b), False)
    decode = {v: k for k, v in vocabulary.items()}
    words = [(op, "".join(decode[c] for c in text)) for op, text in diffs]
    dmp.diff_cleanupSemantic(words)  # fold tiny equalities into the edit around them, as a person would edit
    return [(op, text) for op, text in words if text]


def map_offset(diffs: list[tuple[int, str]], offset: int, *, reverse: bool = False) -> int:
    """Map an offset in the diff's first text to the second (``reverse``: second to first)."""
    if reverse:
        diffs = [(-op, text) for op, text in diffs]
    return int(_engine().diff_xIndex(diffs, offset))


def relocate(source: str, target: str, offset: int, deleted: str) -> int | None:
    """Where a change at ``source[offset:]`` deleting ``deleted`` lands in ``target``; None if it no longer fits."""
    guess = map_offset(word_diff(source, target), offset)
    if deleted and target[guess:guess + len(deleted)] == deleted:
        return guess
    dmp = _engine()
    if deleted:
        found = _find_exact_near(target, deleted, guess)
        return found
    before = source[max(0, offset - CONTEXT):offset]
    if not before:
        return guess if guess <= len(target) else None
    hit = dmp.match_main(target, before[-32:], max(0, guess - len(before[-32:])))
    return None if hit < 0 else hit + len(before[-32:])


def _find_exact_near(text: str, needle: str, guess: int) -> int | None:
    """The occurrence of ``needle`` closest to ``guess``."""
    hits = [m.start() for m in re.finditer(re.escape(needle), text)]
    return min(hits, key=lambda h: abs(h - guess)) if hits else None
