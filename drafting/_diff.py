"""diff-match-patch at word granularity, offset mapping, and fuzzy re-anchoring."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
CONTEXT = 24
MAX_UNALIKE = 1200  # words (and spaces, signs) of two unalike sides above which they are replaced whole: ~0.1 s
PARAGRAPH = "\u2029"  # proposals.MARK: the paragraph separator of proposal coordinates


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut a diff short because the machine is slow
    dmp.Match_Threshold = 0.35
    dmp.Match_Distance = 5000
    return dmp


def word_diff(a: str, b: str) -> list[tuple[int, str]]:
    """Diff two texts word by word (words, runs of spaces, punctuation): [(op, text)], op -1, 0 or 1.

    Paragraphs (ending at U+2029) are matched first: only the stretches where they differ are diffed word by word,
    which keeps a 60-party compilation's text far below the cost of one diff over every word.
    """
    diffs: list[tuple[int, str]] = []
    for op, old, new in _paragraph_runs(_units(a), _units(b)):
        if op == 0:
            diffs.append((0, "".join(old)))
            continue
        for before, after in _pairs(old, new):
            diffs.extend(_token_diff(before, after))
    diffs = _coalesced(diffs)
    _engine().diff_cleanupSemantic(
        diffs
    )  # fold tiny equalities into the edit around them, as a person would edit
    return [(op, text) for op, text in diffs if text]


def _coalesced(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Adjacent pieces joined: equal with equal, and each run of edits as one deletion then one insertion."""
    out: list[tuple[int, str]] = []
    deleted = inserted = ""
    for op, text in diffs + [(0, "")]:
        if op == -1:
            deleted += text
        elif op == 1:
            inserted += text
        else:
            out.extend((o, t) for o, t in ((-1, deleted), (1, inserted)) if t)
            deleted = inserted = ""
            if out and out[-1][0] == 0:
                out[-1] = (0, out[-1][1] + text)
            elif text:
                out.append((0, text))
    return out


