"""Namespaces, element helpers and deterministic serialisation shared by the writer's private modules."""

from __future__ import annotations

import functools
import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML = "http://www.w3.org/XML/1998/namespace"
NS = {"w": W, "w14": W14, "w15": W15, "mc": MC}

Element = etree._Element

# CT_RPr child order (ECMA-376 part 1, 17.3.2.28); Word rejects a file whose rPr children are out of order.
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
).split()


@functools.cache  # a few dozen names, asked for ~160,000 times in a 60-party compilation
def qn(name: str) -> str:
    """Clark name for a prefixed name such as ``w:p``."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def sub(parent: Element, name: str, attrs: dict[str, str] | None = None) -> Element:
    """Append a child element named ``prefix:local`` with prefixed attributes."""
    child = etree.SubElement(parent, qn(name))
    for key, value in (attrs or {}).items():
        child.set(qn(key), value)
    return child


def serialize(root: Element) -> bytes:
    """The one way every rewritten part is serialised."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_run_property(rpr: Element, local: str, attrs: dict[str, str]) -> None:
    """Set a w:rPr child (replacing one already there) at its schema position."""
    for old in rpr.findall(qn(f"w:{local}")):
        rpr.remove(old)
    rank = _RPR_ORDER.index(local)
    position = len(rpr)
    for index, child in enumerate(rpr):
        name = etree.QName(child).localname
        if name in _RPR_ORDER and _RPR_ORDER.index(name) > rank:
            position = index
            break
    element = rpr.makeelement(qn(f"w:{local}"))
    for key, value in attrs.items():
        element.set(qn(key), value)
    rpr.insert(position, element)


def add_text(run: Element, text: str, *, deleted: bool) -> None:
    """Write text into a w:r: "\\n" as w:br, "\\t" as w:tab, the rest as w:t (w:delText when deleted)."""
    for piece in re.split(r"([\n\t])", text):
        if piece == "\n":
            sub(run, "w:br")
        elif piece == "\t":
            sub(run, "w:tab")
        elif piece:
            node = sub(run, "w:delText" if deleted else "w:t")
            node.text = piece
            node.set(f"{{{XML}}}space", "preserve")


def ensure_namespace(root: Element, prefix: str, uri: str, *, ignorable: bool = True) -> Element:
    """Return ``root``, or a copy that declares ``prefix`` (lxml cannot add a declaration in place)."""
    if root.nsmap.get(prefix) == uri:
        return root
    nsmap = {**root.nsmap, prefix: uri}
    if ignorable:
        nsmap.setdefault("mc", MC)
    new = etree.Element(root.tag, nsmap=nsmap)  # type: ignore[arg-type]  # lxml takes None for the default namespace
    for key, value in root.attrib.items():
        new.set(key, value)
    new.extend(list(root))
    if ignorable:
        # A consumer that does not know the namespace must skip its attributes rather than refuse the file.
        key = f"{{{MC}}}Ignorable"
        declared = new.get(key, "").split()
        new.set(key, " ".join(declared if prefix in declared else [*declared, prefix]))
    return new
