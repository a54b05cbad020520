"""What the WordprocessingML layer reads and writes, as plain pydantic models (no lxml leaves this package)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChangeType(StrEnum):
    """The kinds of tracked change Word records."""

    INSERT = "insert"
    DELETE = "delete"
    MOVE_FROM = "move_from"
    MOVE_TO = "move_to"
    FORMAT = "format"
    PARAGRAPH_INSERT = "paragraph_insert"
    PARAGRAPH_DELETE = "paragraph_delete"
    ROW_INSERT = "row_insert"
    ROW_DELETE = "row_delete"
    CELL_INSERT = "cell_insert"
    CELL_DELETE = "cell_delete"


class SegmentKind(StrEnum):
    """How a piece of a paragraph's text stands in the tracked view."""

    EQUAL = "equal"  # in both the accepted and the rejected view
    INSERT = "insert"  # accepted view only (w:ins, w:moveTo)
    DELETE = "delete"  # rejected view only (w:del, w:moveFrom)


class Segment(_Model):
    """A run of text with one revision state; consecutive runs with the same state are joined."""

    text: str
    kind: SegmentKind = SegmentKind.EQUAL
    author: str | None = None
    date: str | None = None
    change_id: str | None = None
    moved: bool = False


class MarkState(StrEnum):
    """Revision state of a paragraph mark (the pilcrow)."""

    NORMAL = "normal"
    INSERTED = "inserted"  # lost on reject
    DELETED = "deleted"  # lost on accept
    BOTH = "both"  # inserted then deleted: lost in both views


class Paragraph(_Model):
    """One w:p of the body (tables and content controls included, text boxes excluded)."""

    index: int
    para_id: str | None = None
    style: str | None = None
    container: str = "body"  # "body", or an id for a table cell / block content control
    text_accepted: str
    text_rejected: str
    mark: MarkState = MarkState.NORMAL
    in_table: bool = False
    row_state: MarkState = (
        MarkState.NORMAL
    )  # for a paragraph in a tracked-inserted / deleted row or cell
    segments: list[Segment] = []  # pydantic copies a mutable default for each instance
    # the next block of the same container is a paragraph, so a lost mark merges this paragraph into it
    merges_with_next: bool = False


class TrackedChange(_Model):
    """One tracked change, as Word's review pane lists it."""

    id: str
    type: ChangeType
    author: str
    date: str | None = None
    paragraph: int | None = None  # index into Reading.paragraphs; None outside the body
    part: str = "body"  # body | footnotes | endnotes
    text: str = ""


class Comment(_Model):
    """A Word comment with its anchor and thread position."""

    id: str
    author: str
    initials: str | None = None
    date: str | None = None
    text: str
    anchor: str = ""
    paragraph: int | None = None
    parent: str | None = None
    resolved: bool = False
    para_id: str | None = None


class ExternalLink(_Model):
    """A relationship to something outside the package (kept as data, never fetched)."""

    part: str
    rel_id: str
    type: str
    target: str


class Warning_(_Model):
    """Something a person should look at, that does not stop the file."""

    code: str
    message: str
    paragraph: int | None = None  # index into Reading.paragraphs, when the warning is about one


class Reading(_Model):
    """Everything accord reads from one .docx."""

    sha256: str
    paragraphs: list[Paragraph]
    accepted_text: str
    rejected_text: str
    changes: list[TrackedChange]
    comments: list[Comment]
    authors: list[str]
    # Plain defaults, which pydantic copies for each instance: a default_factory of a builtin such as `list` costs
    # `accord inspect` ~7 ms at import (pydantic reads its signature, which compiles the tokenizer's patterns).
    external_links: list[ExternalLink] = []
    custom_properties: dict[str, str] = {}
    warnings: list[Warning_] = []
