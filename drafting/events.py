"""What happened in a negotiation, as types: one frozen class per event type, its payload as typed fields.

``EVENTS`` is the registry: every type string accord has ever written, mapped to its class. The strings are inside
the hash chain of every log that holds them, so they never change; neither do the payloads' keys. Whatever
follows an event (replay's rule, the history's wording, serve's follow-ups, Prefect's triggers, verify's issuing
events) is keyed by these classes, and tests/unit/test_event_registry.py fails when a class lacks one of them.

An event is built by the aggregate or use case that decides it happened, and recorded in the log with its actor
and time (the envelope: ``drafting.negotiation.Event``); ``payload()`` gives the JSON that is hashed, and
``parse`` reads a stored event back as its class.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

from drafting.negotiation import Event


class DomainEvent(BaseModel):
    """One event type: ``TYPE`` is the recorded string; the fields are the payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    OMIT_NONE: ClassVar[frozenset[str]] = (
        frozenset()
    )  # keys left out of the payload when None (absent in old logs)

    def payload(self) -> dict[str, Any]:
        """The payload as recorded: JSON values, optional keys left out when empty."""
        dropped = {name for name in self.OMIT_NONE if getattr(self, name) is None}
        return self.model_dump(mode="json", exclude=dropped)

    def acted_by(self, by: str | None) -> Self:
        """The event naming who acted through the portal (an event without a ``by`` field is returned as it is)."""
        return (
            self
            if by is None or "by" not in type(self).model_fields
            else self.model_copy(update={"by": by})
        )

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        """The event a stored payload records."""
        return cls.model_validate(payload)


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartyEntry(_Entry):
    """A party as the declaration's creation records it (no e-mail address: the log is shared with auditors)."""

    code: str
    name: str
    bloc: str
    role: str


class ZeroDraftFile(_Entry):
    """The zero draft as the secretariat gave it."""

    original: str
    filename: str


class IssuedTranslation(_Entry):
    """A version's text in another of the declaration's languages, issued with it."""

    blob: str
    text_sha256: str
    paragraphs: int
    pending: tuple[str, ...] = ()  # the paragraphs (keys) whose translation into it is pending


class SourceFile(_Entry):
    """The file behind an editorial change."""

    blob: str
    filename: str


# --- the declaration and its versions --------------------------------------------------------------------------


class DeclarationCreated(DomainEvent):
    """``symbol``: the document symbol, recorded since documents carry their identity (None: a log from before);
    ``rules``: which version of accord's derivation rules the declaration follows, so an old log replays by its own
    (2: bracket ids stable across revisions; None: numbered per revision, as before). A declaration in several
    languages records the zero draft of each language after the first (``translations``), each party's language
    (``party_languages``) and the concordance warnings the secretariat accepted; all three are absent (None) for a
    declaration in one language, as in every log from before."""

    TYPE = "accord.declaration.created"
    OMIT_NONE = frozenset(
        {"symbol", "rules", "translations", "party_languages", "accepted_warnings", "by"}
    )
    slug: str
    title: str
    timezone: str
    languages: tuple[str, ...]
    parties: tuple[PartyEntry, ...]
    zero_draft: ZeroDraftFile
    symbol: str | None = None
    rules: int | None = (
        None  # the derivation rules it follows (drafting.brackets.RULES); None: a log from before
    )
    translations: dict[str, ZeroDraftFile] | None = None
    party_languages: dict[str, str] | None = None
    accepted_warnings: tuple[str, ...] | None = None
    by: str | None = None  # who acted through the portal (account:7); None: the CLI


class VersionIssued(DomainEvent):
    """The zero draft (number 0, no round) or a revision issued from a round's decisions."""

    TYPE = "accord.version.issued"
    OMIT_NONE = frozenset(
        {"round", "bracketed", "outcomes", "lineage_sha256", "translations", "pending"}
    )
    version: str
    number: int
    blob: str
    text_sha256: str
    paragraphs: int
    round: int | None = None
    bracketed: tuple[str, ...] | None = None
    outcomes: dict[str, int] | None = None
    lineage_sha256: str | None = None
    translations: dict[str, IssuedTranslation] | None = (
        None  # the other languages' texts (None: one language)
    )
    pending: tuple[str, ...] | None = (
        None  # paragraphs whose translation into the first language is pending
    )


class VersionEdited(DomainEvent):
    """``translations`` and ``pending`` as in VersionIssued (None: one language, as in every log from before)."""

    TYPE = "accord.version.edited"
    OMIT_NONE = frozenset({"translations", "pending"})
    version: str
    number: int
    parent: str
    blob: str
    text_sha256: str
    paragraphs: int
    reason: str
    source: SourceFile
    operations: int
    lineage_sha256: str
    translations: dict[str, IssuedTranslation] | None = None
    pending: tuple[str, ...] | None = None


