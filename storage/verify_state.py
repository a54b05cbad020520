"""The state the event log implies, rebuilt from the events alone and compared with the tables.

The chain proves the log was not edited; the tables (parties, versions, rounds, submissions, decisions,
approvals, silences) are not protected by triggers, so an edit there (a delegation made co-presidency) would go
unnoticed until replay. Each table is projected from the events into comparable tuples; the first difference is
named with what the table says and what the log says.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.negotiation import Event
from storage.schema import (
    ApprovalRow,
    DecisionRow,
    DeclarationRow,
    PartyRow,
    RoundRow,
    SilenceRow,
    SubmissionRow,
    VersionRow,
)

Row = tuple[Any, ...]

# A version's state after each event that changes it (a revision or an edit starts as a draft).
_VERSION_STATE = {
    "accord.version.circulated": "circulated",
    "accord.silence.started": "silence",
    "accord.silence.broken": "circulated",
    "accord.version.agreed": "agreed",
}
_SILENCE_STATE = {
    "accord.silence.started": "running",
    "accord.silence.broken": "broken",
    "accord.silence.expired": "expired",
}


@dataclass
class Implied:
    """Each table's rows as the log implies them, keyed for comparison."""

    declaration: dict[str, Row] = field(default_factory=dict)
    parties: dict[str, Row] = field(default_factory=dict)
    versions: dict[str, Row] = field(default_factory=dict)
    rounds: dict[str, Row] = field(default_factory=dict)
    submissions: dict[str, Row] = field(default_factory=dict)
    decisions: dict[str, Row] = field(default_factory=dict)
    approvals: dict[str, Row] = field(default_factory=dict)
    silences: dict[str, Row] = field(default_factory=dict)
    base_of_round: dict[int, str] = field(default_factory=dict)


def implied_state(events: Iterable[Event]) -> Implied:
    """Project the log onto the tables' comparable columns."""
    state = Implied()
    for event in events:
        _apply(state, event)
    return state


def _apply(state: Implied, event: Event) -> None:
    kind = event.type
    if kind == "accord.declaration.created":
        _declaration_created(state, event.payload)
    elif kind in ("accord.version.issued", "accord.version.edited"):
        _version_issued(state, event.payload)
    elif kind == "accord.version.translated":  # the version's document (and text) put again
        _set(state.versions, event.payload["version"], 2, event.payload["blob"])
        _set(state.versions, event.payload["version"], 3, event.payload["text_sha256"])
    elif kind in _VERSION_STATE:
        _set(state.versions, event.payload["version"], 4, _VERSION_STATE[kind])
    if kind in _SILENCE_STATE:
        _silence(state, event)
    if kind in _ROUND_EVENTS:
        _ROUND_EVENTS[kind](state, event)


def _declaration_created(state: Implied, p: dict[str, Any]) -> None:
    state.declaration["declaration"] = (
        p["slug"],
        p["title"],
        p["timezone"],
        ",".join(p["languages"]),
    )
    for party in p["parties"]:
        state.parties[party["code"]] = (party["name"], party["bloc"], party["role"])


def _version_issued(state: Implied, p: dict[str, Any]) -> None:
    """A revision or an edit: a draft (the zero draft is circulated at once); its round is decided."""
    parent = p.get("parent") or state.base_of_round.get(p.get("round") or -1)
    status = "circulated" if p["number"] == 0 else "draft"
    state.versions[p["version"]] = (p["number"], parent, p["blob"], p["text_sha256"], status)
    if p.get("round"):
        _set(state.rounds, f"round {p['round']}", 1, "decided")


def _round_opened(state: Implied, event: Event) -> None:
    p = event.payload
    state.base_of_round[p["round"]] = p["version"]
    opened = (p["version"], "open", p.get("deadline"), event.occurred_at, None)
    state.rounds[f"round {p['round']}"] = opened


def _deadline_extended(state: Implied, event: Event) -> None:
    _set(state.rounds, f"round {event.payload['round']}", 2, event.payload["deadline"])


