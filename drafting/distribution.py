"""Who receives what, and how a sending went: the pure side of routing documents to parties.

The routing use cases (flows/usecases/routing.py) load the declaration, ask this module for the letters, send
them through the outbox and record the event; this module neither reads the store nor sends. It also reads back
what failed: a routing event's parties (its ``parties`` payload) and a silence's notice (its outbox shares: no
event closes a notice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from drafting.documents import local_moment, stamp_for_parties
from drafting.events import RoundClosed, RoundDistributed, VersionDistributed, VersionRouted
from drafting.lifecycle import Round
from drafting.moments import local_time
from drafting.negotiation import Declaration, Event, Party, Role, Submission

# who receives what is sent to every party
RECIPIENTS = (Role.DELEGATION.value, Role.CO_PRESIDENCY.value)
# a routing event -> the name of the key that says what it sent (a round's copies, a compilation, a circulation)
RESENDABLE = {
    RoundDistributed.TYPE: "round",
    VersionRouted.TYPE: "round",
    VersionDistributed.TYPE: "version",
}

Files = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Letter:
    """What one party receives: a note and files, copied to its outbox and mailed when possible."""

    party: str
    email: str | None
    subject: str
    body: str
    note: str  # file name of the body in the outbox
    files: Files = ()


def file_name(slug: str, *parts: object) -> str:
    """A file name of the declaration's, e.g. 'eu-celac-round-2-copy' (spaces made dashes)."""
    return "-".join([slug, *(str(p).replace(" ", "-") for p in parts)])


def recipients(parties: Iterable[Party], roles: Sequence[str] = RECIPIENTS) -> list[Party]:
    """The parties with those roles (by default every party but the secretariat)."""
    return [party for party in parties if party.role in roles]


def letters(
    parties: Iterable[Party], subject: str, body: str, note: str, files: Files = ()
) -> list[Letter]:
    """The same letter to each party."""
    return [Letter(party.code, party.email, subject, body, note, files) for party in parties]


def only(sent: list[Letter], parties: frozenset[str] | None) -> list[Letter]:
    """The letters to those parties (None: every letter)."""
    return sent if parties is None else [letter for letter in sent if letter.party in parties]


def until(round_: Round, zone: str) -> str:
    """When a round closes, as its letters say it."""
    return local_time(round_.deadline, zone) if round_.deadline else "the close of the round"


def if_open(current: Round | None, number: int) -> Round | None:
    """The round ``current`` if it is open and is round ``number`` (0: whichever it is), else None."""
    if current is not None and current.is_open and number in (0, current.number):
        return current
    return None


def not_submitted(parties: Iterable[Party], submissions: Iterable[Submission]) -> list[Party]:
    """The delegations that have not submitted (the ones a reminder goes to)."""
    received = {submission.party for submission in submissions}
    return [p for p in parties if p.role == Role.DELEGATION and p.code not in received]


@dataclass(frozen=True)
class RoundCopies:
    """A round's copies: each party's own stamped copy of the draft, in its language."""

    declaration: Declaration
    round: Round
    version: str  # the label of the round's draft
    parties: list[Party]  # those who receive a copy
    documents: dict[str, bytes]  # language -> the draft's text in it

    def language(self, party: Party) -> str:
        """The language of a party's copy."""
        return party.language or self.declaration.first_language

    def name(self, party: Party) -> str:
        """A party's copy's file name; a copy not in the first language says its language."""
        language = self.language(party)
        suffix = "" if language == self.declaration.first_language else f".{language}"
        return file_name(self.declaration.slug, self.version, party.code) + suffix + ".docx"

    def stamped(self) -> dict[str, bytes]:
        """Each party's copy, stamped with the declaration, version, round and party (how a returned file is
        recognised) and when it is to be returned."""
        copies: dict[str, bytes] = {}
        for language, document in self.documents.items():
            copies |= stamp_for_parties(
                document,
                declaration=self.declaration.slug,
                version=self.version,
                round_number=self.round.number,
                parties=[p.code for p in self.parties if self.language(p) == language],
                names={p.code: p.name for p in self.parties},
                returned_by=self._returned_by(),
            )
        return copies

    def _returned_by(self) -> str | None:
        deadline = self.round.deadline
        return local_moment(deadline, self.declaration.timezone) if deadline else None

    def letters(self, subject: str, body: Callable[[str], str], note: str) -> list[Letter]:
        """Each party's letter with its copy; ``body(name)``: the letter naming its copy's file."""
        copies = self.stamped()
        return [
            Letter(
                p.code,
                p.email,
                subject,
                body(self.name(p)),
                note,
                ((self.name(p), copies[p.code]),),
            )
            for p in self.parties
        ]


