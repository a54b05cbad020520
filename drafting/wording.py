"""Plain words for what happened: one sentence per event class of ``drafting.events.EVENTS`` (the history page, the
dashboard and `accord status` say events this way), counts with the right number ("1 submission", "2
submissions"), times in the declaration's zone. No internal event name reaches a reader: a class without its
wording here fails tests/unit/test_event_registry.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from drafting import events as ev
from drafting.moments import local_time
from drafting.negotiation import Event

_IRREGULAR = {"delegation": "delegations", "party": "parties", "copy": "copies", "reply": "replies"}


def plural(n: int, noun: str) -> str:
    """The noun as ``n`` of it reads: 1 submission, 2 submissions, 0 parties."""
    return noun if n == 1 else _IRREGULAR.get(noun, noun + "s")


def count(n: int, noun: str) -> str:
    """``n`` and its noun: "1 conflict group", "3 conflict groups"."""
    return f"{n} {plural(n, noun)}"


def listing(items: Iterable[str]) -> str:
    """Items joined as a sentence says them: "Spain", "Spain and Bolivia", "Spain, Bolivia and Chile"."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Teller:
    """What a sentence needs besides its event: the declaration's time zone and the parties' names."""

    zone: str = "UTC"
    names: Mapping[str, str] = field(default_factory=dict)

    def when(self, moment: str | None, *, none: str = "none") -> str:
        """A stored UTC time as read in the declaration's zone."""
        return local_time(moment, self.zone) if moment else none

    def who(self, code: str) -> str:
        """A party's name (its code when unknown)."""
        return self.names.get(code, code)

    def many(self, codes: Iterable[str], *, most: int = 3) -> str:
        """A few parties by name, more as a count."""
        found = list(codes)
        return (
            listing(self.who(c) for c in found)
            if len(found) <= most
            else count(len(found), "party")
        )


def _sent(parties: Mapping[str, str]) -> str:
    """How a sending went: "to 58 parties" or "to 58 parties (2 failed)"."""
    failed = sum(1 for how in parties.values() if how.startswith("failed"))
    return f"to {count(len(parties), 'party')}" + (f" ({failed} failed)" if failed else "")


def _issued(e: ev.VersionIssued, t: Teller) -> str:
    size = count(e.paragraphs, "paragraph")
    if e.round is None:
        return f"{e.version} issued ({size})"
    bracketed = f", {len(e.bracketed)} bracketed" if e.bracketed else ""
    return f"{e.version} issued from the decisions of round {e.round} ({size}{bracketed})"


def _received(e: ev.SubmissionReceived, t: Teller) -> str:
    notes = (["late"] if e.late else []) + (["replaces an earlier file"] if e.superseded else [])
    return f"{t.who(e.party)} submitted {e.filename} for round {e.round}" + (
        f" ({', '.join(notes)})" if notes else ""
    )


def _closed(e: ev.RoundClosed, t: Teller) -> str:
    why = "" if e.reason in ("", "closed") else f": {e.reason}"
    return f"Round {e.round} closed with {count(len(e.submissions), 'submission')}{why}"


def _decided(e: ev.DecisionRecorded, t: Teller) -> str:
    votes = list(e.decisions.values())
    accepted, rejected = votes.count("accept"), votes.count("reject")
    return f"{t.who(e.party)} decided on round {e.round}: {accepted} accepted, {rejected} rejected ({e.filename})"


def _agreed(e: ev.VersionAgreed, t: Teller) -> str:
    if e.via == "silence":
        return f"{e.version} agreed: the silence procedure ended without objection"
    return f"{e.version} agreed"


def _archived(e: ev.DeclarationArchived, t: Teller) -> str:
    return f"Declaration archived: {e.version} ({e.state}), sealed over {count(e.events, 'event')}"


def _routed(e: ev.VersionRouted, t: Teller) -> str:
    again = "sent again" if e.resent else "sent"
    return f"Compilation of round {e.round} {again} to the co-presidencies ({t.many(e.parties)})"


