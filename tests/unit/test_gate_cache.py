"""The gate remembers parts it has vetted, by fingerprint and limits, and large members it has inflated; a refused
part is refused every time, and stored bytes under another CRC or size are never taken for the remembered ones."""

from __future__ import annotations

import struct

import pytest

from drafting.errors import BadZipEntry, UnsafeXml
from drafting.lru import Lru
from drafting.wordml import _members, _zipcheck, gate
from drafting.wordml.gate import GateLimits, open_package
from tests.gatebuild import W, docx, nested

STYLES = f"<w:styles {W}><w:style w:styleId='Normal'/></w:styles>".encode()


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = gate._parse

    def counting(parts, part, name, limits):  # type: ignore[no-untyped-def]
        parsed.append(part)
        return original(parts, part, name, limits)

    monkeypatch.setattr(gate, "_parse", counting)
    monkeypatch.setattr(gate, "_VETTED", Lru(gate._VETTED.maxsize))
    return parsed


def test_a_part_seen_before_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _count_parses(monkeypatch)
    upload = docx(extra={"word/styles.xml": STYLES})
    open_package(upload, name="MX.docx")
    first = parsed.count("word/styles.xml")
    open_package(upload, name="FR.docx")
    assert first == 1 and parsed.count("word/styles.xml") == 1


def test_other_limits_vet_the_part_again(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _count_parses(monkeypatch)
    upload = docx(extra={"word/styles.xml": STYLES})
    open_package(upload, name="MX.docx")
    open_package(upload, name="MX.docx", limits=GateLimits(max_xml_depth=50))
    assert parsed.count("word/styles.xml") == 2


def test_a_refused_part_is_refused_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    _count_parses(monkeypatch)
    hostile = docx(extra={"word/styles.xml": nested(1000)})
    for party in ("MX", "FR"):
        with pytest.raises(UnsafeXml, match=f"{party}.docx"):
            open_package(hostile, name=f"{party}.docx")
    refused = _zipcheck.open_zip(hostile, "MX.docx", GateLimits()).fingerprints["word/styles.xml"]
    # it passed the raw check (no DOCTYPE) and that is remembered; its parse failed and is not
    assert [key for key in gate._VETTED if key[0] == refused] == [(refused, "raw")]


# -- large members are inflated once --------------------------------------------------------------------------------

# A style part as big as a real template's (350-440 KB in the samples), well over the 64 KiB the cache starts at.
BIG_STYLES = (
    f"<w:styles {W}>"
    + "".join(
        f"<w:style w:styleId='S{i}'><w:name w:val='Style {i}'/></w:style>" for i in range(3000)
    )
    + "</w:styles>"
).encode()


def _count_inflations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    inflated: list[str] = []
    original = _zipcheck._read_member

    def counting(archive, info, entry, name, limits):  # type: ignore[no-untyped-def]
        inflated.append(entry.name)
        return original(archive, info, entry, name, limits)

    monkeypatch.setattr(_zipcheck, "_read_member", counting)
    monkeypatch.setattr(_zipcheck, "_INFLATED", _members.InflatedParts())
    return inflated


def test_a_large_member_seen_before_is_not_inflated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    inflated = _count_inflations(monkeypatch)
    upload = docx(extra={"word/styles.xml": BIG_STYLES})
    first = open_package(upload, name="MX.docx")
    second = open_package(upload, name="FR.docx")
    assert inflated.count("word/styles.xml") == 1
    assert inflated.count("word/document.xml") == 2  # small members are simply inflated again
    assert second.parts["word/styles.xml"] == first.parts["word/styles.xml"] == BIG_STYLES


def _central_and_local(data: bytes, member: str) -> tuple[int, int]:
    """Offsets of ``member``'s central directory entry and of its local header."""
    at = data.rindex(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<L", data, at + 16)
    position = cd_offset
    while data.startswith(b"PK\x01\x02", position):
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, position + 28)
        (local,) = struct.unpack_from("<L", data, position + 42)
        if data[position + 46 : position + 46 + name_len] == member.encode():
            return position, local
        position += 46 + name_len + extra_len + comment_len
    raise AssertionError(f"{member} is not in the zip")


def _with_crc(data: bytes, member: str, crc: int) -> bytes:
    central, local = _central_and_local(data, member)
    patched = bytearray(data)
    struct.pack_into("<L", patched, central + 16, crc)
    struct.pack_into("<L", patched, local + 14, crc)
    return bytes(patched)


def test_the_same_stored_bytes_under_another_crc_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _count_inflations(monkeypatch)
    upload = docx(extra={"word/styles.xml": BIG_STYLES})
    open_package(upload, name="MX.docx")  # remembered under its true CRC
    central, _ = _central_and_local(upload, "word/styles.xml")
    (crc,) = struct.unpack_from("<L", upload, central + 16)
    with pytest.raises(
        BadZipEntry, match="FR.docx: refused.*word/styles.xml.*cannot be decompressed"
    ):
        open_package(_with_crc(upload, "word/styles.xml", crc ^ 1), name="FR.docx")


def test_the_same_stored_bytes_under_another_size_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _count_inflations(monkeypatch)
    upload = docx(extra={"word/styles.xml": BIG_STYLES})
    open_package(upload, name="MX.docx")
    central, local = _central_and_local(upload, "word/styles.xml")
    patched = bytearray(upload)
    struct.pack_into("<L", patched, central + 24, len(BIG_STYLES) + 10)
    struct.pack_into("<L", patched, local + 22, len(BIG_STYLES) + 10)
    with pytest.raises(
        BadZipEntry, match="FR.docx: refused.*word/styles.xml.*shorter than its header declares"
    ):
        open_package(bytes(patched), name="FR.docx")


def test_the_cache_keeps_to_its_byte_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    inflated = _count_inflations(monkeypatch)
    monkeypatch.setattr(
        _zipcheck, "_INFLATED", _members.InflatedParts(budget=4 * len(BIG_STYLES) + 8)
    )
    uploads = [
        docx(extra={"word/styles.xml": BIG_STYLES.replace(b"S0'", f"T{i}'".encode())})
        for i in range(6)
    ]
    for i, upload in enumerate(uploads):  # six different large style parts; four fit
        open_package(upload, name=f"P{i}.docx")
    cache = _zipcheck._INFLATED
    assert (
        len(cache.parts) == 4 and cache.size == sum(map(len, cache.parts.values())) <= cache.budget
    )
    open_package(uploads[5], name="P5.docx")  # the newest is kept ...
    open_package(uploads[0], name="P0.docx")  # ... the oldest went first
    assert inflated.count("word/styles.xml") == 7
