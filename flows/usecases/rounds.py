"""Open a round on the current version and close it (each party's stamped copy is owed from the opening's
commit and goes out with ``routing.distribute_round``: at once in `accord round open`, on accord.round.opened
under `accord serve`, or at the next `accord tick` after a crash)."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.errors import WrongState
from drafting.negotiation import SECRETARIAT
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.times import parse_moment
from storage import UnitOfWork


@dataclass(frozen=True)
class OpenedRound:
    number: int
    version: str
    deadline: str | None


def parse_deadline(value: str | None, now: str) -> str | None:
    """An ISO 8601 deadline with a zone, in the future, normalised to UTC (None: no deadline)."""
    return None if value is None else parse_moment(value, now, option="--deadline")


def open_round(app: App, slug: str, *, deadline: str | None = None) -> OpenedRound:
    """Open the next round on the current circulated version (its copies go out with ``distribute_round``)."""

    def work(uow: UnitOfWork) -> OpenedRound:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        latest = uow.repo.latest_round(declaration)
        if latest is not None and latest.state == "open":
            raise WrongState(f"round {latest.number} of {slug!r} is still open; close it with `accord round close {slug}`")
        version = uow.repo.current_version(declaration)
        if version.state not in ("circulated",):
            raise WrongState(
                f"{version.label} of {slug!r} is {version.state}, not circulated; "
                "both co-presidencies must approve it first (`accord approve`)"
            )
        when = parse_deadline(deadline, now)
        number = (latest.number + 1) if latest else 1
        uow.repo.add_round(declaration, number=number, base_version_id=version.id, state="open", opened_at=now, deadline=when)
        parties = uow.repo.parties(declaration)
        codes = sorted(p.code for p in parties)
        uow.append(declaration, "accord.round.opened", SECRETARIAT, {
            "round": number, "version": version.label, "deadline": when, "parties": codes,
        }, now)
        # each party's copy is owed from this commit on: a crash before it has gone leaves it owed, not forgotten
        uow.outbox.owe(declaration, "accord.round.distributed", {"round": number},
                       [p.code for p in parties if p.role in ("delegation", "co-presidency")], now)
        return OpenedRound(number=number, version=version.label, deadline=when)

    return change(app, work)


def close_round(app: App, slug: str, *, actor: str = SECRETARIAT, reason: str = "closed") -> int:
    """Close the open round: no more submissions count for its compilation."""

    def work(uow: UnitOfWork) -> int:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if current is None or current.state != "open":
            raise WrongState(f"{slug!r} has no open round to close; open one with `accord round open {slug}`")
        current.state = "closed"
        current.closed_at = now
        submitted = uow.repo.submissions(current, current_only=True)
        uow.append(declaration, "accord.round.closed", actor, {
            "round": current.number, "reason": reason, "submissions": [s.number for s in submitted],
        }, now)
        return current.number

    return change(app, work)
