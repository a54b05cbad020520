"""The package around the body: deterministic zip, relationships, content types, core and custom properties."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Mapping

from lxml import etree

from drafting.wordml._safexml import parse_part
from drafting.wordml._writer_xml import Element, ensure_namespace, serialize

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CUSTOM_REL = f"{OFFICE_REL}/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CORE_CT = "application/vnd.openxmlformats-package.core-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CONTENT_TYPES = "[Content_Types].xml"

_EPOCH = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644 << 16


class Parts:
    """A package's parts by name, in the order they were read, with new parts remembered apart."""

    def __init__(self, parts: Mapping[str, bytes], *, label: str) -> None:
        self.data = dict(parts)
        self.original = list(parts)
        self.label = label

    def xml(self, name: str) -> Element:
        """Parse a part with the project's hardened parser."""
        return parse_part(self.data[name], part=name, name=self.label)

    def put(self, name: str, root: Element) -> None:
        """Store a rewritten part."""
        self.data[name] = serialize(root)

    def drop(self, name: str) -> None:
        """Remove a part if present."""
        self.data.pop(name, None)

    def to_zip(self) -> bytes:
        """Zip the parts reproducibly: original order, new parts sorted after, fixed times, modes and level."""
        kept = [name for name in self.original if name in self.data]
        order = kept + sorted(set(self.data) - set(kept))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=_EPOCH)
                info.create_system = 3
                info.external_attr = _FILE_MODE
                archive.writestr(
                    info, self.data[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6
                )
        return buffer.getvalue()


def rels_name(part: str) -> str:
    """The relationships part of a part (``_rels/.rels`` for the package itself, ``part=""``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _rels(parts: Parts, part: str) -> Element:
    name = rels_name(part)
    if name in parts.data:
        return parts.xml(name)
    # lxml takes None as the default namespace's prefix; lxml-stubs does not say so (here and below)
    return etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})  # type: ignore[dict-item]


def resolve(part: str, target: str) -> str:
    """A relationship target as a part name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def find_related(parts: Parts, part: str, rel_type: str) -> str | None:
    """The part that ``part`` relates to with ``rel_type``, if any."""
    for rel in _rels(parts, part):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            return resolve(part, rel.get("Target", ""))
    return None


def relate(parts: Parts, part: str, rel_type: str, target: str, *, another: bool = False) -> None:
    """Add a relationship from ``part`` (``""`` for the package) unless one of that type already exists (with
    ``another``: unless one of that type to ``target`` does; a second header, say)."""
    root = _rels(parts, part)
    if any(
        rel.get("Type") == rel_type and (not another or rel.get("Target") == target) for rel in root
    ):
        return
    numbers = [
        int(m.group(1)) for rel in root if (m := re.fullmatch(r"rId(\d+)", rel.get("Id", "")))
    ]
    rel = etree.SubElement(root, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", f"rId{max(numbers, default=0) + 1}")
    rel.set("Type", rel_type)
    rel.set("Target", target)
    parts.put(rels_name(part), root)


def unrelate(parts: Parts, part: str, rel_type: str) -> None:
    """Remove every relationship of ``rel_type`` from ``part``."""
    name = rels_name(part)
    if name not in parts.data:
        return
    root = parts.xml(name)
    stale = [rel for rel in root if rel.get("Type") == rel_type]
    for rel in stale:
        root.remove(rel)
    if stale:
        parts.put(name, root)


def _overrides(root: etree._Element, name: str) -> list[etree._Element]:
    """The content type overrides declared for part ``name`` (case aside: part names are case-insensitive)."""
    return [
        o
        for o in root
        if o.tag == f"{{{CT}}}Override" and o.get("PartName", "").lower() == name.lower()
    ]


def set_override(parts: Parts, part: str, content_type: str | None) -> None:
    """Declare (or, with ``None``, withdraw) a part's content type override."""
    root = parts.xml(CONTENT_TYPES)
    name = f"/{part}"
    current = _overrides(root, name)
    if content_type is not None and [o.get("ContentType") for o in current] == [content_type]:
        return
    for override in current:
        root.remove(override)
    if content_type is not None:
        override = etree.SubElement(root, f"{{{CT}}}Override")
        override.set("PartName", name)
        override.set("ContentType", content_type)
    if current or content_type is not None:
        parts.put(CONTENT_TYPES, root)


def add_part(
    parts: Parts,
    source: str,
    name: str,
    rel_type: str,
    content_type: str,
    root: Element,
    *,
    another: bool = False,
) -> None:
    """Store a part with its relationship from ``source`` and its content type (``another``: see ``relate``)."""
    parts.put(name, root)
    relate(
        parts,
        source,
        rel_type,
        posixpath.relpath(name, posixpath.dirname(source) or "."),
        another=another,
    )
    set_override(parts, name, content_type)


def stamp_core(
    parts: Parts,
    *,
    title: str | None,
    fixed_time: str,
    described: Mapping[str, str] | None = None,
    named: bool = True,
) -> None:
    """Set dc:title (when given), the created/modified times and ``described`` (``dc:subject``... by prefixed name,
    "" removes) in docProps/core.xml, creating it if absent; accord is its author, no printing time is kept
    (unless not ``named``: the template's author and printing time stay, as before documents had identity)."""
    name = find_related(parts, "", CORE_REL) or "docProps/core.xml"
    root = _core_root(parts, name)
    if title is not None:
        _child(root, f"{{{DC}}}title").text = title
    named_by = (
        {"dc:creator": "accord", "cp:lastModifiedBy": "accord", "cp:lastPrinted": ""}
        if named
        else {}
    )
    _set_core_fields(root, {**named_by, **(described or {})})
    for local in ("created", "modified"):
        stamp = _child(root, f"{{{DCTERMS}}}{local}")
        stamp.text = fixed_time
        stamp.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
    add_part(parts, "", name, CORE_REL, CORE_CT, root)


def _core_root(parts: Parts, name: str) -> Element:
    """docProps/core.xml's root (a new one if the package has none), with the namespaces its fields use."""
    if name in parts.data:
        root = parts.xml(name)
    else:
        root = etree.Element(f"{{{CP}}}coreProperties", nsmap={"cp": CP})
    for prefix, uri in (("dc", DC), ("dcterms", DCTERMS), ("xsi", XSI)):
        # xsi:type names the dcterms prefix
        root = ensure_namespace(root, prefix, uri, ignorable=False)
    return root


def _set_core_fields(root: Element, fields: Mapping[str, str]) -> None:
    """Each field by prefixed name (dc:subject): set to its value, or removed when the value is ""."""
    namespaces = {"dc": DC, "cp": CP}
    for key, value in fields.items():
        prefix, local = key.split(":")
        tag = f"{{{namespaces[prefix]}}}{local}"
        if value:
            _child(root, tag).text = value
        elif (found := root.find(tag)) is not None:
            root.remove(found)


def _child(root: Element, tag: str) -> Element:
    found = root.find(tag)
    return found if found is not None else etree.SubElement(root, tag)


def stamp_custom(parts: Parts, properties: Mapping[str, str]) -> None:
    """Merge string properties into docProps/custom.xml (others kept, same names replaced), pids renumbered from 2."""
    name = find_related(parts, "", CUSTOM_REL) or "docProps/custom.xml"
    if name in parts.data:
        root = parts.xml(name)
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT})  # type: ignore[dict-item]
    for prop in [p for p in root if p.get("name") in properties]:
        root.remove(prop)
    for key, value in sorted(properties.items()):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, name=key)
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = value
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))
        prop.attrib["name"] = prop.attrib.pop("name")  # Word writes fmtid, pid, name in this order
    add_part(parts, "", name, CUSTOM_REL, CUSTOM_CT, root)