def _units(text: str) -> list[str]:
    """The paragraphs of a text, each with the mark that ends it."""
    parts = text.split(PARAGRAPH)
    return [part + PARAGRAPH for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _paragraph_runs(a: list[str], b: list[str]) -> list[tuple[int, list[str], list[str]]]:
    """Equal runs of whole paragraphs, and the changed stretches between them: (0, old, new) or (1, old, new)."""
    encoded, decode = _encoded(a, b)
    runs: list[tuple[int, list[str], list[str]]] = []
    # old and new paragraphs since the last equal run
    changed: tuple[list[str], list[str]] = ([], [])
    for op, text in _engine().diff_main(encoded[0], encoded[1], False):
        chunk = [decode[c] for c in text]
        if op == 0:
            changed = _close_stretch(runs, changed)
            runs.append((0, chunk, chunk))
        else:
            changed[0 if op == -1 else 1].extend(chunk)
    _close_stretch(runs, changed)
    return runs


def _close_stretch(
    runs: list[tuple[int, list[str], list[str]]], changed: tuple[list[str], list[str]]
) -> tuple[list[str], list[str]]:
    """The changed stretch, if any, recorded as a run; the stretch that follows it (a fresh one if recorded)."""
    if changed[0] or changed[1]:
        runs.append((1, *changed))
        return ([], [])
    return changed


def _encoded(a: list[str], b: list[str]) -> tuple[list[str], dict[str, str]]:
    """Both lists of paragraphs as strings of one character per distinct paragraph (diff-match-patch then diffs
    paragraphs as it diffs characters), and each character's paragraph."""
    codes: dict[str, str] = {}
    encoded = [
        "".join(
            codes.setdefault(
                unit, chr(0xE000 + len(codes)) if len(codes) < 6400 else chr(0x10000 + len(codes))
            )
            for unit in units
        )
        for units in (a, b)
    ]
    return encoded, {code: unit for unit, code in codes.items()}


def _pairs(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """A changed stretch cut into (old, new) pieces: each changed paragraph with its new version (the most alike
    in order, when they share half their words), the paragraphs in between deleted or added whole."""
    words = [[set(_TOKEN.findall(unit)) for unit in units] for units in (old, new)]
    if len(old) == len(new) and all(_alike(a, b) for a, b in zip(*words, strict=True)):
        return list(zip(old, new, strict=True))  # the usual case: the same paragraphs, each edited
    band = abs(len(old) - len(new)) + 8  # a paragraph's new version is near where it was
    alike = [
        [_alike(a, b) if abs(i - j) <= band else 0.0 for j, b in enumerate(words[1])]
        for i, a in enumerate(words[0])
    ]
    return _aligned(old, new, alike, _scores(alike, len(old), len(new)))


def _scores(alike: list[list[float]], rows: int, columns: int) -> list[list[float]]:
    """score[i][j]: how alike the best alignment of old[i:] with new[j:] is (the sum of its pairs' likeness)."""
    score = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            score[i][j] = max(score[i + 1][j], score[i][j + 1], score[i + 1][j + 1] + alike[i][j])
    return score


def _aligned(
    old: list[str], new: list[str], alike: list[list[float]], score: list[list[float]]
) -> list[tuple[str, str]]:
    """The pieces along the best alignment: each pair, and between pairs what was deleted and added whole."""
    pieces: list[tuple[str, str]] = []
    pending = ["", ""]  # old and new paragraphs since the last pair
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and _paired(alike, score, i, j):
            _flush(pieces, pending)
            pieces.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif i < len(old) and (j == len(new) or score[i][j] == score[i + 1][j]):
            pending[0] += old[i]
            i += 1
        else:
            pending[1] += new[j]
            j += 1
    _flush(pieces, pending)
    return pieces


def _paired(alike: list[list[float]], score: list[list[float]], i: int, j: int) -> bool:
    """old[i] and new[j] are alike and pairing them is on the best alignment."""
    return bool(alike[i][j]) and score[i][j] == score[i + 1][j + 1] + alike[i][j]


def _flush(pieces: list[tuple[str, str]], pending: list[str]) -> None:
    """What was deleted and added since the last pair, as one piece (if anything)."""
    if pending[0] or pending[1]:
        pieces.append((pending[0], pending[1]))
        pending[:] = ["", ""]


def _alike(a: set[str], b: set[str]) -> float:
    """How alike two paragraphs' vocabularies are (0 below one half)."""
    if 2 * min(len(a), len(b)) < max(len(a), len(b)):
        return 0.0  # too different in size to share half their words
    shared = len(a & b) / max(len(a | b), 1)
    return shared if shared >= 0.5 else 0.0


def _token_diff(a: str, b: str) -> list[tuple[int, str]]:
    """The word-level diff of one changed stretch; a long stretch with little in common is replaced whole.

    A word diff costs about the square of the words it must line up: two unrelated texts of a few thousand words
    (a file made on another declaration) took minutes. Such a stretch has nothing a person would call an edit,
    so it is one deletion and one insertion; the bound is on words, not on time, so the result stays deterministic.
    """
    if a and b and len(a) + len(b) > MAX_UNALIKE:
        found = [_TOKEN.findall(text) for text in (a, b)]
        if len(found[0]) + len(found[1]) > MAX_UNALIKE and not _alike(set(found[0]), set(found[1])):
            return [(-1, a), (1, b)]
    vocabulary: dict[str, str] = {}
    diffs = _engine().diff_main(_encode_tokens(a, vocabulary), _encode_tokens(b, vocabulary), False)
    decode = {v: k for k, v in vocabulary.items()}
    return [(op, "".join(decode[c] for c in text)) for op, text in diffs]


def _encode_tokens(text: str, vocabulary: dict[str, str]) -> str:
    """The text with each word or space token as one private-use character; new tokens join ``vocabulary``."""
    out = []
    for token in _TOKEN.findall(text):
        if token not in vocabulary:
            count = len(vocabulary)
            vocabulary[token] = chr(0xE000 + count) if count < 6400 else chr(0x10000 + count)
        out.append(vocabulary[token])
    return "".join(out)


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
            inside = (
                pos <= start and end <= pos + len(text)
                if start < end
                else pos < start < pos + len(text)
            )
            edge = start == end and ((start == pos == 0) or (start == pos + len(text) == length))
            if inside or edge:
                return True
        pos += len(text)
    return not diffs


def _candidates(target: str, source: str, offset: int, deleted: str, guess: int) -> list[int]:
    """Where the change might now be: occurrences of the deleted words near the guess, or after the words before."""
    if deleted:
        window = max(4 * CONTEXT, 2 * len(deleted))
        hits = [
            m.start()
            for m in re.finditer(re.escape(deleted), target)
            if abs(m.start() - guess) <= window
        ]
        return sorted(hits, key=lambda h: abs(h - guess))
    before = source[max(0, offset - CONTEXT) : offset][-32:]  # bitap patterns stop at 32 characters
    if not before:
        return [guess]
    hit = _engine().match_main(target, before, max(0, guess - len(before)))
    return [guess] if hit < 0 else [hit + len(before), guess]


def _recognisable(source: str, offset: int, length: int, target: str, at: int) -> bool:
    """The words around the change in the source and around ``at`` in the target are alike (60 % or more)."""
    sides = [
        (source[max(0, offset - CONTEXT) : offset], target[max(0, at - CONTEXT) : at]),
        (
            source[offset + length : offset + length + CONTEXT],
            target[at + length : at + length + CONTEXT],
        ),
    ]
    return all(_similarity(a, b) >= 0.6 for a, b in sides)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    dmp = _engine()
    return 1 - int(dmp.diff_levenshtein(dmp.diff_main(a, b, False))) / max(len(a), len(b))
