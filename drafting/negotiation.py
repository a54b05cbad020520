"""The negotiators' nouns as immutable values (Declaration, Party, Version, Round, Submission, Event) and the states
of the aggregates that change (drafting/lifecycle.py)."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from drafting.text import DraftText


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bloc(StrEnum):
    EU = "EU"
    CELAC = "CELAC"
    OTHER = "other"


class Role(StrEnum):
    DELEGATION = "delegation"
    CO_PRESIDENCY = "co-presidency"
    SECRETARIAT = "secretariat"


SECRETARIAT = "secretariat"  # the actor name of the secretariat in the event log


class RoundState(StrEnum):
    """open -> closed (compiled) -> decided (its revision issued)."""

    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"


class VersionState(StrEnum):
    """draft -> circulated (both co-presidencies approved) -> silence -> agreed, or back to circulated on objection.

    There is no "approved" state: a draft approved by one co-presidency stays a draft until the other approves."""

    DRAFT = "draft"
    CIRCULATED = "circulated"
    SILENCE = "silence"
    AGREED = "agreed"


class SilenceState(StrEnum):
    RUNNING = "running"
    BROKEN = "broken"
    EXPIRED = "expired"


class EditorialNote(_Value):
    """Why the secretariat changed a version's text, and from which file."""

    reason: str
    source: str
    filename: str


class Translation(BaseModel):
    """A version's text in another of the declaration's languages: its text, its document, the file whose styles
    it takes, and the paragraphs (keys) whose translation is pending (changed in the first language only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: DraftText
    blob: str
    template: str
    pending: list[str] = Field(default_factory=list)
    lineage: list[dict[str, Any]] = Field(
        default_factory=list
    )  # the operations of a revision on this text, for blame
    translated: list[list[dict[str, Any]]] = Field(
        default_factory=list
    )  # translators' (and carried) operations


class VersionContent(BaseModel):
    """What a version holds besides its document: its text and how it came about (the zero draft's uploaded file,
    the lineage of operations, the round and its resolutions, or an editorial note). Stored with only the keys its
    kind has (``stored``), as it always was."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: DraftText
    template: str | None = (
        None  # the zero draft: the sha256 of the uploaded file every document takes styles from
    )
    lineage: list[dict[str, Any]] = Field(default_factory=list)
    round: int | None = None
    resolutions: list[dict[str, Any]] = Field(default_factory=list)
    editorial: EditorialNote | None = None
    translations: dict[str, Translation] = Field(
        default_factory=dict
    )  # by language; none in one language
    pending: list[str] = Field(
        default_factory=list
    )  # paragraphs whose translation into this text is pending
    translated: list[list[dict[str, Any]]] = Field(
        default_factory=list
    )  # translators' operations on this text

    def stored(self) -> dict[str, Any]:
        """The JSON kept with the version: the fields its maker set, no others."""
        return self.model_dump(mode="json", exclude_unset=True)


class Declaration(_Value):
    slug: str
    title: str
    languages: list[str] = Field(default_factory=lambda: ["en"])
    timezone: str = "UTC"
    symbol: str = ""  # the document symbol; "" takes the one derived from the slug
    # when it was created ("" before it is stored), and whether its creation recorded a symbol (False: made before
    # documents carried their identity, whose documents carry none); neither is part of what status shows
    created_at: str = Field(default="", exclude=True)
    identified: bool = Field(default=True, exclude=True)

    @property
    def first_language(self) -> str:
        """The language the negotiation works in; the others are translations."""
        return self.languages[0]

    @model_validator(mode="before")
    @classmethod
    def _symbol_from_slug(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("symbol"):
            return {**data, "symbol": default_symbol(str(data.get("slug", "")))}
        return data


class Party(_Value):
    code: str
    name: str
    bloc: Bloc = Bloc.OTHER
    role: Role = Role.DELEGATION
    email: str | None = None
    language: str | None = None  # the language of its copies; None: the declaration's first


class Version(_Value):
    """A version as the record holds it: its identity, its state when read, and what it holds besides its
    document (``content``, parsed when first asked for: most readers need only the identity)."""

    number: int
    label: str
    blob_sha256: str
    text_sha256: str
    state: VersionState
    created_at: str
    parent: str | None = None  # the label of the version it was made from
    declaration: str = Field(default="", exclude=True)  # the slug, for the record to find it again
    stored: str = Field(
        default="{}", exclude=True, repr=False
    )  # its content as stored (canonical JSON)

    @cached_property
    def content(self) -> VersionContent:
        """Its text and how it came about, typed."""
        return VersionContent.model_validate_json(self.stored)


class SubmissionFlag(_Value):
    """Something accord noticed about a received file: a stable code (``late``, ``unstamped``, ``stamp-party``,
    ``author-differs``, ``invisible-characters``, ``language-differs``, the reader's warnings) and what it means,
    in words."""

    code: str
    message: str


class SubmissionSummary(_Value):
    """What a submission keeps of its reading: the counts a person sees, the stored reading (None: received
    before readings were kept) and the text's language it was made on (None: a declaration in one language).
    Stored and shown as it always was: sorted keys, absent rather than null."""

    # In the order stored (canonical JSON sorts keys), so that its JSON reads as the stored one.
    authors: list[str] = Field(default_factory=list)
    changes: int = 0
    changes_by_type: dict[str, int] = Field(default_factory=dict)
    comments: int = 0
    language: str | None = None
    paragraphs: int = 0
    paragraphs_changed: int = 0
    reading: str | None = None

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A summary's JSON leaves out what it does not know, as the stored JSON always has."""
        return {key: value for key, value in handler(self).items() if value is not None}


class Submission(_Value):
    id: int
    round: int
    party: str
    blob_sha256: str
    filename: str
    received_at: str
    status: str
    late: bool
    flags: tuple[SubmissionFlag, ...] = ()
    summary: SubmissionSummary = Field(default_factory=SubmissionSummary)


class Decision(_Value):
    """A co-presidency's decisions on a round's proposals (proposal id -> accept | reject), as it returned them;
    superseded by its next return in the same round."""

    party: str
    blob_sha256: str
    decisions: dict[str, str]
    received_at: str
    status: str = "current"


class Approval(_Value):
    """A co-presidency's approval of a version."""

    party: str
    approved_at: str


class Artifact(_Value):
    """A document accord made from the record (a compilation, a synopsis, an outbox copy, an archive page), with
    the round or the version it belongs to (by number), if any."""

    kind: str
    name: str
    blob_sha256: str
    created_at: str
    round: int | None = None
    version: int | None = None


class Event(_Value):
    declaration: str
    seq: int
    type: str
    actor: str
    payload: dict[str, Any]
    occurred_at: str
    prev_hash: str
    hash: str


def version_label(number: int) -> str:
    """Zero draft, Rev.1, Rev.2 ..."""
    return "Zero draft" if number == 0 else f"Rev.{number}"


def default_symbol(slug: str) -> str:
    """The symbol a declaration has when none is given: its slug in capitals, as a first limited issue (L.1)."""
    return f"{slug.upper().replace('_', '-')}/L.1"
