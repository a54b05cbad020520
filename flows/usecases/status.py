"""Read-only views: where a declaration stands, its event log, and whether its records verify."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from drafting import lifecycle
from drafting.distribution import Failed
from drafting.errors import IntegrityError, InvalidInput
from drafting.moments import local_time
from drafting.negotiation import (
    Declaration,
    Event,
    Party,
    Role,
    RoundState,
    Submission,
    Version,
)
from drafting.standing import DecisionProgress, Overall, decision_progress, overall
from drafting.wording import Teller, count
from flows.bootstrap import App
from flows.usecases.owed import Owing, owed
from flows.usecases.routing import failed_mail
from storage import UnitOfWork, VerifyReport, parse_anchor
from storage.signing import parse_public_key


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VersionStatus(Version):
    """A version as the status lists it: its identity, state and who approved it (not its text)."""

    approvals: list[str]

    def line(self) -> str:
        """The version's line of the status: its state and who approved it."""
        approvals = ", ".join(self.approvals) or "-"
        return f"  {self.label:<10} {self.state.value:<11} approvals: {approvals}"


class RoundStatus(_View):
    """A round as the status lists it."""

    number: int
    base_version: str
    state: RoundState
    opened_at: str
    deadline: str | None = None
    closed_at: str | None = None

    @classmethod
    def of(cls, handed_out: lifecycle.Round) -> RoundStatus:
        """The status of a round as the repository handed it out."""
        return cls(**{k: v for k, v in asdict(handed_out).items() if k in cls.model_fields})


class LatestRound(RoundStatus):
    """The latest round, with its submissions, the delegations not heard from, and (once compiled) how far each
    co-presidency has decided its proposals."""

    submissions: list[Submission]
    missing: list[str]
    delegations: int
    received: int
    decisions: list[DecisionProgress]


class Owed(_View):
    event: str
    key: dict[str, Any]
    parties: list[str]

    def line(self, slug: str) -> str:
        """What is owed to whom, and the command that delivers it."""
        key = " ".join(f"{k} {v}" for k, v in self.key.items())
        return (
            f"  owed: {self.event} {key} to {', '.join(self.parties) or 'every party'}; "
            f"`accord tick {slug}` delivers it"
        )


class FailedMail(_View):
    event: str
    key: Any
    parties: dict[str, str]

    def line(self, slug: str) -> str:
        """What failed to reach whom, and the command that sends it again."""
        return (
            f"  mail failed: {self.event} {self.key} to {', '.join(sorted(self.parties))}; "
            f"`accord resend {slug}` sends it again"
        )


class Status(_View):
    """Where a declaration stands: what `accord status` prints and, as ``as_json``, what --json emits (the shape
    is documented in docs/status.md and kept by tests/integration/test_pages.py)."""

    declaration: Declaration
    overall: Overall
    parties: list[Party]
    versions: list[VersionStatus]
    rounds: list[RoundStatus]
    latest_round: LatestRound | None
    events: int
    failed_mail: list[FailedMail]
    owed: list[Owed]

    def as_json(self) -> dict[str, Any]:
        """The JSON `accord status --json` prints."""
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class StatusRecords:
    """What the status is read from: the declaration, its log, parties, versions (with their approvals) and
    rounds, the latest round's submissions, and the sendings that failed."""

    declaration: Declaration
    events: list[Event]
    parties: list[Party]
    versions: list[VersionStatus]
    rounds: list[lifecycle.Round]
    submissions: list[Submission]
    failed: Failed  # what failed to reach whom (routing.failed_mail)


def status(app: App, slug: str) -> Status:
    """The declaration's overall state, parties, versions, rounds, the latest round's submissions and decisions,
    and what is owed."""
    # before the reading below: one reading at a time (SQLite begins each one IMMEDIATE)
    owing = owed(app, slug)
    with app.store.reading() as uow:
        records = _records(uow, slug)
    return status_of(records, owing)


def _records(uow: UnitOfWork, slug: str) -> StatusRecords:
    declaration = uow.repo.declaration(slug)
    rounds = uow.repo.rounds(declaration)
    return StatusRecords(
        declaration=declaration,
        events=uow.log(declaration),
        parties=uow.repo.parties(declaration),
        versions=[_version(uow, v) for v in uow.repo.versions(declaration)],
        rounds=rounds,
        submissions=uow.repo.submissions(rounds[-1]) if rounds else [],
        failed=failed_mail(uow, declaration),
    )


def _version(uow: UnitOfWork, version: Version) -> VersionStatus:
    return VersionStatus(
        **version.model_dump(), approvals=[a.party for a in uow.repo.approvals(version)]
    )


