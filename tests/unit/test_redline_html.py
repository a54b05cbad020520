"""The HTML redline: read as accepted it is the new text, as rejected the old; self-contained, phone-sized,
printable, changes marked by more than colour."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.redline_html import redline_html, redline_rows

OLD = ["Title", "One two three.", "Gone paragraph.", "Kept."]
NEW = ["Title", "One 2 three four.", "Kept.", "Brand new."]


def accepted(rows: list) -> list[str]:
    return [
        "".join(s.text for s in r.spans if s.kind != "del") for r in rows if r.state != "removed"
    ]


def rejected(rows: list) -> list[str]:
    return ["".join(s.text for s in r.spans if s.kind != "ins") for r in rows if r.state != "added"]


def test_paragraphs_are_matched_before_words_are_compared() -> None:
    rows = redline_rows(OLD, NEW)
    assert [(r.old, r.new, r.state) for r in rows] == [
        (1, 1, "unchanged"),
        (2, 2, "changed"),
        (3, None, "removed"),
        (4, 3, "unchanged"),
        (None, 4, "added"),
    ]
    assert [(s.kind, s.text) for s in rows[1].spans] == [
        ("", "One "),
        ("del", "two"),
        ("ins", "2"),
        ("", " three"),
        ("ins", " four"),
        ("", "."),
    ]


_WORDS = st.lists(
    st.sampled_from(["a", "b", "c", "the", "UN", "shall", "may", ",", "."]), max_size=8
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=8), st.lists(_WORDS, max_size=8))
def test_accepting_every_change_gives_the_new_text_and_rejecting_them_the_old(
    old: list[str], new: list[str]
) -> None:
    rows = redline_rows(old, new)
    assert accepted(rows) == new and rejected(rows) == old
    assert [r.new for r in rows if r.new] == list(range(1, len(new) + 1))


def test_the_page_stands_alone_fits_a_phone_prints_and_escapes() -> None:
    page = redline_html(
        OLD, NEW, title="Declaration <draft> & co", old_label="Zero draft", new_label="Rev.1"
    )
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not re.search(
        r"<script|<link|\bsrc=|@import|url\(", page
    )  # nothing fetched, nothing run
    assert "@media print" in page and "Declaration &lt;draft&gt; &amp; co" in page
    assert (
        "<del>two</del><ins>2</ins>" in page
        and '<span class="tag">removed</span><del>Gone paragraph.</del>' in page
    )
    assert "text-decoration: underline" in page and "text-decoration: line-through" in page
    assert "1 paragraph changed, 1 added, 1 removed; 4 words inserted, 3 deleted." in " ".join(
        page.split()
    )
