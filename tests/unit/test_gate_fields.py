"""Field codes at the gate: ordinary fields pass; fields that load content from outside the file pass with a
warning worded for each upload (even when the part was vetted before, under another name); the refusals (DDE and
its disguises) are in the catalogue, tests/hostile.py."""

from __future__ import annotations

import pytest

from drafting.errors import MacroContent
from drafting.lru import Lru
from drafting.wordml import gate
from drafting.wordml.gate import open_package
from drafting.wordml.reader import read_docx
from tests.gatebuild import W, body, docx, field

PICTURE = field(' INCLUDEPICTURE "http://example.org/logo.png" \\* MERGEFORMATINET ')


def _warnings(upload: bytes, name: str = "MX.docx") -> list[str]:
    return [
        w.message for w in open_package(upload, name=name).warnings if w.code == "external-field"
    ]


@pytest.fixture(autouse=True)
def _fresh_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "_VETTED", Lru(gate._VETTED.maxsize))


@pytest.mark.parametrize(
    "instruction",
    [
        " PAGE ",
        ' TOC \\o "1-3" \\h \\z \\u ',
        ' HYPERLINK "http://example.org" ',
        " PAGEREF _Toc1 \\h ",
        ' DATE \\@ "d MMMM yyyy" ',
        " SEQ Table \\* ARABIC ",
        " NOTEREF _Ref1 \\f \\h  \\* MERGEFORMAT ",
    ],
)
def test_ordinary_fields_pass_without_a_warning(instruction: str) -> None:
    assert _warnings(docx(document=body(field(instruction)))) == []


def test_a_field_nested_after_its_kind_passes() -> None:
    """IF compares a nested field's result: its own kind comes first, so nothing is disguised."""
    inner = field(" DOCPROPERTY Author ")[5:-6]  # without its paragraph
    upload = docx(
        document=body(
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText>'
            f'</w:r>{inner}<w:r><w:instrText xml:space="preserve"> = "Bolivia" "yes" "no" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>yes</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )
    )
    assert _warnings(upload) == []


def test_a_field_that_loads_a_picture_from_a_server_is_a_warning_naming_it() -> None:
    messages = _warnings(
        docx(document=body(PICTURE + PICTURE + field(' INCLUDETEXT "\\\\\\\\srv\\\\x.docx" ')))
    )
    assert len(messages) == 2
    assert (
        messages[0].startswith("MX.docx: 2 INCLUDEPICTURE field(s)")
        and "'http://example.org/logo.png'" in messages[0]
    )
    assert (
        messages[1].startswith("MX.docx: 1 INCLUDETEXT field(s)")
        and "never fetched by accord" in messages[1]
    )


def test_the_warning_names_each_upload_even_when_the_part_was_vetted_before() -> None:
    header = f"<w:hdr {W}>{PICTURE}</w:hdr>".encode()
    assert _warnings(docx(extra={"word/header1.xml": header}), "MX.docx")[0].startswith(
        "MX.docx: 1 INCLUDEPICTURE"
    )
    again = _warnings(
        docx(extra={"word/header1.xml": header}), "FR.docx"
    )  # the same header: vetted by fingerprint
    assert len(again) == 1 and again[0].startswith("FR.docx: 1 INCLUDEPICTURE")


def test_the_reading_carries_the_warning() -> None:
    reading = read_docx(docx(document=body(PICTURE)), name="MX.docx")
    assert [w.code for w in reading.warnings] == ["external-field"]


def test_a_refused_field_is_refused_again_when_the_part_comes_back() -> None:
    upload = docx(document=body(field(" DDEAUTO cmd")))
    for name in ("MX.docx", "FR.docx"):
        with pytest.raises(
            MacroContent, match=f"^{name}: refused, part 'word/document.xml' has a DDEAUTO field"
        ):
            open_package(upload, name=name)
