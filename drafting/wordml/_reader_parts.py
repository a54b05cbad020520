"""The parts around the body: relationships, comments and their threads, custom document properties."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from drafting.wordml import _reader_tags as t

Parse = Callable[
    [str], "etree._Element | None"
]  # part name -> parsed root, None when the part is absent

_RELATIONSHIP = f"{{{t.PKG_REL_NS}}}Relationship"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_PROPERTY = f"{{{_CUSTOM_NS}}}property"
_COMMENT = t.w("comment")
_COMMENT_EX = f"{{{t.W15_NS}}}commentEx"
_W15_PARA_ID, _W15_PARENT, _W15_DONE = (
    f"{{{t.W15_NS}}}{name}" for name in ("paraId", "paraIdParent", "done")
)
_SKIPPED = frozenset({t.DEL, t.MOVE_FROM, t.TXBX_CONTENT, f"{{{t.MC_NS}}}Fallback"})
_BLOCK_WRAPPERS = frozenset({t.TBL, t.TR, t.TC, t.SDT, t.SDT_CONTENT, t.CUSTOM_XML})

# relationship-type suffix -> usual part name, for the parts the reader needs beside the main one
DOCUMENT_PARTS = {
    "/comments": "word/comments.xml",
    "/commentsExtended": "word/commentsExtended.xml",
    "/footnotes": "word/footnotes.xml",
    "/endnotes": "word/endnotes.xml",
    "/styles": "word/styles.xml",
}


def rels_name(part: str) -> str:
    """Name of the relationships part of ``part`` (``word/document.xml`` -> ``word/_rels/document.xml.rels``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def related_parts(
    parse: Parse, source: str, suffixes: dict[str, str], present: set[str]
) -> dict[str, str]:
    """Map each wanted relationship-type suffix to its part name: by the source's rels, else the usual name."""
    found: dict[str, str] = {}
    root = parse(rels_name(source))
    if root is not None:
        folder = posixpath.dirname(source)
        for rel in root.iter(_RELATIONSHIP):
            if rel.get("TargetMode") == "External":
                continue
            suffix = _suffix(rel.get("Type", ""), suffixes)
            target = _resolve(folder, rel.get("Target", ""))
            if suffix is not None and target in present:
                found.setdefault(suffix, target)
    for suffix, usual in suffixes.items():
        if suffix not in found and usual in present:
            found[suffix] = usual
    return found


def _suffix(rel_type: str, suffixes: dict[str, str]) -> str | None:
    tail = rel_type[rel_type.rfind("/") :]
    return tail if tail in suffixes else None


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


@dataclass(frozen=True, slots=True)
class CommentEntry:
    """A w:comment of comments.xml, before anchors and threads are attached."""

    id: str
    author: str | None
    initials: str | None
    date: str | None
    text: str
    para_id: str | None


def read_comments(root: etree._Element | None) -> list[CommentEntry]:
    """The comments of comments.xml in their order there."""
    if root is None:
        return []
    return [_comment_entry(comment) for comment in root.iter(_COMMENT)]


def _comment_entry(comment: etree._Element) -> CommentEntry:
    """One ``w:comment``: who, when, its text, and the paragraph id a reply refers to (its last one)."""
    lines = story_lines(comment)
    return CommentEntry(
        id=comment.get(t.A_ID, ""),
        author=comment.get(t.A_AUTHOR),
        initials=comment.get(t.A_INITIALS),
        date=comment.get(t.A_DATE),
        text="\n".join(text for text, _ in lines),
        para_id=next((pid for _, pid in reversed(lines) if pid), None),
    )


def read_threads(root: etree._Element | None) -> dict[str, tuple[str | None, bool]]:
    """commentsExtended.xml: paraId of a comment's last paragraph -> (parent's paraId, resolved)."""
    if root is None:
        return {}
    threads = {}
    for entry in root.iter(_COMMENT_EX):
        para_id = entry.get(_W15_PARA_ID)
        if para_id:
            done = (entry.get(_W15_DONE) or "0").lower() in ("1", "true", "on")
            threads[para_id] = (entry.get(_W15_PARENT), done)
    return threads


def story_lines(element: etree._Element) -> list[tuple[str, str | None]]:
    """(accepted text, w14:paraId) of each paragraph of a small story such as a comment body."""
    lines: list[tuple[str, str | None]] = []
    for child in element:
        if child.tag == t.P:
            pieces: list[str] = []
            _inline_text(child, pieces)
            lines.append(("".join(pieces), child.get(t.A_PARA_ID)))
        elif child.tag in _BLOCK_WRAPPERS:
            lines.extend(story_lines(child))
    return lines


def _inline_text(element: etree._Element, pieces: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == t.T:
            pieces.append(t.text_of(child))
        elif tag in t.RUN_TEXT:
            pieces.append(t.RUN_TEXT[tag])
        elif tag not in _SKIPPED and tag != t.P_PR and tag != t.R_PR and isinstance(tag, str):
            _inline_text(child, pieces)


def read_custom_properties(root: etree._Element | None) -> dict[str, str]:
    """docProps/custom.xml: property name -> its value as a string."""
    if root is None:
        return {}
    props = {}
    for prop in root.iter(_PROPERTY):
        name = prop.get("name")
        if name:
            value = prop[0] if len(prop) else None
            props[name] = "" if value is None else "".join(str(text) for text in value.itertext())
    return props
