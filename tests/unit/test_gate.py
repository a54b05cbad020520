"""The safety gate against hostile uploads: every file is crafted here, in memory; no bomb is ever committed.

``HOSTILE`` is the catalogue of attacks (bench/hostile.py times the same catalogue): each case builds its bytes,
names the RefusedFile subclass it must raise and a fragment of the reason.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import (
    BadZipEntry,
    ExternalContent,
    LegacyOrEncrypted,
    MacroContent,
    NotAWordFile,
    RefusedFile,
    UnsafeXml,
    ZipBomb,
)
from drafting.wordml._safexml import parse_part
from drafting.wordml.gate import GateLimits, open_package

NAME = "ES.docx"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real-word"
MIB = 1024 * 1024

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS = "http://schemas.microsoft.com/office/2006/relationships/"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}>'
    "<w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>"
).encode()
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Rel = tuple[str, str, str, str | None]  # id, type, target, TargetMode


# -- builders ----------------------------------------------------------------------------------------------------


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> bytes:
    """A [Content_Types].xml with the usual rels/xml defaults."""
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"} | (
        defaults or {}
    )
    items = [f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults.items()]
    items += [f'<Override PartName="/{part}" ContentType="{ct}"/>' for part, ct in overrides.items()]
    body = "".join(items)
    return f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'.encode()


def relationships(*rels: Rel) -> bytes:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"' + (f' TargetMode="{mode}"' if mode else "") + "/>"
        for rid, rtype, target, mode in rels
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'.encode()


def zip_of(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names, which some cases want
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for part, data in parts.items():
                archive.writestr(part.split("|", 1)[0], data)  # "name|2" writes "name" a second time
    return buffer.getvalue()


def docx_parts(
    *,
    document: bytes = DOCUMENT,
    doc_rels: tuple[Rel, ...] = (),
    extra: dict[str, bytes] | None = None,
    overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    main_type: str = WORD_MAIN,
    main: str = "word/document.xml",
) -> dict[str, bytes]:
    parts = {
        "[Content_Types].xml": content_types({main: main_type} | (overrides or {}), defaults),
        "_rels/.rels": relationships(("rId1", R + "officeDocument", main, None)),
        main: document,
    }
    if doc_rels:
        parts["word/_rels/document.xml.rels"] = relationships(*doc_rels)
    return parts | (extra or {})


def docx(**kwargs: object) -> bytes:
    """A minimal well-formed .docx; keyword arguments as ``docx_parts``."""
    return zip_of(docx_parts(**kwargs))  # type: ignore[arg-type]


def ole(*streams: str) -> bytes:
    """An OLE compound file with these stream names in its directory (enough for the gate to recognise it)."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
    header = header.ljust(512, b"\x00")
    directory = b""
    for index, stream in enumerate(("Root Entry", *streams)):
        encoded = stream.encode("utf-16-le") + b"\x00\x00"
        directory += encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), 5 if index == 0 else 2, 1)
        directory = directory.ljust(128 * (index + 1), b"\x00")
    return header + directory.ljust(512 * ((len(directory) + 511) // 512), b"\x00")


def _central(data: bytes, member: str) -> int:
    position: int = struct.unpack_from("<L", data, data.rfind(b"PK\x05\x06") + 16)[0]
    while data.startswith(b"PK\x01\x02", position):
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, position + 28)
        if data[position + 46 : position + 46 + name_len] == member.encode():
            return position
        position += 46 + name_len + extra_len + comment_len
    raise KeyError(member)


def patched(data: bytes, member: str, *, flags: int | None = None, size: int | None = None) -> bytes:
    """Rewrite the flags or the declared uncompressed size of one member, in its local and central headers."""
    out = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    central = _central(data, member)
    if flags is not None:
        struct.pack_into("<H", out, local + 6, flags)
        struct.pack_into("<H", out, central + 8, flags)
    if size is not None:
        struct.pack_into("<L", out, local + 22, size)
        struct.pack_into("<L", out, central + 24, size)
    return bytes(out)


def streamed_zeros(size: int, *, parts: dict[str, bytes] | None = None, member: str = "word/document.xml") -> bytes:
    """A docx whose member is ``size`` zero bytes, deflated while streaming (300 MiB compress to ~300 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in (parts or {}).items():
            archive.writestr(part, data)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=size > 2**31) as out:
            chunk = bytes(64 * 1024)
            for _ in range(size // len(chunk)):
                out.write(chunk)
    return buffer.getvalue()


def with_zip64_end(data: bytes, *, locator_offset: int | None = None) -> bytes:
    """The same zip with a zip64 end record and locator before an end record whose fields say "see zip64"."""
    eocd = data.rfind(b"PK\x05\x06")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack_from("<4s4H2LH", data, eocd)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, eocd if locator_offset is None else locator_offset, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:eocd] + record + locator + end


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors after each member, as streaming writers do."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        return len(chunk)


def _headers(name: bytes, payload: bytes, offset: int) -> tuple[bytes, bytes]:
    """The local header (with its data) and the central entry of a stored member."""
    crc = zlib.crc32(payload)
    fixed = (0, 0, 0, 0x21, crc, len(payload), len(payload), len(name))
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fixed, 0) + name + payload
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, *fixed, 0, 0, 0, 0, 0, offset) + name
    return local, central


def overlapping_zip() -> bytes:
    """Two entries whose ranges overlap: the second's local header sits inside the first's stored data."""
    inner_local, _ = _headers(b"word/document.xml", DOCUMENT, 0)
    outer_local, outer_central = _headers(b"word/outer.bin", inner_local, 0)
    _, inner_central = _headers(b"word/document.xml", DOCUMENT, 30 + len(b"word/outer.bin"))
    directory = outer_central + inner_central
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, len(directory), len(outer_local), 0)
    return outer_local + directory + end


def quine_directory(count: int) -> bytes:
    """A central directory of ``count`` entries that all point at one local header (a directory flood)."""
    local, _ = _headers(b"a", b"", 0)
    directory = b"".join(_headers(f"{i:07d}".encode(), b"", 0)[1] for i in range(count))
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count & 0xFFFF, count & 0xFFFF, len(directory), len(local), 0)
    return local + directory + end


def billion_laughs() -> bytes:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><w:document {W}>&lol9;</w:document>'.encode()
    )


def nested(depth: int) -> bytes:
    return f"<w:document {W}><w:body>".encode() + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:body></w:document>"


def settings_rel(rtype: str, target: str, mode: str | None = "External") -> bytes:
    """A docx whose settings part has one relationship (that is where Word puts attachedTemplate)."""
    settings = f'<w:settings {W}><w:attachedTemplate r:id="rId1" xmlns:r="{R[:-1]}"/></w:settings>'.encode()
    return docx(
        doc_rels=(("rId1", R + "settings", "settings.xml", None),),
        extra={
            "word/settings.xml": settings,
            "word/_rels/settings.xml.rels": relationships(("rId1", rtype, target, mode)),
        },
    )


def doc_rel(rtype: str, target: str, mode: str | None = "External", extra: dict[str, bytes] | None = None) -> bytes:
    return docx(doc_rels=(("rId9", rtype, target, mode),), extra=extra)


def other_office(main: str, main_type: str) -> bytes:
    return docx(main=main, main_type=main_type, document=b'<?xml version="1.0"?><workbook xmlns="urn:x"/>')


# -- the catalogue -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], bytes]
    refused: type[RefusedFile]
    fragment: str
    limits: GateLimits | None = None


HOSTILE = [
    # not a zip at all
    Case("empty", lambda: b"", NotAWordFile, "it is empty"),
    Case("pdf", lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n", NotAWordFile, "it looks like a PDF"),
    Case("rtf", lambda: rb"{\rtf1\ansi Draft declaration}", NotAWordFile, "looks like an RTF file"),
    Case("html", lambda: b"<!DOCTYPE html><html><body>Draft</body></html>", NotAWordFile, "looks like a web page"),
    Case("text", lambda: b"Dear colleagues,\nplease find our comments below.\n", NotAWordFile, "looks like plain text"),
    Case(
        "word-2003-xml",
        lambda: b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>',
        NotAWordFile,
        "looks like a Word 2003 XML document, not a Word .docx file",
    ),
    # OLE compound files
    Case("legacy-doc", lambda: ole("WordDocument", "1Table"), LegacyOrEncrypted, "legacy Word 97-2003 .doc"),
    Case(
        "encrypted-docx",
        lambda: ole("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"),
        LegacyOrEncrypted,
        "remove the password",
    ),
    Case("zip-encryption", lambda: patched(docx(), "word/document.xml", flags=1), LegacyOrEncrypted, "password"),
    # wrong or missing main part
    Case(
        "renamed-xlsx",
        lambda: other_office(
            "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        ),
        NotAWordFile,
        "this is an Excel workbook, not a Word document",
    ),
    Case(
        "renamed-pptx",
        lambda: other_office(
            "ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
        ),
        NotAWordFile,
        "PowerPoint presentation",
    ),
    Case("no-content-types", lambda: zip_of({"word/document.xml": DOCUMENT}), NotAWordFile, "[Content_Types].xml"),
    Case(
        "odt",
        lambda: zip_of(
            {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, zipfile.ZIP_STORED
        ),
        NotAWordFile,
        "OpenDocument text",
    ),
    Case(
        "no-office-document-rel",
        lambda: zip_of(docx_parts() | {"_rels/.rels": relationships()}),
        NotAWordFile,
        "officeDocument",
    ),
    Case(
        "main-part-missing",
        lambda: zip_of({k: v for k, v in docx_parts().items() if k != "word/document.xml"}),
        NotAWordFile,
        "is missing",
    ),
    Case("wrong-main-type", lambda: docx(main_type="application/xml"), NotAWordFile, "not a Word document"),
    # macros
    Case(
        "docm",
        lambda: docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        MacroContent,
        "macro-enabled",
    ),
    Case(
        "vba-project",
        lambda: docx(
            doc_rels=(("rId9", MS + "vbaProject", "vbaProject.bin", None),),
            extra={"word/vbaProject.bin": ole("VBA", "_VBA_PROJECT")},
            defaults={"bin": "application/vnd.ms-office.vbaProject"},
        ),
        MacroContent,
        "vbaProject",
    ),
    Case(
        "vba-project-undeclared",
        lambda: docx(extra={"word/vbaProject.bin": b"\x00" * 64}),
        MacroContent,
        "macro project",
    ),
    Case(
        "vba-data",
        lambda: docx(extra={"word/vbaData.xml": b"<wne:vbaSuppData xmlns:wne='urn:x'/>"}),
        MacroContent,
        "macro project",
    ),
    Case(
        "activex",
        lambda: docx(
            extra={"word/activeX/activeX1.xml": b"<ax:ocx xmlns:ax='urn:x'/>"},
            overrides={"word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml"},
        ),
        MacroContent,
        "activeX",
    ),
    Case(
        "ole-embedding-with-vba",
        lambda: docx(
            extra={"word/embeddings/oleObject1.bin": ole("\x01Ole", "Macros", "VBA", "_VBA_PROJECT")},
            defaults={"bin": "application/vnd.openxmlformats-officedocument.oleObject"},
        ),
        MacroContent,
        "carries VBA macros",
    ),
    Case(
        "embedded-xlsm",
        lambda: docx(extra={"word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm": b"x"}),
        MacroContent,
        "macro-enabled document",
    ),
    Case(
        "embedded-xlsx-with-vba",
        lambda: docx(
            extra={"word/embeddings/Book1.xlsx": zip_of({"xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"x"})}
        ),
        MacroContent,
        "embedded document",
    ),
    # content from outside the file
    Case(
        "remote-template",
        lambda: settings_rel(R + "attachedTemplate", "http://evil.example/t.dotm"),
        ExternalContent,
        "attachedTemplate from 'http://evil.example/t.dotm'",
    ),
    Case(
        "unc-template",
        lambda: settings_rel(R + "attachedTemplate", r"\\evil.example\share\t.dotm"),
        ExternalContent,
        "attachedTemplate",
    ),
    Case(
        "local-template-when-disallowed",
        lambda: settings_rel(R + "attachedTemplate", "file:///C:/T/x.dotx"),
        ExternalContent,
        "attachedTemplate",
        GateLimits(allow_local_template=False),
    ),
    Case("sub-document", lambda: doc_rel(R + "subDocument", "file:///C:/part2.docx"), ExternalContent, "subDocument"),
    Case("frame", lambda: doc_rel(R + "frame", "http://evil.example/frame.html"), ExternalContent, "frame"),
    Case("linked-ole", lambda: doc_rel(R + "oleObject", "file:///C:/budget.xlsx"), ExternalContent, "oleObject"),
    Case(
        "alt-chunk",
        lambda: doc_rel(R + "aFChunk", "afchunk.mht", None, {"word/afchunk.mht": b"MIME-Version: 1.0"}),
        ExternalContent,
        "altChunk",
    ),
    Case(
        "unknown-external",
        lambda: settings_rel(R + "mailMergeSource", "http://evil.example/db.odc"),
        ExternalContent,
        "mailMergeSource",
    ),
    # zip bombs
    Case(
        "zeros-300mib",
        lambda: streamed_zeros(300 * MIB, parts=docx_parts(), member="word/media/zeros.bin"),
        ZipBomb,
        "zip bomb?",
    ),
    Case(
        "lying-header",
        lambda: patched(
            streamed_zeros(300 * MIB, parts=docx_parts(), member="word/media/a.bin"), "word/media/a.bin", size=1000
        ),
        ZipBomb,
        "expands beyond the size its header declares",
    ),
    Case(
        "ratio",
        lambda: streamed_zeros(20 * MIB, parts=docx_parts(), member="word/media/a.bin"),
        ZipBomb,
        "expands more than 100:1",
    ),
    Case(
        "too-many-entries",
        lambda: zip_of(docx_parts() | {f"word/media/{i}.png": b"" for i in range(2001)}),
        ZipBomb,
        "more than 2000 entries",
    ),
    Case("directory-flood", lambda: quine_directory(200_000), ZipBomb, "more than 2000 entries"),
    Case(
        "total",
        lambda: docx(extra={f"word/media/{i}.bin": bytes(range(256)) * 2048 for i in range(3)}),
        ZipBomb,
        "expands beyond 1 MiB",
        GateLimits(max_total_uncompressed=MIB),
    ),
    Case("upload-size", lambda: docx(), ZipBomb, "upload limit", GateLimits(max_upload_bytes=100)),
    # hostile zip directories
    Case("duplicate", lambda: zip_of(docx_parts() | {"word/document.xml|2": DOCUMENT}), BadZipEntry, "repeats"),
    Case("case-duplicate", lambda: zip_of(docx_parts() | {"Word/Document.xml": DOCUMENT}), BadZipEntry, "repeats"),
    Case(
        "unicode-duplicate",
        lambda: zip_of(
            docx_parts()
            | {unicodedata.normalize("NFC", "word/é.xml"): b"<a/>", unicodedata.normalize("NFD", "word/é.xml"): b"<a/>"}
        ),
        BadZipEntry,
        "Unicode form",
    ),
    Case("absolute", lambda: zip_of(docx_parts() | {"/etc/cron.d/x": b""}), BadZipEntry, "absolute path"),
    Case("traversal", lambda: zip_of(docx_parts() | {"word/../../evil.xml": b"<a/>"}), BadZipEntry, "'..'"),
    Case("backslash", lambda: zip_of(docx_parts() | {"word\\..\\evil.xml": b"<a/>"}), BadZipEntry, "backslash"),
    Case("drive-letter", lambda: zip_of(docx_parts() | {"C:/evil.xml": b"<a/>"}), BadZipEntry, "absolute path"),
    Case(
        "nul-in-name",
        lambda: zip_of(docx_parts() | {"word/evil.xml#.png": b"<a/>"}).replace(b"xml#.png", b"xml\x00.png"),
        BadZipEntry,
        "NUL byte",
    ),
    Case("overlap", overlapping_zip, BadZipEntry, "overlaps"),
    Case(
        "bad-local-header",
        lambda: docx().replace(b"PK\x03\x04", b"PK\x03\x05", 2).replace(b"PK\x03\x05", b"PK\x03\x04", 1),
        BadZipEntry,
        "valid local header",
    ),
    Case("prepended-bytes", lambda: b"PK\x03\x04" + bytes(60) + docx(), BadZipEntry, "bytes before"),
    Case("trailing-bytes", lambda: docx() + b"MZ" + bytes(100), BadZipEntry, "bytes follow"),
    Case("truncated", lambda: docx()[:200], BadZipEntry, "no end-of-directory record"),
    Case("bzip2", lambda: zip_of(docx_parts(), zipfile.ZIP_BZIP2), BadZipEntry, "compression method 12"),
    # XML
    Case("billion-laughs", lambda: docx(document=billion_laughs()), UnsafeXml, "DOCTYPE or ENTITY"),
    Case(
        "xxe",
        lambda: docx(document=b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'),
        UnsafeXml,
        "DOCTYPE or ENTITY",
    ),
    Case(
        "doctype-in-content-types",
        lambda: zip_of(
            docx_parts() | {"[Content_Types].xml": b'<!DOCTYPE t SYSTEM "http://evil.example/t.dtd"><Types/>'}
        ),
        UnsafeXml,
        "[Content_Types].xml",
    ),
    Case(
        "doctype-in-rels",
        lambda: zip_of(docx_parts() | {"_rels/.rels": b"<!DOCTYPE r [<!ENTITY a 'b'>]><r/>"}),
        UnsafeXml,
        "_rels/.rels",
    ),
    Case(
        "utf16-doctype",
        lambda: docx(
            extra={
                "word/styles.xml": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s'
                ' [<!ENTITY a "b">]><s>&a;</s>'.encode("utf-16")
            }
        ),
        UnsafeXml,
        "word/styles.xml",
    ),
    Case(
        "utf16be-doctype-no-bom",
        lambda: docx(document='<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d><d/>'.encode("utf-16-be")),
        UnsafeXml,
        "DOCTYPE",
    ),
    Case(
        "utf32-doctype",
        lambda: docx(extra={"customXml/item1.xml": "<!DOCTYPE d><d/>".encode("utf-32")}),
        UnsafeXml,
        "customXml/item1.xml",
    ),
    Case(
        "utf7",
        lambda: docx(document=b'<?xml version="1.0" encoding="UTF-7"?>+ADw-+ACE-DOCTYPE d+AD4-<d/>'),
        UnsafeXml,
        "UTF-7",
    ),
    Case("deep-nesting", lambda: docx(document=nested(50_000)), UnsafeXml, "nests elements more than 200 deep"),
    Case("nesting-over-cap", lambda: docx(document=nested(230)), UnsafeXml, "nests elements more than 200 deep"),
    Case(
        "too-many-tags",
        lambda: docx(document=b"<d>" + b"<p/>" * 2000 + b"</d>"),
        UnsafeXml,
        "XML tags",
        GateLimits(max_xml_tags=1000),
    ),
    Case(
        "xml-part-too-large",
        lambda: docx(document=DOCUMENT.replace(b"Hello", b"Hello " * 500)),
        UnsafeXml,
        "larger than 2000 bytes",
        GateLimits(max_xml_part_bytes=2000),
    ),
    Case("malformed", lambda: docx(document=b"<w:document><w:body>"), UnsafeXml, "not well-formed"),
]


# -- tests ---------------------------------------------------------------------------------------------------------


def assert_refused(case: Case, data: bytes | None = None, name: str = NAME) -> str:
    with pytest.raises(RefusedFile) as caught:
        open_package(case.build() if data is None else data, name=name, limits=case.limits)
    message = str(caught.value)
    assert type(caught.value) is case.refused, message
    assert len(message.splitlines()) == 1, message
    assert case.fragment in message, message
    return message


@pytest.mark.parametrize("case", HOSTILE, ids=[case.id for case in HOSTILE])
def test_hostile_upload_is_refused_with_a_one_line_reason(case: Case) -> None:
    message = assert_refused(case)
    assert message.startswith(f"{NAME}: refused, ")
    assert "; " in message.removeprefix(NAME)  # a reason, then what to do


def test_the_catalogue_covers_every_refusal_class() -> None:
    assert {case.refused for case in HOSTILE} == set(RefusedFile.__subclasses__())


def test_a_hostile_file_name_cannot_break_the_message_onto_two_lines() -> None:
    name = "ES\n\u202edraft.docx\r\n"
    message = assert_refused(HOSTILE[0], name=name)
    assert message.startswith("ES??draft.docx??: refused")


def test_a_minimal_docx_passes() -> None:
    package = open_package(docx(), name=NAME)
    assert package.name == NAME
    assert package.main_part == "word/document.xml"
    assert package.parts["word/document.xml"] == DOCUMENT
    assert package.content_types["word/document.xml"] == WORD_MAIN
    assert package.external_links == []
    assert package.warnings == []


def test_hyperlinks_and_external_pictures_are_reported_not_refused() -> None:
    data = docx(
        doc_rels=(
            ("rId1", R + "hyperlink", "https://www.un.org/en/", "External"),
            ("rId2", R + "hyperlink", "mailto:secretariat@example.org", "External"),
            ("rId3", R + "image", "http://tracker.example/pixel.png", "External"),
        )
    )
    package = open_package(data, name=NAME)
    assert [(link.part, link.rel_id, link.type, link.target) for link in package.external_links] == [
        ("word/document.xml", "rId1", "hyperlink", "https://www.un.org/en/"),
        ("word/document.xml", "rId2", "hyperlink", "mailto:secretariat@example.org"),
        ("word/document.xml", "rId3", "image", "http://tracker.example/pixel.png"),
    ]
    assert [warning.code for warning in package.warnings] == ["external-hyperlink", "external-image"]
    assert all(warning.message.startswith(f"{NAME}: ") for warning in package.warnings)
    assert "2 hyperlink link(s)" in package.warnings[0].message


def test_a_template_on_a_local_drive_is_a_warning() -> None:
    package = open_package(settings_rel(R + "attachedTemplate", r"file:///R:\TEMPLATE\POOL.dotm"), name=NAME)
    assert [link.type for link in package.external_links] == ["attachedTemplate"]
    assert [warning.code for warning in package.warnings] == ["attached-template"]


def test_zip64_members_and_data_descriptors_pass() -> None:
    zip64 = io.BytesIO()
    with zipfile.ZipFile(zip64, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in docx_parts().items():
            with archive.open(part, "w", force_zip64=True) as out:
                out.write(data)
    streamed = _Unseekable()
    with zipfile.ZipFile(streamed, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in docx_parts().items():
            archive.writestr(part, data)
    assert zipfile.ZipFile(io.BytesIO(bytes(streamed.data))).infolist()[0].flag_bits & 0x08
    for data in (zip64.getvalue(), bytes(streamed.data), with_zip64_end(docx())):
        assert open_package(data, name=NAME).main_part == "word/document.xml"


def test_a_misplaced_zip64_end_record_is_refused() -> None:
    assert_refused(Case("zip64", lambda: with_zip64_end(docx(), locator_offset=3), BadZipEntry, "zip64 end record"))


def test_an_embedded_ole_package_is_a_warning() -> None:
    package = open_package(
        docx(extra={"word/embeddings/oleObject1.bin": ole("\x01Ole10Native", "\x01CompObj")}), name=NAME
    )
    assert [warning.code for warning in package.warnings] == ["embedded-file"]


def test_an_embedded_ole_object_without_macros_passes() -> None:
    open_package(docx(extra={"word/embeddings/oleObject1.bin": ole("\x01Ole", "CONTENTS")}), name=NAME)


def test_a_stream_name_in_ole_content_is_not_a_directory_entry() -> None:
    data = ole("WordDocument") + b"x" + "EncryptedPackage\x00".encode("utf-16-le") * 40
    assert_refused(Case("doc", lambda: data, LegacyOrEncrypted, "legacy Word 97-2003 .doc"))


def test_parse_part_refuses_a_utf16_doctype_on_its_own() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    with pytest.raises(UnsafeXml, match="DOCTYPE"):
        parse_part(data.encode("utf-16"), part="word/document.xml", name=NAME)


def test_comments_and_cdata_are_not_declarations() -> None:
    document = DOCUMENT.replace(b"<w:body>", b"<w:body><!-- P1 --><![CDATA[x]]>")
    open_package(docx(document=document), name=NAME)


def test_gate_limits_reject_unknown_settings() -> None:
    with pytest.raises(ValueError):
        GateLimits(max_ratoi=10)  # type: ignore[call-arg]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.docx")), ids=lambda path: path.name)
def test_real_word_files_pass(path: Path) -> None:
    package = open_package(path.read_bytes(), name=path.name)
    assert package.main_part in package.parts
