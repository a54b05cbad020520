"""The compilation's first page (issue 14, item 2): round, base version, deadline, who answered and a legend of the
parties, in a first-page header (w:titlePg) that repeats the identity, so the body stays the text a co-presidency
returns with its decisions, and every page still says what the document is."""

from __future__ import annotations

from lxml import etree

from drafting.compilation import Received, compilation_document, cover_lines
from drafting.merge import Merged, MergedProposal
from drafting.wordml.reader import read_docx
from drafting.wordml.writer import OutIdentity
from tests import factories
from tests.unit.test_document_identity import NS, R, W, parts, text_of

NAMES = {"AR": "Argentina", "AT": "Austria", "MX": "Mexico"}
IDENTITY = OutIdentity(header=["EU/L.1 Compilation, round 2 on Rev.1", "Draft"], footer="EU/L.1")


def merged() -> Merged:
    def proposal(pid: str, parties: list[str], start: int) -> MergedProposal:
        text = factories.base_text().paragraphs[0].text
        at = text.index(" ", start)  # a space of the first paragraph, replaced by " - "
        return MergedProposal(
            id=pid,
            parties=parties,
            paragraph="p001",
            start=at,
            end=at + 1,
            deleted=" ",
            inserted=" - ",
            sources=[f"{pid}.{p}" for p in parties],
        )

    return Merged(
        proposals=[proposal("P001", ["MX"], 0), proposal("P002", ["AR", "MX"], 10)], conflicts=[]
    )


def lines() -> list[str]:
    return cover_lines(
        merged(),
        NAMES,
        round_number=2,
        version="Rev.1",
        deadline="Fri 04 Dec 2026 18:00 CET",
        received=Received(delegations=12, of=58),
    )


def test_the_cover_says_round_base_deadline_answers_and_each_proposing_party_once_by_code() -> None:
    text = "\n".join(lines())
    for words in (
        "Compilation of proposals, round 2",
        "Base version: Rev.1",
        "Deadline: Fri 04 Dec 2026 18:00 CET",
        "Received from 12 of 58 delegations",
        "2 amendments",
        "amendment id (P001",
        "Parties (amendments): AR Argentina (1); MX Mexico (2)",
    ):
        assert words in text, words
    assert "Austria" not in text  # made no proposal


def test_who_answered_in_words() -> None:
    assert Received(1, 1).said() == "Received from 1 of 1 delegation"
    assert (
        Received(0, 58, co_presidencies=1).said()
        == "Received from 0 of 58 delegations and 1 co-presidency"
    )
    assert Received(3, 58, co_presidencies=2).said().endswith("and 2 co-presidencies")


def document(cover: list[str] | None) -> bytes:
    return compilation_document(
        factories.zero_draft(),
        factories.base_text(),
        merged(),
        names=NAMES,
        date="2026-12-04T18:00:00Z",
        stamp={},
        title="t",
        identity=IDENTITY,
        cover=cover,
    )


def test_page_one_has_the_identity_then_the_cover_and_every_other_page_the_identity() -> None:
    package = parts(document(lines()))
    first = text_of(package["word/header-accord-first.xml"])
    assert first.startswith(
        "EU/L.1 Compilation, round 2 on Rev.1Draft|Compilation of proposals, round 2|"
    )
    assert "Compilation of proposals" not in text_of(package["word/header-accord.xml"])
    rels = {
        r.get("Id"): r.get("Target")
        for r in etree.fromstring(package["word/_rels/document.xml.rels"])
    }
    for section in etree.fromstring(package["word/document.xml"]).iter(f"{{{W}}}sectPr"):
        refs = {
            (ref.tag.split("}")[1], ref.get(f"{{{W}}}type"), rels[ref.get(f"{{{R}}}id")])
            for ref in section
            if ref.tag in (f"{{{W}}}headerReference", f"{{{W}}}footerReference")
        }
        assert refs == {
            ("headerReference", "default", "header-accord.xml"),
            ("headerReference", "first", "header-accord-first.xml"),
            ("footerReference", "default", "footer-accord.xml"),
            ("footerReference", "first", "footer-accord.xml"),
        }  # page X of Y on page 1 too
        names = [etree.QName(child).localname for child in section]
        assert "titlePg" in names and names.index("titlePg") > names.index(
            "pgMar"
        )  # in its schema place


def test_the_body_is_the_same_with_or_without_the_cover() -> None:
    with_cover, without = read_docx(document(lines())), read_docx(document(None))
    assert [(p.text_accepted, p.text_rejected) for p in with_cover.paragraphs] == [
        (p.text_accepted, p.text_rejected) for p in without.paragraphs
    ]
    assert (
        "header-accord-first.xml"
        not in parts(document(None))["word/_rels/document.xml.rels"].decode()
    )


def test_without_identity_there_is_no_cover() -> None:
    plain = compilation_document(
        factories.zero_draft(),
        factories.base_text(),
        merged(),
        names=NAMES,
        date="2026-12-04T18:00:00Z",
        stamp={},
        title="t",
        identity=None,
        cover=lines(),
    )
    assert not any(name.startswith("word/header") for name in parts(plain))
    assert NS  # the namespaces the identity tests use
