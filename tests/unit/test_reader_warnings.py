"""What the reader warns about instead of reading it as text: hidden and white text, and tracked changes in
headers and footers (they are no proposals, and corpus file oxsdk_Comment042 has four)."""

from __future__ import annotations

import pytest

from drafting.wordml.reader import read_docx
from tests.gatebuild import W, body, docx
from tests.readerbuild import (
    dele,
    p,
    r,
    read,
)

HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CHANGE = (
    '<w:p><w:ins w:id="1" w:author="Fiji" w:date="2026-11-28T00:00:00Z"><w:r><w:t>Draft</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="Fiji"><w:r><w:delText>Final</w:delText></w:r></w:del></w:p>'
)
TEXT = "<w:p><w:r><w:t>Political declaration</w:t></w:r></w:p>"


def _read(**margins: tuple[str, str]) -> list[tuple[str, str]]:
    extra = {part: f"<w:hdr {W}>{xml}</w:hdr>".encode() for part, (xml, _) in margins.items()}
    overrides = {part: kind for part, (_, kind) in margins.items()}
    reading = read_docx(docx(document=body(TEXT), extra=extra, overrides=overrides), name="MX.docx")
    assert reading.accepted_text == "Political declaration"  # the margins never enter the text
    return [(w.code, w.message) for w in reading.warnings]


def test_changes_in_a_header_are_a_warning_not_a_proposal() -> None:
    [(code, message)] = _read(**{"word/header1.xml": (CHANGE, HEADER)})
    assert code == "margin-change"
    assert message.startswith(
        "2 tracked change(s) in the header 'word/header1.xml': headers and footers are not"
    )


def test_each_margin_with_changes_is_named() -> None:
    warnings = _read(
        **{
            "word/header1.xml": (CHANGE, HEADER),
            "word/footer1.xml": (CHANGE, FOOTER),
            "word/footer2.xml": (TEXT, FOOTER),
        }
    )
    assert [message.split(":")[0] for _, message in warnings] == [
        "2 tracked change(s) in the footer 'word/footer1.xml'",
        "2 tracked change(s) in the header 'word/header1.xml'",
    ]


def test_changes_in_a_utf16_header_are_found_too() -> None:
    header = f'<?xml version="1.0" encoding="UTF-16"?><w:hdr {W}>{CHANGE}</w:hdr>'.encode("utf-16")
    reading = read_docx(
        docx(
            document=body(TEXT),
            extra={"word/header1.xml": header},
            overrides={"word/header1.xml": HEADER},
        ),
        name="MX.docx",
    )
    assert [w.code for w in reading.warnings] == ["margin-change"]


def test_a_margin_without_changes_says_nothing() -> None:
    assert (
        _read(**{"word/header1.xml": ("<w:p><w:r><w:t>Insert the date</w:t></w:r></w:p>", HEADER)})
        == []
    )


# ---- warnings -------------------------------------------------------------------------------------------


def test_hidden_text_warning_names_the_paragraph() -> None:
    body = (
        p(r("Visible"))
        + p(r("Seen ") + r("secret clause", rpr="<w:vanish/>"))
        + p(dele(r("x", rpr="<w:vanish/>")))
    )
    warnings = read(body).warnings
    assert [(w.code, w.paragraph) for w in warnings] == [("hidden-text", 1)]
    assert "paragraph 1" in warnings[0].message and "secret clause" in warnings[0].message


def test_hidden_text_through_a_character_style() -> None:
    styles = (
        '<w:style w:type="character" w:styleId="Base"><w:rPr><w:vanish/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Quiet"><w:basedOn w:val="Base"/></w:style>'
    )
    body = p(r("shh", rpr='<w:rStyle w:val="Quiet"/>')) + p(
        r("loud", rpr='<w:rStyle w:val="Quiet"/><w:vanish w:val="0"/>')
    )
    warnings = read(body, styles_xml=styles).warnings
    assert [(w.code, w.paragraph) for w in warnings] == [("hidden-text", 0)]


@pytest.mark.parametrize(
    ("rpr", "ppr", "warned"),
    [
        ('<w:color w:val="FFFFFF"/>', "", True),
        ('<w:color w:val="ffffff"/><w:highlight w:val="white"/>', "", True),
        ('<w:color w:val="FFFF00"/><w:highlight w:val="yellow"/>', "", True),
        (
            '<w:color w:val="1F3864"/><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>',
            "",
            True,
        ),
        (
            '<w:color w:val="FFFFFF"/>',
            '<w:shd w:val="clear" w:color="auto" w:fill="000000"/>',
            False,
        ),
        ('<w:color w:val="FFFFFF"/><w:highlight w:val="black"/>', "", False),
        ('<w:color w:val="auto"/>', "", False),
        ('<w:color w:val="FF0000"/>', "", False),
    ],
)
def test_white_text_warning(rpr: str, ppr: str, warned: bool) -> None:
    reading = read(p(r("Plain ") + r("invisible words", rpr=rpr), ppr=ppr))
    assert [(w.code, w.paragraph) for w in reading.warnings] == (
        [("white-text", 0)] if warned else []
    )
