"""Open a round on the current version and close it (each party's stamped copy is owed from the opening's
commit and goes out with ``routing.distribute_round``: at once in `accord round open`, on accord.round.opened
under `accord serve`, or at the next `accord tick` after a crash)."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.events import RoundDistributed
from drafting.lifecycle import Round, no_open_round
from drafting.negotiation import SECRETARIAT
from drafting.parties import receiving_copies
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.dashboard import publish_dashboard
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


def open_round(
    app: App, slug: str, *, deadline: str | None = None, by: str | None = None
) -> OpenedRound:
    """Open the next round on the current circulated version (its copies go out with ``distribute_round``)."""
    opened = change(app, lambda uow: _open_round(uow, app, slug, deadline, by))
    publish_dashboard(app, slug)
    return opened


def _open_round(
    uow: UnitOfWork, app: App, slug: str, deadline: str | None, by: str | None
) -> OpenedRound:
    """Open the round and owe each party its copy, in one transaction."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    latest, version = uow.repo.latest_round(declaration), uow.repo.get_version(declaration)
    parties = uow.repo.parties(declaration)
    Round.check_opening(latest, version)  # before the deadline is read: a state refusal comes first
    due = parse_deadline(deadline, now)
    opened, event = Round.open_after(latest, version, now, due, [p.code for p in parties])
    uow.repo.add_round(declaration, opened)
    uow.record(declaration, event.acted_by(by), SECRETARIAT, now)
    # each party's copy is owed from this commit on: a crash before it has gone leaves it owed, not forgotten
    receiving = receiving_copies(parties)
    uow.outbox.owe(declaration, RoundDistributed.TYPE, {"round": opened.number}, receiving, now)
    return OpenedRound(number=opened.number, version=version.label, deadline=opened.deadline)


def extend_deadline(app: App, slug: str, deadline: str, *, by: str | None = None) -> OpenedRound:
    """Move the open round's deadline later (its reminder and closing runs are planned anew at the new time)."""

    def work(uow: UnitOfWork) -> OpenedRound:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if current is None:
            raise no_open_round(slug)
        extended = current.extend(parse_moment(deadline, now, option="the new deadline"), now)
        uow.record(declaration, extended.acted_by(by), SECRETARIAT, now)
        return OpenedRound(
            number=current.number, version=current.base_version, deadline=current.deadline
        )

    return change(app, work)


def close_round(
    app: App, slug: str, *, actor: str = SECRETARIAT, reason: str = "closed", by: str | None = None
) -> int:
    """Close the open round: no more submissions count for its compilation."""

    def work(uow: UnitOfWork) -> int:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if current is None:
            raise no_open_round(slug)
        submitted = [s.id for s in uow.repo.submissions(current, current_only=True)]
        uow.record(declaration, current.close(now, reason, submitted).acted_by(by), actor, now)
        return current.number

    return change(app, work)
