"""The safety gate: every upload passes here before any XML parser sees it.

The checks run cheapest and most fundamental first, and nothing is trusted before it has been checked:
1. what the bytes are: empty, PDF, RTF, HTML, text (NotAWordFile); OLE, i.e. a legacy .doc or an encrypted
   .docx (LegacyOrEncrypted);
2. the zip directory, walked by hand, before any decompression: entry count, names, local headers, overlaps,
   compression methods, declared sizes and ratios (BadZipEntry, ZipBomb; see ``_zipcheck``);
3. every member decompressed in chunks, counting the bytes that really come out (ZipBomb);
4. every XML part checked on its raw bytes for DOCTYPE/ENTITY and exotic encodings (UnsafeXml; see ``_safexml``);
5. the package: content types, the main part (NotAWordFile), macros (MacroContent), links outside the file
   (ExternalContent; hyperlinks and external images are kept as ``ExternalLink`` with a warning, never fetched);
6. every XML part parsed once with the locked-down parser, so that a file which passed parses again within the
   same depth and size bounds; its field codes vetted: DDE refused (MacroContent), fields that load content from
   outside the file kept as a warning (see ``_fields``).
Every refusal is one line: ``"<file>: refused, <why>; <what to do>"``.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree
from pydantic import BaseModel, ConfigDict, PositiveFloat, PositiveInt

from drafting.errors import BadZipEntry, ExternalContent, MacroContent, NotAWordFile, ZipBomb
from drafting.lru import Lru
from drafting.wordml._fields import (
    OutsideField,
    field_warnings,
    may_hold_fields,
    vet_fields,
)
from drafting.wordml._members import Members
from drafting.wordml._safexml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_TAGS,
    check_raw_xml,
    check_upload_name,
    clean,
    parse_part,
    refusal,
)
from drafting.wordml._safexml import (
    display_name as display_name,  # one rule for names, the portal's too
)
from drafting.wordml._zipcheck import (
    OLE_MAGIC,
    ZIP_MAGIC,
    check_upload_size,
    ole_has_stream,
    open_zip,
    sniff_container,
)
from drafting.wordml.models import ExternalLink, Warning_

MIB = 1024 * 1024


class GateLimits(BaseModel):
    """Limits an upload must stay within; sensible defaults, settable per deployment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_upload_bytes: PositiveInt = 25 * MIB
    max_total_uncompressed: PositiveInt = 200 * MIB
    max_member_uncompressed: PositiveInt = 100 * MIB
    max_ratio: PositiveFloat = 100.0  # per member and overall
    ratio_grace_bytes: PositiveInt = (
        MIB  # below this a member may compress better (small XML parts do)
    )
    max_entries: PositiveInt = 2000
    max_name_length: PositiveInt = 1024
    max_xml_depth: PositiveInt = MAX_DEPTH
    max_xml_tags: PositiveInt = (
        MAX_TAGS  # per XML part; bounds the lxml tree (~120 bytes per element)
    )
    max_xml_part_bytes: PositiveInt = MAX_BYTES  # per XML part; bounds the tree's text
    # in the main part: the reader's and the compilation's work grow with it (the base's own limits, smaller, are
    # drafting.intake.WorkLimits, checked after reading); a 300-page declaration holds ~3,000
    max_paragraphs: PositiveInt = 10_000
    chunk_size: PositiveInt = 64 * 1024
    # A template on a local drive (file:///R:/...) is kept as a warning; a remote one (http, UNC) is always refused.
    allow_local_template: bool = True


@dataclass
class Package:
    """A vetted .docx package: its parts, decompressed within limits, and what the gate noticed."""

    name: str
    parts: dict[str, bytes]
    main_part: str = "word/document.xml"
    fingerprints: dict[str, str] = field(
        default_factory=dict
    )  # part name -> fingerprint (see ``_members.Members``)
    trees: dict[str, etree._Element] = field(
        default_factory=dict
    )  # parts the gate parsed, for the reader to reuse
    external_links: list[ExternalLink] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    content_types: dict[str, str] = field(default_factory=dict)  # part name -> content type


def open_package(data: bytes, *, name: str, limits: GateLimits | None = None) -> Package:
    """Vet an upload and return its parts; raise a RefusedFile subclass with a one-line reason."""
    limits = limits or GateLimits()
    check_upload_size(data, name, limits.max_upload_bytes)
    check_upload_name(name)
    sniff_container(data, name)
    return _vetted(open_zip(data, name, limits), name, limits)


