"""Helpers every use case shares: run a state change with its event, then publish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from drafting.events import DecisionRefused, DomainEvent, SubmissionRefused
from flows.bootstrap import App
from storage import UnitOfWork

T = TypeVar("T")


def change(app: App, work: Callable[[UnitOfWork], T]) -> T:
    """Run one state change and its events in one transaction, then mirror the events to Prefect."""
    result, events = app.store.transaction(work)
    if events:
        app.publisher.publish(events)
    return result


def log_refusal(app: App, slug: str, party: str, refused: DomainEvent) -> None:
    """Every action is in the log, refusals too: a party's refused attempt, with the reason. An unknown party is
    refused as such (NotFound) and not logged: the log names only real parties."""

    def work(uow: UnitOfWork) -> None:
        declaration = uow.repo.find_declaration(slug)
        if declaration is None:
            return
        uow.repo.party(declaration, party)
        uow.record(declaration, refused, party, app.now())

    change(app, work)


def log_unread(
    app: App,
    slug: str,
    refused: type[SubmissionRefused] | type[DecisionRefused],
    *,
    party: str,
    filename: str,
    size: int,
    reason: str,
    by: str | None = None,
) -> None:
    """A party's file refused at the edge before it was read (too large, not a regular file): logged like the use
    case's refusals, with its size and an empty hash (no byte of it was read)."""
    log_refusal(
        app,
        slug,
        party,
        refused(party=party, filename=filename, sha256="", size=size, reason=reason, by=by),
    )


def declaration_dir(app: App, slug: str) -> Path:
    """The folder a person opens to find a declaration's documents (a slug that is not a plain name is refused)."""
    return app.files.path("declarations", slug)


def round_dir(app: App, slug: str, number: int) -> Path:
    """The folder of one round: outbox copies, compilation, synopsis."""
    return app.files.path("declarations", slug, f"round-{number}")


def write_file(app: App, path: Path, data: bytes, *, root: Path | None = None) -> Path:
    """Write a derived document atomically under the home (or under ``root``, a folder the user named);
    a path that resolves outside it is refused."""
    return app.files.write(path, data, root=root)
