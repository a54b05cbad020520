"""A tiny in-memory .docx builder for tests: wrap WordprocessingML fragments into a real zip package.

    build_docx('<w:p><w:r><w:t>Hello</w:t></w:r></w:p>')

The body fragment goes inside ``w:document/w:body``; the optional parts may be fragments too (their children:
``w:comment``, ``w15:commentEx``, ``w:footnote``, ``w:endnote``) or whole documents (starting with ``<?xml`` or
with their own root element). Every usual prefix (w, w14, w15, w16cid, r, mc, wp, wp14, a, pic, wps, wpg, v, o,
w10, m) is declared on each root, so fragments can use them freely. ``extra_parts`` adds or replaces any part
by name, e.g. ``{"docProps/custom.xml": b"..."}``; ``custom_props_xml`` builds that one from name -> value.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

NAMESPACES: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}

_DECLS = (
    " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    + ' mc:Ignorable="w14 w15 wp14"'
)
_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_BASE = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# part name -> (root element, relationship type, content type)
_OPTIONAL_PARTS: dict[str, tuple[str, str, str]] = {
    "word/comments.xml": ("w:comments", f"{_OFFICE_REL}/comments", f"{_CT_BASE}.comments+xml"),
    "word/commentsExtended.xml": (
        "w15:commentsEx",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        f"{_CT_BASE}.commentsExtended+xml",
    ),
    "word/footnotes.xml": ("w:footnotes", f"{_OFFICE_REL}/footnotes", f"{_CT_BASE}.footnotes+xml"),
    "word/endnotes.xml": ("w:endnotes", f"{_OFFICE_REL}/endnotes", f"{_CT_BASE}.endnotes+xml"),
    "word/styles.xml": ("w:styles", f"{_OFFICE_REL}/styles", f"{_CT_BASE}.styles+xml"),
}


def wrap(root: str, fragment: str) -> str:
    """Wrap a fragment in ``root`` (a prefixed name) declaring every usual namespace; keep whole documents."""
    stripped = fragment.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith(f"<{root}"):
        return fragment
    return f"{_PROLOG}<{root} {_DECLS}>{fragment}</{root}>"


def document_xml(body_xml: str) -> str:
    """Return word/document.xml for a body fragment (or the fragment itself if it is a whole document)."""
    stripped = body_xml.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith("<w:document"):
        return body_xml
    return f"{_PROLOG}<w:document {_DECLS}><w:body>{body_xml}</w:body></w:document>"


def custom_props_xml(props: dict[str, str]) -> bytes:
    """Return docProps/custom.xml holding ``props`` as string (vt:lpwstr) properties."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        f"{_PROLOG}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def build_docx(
    body_xml: str,
    *,
    comments_xml: str | None = None,
    comments_extended_xml: str | None = None,
    footnotes_xml: str | None = None,
    endnotes_xml: str | None = None,
    styles_xml: str | None = None,
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """Return the bytes of a .docx whose body is ``body_xml``, with the optional parts wired in."""
    given = {
        "word/comments.xml": comments_xml,
        "word/commentsExtended.xml": comments_extended_xml,
        "word/footnotes.xml": footnotes_xml,
        "word/endnotes.xml": endnotes_xml,
        "word/styles.xml": styles_xml,
    }
    parts: dict[str, bytes] = {"word/document.xml": document_xml(body_xml).encode()}
    for name, fragment in given.items():
        if fragment is not None:
            parts[name] = wrap(_OPTIONAL_PARTS[name][0], fragment).encode()
    parts.update(extra_parts or {})
    parts["[Content_Types].xml"] = _content_types(parts)
    parts["_rels/.rels"] = _package_rels(parts)
    parts["word/_rels/document.xml.rels"] = _document_rels(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [
            "[Content_Types].xml",
            *sorted(n for n in parts if n != "[Content_Types].xml"),
        ]:
            # a fixed time in each entry: the same body gives the same bytes, whenever it is built (the entries
            # carried the clock's, so two builds two seconds apart differed: a flaky byte comparison in CI)
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, parts[name], compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _content_types(parts: dict[str, bytes]) -> bytes:
    overrides = [("/word/document.xml", f"{_CT_BASE}.document.main+xml")]
    overrides += [(f"/{name}", spec[2]) for name, spec in _OPTIONAL_PARTS.items() if name in parts]
    if "docProps/custom.xml" in parts:
        overrides.append(
            (
                "/docProps/custom.xml",
                "application/vnd.openxmlformats-officedocument.custom-properties+xml",
            )
        )
    body = "".join(
        f'<Override PartName="{name}" ContentType="{ctype}"/>' for name, ctype in overrides
    )
    return (
        f'{_PROLOG}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    ).encode()


def _relationships(rels: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f'<Relationship Id="rId{n}" Type="{rtype}" Target="{target}"/>'
        for n, (rtype, target) in enumerate(rels, 1)
    )
    return f'{_PROLOG}<Relationships xmlns="{_REL_NS}">{body}</Relationships>'.encode()


def _package_rels(parts: dict[str, bytes]) -> bytes:
    if "_rels/.rels" in parts:
        return parts["_rels/.rels"]
    rels = [(f"{_OFFICE_REL}/officeDocument", "word/document.xml")]
    if "docProps/custom.xml" in parts:
        rels.append((f"{_OFFICE_REL}/custom-properties", "docProps/custom.xml"))
    return _relationships(rels)


def _document_rels(parts: dict[str, bytes]) -> bytes:
    if "word/_rels/document.xml.rels" in parts:
        return parts["word/_rels/document.xml.rels"]
    rels = [
        (spec[1], name.removeprefix("word/"))
        for name, spec in _OPTIONAL_PARTS.items()
        if name in parts
    ]
    return _relationships(rels)
