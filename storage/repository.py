"""Reads and writes of the negotiation's entities: domain values and aggregates in, domain values and aggregates
out; the rows stay here (mapped by storage/values.py and storage/aggregates.py)."""

from __future__ import annotations

from drafting.negotiation import Declaration
from storage.repo_artifacts import ArtifactsRepository
from storage.repo_silences import SilencesRepository
from storage.schema import DeclarationRow


def declaration_row(repo: Repository, declaration: Declaration) -> DeclarationRow:
    """The row behind a declaration, for storage's own modules (the event log, verify, the outbox)."""
    return repo._declaration_row(declaration)


class Repository(ArtifactsRepository, SilencesRepository):
    """Entity access inside one session (one transaction); the unit of work owns commit and retry."""