def _vetted(members: Members, name: str, limits: GateLimits) -> Package:
    """The package's parts, checked: content types, raw XML, relationships, the main part, every XML tree."""
    types = _content_types(members.parts, name, limits)
    xml_parts = [part for part in members.parts if _is_xml(part, types.get(part, ""))]
    _vet_raw(members, xml_parts, name)  # all of them, before lxml sees any but [Content_Types].xml
    main, links, warnings = _vet_relationships(members.parts, types, name, limits)
    trees, fields = _vet_trees(members, xml_parts, main, name, limits)
    return Package(
        name=name,
        parts=members.parts,
        main_part=main,
        fingerprints=members.fingerprints,
        trees=trees,
        external_links=links,
        warnings=warnings + field_warnings(fields, name),
        content_types=types,
    )


def _vet_relationships(
    parts: dict[str, bytes], types: dict[str, str], name: str, limits: GateLimits
) -> tuple[str, list[ExternalLink], list[Warning_]]:
    """The main part, named by the package's relationships; no macros; the links to outside the file and the
    warnings about them and about embedded files."""
    rels = _relationships(parts, name, limits)
    main = _main_part(parts, types, rels, name)
    _refuse_macros(parts, types, rels, name)
    links, warnings = _vet_links(rels, name, limits)
    return main, links, warnings + _embedded_files(parts, name)


def _vet_raw(members: Members, xml_parts: list[str], name: str) -> None:
    """The raw bytes of every XML part checked (DTDs, entities, encodings), each distinct part once."""
    for part in xml_parts:
        if _VETTED.recall((members.fingerprints[part], "raw")) is None:
            check_raw_xml(members.parts[part], part=part, name=name)
            _VETTED.keep((members.fingerprints[part], "raw"), ())


def _vet_trees(
    members: Members, xml_parts: list[str], main: str, name: str, limits: GateLimits
) -> tuple[dict[str, etree._Element], list[OutsideField]]:
    """Parse the XML parts but the content types and relationships (a file that passed parses again within the same
    bounds); the trees parsed, and the fields that load content from outside."""
    trees: dict[str, etree._Element] = {}
    fields: list[OutsideField] = []
    for part in xml_parts:
        if part != _CONTENT_TYPES and not _RELS_PART.search(part):
            tree, found = _vet_parse(members, part, name, limits)
            fields += found
            if tree is not None:
                trees[part] = tree
                if part == main:
                    _count_paragraphs(tree, name, limits.max_paragraphs)
    return trees, fields


# -- content types and the main part ---------------------------------------------------------------------------

_CONTENT_TYPES = "[Content_Types].xml"
_RESAVE = "open it in Word, save it as a Word Document (.docx) and send that file"
_WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_OTHER_KINDS = (
    (("spreadsheetml", "ms-excel"), "this is an Excel workbook, not a Word document"),
    (("presentationml", "ms-powerpoint"), "this is a PowerPoint presentation, not a Word document"),
    (("visio",), "this is a Visio drawing, not a Word document"),
)
_ODF = (
    (
        b"application/vnd.oasis.opendocument.text",
        "this is an OpenDocument text (.odt), not a Word .docx",
    ),
    (b"application/vnd.oasis.opendocument", "this is an OpenDocument file, not a Word document"),
    (b"application/epub+zip", "this is an e-book (EPUB), not a Word document"),
)


def _no_content_types(parts: dict[str, bytes], name: str) -> NotAWordFile:
    """The refusal of a zip without [Content_Types].xml (an OpenDocument file says which one it is)."""
    mimetype = parts.get("mimetype", b"")
    why = next((what for prefix, what in _ODF if mimetype.startswith(prefix)), None)
    return refusal(
        NotAWordFile,
        name,
        why or f"the zip has no {_CONTENT_TYPES}, so it is no Word document",
        _RESAVE,
    )


def _content_types(parts: dict[str, bytes], name: str, limits: GateLimits) -> dict[str, str]:
    """The content type of every part, from [Content_Types].xml (Override by part name, else Default by extension)."""
    if _CONTENT_TYPES not in parts:
        raise _no_content_types(parts, name)
    defaults, overrides = _declared_types(_parse(parts, _CONTENT_TYPES, name, limits))
    types = {}
    for part in parts:
        extension = posixpath.splitext(part)[1].lstrip(".").casefold()
        content_type = overrides.get(part.casefold()) or defaults.get(extension)
        if content_type:
            types[part] = content_type
    return types


