"""From a delegation's Word file to proposals against the round's base text.

The base text is one string: the version's paragraphs joined by ``MARK`` (U+2029, which Word never stores in
text, so a line break inside a paragraph stays "\\n"). A submission becomes a stream of pieces in the same
alphabet; its rejected view should be the base, and every maximal run of tracked insertions and deletions is one
proposal at base offsets. Text that differs without track changes becomes ``untracked`` proposals; a file made on
an older version is re-anchored onto the base with diff-match-patch's fuzzy matching and flagged ``rebased``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from drafting._diff import map_offset, relocate, word_diff
from drafting.amendments import Edit, amend, overlapping
from drafting.characters import conform
from drafting.text import DraftText
from drafting.wordml.models import Comment, MarkState, Reading, SegmentKind

MARK = "\u2029"
ACCORD = "accord"  # the author of the comments accord writes (who holds a bracket, amendment ids)


class Proposal(BaseModel):
    """One contiguous change a party proposes: replace base[start:end] (``deleted``) with ``inserted``."""

    model_config = ConfigDict(frozen=True)

    id: str
    party: str
    start: int
    end: int
    deleted: str
    inserted: str
    paragraph: str  # key of the base paragraph where it starts
    untracked: bool = False
    rebased: bool = False
    moved: bool = False
    rewritten: bool = (
        False  # the party changed nearly every word of the paragraph: one amendment for it
    )
    rationale: list[str] = Field(default_factory=list)
    word_author: str | None = None
    source_paragraphs: list[int] = Field(default_factory=list)  # paragraphs of the submitted file


class Note(BaseModel):
    """A comment that is not about any one proposal: kept, shown on its paragraph."""

    model_config = ConfigDict(frozen=True)

    party: str
    paragraph: str
    offset: int
    text: str
    anchor: str = ""
    word_author: str | None = None


class PartyProposals(BaseModel):
    """What one submission contributes to a compilation."""

    model_config = ConfigDict(frozen=True)

    party: str
    submission: int
    proposals: list[Proposal]
    notes: list[Note] = Field(default_factory=list)
    based_on: str | None = None  # label of an older version the file was made on
    problems: list[str] = Field(default_factory=list)


class _Change(BaseModel):
    r_start: int  # in the coordinates of the file's own text (its rejected view), then of the text it was made on
    deleted: str
    inserted: str
    moved: bool
    author: str | None
    paragraphs: list[int]
    untracked: bool = False


def base_string(text: DraftText) -> str:
    """The version's text in proposal coordinates."""
    return MARK.join(p.text for p in text.paragraphs)


def paragraph_starts(text: DraftText) -> list[int]:
    """Offset of each paragraph's first character in ``base_string``."""
    starts, offset = [], 0
    for paragraph in text.paragraphs:
        starts.append(offset)
        offset += len(paragraph.text) + 1
    return starts


def key_at(text: DraftText, starts: list[int], offset: int) -> str:
    """The key of the paragraph holding a base offset."""
    import bisect

    return text.paragraphs[max(0, bisect.bisect_right(starts, offset) - 1)].key


def derive_proposals(
    reading: Reading,
    base: DraftText,
    *,
    party: str,
    submission: int,
    older: dict[str, DraftText] | None = None,
    stamped_version: str | None = None,
) -> PartyProposals:
    """Turn one reading into proposals against ``base`` (older versions allow rebasing a stale file)."""
    older_label, proposals, problems, where = _amended(
        reading, base, party, older or {}, stamped_version
    )
    starts = paragraph_starts(base)
    proposals, notes = _attach_comments(reading, proposals, base, starts, party, where.offset)
    return PartyProposals(
        party=party,
        submission=submission,
        proposals=proposals,
        notes=notes,
        based_on=older_label,
        problems=problems,
    )


