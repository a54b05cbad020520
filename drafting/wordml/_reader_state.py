"""Mutable records the reader fills while it walks the XML, and their conversion to the frozen models."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.wordml.models import (
    ChangeType,
    MarkState,
    Paragraph,
    Segment,
    SegmentKind,
    TrackedChange,
    Warning_,
)

_MOVES = (ChangeType.MOVE_FROM, ChangeType.MOVE_TO)


@dataclass(slots=True)
class ChangeRec:
    """A tracked change being collected; ``text`` grows while the walker is inside it."""

    id: str
    type: ChangeType
    author: str | None  # None when the element has no w:author (w:tblGridChange never has one)
    date: str | None
    paragraph: int | None
    part: str
    text: list[str] = field(default_factory=list)

    def to_model(self) -> TrackedChange:
        """Freeze into the public model."""
        return TrackedChange(
            id=self.id,
            type=self.type,
            author=self.author or "",
            date=self.date,
            paragraph=self.paragraph,
            part=self.part,
            text="".join(self.text),
        )


@dataclass(frozen=True, slots=True)
class Ctx:
    """Revision context of the content being walked: which views see it and who changed it."""

    acc: bool = True  # visible after accept-all
    rej: bool = True  # visible after reject-all
    ins: ChangeRec | None = (
        None  # innermost insert-like change (w:ins, w:moveTo, inserted row/cell)
    )
    dele: ChangeRec | None = None  # innermost delete-like change
    row_ins: bool = False
    row_del: bool = False
    in_table: bool = False
    shade: str | None = None  # cell shading, for white-text detection
    buffers: tuple[list[str], ...] = ()  # text buffers of the enclosing w:ins/w:del/... changes


@dataclass(slots=True)
class SegRec:
    """A growing segment: consecutive text with one kind and one responsible change."""

    kind: SegmentKind
    ref: ChangeRec | None
    parts: list[str]


@dataclass(slots=True)
class ParaRec:
    """A paragraph being collected."""

    index: int
    container: str
    para_id: str | None
    in_table: bool
    row_state: MarkState
    style: str | None = None
    shade: str | None = None
    mark_ins: bool = False
    mark_del: bool = False
    merges_with_next: bool = False
    segments: list[SegRec] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    white: list[str] = field(default_factory=list)

    def add(self, kind: SegmentKind, ref: ChangeRec | None, text: str) -> None:
        """Append text, extending the last segment when kind and change agree."""
        segments = self.segments
        if segments and segments[-1].kind is kind and segments[-1].ref is ref:
            segments[-1].parts.append(text)
        else:
            segments.append(SegRec(kind, ref, [text]))

    def to_model(self) -> Paragraph:
        """Freeze into the public model."""
        segments = [_segment(seg) for seg in self.segments]
        return Paragraph(
            index=self.index,
            para_id=self.para_id,
            style=self.style,
            container=self.container,
            text_accepted="".join(s.text for s in segments if s.kind is not SegmentKind.DELETE),
            text_rejected="".join(s.text for s in segments if s.kind is not SegmentKind.INSERT),
            mark=mark_state(self.mark_ins, self.mark_del),
            in_table=self.in_table,
            row_state=self.row_state,
            merges_with_next=self.merges_with_next,
            segments=segments,
        )

    def warnings(self) -> list[Warning_]:
        """Hidden-text and white-text warnings for this paragraph."""
        found = []
        for code, pieces, what in (
            ("hidden-text", self.hidden, "hidden text (w:vanish), which Word does not display"),
            (
                "white-text",
                self.white,
                "text coloured like its background, which no reader can see",
            ),
        ):
            text = "".join(pieces).strip()
            if text:
                snippet = text if len(text) <= 60 else text[:57] + "..."
                message = f"paragraph {self.index} holds {what}: {snippet!r}; check it in Word before compiling"
                found.append(Warning_(code=code, message=message, paragraph=self.index))
        return found


def _segment(seg: SegRec) -> Segment:
    ref = seg.ref
    if ref is None:
        return Segment(text="".join(seg.parts), kind=seg.kind)
    return Segment(
        text="".join(seg.parts),
        kind=seg.kind,
        author=ref.author or "",
        date=ref.date,
        change_id=ref.id,
        moved=ref.type in _MOVES,
    )


def mark_state(inserted: bool, deleted: bool) -> MarkState:
    """Combine inserted/deleted flags into a MarkState."""
    if inserted and deleted:
        return MarkState.BOTH
    if inserted:
        return MarkState.INSERTED
    return MarkState.DELETED if deleted else MarkState.NORMAL


PARA_BREAK = None  # a paragraph boundary inside a comment anchor


@dataclass(slots=True)
class AnchorRec:
    """The text a comment range covers, as it is walked."""

    paragraph: int | None
    parts: list[str | None] = field(default_factory=list)

    def text(self) -> str:
        """The anchor text, paragraphs joined with newlines, outer paragraph boundaries trimmed."""
        parts = self.parts
        start, end = 0, len(parts)
        while start < end and parts[start] is PARA_BREAK:
            start += 1
        while end > start and parts[end - 1] is PARA_BREAK:
            end -= 1
        return "".join("\n" if piece is PARA_BREAK else piece for piece in parts[start:end])


class IdAllocator:
    """Hands out change ids: the w:id when present and unused, else a deterministic "c<n>"."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._count = 0

    def allocate(self, raw: str | None) -> str:
        """Return a unique id for the next change, preferring ``raw``."""
        self._count += 1
        if raw and raw not in self._used:
            self._used.add(raw)
            return raw
        candidate, n = f"c{self._count}", self._count
        while candidate in self._used:
            n += 1
            candidate = f"c{self._count}_{n}"
        self._used.add(candidate)
        return candidate
