"""What an upload's bytes are, and whether its zip directory is sound, checked before anything is decompressed.

The zip directory is walked here by hand (not only by ``zipfile``) because ``zipfile`` silently accepts what an
attacker needs: data prepended to the archive, names cut at a NUL, duplicate names, and members whose byte
ranges overlap (gh-109858, the "non-recursive zip bomb"). ``zipfile``'s own reading of the directory is then
cross-checked against this one, so both parsers must agree on every member.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafting.errors import BadZipEntry, LegacyOrEncrypted, NotAWordFile, ZipBomb
from drafting.wordml._members import InflatedParts, Members, member_fingerprint
from drafting.wordml._safexml import clean, refusal, size_text

if TYPE_CHECKING:
    from drafting.wordml.gate import GateLimits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_MAX_COMMENT = 0xFFFF

_AS_SAVED = "send the file as saved by Word"
_AS_DOCX = "open it in Word, save it as a Word Document (.docx) and send that file"
_NO_PASSWORD = "remove the password in Word (File > Info > Protect Document > Encrypt with Password, clear it) and save as .docx"

_SIGNATURES = (
    (b"%PDF-", "it looks like a PDF"),
    (b"{\\rtf", "it looks like an RTF file"),
    (b"\x89PNG", "it looks like a PNG image"),
    (b"\xff\xd8\xff", "it looks like a JPEG image"),
    (b"GIF8", "it looks like a GIF image"),
    (b"MZ", "it looks like a Windows program"),
    (b"\x7fELF", "it looks like a program"),
    (b"\x1f\x8b", "it looks like a gzip archive"),
    (b"Rar!", "it looks like a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "it looks like a 7-Zip archive"),
    (b"PK\x05\x06", "it is an empty zip archive"),
)
_TEXT_HINTS = (
    ("<?mso-application", "it looks like a Word 2003 XML document"),
    ("<pkg:package", "it looks like a Word flat-XML document"),
    ("<w:worddocument", "it looks like a Word 2003 XML document"),
    ("<!doctype html", "it looks like a web page (HTML)"),
    ("<html", "it looks like a web page (HTML)"),
    ("mime-version:", "it looks like a single-file web page (.mht)"),
    ("<?xml", "it looks like an XML file"),
)
_OLE_KINDS = (
    (
        ("EncryptedPackage", "EncryptionInfo"),
        "it is a password-protected (encrypted) Office file",
        _NO_PASSWORD,
    ),
    (
        ("WordDocument",),
        "it is a legacy Word 97-2003 .doc file",
        "open it in Word and save it as .docx (Word 2007 or later)",
    ),
    (("Workbook", "Book"), "it is a legacy Excel .xls workbook, not a Word document", _AS_DOCX),
    (
        ("PowerPoint Document",),
        "it is a legacy PowerPoint .ppt file, not a Word document",
        _AS_DOCX,
    ),
)


def check_upload_size(data: bytes, name: str, limit: int) -> None:
    """Refuse an upload over the size limit before looking inside it."""
    if len(data) > limit:
        why = f"the file is {size_text(len(data))}, over the {size_text(limit)} upload limit"
        raise refusal(
            ZipBomb, name, why, "compress its pictures (File > Compress Pictures) and send it again"
        )


def sniff_container(data: bytes, name: str) -> None:
    """Refuse anything that is not a zip: empty files, PDFs, RTF, HTML, text, OLE (.doc, encrypted .docx)."""
    if data.startswith(ZIP_MAGIC):
        return
    if data.startswith(OLE_MAGIC):
        for streams, what, todo in _OLE_KINDS:
            if any(ole_has_stream(data, stream) for stream in streams):
                raise refusal(LegacyOrEncrypted, name, what, todo)
        raise refusal(
            LegacyOrEncrypted, name, "it is a legacy Office (OLE) file, not a .docx", _AS_DOCX
        )
    raise refusal(NotAWordFile, name, f"{_looks_like(data)}, not a Word .docx file", _AS_DOCX)


def _head_text(data: bytes) -> str:
    """The file's first bytes as lower-case text (UTF-16 with its byte order mark read as such)."""
    head = data[:4096]
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(encoding, errors="replace").encode("utf-8")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()


