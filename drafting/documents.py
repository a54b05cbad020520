"""Word documents accord issues: a version as a clean .docx, and the stamp that ties a copy to a party."""

from __future__ import annotations

from drafting.errors import InvalidInput
from drafting.text import DraftText, zero_draft_text
from drafting.wordml.models import Reading
from drafting.wordml.writer import OutParagraph, OutRun, stamp_copies, write_docx

STAMP_DECLARATION = "accord.declaration"
STAMP_VERSION = "accord.version"
STAMP_PARTY = "accord.party"
STAMP_ROUND = "accord.round"


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


def render_version(template: bytes, text: DraftText, *, title: str, stamp: dict[str, str]) -> bytes:
    """Write a version as a clean Word file in the zero draft's styles, stamped with declaration and version."""
    paragraphs = [
        OutParagraph(runs=[OutRun(text=p.text)] if p.text else [], template_index=p.template_index)
        for p in text.paragraphs
    ]
    return write_docx(template, paragraphs, custom_properties=stamp, title=title)


def stamp_for_parties(
    document: bytes, *, declaration: str, version: str, round_number: int, parties: list[str]
) -> dict[str, bytes]:
    """The copy each party receives: the same document with the party and round in its custom properties."""
    stamps = [
        {STAMP_DECLARATION: declaration, STAMP_VERSION: version, STAMP_ROUND: str(round_number), STAMP_PARTY: party}
        for party in parties
    ]
    return dict(zip(parties, stamp_copies(document, stamps), strict=True))
