"""Amendments on real Word files (issue 11): the 40 files of ../shared/corpus/real-word, each read against the text
it was made on (its own rejected view: the base is rebuilt from the file), give proposals that begin and end on word
boundaries of the base and of the file's accepted text, hold each Word revision whole (one amendment per edit),
and together turn the base into the file's accepted text."""

from __future__ import annotations

from typing import Any

import pytest

from drafting.amendments import is_boundary, is_word_char
from drafting.proposals import MARK, _tracked_changes, base_string, derive_proposals
from drafting.text import zero_draft_text
from drafting.wordml.models import MarkState, Reading, SegmentKind
from tests.integration.test_corpus_conformance import ENTRIES, _read

_VIEWS = {
    SegmentKind.EQUAL: (True, True),
    SegmentKind.INSERT: (True, False),
    SegmentKind.DELETE: (False, True),
}
_SPACES = " \t\u00a0"
_MARKS = {MarkState.INSERTED: SegmentKind.INSERT, MarkState.DELETED: SegmentKind.DELETE}


def _revisions(reading: Reading) -> tuple[str, dict[tuple[str, int], tuple[int, int]]]:
    """The file's accepted view in proposal coordinates, and the span of each Word revision that changes words in
    its rejected view (where a deletion's words, or an insertion's point, stand in the base); a revision of spaces
    or paragraph marks alone is no edit of words, and its spaces may go to the amendment on either side. A revision
    is taken paragraph by paragraph: amendments never run across paragraphs (drafting.amendments)."""
    accepted: list[str] = []
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    wording: set[tuple[str, int]] = set()
    at = 0
    last = len(reading.paragraphs) - 1
    for paragraph in reading.paragraphs:
        pieces = [(s.text, s.kind, s.change_id) for s in paragraph.segments]
        if paragraph.index != last and paragraph.mark != MarkState.BOTH:
            pieces.append((MARK, _MARKS.get(paragraph.mark, SegmentKind.EQUAL), None))
        for text, kind, change in pieces:
            keep, rejected = _VIEWS[kind]
            if keep:
                accepted.append(text)
            if change is not None and kind != SegmentKind.EQUAL:
                key = (change, paragraph.index)
                if any(is_word_char(ch) for ch in text):
                    wording.add(key)
                lead = len(text) - len(text.lstrip()) if rejected else 0
                core = len(text.strip()) if rejected else 0
                start, end = spans.get(key, (at + lead, at + lead))
                spans[key] = (min(start, at + lead), max(end, at + lead + core))
            at += len(text) * rejected
    return "".join(accepted), {key: span for key, span in spans.items() if key in wording}


def _applied(base_text: str, proposals: list[Any]) -> tuple[str, list[tuple[int, int]]]:
    """The base with every proposal applied, and where each proposal's inserted words stand in the result."""
    out, placed, pos, shift = [], [], 0, 0
    for p in sorted(proposals, key=lambda p: (p.start, p.end)):
        out.append(base_text[pos : p.start])
        placed.append((p.start + shift, p.start + shift + len(p.inserted)))
        out.append(p.inserted)
        shift += len(p.inserted) - (p.end - p.start)
        pos = p.end
    out.append(base_text[pos:])
    return "".join(out), placed


def _amendments(
    entry: dict[str, Any],
) -> tuple[str, str, list[Any], dict[tuple[str, int], tuple[int, int]]]:
    reading = _read(entry["file"])
    _, rejected, _ = _tracked_changes(reading)
    base = zero_draft_text(rejected.split(MARK))
    made = derive_proposals(reading, base, party="XX", submission=1)
    accepted, spans = _revisions(reading)
    if any(p.untracked for p in made.proposals) or not made.proposals:
        pytest.skip(
            "the base it was made on cannot be rebuilt from the file, or it changes no text"
        )
    return base_string(base), accepted, made.proposals, spans


@pytest.mark.parametrize("entry", ENTRIES)
def test_amendments_are_whole_words_on_real_word_files(entry: dict[str, Any]) -> None:
    base_text, accepted, proposals, _ = _amendments(entry)
    result, placed = _applied(base_text, proposals)
    assert result == accepted, "accepting every amendment gives the file's accepted text"
    for p, (start, end) in zip(
        sorted(proposals, key=lambda p: (p.start, p.end)), placed, strict=True
    ):
        assert is_boundary(base_text, p.start) and is_boundary(base_text, p.end), (
            p.id,
            p.deleted,
            p.inserted,
        )
        assert is_boundary(result, start) and is_boundary(result, end), (
            p.id,
            p.deleted,
            p.inserted,
        )


def _widened(text: str, at: int, step: int, marks: int) -> int:
    """``at`` moved over the spaces beside it (and at most ``marks`` paragraph marks) in direction ``step``."""
    while 0 <= (index := at - 1 if step < 0 else at) < len(text):
        if text[index] == MARK and marks:
            marks -= 1
        elif text[index] not in _SPACES:
            break
        at += step
    return at


@pytest.mark.parametrize("entry", ENTRIES)
def test_each_word_revision_is_inside_one_amendment(entry: dict[str, Any]) -> None:
    """A deletion's words overlap one amendment; an insertion's point is in one amendment that inserts (where the
    amendment put it, or past the spaces and one paragraph mark beside it, which may fall either way)."""
    base_text, _, proposals, spans = _amendments(entry)
    inserting = [p for p in proposals if p.inserted]
    held: dict[tuple[str, int], str] = {}
    for change, (start, end) in spans.items():
        if start < end:
            holding = [p.id for p in proposals if p.start < end and start < p.end]
        else:
            holding = [p.id for p in inserting if p.start <= start <= p.end]
            lo, hi = _widened(base_text, start, -1, 1), _widened(base_text, end, 1, 1)
            holding = holding or [p.id for p in inserting if p.start <= hi and lo <= p.end]
        assert len(holding) == 1, (change, start, end, holding)
        held[change] = holding[0]
    for (deleted, paragraph), (
        start,
        end,
    ) in spans.items():  # Word's replace: a deletion, an insertion at its end
        for (inserted, other), (at, point) in spans.items():
            if (
                other == paragraph
                and start < end
                and at == point
                and end <= at <= _widened(base_text, end, 1, 0)
            ):
                assert held[(deleted, paragraph)] == held[(inserted, other)], (
                    "one amendment per edit"
                )


def test_most_of_the_corpus_is_checked_not_skipped() -> None:
    """The two tests above skip a file whose base cannot be rebuilt: 24 of the 40 can be (2026-12-07). Fewer would
    mean the checks quietly stopped covering real Word files."""
    entries = [param.values[0] for param in ENTRIES]
    if entries == [None]:
        pytest.skip(ENTRIES[0].marks[0].kwargs["reason"])
    usable = 0
    for entry in entries:
        try:
            _amendments(entry)
        except pytest.skip.Exception:
            continue
        usable += 1
    assert usable >= 24, f"only {usable} of {len(ENTRIES)} real Word files checked"
