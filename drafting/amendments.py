"""Amendments as a delegate thinks of them: whole words, one amendment per edit.

A party's tracked changes arrive as Word stored them: often pieces of words ("nd" -> "s well as" when "and"
became "as well as") and often several pieces for one edit ("Charter of the United Nations" -> "UN Charter" is
an insertion of "UN " and a deletion of " of the United Nations"). ``amendments`` turns one party's changes into
the units a co-presidency decides on:

1. **Whole words.** Each change is widened until it starts and ends on a word boundary of the base *and* of the
   party's text. A word is a run of letters, digits and combining marks (so "acción", "naïve" are one word),
   joined by an apostrophe ("States'", "l'ONU"), a hyphen ("drug-related", also U+2011) or, between digits, by
   "," or "." ("2,5", "1.000"); "2030" is one word. Punctuation is not part of a word, so "drugs," keeps its
   comma outside the word::

       "drug use" -> "drugs use"          the insertion "s" becomes   "drug" -> "drugs"
       "and the"  -> "as well as the"     "nd" -> "s well as" becomes "and" -> "as well as"

2. **One amendment per edit.** Changes of the same sentence that are adjacent or separated by at most two
   unchanged words become one amendment; farther apart, or across a sentence end (".", "!", "?") or a paragraph,
   they stay separate::

       "Charter of the United Nations and" -> "UN Charter and"
           insert "UN " + delete " of the United Nations" (one word, "Charter", between) -> one amendment:
           "Charter of the United Nations" -> "UN Charter"

   The halves of a move (Word's moveFrom/moveTo) are never joined to anything else: they are decided as a pair.

3. **Brackets resolved whole.** A change that touches a bracket group of the base ("[and / as well as]")
   takes in the whole group: "[and / as well as]" -> "as well as" resolves it, rather than deleting "[", " / and"
   and "]" apart.

4. **A paragraph rewritten.** When a party changed nearly every word of a paragraph of six words or more (fewer
   than a quarter of its words survive, and it put words of its own), the paragraph is one amendment, flagged
   ``rewritten``, not a mosaic of fragments.

Whitespace comes with the words it separates exactly as the party's text has it, so accepting an amendment
gives the party's text and rejecting it gives the base, with neither doubled nor missing spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field

from drafting._diff import PARAGRAPH as MARK

JOINERS = frozenset("'\u2019\u02bc-\u2010\u2011\u00ad")  # apostrophes and hyphens inside a word
NUMBER_JOINERS = frozenset(",.")  # inside a number only: "2,5", "1.000"
MAX_GAP_WORDS = 2
REWRITTEN_MIN_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def is_word_char(ch: str) -> bool:
    """A letter, a digit or a combining mark: the stuff words are made of, in any script."""
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _joins(left: str, middle: str, right: str) -> bool:
    """``middle`` (a joiner) sits inside a word between ``left`` and ``right``."""
    if not (left and right and is_word_char(left) and is_word_char(right)):
        return False
    if middle in JOINERS:
        return True
    return middle in NUMBER_JOINERS and left.isdigit() and right.isdigit()


def is_boundary(text: str, at: int) -> bool:
    """No word runs across position ``at`` of ``text`` (the ends of the text are boundaries)."""
    if at <= 0 or at >= len(text):
        return True
    a, b = text[at - 1], text[at]
    if is_word_char(a) and is_word_char(b):
        return False
    if is_word_char(a) and at + 1 < len(text) and _joins(a, b, text[at + 1]):
        return False
    return not (is_word_char(b) and at >= 2 and _joins(text[at - 2], a, b))


def words(text: str) -> list[str]:
    """The words of a text, by the rule above."""
    found, start = [], None
    for at in range(len(text) + 1):
        inside = at < len(text) and (
            is_word_char(text[at]) or (start is not None and not is_boundary(text, at))
        )
        if inside and start is None:
            start = at
        elif not inside and start is not None:
            found.append(text[start:at])
            start = None
    return found


@dataclass
class Edit:
    """base[start:end] becomes party[pstart:pend]; the rest is what the caller needs to rebuild its proposal."""

    start: int
    end: int
    inserted: str = ""  # what the party puts in place of base[start:end]
    pstart: int = 0
    pend: int = 0
    moved: bool = False
    untracked: bool = False
    rebased: bool = False
    author: str | None = None
    paragraphs: list[int] = field(default_factory=list)
    rewritten: bool = False
    bracket: bool = False  # it takes in a bracket group of the base


def party_text(base: str, edits: list[Edit]) -> str:
    """The base with the edits applied (sorted, not overlapping); sets each edit's offsets in that text."""
    out, pos, length = [], 0, 0
    for edit in edits:
        out += [base[pos : edit.start], edit.inserted]
        edit.pstart = length + edit.start - pos
        edit.pend = length = edit.pstart + len(edit.inserted)
        pos = edit.end
    out.append(base[pos:])
    return "".join(out)


