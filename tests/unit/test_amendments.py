"""Amendments: whole words, one amendment per edit, rewritten paragraphs whole (drafting.amendments)."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.amendments import Edit, amend, is_boundary, words

MARK = "\u2029"


def char_edits(base: str, party: str) -> list[Edit]:
    """The party's text as character-level edits of the base: the fragments a word processor may store."""
    matcher = difflib.SequenceMatcher(None, base, party, autojunk=False)
    return [
        Edit(start=i1, end=i2, inserted=party[j1:j2])
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def amendments(base: str, party: str) -> list[tuple[str, str]]:
    """(deleted, inserted) of each amendment the party makes."""
    return [(base[e.start : e.end], e.inserted) for e in amend(base, char_edits(base, party))[1]]


def apply(base: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for edit in edits:
        out += [base[pos : edit.start], edit.inserted]
        pos = edit.end
    return "".join(out + [base[pos:]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("drug-related crime", ["drug-related", "crime"]),
        (
            "los Estados de América Latina y el Caribe, acción",
            ["los", "Estados", "de", "América", "Latina", "y", "el", "Caribe", "acción"],
        ),
        ("l'ONU et les États’ rôle", ["l'ONU", "et", "les", "États", "rôle"]),
        ("2,5 per cent by 2030.", ["2,5", "per", "cent", "by", "2030"]),
        ("drugs, and (NPS).", ["drugs", "and", "NPS"]),
        ("non\u2011binding", ["non\u2011binding"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "at", "boundary"),
    [
        ("and", 1, False),
        ("drug-related", 4, False),
        ("drug-related", 5, False),
        ("2,5", 1, False),
        ("drugs, and", 5, True),
        ("drugs, and", 6, True),
        ("end. Next", 4, True),
        ("a,b", 1, True),
    ],
)
def test_boundaries(text: str, at: int, boundary: bool) -> None:
    assert is_boundary(text, at) is boundary


@pytest.mark.parametrize(
    ("base", "party", "expected"),
    [
        # a word changed in part is replaced whole
        ("the drug problem", "the drugs problem", [("drug", "drugs")]),
        (
            "cooperation and the exchange",
            "cooperation as well as the exchange",
            [("and", "as well as")],
        ),
        ("drug-related crime", "drug-trafficking crime", [("drug-related", "drug-trafficking")]),
        ("reduce by 2,5 per cent", "reduce by 3,5 per cent", [("2,5", "3,5")]),
        ("la acción común", "la accion común", [("acción", "accion")]),
        # an edit in pieces is one amendment
        (
            "the Charter of the United Nations and",
            "the UN Charter and",
            [("Charter of the United Nations", "UN Charter")],
        ),
        # two unchanged words between changes: one amendment; three: two amendments
        (
            "one two three four five six",
            "ONE two three FOUR five six",
            [("one two three four", "ONE two three FOUR")],
        ),
        (
            "one two three four five six",
            "ONE two three four FIVE six",
            [("one", "ONE"), ("five", "FIVE")],
        ),
        # a sentence end or a paragraph between changes keeps them apart
        ("one. Two three", "ONE. TWO three", [("one", "ONE"), ("Two", "TWO")]),
        (f"one{MARK}two three", f"ONE{MARK}TWO three", [("one", "ONE"), ("two", "TWO")]),
        # punctuation stays outside the word, spaces as the party typed them
        ("drugs, crime", "drugs, organised crime", [("", "organised ")]),
        ("a big dog", "a dog", [("big ", "")]),
    ],
)
def test_amendments(base: str, party: str, expected: list[tuple[str, str]]) -> None:
    assert amendments(base, party) == expected


def test_a_rewritten_paragraph_is_one_amendment_flagged() -> None:
    base = f"Keep this.{MARK}The quick brown fox jumps over the lazy dog today.{MARK}Keep that."
    party = f"Keep this.{MARK}A slow red cat sits under a busy tree now.{MARK}Keep that."
    found = amend(base, char_edits(base, party))[1]
    assert len(found) == 1 and found[0].rewritten
    assert (
        base[found[0].start : found[0].end] == "The quick brown fox jumps over the lazy dog today"
    )


def test_moves_are_not_joined_to_their_neighbours() -> None:
    base = "alpha beta gamma delta"
    edits = [
        Edit(start=0, end=6, inserted="", moved=True),
        Edit(start=11, end=16, inserted="GAMMA "),
    ]
    found = amend(base, edits)[1]
    assert [(e.start, e.end, e.moved) for e in found] == [(0, 6, True), (11, 16, False)]


# -- properties -----------------------------------------------------------------------------------------------------

VOCABULARY = [
    "the",
    "and",
    "as",
    "well",
    "drug",
    "drugs",
    "drug-related",
    "acción",
    "Estados",
    "l'ONU",
    "2,5",
    "2030",
    "UN",
    "Charter",
    "of",
    "United",
    "Nations",
    "(NPS)",
    "crime,",
    "law.",
    "naïve",
    "States’",
]
SEPARATORS = [" ", " ", " ", ", ", "; ", ". ", MARK]


@st.composite
def texts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=25))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(tokens), max_size=len(tokens)))
    return "".join(t + s for t, s in zip(tokens, seps, strict=True)).rstrip(" ,;" + MARK)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """A base, and a party's text made of character splices (cutting through words as Word's storage may)."""
    base = draw(texts())
    party = base
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(party)))
        j = draw(st.integers(i, min(len(party), i + 12)))
        party = (
            party[:i]
            + draw(st.sampled_from(["", "s", "as well as", "UN ", " new words ", "é", "-"]))
            + party[j:]
        )
    return base, party


