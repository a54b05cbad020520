"""Content-addressed blobs stored inside the database, written in the same transaction as their event."""

from __future__ import annotations

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
    session.execute(insert, {"sha256": digest, "size": len(data), "media_type": media_type, "data": data})
    return digest


def get_blob(session: Session, digest: str, *, verify: bool = True) -> bytes:
    """Read a blob; refuse one whose bytes no longer match their hash."""
    row = session.get(Blob, digest)
    if row is None:
        raise NotFound(f"blob {digest[:12]} is not in the database; restore it from a backup or the archive")
    if verify and sha256_hex(row.data) != digest:
        raise IntegrityError(f"blob {digest[:12]} does not match its hash: the stored document was altered")
    return row.data
