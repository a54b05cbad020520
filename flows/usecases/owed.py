"""What accord still owes the parties, and delivering it: the view `accord status` shows and the sweep that
`accord tick` runs (under `accord serve`, ``serve.reconcile`` schedules the same follow-ups as flow runs).

Two things are owed: shares of a sending recorded in the outbox and not yet settled (a run died half-way, or a
round's copies or a silence's notice, owed from the commit that opened the round or started the silence), and a
round's copies the log asks for that were never owed (a database from before the outbox). Every delivering use
case is idempotent and sends only what is still owed, so sweeping twice, or beside `accord serve`, sends nothing
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drafting.errors import AccordError
from flows.bootstrap import App
from flows.usecases import routing
from flows.usecases.delivery import Delivery

# the event that closes a sending -> how to finish it, given its key and the parties it is owed to
_FINISH: dict[str, Callable[[App, str, dict[str, Any], frozenset[str]], Delivery]] = {
    routing.DISTRIBUTED: lambda app, slug, key, parties: routing.distribute_round(
        app, slug, int(key["round"]), **_again(key, parties)
    ),
    routing.ROUTED: lambda app, slug, key, parties: routing.route_compilation(
        app, slug, int(key["round"]), **_again(key, parties)
    ),
    routing.CIRCULATED: lambda app, slug, key, parties: routing.circulate_version(
        app, slug, str(key["version"]), **_again(key, parties)
    ),
    routing.REMINDED: lambda app, slug, key, parties: routing.remind(app, slug, int(key["round"])),
    routing.FILED: lambda app, slug, key, parties: routing.file_submission(
        app, slug, int(key["submission"])
    ),
    routing.NOTICE: lambda app, slug, key, parties: routing.notify_silence(
        app, slug, int(key["silence"]), **_again(key, parties)
    ),
}
# sendings no flow run follows up: `accord serve` finishes them itself (a silence's notice is sent by the run that
# started the silence; a sending again by `accord resend`)
_UNFOLLOWED = frozenset({routing.NOTICE})
# the follow-ups of `serve.missed` owed before they start: deployment -> (the event closing it, its key's name).
# Only a round's copies: the embedded mode sends them at once (`accord round open`); filing, routing and
# circulation are its own commands or `accord serve`'s flow runs, owed here once they have started.
_SENDINGS = {"distribute-round": (routing.DISTRIBUTED, "round")}


def _again(key: dict[str, Any], parties: frozenset[str]) -> dict[str, Any]:
    """A sending again finishes under its own key, to the parties it was for; a first sending to all owed."""
    return {"again": True, "resent": key["resent"], "only": parties} if "resent" in key else {}


@dataclass(frozen=True)
class Owing:
    """A sending not finished: the event that will close it, its key, and the parties still waiting (empty:
    every party, it never started)."""

    event: str
    key: dict[str, Any]
    parties: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for a person, e.g. 'accord.round.distributed round 3 to MX, PE'."""
        key = " ".join(f"{k} {v}" for k, v in self.key.items())
        return f"{self.event} {key} to {', '.join(self.parties) or 'every party'}"


def _owed_shares(shares: Any) -> dict[tuple[str, str], Owing]:
    """The unsettled shares grouped by sending (kind and key), each with the parties still owed it."""
    found: dict[tuple[str, str], Owing] = {}
    for share in shares:
        ident = (share.kind, repr(sorted(share.key.items())))
        before = found.get(ident, Owing(share.kind, share.key))
        found[ident] = Owing(share.kind, share.key, (*before.parties, share.party))
    return found


def owed(app: App, slug: str) -> list[Owing]:
    """Every sending of the declaration still owed, in the order it became owed."""
    from flows.serve import missed  # serve imports the deadlines, which import routing: bound late

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        shares = uow.outbox.unsettled(declaration)
        events = uow.log(declaration)
    found = _owed_shares(shares)
    for deployment, parameters in missed(events):
        if deployment in _SENDINGS:
            event, name = _SENDINGS[deployment]
            key = {name: parameters[next(iter(parameters))]}
            found.setdefault((event, repr(sorted(key.items()))), Owing(event, key))
    return list(found.values())


def deliver_owed(app: App, slug: str, *, unfollowed_only: bool = False) -> list[str]:
    """Finish every sending still owed (``unfollowed_only``: only those no flow run follows up, sendings again
    and silence notices); a line for each (an error leaves it owed and says why)."""
    lines = []
    for owing in owed(app, slug):
        if unfollowed_only and "resent" not in owing.key and owing.event not in _UNFOLLOWED:
            continue
        try:
            sent = _FINISH[owing.event](app, slug, owing.key, frozenset(owing.parties))
        except (AccordError, OSError) as error:
            lines.append(f"still owed: {owing.describe()}: {error}")
            continue
        if (
            sent.skipped and owing.parties
        ):  # nothing left to send it for (e.g. the round closed): moot
            _moot(app, slug, owing, sent.skipped)
        lines.append(f"owed {owing.describe()}: " + (sent.skipped or _outcomes(sent.parties)))
    return lines


def _moot(app: App, slug: str, owing: Owing, why: str) -> None:
    def work(uow: Any) -> None:
        declaration = uow.repo.declaration(slug)
        for party in owing.parties:
            uow.outbox.settle(
                declaration, owing.event, owing.key, party, f"not sent: {why}", app.now()
            )

    app.store.transaction(work)


def _outcomes(parties: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for how in parties.values():
        counts[how] = counts.get(how, 0) + 1
    return "; ".join(f"{n} {how}" for how, n in sorted(counts.items())) or "no party"
