"""Co-presidency decisions, from a JSON file or from the compilation returned with changes accepted/rejected in
Word, and their reconciliation: both accept -> applied; both reject -> dropped; else -> [bracketed]."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any

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
    decisions: dict[str, str | None] = Field(
        default_factory=dict
    )  # party -> accept | reject | None (silent)
    group: str | None = None


def decisions_from_json(data: bytes, merged: Merged, *, source: str) -> dict[str, str]:
    """Parse {"decisions": {"P001": "accept" | "reject", "C01": "P003" | "reject"}}; refuse unknown ids, other
    values, and a conflict decided on more than one alternative."""
    decisions = _decisions_object(data, source)
    known = merged.by_id()
    groups = {g.id: g for g in merged.conflicts}
    for pid, value in decisions.items():
        if pid in groups:
            _check_conflict_decision(pid, value, groups[pid], source)
        else:
            _check_proposal_decision(pid, value, known, source)
    flat = whole_conflicts({str(k): str(v) for k, v in decisions.items()}, merged, source=source)
    return whole_moves(flat, merged, source=source)


def _decisions_object(data: bytes, source: str) -> dict[Any, Any]:
    """The file's "decisions" object, as JSON gives it."""
    document = _json(data, source)
    decisions = document.get("decisions") if isinstance(document, dict) else None
    if not isinstance(decisions, dict):
        raise InvalidInput(
            f'{source}: no "decisions" object; expected {{"decisions": {{"P001": "accept"}}}}'
        )
    return decisions


def _json(data: bytes, source: str) -> Any:
    """The file read as JSON; InvalidInput says why it is not."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise InvalidInput(
            f"{source}: nests too deeply to be a decisions file; expected "
            '{"decisions": {"P001": "accept"}}'
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(
            f'{source}: not valid JSON ({error}); expected {{"decisions": {{"P001": "accept"}}}}'
        ) from None
    return document


def _check_conflict_decision(pid: str, value: Any, group: ConflictGroup, source: str) -> None:
    if value != REJECT and value not in group.proposals:
        raise InvalidInput(
            f"{source}: decision for conflict {pid} is {value!r}; name the one alternative "
            f'kept ({", ".join(group.proposals)}) or "reject" to keep the base'
        )


def _check_proposal_decision(
    pid: Any, value: Any, known: dict[str, MergedProposal], source: str
) -> None:
    if pid not in known:
        raise InvalidInput(
            f"{source}: proposal {pid!r} is not in this round's compilation; see synopsis.json"
        )
    if value not in (ACCEPT, REJECT):
        raise InvalidInput(f'{source}: decision for {pid} is {value!r}; use "accept" or "reject"')


def whole_conflicts(decisions: dict[str, str], merged: Merged, *, source: str) -> dict[str, str]:
    """A conflict is decided whole: one alternative accepted rejects the others; two accepted are refused, as is
    a conflict decided both by its id and by its alternatives' ids in a different way."""
    decided = {pid: v for pid, v in decisions.items() if pid in merged.by_id()}
    for group in merged.conflicts:
        chosen = [pid for pid in group.proposals if decided.get(pid) == ACCEPT]
        whole = decisions.get(group.id)
        if whole is not None:
            chosen = _decided_whole(group, whole, chosen, source)
        if len(chosen) > 1:
            raise InvalidInput(
                f"{source}: conflict {group.id} has {len(chosen)} alternatives accepted "
                f"({', '.join(chosen)}); accept one of them, or reject them all to keep the base"
            )
        if chosen or whole == REJECT:
            decided.update({pid: ACCEPT if pid in chosen else REJECT for pid in group.proposals})
    return decided


def _decided_whole(group: ConflictGroup, whole: str, chosen: list[str], source: str) -> list[str]:
    """The alternative a conflict decided by its id keeps (none when rejected); refused when its alternatives'
    own decisions say otherwise."""
    if (whole == REJECT and chosen) or (whole != REJECT and set(chosen) - {whole}):
        raise InvalidInput(
            f"{source}: conflict {group.id} is decided as {whole!r} and its alternatives "
            f"{', '.join(chosen)} are accepted; decide it once"
        )
    return [] if whole == REJECT else [whole]


def whole_moves(
    decisions: dict[str, str], merged: Merged, *, source: str | None = None
) -> dict[str, str]:
    """A move is decided whole, as Word accepts or rejects it: one half decided decides the other. Halves decided
    apart would duplicate or lose the words: refused in a decisions file (``source``), left undecided otherwise."""
    decided = dict(decisions)
    for taken, put in move_pairs(merged):
        first, second = decisions.get(taken.id), decisions.get(put.id)
        if first and second and first != second:
            if source is not None:
                raise _halves_apart(source, taken, put)
            decided.pop(taken.id), decided.pop(put.id)
        elif first or second:
            decided[taken.id] = decided[put.id] = first or second or ""
    return dict(sorted(decided.items()))


def _halves_apart(source: str, taken: MergedProposal, put: MergedProposal) -> InvalidInput:
    """The refusal of a decisions file that decides a move's two halves differently."""
    moved = " ".join(taken.deleted.split())
    shown = moved if len(moved) <= 40 else moved[:37] + "..."
    movers = ", ".join(taken.parties)
    return InvalidInput(
        f"{source}: {taken.id} and {put.id} are the two halves of {movers}'s move of "
        f"{shown!r}; accept both or reject both"
    )


