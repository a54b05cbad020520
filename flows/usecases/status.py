"""Read-only views: where a declaration stands, its event log, and whether its records verify."""

from __future__ import annotations

from typing import Any

from drafting.errors import IntegrityError, InvalidInput
from flows.bootstrap import App
from flows.usecases.owed import owed
from flows.usecases.routing import failed_deliveries
from storage import parse_anchor
from storage.repository import (
    to_declaration,
    to_party,
    to_round,
    to_submission,
    to_version,
)
from storage.signing import parse_public_key


def status(app: App, slug: str) -> dict[str, Any]:
    """The declaration's parties, versions, rounds and the latest round's submissions, and what is owed."""
    owing = owed(app, slug)  # before the reading below: one reading at a time (SQLite begins each one IMMEDIATE)
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        events = uow.log(declaration)
        parties = uow.repo.parties(declaration)
        versions = uow.repo.versions(declaration)
        labels = {v.id: v.label for v in versions}
        rounds = uow.repo.rounds(declaration)
        codes = {p.id: p.code for p in parties}
        latest: dict[str, Any] | None = None
        if rounds:
            current = rounds[-1]
            subs = [to_submission(s, current.number, codes[s.party_id]) for s in uow.repo.submissions(current)]
            received = {s.party for s in subs if s.status == "current"}
            latest = {
                **to_round(current, labels[current.base_version_id]).model_dump(),
                "submissions": [s.model_dump() for s in subs],
                "missing": sorted(p.code for p in parties if p.code not in received and p.role == "delegation"),
            }
        return {
            "declaration": to_declaration(declaration).model_dump(),
            "parties": [to_party(p).model_dump(mode="json") for p in parties],
            "versions": [
                {k: v for k, v in to_version(v).model_dump().items() if k != "meta"}
                | {"approvals": [codes[a.party_id] for a in uow.repo.approvals(v)]}
                for v in versions
            ],
            "rounds": [to_round(r, labels[r.base_version_id]).model_dump() for r in rounds],
            "latest_round": latest,
            "events": len(events),
            "failed_mail": [{"event": kind, "key": key, "parties": parties}
                            for (kind, key), parties in failed_deliveries(events).items()],
            "owed": [{"event": o.event, "key": o.key, "parties": list(o.parties)} for o in owing],
        }


def event_log(app: App, slug: str) -> list[dict[str, Any]]:
    """Every event of the declaration, in order."""
    with app.store.reading() as uow:
        return [e.model_dump() for e in uow.log(uow.repo.declaration(slug))]


def verify(app: App, slug: str, *, anchor: str | None = None, key: str | None = None) -> dict[str, Any]:
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
        raise IntegrityError(f"{slug}: {report.problems[0]}; restore from the archive and investigate")
    return {"events": report.events, "blobs": report.blobs, "head": f"{report.events}:{report.head}", "ok": True,
            "signed": signed}
