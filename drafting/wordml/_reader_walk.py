"""One pass over a story (the body, or the footnotes/endnotes): paragraphs, segments, changes and comment anchors.

The walker visits each element once, keeping the revision context (which views see the content, and which
change is responsible for it) in an immutable ``Ctx`` passed down the recursion. Text boxes are walked by a
"shadow" walker that records their changes and comment anchors but emits no paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from drafting.wordml import _reader_tags as t
from drafting.wordml._reader_state import (
    PARA_BREAK,
    AnchorRec,
    ChangeRec,
    Ctx,
    IdAllocator,
    ParaRec,
    mark_state,
)
from drafting.wordml._reader_style import RunLook, StyleFlags, fill
from drafting.wordml.models import ChangeType, SegmentKind

_INSERT_LIKE = (ChangeType.INSERT, ChangeType.MOVE_TO)
_MC_FALLBACK = f"{{{t.MC_NS}}}Fallback"
_EQUAL, _INSERT, _DELETE = SegmentKind.EQUAL, SegmentKind.INSERT, SegmentKind.DELETE


@dataclass(slots=True)
class Shared:
    """What all walkers of one document share: ids, the change list and the styles."""

    ids: IdAllocator
    styles: StyleFlags
    changes: list[ChangeRec] = field(default_factory=list)


class Walker:
    """Walks the block content of one story; ``emit`` says whether its paragraphs are reported."""

    def __init__(self, shared: Shared, *, part: str, emit: bool, host: int | None = None) -> None:
        self.shared = shared
        self.part = part
        self.emit = emit
        self.host = host
        self.paragraphs: list[ParaRec] = []
        self.anchors: dict[str, AnchorRec] = {}
        self._open: dict[str, AnchorRec] = {}
        self._last: dict[
            str, ParaRec | None
        ] = {}  # last block of each container, when it is a paragraph
        self._cur: ParaRec | None = None
        self._counters: dict[str, int] = {}

    # ---- blocks -------------------------------------------------------------------------------------

    def block(self, parent: etree._Element, container: str, ctx: Ctx) -> None:
        """Walk block-level children: paragraphs, tables, content controls."""
        for child in parent:
            tag = child.tag
            if tag == t.P:
                self._paragraph(child, container, ctx)
            elif tag == t.TBL:
                self._last[container] = None
                self._table(child, ctx)
            elif tag == t.SDT or tag == t.CUSTOM_XML:
                self._content_control(child, container, ctx)
            elif tag in t.WRAPPER_TYPES:
                self.block(child, container, self._wrap(child, ctx))
            elif tag == t.ALTERNATE_CONTENT:
                self._choice(child, container, ctx)
            elif tag == t.ALT_CHUNK:
                self._last[container] = None
            elif tag == t.SECT_PR:
                self._formats(child)
            else:
                self._marker(child, tag)

    def _choice(self, alternate: etree._Element, container: str, ctx: Ctx) -> None:
        """mc:AlternateContent: the choice Word shows, not the fallback."""
        choice = alternate.find(t.MC_CHOICE)
        if choice is not None:
            self.block(choice, container, ctx)

    def _content_control(self, control: etree._Element, container: str, ctx: Ctx) -> None:
        """A block content control or custom XML element: a container of its own."""
        self._last[container] = None
        is_sdt = control.tag == t.SDT
        content = control.find(t.SDT_CONTENT) if is_sdt else control
        if content is not None:
            self.block(content, self._new_id("sdt" if is_sdt else "cx"), ctx)

    def _new_id(self, prefix: str) -> str:
        number = self._counters.get(prefix, 0)
        self._counters[prefix] = number + 1
        return f"{prefix}{number}"

    def _table(self, tbl: etree._Element, ctx: Ctx) -> None:
        table_id = self._new_id("t")
        ctx = ctx if ctx.in_table else replace(ctx, in_table=True)
        row_number = 0
        for child in _unwrapped(tbl):
            tag = child.tag
            if tag == t.TR:
                self._row(child, f"{table_id}.r{row_number}", ctx)
                row_number += 1
            elif tag == t.TBL_PR or tag == t.TBL_GRID:
                self._formats(child)
            else:
                self._marker(child, tag)

    def _row(self, tr: etree._Element, row_id: str, ctx: Ctx) -> None:
        cell_number = 0
        for child in _unwrapped(tr):
            tag = child.tag
            if tag == t.TC:
                self._cell(child, f"{row_id}.c{cell_number}", ctx)
                cell_number += 1
            elif tag == t.TR_PR:
                ctx = self._revised_props(
                    child, ctx, t.ROW_PROPS, ChangeType.ROW_INSERT, ChangeType.ROW_DELETE
                )
            elif tag == t.TBL_PR_EX:
                self._formats(child)
            else:
                self._marker(child, tag)

    def _cell(self, tc: etree._Element, cell_id: str, ctx: Ctx) -> None:
        first = tc[0] if len(tc) else None
        if first is not None and first.tag == t.TC_PR:
            ctx = self._revised_props(
                first, ctx, t.CELL_PROPS, ChangeType.CELL_INSERT, ChangeType.CELL_DELETE
            )
        self.block(tc, cell_id, ctx)

    def _revised_props(
        self,
        props: etree._Element,
        ctx: Ctx,
        tags: frozenset[str],
        ins_type: ChangeType,
        del_type: ChangeType,
    ) -> Ctx:
        """Record the changes of a trPr/tcPr; return the context for the row or cell content."""
        for child in props:
            tag = child.tag
            if tag not in tags:
                continue
            if tag == t.INS or tag == t.CELL_INS:
                rec = self._change(ins_type, child)
                ctx = replace(ctx, rej=False, ins=rec, row_ins=True)
            elif tag == t.DEL or tag == t.CELL_DEL:
                rec = self._change(del_type, child)
                ctx = replace(ctx, acc=False, dele=rec, row_del=True)
            elif tag == t.SHD:
                ctx = replace(ctx, shade=fill(child))
            else:
                self._change(ChangeType.FORMAT, child)
        return ctx

    def _formats(self, props: etree._Element, tags: frozenset[str] = t.FORMAT_CHANGES) -> None:
        for child in props:
            if child.tag in tags:
                self._change(ChangeType.FORMAT, child)

    # ---- paragraphs ---------------------------------------------------------------------------------

    def _record(self, p: etree._Element, container: str, ctx: Ctx) -> ParaRec:
        """A new record of paragraph ``p`` (indexed only when paragraphs are emitted)."""
        return ParaRec(
            index=len(self.paragraphs) if self.emit else -1,
            container=container,
            para_id=p.get(t.A_PARA_ID),
            in_table=ctx.in_table,
            row_state=mark_state(ctx.row_ins, ctx.row_del),
        )

    def _paragraph(self, p: etree._Element, container: str, ctx: Ctx) -> None:
        rec = self._record(p, container, ctx)
        if self.emit:
            self._emit(rec, container)
        outer, self._cur = self._cur, rec
        first = p[0] if len(p) else None
        if first is not None and first.tag == t.P_PR:
            self._paragraph_props(first, rec)
        self.inline(p, ctx)
        self._cur = outer
        if self.emit:  # an open comment's anchor spans paragraphs
            self._break_anchors()

    def _break_anchors(self) -> None:
        for anchor in self._open.values():
            anchor.parts.append(PARA_BREAK)

    def _emit(self, rec: ParaRec, container: str) -> None:
        """A paragraph of the reading; the one before it in its container merges with it when a mark is lost."""
        previous = self._last.get(container)
        if previous is not None:
            previous.merges_with_next = True
        self._last[container] = rec
        self.paragraphs.append(rec)

    def _paragraph_props(self, ppr: etree._Element, rec: ParaRec) -> None:
        for child in ppr:
            tag = child.tag
            if tag not in t.PARAGRAPH_PROPS:
                continue
            if tag == t.P_STYLE:
                rec.style = child.get(t.A_VAL)
            elif tag == t.R_PR:
                self._mark(child, rec)
            elif tag == t.SHD:
                rec.shade = fill(child)
            elif tag == t.SECT_PR:
                self._formats(child)
            elif tag == t.NUM_PR:
                self._formats(child, t.NUMBERING_CHANGES)
            else:
                self._change(ChangeType.FORMAT, child)

    def _mark(self, rpr: etree._Element, rec: ParaRec) -> None:
        for child in rpr:
            tag = child.tag
            if tag not in t.MARK_PROPS:
                continue
            change_type = t.MARK_TYPES.get(tag)
            if change_type is ChangeType.PARAGRAPH_INSERT:
                rec.mark_ins = True
                self._change(change_type, child)
            elif change_type is ChangeType.PARAGRAPH_DELETE:
                rec.mark_del = True
                self._change(change_type, child)
            else:
                self._change(ChangeType.FORMAT, child)

    # ---- inline content -----------------------------------------------------------------------------

    def inline(self, parent: etree._Element, ctx: Ctx) -> None:
        """Walk the inline children of a paragraph or of an inline container."""
        for child in parent:
            tag = child.tag
            if tag == t.R:
                self._run(child, ctx)
            elif tag in t.WRAPPER_TYPES:
                self.inline(child, self._wrap(child, ctx))
            elif tag in t.INLINE_CONTAINERS:
                self.inline(child, ctx)
            elif tag == t.SDT or tag == t.ALTERNATE_CONTENT:
                # an inline content control's content; alternate content's choice (not its fallback)
                inner = child.find(t.SDT_CONTENT if tag == t.SDT else t.MC_CHOICE)
                if inner is not None:
                    self.inline(inner, ctx)
            elif tag != t.P_PR:
                self._marker(child, tag)

    def _wrap(self, element: etree._Element, ctx: Ctx) -> Ctx:
        """Record a w:ins/w:del/w:moveFrom/w:moveTo and return the context of its content."""
        rec = self._change(t.WRAPPER_TYPES[element.tag], element)
        buffers = (*ctx.buffers, rec.text)
        if rec.type in _INSERT_LIKE:
            return replace(ctx, rej=False, ins=rec, buffers=buffers)
        return replace(ctx, acc=False, dele=rec, buffers=buffers)

    def _run(self, run: etree._Element, ctx: Ctx) -> None:
        look = self._look(run, ctx)
        for child in run:
            tag = child.tag
            if tag == t.T or tag == t.DEL_TEXT:  # deleted text is never in the accepted view
                text = t.text_of(child)
                if text:
                    self._text(text, ctx.acc and tag == t.T, ctx, look)
            elif tag in t.RUN_TEXT:
                self._text(t.RUN_TEXT[tag], ctx.acc, ctx, look)
            elif tag == t.R_PR:
                self._formats(child)
            elif tag in t.GRAPHIC_HOSTS or tag == t.ALTERNATE_CONTENT:
                self._text_boxes(child)
            elif tag == t.COMMENT_REFERENCE:
                self._reference(child)

    def _look(self, run: etree._Element, ctx: Ctx) -> RunLook | None:
        """How a run of accepted text looks (hidden, white), when the reading is emitted; else None."""
        rec = self._cur
        if not (self.emit and ctx.acc and rec is not None):
            return None
        first = run[0] if len(run) else None
        rpr = first if first is not None and first.tag == t.R_PR else None
        return self.shared.styles.look(rpr, rec.style, rec.shade or ctx.shade)

    def _text(self, text: str, acc: bool, ctx: Ctx, look: RunLook | None) -> None:
        rej = ctx.rej
        rec = self._cur
        if rec is not None:
            if acc:
                rec.add(_EQUAL if rej else _INSERT, None if rej else ctx.ins, text)
                _note_unseen(rec, text, look)
            elif rej:
                rec.add(_DELETE, ctx.dele, text)
        for buffer in ctx.buffers:
            buffer.append(text)
        for anchor in self._open.values():
            anchor.parts.append(text)

    # ---- markers, comments and text boxes -----------------------------------------------------------

    def _marker(self, element: etree._Element, tag: object) -> None:
        if tag == t.COMMENT_RANGE_START:
            comment_id = element.get(t.A_ID, "")
            anchor = AnchorRec(paragraph=self._here())
            self._open[comment_id] = anchor
            self.anchors.setdefault(comment_id, anchor)
        elif tag == t.COMMENT_RANGE_END:
            self._open.pop(element.get(t.A_ID, ""), None)

    def _reference(self, element: etree._Element) -> None:
        comment_id = element.get(t.A_ID, "")
        if comment_id not in self.anchors:
            self.anchors[comment_id] = AnchorRec(paragraph=self._here())

    def _here(self) -> int | None:
        """Index of the paragraph the walker is in (or about to enter); the host paragraph for text boxes."""
        if not self.emit:
            return self.host
        if self._cur is not None:
            return self._cur.index
        return len(self.paragraphs)

    def _text_boxes(self, graphic: etree._Element) -> None:
        host = self._cur.index if self.emit and self._cur is not None else self.host
        for content in _find_text_boxes(graphic):
            shadow = Walker(self.shared, part=self.part, emit=False, host=host)
            shadow.block(content, "txbx", Ctx())
            for comment_id, anchor in shadow.anchors.items():
                self.anchors.setdefault(comment_id, anchor)

    def _change(self, change_type: ChangeType, element: etree._Element) -> ChangeRec:
        shared = self.shared
        rec = ChangeRec(
            id=shared.ids.allocate(element.get(t.A_ID)),
            type=change_type,
            author=element.get(t.A_AUTHOR),
            date=element.get(t.A_DATE),
            paragraph=self._here(),
            part=self.part,
        )
        shared.changes.append(rec)
        return rec

    def finish(self) -> None:
        """Clamp indexes that point past the last paragraph (a final section change, a range after the end)."""
        last = len(self.paragraphs) - 1
        clamped = last if last >= 0 else None
        for rec in self.shared.changes:
            if rec.part == self.part and rec.paragraph is not None and rec.paragraph > last:
                rec.paragraph = clamped
        for anchor in self.anchors.values():
            if anchor.paragraph is not None and anchor.paragraph > last:
                anchor.paragraph = clamped


def _unwrapped(element: etree._Element) -> Iterator[etree._Element]:
    """Children of a table or row, looking through row-/cell-level content controls and customXml."""
    for child in element:
        tag = child.tag
        if tag == t.SDT:
            content = child.find(t.SDT_CONTENT)
            if content is not None:
                yield from _unwrapped(content)
        elif tag == t.CUSTOM_XML:
            yield from _unwrapped(child)
        else:
            yield child


def _find_text_boxes(element: etree._Element) -> Iterator[etree._Element]:
    """Outermost w:txbxContent below ``element``, skipping mc:Fallback copies."""
    for child in element:
        tag = child.tag
        if tag == t.TXBX_CONTENT:
            yield child
        elif tag != _MC_FALLBACK:
            yield from _find_text_boxes(child)


def _note_unseen(rec: ParaRec, text: str, look: RunLook | None) -> None:
    """Text that is there but unseen (hidden, or white on its background) noted on its paragraph."""
    if look is not None:
        if look.hidden:
            rec.hidden.append(text)
        elif look.white:
            rec.white.append(text)
