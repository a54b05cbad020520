"""The WordprocessingML reader on small hand-built fragments: one test per kind of tracked change, paragraph
mark, table change and run content; comments and warnings have files of their own."""

from __future__ import annotations

import hashlib

import pytest

from drafting.errors import NotAWordFile
from drafting.wordml.models import (
    ChangeType,
    MarkState,
    Segment,
    SegmentKind,
    TrackedChange,
)
from drafting.wordml.reader import read_docx
from tests.docxbuild import build_docx, custom_props_xml
from tests.readerbuild import (
    DATE,
    cell,
    dele,
    dr,
    ins,
    kinds,
    mark,
    p,
    r,
    read,
    row,
    table,
)

# ---- run-level changes ----------------------------------------------------------------------------------


def test_insert() -> None:
    reading = read(p(r("The ") + ins(r("new ")) + r("text")))
    assert reading.accepted_text == "The new text"
    assert reading.rejected_text == "The text"
    assert reading.changes == [
        TrackedChange(
            id="1",
            type=ChangeType.INSERT,
            author="Austria",
            date=DATE,
            paragraph=0,
            part="body",
            text="new ",
        )
    ]
    assert reading.paragraphs[0].segments == [
        Segment(text="The "),
        Segment(text="new ", kind=SegmentKind.INSERT, author="Austria", date=DATE, change_id="1"),
        Segment(text="text"),
    ]


def test_delete() -> None:
    reading = read(p(r("The ") + dele(dr("old ")) + r("text")))
    assert (reading.accepted_text, reading.rejected_text) == ("The text", "The old text")
    [change] = reading.changes
    assert (change.type, change.author, change.text, change.paragraph) == (
        ChangeType.DELETE,
        "Brazil",
        "old ",
        0,
    )
    assert kinds(reading) == [("equal", "The "), ("delete", "old "), ("equal", "text")]
    assert reading.paragraphs[0].text_accepted == "The text"
    assert reading.paragraphs[0].text_rejected == "The old text"


def test_move_from_and_move_to() -> None:
    body = p(
        '<w:moveFromRangeStart w:id="10" w:author="Chile" w:name="move1"/>'
        + dele(r("Moved words. "), cid="11", author="Chile", tag="moveFrom")
        + '<w:moveFromRangeEnd w:id="10"/>'
        + r("Stays.")
    ) + p(
        r("Second. ")
        + '<w:moveToRangeStart w:id="12" w:author="Chile" w:name="move1"/>'
        + ins(r("Moved words. "), cid="13", author="Chile", tag="moveTo")
        + '<w:moveToRangeEnd w:id="12"/>'
    )
    reading = read(body)
    assert reading.accepted_text == "Stays.\nSecond. Moved words. "
    assert reading.rejected_text == "Moved words. Stays.\nSecond. "
    assert [(c.id, c.type, c.paragraph, c.text) for c in reading.changes] == [
        ("11", ChangeType.MOVE_FROM, 0, "Moved words. "),
        ("13", ChangeType.MOVE_TO, 1, "Moved words. "),
    ]
    moved = [seg for para in reading.paragraphs for seg in para.segments if seg.moved]
    assert [(seg.kind, seg.change_id) for seg in moved] == [
        (SegmentKind.DELETE, "11"),
        (SegmentKind.INSERT, "13"),
    ]


def test_del_nested_in_ins_vanishes_in_both_views() -> None:
    body = p(
        r("A ") + ins(r("kept ") + dele(dr("gone "), cid="5", author="Brazil"), cid="4") + r("Z")
    )
    reading = read(body)
    assert (reading.accepted_text, reading.rejected_text) == ("A kept Z", "A Z")
    assert kinds(reading) == [("equal", "A "), ("insert", "kept "), ("equal", "Z")]
    assert [(c.id, c.type, c.author, c.text) for c in reading.changes] == [
        ("4", ChangeType.INSERT, "Austria", "kept gone "),
        ("5", ChangeType.DELETE, "Brazil", "gone "),
    ]


def test_run_format_change() -> None:
    rpr = f'<w:b/><w:rPrChange w:id="7" w:author="Denmark" w:date="{DATE}"><w:rPr/></w:rPrChange>'
    reading = read(p(r("Bold now", rpr=rpr)))
    assert reading.accepted_text == reading.rejected_text == "Bold now"
    assert [(c.id, c.type, c.author, c.text, c.paragraph) for c in reading.changes] == [
        ("7", ChangeType.FORMAT, "Denmark", "", 0)
    ]
    assert kinds(reading) == [("equal", "Bold now")]


