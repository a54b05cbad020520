"""Blame: for every span of a version's text, the zero draft, the decided proposal or the recorded editorial change
it came from, or ``untraceable`` when no record explains it; as JSON and as a page coloured by party."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from drafting.provenance import UNTRACEABLE, Blame, Deletion, Span, VersionRecord, blame_versions
from flows.bootstrap import App
from flows.usecases.common import write_file
from storage import UnitOfWork
from storage.repository import version_content
from storage.schema import DeclarationRow

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("drafting", "templates"),
                          autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
# Word's review pane colours, roughly: one per author, in order of appearance
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22",
           "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")


def version_records(uow: UnitOfWork, declaration: DeclarationRow) -> list[VersionRecord]:
    """Every version's stored text and lineage, oldest first."""
    rows = uow.repo.versions(declaration)
    labels = {row.id: row.label for row in rows}
    records = []
    for row in rows:
        content = version_content(row)
        records.append(VersionRecord(label=row.label, parent=labels.get(row.parent_id or 0), text=content.text,
                                     lineage=content.lineage, round=content.round))
    return records


def blame_in(uow: UnitOfWork, slug: str, version: str | None = None) -> Blame:
    """Blame one version (default: the current one) inside a unit of work."""
    declaration = uow.repo.declaration(slug)
    row = uow.repo.version(declaration, version) if version else uow.repo.current_version(declaration)
    return blame_versions(version_records(uow, declaration))[row.label]


def blame(app: App, slug: str, version: str | None = None) -> Blame:
    """Blame one version of the declaration (a label such as Rev.2, or its number)."""
    with app.store.reading() as uow:
        return blame_in(uow, slug, version)


def names(app: App, slug: str) -> dict[str, str]:
    """Party code -> name, for pages."""
    with app.store.reading() as uow:
        return {p.code: p.name for p in uow.repo.parties(uow.repo.declaration(slug))}


def describe(span: Span | Deletion, names: dict[str, str]) -> str:
    """A span's origin in words, as a tooltip shows it."""
    if span.source == UNTRACEABLE:
        return ("untraceable: no recorded proposal, decision or editorial change explains it "
                f"(appeared in {span.introduced})")
    if span.source == "editorial":
        return f"editorial change by the secretariat in {span.introduced}: {(span.decided or {}).get('reason', '')}"
    if span.source == "proposal":
        who = " / ".join(names.get(c, c) for c in (span.party or "").split(" / "))
        decided = span.decided or {}
        votes = "; ".join(f"{pid}: " + ", ".join(f"{p} {v or 'silent'}" for p, v in sorted(by.items()))
                          for pid, by in (decided.get("decisions") or {}).items())
        text = f"{who}, round {span.round}, {span.proposal}, {decided.get('outcome')} ({votes}), in {span.introduced}"
        resolved = decided.get("resolved")
        if resolved:
            by = " / ".join(names.get(c, c) for c in str(resolved.get("party") or "").split(" / "))
            text += (f"; bracket resolved by {by}'s {resolved.get('proposal')} of round {resolved.get('round')}, "
                     f"{resolved.get('outcome')}, in {resolved.get('version')}")
        return text
    return "zero draft"


def split_at(span: Span, offset: int, points: list[int]) -> list[Span]:
    """A span cut where deletions happened inside it (``offset``: where the span starts in the text)."""
    cuts = [p - offset for p in points if offset < p < offset + len(span.text)]
    edges = [0, *cuts, len(span.text)]
    return [span.model_copy(update={"text": span.text[a:b]}) for a, b in zip(edges, edges[1:]) if b > a]


def _marks(marks: list[Deletion], upto: int, paragraph: list[dict[str, Any]], palette: dict[str, str],
           names: dict[str, str]) -> None:
    """A mark where each deletion up to ``upto`` happened, its words and whose they were in its tooltip."""
    while marks and marks[0].at <= upto:
        gone = marks.pop(0)
        paragraph.append({"deleted": gone.text, "colour": palette.get(gone.party or ""),
                          "title": f"deleted: {gone.text!r} ({describe(gone, names)})"})


def colours(spans: list[Span]) -> dict[str, str]:
    """A colour per party (or group of parties), in order of first appearance."""
    found: dict[str, str] = {}
    for span in spans:
        if span.source in ("proposal", "editorial") and span.party and span.party not in found:
            found[span.party] = PALETTE[len(found) % len(PALETTE)]
    return found


def blame_html(result: Blame, *, title: str, names: dict[str, str]) -> str:
    """The version's text with each span coloured by its party, like Word's review pane."""
    palette = colours(result.spans)
    paragraphs: list[list[dict[str, Any]]] = [[]]
    marks = sorted(result.deleted, key=lambda d: d.at)
    offset = 0
    for span in result.spans:
        for piece in split_at(span, offset, [d.at for d in marks]):
            _marks(marks, offset, paragraphs[-1], palette, names)
            offset += len(piece.text)
            for i, part in enumerate(piece.text.split("\n")):
                if i:
                    paragraphs.append([])
                if part:
                    paragraphs[-1].append({"text": part, "source": span.source,
                                           "colour": palette.get(span.party or ""), "title": describe(span, names)})
    _marks(marks, offset, paragraphs[-1], palette, names)
    legend = [{"party": party, "name": " / ".join(names.get(c, c) for c in party.split(" / ")), "colour": colour,
               "characters": sum(len(s.text) for s in result.spans if s.party == party)}
              for party, colour in palette.items()]
    return _ENV.get_template("blame.html.j2").render(title=title, version=result.version, paragraphs=paragraphs,
                                                    legend=legend, counts=result.counts(), removed=result.removed)


def write_blame(app: App, slug: str, version: str | None, page: Path) -> Path:
    """Write the blame page of a version."""
    with app.store.reading() as uow:
        result = blame_in(uow, slug, version)
        declaration = uow.repo.declaration(slug)
        title, parties = declaration.title, {p.code: p.name for p in uow.repo.parties(declaration)}
    return write_file(app, page, blame_html(result, title=title, names=parties).encode("utf-8"), root=page.parent)
