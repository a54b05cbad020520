"""Bracket groups from revision to revision (drafting.brackets): carried with their ids, dropped when touched."""

from __future__ import annotations

from typing import Any

from drafting.brackets import carried, next_number


def op(
    start: int, end: int, text: str, new_start: int, bracket: str | None = None
) -> dict[str, Any]:
    outcome = "bracketed" if bracket else "applied"
    return {
        "start": start,
        "end": end,
        "text": text,
        "outcome": outcome,
        "proposals": [],
        "parties": [],
        "decisions": {},
        "new_start": new_start,
        "bracket": bracket,
    }


REV1 = [op(4, 7, "[and / as well as]", 4, "B1"), op(30, 34, "[drug-related]", 45, "B2")]


def test_a_group_moves_with_the_text_before_it_and_keeps_its_id() -> None:
    rev2 = [op(0, 0, "New. ", 0)]  # five characters put before both groups
    groups = carried([REV1, rev2])
    assert [(g.bracket, g.new_start) for g in groups] == [("B1", 9), ("B2", 50)]


def test_a_group_an_operation_touches_is_gone_and_its_id_never_comes_back() -> None:
    rev2 = [op(45, 59, "drug-related", 45), op(70, 72, "[shall / should]", 68, "B3")]
    groups = carried([REV1, rev2])
    assert [(g.bracket, g.new_start) for g in groups] == [("B1", 4), ("B3", 68)]
    assert next_number([REV1, rev2]) == 4 and next_number([]) == 1


def test_an_insertion_at_a_groups_edge_leaves_it_and_one_inside_removes_it() -> None:
    after = carried([REV1, [op(22, 22, " too", 22)]])  # right after B1's "]" (4 + 18 = 22)
    inside = carried([REV1, [op(10, 10, "x", 10)]])
    assert [g.bracket for g in after] == ["B1", "B2"] and [g.new_start for g in after] == [4, 49]
    assert [g.bracket for g in inside] == ["B2"]
