"""The synopsis delegates read in the meeting room: per paragraph, the base text and each proposal with its parties."""

from __future__ import annotations

from typing import Any

import jinja2

from drafting.merge import Merged, move_pairs
from drafting.proposals import MARK, PartyProposals
from drafting.text import DraftText

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("drafting", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def synopsis(
    base: DraftText, merged: Merged, contributions: list[PartyProposals], *, names: dict[str, str],
    declaration: str, title: str, round_number: int, version: str,
) -> dict[str, Any]:
    """The synopsis as JSON-ready data (the HTML page renders the same data)."""
    rows = []
    pairs = move_pairs(merged)
    partner = {a.id: b.id for a, b in pairs} | {b.id: a.id for a, b in pairs}
    for paragraph in base.paragraphs:
        proposals = [p for p in merged.proposals if p.paragraph == paragraph.key]
        notes = [n for n in merged.notes if n.paragraph == paragraph.key]
        rows.append({
            "key": paragraph.key,
            "text": paragraph.text,
            "status": paragraph.status.value,
            "proposals": [
                {
                    "id": p.id, "parties": p.parties, "party_names": [names.get(c, c) for c in p.parties],
                    "deleted": p.deleted.replace(MARK, "\n"), "inserted": p.inserted.replace(MARK, "\n"),
                    "kind": _kind(p.deleted, p.inserted), "conflict": p.group, "untracked": p.untracked,
                    "rebased": p.rebased, "moved": p.moved, "move_with": partner.get(p.id),
                    "rationale": [{"party": party, "text": text} for party, text in p.rationale],
                }
                for p in proposals
            ],
            "notes": [{"party": n.party, "text": n.text, "anchor": n.anchor} for n in notes],
        })
    return {
        "declaration": declaration, "title": title, "round": round_number, "version": version,
        "parties": sorted(c.party for c in contributions),
        "problems": [problem for c in contributions for problem in c.problems],
        "conflicts": [g.model_dump() for g in merged.conflicts],
        "proposal_count": len(merged.proposals),
        "paragraphs": rows,
    }


def _kind(deleted: str, inserted: str) -> str:
    if deleted and inserted:
        return "replace"
    return "delete" if deleted else "insert"


def synopsis_html(data: dict[str, Any]) -> str:
    """Render the synopsis as a self-contained HTML page."""
    return _ENV.get_template("synopsis.html.j2").render(**data)
