"""One character stored two ways is one character (drafting/characters.py): a delegation that did not touch a word
never appears to have changed it, and a real change beside such a character is exactly one proposal."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.characters import canonical, conform
from drafting.documents import render_version, zero_draft_from_reading
from drafting.proposals import Proposal, base_string, derive_proposals
from drafting.text import DraftText
from drafting.wordml.models import Reading
from drafting.wordml.reader import read_docx
from tests.docxbuild import build_docx
from tests.readerbuild import DATE, dele, ins, p, r, read

WINGDINGS = '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>'

# Two stored forms of the same text (run content), as Word, LibreOffice or another generator write it.
SPELLINGS: dict[str, tuple[str, str]] = {
    "non-breaking hyphen": (
        "<w:r><w:t>anti\u2011corruption</w:t></w:r>",
        "<w:r><w:t>anti</w:t><w:noBreakHyphen/><w:t>corruption</w:t></w:r>",
    ),
    "soft hyphen": (
        "<w:r><w:t>traf\u00adficking</w:t></w:r>",
        "<w:r><w:t>traf</w:t><w:softHyphen/><w:t>ficking</w:t></w:r>",
    ),
    "symbol": (
        '<w:r><w:t>peace</w:t><w:sym w:font="Wingdings" w:char="F04A"/></w:r>',
        f"<w:r><w:t>peace</w:t></w:r><w:r>{WINGDINGS}<w:t>\uf04a</w:t></w:r>",
    ),
    "no-break space": (
        "<w:r><w:t>10\u00a0000 people</w:t></w:r>",
        "<w:r><w:t>10 000\u202fpeople</w:t></w:r>",
    ),
    "tab": (
        '<w:r><w:t xml:space="preserve">a\tb</w:t></w:r>',
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>",
    ),
    "positional tab": (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>",
        '<w:r><w:t>a</w:t><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/><w:t>b</w:t></w:r>',
    ),
    "line break": (
        "<w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r>",
        "<w:r><w:t>a</w:t><w:cr/><w:t>b</w:t></w:r>",
    ),
    "line feed in w:t": (
        '<w:r><w:t xml:space="preserve">a\nb</w:t></w:r>',
        "<w:r><w:t>a b</w:t></w:r>",
    ),
    "xml:space": ("<w:r><w:t>  agenda  </w:t></w:r>", "<w:r><w:t>agenda</w:t></w:r>"),
    "run splitting": (
        "<w:r><w:t>combat trafficking</w:t></w:r>",
        '<w:r><w:t>com</w:t></w:r><w:r><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">bat </w:t>'
        "<w:t>traf</w:t></w:r><w:r><w:t>ficking</w:t></w:r>",
    ),
}
CASES = [
    pytest.param(name, way, id=f"{name}-{way}")
    for name in SPELLINGS
    for way in ("as-stored", "reversed")
]


def document(middle: str, after: str = r(" measures by 2030.")) -> Reading:
    """Two paragraphs, the first holding ``middle`` between words."""
    return read(p(r("We will take ") + middle + after) + p(r("We decide to meet again.")))


def forms(name: str, way: str) -> tuple[str, str]:
    """(the base's stored form, the submission's)."""
    first, second = SPELLINGS[name]
    return (first, second) if way == "as-stored" else (second, first)


def proposals_of(submission: Reading, base: DraftText) -> list[Proposal]:
    return derive_proposals(submission, base, party="CL", submission=1).proposals


@pytest.mark.parametrize(("name", "way"), CASES)
def test_the_other_stored_form_is_no_amendment(name: str, way: str) -> None:
    base_form, other = forms(name, way)
    base = zero_draft_from_reading(document(base_form), name="zero.docx")
    assert proposals_of(document(other), base) == []


@pytest.mark.parametrize(("name", "way"), CASES)
def test_an_untracked_change_beside_it_is_exactly_one_amendment(name: str, way: str) -> None:
    base_form, other = forms(name, way)
    base = zero_draft_from_reading(document(base_form), name="zero.docx")
    [proposal] = proposals_of(document(other, r(" steps by 2030.")), base)
    assert (proposal.deleted, proposal.inserted, proposal.untracked) == ("measures", "steps", True)
    assert base_string(base)[proposal.start : proposal.end] == "measures"


@pytest.mark.parametrize(("name", "way"), CASES)
def test_a_tracked_change_beside_it_is_exactly_one_amendment(name: str, way: str) -> None:
    base_form, other = forms(name, way)
    base = zero_draft_from_reading(document(base_form), name="zero.docx")
    after = (
        r(" ")
        + dele("<w:r><w:delText>measures</w:delText></w:r>")
        + ins(r("steps"))
        + r(" by 2030.")
    )
    [proposal] = proposals_of(document(other, after), base)
    assert (proposal.deleted, proposal.inserted, proposal.untracked) == ("measures", "steps", False)
    assert base_string(base)[proposal.start : proposal.end] == "measures"


def test_a_change_of_the_hyphenated_word_itself_keeps_the_base_hyphen_out_of_it() -> None:
    base = zero_draft_from_reading(document(SPELLINGS["non-breaking hyphen"][0]), name="zero.docx")
    [proposal] = proposals_of(
        document("<w:r><w:t>anti</w:t><w:noBreakHyphen/><w:t>bribery</w:t></w:r>"), base
    )
    # a hyphenated word is one word (drafting.amendments): the whole word is replaced, and both sides carry the
    # same hyphen, U+2011, whichever way the file stored it
    assert (proposal.deleted, proposal.inserted) == ("anti\u2011corruption", "anti\u2011bribery")


def test_accords_own_copy_keeps_the_non_breaking_hyphen_and_its_libreoffice_form_is_no_amendment() -> (
    None
):
    zero = build_docx(p(r("anti\u2011corruption ")) + p(r("x")))
    base = zero_draft_from_reading(read_docx_of(zero), name="zero.docx")
    rendered = render_version(zero, base, title="Zero draft", stamp={})
    assert "anti\u2011corruption" in document_xml(rendered)
    assert zero_draft_from_reading(read_docx_of(rendered), name="copy.docx") == base
    as_libreoffice_saves_it = rendered_with(
        rendered, "\u2011", '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
    )
    assert proposals_of(read_docx_of(as_libreoffice_saves_it), base) == []


def test_the_reader_shows_what_word_and_libreoffice_show() -> None:
    reading = read(
        p('<w:r><w:t> trimmed </w:t><w:t xml:space="preserve"> kept </w:t></w:r>')
        + p(SPELLINGS["soft hyphen"][0] + SPELLINGS["symbol"][1])
        + p(SPELLINGS["line feed in w:t"][0]),
        comments_xml=f'<w:comment w:id="0" w:author="CL" w:date="{DATE}"><w:p><w:r><w:t>a\u00ad\nb</w:t></w:r>'
        "</w:p></w:comment>",
    )
    assert reading.accepted_text == "trimmed kept \ntraffickingpeace\na b"
    assert reading.comments[0].text == "a b"


SPELT = st.sampled_from(["-", "\u2011", " ", "\u00a0", "\u202f", "a", "b", "\n", "\u2029"])


@given(st.text(SPELT, max_size=40), st.text(SPELT, max_size=40))
def test_conform_keeps_the_length_and_the_canonical_text(text: str, base: str) -> None:
    conformed = conform(text, base)
    assert len(conformed) == len(text) and canonical(conformed) == canonical(text)


@given(st.text(SPELT, max_size=40), st.data())
def test_a_respelt_base_conforms_to_the_base(base: str, data: st.DataObject) -> None:
    respelt = "".join(data.draw(st.sampled_from(sorted({c, canonical(c)}))) for c in base)
    assert conform(respelt, base) == base


def read_docx_of(data: bytes) -> Reading:
    return read_docx(data, name="copy.docx")


def document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def rendered_with(data: bytes, old: str, new: str) -> bytes:
    """The package with ``old`` replaced by ``new`` in word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            target.writestr(
                item,
                part.decode("utf-8").replace(old, new)
                if item.filename == "word/document.xml"
                else part,
            )
    return out.getvalue()
