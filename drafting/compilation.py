"""The compilation: the base text with every proposal as a native tracked change authored by its party.

Each change carries a comment with its amendment id and parties ("P007 [AR]: replace 'and' with 'as well as'"),
so the Word file, the synopsis and a decisions file can be matched; the first comment is a legend of authors.
Conflicting proposals are shown side by side: the disputed words as one deletion by all the parties involved,
followed by each alternative as an insertion by its party, and a comment "C01 ... Alt 1 (Mexico) P003 [MX]: ...".
Rejecting every change gives the base text; accepting every change of a paragraph that one party alone touched
gives that party's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.invisible import amendment_flags
from drafting.merge import ConflictGroup, Merged, MergedProposal, alternative
from drafting.proposals import MARK, Note, base_string
from drafting.text import DraftText
from drafting.wordml.models import MarkState, SegmentKind
from drafting.wordml.writer import OutComment, OutIdentity, OutParagraph, OutRun, write_docx


@dataclass
class Piece:
    """A stretch of a tracked document in one revision state, with the comments anchored on it."""

    text: str
    kind: SegmentKind = SegmentKind.EQUAL
    author: str | None = None
    comments: list[int] = field(default_factory=list)
    owner: str | None = (
        None  # the proposal (or, for a conflict's shared deletion, the group) it shows
    )


@dataclass
class LayoutBuilder:
    """Pieces and comments of a tracked document being laid out (the compilation, a redline)."""

    names: dict[str, str]
    date: str
    pieces: list[Piece] = field(default_factory=list)
    comments: list[OutComment] = field(default_factory=list)
    resolves: dict[str, str] = field(
        default_factory=dict
    )  # proposal id -> "B3 resolved: keeps 'as well as'"
    also: dict[str, str] = field(
        default_factory=dict
    )  # proposal id -> "Also amended in ES: ..." (drafting.across)

    def comment(self, party_or_author: str, text: str) -> int:
        cid = len(self.comments)
        author = self.names.get(party_or_author, party_or_author)
        initials = party_or_author if party_or_author in self.names else "acc"
        self.comments.append(
            OutComment(id=cid, author=author, initials=initials[:9], date=self.date, text=text)
        )
        return cid

    def add(
        self,
        text: str,
        kind: SegmentKind = SegmentKind.EQUAL,
        author: str | None = None,
        comments: list[int] | None = None,
        owner: str | None = None,
    ) -> None:
        if text:
            self.pieces.append(Piece(text, kind, author, list(comments or []), owner))


def author_of(parties: list[str], names: dict[str, str]) -> str:
    """The Word author of a change: the party's name, or the names of all parties that made it."""
    return " / ".join(names.get(p, p) for p in parties)


def compilation_document(
    template: bytes,
    base: DraftText,
    merged: Merged,
    *,
    names: dict[str, str],
    date: str,
    stamp: dict[str, str],
    title: str,
    identity: OutIdentity | None = None,
    resolves: dict[str, str] | None = None,
    cover: list[str] | None = None,
    also: dict[str, str] | None = None,
) -> bytes:
    """Write compilation.docx: deterministic bytes for identical inputs. ``resolves``: for an amendment that
    resolves a bracket group, what it does to it ("B3 resolved: keeps 'as well as'"), said in its comment; ``cover``
    (see ``cover_lines``) on its first page, above the text (in the first page's header: the body stays the base
    text and its changes); ``also``: a further comment on an amendment, naming those made on another language's
    text of its paragraph (drafting.across)."""
    if identity is not None and cover:
        identity = identity.model_copy(update={"first_page": cover})
    paragraphs, comments = compilation_layout(
        base, merged, names=names, date=date, resolves=resolves, also=also
    )
    return write_docx(
        template,
        paragraphs,
        comments=comments,
        custom_properties=stamp,
        title=title,
        identity=identity,
        as_before_identity=identity is None,
    )  # a declaration from before identity: as then


