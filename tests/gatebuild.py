"""Builders of crafted uploads for the gate's tests and bench/hostile.py: minimal .docx packages, zips with chosen
flaws, XML bombs. Everything is built in memory; no bomb is ever committed."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from typing import Any

from tests.factories import SHARED

NAME = "ES.docx"
CORPUS = (
    SHARED / "corpus" / "real-word"
)  # absent in a user's clone: the corpus tests then skip, saying why
MIB = 1024 * 1024


def corpus_files() -> list[Any]:
    """The real Word files of ../shared/corpus as test parameters; one skipped case, saying why, without them."""
    import pytest

    files = sorted(CORPUS.glob("*.docx"))
    if files:
        return [pytest.param(path, id=path.name) for path in files]
    return [
        pytest.param(
            None,
            id="no-corpus",
            marks=pytest.mark.skip(
                reason=f"{CORPUS} is absent: these cases need ../shared beside the clone (CI always has it)"
            ),
        )
    ]


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
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
    } | (defaults or {})
    items = [f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults.items()]
    items += [
        f'<Override PartName="/{part}" ContentType="{ct}"/>' for part, ct in overrides.items()
    ]
    body = "".join(items)
    return f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'.encode()


def relationships(*rels: Rel) -> bytes:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for rid, rtype, target, mode in rels
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'.encode()


def zip_of(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names, which some cases want
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for part, data in parts.items():
                archive.writestr(
                    part.split("|", 1)[0], data
                )  # "name|2" writes "name" a second time
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
        directory += encoded.ljust(64, b"\x00") + struct.pack(
            "<HBB", len(encoded), 5 if index == 0 else 2, 1
        )
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


def patched(
    data: bytes, member: str, *, flags: int | None = None, size: int | None = None
) -> bytes:
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


def streamed_zeros(
    size: int, *, parts: dict[str, bytes] | None = None, member: str = "word/document.xml"
) -> bytes:
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
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset
    )
    locator = struct.pack(
        "<4sLQL", b"PK\x06\x07", 0, eocd if locator_offset is None else locator_offset, 1
    )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:eocd] + record + locator + end


class Unseekable(io.RawIOBase):
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
    central = (
        struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, *fixed, 0, 0, 0, 0, 0, offset)
        + name
    )
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
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        count & 0xFFFF,
        count & 0xFFFF,
        len(directory),
        len(local),
        0,
    )
    return local + directory + end


def billion_laughs() -> bytes:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><w:document {W}>&lol9;</w:document>'.encode()


def nested(depth: int) -> bytes:
    return (
        f"<w:document {W}><w:body>".encode()
        + b"<w:p>" * depth
        + b"</w:p>" * depth
        + b"</w:body></w:document>"
    )


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


def doc_rel(
    rtype: str, target: str, mode: str | None = "External", extra: dict[str, bytes] | None = None
) -> bytes:
    return docx(doc_rels=(("rId9", rtype, target, mode),), extra=extra)


def other_office(main: str, main_type: str) -> bytes:
    return docx(
        main=main, main_type=main_type, document=b'<?xml version="1.0"?><workbook xmlns="urn:x"/>'
    )


def body(xml: str) -> bytes:
    """A main document part with this body."""
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{xml}</w:body></w:document>'.encode()


def field(*instructions: str, nested: str = "", result: str = "x", deleted: bool = False) -> str:
    """A complex field whose instruction is split over runs (after ``nested``, a whole field of its own)."""
    tag, wrap = ("w:delInstrText", "w:del") if deleted else ("w:instrText", "")
    runs = "".join(
        f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>' for text in instructions
    )
    xml = (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{nested}{runs}<w:r><w:fldChar w:fldCharType="separate"/>'
        f'</w:r><w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    if wrap:
        xml = f'<{wrap} w:id="1" w:author="Fiji" w:date="2026-11-28T00:00:00Z">{xml}</{wrap}>'
    return f"<w:p>{xml}</w:p>"