def _declared_types(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml's Default types by extension and Override types by part name (both casefolded)."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root:
        tag = etree.QName(element).localname
        content_type = element.get("ContentType", "")
        if tag == "Default":
            defaults[element.get("Extension", "").casefold()] = content_type
        elif tag == "Override":
            overrides[element.get("PartName", "").lstrip("/").casefold()] = content_type
    return defaults, overrides


def _is_xml(part: str, content_type: str) -> bool:
    content_type = content_type.casefold()
    if content_type.startswith(
        "image/"
    ):  # SVG pictures are opaque data to accord: never parsed, never served
        return False
    return part.casefold().endswith((".xml", ".rels", ".vml")) or content_type.endswith(
        ("+xml", "/xml")
    )


def _main_part(parts: dict[str, bytes], types: dict[str, str], rels: list[_Rel], name: str) -> str:
    office = next((rel for rel in rels if rel.source == "" and rel.kind == "officeDocument"), None)
    if office is None:
        raise refusal(
            NotAWordFile, name, "_rels/.rels names no main document (officeDocument)", _RESAVE
        )
    if office.external:
        raise refusal(ExternalContent, name, "its main document lies outside the file", _RESAVE)
    main = office.part
    if main is None or main not in parts:
        raise refusal(
            NotAWordFile, name, f"its main part {clean(office.target, 60)!r} is missing", _RESAVE
        )
    _check_main_type(types.get(main, "").casefold(), name)
    return main


def _check_main_type(content_type: str, name: str) -> None:
    """Refuse a main part that is not a Word document's: macro-enabled, a workbook, a presentation ..."""
    if content_type in _WORD_MAIN:
        return
    if "macroenabled" in content_type:
        why = "it is a macro-enabled document (.docm/.xlsm/.pptm)"
        without = "save it as a Word Document (.docx), without macros, and send that"
        raise refusal(MacroContent, name, why, without)
    other = next(
        (what for markers, what in _OTHER_KINDS if any(m in content_type for m in markers)), None
    )
    unknown = f"its main part has the content type {clean(content_type, 80)!r}, not a Word document"
    raise refusal(NotAWordFile, name, other or unknown, _RESAVE)


# -- relationships -----------------------------------------------------------------------------------------------

_RELS_PART = re.compile(r"(?:^|/)_rels/([^/]*)\.rels$", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[\\/]{2}")  # a URI, a drive letter or a UNC path


@dataclass(frozen=True)
class _Rel:
    source: str  # the part whose .rels file holds the relationship; "" for the package
    rel_id: str
    kind: str  # the last segment of the type URI: hyperlink, image, attachedTemplate ...
    target: str
    external: bool
    part: str | None  # the resolved internal part name, if it exists


def _relationships(parts: dict[str, bytes], name: str, limits: GateLimits) -> list[_Rel]:
    lookup = {
        part.casefold(): part for part in parts
    }  # part names compare case-insensitively in OPC
    rels = []
    for rels_part in parts:
        found = _RELS_PART.search(rels_part)
        if not found:
            continue
        source = posixpath.join(rels_part[: found.start()].rstrip("/"), found.group(1)).lstrip("/")
        for element in _parse(parts, rels_part, name, limits):
            rels.append(_relationship(element, rels_part, source, lookup, name))
    return rels


def _relationship(
    element: etree._Element, rels_part: str, source: str, lookup: dict[str, str], name: str
) -> _Rel:
    """One relationship of ``source``: external, or an internal one that must point inside the package."""
    target = element.get("Target", "")
    external = element.get("TargetMode", "").casefold() == "external" or bool(_SCHEME.match(target))
    kind = element.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
    if not external:
        _inside_package(rels_part, target, _resolve(source, target), name)
    resolved = None if external else lookup.get(_resolve(source, target).casefold())
    return _Rel(source, element.get("Id", ""), kind, target, external, resolved)


def _inside_package(rels_part: str, target: str, resolved: str, name: str) -> None:
    """An internal relationship must point inside the package: '../../word/x' from the root reaches nothing Word
    would open, only a consumer that joins it to a folder on disk."""
    if resolved == ".." or resolved.startswith("../"):
        why = f"{clean(rels_part)} points outside the package ({clean(target)})"
        raise refusal(BadZipEntry, name, why, _RESAVE)


def _resolve(source: str, target: str) -> str:
    path = unquote(target.split("#", 1)[0])
    joined = (
        path.lstrip("/")
        if path.startswith("/")
        else posixpath.join(posixpath.dirname(source), path)
    )
    return posixpath.normpath(joined)


# Checks that parts already passed, by fingerprint (and the limits they passed under), with what they found (fields
# loading content from outside): 60 delegations return copies of one template, whose styles (~800 KB in the samples)
# need vetting once, not 60 times. A verdict is a pure function of the part's bytes and the limits; a refusal is
# never remembered; no file name is kept (warnings are worded for each upload).
_VETTED: Lru[tuple[object, ...], tuple[OutsideField, ...]] = Lru(1024)


def _vet_parse(
    members: Members, part: str, name: str, limits: GateLimits
) -> tuple[etree._Element | None, tuple[OutsideField, ...]]:
    """Parse a part and vet its fields unless it passed before; return the tree (when parsed) and the fields that
    load content from outside the file."""
    key = (members.fingerprints[part], *_xml_bounds(limits))
    found = _VETTED.recall(key)
    if found is not None:
        return None, found
    tree = _parse(members.parts, part, name, limits)
    found = (
        tuple(vet_fields(tree, part=part, name=name))
        if may_hold_fields(members.parts[part])
        else ()
    )
    return tree, _VETTED.keep(key, found)


def _xml_bounds(limits: GateLimits) -> tuple[int, int, int, int]:
    """The limits a part's verdict depends on."""
    return (
        limits.max_xml_depth,
        limits.max_xml_tags,
        limits.max_xml_part_bytes,
        limits.max_paragraphs,
    )


def _count_paragraphs(tree: etree._Element, name: str, limit: int) -> None:
    count = sum(1 for _ in tree.iter(_PARAGRAPH))
    if count > limit:
        why = f"it holds {count:,} paragraphs, over the limit of {limit:,}"
        raise refusal(ZipBomb, name, why, "send the declaration's text only, or split the file")


_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _parse(parts: dict[str, bytes], part: str, name: str, limits: GateLimits) -> etree._Element:
    return parse_part(
        parts[part],
        part=part,
        name=name,
        max_depth=limits.max_xml_depth,
        max_tags=limits.max_xml_tags,
        max_bytes=limits.max_xml_part_bytes,
    )


# -- macros ----------------------------------------------------------------------------------------------------

_NO_MACROS = (
    "save it as a Word Document (.docx), which drops macros and controls, and send that file"
)
_MACRO_TYPES = (
    "macroenabled",
    "vbaproject",
    "vbadata",
    "activex",
    "keymapcustomizations",
    "attachedtoolbars",
)
_MACRO_RELS = {
    "vbaproject",
    "wordvbadata",
    "activexcontrolbinary",
    "control",
    "keymapcustomizations",
    "attachedtoolbars",
}
_MACRO_FILES = {
    "vbaproject.bin",
    "vbaprojectsignature.bin",
    "vbaprojectsignatureagile.bin",
    "vbaprojectsignaturev3.bin",
    "vbadata.xml",
}
_MACRO_EXTENSIONS = {
    ".docm",
    ".dotm",
    ".xlsm",
    ".xltm",
    ".xlam",
    ".xlsb",
    ".pptm",
    ".potm",
    ".ppsm",
    ".ppam",
    ".sldm",
}
_VBA_STREAMS = ("_VBA_PROJECT", "_VBA_PROJECT_CUR", "VBA", "Macros")
# Member names stand uncompressed in a zip's headers, so an embedded document's macros show in its raw bytes;
# no need to trust (or parse) a nested zip directory that Office itself would repair.
_EMBEDDED_MACROS = re.compile(rb"vbaProject\.bin|vbaData\.xml|activeX/", re.IGNORECASE)


def _refuse_macros(
    parts: dict[str, bytes], types: dict[str, str], rels: list[_Rel], name: str
) -> None:
    """Refuse VBA projects, ActiveX controls and embedded macro-enabled documents, however they are declared."""
    for part, data in parts.items():
        why = _macro_in_part(part, types.get(part, ""), data)
        if why:
            raise refusal(MacroContent, name, f"part {clean(part, 60)!r} {why}", _NO_MACROS)
    for rel in rels:
        if rel.kind.casefold() in _MACRO_RELS:
            why = f"part {clean(rel.source, 60)!r} has a {clean(rel.kind, 40)} relationship (macros or ActiveX)"
            raise refusal(MacroContent, name, why, _NO_MACROS)


def _macro_in_part(part: str, content_type: str, data: bytes) -> str | None:
    if any(marker in content_type.casefold() for marker in _MACRO_TYPES):
        return f"has the content type {clean(content_type, 60)!r} (macros or ActiveX)"
    if _is_macro_name(part):
        return "is a macro project, an ActiveX control or a macro-enabled document"
    if data.startswith(OLE_MAGIC) and any(ole_has_stream(data, stream) for stream in _VBA_STREAMS):
        return "is an embedded object that carries VBA macros"
    if data.startswith(ZIP_MAGIC) and _EMBEDDED_MACROS.search(data):
        return "is an embedded document that carries macros or ActiveX controls"
    return None


def _is_macro_name(part: str) -> bool:
    folded = part.casefold()
    return (
        posixpath.basename(folded) in _MACRO_FILES
        or "activex" in folded.split("/")
        or posixpath.splitext(folded)[1] in _MACRO_EXTENSIONS
    )


# -- links outside the file ------------------------------------------------------------------------------------

_KEPT = {"hyperlink": "external-hyperlink", "image": "external-image"}
_LOCAL_PATH = re.compile(r"^(?:file:/{2,3})?[A-Za-z]:[\\/]", re.IGNORECASE)
_UNLINK = {
    "attachedTemplate": "attach the Normal template (Developer > Document Template) and save again",
    "subDocument": "merge the sub-documents into the document (Outlining > Unlink) and save again",
    "oleObject": "break the link (File > Info > Edit Links to Files > Break Link) and save again",
    "aFChunk": "open the file in Word and save it again, which merges the imported content",
}


def _refuse_pulled_in(rel: _Rel, name: str, limits: GateLimits) -> None:
    """Refuse a relationship that imports content (altChunk), or pulls in from outside anything but a kept link
    (a local template only where the limits allow it)."""
    if rel.kind.casefold() == "afchunk":
        why = "it imports content from another file (altChunk)"
        raise refusal(ExternalContent, name, why, _UNLINK["aFChunk"])
    if not rel.external:
        return
    local_template = rel.kind == "attachedTemplate" and bool(_LOCAL_PATH.match(rel.target))
    if rel.kind not in _KEPT and not (local_template and limits.allow_local_template):
        why = f"part {clean(rel.source, 60)!r} pulls in {clean(rel.kind, 40)} from {clean(rel.target, 80)!r}"
        todo = _UNLINK.get(rel.kind, "remove the link and send the file again")
        raise refusal(ExternalContent, name, why, todo)


def _vet_links(
    rels: list[_Rel], name: str, limits: GateLimits
) -> tuple[list[ExternalLink], list[Warning_]]:
    """Refuse content pulled in from outside the file; keep hyperlinks and external pictures as data."""
    links = []
    for rel in rels:
        _refuse_pulled_in(rel, name, limits)
        if not rel.external:
            continue
        links.append(
            ExternalLink(part=rel.source, rel_id=rel.rel_id, type=rel.kind, target=rel.target)
        )
    return links, _link_warnings(links, name)


def _link_warnings(links: list[ExternalLink], name: str) -> list[Warning_]:
    counts = Counter(link.type for link in links)
    warnings = []
    for kind, count in sorted(counts.items()):
        first = next(link.target for link in links if link.type == kind)
        code = _KEPT.get(kind, "attached-template")
        message = f"{clean(name)}: {count} {kind} link(s) outside the file, e.g. {clean(first, 80)!r}; never fetched"
        warnings.append(Warning_(code=code, message=message))
    return warnings


def _embedded_files(parts: dict[str, bytes], name: str) -> list[Warning_]:
    """Embedded file packages (OLE Packager) can carry any program; accord never opens them, people might."""
    return [
        Warning_(
            code="embedded-file",
            message=f"{clean(name)}: part {clean(part, 60)!r} embeds a file (OLE package); check it before opening",
        )
        for part, data in parts.items()
        if data.startswith(OLE_MAGIC) and ole_has_stream(data, "\x01Ole10Native")
    ]
