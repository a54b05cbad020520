"""Proposals: from a delegation's Word file to changes against the round's base text."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from drafting._diff import map_offset, relocate, word_diff
from drafting.proposals import MARK, base_string, derive_proposals, paragraph_starts
from drafting.text import DraftText, zero_draft_text
from drafting.wordml.reader import read_docx
from tests.compilation_fixtures import (
    DATE,
    Edits,
    apply_proposals,
    contribution,
    moved,
    on_top_of,
    sample_base,
    sample_bytes,
    scenario,
    tracked,
    untracked,
)
from tests.docxbuild import build_docx


@pytest.fixture(scope="module")
def template() -> bytes:
    return sample_bytes()


@pytest.fixture(scope="module")
def base() -> DraftText:
    return sample_base()


def texts_of(base: DraftText) -> list[str]:
    return [p.text for p in base.paragraphs]


def plain_paragraphs(
    base: DraftText,
    extra: dict[int, str] | None = None,
    inserted_after: set[int] | None = None,
    comments: dict[int, str] | None = None,
) -> bytes:
    """A hand-built file: the base paragraphs, comments on some, tracked new paragraphs after others."""
    body, notes = [], []
    for i, paragraph in enumerate(base.paragraphs):
        text = f'<w:r><w:t xml:space="preserve">{escape((extra or {}).get(i, paragraph.text))}</w:t></w:r>'
        if i in (comments or {}):
            cid = len(notes)
            text = (
                f'<w:commentRangeStart w:id="{cid}"/>{text}<w:commentRangeEnd w:id="{cid}"/>'
                f'<w:r><w:commentReference w:id="{cid}"/></w:r>'
            )
            notes.append(
                f'<w:comment w:id="{cid}" w:author="Chile" w:date="{DATE}" w:initials="CL"><w:p><w:r>'
                f"<w:t>{escape((comments or {})[i])}</w:t></w:r></w:p></w:comment>"
            )
        body.append(f"<w:p>{text}</w:p>")
        if i in (inserted_after or set()):
            body.append(
                f'<w:p><w:pPr><w:rPr><w:ins w:id="{900 + i}" w:author="Chile" w:date="{DATE}"/></w:rPr>'
                f'</w:pPr><w:ins w:id="{800 + i}" w:author="Chile" w:date="{DATE}"><w:r>'
                f"<w:t>Chile's paragraph after {i}</w:t></w:r></w:ins></w:p>"
            )
    return build_docx("".join(body), comments_xml="".join(notes) or None)


# -- tracked changes ------------------------------------------------------------------------------------------------


def test_one_amendment_per_edit_attributed_to_the_party(template: bytes, base: DraftText) -> None:
    texts = (
        Edits(base)
        .replace(3, "Charter of the United Nations", "UN Charter")
        .replace(9, "complex, ", "")
        .result
    )
    found = contribution(tracked(template, base, texts, author="Jean Dupont (France)"), base, "FR")
    assert [p.id for p in found.proposals] == ["FR-001", "FR-002"]
    assert {p.party for p in found.proposals} == {
        "FR"
    }  # the authenticated party, not the Word author
    assert {p.word_author for p in found.proposals} == {"Jean Dupont (France)"}
    assert [p.paragraph for p in found.proposals] == ["p004", "p010"]
    # Word's redline stores an insertion "UN " and a deletion " of the United Nations": one edit, one amendment
    assert (found.proposals[0].deleted, found.proposals[0].inserted) == (
        "Charter of the United Nations",
        "UN Charter",
    )
    text = base_string(base)
    for p in found.proposals:
        assert text[p.start : p.end] == p.deleted
        assert not (p.untracked or p.rebased or p.moved)
    assert apply_proposals(base, [found]) == "\n".join(texts)


def test_new_and_deleted_paragraphs(template: bytes, base: DraftText) -> None:
    edits = (
        Edits(base)
        .insert_after(5, "A new paragraph.")
        .delete(12)
        .insert_after(-1, "A new first paragraph.")
    )
    found = contribution(tracked(template, base, edits.result, author="Peru"), base, "PE")
    kinds = [(MARK in p.inserted, MARK in p.deleted) for p in found.proposals]
    assert kinds == [(True, False), (True, False), (False, True)]
    assert found.proposals[2].paragraph in ("p012", "p013")
    assert apply_proposals(base, [found]) == "\n".join(edits.result)


def test_comments_become_the_rationale_of_the_change_they_are_on(
    template: bytes, base: DraftText
) -> None:
    texts = (
        Edits(base)
        .replace(3, "Charter of the United Nations", "UN Charter")
        .insert_after(5, "New.")
        .result
    )
    found = contribution(
        tracked(template, base, texts, author="France", comments={3: "Shorter", 6: "Needed"}),
        base,
        "FR",
    )
    rationale = {p.id: p.rationale for p in found.proposals}
    assert rationale == {"FR-001": ["Shorter"], "FR-002": ["Needed"]}
    assert found.notes == []


def test_a_comment_on_an_untouched_paragraph_is_a_note_on_that_paragraph(base: DraftText) -> None:
    """Regression: the note's paragraph was the file's paragraph index, off by the paragraphs the file inserted."""
    data = plain_paragraphs(base, inserted_after={3, 4}, comments={20: "About (b)"})
    found = contribution(data, base, "CL")
    assert len(found.proposals) == 2
    (note,) = found.notes
    assert (note.paragraph, note.text, note.party, note.word_author) == (
        "p021",
        "About (b)",
        "CL",
        "Chile",
    )
    assert note.offset == paragraph_starts(base)[20]


def test_a_note_lands_on_its_anchored_words(base: DraftText) -> None:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p.text)}</w:t></w:r></w:p>'
        if i != 9
        else '<w:p><w:r><w:t xml:space="preserve">Recognizing that drug use disorders are </w:t></w:r>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t>complex</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        f'<w:r><w:commentReference w:id="0"/></w:r><w:r><w:t xml:space="preserve">'
        f"{escape(p.text.removeprefix('Recognizing that drug use disorders are complex'))}</w:t></w:r></w:p>"
        for i, p in enumerate(base.paragraphs)
    )
    comment = f'<w:comment w:id="0" w:author="Chile" w:date="{DATE}"><w:p><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>'
    (note,) = contribution(build_docx(body, comments_xml=comment), base, "CL").notes
    assert base_string(base)[note.offset : note.offset + 7] == "complex"


# -- untracked edits ------------------------------------------------------------------------------------------------


def test_text_changed_without_track_changes_is_flagged_untracked(
    template: bytes, base: DraftText
) -> None:
    edits = (
        Edits(base)
        .replace(4, "comprehensive, integrated", "comprehensive")
        .delete(30)
        .insert_after(40, "Extra.")
    )
    found = contribution(untracked(template, edits.result, base), base, "MX")
    assert found.proposals and all(p.untracked for p in found.proposals)
    assert apply_proposals(base, [found]) == "\n".join(edits.result)


def test_tracked_changes_on_top_of_untracked_edits(template: bytes, base: DraftText) -> None:
    silent = Edits(base).replace(30, "and", "AND").result
    wanted = (
        Edits(base).replace(30, "and", "AND").replace(20, "strengthen", "further strengthen").result
    )
    found = contribution(on_top_of(template, silent, wanted, author="Chile"), base, "CL")
    assert [(p.paragraph, p.untracked, p.inserted) for p in found.proposals] == [
        ("p021", False, "further "),
        ("p031", True, "AND"),
    ]
    assert apply_proposals(base, [found]) == "\n".join(wanted)


# -- moved text -----------------------------------------------------------------------------------------------------


def test_moved_words_are_two_moved_proposals_with_the_comment(base: DraftText) -> None:
    data = moved(base, 9, "complex, ", 20, "forensic", author="Peru", comment="Belongs in (b)")
    found = contribution(data, base, "PE")
    assert [(p.deleted, p.inserted, p.moved) for p in found.proposals] == [
        ("complex, ", "", True),
        ("", "complex, ", True),
    ]
    assert found.proposals[0].rationale == ["Belongs in (b)"]
    assert apply_proposals(base, [found]) == "\n".join(
        Edits(base).move(9, "complex, ", 20, "forensic").result
    )


# -- a stale base ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rev1(base: DraftText) -> DraftText:
    """Rev.1: "brutal " added in paragraph 8, a paragraph after 5, paragraph 12 deleted."""
    return zero_draft_text(
        Edits(base)
        .replace(8, "violence", "brutal violence")
        .insert_after(5, "New.")
        .delete(12)
        .result
    )


def test_a_file_made_on_the_zero_draft_is_rebased_onto_rev1(
    template: bytes, base: DraftText, rev1: DraftText
) -> None:
    texts = (
        Edits(base)
        .replace(8, "violence, corruption", "violence and corruption")
        .replace(20, "strengthen", "further strengthen")
        .result
    )
    data = tracked(template, base, texts, author="Chile", stamp={"accord.version": "Zero draft"})
    for stamp in ("Zero draft", None):  # by its stamp, or recognised by its text
        found = contribution(data, rev1, "CL", older={"Zero draft": base}, stamped=stamp)
        assert found.based_on == "Zero draft" and found.problems == []
        assert all(p.rebased for p in found.proposals)
        expected = (
            Edits(rev1)
            .replace(9, "violence, corruption", "violence and corruption")
            .replace(20, "strengthen", "further strengthen")
            .result
        )
        assert apply_proposals(rev1, [found]) == "\n".join(expected)


def test_a_change_in_a_paragraph_rev1_deleted_is_not_applicable(
    template: bytes, base: DraftText, rev1: DraftText
) -> None:
    """Regression: the change was re-anchored on the nearest "the" anywhere, in another paragraph."""
    texts = (
        Edits(base).replace(12, "the", "THE").replace(20, "strengthen", "further strengthen").result
    )
    found = contribution(
        tracked(template, base, texts, author="Chile"),
        rev1,
        "CL",
        older={"Zero draft": base},
        stamped="Zero draft",
    )
    assert [p.inserted for p in found.proposals] == ["further "]
    assert len(found.problems) == 1 and found.problems[0].startswith(
        "not applicable: CL's change of 'the'"
    )


def test_a_change_whose_words_rev1_rewrote_is_not_applicable(
    template: bytes, base: DraftText
) -> None:
    rev1 = zero_draft_text(
        Edits(base).replace(8, "money laundering", "illicit financial flows").result
    )
    texts = Edits(base).replace(8, "money laundering", "laundering of proceeds").result
    found = contribution(
        tracked(template, base, texts, author="Chile"), rev1, "CL", older={"Zero draft": base}
    )
    assert found.proposals == [] and len(found.problems) >= 1


def test_untracked_edits_on_a_stale_file_are_rebased_too(
    template: bytes, base: DraftText, rev1: DraftText
) -> None:
    """Regression: a stamped stale file lost its untracked edits silently; an unstamped one was taken as made on
    Rev.1, and every change Rev.1 made came back as an untracked proposal to revert it."""
    silent = Edits(base).replace(30, "and", "AND").result
    wanted = (
        Edits(base).replace(30, "and", "AND").replace(20, "strengthen", "further strengthen").result
    )
    data = on_top_of(template, silent, wanted, author="Chile")
    for stamp in ("Zero draft", None):
        found = contribution(data, rev1, "CL", older={"Zero draft": base}, stamped=stamp)
        assert found.based_on == "Zero draft"
        assert [(p.paragraph, p.untracked, p.rebased, p.inserted) for p in found.proposals] == [
            ("p021", False, True, "further "),
            ("p031", True, True, "AND"),
        ]


def test_a_file_on_the_current_base_is_not_rebased(
    template: bytes, base: DraftText, rev1: DraftText
) -> None:
    texts = Edits(rev1).replace(3, "Charter", "charter").result
    found = contribution(
        untracked(template, texts), rev1, "CL", older={"Zero draft": base}, stamped="Zero draft"
    )
    assert found.based_on is None
    assert [(p.untracked, p.rebased) for p in found.proposals] == [(True, False)]


# -- the diff helpers -----------------------------------------------------------------------------------------------


def test_word_diff_works_on_whole_words() -> None:
    assert word_diff("the cat sat", "the dog sat") == [
        (0, "the "),
        (-1, "cat"),
        (1, "dog"),
        (0, " sat"),
    ]
    diffs = word_diff("a b c", "a x b c")
    assert map_offset(diffs, 2) == 4 and map_offset(diffs, 4, reverse=True) == 2


@pytest.mark.parametrize(
    ("source", "target", "offset", "deleted", "expected"),
    [
        ("one two three", "zero one two three", 4, "two", 9),  # unchanged words: exact
        (
            "one two three",
            "one two three four",
            13,
            "",
            18,
        ),  # at the very end: after what the new text added
        ("one two three", "one 2 three", 4, "two", None),  # the words are gone
        (
            "alpha beta gamma delta",
            "alpha beta gamma delta epsilon",
            11,
            "",
            11,
        ),  # an insertion point
    ],
)
def test_relocate(
    source: str, target: str, offset: int, deleted: str, expected: int | None
) -> None:
    assert relocate(source, target, offset, deleted) == expected


# -- every party of a round, on every sample ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample", ["water", "water-es", "eu-celac", "eu-celac-es", "awaza", "doha", "trafficking"]
)
def test_proposals_rebuild_each_partys_text(sample: str) -> None:
    """Applying a party's proposals to the base gives exactly the text the party meant, whatever the file kind."""
    round_ = scenario(sample, ["AR", "AT", "BE", "BO", "BR", "CL", "CO", "DE"], seed=11)
    assert {s.kind for s in round_.submissions.values()} == {"tracked", "untracked", "moved"}
    for code, submission in round_.submissions.items():
        found = derive_proposals(read_docx(submission.data), round_.base, party=code, submission=1)
        assert apply_proposals(round_.base, [found]) == "\n".join(submission.result), code
        assert all(p.untracked == (submission.kind == "untracked") for p in found.proposals)


