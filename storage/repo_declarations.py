"""The repository's base: one transaction's memory of rows and aggregates, and the declarations and their
parties (storage/repository.py assembles the whole Repository)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from drafting import lifecycle
from drafting.errors import NotFound
from drafting.negotiation import Declaration, Party
from storage.aggregates import Tracked
from storage.schema import Base, DeclarationRow, PartyRow, RoundRow, SilenceRow, VersionRow
from storage.values import to_declaration, to_party

A = TypeVar("A", lifecycle.Round, lifecycle.Version, lifecycle.Silence)

# Statements every submission runs, built once: building a select costs about as much as running it.
_DECLARATION = select(DeclarationRow).where(DeclarationRow.slug == bindparam("slug"))
_PARTY = select(PartyRow).where(
    PartyRow.declaration_id == bindparam("declaration"), PartyRow.code == bindparam("code")
)


class DeclarationsRepository:
    """Declarations and parties inside one session, and what every part of the repository shares: the
    session, the aggregates handed out, new rows."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._begin()

    def _begin(self) -> None:
        """What one transaction remembers: the aggregates handed out (their state is written back by ``sync``)
        and the rows behind the values handed out (so that using a value costs no second read); each part of the
        repository adds its own."""
        self.tracked = Tracked()
        self._declarations: dict[str, DeclarationRow] = {}  # by slug
        self._parties: dict[tuple[str, str], PartyRow] = {}  # by slug and code
        self._party_codes_by_id: dict[int, str] = {}

    def sync(self) -> None:
        """Write the state of every aggregate handed out back to its row."""
        self.tracked.sync()

    def _keep(self, aggregate: A, row: RoundRow | VersionRow | SilenceRow) -> A:
        self.tracked.keep(aggregate, row)
        return aggregate

    def _add(self, row: Base) -> None:
        """A new row in this transaction, its id assigned."""
        self.session.add(row)
        self.session.flush()

    # declarations and parties
    def add_declaration(
        self, declaration: Declaration, created_at: str, *, symbol_recorded: bool = True
    ) -> Declaration:
        """A new declaration; ``symbol_recorded`` False only when replaying a log from before symbols (NULL)."""
        row = DeclarationRow(
            slug=declaration.slug,
            title=declaration.title,
            languages=",".join(declaration.languages),
            timezone=declaration.timezone,
            symbol=declaration.symbol if symbol_recorded else None,
            created_at=created_at,
        )
        self.session.add(row)
        self.session.flush()
        self._declarations[row.slug] = row
        return to_declaration(row)

    def find_declaration(self, slug: str) -> Declaration | None:
        """The declaration, or None when there is none by that slug."""
        row = self._declaration_row_by_slug(slug)
        return None if row is None else to_declaration(row)

    def declaration(self, slug: str) -> Declaration:
        """The declaration, or NotFound in words."""
        found = self.find_declaration(slug)
        if found is None:
            raise NotFound(
                f"declaration {slug!r} does not exist; create it with `accord declaration create`"
            )
        return found

    def all_declarations(self) -> list[Declaration]:
        """Every declaration, by slug."""
        rows = list(self.session.scalars(select(DeclarationRow).order_by(DeclarationRow.slug)))
        self._declarations.update((row.slug, row) for row in rows)
        return [to_declaration(row) for row in rows]

    def _find_declaration_row(self, slug: str) -> DeclarationRow | None:
        return self.session.scalar(_DECLARATION, {"slug": slug})

    def _declaration_row_by_slug(self, slug: str) -> DeclarationRow | None:
        """The row by slug, remembered for this transaction once found."""
        row = self._declarations.get(slug) or self._find_declaration_row(slug)
        if row is not None:
            self._declarations[slug] = row
        return row

    def _declaration_row(self, declaration: Declaration) -> DeclarationRow:
        """The row behind a declaration handed out (looked up again for one made elsewhere)."""
        row = self._declaration_row_by_slug(declaration.slug)
        if row is None:
            raise NotFound(f"declaration {declaration.slug!r} does not exist")
        return row

    def _declaration_id(self, declaration: Declaration) -> int:
        return self._declaration_row(declaration).id

    def add_party(self, declaration: Declaration, party: Party) -> None:
        """A party to the declaration."""
        row = PartyRow(
            declaration_id=self._declaration_id(declaration),
            code=party.code,
            name=party.name,
            bloc=party.bloc.value,
            role=party.role.value,
            email=party.email,
            language=party.language,
        )
        self._add(row)
        self._remember_party(declaration.slug, row)

    def parties(self, declaration: Declaration) -> list[Party]:
        """The declaration's parties by code."""
        return [to_party(row) for row in self._party_rows(declaration)]

    def party_roles(self, slug: str) -> dict[str, str]:
        """Each party's code and role in a declaration (none when there is no such declaration): what an
        authorization asks, read as two columns (the rows of 195 parties cost a page ~1.5 ms)."""
        rows = self.session.execute(
            select(PartyRow.code, PartyRow.role)
            .join(DeclarationRow, PartyRow.declaration_id == DeclarationRow.id)
            .where(DeclarationRow.slug == slug)
        )
        return {code: role for code, role in rows}

    def party(self, declaration: Declaration, code: str) -> Party:
        """One party, or NotFound in words."""
        return to_party(self._party_row(declaration, code))

    def _party_rows(self, declaration: Declaration) -> list[PartyRow]:
        rows = self._find_party_rows(declaration)
        for row in rows:
            self._remember_party(declaration.slug, row)
        return rows

    def _party_row(self, declaration: Declaration, code: str) -> PartyRow:
        row = self._parties.get((declaration.slug, code)) or self._find_party_row(declaration, code)
        if row is None:
            raise NotFound(
                f"party {code!r} is not a party to {declaration.slug!r}; check the code in `accord status {declaration.slug}`"
            )
        self._remember_party(declaration.slug, row)
        return row

    def _party_codes(self, ids: set[int]) -> dict[int, str]:
        """Party codes by row id: those this transaction has seen, the others read in one query."""
        missing = ids - self._party_codes_by_id.keys()
        if missing:
            self._party_codes_by_id.update(self._find_party_codes(missing))
        return {i: self._party_codes_by_id[i] for i in ids}

    def _remember_party(self, slug: str, row: PartyRow) -> None:
        self._parties[(slug, row.code)] = row
        self._party_codes_by_id[row.id] = row.code

    def _find_party_rows(self, declaration: Declaration) -> list[PartyRow]:
        return list(
            self.session.scalars(
                select(PartyRow)
                .where(PartyRow.declaration_id == self._declaration_id(declaration))
                .order_by(PartyRow.code)
            )
        )

    def _find_party_row(self, declaration: Declaration, code: str) -> PartyRow | None:
        return self.session.scalar(
            _PARTY, {"declaration": self._declaration_id(declaration), "code": code}
        )

    def _find_party_codes(self, ids: set[int]) -> dict[int, str]:
        found = self.session.execute(
            select(PartyRow.id, PartyRow.code).where(PartyRow.id.in_(sorted(ids)))
        )
        return {party_id: code for party_id, code in found}
