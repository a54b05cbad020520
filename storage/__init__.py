"""Persistence: SQLAlchemy 2 schema, content-addressed blobs, the hash-chained event log, migrations."""

from storage.blobs import DOCX
from storage.db import database_url, make_engine
from storage.migrate import upgrade
from storage.uow import Store, UnitOfWork
from storage.verify import (
    VerifyReport,
    check_anchor,
    check_signatures,
    parse_anchor,
    verify_declaration,
)

__all__ = [
    "DOCX",
    "Store",
    "UnitOfWork",
    "VerifyReport",
    "check_anchor",
    "check_signatures",
    "database_url",
    "make_engine",
    "parse_anchor",
    "upgrade",
    "verify_declaration",
]
