"""Deadlines and other timers: what is due when, and applying what has come due.

A timer is never polled for. In Prefect mode each one becomes a flow run scheduled for its time (`plan-timers`
creates them when a round opens or a silence starts); in the embedded mode `accord tick` applies the ones that
have passed. Both call the same use cases below, and every one of them is idempotent, so a scheduled run, a
triggered run and a tick may meet without doing anything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from drafting.errors import WrongState
from drafting.events import DeadlineReached, ReminderSent
from drafting.negotiation import SECRETARIAT, Declaration, SilenceState
from flows.bootstrap import App, iso
from flows.usecases.common import change
from flows.usecases.routing import find_event, remind, route_compilation, silence_procedures
from flows.usecases.silence import adopt, expire
from flows.usecases.times import local_time
from storage import UnitOfWork

REMIND, CLOSE, END_SILENCE = "remind", "close", "end-silence"
DEPLOYMENTS = {REMIND: "send-reminders", CLOSE: "close-round", END_SILENCE: "end-silence"}


@dataclass(frozen=True)
class Timer:
    """Something that must happen at a time: a reminder, a round's deadline, the end of a silence."""

    kind: str
    at: str  # ISO 8601 UTC
    slug: str
    round: int = 0
    silence: int = 0

    @property
    def deployment(self) -> str:
        """The Prefect deployment whose run does it."""
        return DEPLOYMENTS[self.kind]

    @property
    def key(self) -> str:
        """Idempotency key of its scheduled run: planning twice schedules once; a new time schedules anew."""
        subject = f"silence-{self.silence}" if self.kind == END_SILENCE else f"round-{self.round}"
        return f"accord/{self.slug}/{subject}/{self.kind}/{self.at}"

    def parameters(self) -> dict[str, Any]:
        """The flow run's parameters."""
        if self.kind == END_SILENCE:
            return {"slug": self.slug, "silence": self.silence}
        return {"slug": self.slug, "round_number": self.round}


def reminder_time(opened_at: str, deadline: str, hours: float) -> str | None:
    """When to remind before a deadline; None when the round opened less than that before it."""
    at = iso(_parse(deadline) - timedelta(hours=hours))
    return at if at > opened_at else None


def timers(app: App, slug: str) -> list[Timer]:
    """Every timer of the declaration still to apply, in time order."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        found = _round_timers(app, uow, declaration) + [
            Timer(END_SILENCE, silence.until, slug, silence=silence.number)
            for silence in silence_procedures(uow, declaration)
            if silence.state is SilenceState.RUNNING
        ]
    return sorted(found, key=lambda t: (t.at, t.kind))


def _round_timers(app: App, uow: UnitOfWork, declaration: Declaration) -> list[Timer]:
    """The open round's deadline, and its reminder unless sent, too late or past the deadline."""
    current, slug = uow.repo.latest_round(declaration), declaration.slug
    if current is None or not current.is_open or not current.deadline:
        return []
    found = [Timer(CLOSE, current.deadline, slug, round=current.number)]
    at = reminder_time(current.opened_at, current.deadline, app.settings.reminder_hours)
    reminded = find_event(uow, declaration, ReminderSent.TYPE, round=current.number)
    if at and reminded is None and current.deadline > app.now():  # no reminder after the deadline
        found.append(Timer(REMIND, at, slug, round=current.number))
    return found


def split(app: App, slug: str) -> tuple[list[Timer], list[Timer]]:
    """The timers that are due now and those still ahead."""
    now = app.now()
    every = timers(app, slug)
    return [t for t in every if t.at <= now], [t for t in every if t.at > now]


def reach_deadline(app: App, slug: str, round_number: int) -> bool:
    """Record that a round's deadline has passed (`accord.round.deadline-reached`), once; False if not due."""
    return change(app, lambda uow: _reach(uow, app, slug, round_number))


def _reach(uow: UnitOfWork, app: App, slug: str, number: int) -> bool:
    now, declaration = app.now(), uow.repo.declaration(slug)
    current = uow.repo.latest_round(declaration)
    reached = current.deadline_reached(number, now) if current is not None else None
    if (
        reached is None
        or find_event(uow, declaration, DeadlineReached.TYPE, round=number) is not None
    ):
        return False
    uow.record(declaration, reached, SECRETARIAT, now)
    return True


def _due(app: App, slug: str, number: int) -> bool:
    """Whether round ``number`` is the latest, still open, and its deadline has passed."""
    with app.store.reading() as uow:
        current = uow.repo.latest_round(uow.repo.declaration(slug))
        return current is not None and current.deadline_reached(number, app.now()) is not None


def close_at_deadline(app: App, slug: str, round_number: int) -> dict[str, Any] | None:
    """Close and compile the round if it is still open and its deadline has passed; None when nothing to do."""
    from flows.usecases.compile import close_and_compile

    if not _due(app, slug, round_number):
        return None
    try:
        compiled = close_and_compile(app, slug)
    except WrongState:  # a concurrent run closed it first
        return None
    return {
        "round": compiled.round,
        "submissions": compiled.submissions,
        "proposals": compiled.proposals,
        "conflicts": compiled.conflicts,
        "paths": compiled.paths,
    }


def apply(app: App, timer: Timer) -> str:
    """Apply one due timer in-process (the embedded mode), returning a line for the person watching."""
    return _APPLY[timer.kind](app, timer)


def _remind(app: App, timer: Timer) -> str:
    sent = remind(app, timer.slug, timer.round)
    reminded = f"reminder sent to {', '.join(sent.parties) or 'nobody'}"
    return f"round {timer.round}: " + (sent.skipped or reminded)


def _close(app: App, timer: Timer) -> str:
    zone = _zone(app, timer.slug)
    reach_deadline(app, timer.slug, timer.round)
    compiled = close_at_deadline(app, timer.slug, timer.round)
    if compiled is None:
        return f"round {timer.round}: already closed"
    routed = route_compilation(app, timer.slug, compiled["round"])
    return (
        f"round {timer.round}: deadline {local_time(timer.at, zone)} passed; closed and compiled "
        f"({compiled['submissions']} submissions); routed to {', '.join(routed.parties) or '-'}"
    )


def _end_silence(app: App, timer: Timer) -> str:
    ended = expire(app, timer.slug, timer.silence)
    agreed = adopt(app, timer.slug, timer.silence)
    if ended is None:
        return f"silence {timer.silence}: nothing to end"
    return (
        f"silence {timer.silence} on {ended.version} ended {ended.until_local} without objection"
        + (f"; {agreed} agreed" if agreed else "")
    )


_APPLY: dict[str, Callable[[App, Timer], str]] = {
    REMIND: _remind,
    CLOSE: _close,
    END_SILENCE: _end_silence,
}


def tick(app: App, slug: str, *, owed: bool = True) -> list[str]:
    """Deliver what is still owed to the parties (a sending a crash or an error cut short), then apply every
    timer of the declaration that has come due (reminders, deadlines, silences).

    ``owed=False`` when a Prefect server serves accord: its flow runs deliver (``serve.reconcile`` schedules what
    was missed), and two senders at once could each reach a party before either noted it."""
    from flows.usecases.owed import deliver_owed

    delivered = deliver_owed(app, slug) if owed else []
    return delivered + [apply(app, timer) for timer in split(app, slug)[0]]


def _zone(app: App, slug: str) -> str:
    with app.store.reading() as uow:
        return uow.repo.declaration(slug).timezone


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))
