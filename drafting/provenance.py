"""Provenance of every character of a version: replay the recorded lineage from the zero draft, then compare.

Each version's lineage is the list of operations (``drafting.revision.lineage``) that turned its parent's text
into it, in the parent's proposal coordinates (paragraphs joined by ``MARK``). Replaying them from the zero draft
says where each character came from: the zero draft, a decided proposal, or an editorial change the secretariat
recorded as such. Whatever the stored text holds that the replay does not explain is ``untraceable``: the silent
edit by the pen-holder. Text the replay expects but the stored text lacks is reported as an unexplained removal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafting._diff import word_diff
from drafting.decisions import Outcome
from drafting.errors import InvalidInput
from drafting.proposals import MARK, base_string
from drafting.revision import Operation
from drafting.text import DraftText

ZERO_DRAFT, PROPOSAL, EDITORIAL, UNTRACEABLE = "zero-draft", "proposal", "editorial", "untraceable"
TRANSLATION = "translation"  # words a translator's upload put into a language's text (issue 15)
UNTRANSLATED = (
    "untranslated"  # words of another language's text a paragraph holds until it is translated
)
SOURCES = (ZERO_DRAFT, PROPOSAL, EDITORIAL, UNTRACEABLE, TRANSLATION, UNTRANSLATED)


class Origin(BaseModel):
    """Where a piece of text came from."""

    model_config = ConfigDict(frozen=True)

    source: str
    party: str | None = (
        None  # party codes joined by " / " (one change made identically by several parties)
    )
    round: int | None = None
    proposal: str | None = None  # proposal ids of that round joined by " / "
    decided: dict[str, Any] | None = (
        None  # {"outcome": ..., "decisions": {...}} or {"outcome": "editorial", ...}
    )
    introduced: str = ""  # label of the version where the text first appeared


_ZERO = Origin(source=ZERO_DRAFT)


class Span(Origin):
    """A run of a version's text with one origin (``MARK`` shown as "\\n", as in ``DraftText.plain``)."""

    text: str


class Removal(BaseModel):
    """Text the recorded lineage expects at ``at`` (an offset in the version's text) that the version lacks."""

    model_config = ConfigDict(frozen=True)

    at: int
    text: str


class Deletion(Origin):
    """Words a decided proposal (or an editorial change) took out of the parent version: where they stood in this
    version's text (``at``), what they were, and whose change it was."""

    at: int
    text: str


class VersionRecord(BaseModel):
    """What blame needs of one version: its stored text and the lineage that produced it from its parent."""

    model_config = ConfigDict(frozen=True)

    label: str
    parent: str | None = None
    text: DraftText
    lineage: list[dict[str, Any]] = Field(default_factory=list)
    round: int | None = None
    translated: list[list[dict[str, Any]]] = Field(
        default_factory=list
    )  # each upload's operations, in order


class Blame(BaseModel):
    """The provenance of one version's text."""

    model_config = ConfigDict(frozen=True)

    version: str
    spans: list[Span]
    removed: list[Removal] = Field(default_factory=list)
    deleted: list[Deletion] = Field(
        default_factory=list
    )  # what this version's own decisions took out

    def as_json(self) -> dict[str, Any]:
        """The JSON `accord blame --json` prints."""
        keys = ("text", "source", "party", "round", "proposal", "decided", "introduced")
        return {
            "version": self.version,
            "spans": [{k: getattr(s, k) for k in keys} for s in self.spans],
            "removed": [r.model_dump() for r in self.removed],
            "deleted": [{k: getattr(d, k) for k in ("at", *keys)} for d in self.deleted],
        }

    def counts(self) -> dict[str, int]:
        """Characters per source."""
        totals = dict.fromkeys(
            SOURCES[:4], 0
        )  # translation (and untranslated) only where there is some
        for span in self.spans:
            totals[span.source] = totals.get(span.source, 0) + len(span.text)
        return totals


Attributed = tuple[str, list[Origin]]  # a base string and the origin of each of its characters


def apply_lineage(base: str, ops: Sequence[Mapping[str, Any]]) -> str:
    """The text the operations make of ``base`` (both in proposal coordinates)."""
    return _apply((base, [_ZERO] * len(base)), ops, round_number=None, label="")[0]


