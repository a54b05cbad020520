"""Word documents accord issues: a version as a clean .docx, and the stamp that ties a copy to a party."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drafting.errors import InvalidInput
from drafting.negotiation import Declaration
from drafting.text import DraftParagraph, DraftText, zero_draft_text
from drafting.wordml.models import Reading
from drafting.wordml.writer import (
    OutComment,
    OutIdentity,
    OutParagraph,
    OutRun,
    stamp_copies,
    write_docx,
)

STAMP_DECLARATION = "accord.declaration"
STAMP_VERSION = "accord.version"
STAMP_PARTY = "accord.party"
STAMP_ROUND = "accord.round"
STAMP_LANGUAGE = "accord.language"  # only on documents in a language after the declaration's first

DRAFT = "Draft: not for circulation outside delegations"
AD_REFERENDUM = "Agreed ad referendum"
AGREED = "Agreed"
AGREED_TEXT = "Agreed text"
_STATUS = {"silence": AD_REFERENDUM, "agreed": AGREED}  # a version's state -> what its pages say


def zero_draft_from_reading(reading: Reading, *, name: str) -> DraftText:
    """Take the zero draft's body paragraphs; refuse a draft that still carries tracked changes."""
    if reading.changes:
        raise InvalidInput(
            f"{name}: the zero draft still has {len(reading.changes)} tracked change(s); "
            "accept or reject them in Word and upload the clean text"
        )
    return accepted_draft(reading, name=name)


def body_texts(reading: Reading) -> list[str]:
    """The body paragraphs as Word shows them with every tracked change accepted."""
    return [p.text_accepted for p in reading.paragraphs if p.container == "body"]


def accepted_draft(reading: Reading, *, name: str) -> DraftText:
    """A file's accepted text as a draft (paragraphs keyed by position); refuse a file with no text."""
    texts = body_texts(reading)
    if not any(t.strip() for t in texts):
        raise InvalidInput(f"{name}: the zero draft has no text")
    return zero_draft_text(texts)


Anchored = tuple[
    int, int, int, str
]  # a comment on paragraph index, from start to end in its text: its words


def render_version(
    template: bytes,
    text: DraftText,
    *,
    title: str,
    stamp: dict[str, str],
    identity: OutIdentity | None = None,
    comments: Sequence[Anchored] = (),
    date: str = "",
) -> bytes:
    """Write a version as a clean Word file in the zero draft's styles, stamped with declaration and version;
    ``identity`` (see ``version_identity``) puts what it is on every page; ``comments`` (by accord, dated
    ``date``) are anchored on their words, e.g. who holds each bracket. Without ``identity`` the version is written
    as accord wrote versions before they had identity (a declaration from then: replay re-renders it byte for byte)."""
    notes = [
        OutComment(id=i, author="accord", initials="acc", date=date, text=note)
        for i, (_, _, _, note) in enumerate(comments)
    ]
    paragraphs = [_commented(index, p, comments) for index, p in enumerate(text.paragraphs)]
    return write_docx(
        template,
        paragraphs,
        comments=notes,
        custom_properties=stamp,
        title=title,
        identity=identity,
        as_before_identity=identity is None,
    )


def _commented(index: int, paragraph: DraftParagraph, comments: Sequence[Anchored]) -> OutParagraph:
    """A paragraph as runs, each comment's words a run of their own that carries the comment's id."""
    runs, pos = [], 0
    for cid, (_, start, end, _) in [(i, c) for i, c in enumerate(comments) if c[0] == index]:
        runs += [
            OutRun(text=paragraph.text[pos:start]),
            OutRun(text=paragraph.text[start:end], comment_ids=[cid]),
        ]
        pos = end
    runs.append(OutRun(text=paragraph.text[pos:]))
    return OutParagraph(runs=[r for r in runs if r.text], template_index=paragraph.template_index)


def version_stamp(declaration: str, label: str, language: str | None = None) -> dict[str, str]:
    """The custom properties that tie a version's document to its declaration and label (``language``: a
    language after the declaration's first, which the document then names too)."""
    stamp = {STAMP_DECLARATION: declaration, STAMP_VERSION: label}
    return stamp if language is None else stamp | {STAMP_LANGUAGE: language}


def status_of(state: str) -> str:
    """What a version in ``state`` says of itself: draft, agreed ad referendum (under silence) or agreed."""
    return _STATUS.get(state, DRAFT)


def version_identity(declaration: Declaration, name: str, *, state: str, at: str) -> OutIdentity:
    """Header, footer and properties of a document of ``declaration``: symbol, ``name`` ("Rev.1", "Agreed text
    (Rev.2)"...), the date of ``at`` (UTC, from the log) in the declaration's zone, status, page X of Y."""
    status = status_of(state)
    return OutIdentity(
        header=[
            f"{declaration.symbol}    {name}    {local_date(at, declaration.timezone)}",
            status,
        ],
        footer=f"{declaration.symbol} · {name}",
        title=declaration.title,
        subject=f"{declaration.symbol} {name}",
        keywords=declaration.symbol,
        description=status,
    )


def local_date(moment: str, zone: str) -> str:
    """A UTC time from the log as the date in ``zone``: '4 December 2026'."""
    local = _local(moment, zone)
    return f"{local.day} {local:%B %Y}"


def local_moment(moment: str, zone: str) -> str:
    """A UTC time from the log in ``zone``, as a deadline is written on paper: '2026-12-04 18:00 CET'."""
    local = _local(moment, zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _local(moment: str, zone: str) -> datetime:
    when = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)
    try:
        return when.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return when


def _stamp(declaration: str, version: str, round_number: int, party: str) -> dict[str, str]:
    """The custom properties that say whose copy of which round a file is."""
    return {
        STAMP_DECLARATION: declaration,
        STAMP_VERSION: version,
        STAMP_ROUND: str(round_number),
        STAMP_PARTY: party,
    }


def stamp_for_parties(
    document: bytes,
    *,
    declaration: str,
    version: str,
    round_number: int,
    parties: list[str],
    names: Mapping[str, str] | None = None,
    returned_by: str | None = None,
) -> dict[str, bytes]:
    """The copy each party receives: the document with the party and round in its custom properties and, visibly,
    first in its header ("Copy for Mexico, round 2, returned by ..."), opening with Track Changes on."""
    stamps = [_stamp(declaration, version, round_number, party) for party in parties]
    due = f", returned by {returned_by}" if returned_by else ""
    lines = [
        f"Copy for {(names or {}).get(party, party)}, round {round_number}{due}"
        for party in parties
    ]
    return dict(
        zip(parties, stamp_copies(document, stamps, header_lines=lines, track=True), strict=True)
    )
