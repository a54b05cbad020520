"""Comparisons for replay: events field by field, the declaration's rows without their surrogate ids, documents
byte for byte. Each raises IntegrityError naming the first thing that differs."""

from __future__ import annotations

import json
from typing import Any

from drafting.errors import IntegrityError
from drafting.lifecycle import Round
from drafting.negotiation import (
    Artifact,
    Decision,
    Declaration,
    Event,
    Party,
    Submission,
    Version,
)
from flows.bootstrap import App
from storage import UnitOfWork

_EVENT_FIELDS = ("type", "actor", "occurred_at", "payload", "prev_hash")


def compare_events(stored: list[Event], replayed: list[Event], trigger: Event) -> None:
    """The events a re-run appended are the stored ones, in order."""
    if not replayed:
        raise IntegrityError(
            f"event {trigger.seq} ({trigger.type}): re-running it appended no event"
        )
    if len(stored) < len(replayed):
        extra = replayed[len(stored)]
        raise IntegrityError(
            f"event {extra.seq} ({extra.type}): the replay appended it, the log ends before it"
        )
    for old, new in zip(stored, replayed, strict=True):
        if old.hash != new.hash or old.seq != new.seq:
            raise IntegrityError(f"event {old.seq} ({old.type}): {_event_difference(old, new)}")


def _event_difference(old: Event, new: Event) -> str:
    """The first field in which a replayed event differs from the stored one."""
    for name in _EVENT_FIELDS:
        difference = first_difference(getattr(old, name), getattr(new, name), name)
        if difference:
            return difference
    return "its hash differs from the replayed event's"


def first_difference(stored: Any, replayed: Any, path: str) -> str | None:
    """'path: stored X, replayed Y' for the first differing leaf, or None when equal."""
    if isinstance(stored, dict) and isinstance(replayed, dict):
        keys = sorted(set(stored) | set(replayed), key=str)
        pairs = [(stored.get(k, _MISSING), replayed.get(k, _MISSING), f"{path}.{k}") for k in keys]
        return _first(pairs)
    if isinstance(stored, list) and isinstance(replayed, list):
        pairs = [
            (_at(stored, i), _at(replayed, i), f"{path}[{i}]")
            for i in range(max(len(stored), len(replayed)))
        ]
        return _first(pairs)
    if stored == replayed:
        return None
    return f"{path}: stored {_short(stored)}, replayed {_short(replayed)}"


def _first(pairs: list[tuple[Any, Any, str]]) -> str | None:
    """The first difference among these (stored, replayed, path), or None."""
    return next(filter(None, (first_difference(*pair) for pair in pairs)), None)


def _at(values: list[Any], i: int) -> Any:
    return values[i] if i < len(values) else _MISSING


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING = _Missing()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 90 else text[:87] + "..."


def compare_state(original: App, scratch: App, slug: str) -> int:
    """Every row of the declaration matches its replayed twin; return how many rows were compared."""
    with original.store.reading() as left, scratch.store.reading() as right:
        stored, replayed = snapshot(left, slug), snapshot(right, slug)
    for table in stored:
        difference = first_difference(stored[table], replayed[table], table)
        if difference:
            raise IntegrityError(f"state: {difference}")
    return _rows(stored)


def _rows(snap: dict[str, Any]) -> int:
    """How many records a snapshot holds (a version's approvals and a round's submissions count one each)."""
    versions, rounds = snap["versions"].values(), snap["rounds"].values()
    return (
        1
        + len(snap["parties"])
        + len(snap["artifacts"])
        + sum(1 + len(v["approvals"]) + len(v["silences"]) for v in versions)
        + sum(1 + len(r["submissions"]) + len(r["decisions"]) for r in rounds)
    )