def overlapping(edits: list[Edit]) -> bool:
    """Two edits touch the same base characters (only a stale file re-anchored can do that)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    return any(b.start < a.end for a, b in zip(ordered, ordered[1:]))


def whole_words(base: str, party: str, edits: list[Edit]) -> list[Edit]:
    """Widen each edit to word boundaries of both texts, joining edits that a widened one reaches."""
    pending = deque(edits)
    out: list[Edit] = []
    while pending:
        out.append(_widened(base, party, pending.popleft(), out, pending))
    return out


def _widened(base: str, party: str, cur: Edit, out: list[Edit], pending: deque[Edit]) -> Edit:
    """One edit widened a character at a time until both its ends are on word boundaries of both texts; an edit
    it reaches (the last one out, the next one pending) is joined to it."""
    while True:
        if not (is_boundary(base, cur.start) and is_boundary(party, cur.pstart)):
            if out and out[-1].end == cur.start:
                cur = join(out.pop(), cur)
            else:
                cur.start, cur.pstart = cur.start - 1, cur.pstart - 1
        elif not (is_boundary(base, cur.end) and is_boundary(party, cur.pend)):
            if pending and pending[0].start == cur.end:
                cur = join(cur, pending.popleft())
            else:
                cur.end, cur.pend = cur.end + 1, cur.pend + 1
        else:
            return cur


def join(a: Edit, b: Edit) -> Edit:
    """One edit from two (``a`` before ``b``), the unchanged text between them included."""
    return Edit(
        start=a.start,
        end=b.end,
        pstart=a.pstart,
        pend=b.pend,
        moved=a.moved or b.moved,
        untracked=a.untracked and b.untracked,
        rebased=a.rebased or b.rebased,
        author=a.author or b.author,
        paragraphs=sorted(set(a.paragraphs) | set(b.paragraphs)),
        rewritten=a.rewritten or b.rewritten,
        bracket=a.bracket or b.bracket,
    )


def one_per_edit(base: str, edits: list[Edit]) -> list[Edit]:
    """Join neighbours in one sentence separated by at most two unchanged words (never a move's halves)."""
    out: list[Edit] = []
    for edit in edits:
        if out and _close(base, out[-1], edit):
            out[-1] = join(out[-1], edit)
        else:
            out.append(edit)
    return out


def _close(base: str, a: Edit, b: Edit) -> bool:
    gap = base[a.end : b.start]
    if a.moved or b.moved or a.untracked != b.untracked or MARK in gap or _SENTENCE_END.search(gap):
        return False
    return len(words(gap)) <= MAX_GAP_WORDS


def rewritten_paragraphs(base: str, edits: list[Edit]) -> list[Edit]:
    """A paragraph whose words nearly all changed, in three amendments or more, becomes one amendment."""
    out: list[Edit] = []
    run: list[Edit] = []
    for edit in [*edits, None]:
        if edit is not None and run and _same_paragraph(base, run[0], edit) and not edit.moved:
            run.append(edit)
            continue
        out.extend(_collapsed(base, run))
        run = [] if edit is None else [edit]
    return out


def _same_paragraph(base: str, a: Edit, b: Edit) -> bool:
    return not a.moved and MARK not in base[a.start : b.start]


def _collapsed(base: str, run: list[Edit]) -> list[Edit]:
    if not run:
        return run
    if not _rewrites(base, run):
        return run
    whole = run[0]
    for edit in run[1:]:
        whole = join(whole, edit)
    whole.rewritten = True
    return [whole]


def _rewrites(base: str, run: list[Edit]) -> bool:
    """The edits of one paragraph change nearly every word of it (a paragraph of six words or more; a bracketed
    paragraph resolved is not a rewrite)."""
    start = base.rfind(MARK, 0, run[0].start) + 1
    end = base.find(MARK, run[0].start)
    total = len(words(base[start : len(base) if end < 0 else end]))
    kept = total - sum(len(words(base[e.start : e.end])) for e in run)
    return not (
        total < REWRITTEN_MIN_WORDS
        or 4 * kept >= total
        or not any(words(e.inserted) for e in run)
        or any(e.bracket for e in run)
    )


def trimmed(base: str, party: str, edits: list[Edit]) -> list[Edit]:
    """Spaces that both sides share are left out of an amendment, and a lone insertion or deletion starts on its
    word ("a [big] dog", not "a[ big] dog"): the same text either way, but the amendment reads as words."""
    for edit in edits:
        _trim_shared_spaces(base, party, edit)
        _slide(base, party, edit)
    return edits


def _trim_shared_spaces(base: str, party: str, edit: Edit) -> None:
    """The spaces both sides share at either end of ``edit`` left out of it."""
    while (
        edit.start < edit.end
        and edit.pstart < edit.pend
        and base[edit.start].isspace()
        and base[edit.start] == party[edit.pstart]
    ):
        edit.start, edit.pstart = edit.start + 1, edit.pstart + 1
    while (
        edit.start < edit.end
        and edit.pstart < edit.pend
        and base[edit.end - 1].isspace()
        and base[edit.end - 1] == party[edit.pend - 1]
    ):
        edit.end, edit.pend = edit.end - 1, edit.pend - 1


def _slide(base: str, party: str, edit: Edit) -> None:
    """Move a pure deletion or insertion that starts with a space or punctuation on by one character while that
    leaves the same text and word boundaries: ", lawful" before ", accountable" becomes "lawful, ", which
    reads as words and brackets as "proportionate, [lawful,] accountable"."""
    if (edit.start < edit.end) == (edit.pstart < edit.pend):
        return
    text, lo, hi = (
        (base, edit.start, edit.end) if edit.start < edit.end else (party, edit.pstart, edit.pend)
    )
    while (
        hi < len(text) and text[lo] == text[hi] and not is_word_char(text[lo]) and text[lo] != MARK
    ):
        if not _boundaries_after(base, party, edit):
            return
        lo, hi = lo + 1, hi + 1
        edit.start, edit.end = edit.start + 1, edit.end + 1
        edit.pstart, edit.pend = edit.pstart + 1, edit.pend + 1
        if is_word_char(text[lo]):
            return  # the amendment now starts on its first word


def _boundaries_after(base: str, party: str, edit: Edit) -> bool:
    """Moving the edit on by one character keeps every end of it on a word boundary, in both texts."""
    return (
        is_boundary(base, edit.start + 1)
        and is_boundary(base, edit.end + 1)
        and is_boundary(party, edit.pstart + 1)
        and is_boundary(party, edit.pend + 1)
    )


BRACKET_GROUP = re.compile(r"\[[^\[\]\u2029]*\]")


def bracket_groups(base: str) -> list[tuple[int, int]]:
    """Where the base's bracket groups are: "[and / as well as]" from its "[" to its "]"."""
    return [(m.start(), m.end()) for m in BRACKET_GROUP.finditer(base)]


def whole_brackets(edits: list[Edit], groups: list[tuple[int, int]]) -> list[Edit]:
    """An edit that touches a bracket group takes in the whole group (and every other edit in it): removing the
    brackets and keeping one alternative is one amendment, "[and / as well as]" -> "as well as", not deletions
    of "[" and "]"."""
    out: list[Edit] = []
    spans: list[tuple[int, int] | None] = []
    for edit in edits:
        span = _touched_span(edit, groups)
        last = spans[-1] if spans else None
        # the same group: one amendment
        if span is not None and last is not None and span[0] < last[1]:
            out[-1], spans[-1] = join(out[-1], edit), (last[0], max(last[1], span[1]))
        else:
            out.append(edit)
            spans.append(span)
    for edit, span in zip(out, spans, strict=True):
        if span is not None:
            _widen(edit, span)
    return out


def _touched_span(edit: Edit, groups: list[tuple[int, int]]) -> tuple[int, int] | None:
    """From the first to the last bracket group an edit touches (None: it touches none, or it is a move)."""
    if edit.moved:
        return None
    touched = [
        (gs, ge) for gs, ge in groups if (edit.start < ge and gs < edit.end) or gs < edit.start < ge
    ]
    return (min(g[0] for g in touched), max(g[1] for g in touched)) if touched else None


def _widen(edit: Edit, span: tuple[int, int]) -> None:
    """Stretch an edit over the whole bracket groups it touches."""
    gs, ge = min(span[0], edit.start), max(span[1], edit.end)
    edit.pstart, edit.start = edit.pstart - (edit.start - gs), gs
    edit.pend, edit.end = edit.pend + (ge - edit.end), ge
    edit.bracket = True


def amend(base: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """The party's text, and its edits as amendments (``inserted`` set from that text): whole words, one per
    edit, rewritten paragraphs whole. The edits must not overlap."""
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    party = party_text(base, edits)
    edits = whole_brackets(whole_words(base, party, edits), bracket_groups(base))
    for edit in edits:
        edit.inserted = party[edit.pstart : edit.pend]
    edits = trimmed(base, party, one_per_edit(base, rewritten_paragraphs(base, edits)))
    for edit in edits:
        edit.inserted = party[edit.pstart : edit.pend]
    return party, edits