def blame_versions(records: Sequence[VersionRecord]) -> dict[str, Blame]:
    """Blame every version, parents before children (the first record is the zero draft)."""
    if not records:
        return {}
    zero = records[0]
    first = base_string(zero.text)
    origin = _ZERO.model_copy(update={"introduced": zero.label})
    stored: dict[str, Attributed] = {zero.label: (first, [origin] * len(first))}
    pure: dict[str, Attributed] = dict(stored)
    result = {zero.label: _blame(zero.label, stored[zero.label], [])}
    for record in records[1:]:
        result[record.label] = _blame_next(record, stored, pure)
    return result


def _blame_next(
    record: VersionRecord, stored: dict[str, Attributed], pure: dict[str, Attributed]
) -> Blame:
    """Blame a version from its parent's (both attributions of the version kept for its children: as stored,
    and as its lineage alone makes it)."""
    if record.parent not in stored or record.parent is None:
        raise InvalidInput(
            f"{record.label}: its parent {record.parent!r} is not an earlier version"
        )
    parent, pure_parent = stored[record.parent], pure[record.parent]
    from_stored = _try_apply(parent, record)
    from_pure = from_stored if pure_parent is parent else _try_apply(pure_parent, record)
    expected = _best_expectation(base_string(record.text), parent, from_stored, from_pure)
    stored[record.label], removed = _reconcile(expected, base_string(record.text), record.label)
    pure[record.label] = from_pure or expected
    deleted = _deletions(parent, record) if expected is from_stored else []
    blamed = _blame(record.label, stored[record.label], removed)
    return blamed.model_copy(update={"deleted": deleted})


def _best_expectation(
    target: str, parent: Attributed, *candidates: Attributed | None
) -> Attributed:
    """The lineage applied to the parent as stored, or as its own lineage makes it, whichever explains more."""
    found = [c for c in candidates if c is not None]
    if not found:
        return parent  # the lineage fits neither text: nothing it records can be trusted
    for candidate in found:
        if candidate[0] == target:
            return candidate
    return min(found, key=lambda c: _unexplained(c[0], target))


def _try_apply(parent: Attributed, record: VersionRecord) -> Attributed | None:
    """The lineage applied to the parent, then each translation into the first language recorded since."""
    try:
        made = _apply(parent, record.lineage, round_number=record.round, label=record.label)
        for batch in record.translated:
            made = _apply(made, batch, round_number=record.round, label=record.label)
        return made
    except InvalidInput:
        return None


def _deletions(parent: Attributed, record: VersionRecord) -> list[Deletion]:
    """The words each operation of the record took out of the parent, at their place in the new text."""
    base, origins = parent
    out: list[Deletion] = []
    length = pos = 0
    for op in sorted(record.lineage, key=lambda o: (int(o["start"]), int(o["end"]))):
        start, end, new = int(op["start"]), int(op["end"]), str(op["text"])
        length += start - pos
        origin = _op_origin(op, record.round, record.label)
        for at, chunk, _ in _carry(base[start:end], origins[start:end], new, origin)[1]:
            if chunk.strip(MARK + " "):
                out.append(
                    Deletion(at=length + at, text=chunk.replace(MARK, "\n"), **origin.model_dump())
                )
        length += len(new)
        pos = end
    return out


def _unexplained(expected: str, stored: str) -> int:
    return sum(len(text) for op, text in word_diff(expected, stored) if op != 0)


def _apply(
    parent: Attributed, ops: Sequence[Mapping[str, Any]], *, round_number: int | None, label: str
) -> Attributed:
    """Replace base[start:end] by each operation's text; unchanged words inside an operation keep their origin."""
    base, origins = parent
    text: list[str] = []
    attrs: list[Origin] = []
    # id of an earlier origin -> the operation that removed some of its text
    removed_by: dict[int, Origin] = {}
    pos = 0
    for op in sorted(ops, key=lambda o: (int(o["start"]), int(o["end"]))):
        start, end = _span(op, pos, len(base), label)
        text.append(base[pos:start])
        attrs.extend(origins[pos:start])
        origin = _op_origin(op, round_number, label)
        new, new_attrs, removed = _splice(base[start:end], origins[start:end], op, origin)
        for earlier in removed:
            removed_by.setdefault(id(earlier), origin)
        text.append(new)
        attrs.extend(new_attrs)
        pos = end
    text.append(base[pos:])
    attrs.extend(origins[pos:])
    return _resolved(parent, ("".join(text), attrs), removed_by)


