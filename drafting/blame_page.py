"""The blame page, like a code host's blame view: the version's text paragraph by paragraph, a gutter with the
paragraph number, and for every passage a visible tag (party, round, amendment) and a note in the margin saying
where it came from; words a decided proposal took out struck through where they stood, labelled. Every party has
its own colour (a palette made here, the same for the same parties) and a second cue for readers who do not see
colour: a border pattern and the party's code on every tag. Pure rendering: no database."""

from __future__ import annotations

import colorsys
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from drafting.provenance import (
    EDITORIAL,
    TRANSLATION,
    UNTRACEABLE,
    UNTRANSLATED,
    ZERO_DRAFT,
    Blame,
    Deletion,
    Origin,
    Span,
)
from drafting.templating import page_templates
from drafting.wording import count

_ENV = page_templates()
_ENV.filters["counted"] = count
PATTERNS = ("solid", "dashed", "dotted", "double")
_GOLDEN = 0.3819660112501051  # the golden angle as a fraction of the wheel: hues never repeat, neighbours differ most


def palette(n: int) -> list[str]:
    """``n`` colours, no two alike, dark enough to read on white; the same ``n`` gives the same colours, and more
    parties keep the earlier ones' colours."""
    found: list[str] = []
    for i in range(n):
        hue, lightness = (i * _GOLDEN) % 1.0, (0.32, 0.42)[i % 2]
        colour = _hex(hue, lightness)
        while (
            colour in found or _luminance(colour) >= 0.45
        ):  # yellows and greens look light: darken them
            lightness -= 0.01
            colour = _hex(hue, lightness)
        found.append(colour)
    return found


def _hex(hue: float, lightness: float, saturation: float = 0.8) -> str:
    return "#" + "".join(
        f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, lightness, saturation)
    )


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def tint(colour: str, share: float = 0.86) -> str:
    """The colour mixed with white (a background that leaves black text readable)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


@dataclass(frozen=True)
class Slot:
    """One party (or parties acting together, or the secretariat) as the page shows it."""

    number: int
    party: str
    name: str
    colour: str
    background: str
    pattern: str
    characters: int
    deletions: int
    amendments: tuple[str, ...]  # "P003 (round 1)": amendment ids are numbered within their round


def names_of(party: str, names: Mapping[str, str]) -> str:
    """ "AR / MX" as "Argentina / Mexico"."""
    return " / ".join(names.get(code, code) for code in party.split(" / "))


def slots(result: Blame, names: Mapping[str, str]) -> dict[str, Slot]:
    """A slot per party with text or deletions in the version, sorted by name; colours in that order."""
    parties = {
        s.party for s in [*result.spans, *result.deleted] if s.source != ZERO_DRAFT and s.party
    }
    ordered = sorted(parties, key=lambda p: (names_of(p, names).casefold(), p))
    colours = palette(len(ordered))
    return {party: _slot(i, party, result, names, colours[i]) for i, party in enumerate(ordered)}


def _slot(i: int, party: str, result: Blame, names: Mapping[str, str], colour: str) -> Slot:
    """The ``i``-th party's slot (counted from 0): its colours, pattern, characters and amendments."""
    mine = [s for s in result.spans if s.party == party]
    gone = [d for d in result.deleted if d.party == party]
    ids = {a for s in [*mine, *gone] for a in _ids(s)}
    return Slot(
        i + 1,
        party,
        names_of(party, names),
        colour,
        tint(colour),
        PATTERNS[i % len(PATTERNS)],
        sum(len(s.text) for s in mine),
        len(gone),
        tuple(f"{a} (round {r})" for r, a in sorted(ids)),
    )


def _ids(origin: Origin) -> list[tuple[int, str]]:
    return [(origin.round or 0, a) for a in (origin.proposal or "").split(" / ") if a]


def tag(origin: Span | Deletion) -> str:
    """The short label shown on the page beside a passage: who, which round, which amendment."""
    if origin.source == UNTRACEABLE:
        return f"untraceable · {origin.introduced}"
    if origin.source == EDITORIAL:
        return f"{origin.party} · editorial · {origin.introduced}"
    if origin.source == TRANSLATION:
        return f"translation · {origin.introduced}"
    if origin.source == UNTRANSLATED:
        return f"untranslated · {origin.introduced}"
    parts = [
        origin.party or "?",
        f"round {origin.round}" if origin.round is not None else "",
        origin.proposal or "",
    ]
    return " · ".join(p for p in parts if p)


def describe(origin: Span | Deletion, names: Mapping[str, str]) -> str:
    """A passage's origin in words, as its note says it."""
    if origin.source == UNTRACEABLE:
        return (
            "untraceable: no recorded proposal, decision or editorial change explains it "
            f"(appeared in {origin.introduced})"
        )
    if origin.source == EDITORIAL:
        return f"editorial change by the secretariat in {origin.introduced}: {(origin.decided or {}).get('reason', '')}"
    if origin.source in (TRANSLATION, UNTRANSLATED):
        return _translation(origin)
    if origin.source != ZERO_DRAFT:
        return _proposal(origin, names)
    return "zero draft"