def decisions_from_docx(
    reading: Reading, base: DraftText, merged: Merged, names: dict[str, str]
) -> dict[str, str]:
    """Infer decisions from the compilation as returned: a change still tracked is undecided (silent).

    The compilation accord issued is rebuilt piece by piece (each tracked change knows its proposal) and the
    returned file is aligned with it: a piece still tracked is pending, a piece now plain text was accepted (an
    insertion) or rejected (a deletion), a piece gone was rejected (an insertion) or accepted (a deletion).
    """
    pieces = _by_mark(layout_pieces(base, merged, names=names, date="2000-01-01T00:00:00Z").pieces)
    verdicts = _verdicts(pieces, _align(pieces, _returned_stream(reading)))
    decisions: dict[str, str] = {}
    for proposal in merged.proposals:
        if proposal.group is None:
            verdict = _single_verdict(proposal, verdicts.get(proposal.id, set()))
            if verdict is not None:
                decisions[proposal.id] = verdict
    for group in merged.conflicts:
        decisions.update(
            _group_verdicts(group, [merged.by_id()[pid] for pid in group.proposals], verdicts)
        )
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


def _single_verdict(proposal: MergedProposal, states: set[str]) -> str | None:
    """A proposal's verdict from its pieces' fates: still tracked, even in part -> silent (None); part accepted and
    part rejected -> refused (the text would hold half of it)."""
    if {"accepted", "rejected"} <= states:
        raise InvalidInput(
            f"the returned compilation decides half of {proposal.id} ({_shown(proposal)}): its "
            "deletion and its insertion were not both accepted or both rejected; decide it whole"
        )
    if not states or _PENDING in states:
        return None
    return ACCEPT if states == {"accepted"} else REJECT if states == {"rejected"} else None


def _shown(proposal: MergedProposal) -> str:
    """A proposal in a few words: 'old' -> 'new'."""

    def cut(text: str) -> str:
        text = " ".join(text.replace(MARK, " ").split())
        return repr(text if len(text) <= 40 else text[:37] + "...")

    return f"{cut(proposal.deleted)} -> {cut(proposal.inserted)}"


def _garbled(group: ConflictGroup, chosen: list[str], region_taken: bool) -> InvalidInput:
    """The refusal of a conflict left as no single alternative (or the base) would read."""
    return InvalidInput(
        f"the returned compilation keeps {len(chosen)} alternatives of conflict {group.id} "
        f"({', '.join(chosen) or 'none'}) with its base words "
        f"{'deleted' if region_taken else 'kept'}; keep exactly one alternative (accept the "
        "deletion and its insertion, reject the others), or reject them all to keep the base"
    )


def _verdicts(pieces: list[Piece], states: list[str]) -> dict[str, set[str]]:
    """Each proposal's (or conflict group's) pieces' states in the returned file."""
    verdicts: dict[str, set[str]] = {}
    for piece, state in zip(pieces, states, strict=True):
        if piece.owner is not None:
            verdicts.setdefault(piece.owner, set()).add(state)
    return verdicts


def _group_verdicts(
    group: ConflictGroup, members: list[MergedProposal], verdicts: dict[str, set[str]]
) -> dict[str, str]:
    """A conflict as Word left it, decided whole: the shared deletion accepted with one alternative's insertion
    (or with none, when one alternative deletes the whole region) chooses it; the deletion rejected with every
    insertion rejected keeps the base; anything still tracked leaves the whole group silent. Any other
    combination (two alternatives, the base words kept beside an alternative) is refused: it garbles the text."""
    owners = [group.id, *(p.id for p in members)]
    if any(_PENDING in verdicts.get(owner, set()) for owner in owners):
        return {}
    chosen = [p.id for p in members if verdicts.get(p.id) == {"accepted"}]
    # all insertions at one point: no shared deletion to decide
    has_region = group.start < group.end
    region_taken = has_region and verdicts.get(group.id) == {"accepted"}
    if region_taken and not chosen:
        chosen = [
            p.id for p in members if not p.inserted and (p.start, p.end) == (group.start, group.end)
        ]
    if len(chosen) > 1 or (has_region and region_taken != bool(chosen)):
        raise _garbled(group, chosen, region_taken)
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
        raise InvalidInput(_MISMATCH.format(near=text[max(frontier) :][:60].replace(MARK, " / ")))
    return frontier[len(text)]


_MISMATCH = (
    "the returned compilation has words that are in no proposal (near {near!r}): a co-presidency decides on the "
    "proposals only; record a compromise as an amendment in the next round (or as an editorial change with "
    "`accord edit`), and return the compilation with changes accepted or rejected only, or a .json file"
)


def _fates(piece: Piece, text: str, kinds: str, at: int) -> list[tuple[str, int]]:
    """How a piece can appear at ``at`` in the returned stream: (its fate, characters it takes)."""
    n = len(piece.text)
    here = text[at : at + n] == piece.text
    if piece.kind == SegmentKind.EQUAL:
        return [("equal", n)] if here and kinds[at : at + n] == "e" * n else []
    tracked = "i" if piece.kind == SegmentKind.INSERT else "d"
    plain = "accepted" if piece.kind == SegmentKind.INSERT else "rejected"
    gone = "rejected" if piece.kind == SegmentKind.INSERT else "accepted"
    fates = [(gone, 0)]
    if here and kinds[at : at + n] == tracked * n:
        fates.append((_PENDING, n))
    if here and kinds[at : at + n] == "e" * n:
        fates.append((plain, n))
    return fates


def reconcile(
    merged: Merged, by_party: dict[str, dict[str, str]], co_presidencies: list[str]
) -> list[Resolution]:
    """Both accept -> applied; both reject -> dropped; they differ or one is silent -> bracketed."""
    resolutions: list[Resolution] = []
    for proposal in merged.proposals:
        votes = {party: by_party.get(party, {}).get(proposal.id) for party in co_presidencies}
        resolutions.append(
            Resolution(
                proposal=proposal.id, outcome=_outcome(votes), decisions=votes, group=proposal.group
            )
        )
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
