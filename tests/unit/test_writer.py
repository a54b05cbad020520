"""The writer: deterministic packages, native tracked changes and comments that read back as intended."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from pydantic import ValidationError

from drafting.errors import InvalidInput
from drafting.wordml._safexml import parse_part
from drafting.wordml.models import ChangeType, MarkState, SegmentKind
from drafting.wordml.reader import read_docx
from drafting.wordml.writer import (
    OutComment,
    OutParagraph,
    OutRun,
    stamp_custom_properties,
    write_docx,
)
from flows import samples
from tests.docxbuild import build_docx

SAMPLE = samples.docx_path(
    "en"
)  # the repository's own declaration: these tests need nothing beside the clone
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
}
T1, T2 = "2026-11-28T10:00:00Z", "2026-11-29T09:30:00Z"


def eq(text: str, **extra: object) -> OutRun:
    return OutRun(text=text, **extra)  # type: ignore[arg-type]


def ins(text: str, author: str, **extra: object) -> OutRun:
    return OutRun(text=text, kind=SegmentKind.INSERT, author=author, date=T1, **extra)  # type: ignore[arg-type]


def dele(text: str, author: str, **extra: object) -> OutRun:
    return OutRun(text=text, kind=SegmentKind.DELETE, author=author, date=T2, **extra)  # type: ignore[arg-type]


def part(docx: bytes, name: str) -> etree._Element:
    return parse_part(zipfile.ZipFile(io.BytesIO(docx)).read(name), part=name, name="test")


def names(element: etree._Element | None) -> list[str]:
    assert element is not None
    return [etree.QName(child).localname for child in element]


@pytest.fixture(scope="module")
def template() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def base(template: bytes) -> list[str]:
    return [p.text_accepted for p in read_docx(template).paragraphs]


def proposal(base: list[str]) -> tuple[list[OutParagraph], list[OutComment], str]:
    """Three delegations edit the sample: a word swap, a deleted paragraph, an added one, two comments and a reply."""
    paras = [OutParagraph(runs=[eq(text)], template_index=i) for i, text in enumerate(base)]
    head, tail = base[3].split(" the purposes", 1)
    paras[3] = OutParagraph(
        template_index=3,
        runs=[
            eq(head + " the "),
            dele("purposes", "Mexico", comment_ids=[7]),
            ins("aims", "Spain", comment_ids=[7]),
            eq(tail),
        ],
    )
    paras[5] = OutParagraph(
        template_index=5,
        runs=[dele(base[5], "France")],
        mark=MarkState.DELETED,
        mark_author="France",
        mark_date=T2,
    )
    added = OutParagraph(
        template_index=6, runs=[ins("Stressing the role of youth,", "Spain", comment_ids=[9])],
        mark=MarkState.INSERTED, mark_author="Spain", mark_date=T1, para_id="0A0B0C0D",
    )  # fmt: skip
    paras.insert(7, added)
    comments = [
        OutComment(
            id=7,
            author="Mexico",
            initials="MX",
            date=T1,
            text="We prefer the agreed language.\nSee A/RES/70/1.",
        ),
        OutComment(id=8, author="Spain", initials="ES", date=T2, text="Agreed in 2016.", parent=7),
        OutComment(
            id=9, author="France", initials="FR", date=T2, text="Which youth?", resolved=True
        ),
    ]
    intended = [*base]
    intended[3] = base[3].replace(" the purposes", " the aims", 1)
    intended.insert(7, "Stressing the role of youth,")
    del intended[5]
    return paras, comments, "\n".join(intended)


@pytest.fixture(scope="module")
def written(template: bytes, base: list[str]) -> bytes:
    paras, comments, _ = proposal(base)
    return write_docx(
        template, paras, comments=comments, custom_properties={"accord.round": "2"}, title="Rev.1"
    )


# --- determinism and package ---------------------------------------------------------------------------------


def test_same_input_gives_same_bytes(template: bytes, base: list[str], written: bytes) -> None:
    paras, comments, _ = proposal(base)
    again = write_docx(
        template, paras, comments=comments, custom_properties={"accord.round": "2"}, title="Rev.1"
    )
    assert again == written
    assert (
        write_docx(
            template,
            paras,
            comments=comments,
            custom_properties={"accord.round": "2"},
            title="Rev.1",
        )
        == written
    )


def test_zip_entries_are_fixed_and_ordered(template: bytes, written: bytes) -> None:
    infos = zipfile.ZipFile(io.BytesIO(written)).infolist()
    # the template's thumbnail pictures the template, not this document: it is dropped
    template_names = [
        n for n in zipfile.ZipFile(io.BytesIO(template)).namelist() if "thumbnail" not in n
    ]
    names = [info.filename for info in infos]
    assert names[: len(template_names)] == template_names
    assert names[len(template_names) :] == sorted(
        ["docProps/custom.xml", "word/comments.xml", "word/commentsExtended.xml"]
    )
    assert {(i.date_time, i.compress_type, i.external_attr, i.create_system) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, 0o100644 << 16, 3)
    }
    assert zipfile.ZipFile(io.BytesIO(written)).testzip() is None


def test_every_xml_part_parses_and_every_part_has_a_content_type(written: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(written))
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            part(written, name)
    types = part(written, "[Content_Types].xml")
    overrides = {o.get("PartName") for o in types if o.get("PartName")}
    assert {"/word/comments.xml", "/word/commentsExtended.xml", "/docProps/custom.xml"} <= overrides
    targets = {r.get("Target") for r in part(written, "word/_rels/document.xml.rels")}
    assert {"comments.xml", "commentsExtended.xml"} <= targets


def test_untouched_parts_keep_their_bytes(template: bytes, written: bytes) -> None:
    before, after = zipfile.ZipFile(io.BytesIO(template)), zipfile.ZipFile(io.BytesIO(written))
    rewritten = {
        "word/document.xml",
        "docProps/core.xml",
        "docProps/app.xml",
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
    }  # the body, the title, accord as the application, new parts
    untouched = [name for name in before.namelist() if name not in rewritten]
    assert "word/styles.xml" in untouched and "word/settings.xml" in untouched
    for name in untouched:
        assert after.read(name) == before.read(name), name


def test_core_properties_carry_title_and_fixed_time(written: bytes) -> None:
    core = part(written, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == "Rev.1"
    for local in ("created", "modified"):
        assert core.findtext(f"{{http://purl.org/dc/terms/}}{local}") == "2000-01-01T00:00:00Z"


# --- tracked changes and comments ----------------------------------------------------------------------------


def test_changes_are_native_with_unique_sequential_ids(written: bytes) -> None:
    body = part(written, "word/document.xml").find("w:body", NS)
    assert body is not None
    revisions = body.xpath(".//w:ins | .//w:del", namespaces=NS)
    ids = [int(r.get(f"{{{W}}}id")) for r in revisions]
    assert ids == list(range(10, 10 + len(ids)))  # after the largest comment id
    assert {r.get(f"{{{W}}}author") for r in revisions} == {"Mexico", "Spain", "France"}
    assert all(r.get(f"{{{W}}}date") in (T1, T2) for r in revisions)
    assert body.xpath(".//w:del//w:t", namespaces=NS) == []
    assert body.xpath("string(.//w:del/w:r/w:delText)", namespaces=NS) == "purposes"
    assert len(body.xpath("w:p/w:pPr/w:rPr/w:del", namespaces=NS)) == 1
    assert len(body.xpath("w:p/w:pPr/w:rPr/w:ins", namespaces=NS)) == 1
    assert body[-1].tag == f"{{{W}}}sectPr"


def test_comment_ranges_references_and_threads(written: bytes) -> None:
    body = part(written, "word/document.xml")
    for cid in ("7", "8", "9"):
        assert len(body.xpath(f"//w:commentRangeStart[@w:id='{cid}']", namespaces=NS)) == 1
        end = body.xpath(f"//w:commentRangeEnd[@w:id='{cid}']", namespaces=NS)[0]
        assert end.getnext().xpath("string(w:commentReference/@w:id)", namespaces=NS) == cid
    comments = part(written, "word/comments.xml")
    assert [c.get(f"{{{W}}}author") for c in comments] == ["Mexico", "Spain", "France"]
    extended = part(written, "word/commentsExtended.xml")
    last_para = {
        c.get(f"{{{W}}}id"): c.xpath("string(w:p[last()]/@w14:paraId)", namespaces=NS)
        for c in comments
    }
    entries = {e.get(f"{{{NS['w15']}}}paraId"): e for e in extended}
    reply = entries[last_para["8"]]
    assert reply.get(f"{{{NS['w15']}}}paraIdParent") == last_para["7"]
    assert entries[last_para["9"]].get(f"{{{NS['w15']}}}done") == "1"


def test_reading_back_gives_base_on_reject_and_intent_on_accept(
    base: list[str], written: bytes
) -> None:
    _, _, intended = proposal(base)
    reading = read_docx(written)
    assert reading.rejected_text == "\n".join(base)
    assert reading.accepted_text == intended
    assert reading.authors == ["France", "Mexico", "Spain"]
    kinds = {(c.type, c.author) for c in reading.changes}
    assert (ChangeType.PARAGRAPH_DELETE, "France") in kinds and (
        ChangeType.PARAGRAPH_INSERT,
        "Spain",
    ) in kinds
    assert reading.paragraphs[7].para_id == "0A0B0C0D"
    assert reading.custom_properties == {"accord.round": "2"}


def test_comments_read_back_with_anchor_parent_and_state(written: bytes) -> None:
    comments = {c.id: c for c in read_docx(written).comments}
    assert comments["7"].text == "We prefer the agreed language.\nSee A/RES/70/1."
    assert comments["7"].anchor == "purposesaims"
    assert (
        comments["8"].parent == "7" and comments["8"].anchor == comments["7"].anchor
    )  # a reply shares the range
    assert comments["9"].resolved and comments["9"].initials == "FR"


def test_breaks_tabs_bold_and_highlight(template: bytes) -> None:
    para = OutParagraph(
        runs=[eq("[a\tb\nc]", bold=True, highlight="yellow"), dele("x\ty", "Chile")]
    )
    written = write_docx(template, [para])
    run = part(written, "word/document.xml").xpath("//w:body/w:p/w:r", namespaces=NS)[0]
    assert names(run) == ["rPr", "t", "tab", "t", "br", "t"]
    assert names(run[0]) == ["b", "highlight"]
    reading = read_docx(written)
    assert (reading.accepted_text, reading.rejected_text) == ("[a\tb\nc]", "[a\tb\nc]x\ty")


def test_both_flags_on_one_mark(template: bytes) -> None:
    paras = [
        OutParagraph(runs=[eq("One")], mark=MarkState.BOTH, mark_author="Peru", mark_date=T1),
        OutParagraph(runs=[eq("Two")]),
    ]
    written = write_docx(template, paras)
    flags = part(written, "word/document.xml").xpath("//w:p[1]/w:pPr/w:rPr/*", namespaces=NS)
    assert [etree.QName(f).localname for f in flags] == ["ins", "del"]
    reading = read_docx(written)
    assert reading.accepted_text == reading.rejected_text == "OneTwo"


def added(text: str, author: str = "Cuba") -> OutParagraph:
    return OutParagraph(
        runs=[ins(text, author)], mark=MarkState.INSERTED, mark_author=author, mark_date=T1
    )


def removed(text: str, author: str = "Peru") -> OutParagraph:
    return OutParagraph(
        runs=[dele(text, author)], mark=MarkState.DELETED, mark_author=author, mark_date=T2
    )


@pytest.mark.parametrize(
    ("tail", "accepted", "rejected"),
    [
        ([added("New")], "First\nNew", "First"),
        ([added("New"), added("Newer")], "First\nNew\nNewer", "First"),
        ([removed("Old")], "First", "First\nOld"),
        ([added("New"), removed("Old")], "First\nNew", "First\nOld"),
        ([removed("Old"), added("New")], "First\nNew", "First\nOld"),
    ],
    ids=["added", "two-added", "deleted", "replaced", "deleted-then-added"],
)
def test_no_flag_stays_on_the_final_mark(
    template: bytes, tail: list[OutParagraph], accepted: str, rejected: str
) -> None:
    reading = read_docx(write_docx(template, [OutParagraph(runs=[eq("First")]), *tail]))
    assert reading.paragraphs[-1].mark is MarkState.NORMAL
    assert MarkState.BOTH not in {
        p.mark for p in reading.paragraphs
    }  # LibreOffice drops w:ins from such a mark
    assert (reading.accepted_text, reading.rejected_text) == (accepted, rejected)


def test_a_final_mark_flag_that_cannot_move_is_dropped(template: bytes) -> None:
    merged = OutParagraph(
        runs=[eq("Kept text")], mark=MarkState.DELETED, mark_author="Peru", mark_date=T2
    )
    reading = read_docx(write_docx(template, [OutParagraph(runs=[eq("First")]), merged]))
    assert [p.mark for p in reading.paragraphs] == [MarkState.NORMAL, MarkState.NORMAL]
    assert reading.accepted_text == reading.rejected_text == "First\nKept text"


# --- template formatting -------------------------------------------------------------------------------------

_NUMBERED = (
    '<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    '<w:jc w:val="both"/><w:rPr><w:del w:id="1" w:author="x" w:date="2020-01-01T00:00:00Z"/><w:i/></w:rPr>'
    '<w:pPrChange w:id="2" w:author="x"><w:pPr/></w:pPrChange></w:pPr>'
    '<w:r><w:rPr><w:rFonts w:ascii="Arial"/><w:sz w:val="24"/><w:rPrChange w:id="3" w:author="x"><w:rPr/></w:rPrChange>'
    "</w:rPr><w:t>Zero draft.</w:t></w:r></w:p>"
    '<w:p><w:pPr><w:sectPr><w:pgSz w:w="100"/></w:sectPr></w:pPr><w:r><w:t>Section end</w:t></w:r></w:p>'
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
)


def test_paragraph_and_run_properties_come_from_the_template() -> None:
    template = build_docx(
        _NUMBERED, styles_xml='<w:style w:type="paragraph" w:styleId="ListParagraph"/>'
    )
    paras = [
        OutParagraph(
            runs=[eq("Kept", highlight="green", bold=True), ins(" added", "Chile")],
            template_index=0,
        ),
        OutParagraph(runs=[eq("Restyled")], template_index=0, style="Heading1"),
        OutParagraph(runs=[eq("No section break")], template_index=1),
        OutParagraph(runs=[eq("From a cell")], template_index=2, style="Title"),
    ]
    body = part(write_docx(template, paras), "word/document.xml").find("w:body", NS)
    assert body is not None
    assert names(body[0].find("w:pPr", NS)) == ["pStyle", "numPr", "jc", "rPr"]
    assert names(body[0].find("w:pPr/w:rPr", NS)) == ["i"]  # the template's revisions dropped
    for run in body[0].iter(f"{{{W}}}r"):
        assert run.xpath("string(w:rPr/w:rFonts/@w:ascii)", namespaces=NS) == "Arial"
    assert names(body[0].find("w:r/w:rPr", NS)) == [
        "rFonts",
        "b",
        "sz",
        "highlight",
    ]  # schema order
    assert body[1].xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == "Heading1"
    assert body[1].xpath("count(w:pPr/w:pStyle)", namespaces=NS) == 1
    assert body.xpath("count(.//w:sectPr)", namespaces=NS) == 1 and body[-1].tag == f"{{{W}}}sectPr"
    assert body[3].xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == "Title"


def test_para_ids_declare_w14_when_the_template_does_not() -> None:
    bare = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>'
    )
    written = write_docx(build_docx(bare), [OutParagraph(runs=[eq("y")], para_id="12345678")])
    root = part(written, "word/document.xml")
    assert root.nsmap["w14"] == NS["w14"]
    assert (
        "w14"
        in root.get(
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable", ""
        ).split()
    )
    assert read_docx(written).paragraphs[0].para_id == "12345678"
    assert "docProps/core.xml" in zipfile.ZipFile(io.BytesIO(written)).namelist()


def test_the_template_comments_are_replaced() -> None:
    old = '<w:comment w:id="0" w:author="Old"><w:p><w:r><w:t>stale</w:t></w:r></w:p></w:comment>'
    template = build_docx(
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>x</w:t></w:r></w:p>', comments_xml=old
    )
    written = write_docx(template, [OutParagraph(runs=[eq("y")])])
    assert read_docx(written).comments == []


# --- custom properties ---------------------------------------------------------------------------------------


def test_custom_properties_round_trip_and_merge(template: bytes) -> None:
    written = write_docx(
        template, [OutParagraph(runs=[eq("x")])], custom_properties={"b": "2", "a": "1 & <1>"}
    )
    assert read_docx(written).custom_properties == {"a": "1 & <1>", "b": "2"}
    stamped = stamp_custom_properties(written, {"b": "3", "c": "x"})
    assert read_docx(stamped).custom_properties == {"a": "1 & <1>", "b": "3", "c": "x"}
    pids = part(stamped, "docProps/custom.xml").xpath("//@pid")
    assert pids == ["2", "3", "4"]
    assert stamp_custom_properties(written, {"b": "3", "c": "x"}) == stamped


def test_stamping_leaves_every_other_part_as_it_was(template: bytes) -> None:
    stamped = stamp_custom_properties(template, {"accord.sha256": "ab" * 32})
    before, after = zipfile.ZipFile(io.BytesIO(template)), zipfile.ZipFile(io.BytesIO(stamped))
    changed = {
        n for n in after.namelist() if n not in before.namelist() or after.read(n) != before.read(n)
    }
    assert changed == {"docProps/custom.xml", "_rels/.rels", "[Content_Types].xml"}
    again = stamp_custom_properties(stamped, {"accord.sha256": "cd" * 32})
    changed = {
        n for n in after.namelist() if zipfile.ZipFile(io.BytesIO(again)).read(n) != after.read(n)
    }
    assert changed == {"docProps/custom.xml"}


# --- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paras", "comments", "message"),
    [
        ([OutParagraph(runs=[eq("x", comment_ids=[5])])], [], "names comment 5"),
        (
            [OutParagraph(runs=[eq("x")])],
            [OutComment(id=1, author="A", initials="A", date=T1, text="t")],
            "covers no run",
        ),
        ([OutParagraph(runs=[eq("x")], template_index=99)], [], "outside the template"),
        (
            [OutParagraph(runs=[eq("x", comment_ids=[1])])],
            [OutComment(id=1, author="A", initials="A", date=T1, text="t", parent=2)],
            "replies to comment 2",
        ),
        (
            [OutParagraph(runs=[eq("x", comment_ids=[1])])],
            [
                OutComment(id=1, author="A", initials="A", date=T1, text="t"),
                OutComment(id=1, author="B", initials="B", date=T1, text="u"),
            ],
            "share an id",
        ),
    ],
)
def test_inconsistent_input_is_refused(
    template: bytes, paras: list[OutParagraph], comments: list[OutComment], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        write_docx(template, paras, comments=comments)


@pytest.mark.parametrize(
    "make",
    [
        lambda: OutRun(text="x", kind=SegmentKind.INSERT),
        lambda: OutRun(text="x", kind=SegmentKind.DELETE, author="A", date="2026-11-28 10:00"),
        lambda: OutRun(text="bell\x07"),
        lambda: OutParagraph(mark=MarkState.DELETED),
        lambda: OutParagraph(para_id="80000000"),
    ],
)
def test_malformed_models_are_refused(make: object) -> None:
    with pytest.raises(ValidationError):
        make()  # type: ignore[operator]
