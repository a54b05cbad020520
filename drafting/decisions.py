"""Co-presidency decisions, from a JSON file or from the compilation returned with changes accepted/rejected in
Word, and their reconciliation: both accept -> applied; both reject -> dropped; else -> [bracketed]."""

from __future__ import annotations

import json
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from drafting.characters import canonical
from drafting.compilation import Piece, layout_pieces
from drafting.errors import InvalidInput
from drafting.merge import ConflictGroup, Merged, MergedProposal, move_pairs
from drafting.proposals import MARK
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
    return whole_moves({str(k): str(v) for k, v in decisions.items()}, merged, source=source)


def whole_moves(decisions: dict[str, str], merged: Merged, *, source: str | None = None) -> dict[str, str]:
    """A move is decided whole, as Word accepts or rejects it: one half decided decides the other. Halves decided
    apart would duplicate or lose the words: refused in a decisions file (``source``), left undecided otherwise."""
    decided = dict(decisions)
    for taken, put in move_pairs(merged):
        first, second = decisions.get(taken.id), decisions.get(put.id)
        if first and second and first != second:
            if source is not None:
                moved = " ".join(taken.deleted.split())
                shown = moved if len(moved) <= 40 else moved[:37] + "..."
                movers = ", ".join(taken.parties)
                raise InvalidInput(f"{source}: {taken.id} and {put.id} are the two halves of {movers}'s move of "
                                   f"{shown!r}; accept both or reject both")
            decided.pop(taken.id), decided.pop(put.id)
        elif first or second:
            decided[taken.id] = decided[put.id] = first or second or ""
    return dict(sorted(decided.items()))


def decisions_from_docx(reading: Reading, base: DraftText, merged: Merged, names: dict[str, str]) -> dict[str, str]:
    """Infer decisions from the compilation as returned: a change still tracked is undecided (silent).

    The compilation accord issued is rebuilt piece by piece (each tracked change knows its proposal) and the
    returned file is aligned with it: a piece still tracked is pending, a piece now plain text was accepted (an
    insertion) or rejected (a deletion), a piece gone was rejected (an insertion) or accepted (a deletion).
    """
    pieces = _by_mark(layout_pieces(base, merged, names=names, date="2000-01-01T00:00:00Z").pieces)
    states = _align(pieces, _returned_stream(reading))
    verdicts: dict[str, set[str]] = {}
    for piece, state in zip(pieces, states, strict=True):
        if piece.owner is not None:
            verdicts.setdefault(piece.owner, set()).add(state)
    decisions: dict[str, str] = {}
    for proposal in merged.proposals:
        if proposal.group is None:
            verdict = _single_verdict(verdicts.get(proposal.id, set()))
            if verdict is not None:
                decisions[proposal.id] = verdict
    for group in merged.conflicts:
        decisions.update(_group_verdicts(group, [merged.by_id()[pid] for pid in group.proposals], verdicts))
    return whole_moves(decisions, merged)


_PENDING = "pending"


def _by_mark(pieces: list[Piece]) -> list[Piece]:
    """Pieces cut at paragraph marks: Word accepts or rejects a mark apart from the words around it. Their text is
    canonical, as the returned stream's is: a character saved another way (drafting/characters.py) is no edit."""
    out: list[Piece] = []
    for piece in pieces:
        for part in re.split(f"({MARK})", piece.text):
            if part:
                out.append(Piece(canonical(part), piece.kind, piece.author, [], piece.owner))
    return out


def _single_verdict(states: set[str]) -> str | None:
    """A proposal's verdict from its pieces' fates; partly decided or still tracked -> silent (None)."""
    if not states or _PENDING in states or len(states) > 1:
        return None
    return ACCEPT if states == {"accepted"} else REJECT if states == {"rejected"} else None


def _group_verdicts(
    group: ConflictGroup, members: list[MergedProposal], verdicts: dict[str, set[str]]
) -> dict[str, str]:
    """A conflict as Word left it: the alternatives whose insertion was accepted are accepted (one alone: chosen;
    several: reconcile brackets them); the shared deletion accepted alone chooses the alternative that deletes the
    whole region; anything still tracked leaves the whole group silent."""
    if any(_PENDING in verdicts.get(owner, set()) for owner in [group.id, *(p.id for p in members)]):
        return {}
    chosen = {p.id for p in members if verdicts.get(p.id) == {"accepted"}}
    if not chosen and verdicts.get(group.id) == {"accepted"}:
        chosen = {p.id for p in members if not p.inserted and (p.start, p.end) == (group.start, group.end)}
    return {p.id: ACCEPT if p.id in chosen else REJECT for p in members}


def _returned_stream(reading: Reading) -> tuple[str, str]:
    """The returned body as one string in proposal coordinates, and each character's state (e, i or d)."""
    text: list[str] = []
    kinds: list[str] = []
    last = len(reading.paragraphs) - 1
    for paragraph in reading.paragraphs:
        for segment in paragraph.segments:
            text.append(segment.text)
            kinds.append(_KIND[segment.kind] * len(segment.text))
        if paragraph.index != last:
            text.append(MARK)
            kinds.append(_MARK_KIND.get(paragraph.mark.value, "e"))
    return canonical("".join(text)), "".join(kinds)


_KIND = {SegmentKind.EQUAL: "e", SegmentKind.INSERT: "i", SegmentKind.DELETE: "d"}
_MARK_KIND = {"inserted": "i", "deleted": "d", "both": "d"}


def _align(pieces: list[Piece], stream: tuple[str, str]) -> list[str]:
    """The fate of each piece (pending, accepted, rejected) such that the pieces rebuild the returned stream."""
    text, kinds = stream
    frontier: dict[int, list[str]] = {0: []}
    for piece in pieces:
        reached: dict[int, list[str]] = {}
        for at, path in frontier.items():
            for state, length in _fates(piece, text, kinds, at):
                reached.setdefault(at + length, path + [state])
        if not reached:
            raise InvalidInput(_MISMATCH.format(near=piece.text[:60].replace(MARK, " / ")))
        frontier = reached
    if len(text) not in frontier:
        raise InvalidInput(_MISMATCH.format(near=text[max(frontier):][:60].replace(MARK, " / ")))
    return frontier[len(text)]


_MISMATCH = (
    "the returned compilation differs from the one accord issued by more than accepted and rejected changes "
    "(near {near!r}); accept or reject changes only, or send the decisions as a .json file"
)


def _fates(piece: Piece, text: str, kinds: str, at: int) -> list[tuple[str, int]]:
    """How a piece can appear at ``at`` in the returned stream: (its fate, characters it takes)."""
    n = len(piece.text)
    here = text[at:at + n] == piece.text
    if piece.kind == SegmentKind.EQUAL:
        return [("equal", n)] if here and kinds[at:at + n] == "e" * n else []
    tracked = "i" if piece.kind == SegmentKind.INSERT else "d"
    plain = "accepted" if piece.kind == SegmentKind.INSERT else "rejected"
    gone = "rejected" if piece.kind == SegmentKind.INSERT else "accepted"
    fates = [(gone, 0)]
    if here and kinds[at:at + n] == tracked * n:
        fates.append((_PENDING, n))
    if here and kinds[at:at + n] == "e" * n:
        fates.append((plain, n))
    return fates


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
