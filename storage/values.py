"""Rows as the domain values the repository hands out (drafting/negotiation.py): explicit functions, one per
table, references by label, code and number rather than by row id."""

from __future__ import annotations

import json

from drafting.negotiation import (
    Artifact,
    Bloc,
    Decision,
    Declaration,
    Party,
    Role,
    Submission,
    SubmissionFlag,
    SubmissionSummary,
    Version,
    VersionState,
)
from storage.schema import (
    ArtifactRow,
    DecisionRow,
    DeclarationRow,
    PartyRow,
    SubmissionRow,
    VersionRow,
)


def to_declaration(row: DeclarationRow) -> Declaration:
    """A declaration row as its value (``identified``: its creation recorded a symbol)."""
    return Declaration(
        slug=row.slug,
        title=row.title,
        languages=row.languages.split(","),
        timezone=row.timezone,
        symbol=row.symbol or "",
        created_at=row.created_at,
        identified=row.symbol is not None,
    )


def to_party(row: PartyRow) -> Party:
    """A party row as its value."""
    return Party(
        code=row.code,
        name=row.name,
        bloc=Bloc(row.bloc),
        role=Role(row.role),
        email=row.email,
        language=row.language,
    )


def to_version(row: VersionRow, parent_label: str | None, declaration: str) -> Version:
    """A version row as its value, its parent named by label; its content is parsed when first read."""
    return Version(
        number=row.number,
        label=row.label,
        blob_sha256=row.blob_sha256,
        text_sha256=row.text_sha256,
        state=VersionState(row.state),
        created_at=row.created_at,
        parent=parent_label,
        declaration=declaration,
        stored=row.meta,
    )


def to_decision(row: DecisionRow, party: str) -> Decision:
    """A decision row as its value, naming its party by code."""
    return Decision(
        party=party,
        blob_sha256=row.blob_sha256,
        decisions=json.loads(row.decisions),
        received_at=row.received_at,
        status=row.status,
    )


def to_submission(row: SubmissionRow, round_number: int, party_code: str) -> Submission:
    """A submission row as its value, naming its round by number and its party by code."""
    return Submission(
        id=row.number,
        round=round_number,
        party=party_code,
        blob_sha256=row.blob_sha256,
        filename=row.filename,
        received_at=row.received_at,
        status=row.status,
        late=row.late,
        flags=tuple(SubmissionFlag.model_validate(f) for f in json.loads(row.flags)),
        summary=SubmissionSummary.model_validate_json(row.summary),
    )


def to_artifact(row: ArtifactRow, round_number: int | None, version_number: int | None) -> Artifact:
    """An artifact row as its value, naming its round and version by number."""
    return Artifact(
        kind=row.kind,
        name=row.name,
        blob_sha256=row.blob_sha256,
        created_at=row.created_at,
        round=round_number,
        version=version_number,
    )
