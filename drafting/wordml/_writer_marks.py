"""Paragraph-mark flags, and the one rule Word imposes on them: the document's final mark cannot be tracked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from drafting.wordml.models import MarkState, SegmentKind
from drafting.wordml.out_models import OutParagraph

Stamp = tuple[str, str]  # (author, date) of a w:ins or w:del


@dataclass(frozen=True)
class MarkFlags:
    """Who inserted and who deleted a paragraph mark (either, both or neither)."""

    inserted: Stamp | None = None
    deleted: Stamp | None = None

    @classmethod
    def of(cls, paragraph: OutParagraph) -> MarkFlags:
        """The flags an OutParagraph asks for."""
        stamp = (paragraph.mark_author or "", paragraph.mark_date or "")
        return cls(
            inserted=stamp if paragraph.mark in (MarkState.INSERTED, MarkState.BOTH) else None,
            deleted=stamp if paragraph.mark in (MarkState.DELETED, MarkState.BOTH) else None,
        )


def settle_marks(paragraphs: Sequence[OutParagraph]) -> list[MarkFlags]:
    """Each paragraph's mark flags, with none left on the document's final mark, which no client can remove.

    Whole paragraphs added or deleted at the very end are recorded as Word records them: every flag of the trailing
    block moves to the mark before it (that way no mark needs both flags, which LibreOffice cannot load).
    Otherwise each view's flag moves to the last mark that view keeps. Accept-all and reject-all texts are what the
    caller asked for either way.
    """
    marks = [MarkFlags.of(p) for p in paragraphs]
    start = len(marks)
    while start > 0 and marks[start - 1] != MarkFlags():
        start -= 1
    if start == len(marks):
        return marks
    if start > 0 and all(
        _vanishes(p, m) for p, m in zip(paragraphs[start:], marks[start:], strict=True)
    ):
        return [*marks[: start - 1], *marks[start:], MarkFlags()]
    for name, accepted in (("deleted", True), ("inserted", False)):
        _move_back(paragraphs, marks, name, accepted=accepted)
    return marks


def _vanishes(paragraph: OutParagraph, mark: MarkFlags) -> bool:
    """A paragraph whose mark goes in a view has no text in that view: a whole inserted or deleted paragraph."""
    whole_on_accept = mark.deleted is None or not _view_text(paragraph, accepted=True)
    return whole_on_accept and (mark.inserted is None or not _view_text(paragraph, accepted=False))


def _move_back(
    paragraphs: Sequence[OutParagraph], marks: list[MarkFlags], name: str, *, accepted: bool
) -> None:
    stamp = getattr(marks[-1], name)
    if stamp is None:
        return
    marks[-1] = replace(marks[-1], **{name: None})
    trailing = _view_text(paragraphs[-1], accepted=accepted)
    kept = len(marks) - 2
    while kept >= 0 and getattr(marks[kept], name) is not None:
        trailing = _view_text(paragraphs[kept], accepted=accepted) + trailing
        kept -= 1
    if kept >= 0 and not trailing:
        marks[kept] = replace(marks[kept], **{name: stamp})


def _view_text(paragraph: OutParagraph, *, accepted: bool) -> str:
    dropped = SegmentKind.DELETE if accepted else SegmentKind.INSERT
    return "".join(run.text for run in paragraph.runs if run.kind is not dropped)
