"""What a document says it is, outside its body: header and footer on every page (with PAGE and NUMPAGES fields),
Track Changes in settings, core and extended properties naming accord, no stale thumbnail."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from lxml import etree

from drafting.wordml._writer_package import (
    OFFICE_REL,
    Parts,
    add_part,
    find_related,
    rels_name,
    set_override,
    unrelate,
)
from drafting.wordml._writer_xml import XML, Element, W, ensure_namespace, qn, sub

HEADER_REL = f"{OFFICE_REL}/header"
FOOTER_REL = f"{OFFICE_REL}/footer"
SETTINGS_REL = f"{OFFICE_REL}/settings"
APP_REL = f"{OFFICE_REL}/extended-properties"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_WML_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
HEADER_CT, FOOTER_CT = f"{_WML_CT}.header+xml", f"{_WML_CT}.footer+xml"
SETTINGS_CT = f"{_WML_CT}.settings+xml"
APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
HEADER_PART, FOOTER_PART = "word/header-accord.xml", "word/footer-accord.xml"
FIRST_PART = "word/header-accord-first.xml"
# CT_SectPr children that come after w:titlePg (ECMA-376 part 1, 17.6.17)
_AFTER_TITLE_PAGE = frozenset(
    "textDirection bidi rtlGutter docGrid printerSettings sectPrChange".split()
)

# CT_Settings children that come before w:trackRevisions (ECMA-376 part 1, 17.15.1.78); Word refuses other orders.
_BEFORE_TRACK = frozenset(
    "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
    "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData embedTrueTypeFonts "
    "embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState "
    "formsDesign attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView".split()
)
_SIZE = "18"  # 9 pt: margins inform, they do not compete with the text


def write_margins(
    parts: Parts,
    main: str,
    document: Element,
    header: Sequence[str],
    footer: str,
    first_page: Sequence[str] = (),
) -> Element:
    """Give every section of ``document`` accord's header and footer (only these); return the document root.
    With ``first_page``, page 1 has a header of its own: the same lines, then those (see OutIdentity)."""
    references = _margin_parts(parts, main, header, footer, first_page)
    document = ensure_namespace(document, "r", OFFICE_REL, ignorable=False)
    body = document.find(qn("w:body"))
    assert body is not None  # the writer checked it
    sections = list(body.iter(qn("w:sectPr"))) or [sub(body, "w:sectPr")]
    for section in sections:
        _refer(section, references)
        if first_page:
            _title_page(section)
    return document


_Reference = tuple[str, str, str]  # element name, type (default, first), relationship id


def _margin_parts(
    parts: Parts, main: str, header: Sequence[str], footer: str, first_page: Sequence[str]
) -> list[_Reference]:
    """accord's header and footer parts in place of the template's; the references a section makes to them."""
    for rel_type in (HEADER_REL, FOOTER_REL):
        _drop_related(parts, main, rel_type)
    add_part(parts, main, HEADER_PART, HEADER_REL, HEADER_CT, _margin("w:hdr", [_lines(header)]))
    footer_part = _margin("w:ftr", [_page_line(footer)])
    add_part(parts, main, FOOTER_PART, FOOTER_REL, FOOTER_CT, footer_part)
    references = [
        ("w:headerReference", "default", _rel_id(parts, main, HEADER_PART)),
        ("w:footerReference", "default", _rel_id(parts, main, FOOTER_PART)),
    ]
    if first_page:
        first = _margin("w:hdr", [_lines(header), *_cover(first_page)])
        add_part(parts, main, FIRST_PART, HEADER_REL, HEADER_CT, first, another=True)
        references[1:1] = [("w:headerReference", "first", _rel_id(parts, main, FIRST_PART))]
        references.append(("w:footerReference", "first", _rel_id(parts, main, FOOTER_PART)))
    return references


def _refer(section: Element, references: list[_Reference]) -> None:
    """A section's header and footer references, replaced by ``references`` (a first-page or even-page header of
    the template's would lack the identity)."""
    for old in [
        *section.findall(qn("w:headerReference")),
        *section.findall(qn("w:footerReference")),
        *section.findall(qn("w:titlePg")),
    ]:
        section.remove(old)
    for position, (name, kind, rid) in enumerate(references):
        reference = section.makeelement(qn(name))
        reference.set(qn("w:type"), kind)
        reference.set(f"{{{OFFICE_REL}}}id", rid)
        section.insert(position, reference)


def _title_page(section: Element) -> None:
    """``w:titlePg`` in its place in the section: page 1 takes the first-page header."""
    later = [
        i for i, child in enumerate(section) if etree.QName(child).localname in _AFTER_TITLE_PAGE
    ]
    section.insert(later[0] if later else len(section), section.makeelement(qn("w:titlePg")))


def _cover(lines: Sequence[str]) -> list[Element]:
    """The first page's own lines, left-aligned under the identity, the first in bold, a blank line after them."""
    out = []
    for index, line in enumerate([*lines, ""]):
        p = _paragraph("left")
        if line:
            _text(p, line, bold=index == 0)
        out.append(p)
    return out


