"""Was a delegation's file made on the draft it is submitted against? Checked at the gate, before any diff.

A file's own text (its rejected view: what it held before its tracked changes) should be the round's base, or an
older version of it. A file made on another text (another declaration, a different draft) has almost none of the
base's paragraphs; diffing it word by word costs minutes and yields nothing a co-presidency could decide, so it is
refused with what to do instead.

    found = base_found(["Alpha beta gamma.", "Delta."], ["Alpha beta gamma!", "Other."])  # 0.5
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from drafting.errors import RefusedFile
from drafting.invisible import visible

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_FOUND = 0.5  # below half of the base's paragraphs found, a file was made on a different text
ALIKE = 0.5  # a paragraph is found when a paragraph of the file shares half its words (an edited paragraph)


def base_found(base: Sequence[str], file: Sequence[str]) -> float:
    """The share of the base's non-empty paragraphs found in the file: as they are, or with half their words."""
    wanted = [p for p in base if p.strip()]
    if not wanted:
        return 1.0
    exact, known = set(file), set(wanted)
    vocabularies = [_words(p) for p in file if p.strip() and p not in known]
    found = sum(1 for p in wanted if p in exact or _alike(_words(p), vocabularies))
    return found / len(wanted)


def check_made_on(
    file: Sequence[str], candidates: Mapping[str, Sequence[str]], *, base: str, name: str
) -> None:
    """Refuse a file made on none of ``candidates`` (label -> paragraph texts; ``base`` is the round's version)."""
    best = max((base_found(text, file) for text in candidates.values()), default=1.0)
    if best >= MIN_FOUND:
        return
    share = int(100 * best)
    raise RefusedFile(
        f"{visible(name)[:80]}: refused, made on a different text: only {share}% of the paragraphs of {base} are "
        f"found in it; download your copy of {base} from accord, make your changes in it with track changes on, "
        "and submit that file"
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _alike(words: frozenset[str], vocabularies: list[frozenset[str]]) -> bool:
    if not words:
        return False
    for other in vocabularies:
        if 2 * min(len(words), len(other)) < max(len(words), len(other)):
            continue  # too different in size to share half their words
        if len(words & other) >= ALIKE * len(words | other):
            return True
    return False