def _looks_like(data: bytes) -> str:
    if not data.strip():
        return "it is empty"
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    text = _head_text(data)
    for hint, what in _TEXT_HINTS:
        if hint in text[:1024]:
            return what
    if "\x00" not in text and text.count("\ufffd") <= len(text) // 100:
        return "it looks like plain text"
    return "it is in a format accord does not know"


def ole_has_stream(data: bytes, stream: str) -> bool:
    """Whether an OLE compound file has a directory entry with this name.

    Directory entries are 128 bytes in sectors of 512 or 4096 bytes, so every entry starts at an offset that is a
    multiple of 128; a name found elsewhere is file content, not an entry.
    """
    needle = stream.encode("utf-16-le") + b"\x00\x00"
    for hit, match in enumerate(re.finditer(re.escape(needle), data)):
        offset = match.start()
        if offset % 128 == 0 and offset >= 512 and len(data) >= offset + 67:
            (length,) = struct.unpack_from("<H", data, offset + 64)
            if length == len(needle) and data[offset + 66] in (1, 2, 5):
                return True
        if hit > 10_000:  # only a crafted file repeats a stream name this often
            return True
    return False


@dataclass(frozen=True)
class Entry:
    """One member as the central directory declares it (sizes and offset already resolved for zip64)."""

    raw_name: bytes
    name: str
    flags: int
    method: int
    crc: int
    compress_size: int
    file_size: int
    offset: int

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


_INFLATED = InflatedParts()


def open_zip(data: bytes, name: str, limits: GateLimits) -> Members:
    """Vet the zip directory, then decompress every member within the limits; return the parts by name."""
    entries, starts = _vet_directory(
        data, name, max_entries=limits.max_entries, max_name_length=limits.max_name_length
    )
    _check_declared_sizes(entries, len(data), name, limits)
    return _inflate_members(data, _archive(data, entries, name), entries, starts, name, limits)


def _inflate_members(
    data: bytes,
    archive: zipfile.ZipFile,
    entries: list[Entry],
    starts: list[int],
    name: str,
    limits: GateLimits,
) -> Members:
    """Every member's bytes and fingerprint; refused as soon as they add up to more than the limit."""
    members = Members()
    total = 0
    for info, entry, start in zip(archive.infolist(), entries, starts, strict=True):
        if entry.is_dir:
            continue
        stored = data[start : start + entry.compress_size]
        fingerprint = member_fingerprint(entry.method, entry.crc, entry.file_size, stored)
        part = _inflated(archive, info, entry, fingerprint, name, limits)
        members.parts[entry.name], members.fingerprints[entry.name] = part, fingerprint
        total += len(part)
        if total > limits.max_total_uncompressed:
            raise _bomb(name, f"the zip expands beyond {size_text(limits.max_total_uncompressed)}")
    return members


def _archive(data: bytes, entries: list[Entry], name: str) -> zipfile.ZipFile:
    """The zip as zipfile reads it, which must be the directory as the gate read it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):
        raise _bad(name, "the zip directory cannot be read") from None
    theirs = [
        (info.header_offset, info.orig_filename, info.compress_size, info.file_size)
        for info in archive.infolist()
    ]
    if theirs != [(e.offset, e.name, e.compress_size, e.file_size) for e in entries]:
        raise _bad(name, "the zip directory reads differently to different tools")
    return archive


def _inflated(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    entry: Entry,
    fingerprint: str,
    name: str,
    limits: GateLimits,
) -> bytes:
    """A member's bytes: decompressed once for all uploads that carry the same member."""
    part = _INFLATED.get(fingerprint)
    if part is None or len(part) != entry.file_size:
        part = _read_member(archive, info, entry, name, limits)
        _INFLATED.put(fingerprint, part)
    return part


