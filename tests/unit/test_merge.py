"""Merge: identical proposals become one supported by all; overlapping ones form a conflict group."""

from __future__ import annotations

import random

import pytest

from drafting.merge import MergedProposal, alternative, merge, overlaps
from drafting.proposals import Note, PartyProposals, Proposal
from tests.compilation_fixtures import NAMES, scenario

TEXT = "We reaffirm the Charter of the United Nations.\u2029We commit to action."


def prop(party: str, start: int, end: int, inserted: str, n: int = 1, **extra: object) -> Proposal:
    return Proposal(
        id=f"{party}-{n:03d}",
        party=party,
        start=start,
        end=end,
        deleted=TEXT[start:end],
        inserted=inserted,
        paragraph="p001" if start < 47 else "p002",
        **extra,
    )  # type: ignore[arg-type]


def party(code: str, *proposals: Proposal, notes: list[Note] | None = None) -> PartyProposals:
    return PartyProposals(party=code, submission=1, proposals=list(proposals), notes=notes or [])


def merged_proposal(start: int, end: int, inserted: str = "x") -> MergedProposal:
    return MergedProposal(
        id="P",
        start=start,
        end=end,
        deleted=TEXT[start:end],
        inserted=inserted,
        paragraph="p001",
        parties=["FR"],
        sources=["FR-001"],
    )


def test_identical_proposals_become_one_supported_by_all() -> None:
    merged = merge(
        [
            party("MX", prop("MX", 16, 23, "UN Charter", rationale=["Shorter"])),
            party("FR", prop("FR", 16, 23, "UN Charter")),
            party("AR", prop("AR", 16, 23, "UN Charter", untracked=True)),
        ]
    )
    (one,) = merged.proposals
    assert one.parties == ["AR", "FR", "MX"] and one.sources == ["AR-001", "FR-001", "MX-001"]
    assert one.rationale == [("MX", "Shorter")]
    assert not one.untracked  # untracked only when every party made it without track changes
    assert merged.conflicts == []


def test_non_overlapping_proposals_merge_side_by_side() -> None:
    merged = merge(
        [party("FR", prop("FR", 3, 11, "confirm")), party("MX", prop("MX", 16, 23, "UN Charter"))]
    )
    assert [(p.id, p.parties, p.group) for p in merged.proposals] == [
        ("P001", ["FR"], None),
        ("P002", ["MX"], None),
    ]
    assert merged.conflicts == []


def test_changing_the_same_words_differently_is_a_conflict() -> None:
    merged = merge(
        [
            party("FR", prop("FR", 16, 45, "UN Charter")),
            party(
                "MX", prop("MX", 45, 45, " and international law")
            ),  # at the edge of France's span
            party("PE", prop("PE", 50, 56, "undertake")),  # next paragraph: unrelated
        ]
    )
    (group,) = merged.conflicts
    assert (group.id, group.start, group.end, group.proposals) == ("C01", 16, 45, ["P001", "P002"])
    assert [p.group for p in merged.proposals] == ["C01", "C01", None]
    assert alternative(TEXT, group, merged.proposals[0]) == "UN Charter"
    assert (
        alternative(TEXT, group, merged.proposals[1])
        == "Charter of the United Nations and international law"
    )


def test_conflicts_chain_through_overlaps() -> None:
    merged = merge(
        [
            party("FR", prop("FR", 3, 15, "x")),
            party("MX", prop("MX", 12, 25, "y")),
            party("PE", prop("PE", 22, 30, "z")),
            party("CL", prop("CL", 40, 40, "a")),
            party("CO", prop("CO", 40, 40, "b")),  # two insertions at one point
        ]
    )
    assert [(g.id, g.start, g.end, g.proposals) for g in merged.conflicts] == [
        ("C01", 3, 30, ["P001", "P002", "P003"]),
        ("C02", 40, 40, ["P004", "P005"]),
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 5), (5, 9), False),  # adjacent spans
        ((0, 5), (4, 9), True),
        ((5, 5), (0, 5), True),  # insertion at the end of a span
        ((5, 5), (5, 9), True),  # ... at its start
        ((5, 5), (5, 5), True),
        ((5, 5), (6, 6), False),
    ],
)
def test_overlaps(a: tuple[int, int], b: tuple[int, int], expected: bool) -> None:
    assert overlaps(merged_proposal(*a), merged_proposal(*b)) is expected
    assert overlaps(merged_proposal(*b), merged_proposal(*a)) is expected


def test_notes_are_kept_in_text_order() -> None:
    notes = [
        Note(party="MX", paragraph="p002", offset=47, text="later"),
        Note(party="FR", paragraph="p001", offset=0, text="first"),
    ]
    merged = merge([party("MX", notes=notes[:1]), party("FR", notes=notes[1:])])
    assert [n.text for n in merged.notes] == ["first", "later"]


def test_the_merge_ignores_the_order_submissions_come_in() -> None:
    contributions = scenario(
        "water", sorted(NAMES)[:12]
    ).contributions  # the sample shipped with accord
    first = merge(contributions)
    shuffled = list(contributions)
    random.Random(1).shuffle(shuffled)
    assert merge(shuffled) == first


def test_twelve_parties() -> None:
    contributions = scenario(
        "water", sorted(NAMES)[:12]
    ).contributions  # the sample shipped with accord
    merged = merge(contributions)
    assert [p.id for p in merged.proposals] == [
        f"P{i + 1:03d}" for i in range(len(merged.proposals))
    ]
    assert [p.start for p in merged.proposals] == sorted(p.start for p in merged.proposals)
    shared = [p for p in merged.proposals if len(p.parties) > 1]
    assert any(len(p.parties) == 3 for p in shared)  # every fifth party made the same proposal
    sources = sorted(s for p in merged.proposals for s in p.sources)
    assert sources == sorted(
        p.id for c in contributions for p in c.proposals
    )  # none lost, none twice
    in_groups = {pid for g in merged.conflicts for pid in g.proposals}
    assert in_groups == {p.id for p in merged.proposals if p.group is not None}
    for group in merged.conflicts:
        members = [p for p in merged.proposals if p.id in group.proposals]
        assert group.start == min(p.start for p in members) and group.end == max(
            p.end for p in members
        )
    singles = [p for p in merged.proposals if p.group is None]
    for a, b in zip(singles, singles[1:], strict=False):
        assert not overlaps(a, b)