def _round_closed(state: Implied, event: Event) -> None:
    _set(state.rounds, f"round {event.payload['round']}", 1, "closed")
    _set(state.rounds, f"round {event.payload['round']}", 4, event.occurred_at)


def _submission_received(state: Implied, event: Event) -> None:
    p = event.payload
    for number in p.get("superseded") or []:
        _set(state.submissions, f"submission {number}", 6, "superseded")
    received = (
        p["round"],
        p["party"],
        p["blob"],
        p["filename"],
        event.occurred_at,
        bool(p["late"]),
    )
    state.submissions[f"submission {p['submission']}"] = (*received, "current")


def _decision_recorded(state: Implied, event: Event) -> None:
    p = event.payload
    for key, row in list(state.decisions.items()):
        if row[:2] == (p["round"], p["party"]):
            state.decisions[key] = (*row[:-1], "superseded")
    decisions = json.dumps(p["decisions"], sort_keys=True)
    recorded = (p["round"], p["party"], p["blob"], decisions, event.occurred_at, "current")
    state.decisions[f"decision of event {event.seq}"] = recorded


def _version_approved(state: Implied, event: Event) -> None:
    p = event.payload
    approval = (p["version"], p["party"], event.occurred_at)
    state.approvals[f"approval of {p['version']} by {p['party']}"] = approval


# The events that change a round and what it holds (submissions, decisions, approvals).
_ROUND_EVENTS: dict[str, Callable[[Implied, Event], None]] = {
    "accord.round.opened": _round_opened,
    "accord.round.deadline-extended": _deadline_extended,
    "accord.round.closed": _round_closed,
    "accord.submission.received": _submission_received,
    "accord.decision.recorded": _decision_recorded,
    "accord.version.approved": _version_approved,
}


def _silence(state: Implied, event: Event) -> None:
    p, key = event.payload, f"silence {event.payload['silence']}"
    if event.type == "accord.silence.started":
        state.silences[key] = (
            p["version"],
            p["until"],
            p["text_sha256"],
            "running",
            event.occurred_at,
            None,
        )
    else:
        _set(state.silences, key, 3, _SILENCE_STATE[event.type])
        _set(state.silences, key, 5, event.occurred_at)


def _set(table: dict[str, Row], key: str, column: int, value: Any) -> None:
    if key in table:
        row = list(table[key])
        row[column] = value
        table[key] = tuple(row)


def stored_state(session: Session, declaration: DeclarationRow) -> Implied:
    """The same projection read from the tables."""
    state = Implied()
    d = declaration
    state.declaration["declaration"] = (d.slug, d.title, d.timezone, d.languages)
    parties = list(session.scalars(select(PartyRow).where(PartyRow.declaration_id == d.id)))
    codes = {p.id: p.code for p in parties}
    state.parties = {p.code: (p.name, p.bloc, p.role) for p in parties}
    labels = _stored_versions(session, state, d)
    numbers = _stored_rounds(session, state, d, labels)
    _stored_submissions(session, state, numbers, codes)
    _stored_decisions(session, state, numbers, codes)
    _stored_approvals_and_silences(session, state, labels, codes)
    return state


def _stored_versions(
    session: Session, state: Implied, declaration: DeclarationRow
) -> dict[int, str]:
    """The versions' rows into ``state``; each version's label by its id."""
    where = VersionRow.declaration_id == declaration.id
    versions = list(session.scalars(select(VersionRow).where(where)))
    labels = {v.id: v.label for v in versions}
    state.versions = {
        v.label: (v.number, labels.get(v.parent_id or 0), v.blob_sha256, v.text_sha256, v.state)
        for v in versions
    }
    return labels


def _stored_rounds(
    session: Session, state: Implied, declaration: DeclarationRow, labels: dict[int, str]
) -> dict[int, int]:
    """The rounds' rows into ``state``; each round's number by its id."""
    rounds = list(
        session.scalars(select(RoundRow).where(RoundRow.declaration_id == declaration.id))
    )
    for r in rounds:
        base = labels.get(r.base_version_id)
        state.rounds[f"round {r.number}"] = (base, r.state, r.deadline, r.opened_at, r.closed_at)
    return {r.id: r.number for r in rounds}


