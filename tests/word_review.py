"""A co-presidency's review in Word, done on the XML: accept or reject each tracked change of a compilation (by
author, kind, text), or edit its text, as Word would save it.

    back = returned(compilation, lambda change: "accept")
    back = returned(compilation, by_author({"France": "accept", "Mexico": "reject"}))
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Change:
    """A tracked change as the co-presidency sees it in Word's review pane."""

    kind: str  # "insert" | "delete"
    author: str
    text: str  # its text ("" for a paragraph mark alone)
    mark: bool = False  # a paragraph mark's revision


Decide = Callable[[Change], str | None]  # "accept", "reject", or None to leave it tracked


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


def _text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(_q("t"), _q("delText")))


def returned(docx: bytes, decide: Decide) -> bytes:
    """The compilation after a co-presidency accepted or rejected tracked changes in Word.

    Word removes the markup: an accepted insertion (or rejected deletion) stays as plain text, a rejected insertion
    (or accepted deletion) goes; a paragraph mark that goes joins its paragraph to the next. Undecided changes stay.
    """
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read("word/document.xml"))
    body = root.find(_q("body"))
    assert body is not None
    for element in list(body.iter(_q("ins"), _q("del"))):
        parent = element.getparent()
        if parent is None or parent.tag == _q("rPr"):
            continue
        verdict = decide(
            Change(
                "insert" if element.tag == _q("ins") else "delete",
                element.get(_q("author"), ""),
                _text_of(element),
            )
        )
        if verdict is not None:
            _settle(element, keep=(verdict == "accept") == (element.tag == _q("ins")))
    for paragraph in list(body.iter(_q("p"))):
        _settle_mark(paragraph, decide)
    return _with_document(source, root)


def _with_document(source: zipfile.ZipFile, root: etree._Element) -> bytes:
    """The package again, with another word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info.filename, data)
    return out.getvalue()


def edit_text(docx: bytes, old: str, new: str) -> bytes:
    """The same file with ``old`` typed over as ``new`` (no track changes) where a run holds it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read("word/document.xml"))
    hits = [t for t in root.iter(_q("t")) if t.text and old in t.text]
    assert hits, f"{old!r} is in no run"
    hits[0].text = (hits[0].text or "").replace(old, new, 1)
    return _with_document(source, root)


def _settle(element: etree._Element, *, keep: bool) -> None:
    """Remove a w:ins / w:del wrapper, keeping its runs as plain text, or remove it with its runs."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    if keep:
        for text in element.iter(_q("delText")):
            text.tag = _q("t")
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
    parent.remove(element)


def _settle_mark(paragraph: etree._Element, decide: Decide) -> None:
    rpr = paragraph.find(f"{_q('pPr')}/{_q('rPr')}")
    if rpr is None:
        return
    for flag in list(rpr):
        if flag.tag not in (_q("ins"), _q("del")):
            continue
        kind = "insert" if flag.tag == _q("ins") else "delete"
        verdict = decide(Change(kind, flag.get(_q("author"), ""), "", mark=True))
        if verdict is None:
            continue
        rpr.remove(flag)
        if (verdict == "accept") != (kind == "insert"):
            _join_with_next(paragraph)
            return


def _join_with_next(paragraph: etree._Element) -> None:
    """The paragraph's mark goes: its content moves to the start of the next paragraph (Word keeps the later mark)."""
    following = paragraph.getnext()
    while following is not None and following.tag != _q("p"):
        following = following.getnext()
    if following is None:
        return
    content = [child for child in paragraph if child.tag != _q("pPr")]
    ppr = following.find(_q("pPr"))
    at = 0 if ppr is None else 1
    for offset, child in enumerate(content):
        following.insert(at + offset, child)
    paragraph.getparent().remove(paragraph)  # type: ignore[union-attr]


def by_author(decisions: dict[str, str]) -> Decide:
    """Decide every change by its author's name (a name missing from the map: leave it tracked)."""
    return lambda change: decisions.get(change.author)


def accept_all(_: Change) -> str:
    return "accept"


def reject_all(_: Change) -> str:
    return "reject"