def _distributed(e: ev.VersionDistributed, t: Teller) -> str:
    return f"{e.version} {'sent again' if e.resent else 'sent'} {_sent(e.parties)}"


def _round_copies(e: ev.RoundDistributed, t: Teller) -> str:
    again = "sent again" if e.resent else "sent"
    return f"Stamped copies of {e.version} for round {e.round} {again} {_sent(e.parties)}"


Wording = Callable[[Any, Teller], str]

WORDINGS: dict[type[ev.DomainEvent], Wording] = {
    ev.DeclarationCreated: lambda e, t: (
        f"Declaration created with {count(len(e.parties), 'party')}; "
        f"zero draft {e.zero_draft.filename}"
    ),
    ev.VersionIssued: _issued,
    ev.VersionEdited: lambda e, t: (
        f"{e.version}: editorial change of {e.parent} by the secretariat ({e.reason})"
    ),
    ev.VersionTranslated: lambda e, t: (
        f"{e.version}: the translator's {e.language} text aligned "
        f"{count(len(e.aligned), 'paragraph')} pending translation"
    ),
    ev.VersionApproved: lambda e, t: f"{t.who(e.party)} approved {e.version}",
    ev.VersionCirculated: lambda e, t: (
        f"{e.version} circulated, approved by {t.many(e.approved_by)}"
    ),
    ev.VersionAgreed: _agreed,
    ev.DeclarationArchived: _archived,
    ev.RoundOpened: lambda e, t: (
        f"Round {e.round} opened on {e.version} for {count(len(e.parties), 'party')}, "
        f"deadline {t.when(e.deadline)}"
    ),
    ev.SubmissionReceived: _received,
    ev.SubmissionRefused: lambda e, t: f"{t.who(e.party)}'s file {e.filename} refused: {e.reason}",
    ev.DecisionRefused: lambda e, t: (
        f"{t.who(e.party)}'s decisions {e.filename} refused: {e.reason}"
    ),
    ev.ApprovalRefused: lambda e, t: f"{t.who(e.party)}'s approval refused: {e.reason}",
    ev.DeadlineReached: lambda e, t: f"Deadline of round {e.round} reached: {t.when(e.deadline)}",
    ev.DeadlineExtended: lambda e, t: (
        f"Deadline of round {e.round} moved to {t.when(e.deadline)}"
        + (f" (was {t.when(e.previous)})" if e.previous else "")
    ),
    ev.RoundClosed: _closed,
    ev.CompilationReady: lambda e, t: (
        f"Round {e.round} compiled: {count(e.proposals, 'proposal')}, "
        f"{count(e.conflicts, 'conflict group')}"
    ),
    ev.DecisionRecorded: _decided,
    ev.SilenceStarted: lambda e, t: f"Silence procedure on {e.version} until {t.when(e.until)}",
    ev.SilenceBroken: lambda e, t: f"{t.who(e.party)} broke the silence on {e.version}: {e.reason}",
    ev.SilenceExpired: lambda e, t: (
        f"Silence on {e.version} ended on {t.when(e.until)} without objection"
    ),
    ev.SubmissionFiled: lambda e, t: (
        f"Submission {e.submission} of {t.who(e.party)} filed in the inbox, "
        f"receipt {e.acknowledged}"
    ),
    ev.VersionRouted: _routed,
    ev.VersionDistributed: _distributed,
    ev.RoundDistributed: _round_copies,
    ev.ReminderSent: lambda e, t: (
        f"Reminder {_sent(e.parties)}: round {e.round}'s deadline is {t.when(e.deadline)}"
    ),
}


def say(event: Event, teller: Teller | None = None) -> str:
    """One plain sentence for a logged event."""
    kind = ev.EVENTS.get(event.type)
    if kind is None:
        return "An event this version of accord does not know"
    try:
        typed = kind.from_payload(event.payload)
    except ValidationError:
        return "An event whose record this version of accord cannot read"
    return WORDINGS[kind](typed, teller or Teller())