def _stored_submissions(
    session: Session, state: Implied, numbers: dict[int, int], codes: dict[int, str]
) -> None:
    for s in _of_rounds(session, SubmissionRow, numbers):
        received = (s.blob_sha256, s.filename, s.received_at, bool(s.late), s.status)
        state.submissions[f"submission {s.number}"] = (
            numbers[s.round_id],
            codes.get(s.party_id),
            *received,
        )


def _stored_decisions(
    session: Session, state: Implied, numbers: dict[int, int], codes: dict[int, str]
) -> None:
    for d in _of_rounds(session, DecisionRow, numbers):
        decisions = json.dumps(json.loads(d.decisions), sort_keys=True)
        recorded = (d.blob_sha256, decisions, d.received_at, d.status)
        state.decisions[f"decision {d.id}"] = (
            numbers[d.round_id],
            codes.get(d.party_id),
            *recorded,
        )


def _stored_approvals_and_silences(
    session: Session, state: Implied, labels: dict[int, str], codes: dict[int, str]
) -> None:
    for a in session.scalars(select(ApprovalRow).where(ApprovalRow.version_id.in_(labels))):
        label, party = labels[a.version_id], codes.get(a.party_id)
        state.approvals[f"approval of {label} by {party}"] = (label, party, a.approved_at)
    for s in session.scalars(select(SilenceRow).where(SilenceRow.version_id.in_(labels))):
        ended = (s.state, s.started_at, s.ended_at)
        state.silences[f"silence {s.number}"] = (
            labels[s.version_id],
            s.until,
            s.text_sha256,
            *ended,
        )


def _of_rounds(session: Session, table: Any, numbers: dict[int, int]) -> Iterator[Any]:
    yield from session.scalars(select(table).where(table.round_id.in_(numbers)).order_by(table.id))


_COLUMNS = {
    "declaration": ("slug", "title", "timezone", "languages"),
    "parties": ("name", "bloc", "role"),
    "versions": ("number", "parent", "blob_sha256", "text_sha256", "state"),
    "rounds": ("base version", "state", "deadline", "opened_at", "closed_at"),
    "submissions": ("round", "party", "blob_sha256", "filename", "received_at", "late", "status"),
    "decisions": ("round", "party", "blob_sha256", "decisions", "received_at", "status"),
    "approvals": ("version", "party", "approved_at"),
    "silences": ("version", "until", "text_sha256", "state", "started_at", "ended_at"),
}


def state_problems(implied: Implied, stored: Implied) -> list[str]:
    """Every table's first difference between what the log implies and what is stored, in words."""
    problems = []
    for table, columns in _COLUMNS.items():
        problem = _compare(table, columns, getattr(implied, table), getattr(stored, table))
        if problem:
            problems.append(problem)
    return problems


def _compare(
    table: str, columns: tuple[str, ...], implied: dict[str, Row], stored: dict[str, Row]
) -> str | None:
    if table == "decisions":  # decision rows carry no number of their own: compare them in order
        implied, stored = _in_order(implied), _in_order(stored)
    for key in sorted(set(implied) | set(stored)):
        if key not in stored:
            return f"{table}: {key} is in the log but not in the table; a record was deleted outside accord"
        if key not in implied:
            return f"{table}: {key} is in the table but no event records it; it was added outside accord"
        for column, want, have in zip(columns, implied[key], stored[key]):
            if want != have:
                return (
                    f"{table}: {key} has {column} {_short(have)} in the table, the log says {_short(want)}; "
                    "the table (or the log) was edited outside accord"
                )
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _in_order(rows: dict[str, Row]) -> dict[str, Row]:
    ordered = sorted(rows.values(), key=lambda row: (row[4], row[0], str(row[1]), row[2]))
    return {
        f"decision {n} ({row[1]}, round {row[0]})": row for n, row in enumerate(ordered, start=1)
    }
