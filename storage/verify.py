"""Recompute the event chain and every blob's hash; name the first thing that does not verify."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.canonical import GENESIS, event_hash, sha256_hex
from storage.schema import Blob, DeclarationRow, EventRow, VersionRow

_ISSUING = ("accord.version.issued", "accord.version.edited")


@dataclass
class VerifyReport:
    """What verify checked and the first problem it found, if any."""

    events: int = 0
    blobs: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_declaration(session: Session, declaration: DeclarationRow, *, blobs: bool = True) -> VerifyReport:
    """Check the declaration's chain (seq contiguous, prev_hash links, hashes), its versions against the events
    that issued them and, unless told not to, every blob in the database."""
    report = VerifyReport()
    _verify_chain(session, declaration, report)
    if report.ok:
        _verify_versions(session, declaration, report)
    if report.ok and blobs:
        _verify_blobs(session, report)
    return report


def _verify_versions(session: Session, declaration: DeclarationRow, report: VerifyReport) -> None:
    """Each version's stored text hashes to what its row and the event that issued it recorded."""
    issued: dict[str, dict[str, object]] = {}
    for row in session.scalars(
        select(EventRow).where(EventRow.declaration_id == declaration.id, EventRow.type.in_(_ISSUING))
    ):
        payload = json.loads(row.payload)
        issued[str(payload.get("version"))] = payload
    versions = session.scalars(
        select(VersionRow).where(VersionRow.declaration_id == declaration.id).order_by(VersionRow.number)
    )
    for version in versions:
        where = f"version {version.label}"
        try:
            paragraphs = json.loads(version.meta)["text"]["paragraphs"]
            text = "\n".join(p["text"] for p in paragraphs)
        except (ValueError, KeyError, TypeError):
            report.problems.append(f"{where}: its stored text cannot be read; the record was altered")
            return
        event = issued.get(version.label)
        if event is None:
            report.problems.append(f"{where}: no event issued it; the version was added outside accord")
            return
        if sha256_hex(text) != version.text_sha256 or version.text_sha256 != event.get("text_sha256"):
            report.problems.append(f"{where}: its text does not match the hash recorded when it was issued "
                                   "(an unrecorded edit)")
            return
        if version.blob_sha256 != event.get("blob"):
            report.problems.append(f"{where}: its document is not the one recorded when it was issued")
            return


def _verify_chain(session: Session, declaration: DeclarationRow, report: VerifyReport) -> None:
    rows = session.scalars(
        select(EventRow).where(EventRow.declaration_id == declaration.id).order_by(EventRow.seq)
    )
    prev, expected_seq = GENESIS, 1
    for row in rows:
        report.events += 1
        where = f"event {row.seq} ({row.type})"
        if row.seq != expected_seq:
            report.problems.append(f"{where}: expected seq {expected_seq}; an event is missing or was reordered")
            return
        if row.prev_hash != prev:
            report.problems.append(f"{where}: prev_hash does not link to event {row.seq - 1}; the chain was altered")
            return
        digest = event_hash(
            prev_hash=row.prev_hash,
            declaration=declaration.slug,
            seq=row.seq,
            type=row.type,
            actor=row.actor,
            payload=row.payload,
            occurred_at=row.occurred_at,
        )
        if digest != row.hash:
            report.problems.append(f"{where}: hash does not match its content; the event was altered")
            return
        prev, expected_seq = row.hash, expected_seq + 1


def _verify_blobs(session: Session, report: VerifyReport) -> None:
    for digest, data in session.execute(select(Blob.sha256, Blob.data).order_by(Blob.sha256)):
        report.blobs += 1
        if sha256_hex(data) != digest:
            report.problems.append(f"blob {digest[:12]}: content does not match its sha256; the document was altered")
            return
