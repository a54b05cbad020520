"""Content-addressed blobs stored inside the database, written in the same transaction as their event."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, NotFound
from storage.schema import Blob

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Built once per dialect (a Core insert: the ORM's bulk path costs more than the insert itself).
_TABLE = Blob.metadata.tables[Blob.__tablename__]
_INSERT = {
    "postgresql": postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=["sha256"]),
    "sqlite": sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=["sha256"]),
}


def put_blob(session: Session, data: bytes, media_type: str = DOCX) -> str:
    """Store bytes under their sha256 (idempotent, safe under concurrent writers) and return the key."""
    digest = sha256_hex(data)
    insert = _INSERT[session.get_bind().dialect.name]
    session.execute(
        insert, {"sha256": digest, "size": len(data), "media_type": media_type, "data": data}
    )
    return digest


def get_blobs(session: Session, digests: list[str]) -> dict[str, bytes]:
    """The stored bytes of these digests (those present), unchecked: the caller compares them with their hash."""
    found: dict[str, bytes] = {}
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        found.update(
            (digest, data)
            for digest, data in session.execute(
                select(Blob.sha256, Blob.data).where(Blob.sha256.in_(chunk))
            )
        )
    return found


def all_digests(session: Session) -> list[str]:
    """The sha256 of every stored document, sorted."""
    return sorted(session.scalars(select(Blob.sha256)))


def stored_size(session: Session) -> int:
    """The bytes of all stored documents together."""
    return session.scalar(select(func.coalesce(func.sum(Blob.size), 0))) or 0


def get_blob(session: Session, digest: str, *, verify: bool = True) -> bytes:
    """Read a blob; refuse one whose bytes no longer match their hash."""
    row = session.get(Blob, digest)
    if row is None:
        raise NotFound(
            f"blob {digest[:12]} is not in the database; restore it from a backup or the archive"
        )
    if verify and sha256_hex(row.data) != digest:
        raise IntegrityError(
            f"blob {digest[:12]} does not match its hash: the stored document was altered"
        )
    return row.data