# ---- what failed


class Share(Protocol):
    """One party's share of a sending, as the outbox keeps it."""

    @property
    def key(self) -> Mapping[str, Any]: ...

    @property
    def party(self) -> str: ...

    @property
    def outcome(self) -> str | None: ...


Failed = dict[tuple[str, object], dict[str, str]]


def failed_deliveries(events: list[Event], shares: Mapping[str, Iterable[Share]]) -> Failed:
    """For each thing routed (a round's copies, a compilation, a circulation): the parties whose latest sending
    failed, with the reason. A later success for a party clears its failure, and so does a later share still owed
    (a sending cut short: `accord tick` finishes it); a closed round's copies are moot. ``shares``: the outbox's
    shares of each routing kind, in the order owed."""
    closed = {e.payload.get("round") for e in events if e.type == RoundClosed.TYPE}
    latest: dict[tuple[str, object], dict[str, str | None]] = {}
    for kind, fields, parties in _outcomes(events, shares):
        if not (kind == RoundDistributed.TYPE and fields.get("round") in closed):
            latest.setdefault(_sending(kind, fields)[:2], {}).update(parties)
    return _failed(latest)


def unlogged_again(
    events: list[Event], shares: Mapping[str, Iterable[Share]]
) -> list[tuple[str, object, str]]:
    """The sendings again whose every letter went (each share settled) but whose event is not in the log: a crash
    between the last letter and the event. Each as (kind, what it sent, which sending again); a closed round's
    copies are moot. Nothing is owed for them, so only `accord resend` finds them, to log them."""
    logged = {_sending(e.type, e.payload) for e in events if e.type in RESENDABLE}
    closed = {e.payload.get("round") for e in events if e.type == RoundClosed.TYPE}
    settled: dict[tuple[str, object, object], bool] = {}
    for kind, of_kind in shares.items():
        for share in (s for s in of_kind if "resent" in s.key):
            sending = _sending(kind, share.key)
            settled[sending] = settled.get(sending, True) and share.outcome is not None
    return [
        (kind, what, str(again))
        for (kind, what, again), done in settled.items()
        if done
        and (kind, what, again) not in logged
        and not (kind == RoundDistributed.TYPE and what in closed)
    ]


# how one sending went: its kind, its key (or its event's payload), party -> outcome (None: still owed)
Sent = tuple[str, Mapping[str, Any], Mapping[str, str | None]]


def _outcomes(events: list[Event], shares: Mapping[str, Iterable[Share]]) -> list[Sent]:
    """How each sending went, in the order sent: first the log's sendings the outbox does not hold (from before
    it), then the outbox's shares in the order owed, whether or not the event closing their sending is logged yet
    (its parties are the shares' outcomes)."""
    owed = [(kind, share) for kind, of_kind in shares.items() for share in of_kind]
    held = {_sending(kind, share.key) for kind, share in owed}
    before: list[Sent] = [
        (e.type, e.payload, e.payload.get("parties", {}))
        for e in events
        if e.type in RESENDABLE and _sending(e.type, e.payload) not in held
    ]
    return before + [(kind, share.key, {share.party: share.outcome}) for kind, share in owed]


def _sending(kind: str, fields: Mapping[str, Any]) -> tuple[str, object, object]:
    """Which sending an event or a share is of: its kind, what it sent (a round, a version) and which sending
    again (None: the first)."""
    return kind, fields.get(RESENDABLE[kind]), fields.get("resent")


def failed_notices(kind: str, shares: Iterable[Share], running: Iterable[int]) -> Failed:
    """For each running silence, the parties whose latest notice failed (``shares``: every share of its notices
    in the order owed, a sending again after the one it repeats). A later share still owed or settled otherwise
    clears the failure; a silence no longer running is moot."""
    current = set(running)
    latest: dict[tuple[str, object], dict[str, str | None]] = {}
    for share in shares:
        if share.key["silence"] in current:
            latest.setdefault((kind, share.key["silence"]), {})[share.party] = share.outcome
    return _failed(latest)


def _failed(latest: dict[tuple[str, object], dict[str, str | None]]) -> Failed:
    """The failures among the latest outcomes, for each sending that has any."""
    failed = {
        what: {party: how for party, how in outcome.items() if how and how.startswith("failed")}
        for what, outcome in latest.items()
    }
    return {what: parties for what, parties in failed.items() if parties}
