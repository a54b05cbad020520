"""Recompute the event chain and every blob's hash; name the first thing that does not verify."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafting.canonical import GENESIS, event_hash, sha256_hex
from drafting.events import ISSUING
from drafting.negotiation import Event
from storage.eventlog import read_events
from storage.schema import Blob, DeclarationRow, EventRow, VersionRow
from storage.signing import head_message, signature_problem, unsigned_hash
from storage.verify_state import implied_state, state_problems, stored_state

_ISSUING = tuple(kind.TYPE for kind in ISSUING)
SEALED = (
    "accord.declaration.archived"  # the event whose payload may carry the secretariat's signature
)


@dataclass
class VerifyReport:
    """What verify checked and the first problem it found, if any."""

    events: int = 0
    blobs: int = 0
    head: str = ""  # the last event's hash: written down outside, it later proves nothing was cut from the end
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_declaration(
    session: Session, declaration: DeclarationRow, *, blobs: bool = True, state: bool = True
) -> VerifyReport:
    """Check the declaration's chain (seq contiguous, prev_hash links, hashes), its versions against the events
    that issued them, the tables against the state the log implies, that every document an event names is
    stored and, unless told not to, every blob in the database."""
    report = VerifyReport()
    _verify_chain(session, declaration, report)
    if report.ok:
        _verify_versions(session, declaration, report)
    if report.ok and state:
        events = read_events(session, declaration)
        _verify_state(session, declaration, events, report)
        if report.ok:
            _verify_named(session, named_blobs(events), report)
    if report.ok and blobs:
        _verify_blobs(session, report)
    return report


def _verify_state(
    session: Session, declaration: DeclarationRow, events: list[Event], report: VerifyReport
) -> None:
    """The tables hold what the log implies (a payload that lacks what its type needs is named, not a crash)."""
    try:
        implied = implied_state(events)
    except (KeyError, TypeError, ValueError) as error:
        report.problems.append(
            f"the log does not imply a state: an event lacks {error}; the log was altered"
        )
        return
    report.problems += state_problems(implied, stored_state(session, declaration))[:1]


# payload keys whose value is a stored document's sha256
_NAMING = ("blob", "original", "pdf", "reading")
_LISTING = ("documents", "files")  # payload keys whose value maps names to stored documents


def named_blobs(events: list[Event]) -> dict[str, str]:
    """sha256 -> the first event that names it as a stored document (refused files are named but never kept)."""
    named: dict[str, str] = {}
    for event in events:
        _name_blobs(event.payload, f"event {event.seq} ({event.type})", named)
    return named


def _name_blobs(value: object, where: str, named: dict[str, str]) -> None:
    """Every stored document's sha256 in ``value`` (a payload, or a part of one) into ``named``, unless there."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key in _NAMING and isinstance(item, str) and len(item) == 64:
            named.setdefault(item, where)
        elif key in _LISTING and isinstance(item, dict):
            for digest in item.values():
                if isinstance(digest, str) and len(digest) == 64:
                    named.setdefault(digest, where)
        else:
            _name_blobs(item, where, named)


def _verify_named(session: Session, named: dict[str, str], report: VerifyReport) -> None:
    """Every document an event names is stored (its bytes are checked with every blob)."""
    stored = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(sorted(named)))))
    for digest, where in sorted(named.items(), key=lambda item: item[1]):
        if digest not in stored:
            report.problems.append(
                f"{where}: names the document {digest[:12]}, which is not in the database; "
                "it was deleted"
            )
            return


def _verify_versions(session: Session, declaration: DeclarationRow, report: VerifyReport) -> None:
    """Each version's stored text hashes to what its row and the event that issued it recorded."""
    issued = _issued(session, declaration)
    versions = session.scalars(
        select(VersionRow)
        .where(VersionRow.declaration_id == declaration.id)
        .order_by(VersionRow.number)
    )
    for version in versions:
        problem = _version_problem(version, issued.get(version.label))
        if problem:
            report.problems.append(f"version {version.label}: {problem}")
            return


def _issued(session: Session, declaration: DeclarationRow) -> dict[str, dict[str, object]]:
    """The payload of the event that issued each version, by the version's label."""
    rows = session.scalars(
        select(EventRow).where(
            EventRow.declaration_id == declaration.id, EventRow.type.in_(_ISSUING)
        )
    )
    issued: dict[str, dict[str, object]] = {}
    for row in rows:
        payload = json.loads(row.payload)
        issued[str(payload.get("version"))] = payload
    return issued


def _version_problem(version: VersionRow, event: dict[str, object] | None) -> str | None:
    """What is wrong with a version's row beside the event that issued it (None: nothing)."""
    try:
        paragraphs = json.loads(version.meta)["text"]["paragraphs"]
        text = "\n".join(p["text"] for p in paragraphs)
    except (ValueError, KeyError, TypeError):
        return "its stored text cannot be read; the record was altered"
    if event is None:
        return "no event issued it; the version was added outside accord"
    if sha256_hex(text) != version.text_sha256 or version.text_sha256 != event.get("text_sha256"):
        return "its text does not match the hash recorded when it was issued (an unrecorded edit)"
    if version.blob_sha256 != event.get("blob"):
        return "its document is not the one recorded when it was issued"
    return None


