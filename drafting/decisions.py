"""Co-presidency decisions, from a JSON file or from the compilation returned with changes accepted/rejected in
Word, and their reconciliation: both accept -> applied; both reject -> dropped; else -> [bracketed]."""

from __future__ import annotations

import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from drafting._diff import map_offset, word_diff
from drafting.compilation import author_of
from drafting.errors import InvalidInput
from drafting.merge import Merged, MergedProposal, alternative
from drafting.proposals import MARK, base_string
from drafting.text import DraftText
from drafting.wordml.models import Reading, SegmentKind

ACCEPT, REJECT = "accept", "reject"


class Outcome(StrEnum):
    APPLIED = "applied"
    DROPPED = "dropped"
    BRACKETED = "bracketed"


class Resolution(BaseModel):
    """What happens to one proposal, and why."""

    model_config = ConfigDict(frozen=True)

    proposal: str
    outcome: Outcome
    decisions: dict[str, str | None] = Field(default_factory=dict)  # party -> accept | reject | None (silent)
    group: str | None = None


def decisions_from_json(data: bytes, merged: Merged, *, source: str) -> dict[str, str]:
    """Parse {"decisions": {"P001": "accept" | "reject"}}; refuse unknown ids and other values."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{source}: not valid JSON ({error}); expected {{\"decisions\": {{\"P001\": \"accept\"}}}}") from None
    decisions = document.get("decisions") if isinstance(document, dict) else None
    if not isinstance(decisions, dict):
        raise InvalidInput(f"{source}: no \"decisions\" object; expected {{\"decisions\": {{\"P001\": \"accept\"}}}}")
    known = merged.by_id()
    for pid, value in decisions.items():
        if pid not in known:
            raise InvalidInput(f"{source}: proposal {pid!r} is not in this round's compilation; see synopsis.json")
        if value not in (ACCEPT, REJECT):
            raise InvalidInput(f"{source}: decision for {pid} is {value!r}; use \"accept\" or \"reject\"")
    return {str(k): str(v) for k, v in sorted(decisions.items())}


def decisions_from_docx(reading: Reading, base: DraftText, merged: Merged, names: dict[str, str]) -> dict[str, str]:
    """Infer decisions from the compilation as returned: a change still tracked is undecided (silent)."""
    text = base_string(base)
    decided = _rejected_view(reading)
    diffs = word_diff(text, decided)
    pending = [(c.author, c.text) for c in reading.changes if c.text]
    decisions: dict[str, str] = {}
    groups = {g.id: g for g in merged.conflicts}
    for proposal in merged.proposals:
        author = author_of(proposal.parties, names)
        if any(a == author and t and (t in proposal.inserted or t in proposal.deleted) for a, t in pending):
            continue
        if proposal.group:
            group = groups[proposal.group]
            region_start = map_offset(diffs, group.start)
            alt = alternative(text, group, proposal)
            hit = decided[region_start:region_start + len(alt)] == alt and alt != text[group.start:group.end]
            decisions[proposal.id] = ACCEPT if hit else REJECT
            continue
        decisions[proposal.id] = ACCEPT if _applied(proposal, text, decided, diffs) else REJECT
    return decisions


def _rejected_view(reading: Reading) -> str:
    """The returned file with every still-pending change undone, in proposal coordinates."""
    parts: list[str] = []
    last = len(reading.paragraphs) - 1
    for paragraph in reading.paragraphs:
        parts.extend(s.text for s in paragraph.segments if s.kind != SegmentKind.INSERT)
        if paragraph.index != last and paragraph.mark.value not in ("inserted",):
            parts.append(MARK)
    return "".join(parts)


def _applied(proposal: MergedProposal, text: str, decided: str, diffs: list[tuple[int, str]]) -> bool:
    start = map_offset(diffs, proposal.start)
    before = text[max(0, proposal.start - 12):proposal.start]
    after = text[proposal.end:proposal.end + 12]
    if proposal.inserted:
        window = decided[max(0, start - len(before) - 8):start + len(proposal.inserted) + len(after) + 8]
        return (before + proposal.inserted + after) in window or (
            proposal.inserted in window and (proposal.deleted == "" or (before + proposal.deleted + after) not in window)
        )
    window = decided[max(0, start - len(before) - 8):start + len(proposal.deleted) + len(after) + 8]
    return (before + proposal.deleted + after) not in window


def reconcile(merged: Merged, by_party: dict[str, dict[str, str]], co_presidencies: list[str]) -> list[Resolution]:
    """Both accept -> applied; both reject -> dropped; they differ or one is silent -> bracketed."""
    resolutions: list[Resolution] = []
    for proposal in merged.proposals:
        votes = {party: by_party.get(party, {}).get(proposal.id) for party in co_presidencies}
        resolutions.append(Resolution(proposal=proposal.id, outcome=_outcome(votes), decisions=votes, group=proposal.group))
    return _settle_groups(resolutions, merged)


def _outcome(votes: dict[str, str | None]) -> Outcome:
    values = set(votes.values())
    if values == {ACCEPT}:
        return Outcome.APPLIED
    if values == {REJECT}:
        return Outcome.DROPPED
    return Outcome.BRACKETED


def _settle_groups(resolutions: list[Resolution], merged: Merged) -> list[Resolution]:
    """In a conflict group only one alternative can be applied; anything else brackets the whole group."""
    settled = {r.proposal: r for r in resolutions}
    for group in merged.conflicts:
        members = [settled[pid] for pid in group.proposals]
        applied = [r for r in members if r.outcome == Outcome.APPLIED]
        undecided = [r for r in members if r.outcome == Outcome.BRACKETED]
        if len(applied) > 1 or undecided:
            for r in members:
                if r.outcome != Outcome.DROPPED or undecided:
                    settled[r.proposal] = r.model_copy(update={"outcome": Outcome.BRACKETED})
    return [settled[r.proposal] for r in resolutions]
