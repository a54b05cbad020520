"""Bracket groups from revision to revision: their ids, where they stand, and the amendment that resolves one.

A revision puts what the co-presidencies disagree on in brackets, each group with an id (B1, B2 ...). Under the
rules of a declaration created since ids are stable (``STABLE_IDS``), a group that comes through a revision
untouched keeps its id, and a new group takes the next id never used in the declaration:

    Rev.1: "[and / as well as]" B1, "[drug-related]" B2
    Rev.2: B1 untouched, B2 resolved, "[shall / should]" new   -> B1 and B3 (B2 is never given again)

Everything is derived from the versions' lineages (each revision's operations, oldest first), so a replay gives
the same ids. A declaration created before keeps its rule: each revision numbers its own groups from B1.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from drafting.merge import MergedProposal
from drafting.proposals import MARK, key_at
from drafting.revision import Operation
from drafting.text import DraftText

FIRST_RULES = 1  # a declaration whose creation recorded no rules: bracket ids numbered per revision
STABLE_IDS = 2  # the rules since which bracket ids are stable across revisions
COVER_PAGE = (
    3  # and since which a compilation opens with a first page (drafting.compilation.cover_lines)
)
# and since which, in several languages, amendments made on different languages' texts of one paragraph are shown
# together, a revision leaves no paragraph with bracket groups in one language that another lacks without
# marking it pending translation there, and a translation must carry its source's bracket groups (issue 15)
ACROSS = 4
RULES = ACROSS  # what a new declaration records
_NUMBER = re.compile(r"^B(\d+)$")

Lineage = Sequence[dict[str, Any]]


def carried(lineages: Sequence[Lineage]) -> list[Operation]:
    """The bracket groups in the text of the last of the versions whose lineages are given (oldest first), each
    with its id, alternatives and holders, and where it now stands (``new_start``) in that text."""
    groups: list[Operation] = []
    for lineage in lineages:
        ops = [Operation.model_validate(op) for op in lineage]
        groups = [moved for group in groups if (moved := _through(group, ops)) is not None]
        groups += [op for op in ops if op.bracket and "[" in op.text]
        groups.sort(key=lambda op: op.new_start)
    return groups


def next_number(lineages: Sequence[Lineage]) -> int:
    """The number of the next new bracket group: one more than any id ever given in these lineages."""
    used = [
        int(m.group(1))
        for lineage in lineages
        for op in lineage
        if (m := _NUMBER.match(op.get("bracket") or ""))
    ]
    return max(used, default=0) + 1


def _through(group: Operation, ops: list[Operation]) -> Operation | None:
    """A group of the previous text after a revision's operations: moved by those before it; None when one touches
    it (resolved, replaced or bracketed anew)."""
    start, end = group.new_start, group.new_start + len(group.text)
    shift = 0
    for op in ops:
        if op.start < end and start < op.end or start < op.start < end:
            return None
        if op.end <= start:
            shift += len(op.text) - (op.end - op.start)
    return group.model_copy(update={"new_start": start + shift})


def groups(
    base: DraftText, text: str, starts: list[int], brackets: Lineage
) -> list[dict[str, Any]]:
    """The bracket groups ``base`` carries (lineage records of them), where their text is still as issued: id,
    paragraph, offsets in that paragraph, and each alternative with who holds it."""
    found = []
    for op in brackets:
        at, shown = op.get("new_start", 0), op.get("text", "")
        if not op.get("bracket") or text[at : at + len(shown)] != shown:
            continue
        found.append(_group(op, base, starts, at, shown))
    return found


def _group(
    op: dict[str, Any], base: DraftText, starts: list[int], at: int, shown: str
) -> dict[str, Any]:
    """A bracket group issued at ``at`` as ``shown``: its id, paragraph, offsets in it, and alternatives."""
    opening = at + shown.find("[")
    home = starts[max(0, bisect.bisect_right(starts, opening) - 1)]
    return {
        "id": op["bracket"],
        "paragraph": key_at(base, starts, opening),
        "text": shown.strip(MARK + " ").replace(MARK, "\n"),
        "start": opening - home,
        "end": at + shown.rfind("]") + 1 - home,
        "alternatives": [_alternative(a) for a in op.get("alternatives", [])],
    }


def _alternative(alternative: dict[str, Any]) -> dict[str, Any]:
    """One alternative of a bracket group: its words, the proposal they came from, who proposed and holds them."""
    return {
        "text": alternative.get("text", "").replace(MARK, "\n"),
        "proposal": alternative.get("proposal"),
        "parties": alternative.get("parties", []),
        "held_by": alternative.get("held_by", []),
    }


def resolution(p: MergedProposal, start: int, found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """An amendment over a whole bracket group resolves it: "B3 resolved: keeps 'as well as'", or replaces it
    ("B3 replaced by '...'"), or deletes it; None for any other amendment (``start``: its paragraph's offset)."""
    for group in found:
        span = (p.start - start, p.end - start)
        if group["paragraph"] == p.paragraph and span == (group["start"], group["end"]):
            return None if "[" in p.inserted or "]" in p.inserted else _resolves(p, group)
    return None


def _resolves(p: MergedProposal, group: dict[str, Any]) -> dict[str, Any]:
    """What an amendment over a whole bracket group does to it: keeps an alternative, replaces it, deletes it."""
    kept = " ".join(p.inserted.split())
    alternatives = {" ".join(a["text"].split()) for a in group["alternatives"]}
    how = (
        f"keeps '{kept}'"
        if kept in alternatives
        else f"replaced by '{kept}'"
        if kept
        else "deleted"
    )
    return {
        "bracket": group["id"],
        "keeps": p.inserted if kept in alternatives else None,
        "summary": f"{group['id']} {'resolved: ' if kept in alternatives else ''}{how}",
    }