def status_of(records: StatusRecords, owing: list[Owing]) -> Status:
    """The status the records give: the overall state and each co-presidency's decisions read from the log."""
    declaration, events, parties = records.declaration, records.events, records.parties
    rounds = records.rounds
    chairs = [p.code for p in parties if p.role == Role.CO_PRESIDENCY]
    teller = Teller(declaration.timezone, {p.code: p.name for p in parties})
    return Status(
        declaration=declaration,
        overall=overall(events, chairs, teller),
        parties=parties,
        versions=records.versions,
        rounds=[RoundStatus.of(r) for r in rounds],
        latest_round=_latest(records, decision_progress(events, chairs)) if rounds else None,
        events=len(events),
        failed_mail=[
            FailedMail(event=kind, key=key, parties=failed)
            for (kind, key), failed in records.failed.items()
        ],
        owed=[Owed(event=o.event, key=o.key, parties=list(o.parties)) for o in owing],
    )


def _latest(records: StatusRecords, progress: list[DecisionProgress]) -> LatestRound:
    """The latest round with its submissions, who has not submitted, and the decisions' progress."""
    subs = records.submissions
    received = {s.party for s in subs if s.status == "current"}
    delegations = [p.code for p in records.parties if p.role == Role.DELEGATION]
    return LatestRound(
        **RoundStatus.of(records.rounds[-1]).model_dump(),
        submissions=subs,
        missing=sorted(c for c in delegations if c not in received),
        delegations=len(delegations),
        received=sum(1 for c in delegations if c in received),
        decisions=progress,
    )


def status_lines(state: Status) -> list[str]:
    """The status as a person reads it: the overall state first, times in the declaration's zone."""
    decl, zone = state.declaration, state.declaration.timezone
    lines = [
        f"{decl.slug}: {decl.title}  ({decl.symbol})",
        f"  {state.overall.summary}",
        f"  {count(len(state.parties), 'party')}, {count(state.events, 'event')}; times in {zone}",
    ]
    lines += [v.line() for v in state.versions]
    if state.latest_round:
        lines += _round_lines(state.latest_round, zone)
    lines += [owing.line(decl.slug) for owing in state.owed]
    return lines + [failed.line(decl.slug) for failed in state.failed_mail]


def _round_lines(latest: LatestRound, zone: str) -> list[str]:
    current = sum(1 for s in latest.submissions if s.status == "current")
    deadline = local_time(latest.deadline, zone) if latest.deadline else "none"
    lines = [
        f"  round {latest.number} on {latest.base_version}: {latest.state.value}, deadline {deadline}, "
        f"{count(current, 'submission')}; {latest.received} of {count(latest.delegations, 'delegation')} "
        f"submitted"
    ]
    if latest.state == RoundState.OPEN and latest.missing:
        lines.append(
            f"  not yet received from ({len(latest.missing)}): {', '.join(latest.missing)}"
        )
    if latest.decisions:
        lines.append("  decisions: " + ", ".join(p.said() for p in latest.decisions))
    return lines


def event_log(app: App, slug: str) -> list[dict[str, Any]]:
    """Every event of the declaration, in order."""
    with app.store.reading() as uow:
        return [e.model_dump() for e in uow.log(uow.repo.declaration(slug))]


def checked_anchor(anchor: str | None) -> tuple[int, str] | None:
    """An anchor given on the command line as (seq, hash prefix); InvalidInput says what is wrong with it."""
    try:
        return None if anchor is None else parse_anchor(anchor)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def verify(
    app: App, slug: str, *, anchor: str | None = None, key: str | None = None
) -> dict[str, Any]:
    """Recompute the chain, the state the log implies and every blob; check the log against an anchor written down
    earlier (the chain alone cannot tell that events were cut from its end) and its signed heads against the
    secretariat's public key; raise IntegrityError naming the first problem."""
    anchored = checked_anchor(anchor)
    public = None if key is None else parse_public_key(key)
    with app.store.reading() as uow:
        report, signed = _checked(uow, uow.repo.declaration(slug), anchored, public)
    return _verified(slug, report, signed)


def _verified(slug: str, report: VerifyReport, signed: int) -> dict[str, Any]:
    """What verify prints when the records verify; else IntegrityError naming the first problem."""
    if not report.ok:
        raise IntegrityError(
            f"{slug}: {report.problems[0]}; restore from the archive and investigate"
        )
    head = f"{report.events}:{report.head}"
    return {
        "events": report.events,
        "blobs": report.blobs,
        "head": head,
        "ok": True,
        "signed": signed,
    }


def _checked(
    uow: UnitOfWork, declaration: Declaration, anchored: tuple[int, str] | None, public: str | None
) -> tuple[VerifyReport, int]:
    """The records checked, then (when they verify) the anchor, then the signed heads; the last signed seq."""
    report, signed = uow.verify(declaration), 0
    if report.ok and anchored is not None:
        problem = uow.check_anchor(declaration, *anchored)
        report.problems += [problem] if problem else []
    if report.ok and public is not None:
        problem, signed = uow.check_signatures(declaration, public)
        report.problems += [problem] if problem else []
    return report, signed
