"""Read-only views: where a declaration stands, its event log, and whether its records verify."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, ConfigDict

from drafting import lifecycle
from drafting.errors import IntegrityError, InvalidInput
from drafting.moments import local_time
from drafting.negotiation import (
    Declaration,
    Party,
    Role,
    RoundState,
    Submission,
    Version,
)
from drafting.standing import DecisionProgress, Overall, decision_progress, overall
from drafting.wording import Teller, count
from flows.bootstrap import App
from flows.usecases.owed import owed
from flows.usecases.routing import failed_mail
from storage import UnitOfWork, parse_anchor
from storage.signing import parse_public_key


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VersionStatus(Version):
    """A version as the status lists it: its identity, state and who approved it (not its text)."""

    approvals: list[str]


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


class FailedMail(_View):
    event: str
    key: Any
    parties: dict[str, str]


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


def status(app: App, slug: str) -> Status:
    """The declaration's overall state, parties, versions, rounds, the latest round's submissions and decisions,
    and what is owed."""
    owing = owed(
        app, slug
    )  # before the reading below: one reading at a time (SQLite begins each one IMMEDIATE)
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        events = uow.log(declaration)
        parties = uow.repo.parties(declaration)
        chairs = [p.code for p in parties if p.role == Role.CO_PRESIDENCY]
        versions = uow.repo.versions(declaration)
        rounds = uow.repo.rounds(declaration)
        latest = (
            _latest(uow, rounds[-1], parties, decision_progress(events, chairs)) if rounds else None
        )
        return Status(
            declaration=declaration,
            overall=overall(
                events, chairs, Teller(declaration.timezone, {p.code: p.name for p in parties})
            ),
            parties=parties,
            versions=[_version(uow, v) for v in versions],
            rounds=[RoundStatus.of(r) for r in rounds],
            latest_round=latest,
            events=len(events),
            failed_mail=[
                FailedMail(event=kind, key=key, parties=parties)
                for (kind, key), parties in failed_mail(uow, declaration).items()
            ],
            owed=[Owed(event=o.event, key=o.key, parties=list(o.parties)) for o in owing],
        )


def _version(uow: UnitOfWork, version: Version) -> VersionStatus:
    return VersionStatus(
        **version.model_dump(), approvals=[a.party for a in uow.repo.approvals(version)]
    )


def _latest(
    uow: UnitOfWork,
    current: lifecycle.Round,
    parties: list[Party],
    progress: list[DecisionProgress],
) -> LatestRound:
    subs = uow.repo.submissions(current)
    received = {s.party for s in subs if s.status == "current"}
    delegations = [p.code for p in parties if p.role == Role.DELEGATION]
    return LatestRound(
        **RoundStatus.of(current).model_dump(),
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
    for version in state.versions:
        lines.append(
            f"  {version.label:<10} {version.state.value:<11} approvals: {', '.join(version.approvals) or '-'}"
        )
    if state.latest_round:
        lines += _round_lines(state.latest_round, zone)
    for owing in state.owed:
        key = " ".join(f"{k} {v}" for k, v in owing.key.items())
        lines.append(
            f"  owed: {owing.event} {key} to {', '.join(owing.parties) or 'every party'}; "
            f"`accord tick {decl.slug}` delivers it"
        )
    for failed in state.failed_mail:
        lines.append(
            f"  mail failed: {failed.event} {failed.key} to {', '.join(sorted(failed.parties))}; "
            f"`accord resend {decl.slug}` sends it again"
        )
    return lines


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


def verify(
    app: App, slug: str, *, anchor: str | None = None, key: str | None = None
) -> dict[str, Any]:
    """Recompute the chain, the state the log implies and every blob; check the log against an anchor written down
    earlier (the chain alone cannot tell that events were cut from its end) and its signed heads against the
    secretariat's public key; raise IntegrityError naming the first problem."""
    try:
        anchored = None if anchor is None else parse_anchor(anchor)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    public = None if key is None else parse_public_key(key)
    signed = 0
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        report = uow.verify(declaration)
        if report.ok and anchored is not None:
            problem = uow.check_anchor(declaration, *anchored)
            report.problems += [problem] if problem else []
        if report.ok and public is not None:
            problem, signed = uow.check_signatures(declaration, public)
            report.problems += [problem] if problem else []
    if not report.ok:
        raise IntegrityError(
            f"{slug}: {report.problems[0]}; restore from the archive and investigate"
        )
    return {
        "events": report.events,
        "blobs": report.blobs,
        "head": f"{report.events}:{report.head}",
        "ok": True,
        "signed": signed,
    }
