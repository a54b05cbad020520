"""A move (Word's moveFrom and moveTo) is two proposals, one in each place; it is decided whole, as Word accepts
or rejects it: one half decided decides the other, and halves decided apart are refused (they would duplicate or
lose the words)."""

from __future__ import annotations

import json

import pytest

from drafting.decisions import Outcome, decisions_from_json, reconcile, whole_moves
from drafting.errors import InvalidInput
from drafting.merge import Merged, MergedProposal, move_pairs

WORDS = "in line with national legislation"


def proposal(
    pid: str,
    start: int,
    *,
    deleted: str = "",
    inserted: str = "",
    parties: tuple[str, ...] = ("MX",),
    moved: bool = True,
    group: str | None = None,
) -> MergedProposal:
    return MergedProposal(
        id=pid,
        start=start,
        end=start + len(deleted),
        deleted=deleted,
        inserted=inserted,
        paragraph="p1",
        parties=list(parties),
        sources=[f"{p}-1" for p in parties],
        moved=moved,
        group=group,
    )


MERGED = Merged(
    proposals=[
        proposal("P001", 10, deleted=f" {WORDS}"),  # MX takes the words out here ...
        proposal("P002", 80, inserted=f"{WORDS} "),  # ... and puts them there
        proposal("P003", 120, inserted="new words", moved=False),
        proposal("P004", 200, deleted="other words", parties=("FR",)),  # FR moves other words
        proposal("P005", 260, inserted="other  words", parties=("FR",)),
        proposal(
            "P006", 300, deleted=WORDS, parties=("PE",)
        ),  # a moved-out half with no other half
    ],
    conflicts=[],
)


def _json(decisions: dict[str, str]) -> bytes:
    return json.dumps({"decisions": decisions}).encode()


def test_the_halves_of_a_move_are_paired_by_party_and_words() -> None:
    assert [(a.id, b.id) for a, b in move_pairs(MERGED)] == [("P001", "P002"), ("P004", "P005")]


def test_one_half_decided_decides_the_other() -> None:
    decided = decisions_from_json(
        _json({"P002": "accept", "P004": "reject", "P003": "accept"}), MERGED, source="ES.json"
    )
    assert decided == {
        "P001": "accept",
        "P002": "accept",
        "P003": "accept",
        "P004": "reject",
        "P005": "reject",
    }


def test_halves_decided_apart_are_refused_in_words() -> None:
    with pytest.raises(
        InvalidInput,
        match=r"^ES\.json: P001 and P002 are the two halves of MX's move of "
        r"'in line with national legislation'; accept both or reject both$",
    ):
        decisions_from_json(_json({"P001": "reject", "P002": "accept"}), MERGED, source="ES.json")


def test_halves_decided_apart_in_a_returned_compilation_stay_undecided() -> None:
    assert whole_moves({"P001": "reject", "P002": "accept", "P003": "reject"}, MERGED) == {
        "P003": "reject"
    }


def test_a_move_both_co_presidencies_decide_is_applied_whole() -> None:
    by_party = {
        "ES": decisions_from_json(_json({"P001": "accept"}), MERGED, source="ES.json"),
        "BO": decisions_from_json(_json({"P002": "accept"}), MERGED, source="BO.json"),
    }
    outcomes = {r.proposal: r.outcome for r in reconcile(MERGED, by_party, ["ES", "BO"])}
    assert outcomes["P001"] == outcomes["P002"] == Outcome.APPLIED
    assert (
        outcomes["P004"] == outcomes["P005"] == outcomes["P006"] == Outcome.BRACKETED
    )  # nobody decided them


def test_a_move_made_in_word_is_paired_and_decided_whole() -> None:
    """Peru moves "complex, " from paragraph 9 to paragraph 20, marked up as Word marks a move."""
    from tests.compilation_fixtures import compile_all, moved, sample_base, sample_bytes

    base = sample_base()
    merged, _ = compile_all(
        sample_bytes(), base, {"PE": moved(base, 9, "complex, ", 20, "forensic", author="Peru")}
    )
    [(taken, put)] = move_pairs(merged)
    assert (taken.deleted.strip(), put.inserted.strip(), taken.parties) == (
        "complex,",
        "complex,",
        ["PE"],
    )
    decided = decisions_from_json(_json({put.id: "reject"}), merged, source="BO.json")
    assert decided == {taken.id: "reject", put.id: "reject"}


def test_the_synopsis_says_which_halves_are_decided_together() -> None:
    from drafting.synopsis import synopsis, synopsis_html
    from tests.compilation_fixtures import (
        NAMES,
        compile_all,
        contribution,
        moved,
        sample_base,
        sample_bytes,
    )

    base = sample_base()
    data = moved(base, 9, "complex, ", 20, "forensic", author="Peru")
    merged, _ = compile_all(sample_bytes(), base, {"PE": data})
    found = synopsis(
        base,
        merged,
        [contribution(data, base, "PE")],
        names=NAMES,
        declaration="d",
        title="T",
        round_number=1,
        version="Zero draft",
    )
    halves = [p for row in found["paragraphs"] for p in row["proposals"] if p["moved"]]
    assert sorted((p["id"], p["move_with"]) for p in halves) == sorted(
        [(halves[0]["id"], halves[1]["id"]), (halves[1]["id"], halves[0]["id"])]
    )
    assert f"moved with {halves[1]['id']}: decided together" in synopsis_html(found)
