"""The history of a declaration as a read model: what `accord history --json` prints and history.html shows,
plain frozen values (drafting/history.py builds them from the record)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    field_serializer,
    model_serializer,
)

from drafting.decisions import Resolution
from drafting.merge import MergedProposal
from drafting.negotiation import Bloc, Role, VersionState

UNDECIDED = "undecided"  # a proposal's outcome until its round's revision is issued


class _ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset()  # keys left out of the JSON when None

    @model_serializer(mode="wrap")
    def _without_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k not in self.OMIT_NONE}


class Heading(_ReadModel):
    """The declaration the history is of."""

    slug: str
    title: str
    timezone: str


class HistoryParty(_ReadModel):
    code: str
    name: str
    bloc: Bloc
    role: Role


class DocumentLink(_ReadModel):
    """A document an event names, by its path in the bundle (or beside the page)."""

    path: str
    sha256: str
    name: str


class VersionApproval(_ReadModel):
    party: str
    at: str


class Milestone(_ReadModel):
    """What happened to a version after it was issued (translated, circulated, silence, agreed)."""

    type: str
    at: str
    summary: str


class HistoryVersion(_ReadModel):
    """A version as issued (zero draft, revision or editorial change), with its state now and what followed."""

    label: str
    number: int
    at: str
    state: VersionState
    kind: str  # zero draft | revision | editorial
    round: int | None
    reason: str | None
    text_sha256: str
    paragraphs: int
    bracketed: tuple[str, ...]
    outcomes: dict[str, int]
    resolutions: dict[str, Resolution]  # by proposal id, as the version stored them
    documents: tuple[DocumentLink, ...]
    approvals: tuple[VersionApproval, ...]
    milestones: tuple[Milestone, ...]

    @field_serializer("resolutions")
    def _as_stored(self, resolutions: dict[str, Resolution]) -> dict[str, Any]:
        """With the keys the version stored, no others (a version from before groups has no ``group``)."""
        return {
            pid: r.model_dump(mode="json", exclude_unset=True) for pid, r in resolutions.items()
        }


class HistorySubmission(_ReadModel):
    seq: int
    party: str
    at: str
    late: bool
    filename: str
    superseded: tuple[int, ...]
    flags: tuple[str, ...]
    documents: tuple[DocumentLink, ...]


class HistoryCompilation(_ReadModel):
    at: str
    proposals: int
    conflicts: int
    documents: tuple[DocumentLink, ...]


class ProposalOutcome(_ReadModel):
    """A compiled proposal and what became of it; ``resolves``: what it does to a bracket group it resolves
    (declarations with stable bracket ids), left out of the JSON when it resolves none."""

    id: str
    parties: tuple[str, ...]
    paragraph: str
    group: str | None
    deleted: str
    inserted: str
    outcome: str = UNDECIDED
    decisions: dict[str, str | None] = {}
    resolves: str | None = None

    OMIT_NONE = frozenset({"resolves"})


class HistoryDecision(_ReadModel):
    party: str
    at: str
    filename: str
    accepted: int
    rejected: int
    documents: tuple[DocumentLink, ...]


class HistoryRound(_ReadModel):
    number: int
    version: str
    opened: str
    deadline: str | None
    closed: str | None
    reason: str | None
    submissions: tuple[HistorySubmission, ...]
    compilation: HistoryCompilation | None
    proposals: tuple[ProposalOutcome, ...]
    decisions: tuple[HistoryDecision, ...]
    revision: str | None  # the version its decisions gave


class TimelineEntry(_ReadModel):
    """One logged event in plain words; ``by``: the portal's account that acted (left out when none)."""

    seq: int
    at: str
    local: str
    type: str
    actor: str
    summary: str
    documents: tuple[DocumentLink, ...]
    hash: str
    by: str | None = None

    OMIT_NONE = frozenset({"by"})


class History(_ReadModel):
    """Everything the history page and `accord history` show."""

    declaration: Heading
    parties: tuple[HistoryParty, ...]
    versions: tuple[HistoryVersion, ...]
    rounds: tuple[HistoryRound, ...]
    timeline: tuple[TimelineEntry, ...]
    documents: int  # how many documents the log names

    def as_json(self) -> dict[str, Any]:
        """The history as JSON values (`accord history --json`)."""
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class CompilationFiles:
    """What the history reads of a compilation: its proposals.json and, with stable bracket ids, its
    synopsis.json (which proposals resolve a bracket group)."""

    proposals: str
    synopsis: str | None


@dataclass(frozen=True)
class CompiledRound:
    """A compilation's proposals as stored, and what each one resolving a bracket group does to it."""

    proposals: Sequence[MergedProposal] = ()
    resolves: Mapping[str, str] = field(default_factory=dict)