def _amended(
    reading: Reading, base: DraftText, party: str, older: dict[str, DraftText], stamp: str | None
) -> tuple[str | None, list[Proposal], list[str], _FileToBase]:
    """The older version the file was made on (None: the base), the party's numbered amendments at base offsets,
    the problems found, and how the file's paragraphs map onto the base."""
    changes, rejected, paragraph_at = _tracked_changes(reading)
    base_text = base_string(base)
    rejected = conform(rejected, base_text)  # one character stored two ways is no change
    older_label = _older_base(rejected, base_text, older, stamp)
    source = base_text if older_label is None else base_string(older[older_label])
    diffs = word_diff(source, rejected) if rejected != source else []
    changes = _mapped(changes, diffs)
    starts = paragraph_starts(base)
    problems: list[str] = []
    placed = _placed(changes, source, base_text, base, starts, party, problems, older_label)
    proposals = _numbered(_amendments(placed, base_text, base, starts, problems), party)
    moved_on = word_diff(source, base_text) if older_label is not None else []
    where = _FileToBase(paragraph_at, diffs, moved_on, len(base_text))
    return older_label, proposals, problems, where


def _mapped(changes: list[_Change], diffs: list[tuple[int, str]]) -> list[_Change]:
    """Tracked changes moved from the file's own text into the text it was made on (``diffs``, empty when they are
    the same), with the differences no tracked change explains."""
    if not diffs:
        return changes
    mapped = [
        c.model_copy(update={"r_start": map_offset(diffs, c.r_start, reverse=True)})
        for c in changes
    ]
    return mapped + _untracked(diffs)


def _placed(
    changes: list[_Change],
    source: str,
    base_text: str,
    base: DraftText,
    starts: list[int],
    party: str,
    problems: list[str],
    older_label: str | None,
) -> list[Proposal]:
    """The changes as proposals at base offsets: re-anchored when the file was made on an older version."""
    if older_label is not None:
        return _rebase(changes, source, base_text, base, starts, party, problems)
    return [_proposal(change, change.r_start, base_text, base, starts, party) for change in changes]


@dataclass(frozen=True)
class _FileToBase:
    """Where a paragraph of the file starts in the base: through the file's own differences (``diffs``) to the text
    it was made on, then through what changed since (``moved_on``) to the base."""

    paragraph_at: list[int]  # each paragraph's start in the file's rejected view
    diffs: list[tuple[int, str]]
    moved_on: list[tuple[int, str]]
    base_length: int

    def offset(self, paragraph: int | None) -> int:
        at = self.paragraph_at
        offset = at[min(paragraph or 0, len(at) - 1)] if at else 0
        offset = map_offset(self.diffs, offset, reverse=True) if self.diffs else offset
        return min(map_offset(self.moved_on, offset) if self.moved_on else offset, self.base_length)


def _tracked_changes(reading: Reading) -> tuple[list[_Change], str, list[int]]:
    """Walk the body's segments and marks; return tracked changes (in rejected-view offsets), that view, and where
    each paragraph of the file starts in it."""
    view = _RejectedView()
    last = len(reading.paragraphs) - 1
    for paragraph in reading.paragraphs:
        view.paragraph_at.append(view.r_pos)
        pieces = [(s.text, s.kind, s.moved, s.author) for s in paragraph.segments]
        if paragraph.index != last and paragraph.mark != MarkState.BOTH:
            pieces.append((MARK, _mark_kind(paragraph.mark), False, None))  # BOTH: in no view
        for text, kind, moved, author in pieces:
            if text:
                view.add(text, kind, moved=moved, author=author, paragraph=paragraph.index)
    view.close()
    return view.changes, "".join(view.rejected), view.paragraph_at


@dataclass
class _RejectedView:
    """A file's rejected view built piece by piece, each maximal run of insertions and deletions one change."""

    untracked: bool = False  # the changes are differences no tracked change explains
    changes: list[_Change] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    paragraph_at: list[int] = field(default_factory=list)
    r_pos: int = 0
    current: _Change | None = None

    def add(
        self,
        text: str,
        kind: SegmentKind,
        *,
        moved: bool,
        author: str | None,
        paragraph: int | None,
    ) -> None:
        """Equal text ends the change in progress; an insertion or a deletion extends it (or starts one)."""
        if kind == SegmentKind.EQUAL:
            self.close()
            self.rejected.append(text)
            self.r_pos += len(text)
            return
        current = self.current or self._start(moved, author)
        if paragraph is not None and paragraph not in current.paragraphs:
            current.paragraphs.append(paragraph)
        current.author = current.author or author
        if kind == SegmentKind.DELETE:
            current.deleted += text
            self.rejected.append(text)
            self.r_pos += len(text)
        else:
            current.inserted += text

    def _start(self, moved: bool, author: str | None) -> _Change:
        self.current = _Change(
            r_start=self.r_pos,
            deleted="",
            inserted="",
            moved=moved,
            author=author,
            paragraphs=[],
            untracked=self.untracked,
        )
        return self.current

    def close(self) -> None:
        """End the change in progress, if any."""
        if self.current is not None:
            self.changes.append(self.current)
            self.current = None