def compilation_layout(
    base: DraftText,
    merged: Merged,
    *,
    names: dict[str, str],
    date: str,
    resolves: dict[str, str] | None = None,
    also: dict[str, str] | None = None,
) -> tuple[list[OutParagraph], list[OutComment]]:
    """The compilation as paragraphs of runs in revision states, and its comments."""
    builder = layout_pieces(base, merged, names=names, date=date, resolves=resolves, also=also)
    return split_paragraphs(builder, base), builder.comments


def layout_pieces(
    base: DraftText,
    merged: Merged,
    *,
    names: dict[str, str],
    date: str,
    resolves: dict[str, str] | None = None,
    also: dict[str, str] | None = None,
) -> LayoutBuilder:
    """The compilation as a stream of pieces (text, revision state, author, owning proposal) before paragraphs."""
    text = base_string(base)
    builder = LayoutBuilder(names=names, date=date, resolves=resolves or {}, also=also or {})
    notes = sorted(merged.notes, key=lambda n: (n.offset, n.party, n.text))
    first = (
        builder.comment("accord", legend(merged, names)) if merged.proposals else None
    )  # comment 0
    _lay_items(builder, text, merged, notes)
    for note in notes:  # a note inside a change at the very end of the text: on the last piece
        builder.pieces[-1].comments.append(builder.comment(note.party, note.text))
    if builder.pieces and first is not None:
        builder.pieces[0].comments.insert(0, first)
    return builder


def legend(merged: Merged, names: dict[str, str]) -> str:
    """The first comment: which Word author is which party, and what the ids on the changes are."""
    parties = sorted({party for p in merged.proposals for party in p.parties})
    return (
        "Legend: each tracked change carries a comment with its amendment id (P001 ...; conflicts C01 ...), "
        "the ids of synopsis.html and of a decisions file. Authors: "
        + "; ".join(f"{names.get(code, code)} = {code}" for code in parties)
        + "."
    )


@dataclass(frozen=True)
class Received:
    """Who answered a round: delegations that submitted, of how many; co-presidencies that did."""

    delegations: int
    of: int
    co_presidencies: int = 0

    def said(self) -> str:
        """'Received from 12 of 58 delegations' (and from the co-presidencies that submitted)."""
        noun = "delegation" if self.of == 1 else "delegations"
        n = self.co_presidencies
        also = (
            "" if n == 0 else f" and {n} co-presidency" if n == 1 else f" and {n} co-presidencies"
        )
        return f"Received from {self.delegations} of {self.of} {noun}{also}"


def _legend(merged: Merged, names: dict[str, str]) -> list[str]:
    """Each party that proposed amendments, by code: its name and how many."""
    count: dict[str, int] = {}
    for proposal in merged.proposals:
        for party in proposal.parties:
            count[party] = count.get(party, 0) + 1
    return [f"{code} {names.get(code, code)} ({n})" for code, n in sorted(count.items())]


def cover_lines(
    merged: Merged,
    names: dict[str, str],
    *,
    round_number: int,
    version: str,
    deadline: str | None,
    received: Received,
) -> list[str]:
    """The compilation's first page: round, base version, deadline (as the reader's zone says it), who answered,
    how to read the changes, and a legend of the parties that proposed them, by code."""
    legend = _legend(merged, names)
    amendments = len(merged.proposals)
    return [
        f"Compilation of proposals, round {round_number}",
        f"Base version: {version}",
        f"Deadline: {deadline}" if deadline else "Deadline: none was set",
        received.said(),
        f"{amendments} {'amendment' if amendments == 1 else 'amendments'}, {len(merged.conflicts)} in conflict groups"
        if merged.conflicts
        else f"{amendments} {'amendment' if amendments == 1 else 'amendments'}",
        "Each tracked change is one amendment, authored by its parties; its comment gives the amendment id (P001 ...,"
        " conflicts C01 ...) and the parties' codes. Print with markup (comments) to keep them on paper.",
        "Parties (amendments): " + ("; ".join(legend) if legend else "none proposed a change"),
    ]


