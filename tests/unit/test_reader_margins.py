"""Headers and footers are not part of the negotiated text: the reader does not take changes there as proposals,
and says so in a warning instead of dropping them silently (corpus file oxsdk_Comment042 has four)."""

from __future__ import annotations

from drafting.wordml.reader import read_docx
from tests.gatebuild import W, body, docx

HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CHANGE = ('<w:p><w:ins w:id="1" w:author="Fiji" w:date="2026-11-28T00:00:00Z"><w:r><w:t>Draft</w:t></w:r></w:ins>'
          '<w:del w:id="2" w:author="Fiji"><w:r><w:delText>Final</w:delText></w:r></w:del></w:p>')
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
    assert message.startswith("2 tracked change(s) in the header 'word/header1.xml': headers and footers are not")


def test_each_margin_with_changes_is_named() -> None:
    warnings = _read(**{"word/header1.xml": (CHANGE, HEADER), "word/footer1.xml": (CHANGE, FOOTER),
                        "word/footer2.xml": (TEXT, FOOTER)})
    assert [message.split(":")[0] for _, message in warnings] == [
        "2 tracked change(s) in the footer 'word/footer1.xml'", "2 tracked change(s) in the header 'word/header1.xml'",
    ]


def test_a_margin_without_changes_says_nothing() -> None:
    assert _read(**{"word/header1.xml": ("<w:p><w:r><w:t>Insert the date</w:t></w:r></w:p>", HEADER)}) == []