def _vet_directory(
    data: bytes, name: str, *, max_entries: int, max_name_length: int
) -> tuple[list[Entry], list[int]]:
    """Walk and vet the central directory and every local header; nothing is decompressed.

    Returns the entries and where each one's stored data starts."""
    cd_offset, cd_size, declared_count = _find_directory(data, name)
    entries = _walk_directory(data, cd_offset, cd_size, name, max_entries)
    if len(entries) != declared_count:
        raise _bad(
            name, f"the zip directory counts {declared_count} entries but holds {len(entries)}"
        )
    _check_names(entries, name, max_name_length)
    _check_methods(entries, name)
    return entries, _check_local_headers(data, entries, cd_offset, name)


def _check_declared_sizes(entries: list[Entry], upload: int, name: str, limits: GateLimits) -> None:
    """Refuse on what the directory declares, before decompressing anything; the streaming read checks again."""
    declared_total = 0
    for entry in entries:
        if entry.file_size > limits.max_member_uncompressed:
            raise _bomb(
                name,
                f"{_member(entry)} would expand beyond {size_text(limits.max_member_uncompressed)}",
            )
        if _over_ratio(entry.file_size, entry.compress_size, limits):
            raise _bomb(name, f"{_member(entry)} expands more than {limits.max_ratio:g}:1")
        declared_total += entry.file_size
    if declared_total > limits.max_total_uncompressed:
        raise _bomb(name, f"the zip expands beyond {size_text(limits.max_total_uncompressed)}")
    if _over_ratio(declared_total, upload, limits):
        raise _bomb(name, f"the zip expands more than {limits.max_ratio:g}:1 overall")


def _over_ratio(expanded: int, compressed: int, limits: GateLimits) -> bool:
    return expanded > limits.ratio_grace_bytes and expanded > limits.max_ratio * compressed


# what zipfile and zlib raise on a member they cannot decompress
_INFLATE_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, name: str, limits: GateLimits
) -> bytes:
    """Decompress one member chunk by chunk, counting the bytes that really come out."""
    probe = copy.copy(info)
    # zipfile stops at the declared size: let it run on
    probe.file_size = limits.max_member_uncompressed + 1
    out = io.BytesIO()
    try:
        _inflate(archive, probe, out, entry, name, limits)
    except _INFLATE_ERRORS as exc:
        why = f"{_member(entry)} cannot be decompressed ({clean(str(exc), 60)})"
        raise _bad(name, why) from None
    if out.tell() != entry.file_size:
        raise _bad(name, f"{_member(entry)} is shorter than its header declares")
    return out.getvalue()


def _inflate(
    archive: zipfile.ZipFile,
    probe: zipfile.ZipInfo,
    out: io.BytesIO,
    entry: Entry,
    name: str,
    limits: GateLimits,
) -> None:
    """Decompress into ``out``, refusing as soon as it grows past the declared size or the ratio."""
    with archive.open(probe) as stream:
        while chunk := stream.read(limits.chunk_size):
            out.write(chunk)
            size = out.tell()
            if size > entry.file_size:
                raise _bomb(name, f"{_member(entry)} expands beyond the size its header declares")
            if _over_ratio(size, entry.compress_size, limits):
                raise _bomb(name, f"{_member(entry)} expands more than {limits.max_ratio:g}:1")


def _member(entry: Entry) -> str:
    return f"entry {clean(entry.name, 60)!r}"


def _bomb(name: str, why: str) -> ZipBomb:
    return refusal(ZipBomb, name, f"{why} (zip bomb?)", _AS_SAVED)


def _bad(name: str, why: str) -> BadZipEntry:
    return refusal(BadZipEntry, name, f"{why}, a sign of a damaged or crafted zip", _AS_SAVED)


