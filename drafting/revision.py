"""The next revision: the base with applied proposals in, disputed ones in [brackets], and a lineage record of
which proposal and which decisions produced each change."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafting.decisions import ACCEPT, REJECT, Outcome, Resolution
from drafting.merge import ConflictGroup, Merged, MergedProposal
from drafting.proposals import MARK, base_string
from drafting.text import DraftParagraph, DraftText, ParagraphStatus


class Holding(BaseModel):
    """One alternative of a bracket group: its words, who proposed them, which co-presidencies hold them."""

    model_config = ConfigDict(frozen=True)

    text: str
    proposal: str | None = None  # None: the base's own words
    parties: list[str] = Field(default_factory=list)
    held_by: list[str] = Field(default_factory=list)


class Operation(BaseModel):
    """One replacement of base[start:end] by ``text`` in the new revision, with where it came from."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    outcome: Outcome
    proposals: list[str]
    parties: list[str]
    decisions: dict[str, dict[str, str | None]]
    new_start: int = 0
    # for each paragraph mark in ``text``: the base paragraph it starts (a kept base mark), or None (a new one)
    marks: list[int | None] = Field(default_factory=list)
    bracket: str | None = None  # B1, B2 ... in text order: a bracket group
    alternatives: list[Holding] = Field(
        default_factory=list
    )  # a bracket group's alternatives and their holders


_Chunk = tuple[
    str, int | None
]  # a piece of an operation's text, and its offset in the base (None: new words)


def bracket(deleted: str, inserted: str) -> str:
    """Disputed text in square brackets: [inserted], [deleted] or [deleted / inserted]."""
    if deleted and inserted:
        return _wrap(f"{deleted} / {inserted}")
    return _wrap(deleted or inserted)


def _wrap(text: str) -> str:
    outside = MARK + " \t\u00a0"
    core = text.strip(outside)
    lead = text[: len(text) - len(text.lstrip(outside))]
    trail = text[len(text.rstrip(outside)) :]
    return f"{lead}[{core}]{trail}" if core else text


def operations(
    base: DraftText, merged: Merged, resolutions: list[Resolution], *, first: int = 1
) -> list[Operation]:
    """The edits the resolutions make to the base, in base order (they never overlap); bracket groups are numbered
    from B``first`` in text order (``drafting.brackets`` says which number a declaration's next group takes)."""
    text = base_string(base)
    outcome = {r.proposal: r for r in resolutions}
    found = [
        _proposal_operation(text, proposal, outcome[proposal.id]) for proposal in merged.proposals
    ]
    by_id = merged.by_id()
    found += [_conflict_operation(text, group, by_id, outcome) for group in merged.conflicts]
    ops = sorted((op for op in found if op is not None), key=lambda op: (op.start, op.end))
    numbered = iter(range(first, first + len(ops)))
    return [
        op.model_copy(update={"bracket": f"B{next(numbered)}"})
        if op.outcome == Outcome.BRACKETED
        else op
        for op in ops
    ]


def _proposal_operation(text: str, proposal: MergedProposal, r: Resolution) -> Operation | None:
    """What one proposal outside any conflict group does to the base (None: dropped, or decided with its group)."""
    if proposal.group or r.outcome == Outcome.DROPPED:
        return None
    chunks: list[_Chunk] = [(proposal.inserted, None)]
    holdings: list[Holding] = []
    if r.outcome == Outcome.BRACKETED:
        chunks, holdings = _bracketed_proposal(text, proposal, r)
    fields: dict[str, Any] = {"outcome": r.outcome, "proposals": [proposal.id]}
    fields |= {"parties": proposal.parties, "decisions": {proposal.id: r.decisions}}
    return _operation(text, proposal.start, proposal.end, chunks, alternatives=holdings, **fields)


def _bracketed_proposal(
    text: str, proposal: MergedProposal, r: Resolution
) -> tuple[list[_Chunk], list[Holding]]:
    """[the base's words / the proposal's], and who holds each: who rejected it, who accepted it."""
    pair: list[list[_Chunk]] = [[(proposal.deleted, proposal.start)], [(proposal.inserted, None)]]
    holdings = [
        Holding(text=proposal.deleted, held_by=_voters(r.decisions, REJECT)),
        Holding(
            text=proposal.inserted,
            proposal=proposal.id,
            parties=proposal.parties,
            held_by=_voters(r.decisions, ACCEPT),
        ),
    ]
    return _side_by_side(text, proposal.start, proposal.end, pair), holdings


