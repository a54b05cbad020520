"""The repository's silence procedures, handed out as their aggregates."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting import lifecycle
from drafting.negotiation import Declaration, Version
from storage.aggregates import silence_from
from storage.repo_versions import VersionsRepository
from storage.schema import SilenceRow, VersionRow


class SilencesRepository(VersionsRepository):
    """Silence procedures inside one session."""

    def next_silence_number(self, declaration: Declaration) -> int:
        """Silences are numbered 1, 2 ... within their declaration."""
        return 1 + (
            self.session.scalar(
                select(func.count())
                .select_from(SilenceRow)
                .join(VersionRow, VersionRow.id == SilenceRow.version_id)
                .where(VersionRow.declaration_id == self._declaration_id(declaration))
            )
            or 0
        )

    def add_silence(self, declaration: Declaration, silence: lifecycle.Silence) -> None:
        """A silence procedure just started; its later changes are written back by ``sync``."""
        row = SilenceRow(
            number=silence.number,
            version_id=self._version_row(self.version(declaration, silence.version)).id,
            text_sha256=silence.text_sha256,
            until=silence.until,
            state=silence.state.value,
            started_at=silence.started_at,
        )
        self._add(row)
        self.tracked.keep(silence, row)

    def silences(self, version: Version) -> list[lifecycle.Silence]:
        """The silence procedures on a version, in order, as their aggregates."""
        return [
            self._silence(version, row) for row in self._silence_rows(self._version_row(version).id)
        ]

    def _silence_rows(self, version_id: int) -> list[SilenceRow]:
        return list(
            self.session.scalars(
                select(SilenceRow)
                .where(SilenceRow.version_id == version_id)
                .order_by(SilenceRow.id)
            )
        )

    def _silence(self, version: Version, row: SilenceRow) -> lifecycle.Silence:
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Silence):
            return found
        return self._keep(silence_from(row, version.declaration, version.label), row)