def snapshot(uow: UnitOfWork, slug: str) -> dict[str, Any]:
    """The declaration's rows as comparable values: references by label, code and number, not by row id."""
    repo = uow.repo
    declaration = repo.declaration(slug)
    versions = repo.versions(declaration)
    by_number = {v.number: v.label for v in versions}
    return {
        "declaration": [_declaration(declaration)],
        "parties": [_party(p) for p in repo.parties(declaration)],
        "versions": {v.label: _version(uow, v) for v in versions},
        "rounds": {f"round {r.number}": _round(uow, r) for r in repo.rounds(declaration)},
        "artifacts": [_artifact(a, by_number) for a in repo.artifacts(declaration)],
    }


def _declaration(declaration: Declaration) -> dict[str, Any]:
    return {
        "slug": declaration.slug,
        "title": declaration.title,
        "languages": declaration.languages,
        "timezone": declaration.timezone,
        "created_at": declaration.created_at,
    }


def _party(p: Party) -> dict[str, Any]:
    return {"code": p.code, "name": p.name, "bloc": p.bloc, "role": p.role, "email": p.email}


def _version(uow: UnitOfWork, v: Version) -> dict[str, Any]:
    return {
        "number": v.number,
        "parent": v.parent,
        "blob": v.blob_sha256,
        "text_sha256": v.text_sha256,
        "state": v.state,
        "created_at": v.created_at,
        "meta": json.loads(v.stored),
        "approvals": [{"party": a.party, "at": a.approved_at} for a in uow.repo.approvals(v)],
        "silences": [_silence(s) for s in uow.repo.silences(v)],
    }


def _round(uow: UnitOfWork, r: Round) -> dict[str, Any]:
    return {
        "base": r.base_version,
        "state": r.state,
        "opened_at": r.opened_at,
        "deadline": r.deadline,
        "closed_at": r.closed_at,
        "submissions": [_submission(s) for s in uow.repo.submissions(r)],
        "decisions": [_decision(d) for d in uow.repo.decisions(r, current_only=False)],
    }


def _artifact(a: Artifact, by_number: dict[int, str]) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "name": a.name,
        "round": a.round,
        "version": None if a.version is None else by_number[a.version],
        "blob": a.blob_sha256,
        "created_at": a.created_at,
    }


def _submission(submission: Submission) -> dict[str, Any]:
    return {
        "party": submission.party,
        "blob": submission.blob_sha256,
        "filename": submission.filename,
        "received_at": submission.received_at,
        "status": submission.status,
        "late": submission.late,
        "flags": [f.model_dump() for f in submission.flags],
        "summary": submission.summary.model_dump(),
    }


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "party": decision.party,
        "blob": decision.blob_sha256,
        "decisions": decision.decisions,
        "received_at": decision.received_at,
        "status": decision.status,
    }


def _silence(row: Any) -> dict[str, Any]:
    return {
        "text_sha256": row.text_sha256,
        "until": row.until,
        "state": row.state,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "objection": row.objection,
    }


def compare_blobs(original: App, scratch: App, slug: str) -> int:
    """Every document the replay wrote is stored in the original, byte for byte; return how many.

    The replay stored each document under the sha256 of the bytes it made, so equal bytes under that key in the
    original prove both that the replay reproduced the document and that the stored one was not altered."""
    with scratch.store.reading() as right:
        replayed = right.blob_digests()
    with original.store.reading() as left, scratch.store.reading() as right:
        for start in range(0, len(replayed), 100):
            digests = replayed[start : start + 100]
            _check_documents(digests, left.blobs(digests), right.blobs(digests))
    return len(replayed)


def _check_documents(digests: list[str], stored: dict[str, bytes], made: dict[str, bytes]) -> None:
    """IntegrityError unless the original stores each document the replay made, with the same bytes."""
    for digest in digests:
        if digest not in stored:
            raise IntegrityError(
                f"document {digest[:12]}: the replay made it, the store does not hold it"
            )
        if stored[digest] != made[digest]:
            raise IntegrityError(
                f"document {digest[:12]}: the stored bytes differ from the replayed ones; "
                "the stored document was altered"
            )
