"""The repository's artifacts: documents made from the record, kept with their round or version."""

from __future__ import annotations

from sqlalchemy import select

from drafting.negotiation import Artifact, Declaration
from storage.repo_rounds import RoundsRepository
from storage.schema import ArtifactRow, RoundRow, VersionRow
from storage.values import to_artifact


class ArtifactsRepository(RoundsRepository):
    """Artifacts inside one session."""

    def add_artifact(self, declaration: Declaration, artifact: Artifact) -> None:
        """Keep a document made from the record, with its round or version (by number)."""
        self.session.add(
            ArtifactRow(
                declaration_id=self._declaration_id(declaration),
                round_id=None
                if artifact.round is None
                else self._round_row(self.round(declaration, artifact.round)).id,
                version_id=None
                if artifact.version is None
                else self._version_number_id(declaration, artifact.version),
                kind=artifact.kind,
                name=artifact.name,
                blob_sha256=artifact.blob_sha256,
                created_at=artifact.created_at,
            )
        )
        self.session.flush()

    def artifacts(self, declaration: Declaration, *, kind: str | None = None) -> list[Artifact]:
        """The declaration's documents made from the record (of one kind), in the order they were made."""
        query = (
            select(ArtifactRow, RoundRow.number, VersionRow.number)
            .outerjoin(RoundRow, RoundRow.id == ArtifactRow.round_id)
            .outerjoin(VersionRow, VersionRow.id == ArtifactRow.version_id)
            .where(ArtifactRow.declaration_id == self._declaration_id(declaration))
        )
        if kind:
            query = query.where(ArtifactRow.kind == kind)
        return [
            to_artifact(row, round_number, version_number)
            for row, round_number, version_number in self.session.execute(
                query.order_by(ArtifactRow.id)
            )
        ]

    def _version_number_id(self, declaration: Declaration, number: int) -> int:
        return self._version_row(self.version(declaration, str(number))).id
