"""The accept-all and reject-all views of the body, built from the paragraphs (see corpus SOURCES.md)."""

from __future__ import annotations

from collections.abc import Sequence

from drafting.wordml.models import MarkState, Paragraph

_GONE_ON_ACCEPT = (MarkState.DELETED, MarkState.BOTH)
_GONE_ON_REJECT = (MarkState.INSERTED, MarkState.BOTH)


def view_lines(paragraphs: Sequence[Paragraph], *, accepted: bool) -> list[str]:
    """The paragraphs of the accepted (or rejected) view, after lost paragraph marks are merged away."""
    gone = _GONE_ON_ACCEPT if accepted else _GONE_ON_REJECT
    lines: list[str] = []
    pending = ""
    for paragraph in paragraphs:
        if paragraph.row_state in gone:
            continue
        text = pending + (paragraph.text_accepted if accepted else paragraph.text_rejected)
        pending = ""
        if paragraph.mark not in gone:
            lines.append(text)
        elif paragraph.merges_with_next:
            pending = text
        elif text:
            lines.append(text)
    return lines
