"""Invisible and look-alike characters in amendments are flagged and shown (issue 12, finding 8)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.intake import INVISIBLE, submission_flags
from drafting.invisible import BIDI_CONTROLS, NO_BREAK_SPACES, ZERO_WIDTH, findings, visible
from drafting.negotiation import SubmissionFlag
from tests.readerbuild import ins, p, r, read

RLO, PDF, ZWSP, NBSP = "\u202e", "\u202c", "\u200b", "\u00a0"


def _flags(body: str) -> list[SubmissionFlag]:
    flags = submission_flags(
        read(body), declaration="d", version="Zero draft", party_code="AT", party_name="Austria"
    )
    return [f for f in flags if f.code == INVISIBLE]


@pytest.mark.parametrize(
    "inserted, shown, kind",
    [
        (
            f"pay {RLO}tnuocca{PDF} now",
            "pay ⟨U+202E⟩tnuocca⟨U+202C⟩ now",
            "bidirectional control",
        ),  # Trojan Source
        (f"human{ZWSP}rights", "human⟨U+200B⟩rights", "zero-width"),
        (f"article{NBSP}5", "article⟨U+00A0⟩5", "no-break space"),
        ("the Сouncil", "the Сouncil", "mixing scripts"),  # a Cyrillic С
    ],
)
def test_an_amendment_with_hidden_characters_is_flagged_and_shown_visibly(
    inserted: str, shown: str, kind: str
) -> None:
    """Regression: on ba8d25a each of these went into the compilation without a flag."""
    (flagged,) = _flags(p(r("We agree ") + ins(r(inserted))))
    assert kind in flagged.message and shown in flagged.message and "paragraph 1" in flagged.message


def test_hidden_characters_outside_a_tracked_change_are_flagged_per_paragraph() -> None:
    (flagged,) = _flags(p(r("We agree")) + p(r(f"to {RLO}nothing")))
    assert "paragraph 2" in flagged.message and "outside any tracked change" in flagged.message


def test_ordinary_amendments_in_any_one_script_are_not_flagged() -> None:
    body = p(
        r("We ")
        + ins(r("strongly "), cid="1")
        + ins(r("reafirmamos el compromiso "), cid="2")
        + ins(r("и мир "), cid="3")
        + ins(r("東京で ひらがな"), cid="4")
    )
    assert _flags(body) == []


def test_many_flags_end_in_one_that_counts_the_rest() -> None:
    body = "".join(p(ins(r(f"x{ZWSP}{n}"), cid=str(n))) for n in range(25))
    flags = _flags(body)
    assert (
        len(flags) == 21 and flags[-1].message == "and 5 more amendments or paragraphs like these"
    )


@given(st.text())
def test_visible_text_has_no_invisible_character_left(text: str) -> None:
    shown = visible(text)
    hidden = BIDI_CONTROLS | ZERO_WIDTH | NO_BREAK_SPACES
    assert not any(ord(c) in hidden for c in shown)
    assert all(c.isprintable() or c in "\n\t" for c in shown)


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_plain_ascii_has_no_findings(text: str) -> None:
    assert findings(text) == []


def test_space_separators_are_shown_by_code_point() -> None:
    # regression: hypothesis found U+1680 OGHAM SPACE MARK left as it was (not printable, yet not shown)
    assert visible("a\u1680b\u3000c\u2003d e") == "a⟨U+1680⟩b⟨U+3000⟩c⟨U+2003⟩d e"