def _mark_kind(mark: MarkState) -> SegmentKind:
    return {MarkState.INSERTED: SegmentKind.INSERT, MarkState.DELETED: SegmentKind.DELETE}.get(
        mark, SegmentKind.EQUAL
    )


def _older_base(
    rejected: str, base_text: str, older: dict[str, DraftText], stamp: str | None
) -> str | None:
    """The older version a file was made on: one whose text it matches, or the one closest to it when that is
    closer than the base (its stamp breaks ties); None when it was made on the base."""
    if rejected == base_text or not older:
        return None
    texts = {label: base_string(text) for label, text in sorted(older.items())}
    for label, text in texts.items():
        if text == rejected:
            return label
    distance = {label: _distance(text, rejected) for label, text in texts.items()}
    closest = min(distance, key=lambda label: (distance[label], label != stamp))
    return closest if distance[closest] < _distance(base_text, rejected) else None


def _distance(a: str, b: str) -> int:
    """How many characters differ between two texts (word diff)."""
    return sum(len(text) for op, text in word_diff(a, b) if op)


def _proposal(
    change: _Change, start: int, base_text: str, base: DraftText, starts: list[int], party: str
) -> Proposal:
    end = start + len(change.deleted)
    return Proposal(
        id="",
        party=party,
        start=start,
        end=end,
        deleted=base_text[start:end],
        inserted=change.inserted,
        paragraph=key_at(base, starts, start),
        moved=change.moved,
        word_author=change.author,
        source_paragraphs=change.paragraphs,
        untracked=change.untracked,
    )


def _untracked(diffs: list[tuple[int, str]]) -> list[_Change]:
    """Differences between the text a file was made on and its rejected view that no tracked change explains."""
    view = _RejectedView(untracked=True)
    for op, text in diffs:
        view.add(text, _DIFF_KIND[op], moved=False, author=None, paragraph=None)
    view.close()
    return view.changes


_DIFF_KIND = {0: SegmentKind.EQUAL, -1: SegmentKind.DELETE, 1: SegmentKind.INSERT}


def _rebase(
    changes: list[_Change],
    source: str,
    base_text: str,
    base: DraftText,
    starts: list[int],
    party: str,
    problems: list[str],
) -> list[Proposal]:
    """Re-anchor changes made on an older text onto the base; report those that no longer apply."""
    proposals = []
    for change in changes:
        start = relocate(source, base_text, change.r_start, change.deleted)
        if start is None:
            problems.append(
                f"not applicable: {party}'s {'untracked ' * change.untracked}change of {change.deleted[:40]!r} -> "
                f"{change.inserted[:40]!r} no longer matches the current text"
            )
            continue
        proposals.append(
            _proposal(change, start, base_text, base, starts, party).model_copy(
                update={"rebased": True}
            )
        )
    return proposals


def _amendments(
    proposals: list[Proposal],
    base_text: str,
    base: DraftText,
    starts: list[int],
    problems: list[str],
) -> list[Proposal]:
    """The party's changes as the amendments a delegate made (drafting.amendments: whole words, one per edit)."""
    ordered = sorted(proposals, key=lambda p: (p.start, p.end, p.inserted))
    edits = [_edit(p) for p in ordered]
    if not edits or overlapping(edits):
        return ordered  # re-anchored changes that collide: left as they are, each its own proposal
    party = ordered[0].party
    out = []
    for edit in amend(base_text, edits)[1]:
        key = key_at(base, starts, edit.start)
        problems.extend(_amendment_problems(edit, base_text, party, key))
        out.append(_amendment(edit, base_text, party, key))
    return out


