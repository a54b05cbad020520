"""Write .docx files: a template's styles and section around new paragraphs with native tracked changes and comments.

Output is deterministic: the same inputs give the same bytes (fixed zip times, member order, compression and ids).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from drafting.errors import InvalidInput
from drafting.wordml._writer_body import BodyWriter, Revisions, template_format, template_paragraphs
from drafting.wordml._writer_comments import (
    COMMENTS_CT,
    COMMENTS_REL,
    EXTENDED_CT,
    EXTENDED_REL,
    STALE_RELS,
    ParaIds,
    check_comments,
    comments_extended_part,
    comments_part,
    plan_anchors,
)
from drafting.wordml._writer_margins import (
    add_header_line,
    drop_thumbnail,
    name_application,
    track_changes,
    write_margins,
)
from drafting.wordml._writer_marks import settle_marks
from drafting.wordml._writer_package import (
    OFFICE_REL,
    Parts,
    add_part,
    find_related,
    set_override,
    stamp_core,
    stamp_custom,
    unrelate,
)
from drafting.wordml._writer_xml import W14, Element, ensure_namespace, qn
from drafting.wordml.gate import open_package
from drafting.wordml.out_models import OutComment, OutIdentity, OutParagraph, OutRun

__all__ = [
    "OutComment",
    "OutIdentity",
    "OutParagraph",
    "OutRun",
    "stamp_copies",
    "stamp_custom_properties",
    "write_docx",
]

_MAIN_REL = f"{OFFICE_REL}/officeDocument"
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_docx(
    template: bytes,
    paragraphs: Sequence[OutParagraph],
    *,
    comments: Sequence[OutComment] = (),
    custom_properties: Mapping[str, str] | None = None,
    title: str | None = None,
    fixed_time: str = "2000-01-01T00:00:00Z",
    identity: OutIdentity | None = None,
    as_before_identity: bool = False,
) -> bytes:
    """Write ``paragraphs`` (and ``comments``) into a copy of ``template`` whose body they replace; with
    ``identity``, every page says what the document is. ``as_before_identity`` keeps the template's package
    properties (thumbnail, app.xml, creator) as accord wrote them before documents carried their identity: the
    documents of a declaration from then are re-rendered by replay byte for byte."""
    _check_inputs(fixed_time, custom_properties or {}, title, comments)
    parts = Parts(open_package(template, name="template").parts, label="template")
    main = find_related(parts, "", _MAIN_REL) or "word/document.xml"
    document = _written_body(parts, main, paragraphs, comments, identity)
    parts.put(main, _with_identity(parts, main, document, identity))
    used = [p.para_id for p in paragraphs if p.para_id is not None]
    _write_comments(parts, main, comments, ParaIds(used))
    _stamp_package(parts, title, fixed_time, identity, as_before_identity)
    if custom_properties:
        stamp_custom(parts, custom_properties)
    return parts.to_zip()


def _check_inputs(
    fixed_time: str,
    custom_properties: Mapping[str, str],
    title: str | None,
    comments: Sequence[OutComment],
) -> None:
    """InvalidInput for a time not in ISO 8601 UTC, text XML cannot hold, or comments that contradict each other."""
    if not _TIME.match(fixed_time):
        raise InvalidInput(
            f"fixed_time {fixed_time!r} is not ISO 8601 UTC like 2026-11-28T10:00:00Z"
        )
    _check_properties(custom_properties, title)
    check_comments(comments)


def _written_body(
    parts: Parts,
    main: str,
    paragraphs: Sequence[OutParagraph],
    comments: Sequence[OutComment],
    identity: OutIdentity | None,
) -> Element:
    """The main document with ``paragraphs`` in place of the template's body, each in its template's format."""
    document = _document(parts, main, paragraphs)
    if identity is not None:
        # The margins' references need r:; declared while the body is the template's, since lxml moves a written
        # body to a new root (the only way to add a declaration) node by node: 5 s for a 4,000-paragraph compilation.
        document = ensure_namespace(document, "r", OFFICE_REL, ignorable=False)
    body = document.find(qn("w:body"))
    assert body is not None  # _document checked it
    formats = [template_format(p) for p in template_paragraphs(body)]
    revisions = Revisions(first=max((c.id for c in comments), default=0) + 1)
    writer = BodyWriter(formats, plan_anchors(paragraphs, comments), revisions)
    writer.write(body, paragraphs, settle_marks(paragraphs))
    return document


def _with_identity(
    parts: Parts, main: str, document: Element, identity: OutIdentity | None
) -> Element:
    """With ``identity``: accord's header and footer on every page, Track Changes as it says."""
    if identity is None:
        return document
    document = write_margins(
        parts, main, document, identity.header, identity.footer, identity.first_page
    )
    track_changes(parts, main, identity.track_changes)
    return document