def _span(op: Mapping[str, Any], pos: int, length: int, label: str) -> tuple[int, int]:
    """An operation's start and end, which must lie in order within the text."""
    start, end = int(op["start"]), int(op["end"])
    if not pos <= start <= end <= length:
        raise InvalidInput(
            f"{label}: operation {start}-{end} does not fit a text of {length} characters"
        )
    return start, end


def _splice(
    old: str, old_origins: list[Origin], op: Mapping[str, Any], origin: Origin
) -> tuple[str, list[Origin], list[Origin]]:
    """The operation's text, its words shared with the replaced text keeping their earlier origin; and the
    origins of the replaced characters it drops."""
    new = str(op["text"])
    attrs, dropped = _carry(old, old_origins, new, origin)
    return new, attrs, [o for _, _, origins in dropped for o in origins]


def _carry(
    old: str, old_origins: list[Origin], new: str, added: Origin
) -> tuple[list[Origin], list[tuple[int, str, list[Origin]]]]:
    """Origins for ``new`` by a word diff against ``old``: shared words keep theirs, new words get ``added``; and
    the words dropped (where they stood in ``new``, their text, their origins)."""
    attrs: list[Origin] = []
    dropped: list[tuple[int, str, list[Origin]]] = []
    pos = 0
    for op, chunk in word_diff(old, new):
        if op == 1:
            attrs.extend([added] * len(chunk))
            continue
        if op == 0:
            attrs.extend(old_origins[pos : pos + len(chunk)])
        else:
            dropped.append((len(attrs), chunk, old_origins[pos : pos + len(chunk)]))
        pos += len(chunk)
    return attrs, dropped


def _bracket_origins(parent: Attributed) -> set[int]:
    """The ids of the origins that wrote a bracket still standing (bracketed, not applied) in ``parent``."""
    return {
        id(o)
        for ch, o in zip(*parent, strict=True)
        if ch in "[]" and _outcome(o) == Outcome.BRACKETED
    }


def _resolved(parent: Attributed, child: Attributed, removed_by: dict[int, Origin]) -> Attributed:
    """Words of a bracket that an applied proposal resolved (its brackets removed, these words kept) record it."""
    bracketed = _bracket_origins(parent)
    still = {id(o) for ch, o in zip(*child, strict=True) if ch in "[]"}
    done: dict[int, Origin] = {}
    attrs = list(child[1])
    for i, earlier in enumerate(attrs):
        key = id(earlier)
        by = removed_by.get(key)
        if by is None or key not in bracketed or key in still or _outcome(by) != Outcome.APPLIED:
            continue
        if key not in done:
            done[key] = _with_resolution(earlier, by)
        attrs[i] = done[key]
    return child[0], attrs


def _with_resolution(earlier: Origin, by: Origin) -> Origin:
    """A bracketed word's origin, recording the applied proposal that resolved its bracket."""
    resolution = {
        "round": by.round,
        "proposal": by.proposal,
        "party": by.party,
        "version": by.introduced,
        **(by.decided or {}),
    }
    return earlier.model_copy(
        update={"decided": {**(earlier.decided or {}), "resolved": resolution}}
    )


def _outcome(origin: Origin) -> str | None:
    return (origin.decided or {}).get("outcome") if origin.source == PROPOSAL else None


def _op_origin(op: Mapping[str, Any], round_number: int | None, label: str) -> Origin:
    parties = list(dict.fromkeys(op.get("parties") or []))
    for flag, source in (("untranslated", UNTRANSLATED), ("translation", TRANSLATION)):
        if op.get(flag):
            decided = {"outcome": flag, "from": op.get("from")}
            return Origin(source=source, party=None, decided=decided, introduced=label)
    if op.get("editorial"):
        decided = {"outcome": "editorial", "reason": op.get("reason", "")}
        party = " / ".join(parties) or "secretariat"
        return Origin(source=EDITORIAL, party=party, decided=decided, introduced=label)
    return _proposal_origin(op, parties, round_number, label)


