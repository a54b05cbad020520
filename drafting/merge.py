"""Merge every party's proposals: identical ones become one supported by all, overlapping ones a conflict group."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from drafting.proposals import Note, PartyProposals, Proposal


class MergedProposal(BaseModel):
    """A proposal as the compilation shows it, with every party that made it."""

    model_config = ConfigDict(frozen=True)

    id: str  # P001 ... in base order
    start: int
    end: int
    deleted: str
    inserted: str
    paragraph: str
    parties: list[str]
    sources: list[str]  # the per-party proposal ids
    rationale: list[tuple[str, str]] = Field(default_factory=list)  # (party, text)
    untracked: bool = False
    rebased: bool = False
    moved: bool = False
    rewritten: bool = False  # a paragraph its party changed nearly whole (drafting.amendments)
    group: str | None = None  # conflict group id


class ConflictGroup(BaseModel):
    """Proposals that change the same words differently: shown side by side, decided together."""

    model_config = ConfigDict(frozen=True)

    id: str
    start: int
    end: int
    proposals: list[str]


class Merged(BaseModel):
    """The outcome of a merge: proposals in base order, conflict groups, and free-standing notes."""

    model_config = ConfigDict(frozen=True)

    proposals: list[MergedProposal]
    conflicts: list[ConflictGroup]
    notes: list[Note] = Field(default_factory=list)

    def by_id(self) -> dict[str, MergedProposal]:
        return {p.id: p for p in self.proposals}


class Compiled(BaseModel):
    """A round's proposals merged, with each party's contributions, on one language's text."""

    model_config = ConfigDict(frozen=True)

    merged: Merged
    contributions: list[PartyProposals]


class AcrossGroup(BaseModel):
    """A paragraph amended on more than one language's text: its amendments' ids (as decided) by language
    (drafting.across)."""

    model_config = ConfigDict(frozen=True)

    paragraph: str  # its key, the same in every language
    proposals: dict[str, list[str]]  # language -> ids, in base order; the first language first


class StoredCompilation(Compiled):
    """What a round's compilation keeps (its proposals.json): the merge on the first language's text, and the
    merge on each further language's text (none in one language), and the paragraphs amended in several."""

    languages: dict[str, Compiled] = Field(default_factory=dict)
    across: list[AcrossGroup] = Field(default_factory=list)

    def conflict_count(self) -> int:
        """The conflict groups of the round: in every language, and across languages."""
        groups = [self.merged, *(c.merged for c in self.languages.values())]
        return sum(len(m.conflicts) for m in groups) + len(self.across)

    def merged_by_language(self, first: str) -> dict[str, Merged]:
        """The merged proposals on each language's text, the first first."""
        return {first: self.merged} | {lang: c.merged for lang, c in self.languages.items()}


def merge(contributions: list[PartyProposals]) -> Merged:
    """Group identical proposals, then find overlapping ones; ids follow the base text's order."""
    grouped: dict[tuple[int, int, str], list[Proposal]] = {}
    for contribution in sorted(contributions, key=lambda c: c.party):
        for proposal in contribution.proposals:
            grouped.setdefault((proposal.start, proposal.end, proposal.inserted), []).append(
                proposal
            )
    merged = [
        _merged(f"P{i + 1:03d}", group) for i, (_, group) in enumerate(sorted(grouped.items()))
    ]
    conflicts = _conflicts(merged)
    membership = {pid: group.id for group in conflicts for pid in group.proposals}
    merged = [p.model_copy(update={"group": membership.get(p.id)}) for p in merged]
    notes = sorted(
        (n for c in contributions for n in c.notes), key=lambda n: (n.offset, n.party, n.text)
    )
    return Merged(proposals=merged, conflicts=conflicts, notes=notes)


def _merged(pid: str, group: list[Proposal]) -> MergedProposal:
    first = group[0]
    return MergedProposal(
        id=pid,
        start=first.start,
        end=first.end,
        deleted=first.deleted,
        inserted=first.inserted,
        paragraph=first.paragraph,
        parties=[p.party for p in group],
        sources=[p.id for p in group],
        rationale=[(p.party, text) for p in group for text in p.rationale],
        untracked=all(p.untracked for p in group),
        rebased=any(p.rebased for p in group),
        moved=any(p.moved for p in group),
        rewritten=any(p.rewritten for p in group),
    )


def overlaps(a: MergedProposal, b: MergedProposal) -> bool:
    """Two proposals touch the same words: overlapping ranges, or an insertion inside or at the edge of a range."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start <= a.start <= b.end
    if b.start == b.end:
        return a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def _overlapping(proposals: list[MergedProposal]) -> list[list[MergedProposal]]:
    """The proposals grouped so that each overlaps another of its group (a proposal alone is a group of one)."""
    groups: list[list[MergedProposal]] = []
    for proposal in proposals:
        hits = [g for g in groups if any(overlaps(proposal, other) for other in g)]
        if not hits:
            groups.append([proposal])
            continue
        keep = hits[0]
        keep.append(proposal)
        for other in hits[1:]:
            keep.extend(other)
            groups.remove(other)
    return groups


def _conflicts(proposals: list[MergedProposal]) -> list[ConflictGroup]:
    """Connected components of the overlap relation, in base order (proposals are sorted by start)."""
    conflicts = [g for g in _overlapping(proposals) if len(g) > 1]
    conflicts.sort(key=lambda g: min(p.start for p in g))
    return [
        ConflictGroup(
            id=f"C{i + 1:02d}",
            start=min(p.start for p in group),
            end=max(p.end for p in group),
            proposals=sorted(p.id for p in group),
        )
        for i, group in enumerate(conflicts)
    ]


def alternative(base_text: str, group: ConflictGroup, proposal: MergedProposal) -> str:
    """The group's region of the base text as this proposal would make it."""
    region = base_text[group.start : group.end]
    local_start, local_end = proposal.start - group.start, proposal.end - group.start
    return region[:local_start] + proposal.inserted + region[local_end:]


def move_pairs(merged: Merged) -> list[tuple[MergedProposal, MergedProposal]]:
    """The two halves of each move (Word's moveFrom and moveTo, outside conflict groups): the same parties take
    words out in one place and put the same words in another."""

    halves = [p for p in merged.proposals if p.moved and p.group is None]
    targets = [p for p in halves if _words(p.inserted) and not _words(p.deleted)]
    pairs = []
    for taken in (p for p in halves if _words(p.deleted) and not _words(p.inserted)):
        put = next((t for t in targets if _puts_back(t, taken)), None)
        if put is not None:
            targets.remove(put)
            pairs.append((taken, put))
    return pairs


def _words(text: str) -> str:
    return " ".join(text.split())


def _puts_back(target: MergedProposal, taken: MergedProposal) -> bool:
    """``target`` inserts, by the same parties, the words ``taken`` deletes."""
    return target.parties == taken.parties and _words(target.inserted) == _words(taken.deleted)