@settings(max_examples=300, deadline=None)
@given(edited())
def test_amendments_rebuild_the_party_text_on_word_boundaries(case: tuple[str, str]) -> None:
    base, party = case
    text, found = amend(base, char_edits(base, party))
    assert text == party and apply(base, found) == party
    for edit in found:
        assert is_boundary(base, edit.start) and is_boundary(base, edit.end)
        assert is_boundary(party, edit.pstart) and is_boundary(party, edit.pend)


@settings(max_examples=300, deadline=None)
@given(edited(), st.data())
def test_any_choice_of_amendments_is_made_of_whole_words(
    case: tuple[str, str], data: st.DataObject
) -> None:
    base, party = case
    found = amend(base, char_edits(base, party))[1]
    chosen = [e for e in found if data.draw(st.booleans())]
    result = apply(base, chosen)
    assert set(words(result)) <= set(words(base)) | set(words(party))
    assert apply(base, []) == base


# -- bracket groups -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        # one alternative kept: one amendment over the whole group
        ("production as well as trafficking", [("[and / as well as]", "as well as")]),
        ("production and trafficking", [("[and / as well as]", "and")]),
        ("production together with trafficking", [("[and / as well as]", "together with")]),
        # a bracket removed and the other kept: still the whole group (the caller flags it)
        ("production and / as well as] trafficking", [("[and / as well as]", "and / as well as]")]),
        # a change outside the group leaves it alone
        ("illicit production [and / as well as] trafficking", [("", "illicit ")]),
    ],
)
def test_a_bracket_group_is_resolved_whole(party: str, expected: list[tuple[str, str]]) -> None:
    assert amendments("production [and / as well as] trafficking", party) == expected


def test_a_deletion_starts_on_its_word() -> None:
    """Regression: ", lawful" was deleted after "proportionate" and bracketed as "proportionate[, lawful,]"."""
    base, party = "proportionate, lawful, accountable", "proportionate, accountable"
    assert amend(base, [Edit(start=13, end=21, inserted="")])[1][0].start == 15  # "lawful, "
    assert amendments(base, party) == [("lawful, ", "")]