def test_paragraph_property_change() -> None:
    ppr = f'<w:pStyle w:val="Heading1"/><w:pPrChange w:id="8" w:author="Egypt" w:date="{DATE}"><w:pPr/></w:pPrChange>'
    reading = read(p(r("Title"), ppr=ppr))
    assert reading.paragraphs[0].style == "Heading1"
    assert [(c.type, c.author, c.text) for c in reading.changes] == [
        (ChangeType.FORMAT, "Egypt", "")
    ]
    assert reading.accepted_text == reading.rejected_text == "Title"


def test_table_and_section_format_changes_are_reported() -> None:
    tbl = (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblPrChange w:id="20" w:author="Fiji" w:date="{DATE}"><w:tblPr/></w:tblPrChange></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2000"/><w:tblGridChange w:id="21"><w:tblGrid/></w:tblGridChange></w:tblGrid>'
        + row(
            cell(p(r("x")), tcpr='<w:tcPrChange w:id="22" w:author="Fiji"><w:tcPr/></w:tcPrChange>')
        )
        + "</w:tbl>"
    )
    sect = f'<w:sectPr><w:sectPrChange w:id="23" w:author="Fiji" w:date="{DATE}"><w:sectPr/></w:sectPrChange></w:sectPr>'
    reading = read(p(r("Before")) + tbl + sect)
    assert [(c.id, c.type, c.author, c.paragraph) for c in reading.changes] == [
        ("20", ChangeType.FORMAT, "Fiji", 1),
        ("21", ChangeType.FORMAT, "", 1),
        ("22", ChangeType.FORMAT, "Fiji", 1),
        ("23", ChangeType.FORMAT, "Fiji", 1),
    ]
    assert reading.authors == [
        "Fiji"
    ]  # w:tblGridChange has no w:author: no author, not the empty one


# ---- paragraph marks ------------------------------------------------------------------------------------


def test_deleted_paragraph_mark_merges_on_accept() -> None:
    reading = read(p(r("type."), mark=mark("del", "3")) + p(r("To be")))
    assert reading.accepted_text == "type.To be"
    assert reading.rejected_text == "type.\nTo be"
    first = reading.paragraphs[0]
    assert (first.mark, first.merges_with_next) == (MarkState.DELETED, True)
    assert (
        first.text_accepted == "type."
    )  # the paragraph's own text; merging happens only in the views
    assert [(c.type, c.paragraph, c.text) for c in reading.changes] == [
        (ChangeType.PARAGRAPH_DELETE, 0, "")
    ]


def test_inserted_paragraph_mark_merges_on_reject() -> None:
    reading = read(p(r("First half, "), mark=mark("ins", "3")) + p(r("second half.")))
    assert reading.accepted_text == "First half, \nsecond half."
    assert reading.rejected_text == "First half, second half."
    assert reading.paragraphs[0].mark is MarkState.INSERTED
    assert reading.changes[0].type is ChangeType.PARAGRAPH_INSERT


def test_chain_of_deleted_marks_and_fully_deleted_paragraphs() -> None:
    body = (
        p(r("One ") + dele(dr("two"), cid="4"), mark=mark("del", "5"))
        + p(dele(dr("three"), cid="6"), mark=mark("del", "7"))
        + p(r("four"))
    )
    reading = read(body)
    assert reading.accepted_text == "One four"
    assert reading.rejected_text == "One two\nthree\nfour"


def test_lost_mark_before_a_table_keeps_text_and_drops_empty_paragraph() -> None:
    body = (
        p(r("Kept alone"), mark=mark("del", "3"))
        + table(row(cell(p(r("cell")))))
        + p(dele(dr("All gone"), cid="4"), mark=mark("del", "5"))
        + table(row(cell(p(r("cell 2")))))
        + p(r("End"))
    )
    reading = read(body)
    assert reading.accepted_text == "Kept alone\ncell\ncell 2\nEnd"
    assert reading.rejected_text == "Kept alone\ncell\nAll gone\ncell 2\nEnd"
    assert [para.merges_with_next for para in reading.paragraphs] == [
        False,
        False,
        False,
        False,
        False,
    ]


def test_mark_both_inserted_and_deleted_is_lost_in_both_views() -> None:
    reading = read(p(r("A"), mark=mark("ins", "3") + mark("del", "4", author="Brazil")) + p(r("B")))
    assert reading.paragraphs[0].mark is MarkState.BOTH
    assert (reading.accepted_text, reading.rejected_text) == ("AB", "AB")


def test_moved_paragraph_marks() -> None:
    body = (
        p(r("X"), mark=mark("moveFrom", "3"))
        + p(r("Y"))
        + p(r("Z"), mark=mark("moveTo", "4"))
        + p(r("W"))
    )
    reading = read(body)
    assert (reading.accepted_text, reading.rejected_text) == ("XY\nZ\nW", "X\nY\nZW")
    assert [c.type for c in reading.changes] == [
        ChangeType.PARAGRAPH_DELETE,
        ChangeType.PARAGRAPH_INSERT,
    ]