def _edit(p: Proposal) -> Edit:
    """A proposal as an edit of the base (drafting.amendments' terms)."""
    return Edit(
        start=p.start,
        end=p.end,
        inserted=p.inserted,
        moved=p.moved,
        untracked=p.untracked,
        rebased=p.rebased,
        author=p.word_author,
        paragraphs=p.source_paragraphs,
    )


def _amendment_problems(edit: Edit, base_text: str, party: str, key: str) -> list[str]:
    """What the secretariat should know about an amendment: a paragraph rewritten, a bracket half removed."""
    problems = []
    if edit.rewritten:
        problems.append(
            f"rewritten: {party} changed nearly every word of paragraph {key}; shown as one amendment"
        )
    if edit.bracket and edit.inserted.count("[") != edit.inserted.count("]"):
        problems.append(
            f"broken brackets: {party} removed one bracket of {base_text[edit.start : edit.end]!r} "
            f"in paragraph {key} and kept the other; ask the delegation which alternative it keeps"
        )
    return problems


def _amendment(edit: Edit, base_text: str, party: str, key: str) -> Proposal:
    """An amendment as the party's proposal."""
    return Proposal(
        id="",
        party=party,
        start=edit.start,
        end=edit.end,
        deleted=base_text[edit.start : edit.end],
        inserted=edit.inserted,
        paragraph=key,
        untracked=edit.untracked,
        rebased=edit.rebased,
        moved=edit.moved,
        rewritten=edit.rewritten,
        word_author=edit.author,
        source_paragraphs=edit.paragraphs,
    )


def _numbered(proposals: list[Proposal], party: str) -> list[Proposal]:
    return [p.model_copy(update={"id": f"{party}-{i + 1:03d}"}) for i, p in enumerate(proposals)]


def _attach_comments(
    reading: Reading,
    proposals: list[Proposal],
    base: DraftText,
    starts: list[int],
    party: str,
    base_offset: Callable[[int | None], int],
) -> tuple[list[Proposal], list[Note]]:
    """A comment is the rationale of the proposal it is anchored on or nearest in its paragraph; else a note."""
    rationale: dict[str, list[str]] = {p.id: [] for p in proposals}
    notes: list[Note] = []
    tracked = [p for p in proposals if not p.untracked]
    text = base_string(base)
    for comment in reading.comments:
        if comment.parent is not None or comment.author == ACCORD:
            continue  # replies travel with their thread in the synopsis; accord's own notes are not the party's
        target = _comment_target(comment.anchor, comment.paragraph, tracked)
        if target is not None:
            rationale[target.id].append(comment.text)
            continue
        offset = _anchor_offset(text, base_offset(comment.paragraph), comment.anchor)
        notes.append(_note(comment, party, key_at(base, starts, offset), offset))
    return _with_rationale(proposals, rationale), notes


def _with_rationale(proposals: list[Proposal], rationale: dict[str, list[str]]) -> list[Proposal]:
    """Each proposal with the comments that explain it, if any."""
    return [
        p.model_copy(update={"rationale": rationale[p.id]}) if rationale[p.id] else p
        for p in proposals
    ]


def _note(comment: Comment, party: str, paragraph: str, offset: int) -> Note:
    """A comment about no one proposal, kept on its paragraph."""
    return Note(
        party=party,
        paragraph=paragraph,
        offset=offset,
        text=comment.text,
        anchor=comment.anchor,
        word_author=comment.author,
    )


def _comment_target(anchor: str, paragraph: int | None, tracked: list[Proposal]) -> Proposal | None:
    in_paragraph = [p for p in tracked if paragraph in p.source_paragraphs]
    for proposal in in_paragraph:
        if anchor and (
            anchor in proposal.inserted
            or anchor in proposal.deleted
            or (proposal.inserted and proposal.inserted in anchor)
            or (proposal.deleted and proposal.deleted in anchor)
        ):
            return proposal
    return in_paragraph[0] if in_paragraph else None


def _anchor_offset(text: str, paragraph_start: int, anchor: str) -> int:
    """Where a note lands: its anchored words in that paragraph of the base, else the paragraph's start."""
    end = text.find(MARK, paragraph_start)
    found = (
        text.find(anchor.split("\n")[0], paragraph_start, len(text) if end < 0 else end)
        if anchor.strip()
        else -1
    )
    return paragraph_start if found < 0 else found
