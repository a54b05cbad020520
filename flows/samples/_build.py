"""Build the sample declaration's Word file from its source text: a small WordprocessingML package, the same bytes
each time.

The source text has one paragraph a line; a line starting ``= `` is the title, ``~ `` the place and date,
``## `` a section heading; every other line is a body paragraph (preamble or operative, told apart by its style:
operative paragraphs start with their number). No thumbnail, no generator name, fixed times: the file says what it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MOMENT = "2026-11-01T00:00:00Z"  # the sample's own date: the same in every build
_ZIP_TIME = (2026, 11, 1, 0, 0, 0)
_OPERATIVE = re.compile(r"^\d+\. ")
_MARKERS = {"= ": "Title", "~ ": "Subtitle", "## ": "Heading1"}
LOCALES = {"en": "en-GB", "es": "es-ES"}


def paragraphs(source: str) -> list[tuple[str, str]]:
    """(style id, text) for each line of the source text."""
    result = []
    for line in source.splitlines():
        if not line.strip():
            continue
        marker = next((m for m in _MARKERS if line.startswith(m)), None)
        if marker:
            result.append((_MARKERS[marker], line[len(marker) :]))
        else:
            result.append(("Operative" if _OPERATIVE.match(line) else "Preamble", line))
    return result


def build_docx(source: str, *, language: str) -> bytes:
    """The Word file of a source text (deterministic: the same source and language give the same bytes)."""
    paras = paragraphs(source)
    return _zipped(_parts(paras, language))


_PACKAGE_RELATIONSHIPS = [
    ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
    ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
    ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
]
_DOCUMENT_RELATIONSHIPS = [
    ("rId1", f"{_REL}/styles", "styles.xml"),
    ("rId2", f"{_REL}/settings", "settings.xml"),
]


def _parts(paras: list[tuple[str, str]], language: str) -> dict[str, str]:
    """The package's parts by name, their XML without its prolog."""
    title = paras[0][1] if paras else ""
    return {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(_PACKAGE_RELATIONSHIPS),
        "docProps/core.xml": _core(title, LOCALES[language]),
        "docProps/app.xml": _app(),
        "word/_rels/document.xml.rels": _relationships(_DOCUMENT_RELATIONSHIPS),
        "word/document.xml": _document(paras),
        "word/styles.xml": _styles(LOCALES[language]),
        "word/settings.xml": _settings(),
    }


def _zipped(parts: dict[str, str]) -> bytes:
    """The parts as a zip with fixed times and modes, each after the XML prolog."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, (_PROLOG + xml).encode("utf-8"))
    return buffer.getvalue()


_OVERRIDES = [
    ("/word/document.xml", f"{_CT}.document.main+xml"),
    ("/word/styles.xml", f"{_CT}.styles+xml"),
    ("/word/settings.xml", f"{_CT}.settings+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    (
        "/docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    ),
]


def _content_types() -> str:
    rows = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in _OVERRIDES
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{rows}</Types>'
    )


def _relationships(rows: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rows
    )
    return f'<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


def _core(title: str, locale: str) -> str:
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>accord sample</dc:creator>"
        f"<cp:lastModifiedBy>accord sample</cp:lastModifiedBy><dc:language>{locale}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{_MOMENT}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{_MOMENT}</dcterms:modified></cp:coreProperties>'
    )


def _app() -> str:
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>accord</Application></Properties>"
    )


def _document(paras: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for style, text in paras
    )
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" '
        'w:gutter="0"/></w:sectPr>'
    )
    return f'<w:document xmlns:w="{W}"><w:body>{body}{section}</w:body></w:document>'


def _style(style_id: str, name: str, ppr: str, rpr: str = "") -> str:
    """One paragraph style based on Normal (the preamble's and operative paragraphs' are custom)."""
    return (
        f'<w:style w:type="paragraph" w:customStyle="{int(style_id in ("Preamble", "Operative"))}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="Preamble"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


# The sample's own paragraph styles, in order: (id, name, paragraph properties, run properties).
_OWN_STYLES = (
    (
        "Title",
        "Title",
        '<w:spacing w:after="240"/><w:jc w:val="center"/>',
        '<w:b/><w:sz w:val="28"/><w:szCs w:val="28"/>',
    ),
    ("Subtitle", "Subtitle", '<w:spacing w:after="360"/><w:jc w:val="center"/>', "<w:i/>"),
    (
        "Heading1",
        "heading 1",
        '<w:keepNext/><w:spacing w:before="240" w:after="120"/>'
        '<w:jc w:val="left"/><w:outlineLvl w:val="0"/>',
        "<w:b/>",
    ),
    ("Preamble", "Preamble", '<w:ind w:firstLine="567"/>', ""),
    ("Operative", "Operative", '<w:ind w:left="567" w:hanging="567"/>', ""),
)


def _styles(locale: str) -> str:
    defaults = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        f'w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{locale}"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    normal = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:jc w:val="both"/></w:pPr></w:style>'
    )
    own = "".join(_style(*style) for style in _OWN_STYLES)
    return f'<w:styles xmlns:w="{W}">{defaults}{normal}{own}</w:styles>'


def _settings() -> str:
    return (
        f'<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="567"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/></w:settings>'
    )