# ---- tables ---------------------------------------------------------------------------------------------


def test_deleted_table_row() -> None:
    body = table(
        row(cell(p(r("a1"))), cell(p(r("b1")))),
        row(
            cell(p(r("a2"))),
            cell(p(r("b2")) + p(r("b2 second"))),
            trpr=mark("del", "9", author="Ghana"),
        ),
    )
    reading = read(body)
    assert reading.accepted_text == "a1\nb1"
    assert reading.rejected_text == "a1\nb1\na2\nb2\nb2 second"
    assert [(c.type, c.author, c.paragraph) for c in reading.changes] == [
        (ChangeType.ROW_DELETE, "Ghana", 2)
    ]
    deleted = reading.paragraphs[2:]
    assert {para.row_state for para in deleted} == {MarkState.DELETED}
    assert deleted[0].segments == [
        Segment(text="a2", kind=SegmentKind.DELETE, author="Ghana", date=DATE, change_id="9")
    ]
    assert (deleted[0].text_accepted, deleted[0].text_rejected) == ("", "a2")
    containers = [para.container for para in reading.paragraphs]
    assert containers == ["t0.r0.c0", "t0.r0.c1", "t0.r1.c0", "t0.r1.c1", "t0.r1.c1"]
    assert all(para.in_table for para in reading.paragraphs)


def test_inserted_table_row() -> None:
    body = p(r("Intro")) + table(
        row(cell(p(r("old")))),
        row(cell(p(ins(r("new"), cid="31"))), trpr=mark("ins", "30", author="Haiti")),
    )
    reading = read(body)
    assert (reading.accepted_text, reading.rejected_text) == ("Intro\nold\nnew", "Intro\nold")
    assert [(c.id, c.type, c.paragraph) for c in reading.changes] == [
        ("30", ChangeType.ROW_INSERT, 2),
        ("31", ChangeType.INSERT, 2),
    ]
    assert reading.paragraphs[2].row_state is MarkState.INSERTED
    assert kinds(reading, 2) == [("insert", "new")]


def test_inserted_and_deleted_cells() -> None:
    body = table(
        row(
            cell(p(r("kept"))),
            cell(p(r("added")), tcpr=mark("cellIns", "40", author="India")),
            cell(p(r("removed")), tcpr=mark("cellDel", "41", author="Iraq")),
        )
    )
    reading = read(body)
    assert (reading.accepted_text, reading.rejected_text) == ("kept\nadded", "kept\nremoved")
    assert [(c.type, c.author) for c in reading.changes] == [
        (ChangeType.CELL_INSERT, "India"),
        (ChangeType.CELL_DELETE, "Iraq"),
    ]
    assert [para.row_state for para in reading.paragraphs] == [
        MarkState.NORMAL,
        MarkState.INSERTED,
        MarkState.DELETED,
    ]
    assert kinds(reading, 1) == [("insert", "added")]
    assert kinds(reading, 2) == [("delete", "removed")]


def test_content_controls_are_containers_and_text_boxes_are_excluded() -> None:
    text_box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        "<wps:wsp><wps:txbx><w:txbxContent>"
        + p(ins(r("boxed"), cid="50", author="Japan"))
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p(ins(r("boxed"), cid="51", author="Japan"))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = (
        p(r("Before"), mark=mark("del", "52"))
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + p(r("In control"))
        + "</w:sdtContent></w:sdt>"
        + p(r("Host ") + text_box)
    )
    reading = read(body)
    assert reading.accepted_text == "Before\nIn control\nHost "
    assert [para.container for para in reading.paragraphs] == ["body", "sdt0", "body"]
    assert [(c.id, c.paragraph) for c in reading.changes] == [
        ("52", 0),
        ("50", 2),
    ]  # Fallback copy not counted


# ---- run content ----------------------------------------------------------------------------------------