def _verify_chain(session: Session, declaration: DeclarationRow, report: VerifyReport) -> None:
    rows = session.scalars(
        select(EventRow).where(EventRow.declaration_id == declaration.id).order_by(EventRow.seq)
    )
    prev, expected_seq = GENESIS, 1
    for row in rows:
        report.events += 1
        problem = _link_problem(row, prev, expected_seq, declaration.slug)
        if problem:
            report.problems.append(f"event {row.seq} ({row.type}): {problem}")
            return
        prev, expected_seq = row.hash, expected_seq + 1
        report.head = row.hash


def _link_problem(row: EventRow, prev: str, expected_seq: int, slug: str) -> str | None:
    """What is wrong with an event as a link of the chain after ``prev`` (None: nothing)."""
    if row.seq != expected_seq:
        return f"expected seq {expected_seq}; an event is missing or was reordered"
    if row.prev_hash != prev:
        return f"prev_hash does not link to event {row.seq - 1}; the chain was altered"
    if _row_hash(row, slug) != row.hash:
        return "hash does not match its content; the event was altered"
    return None


def _row_hash(row: EventRow, slug: str) -> str:
    """An event's hash, recomputed from its content."""
    return event_hash(
        prev_hash=row.prev_hash,
        declaration=slug,
        seq=row.seq,
        type=row.type,
        actor=row.actor,
        payload=row.payload,
        occurred_at=row.occurred_at,
    )


def _verify_blobs(session: Session, report: VerifyReport) -> None:
    for digest, data in session.execute(select(Blob.sha256, Blob.data).order_by(Blob.sha256)):
        report.blobs += 1
        if sha256_hex(data) != digest:
            report.problems.append(
                f"blob {digest[:12]}: content does not match its sha256; the document was altered"
            )
            return


def parse_anchor(anchor: str) -> tuple[int, str]:
    """An anchor as `accord verify` prints it, "SEQ:HASH" (a prefix of at least 12 hex characters will do);
    ValueError says what is wrong with it."""
    seq_text, _, prefix = anchor.partition(":")
    prefix = prefix.strip().lower()
    if (
        not seq_text.strip().isdigit()
        or len(prefix) < 12
        or any(c not in "0123456789abcdef" for c in prefix)
    ):
        raise ValueError(
            f"anchor {anchor!r} is not SEQ:HASH (an event number, a colon, at least 12 hex characters "
            "of its hash), as `accord verify` prints it"
        )
    return int(seq_text), prefix


def check_anchor(
    session: Session, declaration: DeclarationRow, seq: int, prefix: str
) -> str | None:
    """What is wrong with the log against an anchor written down earlier, or None when the log still holds that
    event with that hash."""
    row = session.scalar(
        select(EventRow).where(EventRow.declaration_id == declaration.id, EventRow.seq == seq)
    )
    if row is None:
        last = (
            session.scalar(
                select(func.max(EventRow.seq)).where(EventRow.declaration_id == declaration.id)
            )
            or 0
        )
        return f"the log ends at event {last}, but the anchor names event {seq}: events were removed from its end"
    if not row.hash.startswith(prefix):
        return f"event {seq} has the hash {row.hash[:16]}..., the anchor says {prefix[:16]}...: the log was rewritten"
    return None


def check_signatures(
    session: Session, declaration: DeclarationRow, public_key: str
) -> tuple[str | None, int]:
    """Every signed head in the log verifies against the public key: (the first problem or None, the last signed
    event's seq). A log rewritten from genesis with fresh hashes carries no valid signature."""
    events = read_events(session, declaration)
    signed = [e for e in events if e.type == SEALED and "signature" in e.payload]
    if not signed:
        return (
            f"no event of the log is signed (signatures are made by `accord archive` with the key); nothing "
            f"ties it to key {public_key[:16]}..."
        ), 0
    for event in signed:
        problem = _signature_problem(event, declaration.slug, public_key)
        if problem:
            return f"event {event.seq} ({event.type}): {problem}", 0
    return None, signed[-1].seq


def _signature_problem(event: Event, slug: str, public_key: str) -> str | None:
    """Why a sealed event's signature does not verify against the public key (None: it does)."""
    unsigned = unsigned_hash(
        prev_hash=event.prev_hash,
        declaration=slug,
        seq=event.seq,
        type=event.type,
        actor=event.actor,
        payload=event.payload,
        occurred_at=event.occurred_at,
    )
    message = head_message(slug, event.seq, unsigned)
    return signature_problem(event.payload["signature"], message, public_key)
