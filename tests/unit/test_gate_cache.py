"""The gate remembers parts it has vetted, by content and limits; a refused part is refused every time."""

from __future__ import annotations

import hashlib

import pytest

from drafting.errors import UnsafeXml
from drafting.wordml import gate
from drafting.wordml.gate import GateLimits, open_package
from tests.unit.test_gate import W, docx, nested

STYLES = f"<w:styles {W}><w:style w:styleId='Normal'/></w:styles>".encode()


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = gate._parse

    def counting(parts, part, name, limits):  # type: ignore[no-untyped-def]
        parsed.append(part)
        return original(parts, part, name, limits)

    monkeypatch.setattr(gate, "_parse", counting)
    monkeypatch.setattr(gate, "_VETTED", type(gate._VETTED)())
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
    refused = hashlib.sha256(nested(1000)).hexdigest()
    assert all(key[0] != refused for key in gate._VETTED)