def _proposal_origin(
    op: Mapping[str, Any], parties: list[str], round_number: int | None, label: str
) -> Origin:
    """Words a proposal brought in, as the co-presidencies decided on it."""
    decided = {"outcome": op.get("outcome"), "decisions": op.get("decisions") or {}}
    return Origin(
        source=PROPOSAL,
        party=" / ".join(parties) or None,
        round=round_number,
        proposal=" / ".join(op.get("proposals") or []) or None,
        decided=decided,
        introduced=label,
    )


def _reconcile(expected: Attributed, stored: str, label: str) -> tuple[Attributed, list[Removal]]:
    """Carry the expected origins onto the stored text; what the expectation lacks is untraceable."""
    text, origins = expected
    if text == stored:
        return expected, []
    attrs, dropped = _carry(text, origins, stored, Origin(source=UNTRACEABLE, introduced=label))
    return (stored, attrs), [
        Removal(at=at, text=chunk.replace(MARK, "\n")) for at, chunk, _ in dropped
    ]


def _blame(label: str, attributed: Attributed, removed: list[Removal]) -> Blame:
    """Join consecutive characters of one origin into spans."""
    text, origins = attributed
    spans: list[Span] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or origins[i] is not origins[start] and origins[i] != origins[start]:
            spans.append(
                Span(text=text[start:i].replace(MARK, "\n"), **origins[start].model_dump())
            )
            start = i
    return Blame(version=label, spans=spans, removed=removed)


def editorial_operations(base: DraftText, new_texts: Sequence[str]) -> list[Operation]:
    """The operations that turn ``base`` into the paragraphs ``new_texts``: one per run of changed words."""
    ops: list[Operation] = []
    pos = 0
    pending: tuple[int, int, str] | None = None
    for op, chunk in word_diff(base_string(base), MARK.join(new_texts)) + [(0, "")]:
        if op == 0:
            if pending is not None:
                ops.append(_editorial(*pending))
                pending = None
            pos += len(chunk)
            continue
        start, end, text = pending or (pos, pos, "")
        pending = (start, end + len(chunk), text) if op == -1 else (start, end, text + chunk)
        pos += len(chunk) if op == -1 else 0
    return ops


def _editorial(start: int, end: int, text: str) -> Operation:
    """The secretariat's edit of base[start:end] into ``text``."""
    return Operation(
        start=start,
        end=end,
        text=text,
        outcome=Outcome.APPLIED,
        proposals=[],
        parties=["secretariat"],
        decisions={},
    )


def mark_translation(record: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """A lineage record whose operations a translator made, carrying ``source``'s amendments into this text."""
    return [{**op, "translation": True, "from": source} for op in record]


def mark_untranslated(record: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """A lineage record of paragraphs another language changed, carried into this text as they are (``source``'s
    words) until a translator's upload translates them."""
    return [{**op, "untranslated": True, "from": source} for op in record]


def kept_in_step(base: DraftText, made: DraftText, source: str) -> list[list[dict[str, Any]]]:
    """The operations (one batch, or none) by which keeping the languages in step turned ``base`` (the text a
    revision or an edit made in this language) into ``made`` (the text issued), marked as ``source``'s words."""
    ops = editorial_operations(base, [p.text for p in made.paragraphs])
    return [mark_untranslated([op.model_dump(mode="json") for op in ops], source)] if ops else []


def history_fields(
    lineage: list[dict[str, Any]], translated: list[list[dict[str, Any]]]
) -> dict[str, Any]:
    """A language's lineage and translated batches as stored: only those it has (older records keep their bytes)."""
    return {k: v for k, v in (("lineage", lineage), ("translated", translated)) if v}


def mark_editorial(record: list[dict[str, Any]], reason: str) -> list[dict[str, Any]]:
    """A lineage record whose operations are editorial changes by the secretariat, with the reason given."""
    return [{**op, "editorial": True, "reason": reason} for op in record]