def _conflict_operation(
    text: str,
    group: ConflictGroup,
    by_id: dict[str, MergedProposal],
    outcome: dict[str, Resolution],
) -> Operation | None:
    """What a conflict group does to the base: its applied member, or all of them in brackets (None: neither)."""
    members = [by_id[pid] for pid in group.proposals]
    choice = _conflict_choice(text, group, members, outcome)
    if choice is None:
        return None
    chunks, kind, ids = choice
    votes = {p.id: outcome[p.id].decisions for p in members}
    holdings = _conflict_holdings(text, group, members, votes) if kind == Outcome.BRACKETED else []
    parties = [party for p in members for party in p.parties]
    fields: dict[str, Any] = {
        "outcome": kind,
        "proposals": ids,
        "parties": parties,
        "decisions": votes,
    }
    return _operation(text, group.start, group.end, chunks, alternatives=holdings, **fields)


def _conflict_choice(
    text: str, group: ConflictGroup, members: list[MergedProposal], outcome: dict[str, Resolution]
) -> tuple[list[_Chunk], Outcome, list[str]] | None:
    """A conflict group's text, outcome and proposals: the applied member's, else every member bracketed beside
    the base's words (None: every member dropped)."""
    applied = [p for p in members if outcome[p.id].outcome == Outcome.APPLIED]
    if applied:
        return _alternative(text, group, applied[0]), Outcome.APPLIED, [applied[0].id]
    if not any(outcome[p.id].outcome == Outcome.BRACKETED for p in members):
        return None
    alts: list[list[_Chunk]] = [[(text[group.start : group.end], group.start)]]
    alts += [_alternative(text, group, p) for p in members]
    chunks = _side_by_side(text, group.start, group.end, alts)
    return chunks, Outcome.BRACKETED, [p.id for p in members]


def _side_by_side(text: str, start: int, end: int, alts: list[list[_Chunk]]) -> list[_Chunk]:
    """[base / alt 1 / alt 2]: the base's words, then each alternative, each text once, an empty one not at all;
    the spaces an alternative opens or closes with stand outside the brackets, once ("States, [the / sthe]").
    Alternatives that differ only in spaces hold no words to bracket: the base's text stays as it was (a disputed
    "sanitation, and" -> "sanitation,and" gave "sanitation,  and", two spaces no one typed)."""
    chunks, lead, trail = _alternatives(alts)
    if not chunks:
        return alts[0]
    before = text[start - 1 : start] if start else MARK
    after = text[end : end + 1] or MARK
    opening: list[_Chunk] = [(" ", None)] if lead and before not in _SPACES + MARK else []
    closing: list[_Chunk] = [(" ", None)] if trail and after not in _SPACES + MARK else []
    return opening + _bracketed(chunks) + closing


_SPACES = " \t\u00a0"


def _alternatives(alts: list[list[_Chunk]]) -> tuple[list[_Chunk], bool, bool]:
    """Each alternative's words once, separated by " / " (spaces around them left out); and whether any opened or
    closed with a space."""
    chunks: list[_Chunk] = []
    shown: set[str] = set()
    lead = trail = False
    for alt in alts:
        whole = _plain(alt)
        core = whole.strip(_SPACES)
        lead = lead or whole != whole.lstrip(_SPACES)
        trail = trail or whole != whole.rstrip(_SPACES)
        if core and core not in shown:
            if shown:
                chunks.append((" / ", None))
            opening = len(whole) - len(whole.lstrip(_SPACES))
            chunks.extend(_slice(alt, opening, opening + len(core)))
            shown.add(core)
    return chunks, lead, trail


def _voters(votes: dict[str, str | None], vote: str) -> list[str]:
    return sorted(party for party, v in votes.items() if v == vote)


