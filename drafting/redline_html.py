"""Two texts as an HTML redline beside the Word one (drafting/redline.py): paragraphs matched, then words diffed;
for a browser or a phone, printable, no script and nothing fetched from elsewhere."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafting._diff import word_diff

if TYPE_CHECKING:
    import jinja2

_KINDS = {-1: "del", 0: "", 1: "ins"}


@dataclass(frozen=True)
class Span:
    text: str
    kind: str  # "ins", "del" or "" (unchanged)


@dataclass(frozen=True)
class Row:
    old: int | None  # the paragraph's number in the old text (None: added)
    new: int | None  # and in the new text (None: removed)
    spans: list[Span]
    state: str  # "unchanged", "changed", "added" or "removed"


def redline_rows(old_texts: Sequence[str], new_texts: Sequence[str]) -> list[Row]:
    """Paragraphs matched old to new (unchanged ones first), then each changed pair diffed word by word."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=list(old_texts), b=list(new_texts), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                Row(i + 1, j + 1, [Span(old_texts[i], "")], "unchanged")
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = (i1 + k if i1 + k < i2 else None), (j1 + k if j1 + k < j2 else None)
            rows.append(_row(old_texts, new_texts, i, j))
    return rows


def _row(old_texts: Sequence[str], new_texts: Sequence[str], i: int | None, j: int | None) -> Row:
    if j is None:
        assert i is not None
        return Row(i + 1, None, [Span(old_texts[i], "del")], "removed")
    if i is None:
        return Row(None, j + 1, [Span(new_texts[j], "ins")], "added")
    spans = [Span(text, _KINDS[op]) for op, text in word_diff(old_texts[i], new_texts[j])]
    return Row(i + 1, j + 1, spans, "changed")


def redline_html(
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    *,
    title: str,
    old_label: str,
    new_label: str,
) -> str:
    """The redline from ``old_label`` to ``new_label`` as one self-contained HTML page."""
    rows = redline_rows(old_texts, new_texts)
    counts = {
        state: sum(1 for r in rows if r.state == state) for state in ("changed", "added", "removed")
    }
    words = {
        kind: sum(len(s.text.split()) for r in rows for s in r.spans if s.kind == kind)
        for kind in ("ins", "del")
    }
    return (
        _environment()
        .get_template("redline.html.j2")
        .render(title=title, old=old_label, new=new_label, rows=rows, counts=counts, words=words)
    )


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates' environment, made on first use: `accord diff` without --html does not import jinja2."""
    from drafting.templating import page_templates

    return page_templates()
