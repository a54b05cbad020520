"""The aggregates whose state moves: Declaration (created), Round, Version, Silence. Each method checks its
preconditions, raises the domain's errors (drafting/errors.py) in the words a person reads, changes the state and
returns the event that records it (drafting/events.py); the use case records that event in the same transaction as
the state change.

The storage layer loads these from its rows and writes their state back (storage/repository.py); the immutable
values in drafting/negotiation.py are what status and reports read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from drafting import identifiers
from drafting.errors import InvalidInput, WrongState
from drafting.events import (
    DeadlineExtended,
    DeadlineReached,
    DeclarationCreated,
    IssuedTranslation,
    PartyEntry,
    RoundClosed,
    RoundOpened,
    SilenceBroken,
    SilenceExpired,
    SilenceStarted,
    VersionAgreed,
    VersionApproved,
    VersionCirculated,
    VersionIssued,
    ZeroDraftFile,
)
from drafting.moments import local_time
from drafting.negotiation import (
    Declaration,
    Party,
    RoundState,
    SilenceState,
    VersionState,
    version_label,
)
from drafting.text import DraftText


def check_slug(slug: str) -> None:
    """A declaration's slug names folders and URLs: the rule of ``identifiers.slug`` (one rule for the edge and
    the model)."""
    identifiers.slug(slug)


def check_symbol(symbol: str) -> str:
    """A symbol as given (stripped), or "" for the one derived from the slug."""
    symbol = symbol.strip()
    if len(symbol) > 80 or any(not c.isprintable() for c in symbol):
        raise InvalidInput(
            f"--symbol {symbol[:40]!r} must be at most 80 printable characters, e.g. EU-CELAC/HLM/2026/L.1"
        )
    return symbol


@dataclass(frozen=True)
class ZeroTranslation:
    """The zero draft in a language after the first: the file given, the document issued and its text."""

    file: ZeroDraftFile
    issued: str
    text: DraftText


def create(
    declaration: Declaration,
    parties: Sequence[Party],
    zero_draft: ZeroDraftFile,
    issued: str,
    text: DraftText,
    *,
    records_symbol: bool = True,
    rules: int | None = None,
    translations: Mapping[str, ZeroTranslation] | None = None,
    accepted_warnings: Sequence[str] = (),
) -> tuple[DeclarationCreated, VersionIssued]:
    """A declaration comes into being with its parties and its zero draft, issued circulated (version 0).
    ``records_symbol`` is False only when replaying a log from before symbols: its creation recorded none;
    ``rules`` (drafting.brackets.RULES) is None only when replaying a log from before rules were recorded.
    ``translations``: the zero draft in each language after the first (a declaration in several languages), whose
    concordance warnings the secretariat accepted (``accepted_warnings``)."""
    check_slug(declaration.slug)
    several = bool(translations)
    created = DeclarationCreated(
        slug=declaration.slug,
        title=declaration.title,
        symbol=declaration.symbol if records_symbol else None,
        rules=rules,
        timezone=declaration.timezone,
        languages=tuple(declaration.languages),
        parties=tuple(_entry(p) for p in parties),
        zero_draft=zero_draft,
        translations={lang: t.file for lang, t in translations.items()} if translations else None,
        party_languages=_party_languages(parties, declaration.languages[0]) if several else None,
        accepted_warnings=tuple(accepted_warnings) if several else None,
    )
    return created, _zero_issued(issued, text, translations or {})


def _party_languages(parties: Sequence[Party], first: str) -> dict[str, str]:
    """The language each party works in (the declaration's first unless its file says otherwise)."""
    return {p.code: p.language or first for p in parties}


def _entry(party: Party) -> PartyEntry:
    return PartyEntry(
        code=party.code, name=party.name, bloc=party.bloc.value, role=party.role.value
    )


def _zero_issued(
    issued: str, text: DraftText, translations: Mapping[str, ZeroTranslation]
) -> VersionIssued:
    """The zero draft issued as version 0, with its translations."""
    issued_translations = {
        lang: IssuedTranslation(
            blob=t.issued, text_sha256=t.text.sha256, paragraphs=len(t.text.paragraphs)
        )
        for lang, t in translations.items()
    }
    return VersionIssued(
        version=version_label(0),
        number=0,
        blob=issued,
        text_sha256=text.sha256,
        paragraphs=len(text.paragraphs),
        translations=issued_translations or None,
    )


@dataclass
class Version:
    """A version of the text, from its issue to its agreement."""

    declaration: str
    number: int
    label: str
    state: VersionState
    blob_sha256: str
    text_sha256: str
    brackets: tuple[tuple[str, str], ...] = ()  # (key, text) of each paragraph still bracketed
    approved_by: set[str] = field(default_factory=set)
    pending: str = (
        ""  # what is pending translation, as documents say it ("": every language aligned)
    )

    def check_circulated(self) -> None:
        """A round opens only on a circulated version."""
        if self.state is not VersionState.CIRCULATED:
            raise WrongState(
                f"{self.label} of {self.declaration!r} is {self.state}, not circulated; "
                "both co-presidencies must approve it first (`accord approve`)"
            )

    def check_draft(self) -> None:
        """Only a draft waits for approval, or for being sent out before it is approved."""
        if self.state is not VersionState.DRAFT:
            raise WrongState(
                f"{self.label} of {self.declaration!r} is {self.state}; "
                "only a draft revision awaits approval"
            )

    def approve(
        self,
        party: str,
        co_presidencies: Collection[str],
        *,
        pending: str = "",
        pending_translation: bool = False,
    ) -> list[VersionApproved | VersionCirculated]:
        """One co-presidency's approval; the one that completes the set circulates the version. With translation
        ``pending`` (which paragraphs, as a person reads it), that one must say so: ``pending_translation``."""
        self.check_draft()
        if party in self.approved_by:
            raise WrongState(f"{party} has already approved {self.label}")
        completes = self.approved_by | {party} >= set(co_presidencies)
        if pending and not pending_translation and completes:
            raise WrongState(self._untranslated(pending))
        self.approved_by.add(party)
        stated = True if pending and pending_translation else None
        events: list[VersionApproved | VersionCirculated] = [
            VersionApproved(version=self.label, party=party, pending_translation=stated)
        ]
        if self.approved_by >= set(co_presidencies):
            events.append(self._circulate())
        return events

    def _untranslated(self, pending: str) -> str:
        return (
            f"{self.label} is not circulated: {pending[:1].lower()}{pending[1:]}; upload the "
            "translation (`accord translate`), or approve with --pending-translation, which every "
            "document then states"
        )

    def _circulate(self) -> VersionCirculated:
        """Approved by both co-presidencies: the version goes out."""
        self.state = VersionState.CIRCULATED
        approved_by = tuple(sorted(self.approved_by))
        return VersionCirculated(version=self.label, blob=self.blob_sha256, approved_by=approved_by)

    def agreement_refusal(self, open_round: int | None) -> str | None:
        """Why this version cannot be agreed (or put under silence) now, or None when it can: it must be agreed in
        every language, so no translation may be pending."""
        if self.pending and self.state is VersionState.CIRCULATED:
            return (
                f"{self.label} is not aligned in every language ({self.pending[:1].lower()}{self.pending[1:]}); "
                f"upload the translation with `accord translate {self.declaration} --language LANG FILE`"
            )
        return agreement_refusal(self.state, self.label, list(self.brackets), open_round)

    def agree(self, open_round: int | None, *, document: str | None = None) -> VersionAgreed:
        """`accord agree`: agreed now, when nothing is bracketed and no round is open (``document``: the sha256 of
        the agreed text written as a document, when the declaration's documents carry their identity)."""
        refusal = self.agreement_refusal(open_round)
        if refusal:
            raise WrongState(f"{self.declaration}: not agreed: {refusal}")
        return self._agreed("agreement", document=document)

    def _agreed(
        self, via: str, silence: int | None = None, *, document: str | None
    ) -> VersionAgreed:
        self.state = VersionState.AGREED
        return VersionAgreed(
            version=self.label,
            text_sha256=self.text_sha256,
            blob=self.blob_sha256,
            via=via,
            silence=silence,
            document=document,
        )


@dataclass
class Round:
    """A round of comments on a base version: open, closed (and compiled), decided."""

    declaration: str
    number: int
    base_version: str
    state: RoundState
    opened_at: str
    deadline: str | None = None
    closed_at: str | None = None

    @classmethod
    def open_after(
        cls,
        latest: Round | None,
        version: Version,
        at: str,
        deadline: str | None,
        parties: Sequence[str],
    ) -> tuple[Round, RoundOpened]:
        """The next round on a circulated version, once the previous one is closed."""
        cls.check_opening(latest, version)
        number = latest.number + 1 if latest else 1
        opened = cls(version.declaration, number, version.label, RoundState.OPEN, at, deadline)
        event = RoundOpened(
            round=number, version=version.label, deadline=deadline, parties=tuple(sorted(parties))
        )
        return opened, event

    @staticmethod
    def check_opening(latest: Round | None, version: Version) -> None:
        """A round opens once the previous one is closed, on a circulated version."""
        if latest is not None and latest.is_open:
            raise WrongState(
                f"round {latest.number} of {version.declaration!r} is still open; "
                f"close it with `accord round close {version.declaration}`"
            )
        version.check_circulated()

    @property
    def is_open(self) -> bool:
        """Submissions count for its compilation."""
        return self.state is RoundState.OPEN

    def is_late(self, at: str) -> bool:
        """A submission at ``at`` comes after the round closed or its deadline passed."""
        return not self.is_open or (self.deadline is not None and at > self.deadline)

    def close(self, at: str, reason: str, submissions: Sequence[int]) -> RoundClosed:
        """No more submissions count; ``submissions`` are the current ones, compiled next."""
        if not self.is_open:
            raise no_open_round(self.declaration)
        self.state, self.closed_at = RoundState.CLOSED, at
        return RoundClosed(round=self.number, reason=reason, submissions=tuple(submissions))

    def extend(self, deadline: str, at: str) -> DeadlineExtended:
        """Move the deadline of the open round later (never earlier: a party may have planned on it)."""
        if not self.is_open:
            raise no_open_round(self.declaration)
        if self.deadline is not None and deadline <= self.deadline:
            raise InvalidInput(
                f"round {self.number} of {self.declaration!r} has its deadline at {self.deadline}; "
                "a deadline is only moved later: give a later time"
            )
        if self.deadline is not None and self.deadline <= at:
            raise WrongState(
                f"round {self.number} of {self.declaration!r}: its deadline {self.deadline} has "
                "passed; close the round, or open the next one"
            )
        previous, self.deadline = self.deadline, deadline
        return DeadlineExtended(round=self.number, deadline=deadline, previous=previous)

    def deadline_reached(self, number: int, at: str) -> DeadlineReached | None:
        """Round ``number``'s deadline has passed at ``at`` while it is still open (None: nothing to record)."""
        if number != self.number or not self.is_open or not self.deadline or self.deadline > at:
            return None
        return DeadlineReached(round=self.number, deadline=self.deadline)

    def awaiting_decisions(self) -> bool:
        """Closed (and so compiled, or about to be) and its revision not yet issued."""
        return self.state is RoundState.CLOSED

    def decided(self) -> None:
        """Its revision is issued."""
        if not self.awaiting_decisions():
            raise WrongState(
                f"{self.declaration!r}: round {self.number} is {self.state}; no revision is due"
            )
        self.state = RoundState.DECIDED


def no_open_round(declaration: str) -> WrongState:
    """The refusal of an action that needs an open round."""
    return WrongState(
        f"{declaration!r} has no open round to close; open one with `accord round open {declaration}`"
    )


def _silence_started(
    number: int, version: Version, until: str, document: str | None
) -> SilenceStarted:
    """The event of silence procedure ``number`` starting on ``version``."""
    return SilenceStarted(
        silence=number,
        version=version.label,
        until=until,
        text_sha256=version.text_sha256,
        blob=version.blob_sha256,
        document=document,
    )


@dataclass
class Silence:
    """A silence procedure on a circulated version: running until a time, then broken or expired."""

    declaration: str
    number: int
    version: str
    text_sha256: str
    until: str
    state: SilenceState
    started_at: str
    ended_at: str | None = None
    objection: dict[str, str] | None = None

    @classmethod
    def start(
        cls,
        number: int,
        version: Version,
        until: str,
        at: str,
        open_round: int | None,
        *,
        document: str | None = None,
    ) -> tuple[Silence, SilenceStarted]:
        """Circulate ``version`` under silence until a time, bound to its text hash (``document``: the sha256 of
        the text written as agreed ad referendum, when the declaration's documents carry their identity)."""
        refusal = version.agreement_refusal(open_round)
        if refusal:
            raise WrongState(f"{version.declaration}: cannot start a silence procedure: {refusal}")
        version.state = VersionState.SILENCE
        silence = cls(
            version.declaration,
            number,
            version.label,
            version.text_sha256,
            until,
            SilenceState.RUNNING,
            at,
        )
        return silence, _silence_started(number, version, until, document)

    def object(
        self, party: str, reason: str, at: str, zone: str, version: Version
    ) -> SilenceBroken:
        """A party objects in time: the silence is broken and the version is circulated again, not agreed."""
        refusal = objection_refusal(self.state, self.until, at, zone)
        if refusal:
            raise WrongState(f"{self.declaration}: objection by {party} not received: {refusal}")
        self.state, self.ended_at = SilenceState.BROKEN, at
        self.objection = {"party": party, "reason": reason}
        version.state = VersionState.CIRCULATED
        return SilenceBroken(
            silence=self.number, version=self.version, party=party, reason=reason, until=self.until
        )

    def expire(self, at: str) -> SilenceExpired | None:
        """Its time came without objection (None when it is not running or not yet due)."""
        if self.state is not SilenceState.RUNNING or self.until > at:
            return None
        self.state, self.ended_at = SilenceState.EXPIRED, at
        return SilenceExpired(
            silence=self.number,
            version=self.version,
            until=self.until,
            text_sha256=self.text_sha256,
        )

    def adopt(self, version: Version, *, document: str | None = None) -> VersionAgreed | None:
        """After expiry the version under silence is agreed (None when there is nothing to adopt); ``document`` as
        in ``Version.agree``."""
        if self.state is not SilenceState.EXPIRED or version.state is not VersionState.SILENCE:
            return None
        return version._agreed("silence", self.number, document=document)


def describe_brackets(items: list[tuple[str, str]], limit: int = 8) -> str:
    """One line naming the bracketed paragraphs, e.g. "p003 'Affirm…', p007 '…'"."""
    shown = ", ".join(f"{key} {text[:40]!r}" for key, text in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def agreement_refusal(
    state: str, label: str, brackets: list[tuple[str, str]], open_round: int | None
) -> str | None:
    """Why a version cannot be agreed (or put under silence) now, or None when it can."""
    if state == VersionState.AGREED:
        return f"{label} is already agreed"
    if state == VersionState.SILENCE:
        return f"{label} is under silence; it is agreed when the silence ends without objection"
    if state != VersionState.CIRCULATED:
        return f"{label} is {state}; both co-presidencies approve it first (`accord approve`)"
    if open_round is not None:
        return f"round {open_round} is open; close it first (`accord round close`)"
    if brackets:
        return (
            f"{label} still has {len(brackets)} bracketed paragraph(s): {describe_brackets(brackets)}; "
            "resolve them in a new round"
        )
    return None


def objection_refusal(state: str | None, until: str | None, now: str, zone: str) -> str | None:
    """Why an objection cannot be received now, or None when it breaks the silence."""
    if state is None or until is None:
        return "no silence procedure is running"
    if state == SilenceState.BROKEN:
        return "the silence is already broken"
    if state == SilenceState.EXPIRED or now >= until:
        return (
            f"the silence ended {local_time(until, zone)}; an objection after that does not count"
        )
    return None
