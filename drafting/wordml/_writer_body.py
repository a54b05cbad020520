"""The body: paragraphs and runs with tracked insertions, deletions, paragraph-mark flags and comment ranges."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from drafting.errors import InvalidInput
from drafting.wordml._writer_comments import Anchors
from drafting.wordml._writer_marks import MarkFlags
from drafting.wordml._writer_xml import Element, add_text, qn, set_run_property, sub
from drafting.wordml.models import SegmentKind
from drafting.wordml.out_models import OutParagraph, OutRun

# Revision and section markup a template paragraph may carry that must not leak into written paragraphs.
_PPR_DROP = ("w:sectPr", "w:pPrChange")
_RPR_DROP = ("w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:rPrChange")


class Revisions:
    """Hands out the sequential w:id of every w:ins / w:del written."""

    def __init__(self, first: int) -> None:
        self.next_id = first

    def add(
        self, parent: Element, name: str, author: str, date: str, *, index: int | None = None
    ) -> Element:
        """Create a w:ins or w:del under ``parent`` (appended, or inserted at ``index``)."""
        element = parent.makeelement(qn(name))
        for key, value in (("w:id", str(self.next_id)), ("w:author", author), ("w:date", date)):
            element.set(qn(key), value)
        self.next_id += 1
        if index is None:
            parent.append(element)
        else:
            parent.insert(index, element)
        return element


@dataclass(frozen=True)
class Format:
    """A template paragraph's properties and its first run's properties (clean copies)."""

    ppr: Element | None
    rpr: Element | None


def template_paragraphs(body: Element) -> list[Element]:
    """Body paragraphs in document order as the reader counts them (tables in, text boxes and fallbacks out)."""
    skip = {
        qn("w:txbxContent"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
    return [p for p in body.iter(qn("w:p")) if not any(a.tag in skip for a in p.iterancestors())]


def template_format(paragraph: Element) -> Format:
    """Copy what a written paragraph inherits from a template paragraph, minus revisions and section breaks."""
    ppr = _clean(paragraph.find(qn("w:pPr")), _PPR_DROP)
    if ppr is not None:
        _clean(ppr.find(qn("w:rPr")), _RPR_DROP, copied=True)
    runs = [r for r in paragraph.iter(qn("w:r")) if r.find(qn("w:t")) is not None] or list(
        paragraph.iter(qn("w:r"))
    )
    rpr = _clean(runs[0].find(qn("w:rPr")), ("w:rPrChange",)) if runs else None
    return Format(ppr=ppr, rpr=rpr)


def _clean(element: Element | None, drop: Sequence[str], *, copied: bool = False) -> Element | None:
    if element is None:
        return None
    result = element if copied else copy.deepcopy(element)
    for name in drop:
        for child in result.findall(qn(name)):
            result.remove(child)
    return result


class BodyWriter:
    """Writes paragraphs into a body, sharing the template formats, comment anchors and revision ids."""

    def __init__(self, formats: list[Format], anchors: Anchors, revisions: Revisions) -> None:
        self.formats = formats
        self.anchors = anchors
        self.revisions = revisions

    def write(
        self, body: Element, paragraphs: Sequence[OutParagraph], marks: Sequence[MarkFlags]
    ) -> None:
        """Replace the body's content with ``paragraphs``, keeping the final w:sectPr."""
        section = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
        for child in list(body):
            body.remove(child)
        for index, (paragraph, mark) in enumerate(zip(paragraphs, marks, strict=True)):
            self._paragraph(sub(body, "w:p"), index, paragraph, mark)
        if section is not None:
            body.append(section)

    def _format(self, paragraph: OutParagraph) -> Format:
        index = paragraph.template_index
        if index is None:
            return Format(ppr=None, rpr=None)
        if not 0 <= index < len(self.formats):
            raise InvalidInput(
                f"template_index {index} is outside the template's {len(self.formats)} paragraphs"
            )
        return self.formats[index]

    def _paragraph(self, p: Element, index: int, paragraph: OutParagraph, mark: MarkFlags) -> None:
        if paragraph.para_id is not None:
            p.set(qn("w14:paraId"), paragraph.para_id)
        fmt = self._format(paragraph)
        self._properties(p, paragraph, fmt.ppr, mark)
        for r_index, run in enumerate(paragraph.runs):
            for cid in self.anchors.starts.get((index, r_index), []):
                sub(p, "w:commentRangeStart", {"w:id": str(cid)})
            self._run(p, run, fmt.rpr)
            for cid in self.anchors.ends.get((index, r_index), []):
                sub(p, "w:commentRangeEnd", {"w:id": str(cid)})
                sub(sub(p, "w:r"), "w:commentReference", {"w:id": str(cid)})

    def _properties(
        self, p: Element, paragraph: OutParagraph, base: Element | None, mark: MarkFlags
    ) -> None:
        ppr = copy.deepcopy(base) if base is not None else p.makeelement(qn("w:pPr"))
        p.append(ppr)
        if paragraph.style is not None:
            for old in ppr.findall(qn("w:pStyle")):
                ppr.remove(old)
            style = ppr.makeelement(qn("w:pStyle"))
            style.set(qn("w:val"), paragraph.style)
            ppr.insert(0, style)
        self._flag_mark(ppr, mark)
        if not len(ppr):
            p.remove(ppr)

    def _flag_mark(self, ppr: Element, mark: MarkFlags) -> None:
        flags = [
            (name, stamp)
            for name, stamp in (("w:ins", mark.inserted), ("w:del", mark.deleted))
            if stamp
        ]
        if not flags:
            return
        # The mark's rPr is the last pPr child here (sectPr and pPrChange were dropped); ins/del lead it.
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = sub(ppr, "w:rPr")
        for position, (name, (author, date)) in enumerate(flags):
            self.revisions.add(rpr, name, author, date, index=position)

    def _run(self, p: Element, run: OutRun, base: Element | None) -> None:
        if not run.text:
            return
        container = p
        if run.kind is not SegmentKind.EQUAL:
            name = "w:ins" if run.kind is SegmentKind.INSERT else "w:del"
            container = self.revisions.add(p, name, run.author or "", run.date or "")
        r = sub(container, "w:r")
        rpr = copy.deepcopy(base) if base is not None else r.makeelement(qn("w:rPr"))
        if run.bold:
            set_run_property(rpr, "b", {})
        if run.highlight is not None:
            set_run_property(rpr, "highlight", {"w:val": run.highlight})
        if len(rpr):
            r.append(rpr)
        add_text(r, run.text, deleted=run.kind is SegmentKind.DELETE)
