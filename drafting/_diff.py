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
    """Where a change at ``source[offset:]`` deleting ``deleted`` lands in ``target``; None if it no longer fits.

    Exact when the words it touches came through unchanged; otherwise the deleted words (for an insertion, the
    place after the words before it) must be found nearby, with the text on both sides still recognisable.
    """
    diffs = word_diff(source, target)
    guess = map_offset(diffs, offset)
    if _intact(diffs, offset, offset + len(deleted), len(source)):
        return guess
    for candidate in _candidates(target, source, offset, deleted, guess):
        if _recognisable(source, offset, len(deleted), target, candidate):
            return candidate
    return None


def _intact(diffs: list[tuple[int, str]], start: int, end: int, length: int) -> bool:
    """The source span (or, when empty, the point with the characters on both sides) is inside one unchanged run."""
    pos = 0
    for op, text in diffs:
        if op == 1:
            continue
        if op == 0:
            inside = pos <= start and end <= pos + len(text) if start < end else pos < start < pos + len(text)
            edge = start == end and ((start == pos == 0) or (start == pos + len(text) == length))
            if inside or edge:
                return True
        pos += len(text)
    return not diffs


def _candidates(target: str, source: str, offset: int, deleted: str, guess: int) -> list[int]:
    """Where the change might now be: occurrences of the deleted words near the guess, or after the words before."""
    if deleted:
        window = max(4 * CONTEXT, 2 * len(deleted))
        hits = [m.start() for m in re.finditer(re.escape(deleted), target) if abs(m.start() - guess) <= window]
        return sorted(hits, key=lambda h: abs(h - guess))
    before = source[max(0, offset - CONTEXT):offset][-32:]  # bitap patterns stop at 32 characters
    if not before:
        return [guess]
    hit = _engine().match_main(target, before, max(0, guess - len(before)))
    return [guess] if hit < 0 else [hit + len(before), guess]


def _recognisable(source: str, offset: int, length: int, target: str, at: int) -> bool:
    """The words around the change in the source and around ``at`` in the target are alike (60 % or more)."""
    sides = [
        (source[max(0, offset - CONTEXT):offset], target[max(0, at - CONTEXT):at]),
        (source[offset + length:offset + length + CONTEXT], target[at + length:at + length + CONTEXT]),
    ]
    return all(_similarity(a, b) >= 0.6 for a, b in sides)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    dmp = _engine()
    return 1 - dmp.diff_levenshtein(dmp.diff_main(a, b, False)) / max(len(a), len(b))