def test_field_codes_are_dropped_and_results_kept() -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("3")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    deleted_field = dele(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:delInstrText> REF x </w:delInstrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + dr("old")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    reading = read(p(r("Page ") + field + r(" ") + deleted_field))
    assert reading.accepted_text == "Page 3 "
    assert reading.rejected_text == "Page 3 old"


def test_tabs_breaks_and_special_characters() -> None:
    content = (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t>"
        '<w:softHyphen/><w:sym w:font="Symbol" w:char="F0B7"/><w:ptab w:relativeTo="margin" w:alignment="right"'
        ' w:leader="none"/><w:t>f</w:t><w:br w:type="page"/></w:r>'
        "<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>"
    )
    reading = read(p(content) + p(r("next")))
    assert reading.accepted_text == "a\tb\nc\nd-e\tf\n\nnext"
    assert reading.paragraphs[0].text_accepted == "a\tb\nc\nd-e\tf\n"


# ---- footnotes, ids, parts ------------------------------------------------------------------------------


def test_change_in_a_footnote_is_reported_but_not_in_the_body_text() -> None:
    body = p(r("Claim") + '<w:r><w:footnoteReference w:id="1"/></w:r>')
    footnotes = (
        '<w:footnote w:id="1">'
        + p(r("See ") + ins(r("annex"), cid="60", author="Kenya"))
        + "</w:footnote>"
    )
    endnotes = (
        '<w:endnote w:id="1">' + p(dele(dr("old note"), cid="61", author="Laos")) + "</w:endnote>"
    )
    reading = read(body, footnotes_xml=footnotes, endnotes_xml=endnotes)
    assert reading.accepted_text == reading.rejected_text == "Claim"
    assert [(c.id, c.type, c.part, c.paragraph, c.text) for c in reading.changes] == [
        ("60", ChangeType.INSERT, "footnotes", None, "annex"),
        ("61", ChangeType.DELETE, "endnotes", None, "old note"),
    ]
    assert reading.authors == ["Kenya", "Laos"]


def test_missing_and_duplicate_ids_get_deterministic_ones() -> None:
    body = p(
        '<w:ins w:author="A">'
        + r("x")
        + "</w:ins>"
        + ins(r("y"), cid="7")
        + ins(r("z"), cid="7")
        + dele(dr("w"), cid="c3")
    )
    ids = [c.id for c in read(body).changes]
    assert ids == ["c1", "7", "c3", "c4"]
    assert [c.id for c in read(body).changes] == ids


def test_parts_are_found_through_relationships_and_custom_properties_are_read() -> None:
    comments = (
        '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:id="0" w:author="Mali"><w:p><w:r><w:t>Odd place</w:t></w:r></w:p></w:comment></w:comments>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Target="notes/remarks.xml"'
        ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"/></Relationships>'
    )
    body = p('<w:commentRangeStart w:id="0"/>' + r("here") + '<w:commentRangeEnd w:id="0"/>')
    data = build_docx(
        body,
        extra_parts={
            "word/notes/remarks.xml": comments.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "docProps/custom.xml": custom_props_xml(
                {"accord.declaration": "D-7", "accord.party": "Mali"}
            ),
        },
    )
    reading = read_docx(data, name="mali.docx")
    assert [(c.author, c.text, c.anchor) for c in reading.comments] == [
        ("Mali", "Odd place", "here")
    ]
    assert reading.custom_properties == {"accord.declaration": "D-7", "accord.party": "Mali"}
    assert reading.sha256 == hashlib.sha256(data).hexdigest()


def test_a_main_part_without_a_wordprocessingml_body_is_refused() -> None:
    strict = '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'
    with pytest.raises(NotAWordFile, match="no WordprocessingML body"):
        read(strict)


# ---- segments -------------------------------------------------------------------------------------------


def test_segments_join_adjacent_runs_and_rebuild_both_texts() -> None:
    body = p(
        r("Re")
        + r("calling ")
        + ins(r("further ") + r("also "), cid="1")
        + ins(r("x"), cid="3", author="Austria")
        + dele(dr("the "), cid="2")
        + r("resolution")
    )
    reading = read(body)
    para = reading.paragraphs[0]
    assert [(s.kind.value, s.text, s.change_id) for s in para.segments] == [
        ("equal", "Recalling ", None),
        ("insert", "further also ", "1"),
        ("insert", "x", "3"),
        ("delete", "the ", "2"),
        ("equal", "resolution", None),
    ]
    assert (
        "".join(s.text for s in para.segments if s.kind is not SegmentKind.DELETE)
        == para.text_accepted
    )
    assert (
        "".join(s.text for s in para.segments if s.kind is not SegmentKind.INSERT)
        == para.text_rejected
    )
    assert (para.text_accepted, para.text_rejected) == (
        "Recalling further also xresolution",
        "Recalling the resolution",
    )


def test_paragraph_identity_fields() -> None:
    reading = read(p(r("A"), ppr='<w:pStyle w:val="Para"/>', para_id="1A2B3C4D") + p(r("B")))
    first, second = reading.paragraphs
    assert (first.index, first.para_id, first.style, first.container, first.in_table) == (
        0,
        "1A2B3C4D",
        "Para",
        "body",
        False,
    )
    assert (second.index, second.para_id, first.merges_with_next, second.merges_with_next) == (
        1,
        None,
        True,
        False,
    )
