"""The next revision: the base with applied proposals in, disputed ones in [brackets], and a lineage record of
which proposal and which decisions produced each change."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from drafting.decisions import Outcome, Resolution
from drafting.merge import Merged, alternative
from drafting.proposals import MARK, base_string
from drafting.text import DraftParagraph, DraftText, ParagraphStatus


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


def bracket(deleted: str, inserted: str) -> str:
    """Disputed text in square brackets: [inserted], [deleted] or [deleted / inserted]."""
    if deleted and inserted:
        return _wrap(f"{deleted} / {inserted}")
    return _wrap(deleted or inserted)


def _wrap(text: str) -> str:
    core = text.strip(MARK)
    lead = text[: len(text) - len(text.lstrip(MARK))]
    trail = text[len(text.rstrip(MARK)):]
    return f"{lead}[{core}]{trail}" if core else text


def operations(base: DraftText, merged: Merged, resolutions: list[Resolution]) -> list[Operation]:
    """The edits the resolutions make to the base, in base order (they never overlap)."""
    text = base_string(base)
    by_id = merged.by_id()
    outcome = {r.proposal: r for r in resolutions}
    ops: list[Operation] = []
    for proposal in merged.proposals:
        r = outcome[proposal.id]
        if proposal.group or r.outcome == Outcome.DROPPED:
            continue
        body = proposal.inserted if r.outcome == Outcome.APPLIED else bracket(proposal.deleted, proposal.inserted)
        ops.append(Operation(start=proposal.start, end=proposal.end, text=body, outcome=r.outcome,
                             proposals=[proposal.id], parties=proposal.parties, decisions={proposal.id: r.decisions}))
    for group in merged.conflicts:
        members = [by_id[pid] for pid in group.proposals]
        votes = {p.id: outcome[p.id].decisions for p in members}
        parties = [party for p in members for party in p.parties]
        applied = [p for p in members if outcome[p.id].outcome == Outcome.APPLIED]
        if applied:
            body, kind, ids = alternative(text, group, applied[0]), Outcome.APPLIED, [applied[0].id]
        elif any(outcome[p.id].outcome == Outcome.BRACKETED for p in members):
            alts = [text[group.start:group.end]] + [alternative(text, group, p) for p in members]
            body = _wrap(" / ".join(dict.fromkeys(a for a in alts if a)))
            kind, ids = Outcome.BRACKETED, [p.id for p in members]
        else:
            continue
        ops.append(Operation(start=group.start, end=group.end, text=body, outcome=kind, proposals=ids,
                             parties=parties, decisions=votes))
    return sorted(ops, key=lambda op: (op.start, op.end))


def next_revision(base: DraftText, ops: list[Operation]) -> tuple[DraftText, list[Operation]]:
    """Apply the operations; paragraphs keep their keys, new ones get derived keys; statuses per paragraph."""
    text = base_string(base)
    out: list[str] = []
    origin: list[int | None] = []  # for each output MARK: base paragraph index it starts, or None (new)
    touched: list[tuple[int, int, Outcome]] = []
    placed: list[Operation] = []
    pos = length = 0
    for op in ops:
        length = _copy_base(text, pos, op.start, out, origin, length)
        placed.append(op.model_copy(update={"new_start": length}))
        for ch in op.text:
            if ch == MARK:
                origin.append(None)
        out.append(op.text)
        lead = len(op.text) - len(op.text.lstrip(MARK)) if op.text.strip(MARK) else 0
        touched.append((length + lead, length + len(op.text), op.outcome))
        length += len(op.text)
        pos = op.end
    _copy_base(text, pos, len(text), out, origin, length)
    return _paragraphs("".join(out), origin, base, touched), placed


def _copy_base(text: str, start: int, end: int, out: list[str], origin: list[int | None], length: int) -> int:
    chunk = text[start:end]
    index = text.count(MARK, 0, start)
    for offset, ch in enumerate(chunk):
        if ch == MARK:
            index += 1
            origin.append(index)
    out.append(chunk)
    return length + len(chunk)


def _paragraphs(
    new_text: str, origin: list[int | None], base: DraftText, touched: list[tuple[int, int, Outcome]]
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
        paragraphs.append(DraftParagraph(key=key, text=body, template_index=template, status=status))
    return DraftText(paragraphs=paragraphs)


def _derived_key(parent: str, taken: set[str]) -> str:
    n = 1
    while f"{parent}.{n}" in taken:
        n += 1
    return f"{parent}.{n}"


def _status(start: int, end: int, touched: list[tuple[int, int, Outcome]], prior: ParagraphStatus,
            body: str) -> ParagraphStatus:
    hits = [kind for s, e, kind in touched if s <= end and start <= e and (s < e or start <= s <= end)]
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