def test_word_diff_pairs_changed_paragraphs_and_rebuilds_both_texts() -> None:
    """Paragraphs are matched first (a 60-party revision changes nearly all of them), then diffed word by word."""
    round_ = scenario("eu-celac", ["AR", "AT", "BE", "BO", "BR", "CL", "CO", "DE"], seed=11)
    old = base_string(round_.base)
    for submission in round_.submissions.values():
        new = MARK.join(submission.result)
        diffs = word_diff(old, new)
        assert "".join(t for op, t in diffs if op <= 0) == old
        assert "".join(t for op, t in diffs if op >= 0) == new
        assert all(
            len(t) < 400 for op, t in diffs if op and MARK not in t
        )  # words, not whole paragraphs
    edited = old.replace("persistently high", "high", 1)
    assert word_diff(old, MARK.join([edited, "Added."])) == [
        (0, old[: old.index("persistently")]),
        (-1, "persistently "),
        (0, old[old.index("persistently") + 13 :]),
        (1, MARK + "Added."),
    ]


def test_a_paragraph_inserted_then_deleted_proposes_nothing(base: DraftText) -> None:
    """Regression: its mark (tracked as both inserted and deleted, in neither view) became an untracked proposal
    to insert an empty paragraph."""
    stamp = f'w:date="{DATE}"'
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p.text)}</w:t></w:r></w:p>'
        for p in base.paragraphs
    )
    gone = (
        f'<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="Chile" {stamp}/><w:del w:id="2" w:author="Peru" {stamp}/>'
        f'</w:rPr></w:pPr><w:ins w:id="3" w:author="Chile" {stamp}><w:del w:id="4" w:author="Peru" {stamp}>'
        "<w:r><w:delText>Inserted, then deleted</w:delText></w:r></w:del></w:ins></w:p>"
    )
    first = body.index("</w:p>") + len("</w:p>")
    found = contribution(build_docx(body[:first] + gone + body[first:]), base, "CL")
    assert found.proposals == [] and found.notes == []


def test_a_redline_keeps_comments_on_paragraphs_it_does_not_insert_into(
    template: bytes, base: DraftText
) -> None:
    """Regression: redline_document dropped a comment unless its paragraph had an insertion."""
    texts = Edits(base).replace(9, "complex, ", "").result
    data = tracked(template, base, texts, author="Peru", comments={9: "Not complex", 20: "On (b)"})
    comments = {c.text: (c.paragraph, c.anchor) for c in read_docx(data).comments}
    assert comments == {
        "Not complex": (9, " complex,"),
        "On (b)": (
            20,
            "(b) strengthen forensic and toxicological "
            "capacities, so that health, law enforcement and "
            "regulatory authorities can coordinate their "
            "responses rapidly;",
        ),
    }
    found = contribution(data, base, "PE")
    assert found.proposals[0].rationale == ["Not complex"]
    assert [(n.paragraph, n.text) for n in found.notes] == [("p021", "On (b)")]