def _zip64_directory(data: bytes, eocd: int, name: str) -> tuple[int, int, int, int]:
    """The zip64 end record's offset, and its entry count, directory size and directory offset."""
    # zipfile reads the zip64 record right before the locator whatever the 32-bit fields say; so do we
    record = eocd - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
    _, _, locator_offset, _ = _ZIP64_LOCATOR.unpack_from(data, eocd - _ZIP64_LOCATOR.size)
    if record < 0 or locator_offset != record or not data.startswith(b"PK\x06\x06", record):
        raise _bad(name, "the zip64 end record is misplaced")
    fields = _ZIP64_EOCD.unpack_from(data, record)
    disk, cd_disk, on_disk, count, cd_size, cd_offset = fields[4:]
    if disk or cd_disk or on_disk != count:
        raise _bad(name, "the zip is split over several disks")
    return record, count, cd_size, cd_offset


def _find_directory(data: bytes, name: str) -> tuple[int, int, int]:
    """Central directory offset, size and declared entry count; the directory must end where the EOCD begins."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - _MAX_COMMENT))
    if eocd < 0 or eocd + _EOCD.size > len(data):
        raise _bad(name, "the zip has no end-of-directory record (cut short in the upload?)")
    _, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = _EOCD.unpack_from(data, eocd)
    if eocd + _EOCD.size + comment != len(data):
        raise _bad(name, "bytes follow the end of the zip")
    if disk or cd_disk or on_disk != count:
        raise _bad(name, "the zip is split over several disks")
    directory_end = eocd
    if eocd >= _ZIP64_LOCATOR.size and data.startswith(b"PK\x06\x07", eocd - _ZIP64_LOCATOR.size):
        directory_end, count, cd_size, cd_offset = _zip64_directory(data, eocd, name)
    if cd_offset + cd_size != directory_end:
        raise _bad(name, "the zip has bytes before its first entry or around its directory")
    return cd_offset, cd_size, count


def _walk_directory(
    data: bytes, cd_offset: int, cd_size: int, name: str, max_entries: int
) -> list[Entry]:
    entries: list[Entry] = []
    position, end = cd_offset, cd_offset + cd_size
    while position < end:
        if len(entries) >= max_entries:
            raise _bomb(name, f"the zip has more than {max_entries} entries")
        entry, position = _central_entry(data, position, end, name)
        entries.append(entry)
    return entries


def _central_entry(data: bytes, position: int, end: int, name: str) -> tuple[Entry, int]:
    """The directory's entry at ``position``, and where the next one starts."""
    if position + _CENTRAL.size > end or not data.startswith(b"PK\x01\x02", position):
        raise _bad(name, "the zip directory is truncated or corrupt")
    fields = _CENTRAL.unpack_from(data, position)
    flags, method = fields[5], fields[6]
    csize, usize, name_len, extra_len, comment_len = fields[10:15]
    start_disk, offset = fields[15], fields[18]
    raw_name = data[position + _CENTRAL.size : position + _CENTRAL.size + name_len]
    extra_at = position + _CENTRAL.size + name_len
    position = extra_at + extra_len + comment_len
    if position > end:
        raise _bad(name, "the zip directory is truncated or corrupt")
    extra = data[extra_at : extra_at + extra_len]
    usize, csize, offset = _zip64_extra(extra, usize, csize, offset)
    if start_disk:
        raise _bad(name, "the zip is split over several disks")
    decoded = _decode_name(raw_name, flags, name)
    return Entry(raw_name, decoded, flags, method, fields[9], csize, usize, offset), position


def _zip64_extra(extra: bytes, usize: int, csize: int, offset: int) -> tuple[int, int, int]:
    """Replace 0xFFFFFFFF fields by their zip64 values, in the order the zip spec (and zipfile) reads them."""
    position = 0
    while position + 4 <= len(extra):
        tag, size = struct.unpack_from("<2H", extra, position)
        body = extra[position + 4 : position + 4 + size]
        position += 4 + size
        if tag != 0x0001:
            continue
        values = list(struct.unpack_from(f"<{len(body) // 8}Q", body))
        if usize == 0xFFFFFFFF and values:
            usize = values.pop(0)
        if csize == 0xFFFFFFFF and values:
            csize = values.pop(0)
        if offset == 0xFFFFFFFF and values:
            offset = values.pop(0)
    return usize, csize, offset


