"""Two texts as a Word redline: every difference a tracked change by one author (accord diff, simulated parties)."""

from __future__ import annotations

from drafting._diff import word_diff
from drafting.compilation import LayoutBuilder, split_paragraphs
from drafting.proposals import MARK, base_string
from drafting.text import DraftText
from drafting.wordml.models import SegmentKind
from drafting.wordml.writer import OutComment, OutParagraph, write_docx


def redline_layout(
    old: DraftText,
    new_texts: list[str],
    *,
    author: str,
    date: str,
    comments: dict[int, str] | None = None,
) -> tuple[list[OutParagraph], list[OutComment]]:
    """Paragraphs whose tracked changes turn ``old`` into ``new_texts``; comments by paragraph index of ``new``
    (anchored on the paragraph's first change, or on its first words when the paragraph is unchanged)."""
    builder = LayoutBuilder(names={}, date=date)
    kinds = {-1: SegmentKind.DELETE, 0: SegmentKind.EQUAL, 1: SegmentKind.INSERT}
    pieces = _pieces(word_diff(base_string(old), MARK.join(new_texts)))
    anchors = _comment_anchors(pieces, set(comments or {}))
    for n, (op, part, paragraph) in enumerate(pieces):
        ids = (
            [builder.comment(author, (comments or {})[paragraph])]
            if anchors.get(paragraph) == n
            else []
        )
        builder.add(part, kinds[op], author if op else None, ids)
    return split_paragraphs(builder, old), builder.comments


def _pieces(diffs: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """The diff cut at paragraph marks: (op, text, index of the new paragraph it is in or, if deleted, next to)."""
    pieces: list[tuple[int, str, int]] = []
    new_paragraph = 0
    for op, chunk in diffs:
        for i, part in enumerate(chunk.split(MARK)):
            if i:
                pieces.append((op, MARK, new_paragraph))
                if op != -1:
                    new_paragraph += 1
            if part:
                pieces.append((op, part, new_paragraph))
    return pieces


def _comment_anchors(pieces: list[tuple[int, str, int]], wanted: set[int]) -> dict[int, int]:
    """For each commented paragraph, the piece its comment is anchored on: its first insertion with words in it,
    else its first deletion, else its first words."""
    anchors: dict[int, int] = {}
    for rank in (1, -1, 0):
        for n, (op, part, paragraph) in enumerate(pieces):
            if (
                op == rank
                and paragraph in wanted
                and paragraph not in anchors
                and part.strip(MARK).strip()
            ):
                anchors[paragraph] = n
    return anchors


def redline_document(
    template: bytes,
    old: DraftText,
    new_texts: list[str],
    *,
    author: str,
    date: str,
    comments: dict[int, str] | None = None,
    stamp: dict[str, str] | None = None,
    title: str | None = None,
) -> bytes:
    """Write the redline as a .docx in the template's styles."""
    paragraphs, notes = redline_layout(old, new_texts, author=author, date=date, comments=comments)
    return write_docx(
        template, paragraphs, comments=notes, custom_properties=stamp or {}, title=title
    )
