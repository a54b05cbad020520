"""The state the event log implies, rebuilt from the events alone and compared with the tables.

The chain proves the log was not edited; the tables (parties, versions, rounds, submissions, decisions,
approvals, silences) are not protected by triggers, so an edit there (a delegation made co-presidency) would go
unnoticed until replay. Each table is projected from the events into comparable tuples; the first difference is
named with what the table says and what the log says.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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
    p, kind = event.payload, event.type
    if kind == "accord.declaration.created":
        state.declaration["declaration"] = (
            p["slug"],
            p["title"],
            p["timezone"],
            ",".join(p["languages"]),
        )
        for party in p["parties"]:
            state.parties[party["code"]] = (party["name"], party["bloc"], party["role"])
    elif kind in ("accord.version.issued", "accord.version.edited"):
        parent = p.get("parent") or state.base_of_round.get(p.get("round") or -1)
        first = p["number"] == 0
        state.versions[p["version"]] = (
            p["number"],
            parent,
            p["blob"],
            p["text_sha256"],
            "circulated" if first else "draft",
        )
        if p.get("round"):
            _set(state.rounds, f"round {p['round']}", 1, "decided")
    elif kind == "accord.version.translated":  # the version's document (and text) put again
        _set(state.versions, p["version"], 2, p["blob"])
        _set(state.versions, p["version"], 3, p["text_sha256"])
    elif kind in _VERSION_STATE:
        _set(state.versions, p["version"], 4, _VERSION_STATE[kind])
    if kind in _SILENCE_STATE:
        _silence(state, event)
    _apply_round(state, event)


def _apply_round(state: Implied, event: Event) -> None:
    p, kind = event.payload, event.type
    if kind == "accord.round.opened":
        state.base_of_round[p["round"]] = p["version"]
        state.rounds[f"round {p['round']}"] = (
            p["version"],
            "open",
            p.get("deadline"),
            event.occurred_at,
            None,
        )
    elif kind == "accord.round.deadline-extended":
        _set(state.rounds, f"round {p['round']}", 2, p["deadline"])
    elif kind == "accord.round.closed":
        _set(state.rounds, f"round {p['round']}", 1, "closed")
        _set(state.rounds, f"round {p['round']}", 4, event.occurred_at)
    elif kind == "accord.submission.received":
        for number in p.get("superseded") or []:
            _set(state.submissions, f"submission {number}", 6, "superseded")
        state.submissions[f"submission {p['submission']}"] = (
            p["round"],
            p["party"],
            p["blob"],
            p["filename"],
            event.occurred_at,
            bool(p["late"]),
            "current",
        )
    elif kind == "accord.decision.recorded":
        for key, row in list(state.decisions.items()):
            if row[:2] == (p["round"], p["party"]):
                state.decisions[key] = (*row[:-1], "superseded")
        decisions = json.dumps(p["decisions"], sort_keys=True)
        state.decisions[f"decision of event {event.seq}"] = (
            p["round"],
            p["party"],
            p["blob"],
            decisions,
            event.occurred_at,
            "current",
        )
    elif kind == "accord.version.approved":
        state.approvals[f"approval of {p['version']} by {p['party']}"] = (
            p["version"],
            p["party"],
            event.occurred_at,
        )


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
    state.declaration["declaration"] = (
        declaration.slug,
        declaration.title,
        declaration.timezone,
        declaration.languages,
    )
    parties = list(
        session.scalars(select(PartyRow).where(PartyRow.declaration_id == declaration.id))
    )
    codes = {p.id: p.code for p in parties}
    state.parties = {p.code: (p.name, p.bloc, p.role) for p in parties}
    versions = list(
        session.scalars(select(VersionRow).where(VersionRow.declaration_id == declaration.id))
    )
    labels = {v.id: v.label for v in versions}
    state.versions = {
        v.label: (v.number, labels.get(v.parent_id or 0), v.blob_sha256, v.text_sha256, v.state)
        for v in versions
    }
    rounds = list(
        session.scalars(select(RoundRow).where(RoundRow.declaration_id == declaration.id))
    )
    numbers = {r.id: r.number for r in rounds}
    state.rounds = {
        f"round {r.number}": (
            labels.get(r.base_version_id),
            r.state,
            r.deadline,
            r.opened_at,
            r.closed_at,
        )
        for r in rounds
    }
    for s in _of_rounds(session, SubmissionRow, numbers):
        state.submissions[f"submission {s.number}"] = (
            numbers[s.round_id],
            codes.get(s.party_id),
            s.blob_sha256,
            s.filename,
            s.received_at,
            bool(s.late),
            s.status,
        )
    for d in _of_rounds(session, DecisionRow, numbers):
        decisions = json.dumps(json.loads(d.decisions), sort_keys=True)
        state.decisions[f"decision {d.id}"] = (
            numbers[d.round_id],
            codes.get(d.party_id),
            d.blob_sha256,
            decisions,
            d.received_at,
            d.status,
        )
    for a in session.scalars(select(ApprovalRow).where(ApprovalRow.version_id.in_(labels))):
        state.approvals[f"approval of {labels[a.version_id]} by {codes.get(a.party_id)}"] = (
            labels[a.version_id],
            codes.get(a.party_id),
            a.approved_at,
        )
    for s in session.scalars(select(SilenceRow).where(SilenceRow.version_id.in_(labels))):
        state.silences[f"silence {s.number}"] = (
            labels[s.version_id],
            s.until,
            s.text_sha256,
            s.state,
            s.started_at,
            s.ended_at,
        )
    return state


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
