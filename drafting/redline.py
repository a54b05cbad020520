"""Two texts as a Word redline: every difference a tracked change by one author (accord diff, simulated parties)."""

from __future__ import annotations

from drafting._diff import word_diff
from drafting.compilation import _Builder, _paragraphs
from drafting.proposals import MARK, base_string
from drafting.text import DraftText
from drafting.wordml.models import SegmentKind
from drafting.wordml.writer import OutComment, OutParagraph, write_docx


def redline_layout(
    old: DraftText, new_texts: list[str], *, author: str, date: str, comments: dict[int, str] | None = None
) -> tuple[list[OutParagraph], list[OutComment]]:
    """Paragraphs whose tracked changes turn ``old`` into ``new_texts``; comments by paragraph index of ``new``."""
    builder = _Builder(names={}, date=date)
    kinds = {-1: SegmentKind.DELETE, 0: SegmentKind.EQUAL, 1: SegmentKind.INSERT}
    notes = dict(comments or {})
    new_paragraph = 0
    for op, chunk in word_diff(base_string(old), MARK.join(new_texts)):
        for i, part in enumerate(chunk.split(MARK)):
            if i:
                builder.add(MARK, kinds[op], author if op else None)
                if op != -1:
                    new_paragraph += 1
            ids = []
            if op == 1 and new_paragraph in notes and part.strip():
                ids = [builder.comment(author, notes.pop(new_paragraph))]
            builder.add(part, kinds[op], author if op else None, ids)
    return _paragraphs(builder, old), builder.comments


def redline_document(
    template: bytes, old: DraftText, new_texts: list[str], *, author: str, date: str,
    comments: dict[int, str] | None = None, stamp: dict[str, str] | None = None, title: str | None = None,
) -> bytes:
    """Write the redline as a .docx in the template's styles."""
    paragraphs, notes = redline_layout(old, new_texts, author=author, date=date, comments=comments)
    return write_docx(template, paragraphs, comments=notes, custom_properties=stamp or {}, title=title)