def _stamp_package(
    parts: Parts,
    title: str | None,
    fixed_time: str,
    identity: OutIdentity | None,
    as_before_identity: bool,
) -> None:
    """The package's properties: title and times, and (since documents carry their identity) no thumbnail of the
    template, accord as the application, the identity as the description."""
    if as_before_identity:
        stamp_core(parts, title=title, fixed_time=fixed_time, described=None, named=False)
        return
    drop_thumbnail(parts)
    name_application(parts)
    shown = identity.title if identity and identity.title else title
    stamp_core(parts, title=shown, fixed_time=fixed_time, described=_described(identity))


def stamp_custom_properties(docx: bytes, properties: Mapping[str, str]) -> bytes:
    """Merge string custom properties into a .docx; every other part keeps its bytes (rels only if new)."""
    return stamp_copies(docx, [properties])[0]


def stamp_copies(
    docx: bytes,
    stamps: Sequence[Mapping[str, str]],
    *,
    header_lines: Sequence[str] = (),
    track: bool = False,
) -> list[bytes]:
    """One stamped copy per set of properties, the package vetted and read once (60 parties: one gate pass);
    ``header_lines`` (one per stamp) go first in each copy's header, ``track`` switches Track Changes on."""
    if header_lines and len(header_lines) != len(stamps):
        raise InvalidInput(
            f"{len(header_lines)} header lines for {len(stamps)} copies; give one per copy"
        )
    for properties, line in zip(stamps, header_lines or [""] * len(stamps), strict=True):
        _check_properties(properties, line)
    package = open_package(docx, name="document").parts
    main = find_related(Parts(package, label="document"), "", _MAIN_REL) or "word/document.xml"
    lines: Sequence[str | None] = header_lines or [None] * len(stamps)
    return [
        _stamped(package, main, properties, line, track)
        for properties, line in zip(stamps, lines, strict=True)
    ]


def _stamped(
    package: dict[str, bytes],
    main: str,
    properties: Mapping[str, str],
    line: str | None,
    track: bool,
) -> bytes:
    """One copy: its custom properties, its header line first, Track Changes on if ``track``."""
    parts = Parts(package, label="document")
    stamp_custom(parts, properties)
    if line is not None:
        add_header_line(parts, main, line)
    if track:
        track_changes(parts, main, True)
    return parts.to_zip()


def _described(identity: OutIdentity | None) -> dict[str, str]:
    if identity is None:
        return {}
    return {
        "dc:subject": identity.subject,
        "cp:keywords": identity.keywords,
        "dc:description": identity.description,
    }


def _document(parts: Parts, main: str, paragraphs: Sequence[OutParagraph]) -> Element:
    if main not in parts.data:
        raise InvalidInput(
            f"template: main part {main} is missing; save the template again from Word"
        )
    document = parts.xml(main)
    if document.find(qn("w:body")) is None:
        raise InvalidInput(f"template: {main} has no w:body; save the template again from Word")
    if any(p.para_id is not None for p in paragraphs):
        document = ensure_namespace(document, "w14", W14)
    return document


def _write_comments(
    parts: Parts, main: str, comments: Sequence[OutComment], para_ids: ParaIds
) -> None:
    for rel_type in STALE_RELS:
        stale = find_related(parts, main, rel_type)
        if stale is not None:
            parts.drop(stale)
            set_override(parts, stale, None)
            unrelate(parts, main, rel_type)
    existing = find_related(parts, main, COMMENTS_REL)
    if not comments and existing is None:
        return
    root, last = comments_part(comments, para_ids)
    add_part(parts, main, existing or "word/comments.xml", COMMENTS_REL, COMMENTS_CT, root)
    extended = find_related(parts, main, EXTENDED_REL) or "word/commentsExtended.xml"
    add_part(
        parts, main, extended, EXTENDED_REL, EXTENDED_CT, comments_extended_part(comments, last)
    )


def _check_properties(properties: Mapping[str, str], title: str | None) -> None:
    for text in [*properties, *properties.values(), title or ""]:
        if _XML_UNSAFE.search(text):
            raise InvalidInput(
                f"property or title {text[:40]!r} holds a control character XML cannot carry"
            )
