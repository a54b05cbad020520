"""Where a declaration stands, read from its event log alone: the overall state a person asks about first (agreed,
archived, silence running until ..., round N open until ...) and each co-presidency's decisions on the latest
compiled round. A fold over the typed events, so it is tested without a database; `accord status` and the
dashboard show it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from drafting import events as ev
from drafting.negotiation import Event
from drafting.wording import Teller, count, listing

AGREED, ARCHIVED, SILENCE, OPEN, DECIDING, APPROVING, CIRCULATED, DRAFT = (
    "agreed",
    "archived",
    "silence",
    "round open",
    "awaiting decisions",
    "awaiting approval",
    "circulated",
    "draft",
)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionProgress(_Value):
    """How far one co-presidency has decided the proposals of a compiled round."""

    party: str
    decided: int
    proposals: int

    def said(self) -> str:
        """ "ES 9/14 decided" or "BO none"."""
        return (
            f"{self.party} {self.decided}/{self.proposals} decided"
            if self.decided
            else f"{self.party} none"
        )


class Overall(_Value):
    """The declaration's state in one phrase, with the moments it names (UTC, ISO 8601)."""

    phase: str
    summary: str
    version: str | None = None
    round: int | None = None
    agreed_at: str | None = None
    archived_at: str | None = None
    until: str | None = None  # the silence's end or the open round's deadline


class _Fold:
    """What the log says so far, event by event."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.circulated: set[str] = set()
        self.approvals: dict[str, list[str]] = {}
        self.agreed: tuple[str, str] | None = None  # version, when
        self.archived: str | None = None
        self.silence: ev.SilenceStarted | None = None
        self.round: ev.RoundOpened | None = None
        self.round_state = ""
        self.proposals = 0
        self.conflicts = (
            0  # conflict groups of the compiled round (across languages included, rules 4)
        )
        self.decisions: dict[str, int] = {}

    def _new_version(self, event: ev.VersionIssued | ev.VersionEdited) -> None:
        """A version issued or edited; one issued on a round's decisions ends that round."""
        self.version = event.version
        if (
            isinstance(event, ev.VersionIssued)
            and event.round is not None
            and self.round is not None
        ):
            self.round_state = "decided"

    def take(self, event: ev.DomainEvent, at: str) -> None:
        if isinstance(event, ev.VersionIssued | ev.VersionEdited):
            self._new_version(event)
        elif isinstance(event, ev.VersionApproved):
            self.approvals.setdefault(event.version, []).append(event.party)
        elif isinstance(event, ev.VersionCirculated):
            self.circulated.add(event.version)
        elif isinstance(event, ev.RoundOpened):
            self.round, self.round_state, self.proposals, self.decisions = event, "open", 0, {}
            self.conflicts = 0
            self.circulated.add(event.version)  # a round's copies went to every party
        else:
            self._later(event, at)

    def _later(self, event: ev.DomainEvent, at: str) -> None:
        if isinstance(event, ev.RoundClosed):
            self.round_state = "closed"
        elif isinstance(event, ev.CompilationReady):
            self.proposals, self.conflicts = event.proposals, event.conflicts
        elif isinstance(event, ev.DecisionRecorded):
            self.decisions[event.party] = sum(1 for vote in event.decisions.values() if vote)
        elif isinstance(event, ev.SilenceStarted):
            self.silence = event
        elif isinstance(event, ev.SilenceBroken | ev.SilenceExpired):
            self.silence = None
        elif isinstance(event, ev.VersionAgreed):
            self.agreed = (event.version, at)
        elif isinstance(event, ev.DeclarationArchived):
            self.archived = at


def decision_progress(
    events: Sequence[Event], co_presidencies: Iterable[str]
) -> list[DecisionProgress]:
    """Each co-presidency's decisions on the latest round, once it is compiled (none before)."""
    fold = _folded(events)
    if fold.round is None or fold.round_state == "open":
        return []
    return [
        DecisionProgress(party=code, decided=fold.decisions.get(code, 0), proposals=fold.proposals)
        for code in co_presidencies
    ]


def overall(
    events: Sequence[Event], co_presidencies: Sequence[str], teller: Teller | None = None
) -> Overall:
    """The declaration's overall state, as `accord status` says it first."""
    t = teller or Teller()
    fold = _folded(events)
    if fold.agreed:
        return _agreed(fold, fold.agreed, t)
    if fold.silence:
        s = fold.silence
        return Overall(
            phase=SILENCE,
            version=s.version,
            until=s.until,
            summary=f"{s.version} under silence procedure until {t.when(s.until)}",
        )
    if fold.round is not None and fold.round_state in ("open", "closed"):
        return _in_round(fold, fold.round, co_presidencies, t)
    return _between_rounds(fold, co_presidencies, t)


def _folded(events: Sequence[Event]) -> _Fold:
    fold = _Fold()
    for event in events:
        kind = ev.EVENTS.get(event.type)
        if kind is not None:
            fold.take(kind.from_payload(event.payload), event.occurred_at)
    return fold


def _agreed(fold: _Fold, agreed: tuple[str, str], t: Teller) -> Overall:
    version, at = agreed
    summary = f"{version} agreed on {t.when(at)}"
    if fold.archived:
        summary += f"; archived on {t.when(fold.archived)}"
    return Overall(
        phase=ARCHIVED if fold.archived else AGREED,
        summary=summary,
        version=version,
        agreed_at=at,
        archived_at=fold.archived,
    )


def _round_open(opened: ev.RoundOpened, t: Teller) -> Overall:
    """A round open for comments, until its deadline if it has one."""
    until = f"until {t.when(opened.deadline)}" if opened.deadline else "with no deadline"
    return Overall(
        phase=OPEN,
        round=opened.round,
        version=opened.version,
        until=opened.deadline,
        summary=f"Round {opened.round} open on {opened.version} {until}",
    )


def _in_round(
    fold: _Fold, opened: ev.RoundOpened, co_presidencies: Sequence[str], t: Teller
) -> Overall:
    if fold.round_state == "open":
        return _round_open(opened, t)
    progress = [
        DecisionProgress(party=code, decided=fold.decisions.get(code, 0), proposals=fold.proposals)
        for code in co_presidencies
    ]
    return Overall(
        phase=DECIDING,
        round=opened.round,
        version=opened.version,
        summary=f"Round {opened.round} compiled{_in_conflict(fold.conflicts)}, awaiting decisions: "
        + ", ".join(p.said() for p in progress),
    )


def _in_conflict(conflicts: int) -> str:
    """' (2 conflict groups)' where the compiled round has any (across languages included), else ''."""
    return f" ({count(conflicts, 'conflict group')})" if conflicts else ""


def _between_rounds(fold: _Fold, co_presidencies: Sequence[str], t: Teller) -> Overall:
    version = fold.version or "no version"
    if fold.version in fold.circulated:
        return Overall(
            phase=CIRCULATED, version=version, summary=f"{version} circulated; no round open"
        )
    if fold.version is None or fold.round is None:
        return Overall(
            phase=DRAFT, version=fold.version, summary=f"{version} issued; no round open yet"
        )
    waiting = [c for c in co_presidencies if c not in fold.approvals.get(version, [])]
    return Overall(
        phase=APPROVING,
        version=version,
        summary=f"{version} issued, awaiting approval by {listing(t.who(c) for c in waiting)}",
    )