def _conflict_holdings(
    text: str,
    group: ConflictGroup,
    members: list[MergedProposal],
    votes: dict[str, dict[str, str | None]],
) -> list[Holding]:
    """The base's words (held by a co-presidency that rejected every alternative), then each alternative (held by
    those that accepted it); an alternative that deletes the whole region reads as the base's words."""
    voters = sorted({party for v in votes.values() for party in v})
    keep_base = [
        party for party in voters if all(votes[p.id].get(party) == REJECT for p in members)
    ]
    out = [Holding(text=text[group.start : group.end], held_by=keep_base)]
    for p in members:
        out.append(
            Holding(
                text=_plain(_alternative(text, group, p)),
                proposal=p.id,
                parties=p.parties,
                held_by=_voters(votes[p.id], ACCEPT),
            )
        )
    return out


def _plain(chunks: list[_Chunk]) -> str:
    return "".join(chunk for chunk, _ in chunks)


def _alternative(text: str, group: ConflictGroup, proposal: MergedProposal) -> list[_Chunk]:
    """``alternative`` as chunks: the region's own words keep their base offsets."""
    chunks: list[_Chunk] = [
        (text[group.start : proposal.start], group.start),
        (proposal.inserted, None),
        (text[proposal.end : group.end], proposal.end),
    ]
    return [c for c in chunks if c[0]]


def _bracketed(chunks: list[_Chunk]) -> list[_Chunk]:
    """``_wrap`` as chunks: square brackets on the words, inside any paragraph marks and spaces that open or
    close the text ("the [further] strengthening", not "the [further ]strengthening")."""
    whole = _plain(chunks)
    outside = MARK + " \t\u00a0"
    core = whole.strip(outside)
    if not core:
        return chunks
    lead = len(whole) - len(whole.lstrip(outside))
    trail = lead + len(core)
    return (
        _slice(chunks, 0, lead)
        + [("[", None)]
        + _slice(chunks, lead, trail)
        + [("]", None)]
        + _slice(chunks, trail, len(whole))
    )


def _slice(chunks: list[_Chunk], start: int, end: int) -> list[_Chunk]:
    out: list[_Chunk] = []
    pos = 0
    for chunk, at in chunks:
        lo, hi = max(start, pos), min(end, pos + len(chunk))
        if lo < hi:
            out.append((chunk[lo - pos : hi - pos], None if at is None else at + lo - pos))
        pos += len(chunk)
    return out


def _operation(text: str, start: int, end: int, chunks: list[_Chunk], **fields: Any) -> Operation:
    """An operation whose paragraph marks remember the base paragraph they start (each base mark once)."""
    marks: list[int | None] = []
    for chunk, at in chunks:
        for offset, ch in enumerate(chunk):
            if ch == MARK:
                index = None if at is None else text.count(MARK, 0, at + offset) + 1
                marks.append(None if index in marks else index)
    return Operation(start=start, end=end, text=_plain(chunks), marks=marks, **fields)


def next_revision(base: DraftText, ops: list[Operation]) -> tuple[DraftText, list[Operation]]:
    """Apply the operations; paragraphs keep their keys, new ones get derived keys; statuses per paragraph."""
    text = base_string(base)
    out: list[str] = []
    origin: list[
        int | None
    ] = []  # for each output MARK: base paragraph index it starts, or None (new)
    touched: list[tuple[int, int, Outcome]] = []
    placed: list[Operation] = []
    pos = length = 0
    for op in ops:
        length = _copy_base(text, pos, op.start, out, origin, length)
        placed.append(op.model_copy(update={"new_start": length}))
        marks = op.marks if len(op.marks) == op.text.count(MARK) else [None] * op.text.count(MARK)
        origin.extend(marks)
        out.append(op.text)
        lead = len(op.text) - len(op.text.lstrip(MARK)) if op.text.strip(MARK) else 0
        if op.text or not _whole_paragraphs(text, op.start, op.end):
            touched.append((length + lead, length + len(op.text), op.outcome))
        length += len(op.text)
        pos = op.end
    _copy_base(text, pos, len(text), out, origin, length)
    return _paragraphs("".join(out), origin, base, touched), placed