def amendment_summary(proposal: MergedProposal, resolves: str | None = None) -> str:
    """An amendment in one line: its id, its parties, what it does (to a bracket group it resolves, if it does)."""

    def cut(text: str) -> str:
        text = " ".join(text.replace(MARK, " ").split())
        return text if len(text) <= 60 else text[:57] + "..."

    what = (
        f"replace '{cut(proposal.deleted)}' with '{cut(proposal.inserted)}'"
        if proposal.deleted and proposal.inserted
        else f"delete '{cut(proposal.deleted)}'"
        if proposal.deleted
        else f"insert '{cut(proposal.inserted)}'"
    )
    return f"{proposal.id} [{', '.join(proposal.parties)}]: {resolves or what}"


def _items(merged: Merged) -> list[tuple[int, int, MergedProposal | ConflictGroup]]:
    items: list[tuple[int, int, MergedProposal | ConflictGroup]] = [
        (p.start, p.end, p) for p in merged.proposals if p.group is None
    ]
    items.extend((g.start, g.end, g) for g in merged.conflicts)
    return sorted(items, key=lambda item: (item[0], item[1], item[2].id))


def _equal_with_notes(builder: LayoutBuilder, text: str, pos: int, end: int, notes: list) -> int:  # type: ignore[type-arg]
    """Unchanged base text; a note (a comment on no proposal) is anchored on the word where it falls.

    A note that falls inside a proposal's span (already written) is anchored on the first word after it.
    """
    while notes and notes[0].offset < end and pos < end:
        note = notes.pop(0)
        at = max(pos, note.offset)
        while note.offset < at < end - 1 and text[at].isspace():
            at += 1
        builder.add(text[pos:at])
        word_end = _word_end(text, at, end)
        builder.add(text[at:word_end], comments=[builder.comment(note.party, note.text)])
        pos = word_end
    builder.add(text[pos:end])
    return end


def _word_end(text: str, start: int, limit: int) -> int:
    end = start
    while end < limit and not text[end].isspace() and text[end] != MARK:
        end += 1
    return max(end, min(start + 1, limit)) if end == start else end


def _lay_items(builder: LayoutBuilder, text: str, merged: Merged, notes: list[Note]) -> None:
    """Each proposal or conflict group in text order, with the unchanged text (and its notes) between them."""
    by_id = merged.by_id()
    pos = 0
    for start, end, item in _items(merged):
        pos = _equal_with_notes(builder, text, pos, start, notes)
        if isinstance(item, ConflictGroup):
            _conflict(builder, text, item, [by_id[pid] for pid in item.proposals])
        else:
            _single(builder, item)
        pos = end
    _equal_with_notes(builder, text, pos, len(text), notes)


def _single(builder: LayoutBuilder, proposal: MergedProposal) -> None:
    author = author_of(proposal.parties, builder.names)
    ids = [
        builder.comment("accord", amendment_summary(proposal, builder.resolves.get(proposal.id)))
    ]
    ids.extend(builder.comment(party, note) for party, note in proposal.rationale)
    ids.extend(_flag_comments(builder, proposal, author))
    ids.extend(_also(builder, [proposal]))
    builder.add(proposal.deleted, SegmentKind.DELETE, author, ids, proposal.id)
    builder.add(proposal.inserted, SegmentKind.INSERT, author, ids, proposal.id)
    if ids and not proposal.deleted and not proposal.inserted:
        builder.pieces[-1].comments.extend(ids)


def _conflict(
    builder: LayoutBuilder, text: str, group: ConflictGroup, proposals: list[MergedProposal]
) -> None:
    region = text[group.start : group.end]
    everyone = [party for p in proposals for party in p.parties]
    ids = _conflict_comments(builder, text, group, proposals)
    deleter = author_of(sorted(set(everyone), key=everyone.index), builder.names)
    builder.add(region, SegmentKind.DELETE, deleter, ids, group.id)
    for proposal in proposals:
        alt = alternative(text, group, proposal)
        builder.add(
            alt, SegmentKind.INSERT, author_of(proposal.parties, builder.names), ids, proposal.id
        )
    if not region and not any(alternative(text, group, p) for p in proposals):
        builder.add(" ", comments=ids)