def add_header_line(parts: Parts, main: str, line: str) -> None:
    """Put ``line`` first in the document's accord header (a stamped copy's "Copy for ..." line)."""
    name = HEADER_PART if HEADER_PART in parts.data else find_related(parts, main, HEADER_REL)
    if (
        name is None or name not in parts.data
    ):  # a document accord did not write: give it a header of its own
        parts.put(main, write_margins(parts, main, parts.xml(main), [line], ""))
        return
    root = parts.xml(name)
    root.insert(0, _lines([line], bold=True))
    parts.put(name, root)


def track_changes(parts: Parts, main: str, on: bool) -> None:
    """Switch Track Changes on (or leave it as the template has it); one header for all pages either way."""
    name = find_related(parts, main, SETTINGS_REL)
    if name is None or name not in parts.data:
        if not on:
            return
        root = etree.Element(qn("w:settings"), nsmap={"w": W})
        name = "word/settings.xml"
    else:
        root = parts.xml(name)
    for even in root.findall(qn("w:evenAndOddHeaders")):
        root.remove(even)
    if on and root.find(qn("w:trackRevisions")) is None:
        root.insert(_track_position(root), root.makeelement(qn("w:trackRevisions")))
    add_part(parts, main, name, SETTINGS_REL, SETTINGS_CT, root)


def _track_position(settings: Element) -> int:
    """Where ``w:trackRevisions`` goes in the settings: after the elements the schema puts before it."""
    before = [
        i + 1 for i, child in enumerate(settings) if etree.QName(child).localname in _BEFORE_TRACK
    ]
    return max(before, default=0)


def drop_thumbnail(parts: Parts) -> None:
    """Remove the package thumbnail: it pictures the template's first page, not this document."""
    name = find_related(parts, "", THUMBNAIL_REL)
    if name is not None:
        parts.drop(name)
        set_override(parts, name, None)
    unrelate(parts, "", THUMBNAIL_REL)


def name_application(parts: Parts) -> None:
    """Extended properties that say accord wrote the file (no stale page or word counts from the template)."""
    root = etree.Element(f"{{{APP_NS}}}Properties", nsmap={None: APP_NS})  # type: ignore[dict-item]
    etree.SubElement(root, f"{{{APP_NS}}}Application").text = "accord"
    name = find_related(parts, "", APP_REL) or "docProps/app.xml"
    add_part(parts, "", name, APP_REL, APP_CT, root)


def _drop_related(parts: Parts, main: str, rel_type: str) -> None:
    """Remove every part ``main`` relates to with ``rel_type``, with its own relationships."""
    while (name := find_related(parts, main, rel_type)) is not None:
        parts.drop(name)
        parts.drop(rels_name(name))
        set_override(parts, name, None)
        unrelate(parts, main, rel_type)


def _rel_id(parts: Parts, main: str, part: str) -> str:
    target = posixpath.relpath(part, posixpath.dirname(main) or ".")
    for rel in parts.xml(rels_name(main)):
        if rel.get("Target") == target:
            return rel.get("Id", "")
    raise AssertionError(f"{part} was just related from {main}")


def _margin(tag: str, paragraphs: list[Element]) -> Element:
    root = etree.Element(qn(tag), nsmap={"w": W, "r": OFFICE_REL})
    root.extend(paragraphs)
    return root


def _paragraph(align: str) -> Element:
    p = etree.Element(qn("w:p"))
    ppr = sub(p, "w:pPr")
    sub(ppr, "w:spacing", {"w:before": "0", "w:after": "0"})
    sub(ppr, "w:jc", {"w:val": align})
    return p


def _run(p: Element, *, bold: bool = False) -> Element:
    run = sub(p, "w:r")
    rpr = sub(run, "w:rPr")
    if bold:
        sub(rpr, "w:b")
    sub(rpr, "w:sz", {"w:val": _SIZE})
    sub(rpr, "w:szCs", {"w:val": _SIZE})
    return run


def _text(p: Element, text: str, *, bold: bool = False) -> None:
    node = sub(_run(p, bold=bold), "w:t")
    node.text = text
    node.set(f"{{{XML}}}space", "preserve")


def _lines(lines: Sequence[str], *, bold: bool = False) -> Element:
    """One right-aligned paragraph, its lines separated by breaks (one paragraph: the header stays compact)."""
    p = _paragraph("right")
    for index, line in enumerate(lines):
        if index:
            sub(_run(p), "w:br")
        _text(p, line, bold=bold)
    return p


def _page_line(footer: str) -> Element:
    """``footer``, then "page X of Y" as PAGE and NUMPAGES fields (shown right by Word and LibreOffice)."""
    p = _paragraph("center")
    _text(p, f"{footer}    page " if footer else "page ")
    _field(p, "PAGE")
    _text(p, " of ")
    _field(p, "NUMPAGES")
    return p


def _field(p: Element, instruction: str) -> None:
    sub(_run(p), "w:fldChar", {"w:fldCharType": "begin"})
    node = sub(_run(p), "w:instrText")
    node.text = f" {instruction} "
    node.set(f"{{{XML}}}space", "preserve")
    sub(_run(p), "w:fldChar", {"w:fldCharType": "separate"})
    sub(_run(p), "w:t").text = "1"
    sub(_run(p), "w:fldChar", {"w:fldCharType": "end"})