class VersionTranslated(DomainEvent):
    """The secretariat's translator aligned a version's paragraphs pending translation into ``language``: every
    language's document is written again (their headers list what is still pending). ``blob`` and
    ``text_sha256`` are the version's in its first language (changed when ``language`` is the first)."""

    TYPE = "accord.version.translated"
    OMIT_NONE = frozenset({"by"})
    version: str
    language: str
    blob: str
    text_sha256: str
    paragraphs: int
    aligned: tuple[str, ...]
    pending: tuple[str, ...]  # what is still pending in the first language
    translations: dict[str, IssuedTranslation]
    source: SourceFile
    warnings: tuple[str, ...] = ()  # the concordance warnings accepted
    by: str | None = None  # who acted through the portal (account:7); None: the CLI


class VersionApproved(DomainEvent):
    """``pending_translation``: the approval circulates the version with translation pending, explicitly (None: an
    approval of a version with nothing pending, as in every log from before)."""

    TYPE = "accord.version.approved"
    OMIT_NONE = frozenset({"pending_translation", "by"})
    version: str
    party: str
    pending_translation: bool | None = None
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class VersionCirculated(DomainEvent):
    """Both co-presidencies approved: exactly one per version (the log's unique seq serialises approvals)."""

    TYPE = "accord.version.circulated"
    version: str
    blob: str
    approved_by: tuple[str, ...]


class VersionAgreed(DomainEvent):
    """Agreed by `accord agree` (via "agreement") or at the end of a silence (via "silence", with its number)."""

    TYPE = "accord.version.agreed"
    OMIT_NONE = frozenset({"silence", "document", "by"})
    version: str
    text_sha256: str
    blob: str
    via: str
    silence: int | None = None
    document: str | None = (
        None  # the agreed text as a document (None: a log from before, or no symbol recorded)
    )
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class DeclarationArchived(DomainEvent):
    """The seal: the pages of the bundle by name and sha256, signed when a key was given. Seals from before pages
    were recorded have a count of files and the bundle's and manifest's sha256 instead."""

    TYPE = "accord.declaration.archived"
    OMIT_NONE = frozenset({"bundle_sha256", "manifest_sha256", "signature", "by"})
    version: str
    state: str
    text_sha256: str
    files: dict[str, str] | int
    events: int
    head: str
    pdf: str | None
    signature: dict[str, str] | None = None
    bundle_sha256: str | None = None
    manifest_sha256: str | None = None
    by: str | None = None  # who acted through the portal (account:7); None: the CLI


# --- rounds, submissions, compilations, decisions -----------------------------------------------------------------


class RoundOpened(DomainEvent):
    TYPE = "accord.round.opened"
    OMIT_NONE = frozenset({"by"})
    round: int
    version: str
    deadline: str | None
    parties: tuple[str, ...]
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class SubmissionReceived(DomainEvent):
    """``language``: the text the file was made on, found by alignment (None: a declaration in one language).
    ``reading``: the sha256 of what accord read in the file (stored beside it), so replay can take that reading,
    vouched for by the log, instead of parsing the Word file again (None: a log from before it was recorded)."""

    TYPE = "accord.submission.received"
    OMIT_NONE = frozenset({"by", "language", "reading"})
    round: int
    party: str
    submission: int
    blob: str
    filename: str
    late: bool
    superseded: tuple[int, ...]
    flags: tuple[str, ...]
    by: str | None = (
        None  # who acted for the party through the portal (account:7, token:3); None: the CLI
    )
    language: str | None = None
    reading: str | None = None


class _FileRefused(DomainEvent):
    """A file refused: its bytes are not kept (only their hash and size), so replay records the event as it was."""

    OMIT_NONE = frozenset({"by"})
    party: str
    filename: str
    sha256: str
    size: int
    reason: str
    by: str | None = (
        None  # who acted for the party through the portal (account:7, token:3); None: the CLI
    )


class SubmissionRefused(_FileRefused):
    """A file the gate or the reader refused."""

    TYPE = "accord.submission.refused"


class DecisionRefused(_FileRefused):
    """A co-presidency's decisions refused (not a co-presidency, no compiled round, a bad file)."""

    TYPE = "accord.decision.refused"


class ApprovalRefused(DomainEvent):
    """An approval refused (not a co-presidency, not a draft, approved already): recorded as it was."""

    TYPE = "accord.approval.refused"
    OMIT_NONE = frozenset({"by"})
    party: str
    reason: str
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class DeadlineReached(DomainEvent):
    TYPE = "accord.round.deadline-reached"
    round: int
    deadline: str | None


