"""The synopsis a co-presidency decides from, in the style of a UN compilation table: per paragraph (numbered, a
new one as "6 bis"), its status and each amendment in its sentence with the parties that made it; conflicts with
their alternatives side by side; the base version's bracket groups with who holds each alternative.

synopsis.json carries the same data: every proposal with ``start`` and ``end`` offsets into its paragraph's base
``text``; synopsis.html renders it as one self-contained page (filters by party and status, no server, no CDN).
"""

from __future__ import annotations

import re
from typing import Any

from drafting.brackets import groups as bracket_groups
from drafting.brackets import resolution
from drafting.invisible import amendment_flags, visible
from drafting.merge import ConflictGroup, Merged, MergedProposal, alternative, move_pairs
from drafting.proposals import MARK, PartyProposals, base_string, key_at, paragraph_starts
from drafting.templating import page_templates
from drafting.text import DraftParagraph, DraftText, ParagraphStatus

_ENV = page_templates()
_ENV.filters["visible"] = (
    visible  # invisible characters shown as ⟨U+202E⟩ wherever amended words are shown
)
CONTEXT_WORDS = 12  # words of the sentence shown on each side of an amendment
_SENTENCE_END = re.compile(r"[.!?;:](?=\s)")

UNCHANGED, AMENDED, IN_CONFLICT = "unchanged", "amended", "in conflict"
BRACKETED, AGREED = ParagraphStatus.BRACKETED.value, ParagraphStatus.AGREED.value


