"""The repository's versions: values read from their rows, the aggregate with its approvals, approvals."""

from __future__ import annotations

from sqlalchemy import select

from drafting import lifecycle
from drafting.canonical import canonical_json
from drafting.errors import NotFound
from drafting.negotiation import Approval, Declaration, Version, VersionContent, VersionState
from storage.aggregates import version_from
from storage.repo_declarations import DeclarationsRepository
from storage.schema import ApprovalRow, VersionRow
from storage.values import to_version


class VersionsRepository(DeclarationsRepository):
    """Versions and their approvals inside one session."""

    def _begin(self) -> None:
        super()._begin()
        self._version_rows_by_key: dict[tuple[str, int], VersionRow] = {}  # by slug and number

    # aggregates (drafting/lifecycle.py): their state is written back by ``sync``
    def get_version(
        self, declaration: Declaration, version: Version | None = None
    ) -> lifecycle.Version:
        """A version (the current one unless one is given) as its aggregate, with its approvals."""
        value = version or self.current_version(declaration)
        row = self._version_row(value)
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Version):
            return found
        current = to_version(row, value.parent, declaration.slug)  # as the row is now
        approved = {a.party for a in self._approvals(row)}
        return self._keep(version_from(current, approved, declaration.first_language), row)

    # versions: values read from their rows (their state as read); changes go through the aggregate
    def set_version_content(
        self, version: Version, content: VersionContent, *, blob_sha256: str, text_sha256: str
    ) -> Version:
        """A version re-issued after a translation aligned its languages: its document, its text's hash and its
        content (its text may change with it)."""
        row = self._version_row(version)
        row.blob_sha256, row.text_sha256 = blob_sha256, text_sha256
        row.meta = canonical_json(content.stored())
        return to_version(row, version.parent, version.declaration)

    def add_version(
        self,
        declaration: Declaration,
        content: VersionContent,
        *,
        number: int,
        label: str,
        parent: Version | None,
        blob_sha256: str,
        text_sha256: str,
        state: VersionState,
        created_at: str,
    ) -> Version:
        """A new version (made from ``parent``, none for the zero draft)."""
        row = VersionRow(
            declaration_id=self._declaration_id(declaration),
            number=number,
            label=label,
            parent_id=None if parent is None else self._version_row(parent).id,
            blob_sha256=blob_sha256,
            text_sha256=text_sha256,
            state=state.value,
            created_at=created_at,
            meta=canonical_json(content.stored()),
        )
        self._add(row)
        self._version_rows_by_key[(declaration.slug, number)] = row
        return to_version(row, parent.label if parent else None, declaration.slug)

    def versions(self, declaration: Declaration) -> list[Version]:
        """The declaration's versions in order, the zero draft first."""
        rows = self._version_rows(declaration)
        labels = {row.id: row.label for row in rows}
        self._version_rows_by_key.update(((declaration.slug, row.number), row) for row in rows)
        return [to_version(row, labels.get(row.parent_id or 0), declaration.slug) for row in rows]

    def current_version(self, declaration: Declaration) -> Version:
        """The latest version, or NotFound."""
        versions = self.versions(declaration)
        if not versions:
            raise NotFound(f"declaration {declaration.slug!r} has no version yet")
        return versions[-1]

    def version(self, declaration: Declaration, label: str) -> Version:
        """The version by label (any case) or number, or NotFound naming those there are."""
        versions = self.versions(declaration)
        for found in versions:
            if found.label.lower() == label.lower() or str(found.number) == label:
                return found
        raise NotFound(
            f"{declaration.slug!r} has no version {label!r}; known: "
            + ", ".join(v.label for v in versions)
        )

    def _version_rows(self, declaration: Declaration) -> list[VersionRow]:
        return list(
            self.session.scalars(
                select(VersionRow)
                .where(VersionRow.declaration_id == self._declaration_id(declaration))
                .order_by(VersionRow.number)
            )
        )

    def _version_row(self, version: Version) -> VersionRow:
        """The row behind a version handed out (read again when this transaction has not seen it)."""
        key = (version.declaration, version.number)
        if key not in self._version_rows_by_key:
            self.versions(self.declaration(version.declaration))
        return self._version_rows_by_key[key]

    # approvals: values naming their party by code
    def add_approval(self, version: Version, party: str, approved_at: str) -> None:
        """A co-presidency approved a version."""
        party_row = self._party_row(self.declaration(version.declaration), party)
        row = self._version_row(version)
        self._add(ApprovalRow(version_id=row.id, party_id=party_row.id, approved_at=approved_at))

    def approvals(self, version: Version) -> list[Approval]:
        """Who approved a version, in order."""
        return self._approvals(self._version_row(version))

    def _approvals(self, version: VersionRow) -> list[Approval]:
        rows = self._approval_rows(version.id)
        codes = self._party_codes({row.party_id for row in rows})
        return [Approval(party=codes[row.party_id], approved_at=row.approved_at) for row in rows]

    def _approval_rows(self, version_id: int) -> list[ApprovalRow]:
        return list(
            self.session.scalars(
                select(ApprovalRow)
                .where(ApprovalRow.version_id == version_id)
                .order_by(ApprovalRow.id)
            )
        )
