"""Read a .docx with tracked changes and comments into a ``Reading``: the one entry point to Word's XML.

    reading = read_docx(data, name="austria.docx")
    reading.accepted_text, reading.changes, reading.comments

The upload first passes the safety gate (``open_package``); every part is parsed by ``parse_part``; no lxml
element leaves this package. Paragraph-mark merging and row/cell rules follow the corpus SOURCES.md.
"""

from __future__ import annotations

import hashlib

from lxml import etree

from drafting.errors import NotAWordFile
from drafting.lru import Lru
from drafting.wordml import _reader_tags as t
from drafting.wordml._reader_parts import (
    DOCUMENT_PARTS,
    CommentEntry,
    Parse,
    read_comments,
    read_custom_properties,
    read_threads,
    related_parts,
)
from drafting.wordml._reader_state import AnchorRec, Ctx, IdAllocator
from drafting.wordml._reader_style import StyleFlags, style_flags
from drafting.wordml._reader_views import view_lines
from drafting.wordml._reader_walk import Shared, Walker
from drafting.wordml._safexml import ascii_compatible, parse_part, refusal
from drafting.wordml.gate import GateLimits, Package, open_package
from drafting.wordml.models import Comment, Reading, Warning_

__all__ = ["read_docx", "read_package", "view_lines"]

_BODY = t.w("body")
_PACKAGE_PARTS = {"/custom-properties": "docProps/custom.xml"}
_NOTES = (("/footnotes", "footnotes", t.FOOTNOTE), ("/endnotes", "endnotes", t.ENDNOTE))


def read_docx(
    data: bytes, *, name: str = "upload.docx", limits: GateLimits | None = None
) -> Reading:
    """Vet an upload through the safety gate and read it; raise a RefusedFile subclass if it is refused."""
    package = open_package(data, name=name, limits=limits)
    return read_package(package, sha256=hashlib.sha256(data).hexdigest())


def read_package(package: Package, *, sha256: str) -> Reading:
    """Read a package that already passed the gate; ``sha256`` is the hash of the uploaded bytes."""
    parse = _parser(package)
    related = related_parts(parse, package.main_part, DOCUMENT_PARTS, set(package.parts))
    shared = Shared(ids=IdAllocator(), styles=_styles(package, parse, related.get("/styles")))
    body = _walk_body(package, parse, shared)
    anchors = _anchors(body, shared, parse, related)
    entries = read_comments(_parse_related(parse, related, "/comments"))
    threads = read_threads(_parse_related(parse, related, "/commentsExtended"))
    paragraphs = [rec.to_model() for rec in body.paragraphs]
    return Reading(
        sha256=sha256,
        paragraphs=paragraphs,
        accepted_text="\n".join(view_lines(paragraphs, accepted=True)),
        rejected_text="\n".join(view_lines(paragraphs, accepted=False)),
        changes=[rec.to_model() for rec in shared.changes],
        comments=_comments(entries, threads, anchors),
        authors=_authors(shared, entries),
        external_links=list(package.external_links),
        custom_properties=_custom_properties(package, parse),
        warnings=_warnings(package, body, parse),
    )


def _anchors(
    body: Walker, shared: Shared, parse: Parse, related: dict[str, str]
) -> dict[str, AnchorRec]:
    """The text each comment is anchored on: in the body, else in a footnote or an endnote."""
    anchors = dict(body.anchors)
    for suffix, part, tag in _NOTES:
        notes = _walk_notes(shared, _parse_related(parse, related, suffix), part, tag)
        for comment_id, anchor in notes.items():
            anchors.setdefault(comment_id, anchor)
    return anchors


def _warnings(package: Package, body: Walker, parse: Parse) -> list[Warning_]:
    """The gate's warnings, each paragraph's, then the margins'."""
    return [
        *package.warnings,
        *(w for rec in body.paragraphs for w in rec.warnings()),
        *_margin_warnings(package, parse),
    ]


def _walk_body(package: Package, parse: Parse, shared: Shared) -> Walker:
    document = parse(package.main_part)
    body = document.find(_BODY) if document is not None else None
    if body is None:
        raise refusal(
            NotAWordFile,
            package.name,
            f"{package.main_part} has no WordprocessingML body (a Strict Open XML or non-Word file?)",
            "save it from Word as a Word Document (.docx) and send it again",
        )
    walker = Walker(shared, part="body", emit=True)
    walker.block(body, "body", Ctx())
    walker.finish()
    return walker