def synopsis(
    base: DraftText,
    merged: Merged,
    contributions: list[PartyProposals],
    *,
    names: dict[str, str],
    declaration: str,
    title: str,
    round_number: int,
    version: str,
    brackets: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The synopsis as JSON-ready data (the HTML page renders the same data); ``brackets``: lineage records of the
    bracket groups the base carries (``drafting.brackets``), listed with their holders."""
    text = base_string(base)
    starts = paragraph_starts(base)
    groups = bracket_groups(base, text, starts, brackets or [])
    rows = _rows(base, starts, merged, names, groups)
    heard = sorted({c.party for c in contributions})
    head = {"declaration": declaration, "title": title, "round": round_number, "version": version}
    found = {
        "problems": [problem for c in contributions for problem in c.problems],
        "conflicts": [_conflict(g, merged, text, base, starts) for g in merged.conflicts],
        "brackets": groups,
        "proposal_count": len(merged.proposals),
        "statuses": [UNCHANGED, AMENDED, IN_CONFLICT, BRACKETED, AGREED],
        "paragraphs": rows,
    }
    return head | _who_and_how_many(heard, names, merged, groups) | found


def _rows(
    base: DraftText,
    starts: list[int],
    merged: Merged,
    names: dict[str, str],
    groups: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each paragraph of the base, numbered from 1, as the synopsis shows it (a move's two halves name each other)."""
    pairs = move_pairs(merged)
    partner = {a.id: b.id for a, b in pairs} | {b.id: a.id for a, b in pairs}
    numbered = enumerate(zip(base.paragraphs, starts, strict=True), start=1)
    return [_row(para, n, start, merged, names, partner, groups) for n, (para, start) in numbered]


def _who_and_how_many(
    heard: list[str], names: dict[str, str], merged: Merged, groups: list[dict[str, Any]]
) -> dict[str, Any]:
    """The parties heard and silent this round, their names, and the counts the page's head shows."""
    silent = sorted(set(names) - set(heard))
    return {
        "parties": heard,
        "silent": silent,
        "party_names": {code: names.get(code, code) for code in sorted(names)},
        "counts": {
            "amendments": len(merged.proposals),
            "conflicts": len(merged.conflicts),
            "parties_heard": len(heard),
            "parties_silent": len(silent),
            "brackets": len(groups),
        },
    }


def _row(
    paragraph: DraftParagraph,
    number: int,
    start: int,
    merged: Merged,
    names: dict[str, str],
    partner: dict[str, str],
    groups: list[dict[str, Any]],
) -> dict[str, Any]:
    """One paragraph of the synopsis: its status, its amendments, conflicts, bracket groups and notes."""
    proposals = [p for p in merged.proposals if p.paragraph == paragraph.key]
    shown = [_proposal(p, paragraph.text, start, number, names, partner) for p in proposals]
    return {
        "key": paragraph.key,
        "number": str(number),
        "text": paragraph.text,
        "status": _status(paragraph.status, proposals),
        "base_status": paragraph.status.value,
        "proposals": [
            one | _resolves(p, start, groups) for one, p in zip(shown, proposals, strict=True)
        ],
        "conflicts": sorted({p.group for p in proposals if p.group}),
        "brackets": [g["id"] for g in groups if g["paragraph"] == paragraph.key],
        "notes": _notes(merged, paragraph.key),
    }


def _notes(merged: Merged, key: str) -> list[dict[str, str]]:
    """The comments parties left on a paragraph without proposing words."""
    return [
        {"party": n.party, "text": n.text, "anchor": n.anchor}
        for n in merged.notes
        if n.paragraph == key
    ]


def _status(base_status: ParagraphStatus, proposals: list[MergedProposal]) -> str:
    """What a co-presidency must do with the paragraph this round."""
    if any(p.group for p in proposals):
        return IN_CONFLICT
    if proposals:
        return AMENDED
    if base_status == ParagraphStatus.BRACKETED:
        return BRACKETED
    return AGREED if base_status == ParagraphStatus.AGREED else UNCHANGED


def _proposal(
    p: MergedProposal,
    paragraph: str,
    start: int,
    number: int,
    names: dict[str, str],
    partner: dict[str, str],
) -> dict[str, Any]:
    """An amendment as the synopsis shows it: who, where, what words, how it came, in its sentence."""
    local_start, local_end = p.start - start, p.end - start
    before, after = sentence_around(paragraph, local_start, min(local_end, len(paragraph)))
    new_paragraph = p.inserted.startswith(MARK) or (p.inserted.endswith(MARK) and not p.deleted)
    who = {"id": p.id, "parties": p.parties, "party_names": [names.get(c, c) for c in p.parties]}
    where = who | {"start": local_start, "end": local_end}
    context = {
        "number": f"{number} bis" if new_paragraph else str(number),
        "before": before,
        "after": after,
        "rationale": [{"party": party, "text": text} for party, text in p.rationale],
        "flags": amendment_flags(p.inserted),  # invisible or look-alike characters in its words
    }
    return where | _words(p) | _marks(p, partner) | context


def _words(p: MergedProposal) -> dict[str, Any]:
    """The words an amendment deletes and inserts (paragraph marks as line breaks), and its kind."""
    return {
        "deleted": p.deleted.replace(MARK, "\n"),
        "inserted": p.inserted.replace(MARK, "\n"),
        "kind": kind_of(p.deleted, p.inserted),
    }


def _marks(p: MergedProposal, partner: dict[str, str]) -> dict[str, Any]:
    """How an amendment came: in a conflict, untracked, rebased, moved (with its other half), rewritten."""
    return {
        "conflict": p.group,
        "untracked": p.untracked,
        "rebased": p.rebased,
        "moved": p.moved,
        "move_with": partner.get(p.id),
        "rewritten": p.rewritten,
    }


def _resolves(p: MergedProposal, start: int, groups: list[dict[str, Any]]) -> dict[str, Any]:
    """An amendment over a whole bracket group resolves it: "B3 resolved: keeps 'as well as'", or replaces it."""
    return {"resolves": resolution(p, start, groups)}


def resolved_brackets(data: dict[str, Any]) -> dict[str, str]:
    """From a synopsis: each amendment that resolves a bracket group, and what it does ("B3 resolved: keeps ...")."""
    return {
        p["id"]: p["resolves"]["summary"]
        for row in data["paragraphs"]
        for p in row["proposals"]
        if p.get("resolves")
    }


def kind_of(deleted: str, inserted: str) -> str:
    """replace, delete or insert."""
    if deleted and inserted:
        return "replace"
    return "delete" if deleted else "insert"


def sentence_around(paragraph: str, start: int, end: int) -> tuple[str, str]:
    """The words of the sentence before ``start`` and after ``end`` (at most CONTEXT_WORDS each, cut with "…")."""
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph)]
    opening = max((e for e in ends if e <= start), default=0)
    closing = min((e for e in ends if e > end), default=len(paragraph))
    before, after = paragraph[opening:start].lstrip(), paragraph[end:closing]
    head, tail = before.split(" "), after.split(" ")
    if len(head) > CONTEXT_WORDS + 1:
        before = "… " + " ".join(head[-CONTEXT_WORDS - 1 :])
    if len(tail) > CONTEXT_WORDS + 1:
        after = " ".join(tail[: CONTEXT_WORDS + 1]) + " …"
    return before, after


def _conflict(
    group: ConflictGroup, merged: Merged, text: str, base: DraftText, starts: list[int]
) -> dict[str, Any]:
    """A conflict: the base words it disputes and each alternative as a whole phrase over them."""
    members = [merged.by_id()[pid] for pid in group.proposals]
    return {
        "id": group.id,
        "start": group.start,
        "end": group.end,
        "proposals": group.proposals,
        "paragraph": key_at(base, starts, group.start),
        "base": text[group.start : group.end].replace(MARK, "\n"),
        "alternatives": [_alternative_shown(text, group, p) for p in members],
    }


def _alternative_shown(text: str, group: ConflictGroup, p: MergedProposal) -> dict[str, Any]:
    """One alternative of a conflict, as a whole phrase over the disputed words."""
    return {
        "proposal": p.id,
        "parties": p.parties,
        "kind": kind_of(p.deleted, p.inserted),
        "text": alternative(text, group, p).replace(MARK, "\n"),
        "rationale": [{"party": party, "text": note} for party, note in p.rationale],
    }


def synopsis_html(data: dict[str, Any]) -> str:
    """Render the synopsis as a self-contained HTML page."""
    return _ENV.get_template("synopsis.html.j2").render(**data)
