"""The reader's comments: anchors across runs, changes and paragraphs; replies, resolution, authors."""

from __future__ import annotations

from tests.readerbuild import (
    DATE,
    dele,
    dr,
    ins,
    p,
    r,
    read,
)

# ---- comments -------------------------------------------------------------------------------------------


def comment(cid: str, text: str, author: str = "Norway", para_id: str | None = None) -> str:
    attr = f' w14:paraId="{para_id}"' if para_id else ""
    return (
        f'<w:comment w:id="{cid}" w:author="{author}" w:initials="NO" w:date="{DATE}">'
        f"<w:p{attr}><w:r><w:annotationRef/></w:r>{r(text)}</w:p></w:comment>"
    )


def start(cid: str) -> str:
    return f'<w:commentRangeStart w:id="{cid}"/>'


def end(cid: str) -> str:
    return f'<w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference w:id="{cid}"/></w:r>'


def test_comment_anchor_across_runs() -> None:
    body = p(r("Keep ") + start("0") + r("the ") + r("text", rpr="<w:b/>") + end("0") + r(" here"))
    [c] = read(body, comments_xml=comment("0", "Why bold?")).comments
    assert (c.id, c.author, c.initials, c.date, c.text) == ("0", "Norway", "NO", DATE, "Why bold?")
    assert (c.anchor, c.paragraph, c.parent, c.resolved) == ("the text", 0, None, False)


def test_comment_anchor_across_an_insert_and_a_delete_and_paragraphs() -> None:
    body = (
        p(r("Intro"))
        + p(r("We ") + start("0") + dele(dr("urge")) + ins(r("invite")) + r(" all"))
        + p(r("States") + end("0") + r(" to act."))
    )
    reading = read(body, comments_xml=comment("0", "Softer"))
    [c] = reading.comments
    assert (c.anchor, c.paragraph) == ("urgeinvite all\nStates", 1)
    assert reading.accepted_text == "Intro\nWe invite all\nStates to act."


def test_comment_reply_parent_and_resolved() -> None:
    comments = comment("0", "Delete?", para_id="0A000001") + comment(
        "1", "Agreed", "Oman", para_id="0A000002"
    )
    comments += comment("2", "Done", para_id="0A000003")
    extended = (
        '<w15:commentEx w15:paraId="0A000001" w15:done="0"/>'
        '<w15:commentEx w15:paraId="0A000002" w15:paraIdParent="0A000001" w15:done="0"/>'
        '<w15:commentEx w15:paraId="0A000003" w15:done="1"/>'
    )
    body = p(
        start("0")
        + start("1")
        + r("text")
        + end("0")
        + end("1")
        + start("2")
        + r(" more")
        + end("2")
    )
    reading = read(body, comments_xml=comments, comments_extended_xml=extended)
    assert [(c.id, c.parent, c.resolved, c.para_id, c.anchor) for c in reading.comments] == [
        ("0", None, False, "0A000001", "text"),
        ("1", "0", False, "0A000002", "text"),
        ("2", None, True, "0A000003", " more"),
    ]
    assert reading.authors == ["Norway", "Oman"]


def test_comment_without_a_range_has_its_reference_paragraph_and_empty_author_counts() -> None:
    body = p(r("one")) + p(r("two") + '<w:r><w:commentReference w:id="5"/></w:r>')
    reading = read(body, comments_xml=comment("5", "Point", author=""))
    [c] = reading.comments
    assert (c.paragraph, c.anchor, c.author) == (1, "", "")
    assert reading.authors == [""]