def _translation(origin: Span | Deletion) -> str:
    """A passage the translator wrote, or one still in the other language's words."""
    if (
        origin.source == TRANSLATION
    ):  # issue 15: the translator carried the other language's amendments into it
        return (
            f"translation for {origin.introduced} by the secretariat's translator, "
            f"of the {(origin.decided or {}).get('from')} text"
        )
    return (
        f"words of the {(origin.decided or {}).get('from')} text of {origin.introduced}, kept here until "
        "they are translated (translation pending)"
    )


def _proposal(origin: Span | Deletion, names: Mapping[str, str]) -> str:
    decided = origin.decided or {}
    votes = "; ".join(
        f"{pid}: " + ", ".join(f"{p} {v or 'silent'}" for p, v in sorted(by.items()))
        for pid, by in (decided.get("decisions") or {}).items()
    )
    text = (
        f"{names_of(origin.party or '', names)}, round {origin.round}, {origin.proposal}, "
        f"{decided.get('outcome')}" + (f" ({votes})" if votes else "") + f", in {origin.introduced}"
    )
    resolved = decided.get("resolved")
    if resolved:
        text += _bracket_resolved(resolved, names)
    return text


def _bracket_resolved(resolved: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Which later proposal resolved the bracket this passage was part of."""
    return (
        f"; bracket resolved by {names_of(str(resolved.get('party') or ''), names)}'s "
        f"{resolved.get('proposal')} of round {resolved.get('round')}, {resolved.get('outcome')}, "
        f"in {resolved.get('version')}"
    )


def split_at(span: Span, offset: int, points: Sequence[int]) -> list[Span]:
    """A span cut where deletions happened inside it (``offset``: where the span starts in the text)."""
    cuts = [p - offset for p in points if offset < p < offset + len(span.text)]
    edges = [0, *cuts, len(span.text)]
    return [
        span.model_copy(update={"text": span.text[a:b]}) for a, b in zip(edges, edges[1:]) if b > a
    ]


class _Page:
    """The paragraphs being built: pieces of text and deletions, and each paragraph's notes."""

    def __init__(self, table: dict[str, Slot], names: Mapping[str, str]) -> None:
        self.table, self.names = table, names
        self.paragraphs: list[dict[str, Any]] = []
        self.new_paragraph()

    def new_paragraph(self) -> None:
        self.paragraphs.append({"number": len(self.paragraphs) + 1, "pieces": [], "notes": {}})

    def add_lines(self, span: Span, text: str) -> None:
        """A span's text, a new paragraph at each line break."""
        for i, part in enumerate(text.split("\n")):
            if i:
                self.new_paragraph()
            if part:
                self.add(span, part)

    def add(self, origin: Span | Deletion, text: str, *, deleted: bool = False) -> None:
        current = self.paragraphs[-1]
        slot = self.table.get(origin.party or "") if origin.source != ZERO_DRAFT else None
        piece = {
            "text": text,
            "source": origin.source,
            "deleted": deleted,
            "slot": slot.number if slot else None,
            "tag": ""
            if origin.source == ZERO_DRAFT
            else ("deleted · " if deleted else "") + tag(origin),
        }
        current["pieces"].append(piece)
        if origin.source != ZERO_DRAFT:
            self._note(current["notes"], piece, origin, text, deleted)

    def _note(
        self,
        notes: dict[str, Any],
        piece: dict[str, Any],
        origin: Span | Deletion,
        text: str,
        deleted: bool,
    ) -> None:
        """The paragraph's note on a piece's origin: each origin (and each deleted text) once."""
        key = json.dumps(
            [deleted, text if deleted else "", origin.model_dump(exclude={"text", "at"})],
            sort_keys=True,
            default=str,
        )
        said = describe(origin, self.names)
        notes.setdefault(
            key,
            {
                "tag": piece["tag"],
                "slot": piece["slot"],
                "source": origin.source,
                "text": f"deleted “{text.strip()}”: {said}" if deleted else said,
            },
        )


def paragraphs(
    result: Blame, table: dict[str, Slot], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The version's paragraphs, each a list of pieces (text, or words a proposal deleted, where they stood)."""
    page = _Page(table, names)
    marks = sorted(result.deleted, key=lambda d: d.at)
    offset = 0
    for span in result.spans:
        for piece in split_at(span, offset, [d.at for d in marks]):
            while marks and marks[0].at <= offset:
                gone = marks.pop(0)
                page.add(gone, gone.text, deleted=True)
            offset += len(piece.text)
            page.add_lines(span, piece.text)
    for gone in marks:
        page.add(gone, gone.text, deleted=True)
    for paragraph in page.paragraphs:
        paragraph["notes"] = list(paragraph["notes"].values())
    return page.paragraphs


def blame_page(
    result: Blame, *, title: str, names: Mapping[str, str], language: str | None = None
) -> str:
    """The blame page of one version; of its text in ``language`` (a further language of the declaration)."""
    table = slots(result, names)
    return _ENV.get_template("blame.html.j2").render(
        title=title,
        version=result.version,
        paragraphs=paragraphs(result, table, names),
        legend=list(table.values()),
        counts=result.counts(),
        removed=result.removed,
        language=language,
    )