class DeadlineExtended(DomainEvent):
    """The secretariat moved an open round's deadline later (``previous``: the deadline before, None: there was
    none)."""

    TYPE = "accord.round.deadline-extended"
    OMIT_NONE = frozenset({"by"})
    round: int
    deadline: str
    previous: str | None
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class RoundClosed(DomainEvent):
    TYPE = "accord.round.closed"
    OMIT_NONE = frozenset({"by"})
    round: int
    reason: str
    submissions: tuple[int, ...]
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class CompilationReady(DomainEvent):
    TYPE = "accord.compilation.ready"
    round: int
    version: str
    documents: dict[str, str]
    submissions: tuple[int, ...]
    proposals: int
    conflicts: int


class DecisionRecorded(DomainEvent):
    TYPE = "accord.decision.recorded"
    OMIT_NONE = frozenset({"by"})
    round: int
    party: str
    blob: str
    filename: str
    decisions: dict[str, str]
    by: str | None = (
        None  # who acted for the party through the portal (account:7, token:3); None: the CLI
    )


# --- the silence procedure ------------------------------------------------------------------------------------------


class SilenceStarted(DomainEvent):
    """``document``: the sha256 of the text written as agreed ad referendum (None: a log from before)."""

    TYPE = "accord.silence.started"
    OMIT_NONE = frozenset({"document", "by"})
    silence: int
    version: str
    until: str
    text_sha256: str
    blob: str
    document: str | None = None
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class SilenceBroken(DomainEvent):
    TYPE = "accord.silence.broken"
    OMIT_NONE = frozenset({"by"})
    silence: int
    version: str
    party: str
    reason: str
    until: str
    by: str | None = None  # who acted through the portal (account:7, token:3); None: the CLI


class SilenceExpired(DomainEvent):
    TYPE = "accord.silence.expired"
    silence: int
    version: str
    until: str
    text_sha256: str


# --- deliveries: what the outbox and the mail server did (facts of that day, recorded, not recomputed) ----------


class SubmissionFiled(DomainEvent):
    TYPE = "accord.submission.filed"
    submission: int
    round: int
    party: str
    inbox: str
    acknowledged: str


class VersionRouted(DomainEvent):
    """The compilation sent to both co-presidencies; ``resent`` marks a sending again: which one ("1", "2", ...;
    in older logs, when it was sent)."""

    TYPE = "accord.version.routed"
    OMIT_NONE = frozenset({"resent"})
    round: int
    version: str
    parties: dict[str, str]
    files: tuple[str, ...]
    resent: str | None = None


class VersionDistributed(DomainEvent):
    TYPE = "accord.version.distributed"
    OMIT_NONE = frozenset({"resent"})
    version: str
    parties: dict[str, str]
    resent: str | None = None


class RoundDistributed(DomainEvent):
    TYPE = "accord.round.distributed"
    OMIT_NONE = frozenset({"resent"})
    round: int
    version: str
    parties: dict[str, str]
    resent: str | None = None


class ReminderSent(DomainEvent):
    TYPE = "accord.round.reminder-sent"
    OMIT_NONE = frozenset({"by"})
    round: int
    deadline: str | None
    parties: dict[str, str]
    by: str | None = None  # who sent them through the portal (account:7); None: the CLI or a timer


EVENTS: dict[str, type[DomainEvent]] = {
    cls.TYPE: cls
    for cls in (
        DeclarationCreated,
        VersionIssued,
        VersionEdited,
        VersionTranslated,
        VersionApproved,
        VersionCirculated,
        VersionAgreed,
        DeclarationArchived,
        RoundOpened,
        SubmissionReceived,
        SubmissionRefused,
        DecisionRefused,
        ApprovalRefused,
        DeadlineReached,
        DeadlineExtended,
        RoundClosed,
        CompilationReady,
        DecisionRecorded,
        SilenceStarted,
        SilenceBroken,
        SilenceExpired,
        SubmissionFiled,
        VersionRouted,
        VersionDistributed,
        RoundDistributed,
        ReminderSent,
    )
}

# What a person does (every other event follows from one of these, from the clock or from a delivery; a few of these
# also come from the clock: a round closed at its deadline, a version agreed when its silence ends, a timer's
# reminder). Done through the portal, each names the acting account (``by``, left out of the payload when empty).
# VersionEdited is not here: the secretariat makes an editorial change at the command line only (no page makes one).
ACTS: tuple[type[DomainEvent], ...] = (
    DeclarationCreated,
    VersionTranslated,
    VersionApproved,
    VersionAgreed,
    DeclarationArchived,
    RoundOpened,
    SubmissionReceived,
    SubmissionRefused,
    DecisionRefused,
    ApprovalRefused,
    DeadlineExtended,
    RoundClosed,
    DecisionRecorded,
    SilenceStarted,
    SilenceBroken,
    ReminderSent,
)

# the events that put a version's text (a translation puts it again, as it is in the first language)
ISSUING: tuple[type[DomainEvent], ...] = (VersionIssued, VersionEdited, VersionTranslated)


def parse(event: Event) -> DomainEvent:
    """A stored event as its class (KeyError for a type accord never wrote)."""
    return EVENTS[event.type].from_payload(event.payload)
