"""What the writer is asked to write: paragraphs of runs in revision states, and comments (pydantic, no lxml)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from drafting.wordml.models import MarkState, SegmentKind

# Word reads w:date only in this shape (no fractions, UTC); anything else shows as "no date" or breaks the file.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# XML 1.0 forbids these; "\n" and "\t" are written as w:br and w:tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|\r")

Highlight = Literal[
    "black", "blue", "cyan", "green", "magenta", "red", "yellow", "white", "darkBlue", "darkCyan",
    "darkGreen", "darkMagenta", "darkRed", "darkYellow", "darkGray", "lightGray",
]  # fmt: skip


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"date {value!r} is not ISO 8601 UTC like 2026-11-28T10:00:00Z")
    return value


def _check_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(
            f"text {value[:40]!r} holds a control character XML cannot carry (use \\n or \\t)"
        )
    return value


Date = Annotated[str, AfterValidator(_check_date)]
Text = Annotated[str, AfterValidator(_check_text)]


class OutRun(_Model):
    """A piece of a paragraph's text in one revision state; "\\n" becomes a line break, "\\t" a tab."""

    text: Text
    kind: SegmentKind = SegmentKind.EQUAL
    author: str | None = None
    date: Date | None = None
    comment_ids: list[int] = Field(default_factory=list)
    bold: bool = False
    highlight: Highlight | None = None

    @model_validator(mode="after")
    def _revision_has_author(self) -> OutRun:
        if self.kind is not SegmentKind.EQUAL and (not self.author or self.date is None):
            raise ValueError(
                f"a run of kind {self.kind.value} needs an author and a date: {self.text[:40]!r}"
            )
        return self


class OutParagraph(_Model):
    """One body paragraph: its runs, where its formatting comes from, and the revision state of its mark."""

    runs: list[OutRun] = Field(default_factory=list)
    template_index: int | None = None
    style: str | None = None
    mark: MarkState = MarkState.NORMAL
    mark_author: str | None = None
    mark_date: Date | None = None
    para_id: str | None = None

    @field_validator("para_id")
    @classmethod
    def _para_id_is_word_hex(cls, value: str | None) -> str | None:
        if value is not None and not (
            re.fullmatch(r"[0-9A-Fa-f]{8}", value) and int(value, 16) < 0x80000000
        ):
            raise ValueError(f"para_id {value!r} is not 8 hex digits below 80000000")
        return value.upper() if value is not None else None

    @model_validator(mode="after")
    def _tracked_mark_has_author(self) -> OutParagraph:
        if self.mark is not MarkState.NORMAL and (not self.mark_author or self.mark_date is None):
            raise ValueError(
                f"a paragraph mark in state {self.mark.value} needs mark_author and mark_date"
            )
        return self


class OutComment(_Model):
    """A comment, or a reply when ``parent`` names the comment it answers; paragraphs split on "\\n"."""

    id: int = Field(ge=0)
    author: str
    initials: str
    date: Date
    text: Text
    parent: int | None = None
    resolved: bool = False


class OutIdentity(_Model):
    """What a document says it is: header lines on every page, a footer before "page X of Y", core properties."""

    header: list[Text] = Field(default_factory=list)
    footer: Text = ""
    title: Text | None = None
    subject: Text = ""
    keywords: Text = ""
    description: Text = ""
    track_changes: bool = False  # Word opens the file with Track Changes on (w:trackRevisions)
    # A first page of its own: these lines (the first in bold) under the header's on page 1 only (a first-page header,
    # w:titlePg, so the body stays the text alone); the footer's "page X of Y" on it too. Empty: every page alike.
    first_page: list[Text] = Field(default_factory=list)