def _decode_name(raw: bytes, flags: int, name: str) -> str:
    try:
        return raw.decode("utf-8") if flags & 0x800 else raw.decode("cp437")
    except UnicodeDecodeError:
        raise _bad(name, "an entry name is not valid UTF-8") from None


_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_names(entries: list[Entry], name: str, max_name_length: int) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        _check_name(entry, name, max_name_length)
        key = unicodedata.normalize("NFKC", entry.name).casefold()
        if key in seen:
            raise _bad(
                name,
                f"{_member(entry)} repeats the name {clean(seen[key], 60)!r} up to case or Unicode form",
            )
        seen[key] = entry.name


def _check_name(entry: Entry, name: str, max_name_length: int) -> None:
    """Refuse a member name that is not a plain relative path of printable characters within the limit."""
    if b"\x00" in entry.raw_name:
        raise _bad(name, f"{_member(entry)} has a NUL byte in its name")
    if len(entry.raw_name) > max_name_length:
        raise _bad(name, f"{_member(entry)} has a name longer than {max_name_length} bytes")
    if not entry.name or not entry.name.isprintable():
        raise _bad(name, f"{_member(entry)} has an empty name or control characters in it")
    if "\\" in entry.name:
        raise _bad(name, f"{_member(entry)} uses a backslash in its path")
    if entry.name.startswith("/") or _DRIVE.match(entry.name):
        raise _bad(name, f"{_member(entry)} has an absolute path")
    segments = entry.name.removesuffix("/").split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise _bad(name, f"{_member(entry)} has an empty, '.' or '..' path segment")


_DEFLATED_OR_STORED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _check_methods(entries: list[Entry], name: str) -> None:
    for entry in entries:
        if entry.flags & 0x2041:  # traditional, strong or central-directory encryption
            why = f"{_member(entry)} is password-protected (zip encryption)"
            raise refusal(
                LegacyOrEncrypted, name, why, "send the file as saved by Word, without a password"
            )
        if entry.method not in _DEFLATED_OR_STORED or entry.flags & 0x20:
            raise _bad(
                name,
                f"{_member(entry)} uses compression method {entry.method}, which Word never writes",
            )
        if entry.method == zipfile.ZIP_STORED and entry.compress_size != entry.file_size:
            raise _bad(
                name, f"{_member(entry)} is stored uncompressed but declares two different sizes"
            )


def _check_local_headers(data: bytes, entries: list[Entry], cd_offset: int, name: str) -> list[int]:
    """Every entry starts with a local header that agrees with the directory, and no two entries overlap; return
    where each entry's stored data starts."""
    spans: list[tuple[int, int, Entry]] = []
    starts: list[int] = []
    for entry in entries:
        starts.append(_data_start(data, entry, cd_offset, name))
        end = starts[-1] + entry.compress_size
        if end > cd_offset:
            raise _bad(name, f"{_member(entry)} runs into the zip directory")
        spans.append((entry.offset, end, entry))
    spans.sort(key=lambda span: span[:2])
    if spans and spans[0][0] != 0:
        raise _bad(name, "the zip has hidden bytes before its first entry")
    for (_, previous_end, previous), (start, _, current) in itertools.pairwise(spans):
        if start < previous_end:
            raise _bad(name, f"{_member(current)} overlaps {_member(previous)}")
    return starts


def _data_start(data: bytes, entry: Entry, cd_offset: int, name: str) -> int:
    """Where an entry's stored data starts, after a local header that agrees with the directory."""
    start = entry.offset
    if start + _LOCAL.size > cd_offset or not data.startswith(ZIP_MAGIC, start):
        raise _bad(name, f"{_member(entry)} does not start with a valid local header")
    fields = _LOCAL.unpack_from(data, start)
    method, name_len, extra_len = fields[3], fields[9], fields[10]
    local_name = data[start + _LOCAL.size : start + _LOCAL.size + name_len]
    if local_name != entry.raw_name or method != entry.method:
        raise _bad(name, f"{_member(entry)} has a local header that disagrees with the directory")
    data_start: int = start + _LOCAL.size + name_len + extra_len
    return data_start