def _conflict_comments(
    builder: LayoutBuilder, text: str, group: ConflictGroup, proposals: list[MergedProposal]
) -> list[int]:
    """A conflict's comments: its alternatives (each with its parties and what it resolves), the parties' notes,
    and the invisible characters in any alternative."""
    labels = [
        f"Alt {i + 1} ({author_of(p.parties, builder.names)}) {p.id} [{', '.join(p.parties)}]: "
        f"{alternative(text, group, p).replace(MARK, ' ').strip() or '(delete)'}"
        + (f" ({builder.resolves[p.id]})" if p.id in builder.resolves else "")
        for i, p in enumerate(proposals)
    ]
    summary = f"{group.id}, one alternative or none: " + " / ".join(labels)
    ids = [builder.comment("accord", summary)]
    ids.extend(builder.comment(party, note) for p in proposals for party, note in p.rationale)
    ids.extend(
        builder.comment("accord", f"{p.id}: {flag}")
        for p in proposals
        for flag in amendment_flags(p.inserted)
    )
    ids.extend(_also(builder, proposals))
    return ids


def _also(builder: LayoutBuilder, proposals: list[MergedProposal]) -> list[int]:
    """The comments naming the amendments made on another language's text of the same paragraph."""
    return [
        builder.comment("accord", builder.also[p.id]) for p in proposals if p.id in builder.also
    ]


def _flag_comments(builder: LayoutBuilder, proposal: MergedProposal, author: str) -> list[int]:
    """The secretariat's comments flagging a proposal: untracked, re-anchored, and its amendment flags."""
    notes = []
    if proposal.untracked:
        notes.append(f"{proposal.id}: changed by {author} without track changes")
    if proposal.rebased:
        notes.append(f"{proposal.id}: made on an earlier version, re-anchored here")
    notes.extend(f"{proposal.id}: {flag}" for flag in amendment_flags(proposal.inserted))
    return [builder.comment("accord", note) for note in notes]


def split_paragraphs(builder: LayoutBuilder, base: DraftText) -> list[OutParagraph]:
    """Split the pieces at paragraph marks; each mark's revision state becomes its paragraph's mark."""
    paragraphs: list[OutParagraph] = []
    runs: list[OutRun] = []
    base_index = 0
    for piece in builder.pieces:
        first, *after_marks = _piece_runs(piece, builder.date)
        runs.extend(first)
        for part_runs in after_marks:
            paragraphs.append(_paragraph(runs, base, base_index, piece, builder.date))
            if piece.kind != SegmentKind.INSERT:
                base_index += 1
            runs = list(part_runs)
    paragraphs.append(_paragraph(runs, base, base_index, None, builder.date))
    return paragraphs


def _piece_runs(piece: Piece, date: str) -> list[list[OutRun]]:
    """The piece's text between its paragraph marks, each part as its run (none for an empty part).

    A comment's range runs from the first run naming it to the last: the runs between need not name it
    (a 200-paragraph insertion with 200 comments would otherwise carry 40,000 ids to the writer)."""
    parts = piece.text.split(MARK)
    filled = [i for i, part in enumerate(parts) if part]
    ends = {filled[0], filled[-1]} if filled else set()
    return [
        [_run(part, piece, date, named=i in ends)] if part else [] for i, part in enumerate(parts)
    ]


def _run(text: str, piece: Piece, date: str, *, named: bool = True) -> OutRun:
    comments = piece.comments if named else []
    if piece.kind == SegmentKind.EQUAL:
        return OutRun(text=text, comment_ids=comments)
    return OutRun(text=text, kind=piece.kind, author=piece.author, date=date, comment_ids=comments)


def _paragraph(
    runs: list[OutRun], base: DraftText, index: int, mark: Piece | None, date: str
) -> OutParagraph:
    template = base.paragraphs[min(index, len(base.paragraphs) - 1)].template_index
    if mark is None or mark.kind == SegmentKind.EQUAL:
        return OutParagraph(runs=runs, template_index=template)
    state = MarkState.INSERTED if mark.kind == SegmentKind.INSERT else MarkState.DELETED
    return OutParagraph(
        runs=runs, template_index=template, mark=state, mark_author=mark.author, mark_date=date
    )