_MARGINS = ("header+xml", "footer+xml")
_TEXT_CHANGES = (t.INS, t.DEL, t.MOVE_FROM, t.MOVE_TO)
_CHANGE_MARKERS = (
    b"ins ",
    b"del ",
    b"moveFrom",
    b"moveTo",
)  # parse a header only when its bytes may hold one


def _margin_warnings(package: Package, parse: Parse) -> list[Warning_]:
    """Headers and footers are not part of the negotiated text: a change made there is no proposal, so say so."""
    found = []
    for part, content_type in sorted(package.content_types.items()):
        data = package.parts.get(part, b"")
        maybe = not ascii_compatible(data) or any(marker in data for marker in _CHANGE_MARKERS)
        if not content_type.endswith(_MARGINS) or not maybe:
            continue
        root = parse(part)
        count = 0 if root is None else sum(1 for _ in root.iter(*_TEXT_CHANGES))
        if count:
            found.append(_margin_warning(count, part, content_type))
    return found


def _margin_warning(count: int, part: str, content_type: str) -> Warning_:
    """The warning that a header or footer holds tracked changes, which are no proposals."""
    where = "header" if content_type.endswith("header+xml") else "footer"
    message = (
        f"{count} tracked change(s) in the {where} {part!r}: headers and footers are not part of the "
        "negotiated text, so they are no proposals; make the change in the text or say it in a comment"
    )
    return Warning_(code="margin-change", message=message)


def _custom_properties(package: Package, parse: Parse) -> dict[str, str]:
    found = related_parts(parse, "", _PACKAGE_PARTS, set(package.parts))
    return read_custom_properties(_parse_related(parse, found, "/custom-properties"))


def _parser(package: Package) -> Parse:
    def parse(part: str) -> etree._Element | None:
        if part in package.trees:  # parsed by the gate already
            return package.trees[part]
        data = package.parts.get(part)
        return None if data is None else parse_part(data, part=part, name=package.name)

    return parse


# Style flags by styles.xml content: submissions are copies of one template, whose styles need reading once.
_STYLES: Lru[str, StyleFlags] = Lru(64)


def _styles(package: Package, parse: Parse, part: str | None) -> StyleFlags:
    """The hidden/white-text looks of every style (a pure function of the part's bytes, so cached by them: by the
    gate's fingerprint of the part, else by its sha256)."""
    if part is None:
        return style_flags(None)
    key = package.fingerprints.get(part) or hashlib.sha256(package.parts[part]).hexdigest()
    flags = _STYLES.recall(key)
    return flags if flags is not None else _STYLES.keep(key, style_flags(parse(part)))


def _parse_related(parse: Parse, related: dict[str, str], suffix: str) -> etree._Element | None:
    part = related.get(suffix)
    return None if part is None else parse(part)


def _walk_notes(
    shared: Shared, root: etree._Element | None, part: str, tag: str
) -> dict[str, AnchorRec]:
    """Walk footnotes.xml or endnotes.xml for their changes (and any comment anchored there)."""
    if root is None:
        return {}
    walker = Walker(shared, part=part, emit=False)
    for note in root:
        if note.tag == tag:
            walker.block(note, f"{part}{note.get(t.A_ID, '')}", Ctx())
    return walker.anchors


def _authors(shared: Shared, entries: list[CommentEntry]) -> list[str]:
    """Distinct w:author values of changes and comments (an absent attribute is no author; an empty one is)."""
    named = {rec.author for rec in shared.changes} | {entry.author for entry in entries}
    return sorted(author for author in named if author is not None)


def _comments(
    entries: list[CommentEntry],
    threads: dict[str, tuple[str | None, bool]],
    anchors: dict[str, AnchorRec],
) -> list[Comment]:
    by_para_id = {entry.para_id: entry.id for entry in entries if entry.para_id}
    comments = []
    for entry in entries:
        parent_para, resolved = threads.get(entry.para_id or "", (None, False))
        parent = by_para_id.get(parent_para) if parent_para else None
        comments.append(_comment(entry, anchors.get(entry.id), parent, resolved))
    return comments


def _comment(
    entry: CommentEntry, anchor: AnchorRec | None, parent: str | None, resolved: bool
) -> Comment:
    """A comment with the words it is anchored on and its place in its thread."""
    return Comment(
        id=entry.id,
        author=entry.author or "",
        initials=entry.initials,
        date=entry.date,
        text=entry.text,
        anchor="" if anchor is None else anchor.text(),
        paragraph=None if anchor is None else anchor.paragraph,
        parent=parent,
        resolved=resolved,
        para_id=entry.para_id,
    )