def _whole_paragraphs(text: str, start: int, end: int) -> bool:
    """base[start:end] is one or more whole paragraphs with one of their marks: its deletion changes no paragraph."""
    span = text[start:end]
    at_start = start == 0 or text[start - 1] == MARK
    at_end = end == len(text) or text[end] == MARK
    return (span.startswith(MARK) and at_end) or (span.endswith(MARK) and at_start)


def _copy_base(
    text: str, start: int, end: int, out: list[str], origin: list[int | None], length: int
) -> int:
    chunk = text[start:end]
    index = text.count(MARK, 0, start)
    for offset, ch in enumerate(chunk):
        if ch == MARK:
            index += 1
            origin.append(index)
    out.append(chunk)
    return length + len(chunk)


def _paragraphs(
    new_text: str,
    origin: list[int | None],
    base: DraftText,
    touched: list[tuple[int, int, Outcome]],
) -> DraftText:
    texts = new_text.split(MARK)
    keys: set[str] = {p.key for p in base.paragraphs}
    paragraphs: list[DraftParagraph] = []
    starts_of = [0]
    for t in texts[:-1]:
        starts_of.append(starts_of[-1] + len(t) + 1)
    previous = base.paragraphs[0]
    for i, body in enumerate(texts):
        source = 0 if i == 0 else origin[i - 1]
        if source is None:
            key = _derived_key(previous.key, keys)
            template, prior = previous.template_index, ParagraphStatus.NEW
        else:
            previous = base.paragraphs[source]
            key, template, prior = previous.key, previous.template_index, previous.status
        keys.add(key)
        status = _status(starts_of[i], starts_of[i] + len(body), touched, prior, body)
        paragraphs.append(
            DraftParagraph(key=key, text=body, template_index=template, status=status)
        )
    return DraftText(paragraphs=paragraphs)


def _derived_key(parent: str, taken: set[str]) -> str:
    n = 1
    while f"{parent}.{n}" in taken:
        n += 1
    return f"{parent}.{n}"


def _status(
    start: int, end: int, touched: list[tuple[int, int, Outcome]], prior: ParagraphStatus, body: str
) -> ParagraphStatus:
    hits = [
        kind for s, e, kind in touched if s <= end and start <= e and (s < e or start <= s <= end)
    ]
    if Outcome.BRACKETED in hits:
        return ParagraphStatus.BRACKETED
    if prior == ParagraphStatus.BRACKETED and "[" in body and "]" in body:
        return ParagraphStatus.BRACKETED
    if hits or prior == ParagraphStatus.NEW:
        return ParagraphStatus.AGREED
    return ParagraphStatus.UNCHANGED


def lineage(placed: list[Operation]) -> list[dict[str, Any]]:
    """The lineage record stored with the revision (JSON-ready)."""
    return [op.model_dump(mode="json") for op in placed]


def bracket_comments(text: DraftText, placed: list[Operation]) -> list[tuple[int, int, int, str]]:
    """For each bracket group of the new revision, a comment on its brackets: its id, and each alternative with
    who proposed it and which co-presidency holds it (paragraph index, start, end, text)."""
    starts = [0]
    for paragraph in text.paragraphs:
        starts.append(starts[-1] + len(paragraph.text) + 1)
    comments = []
    for op in placed:
        if op.bracket is None or "[" not in op.text:
            continue
        opening = op.new_start + op.text.index("[")
        index = max(i for i, s in enumerate(starts[:-1]) if s <= opening)
        closing = min(op.new_start + op.text.rindex("]") + 1, starts[index + 1] - 1)
        comments.append((index, opening - starts[index], closing - starts[index], holders_line(op)))
    return comments


def holders_line(op: Operation) -> str:
    """B2: 'and' (base) held by BO / 'as well as' P006 [AR, BB] held by ES."""

    def one(h: Holding) -> str:
        words = " ".join(h.text.replace(MARK, " ").split()) or (
            "(delete)" if h.proposal else "(none)"
        )
        words = words if len(words) <= 80 else words[:77] + "..."
        who = f" {h.proposal} [{', '.join(h.parties)}]" if h.proposal else " (base)"
        return f"'{words}'{who}" + (f" held by {', '.join(h.held_by)}" if h.held_by else "")

    return f"{op.bracket}: " + " / ".join(one(h) for h in op.alternatives)
