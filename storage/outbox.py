"""The outbox: what accord owes each party after a commit (a round's copy, a compilation, a circulation, a
reminder), one row per party, settled with how it went once it has gone.

A sending is owed in the same transaction that makes it necessary (or, at the latest, before its first letter
goes), so a crash after the commit leaves it owed rather than forgotten; `accord tick` and `accord serve` finish
it, each party's row settled in its own transaction: a party reached before the crash is not sent to again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from drafting.canonical import canonical_json
from drafting.negotiation import Declaration
from storage.repository import Repository, declaration_row
from storage.schema import Base


class OutboxRow(Base):
    """One party's share of one sending: owed until ``outcome`` is set."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("declaration_id", "kind", "key", "party", name="uq_outbox_sending_party"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    # the event recorded once every party is settled (a silence's notice, which no event closes: the
    # accord.silence.started whose notice it is)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(
        String(200)
    )  # canonical JSON of that event's key, e.g. {"round":3}
    party: Mapped[str] = mapped_column(String(40))
    owed_at: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(
        Text, nullable=True
    )  # mailed | outbox only (...) | failed: ...
    settled_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


@dataclass(frozen=True)
class Owed:
    """One party's share of a sending, and how it went (None: still owed)."""

    declaration: str
    kind: str
    key: dict[str, Any]
    party: str
    outcome: str | None


class Outbox:
    """The outbox rows of one transaction."""

    def __init__(self, session: Session, repo: Repository) -> None:
        self.session = session
        self.repo = repo

    def _id(self, declaration: Declaration) -> int:
        return declaration_row(self.repo, declaration).id

    def owe(
        self,
        declaration: Declaration,
        kind: str,
        key: dict[str, Any],
        parties: Iterable[str],
        at: str,
    ) -> None:
        """Record that each party is owed this sending (a party already owed it is left as it is)."""
        known = {o.party for o in self.sending(declaration, kind, key)}
        for party in sorted(set(parties) - known):
            self.session.add(
                OutboxRow(
                    declaration_id=self._id(declaration),
                    kind=kind,
                    key=canonical_json(key),
                    party=party,
                    owed_at=at,
                )
            )
        self.session.flush()

    def sending(self, declaration: Declaration, kind: str, key: dict[str, Any]) -> list[Owed]:
        """Every party's share of one sending."""
        rows = self.session.scalars(
            select(OutboxRow)
            .where(
                OutboxRow.declaration_id == self._id(declaration),
                OutboxRow.kind == kind,
                OutboxRow.key == canonical_json(key),
            )
            .order_by(OutboxRow.party)
        )
        return [_owed(row, declaration.slug) for row in rows]

    def of_kind(self, declaration: Declaration, kind: str) -> list[Owed]:
        """Every share of every sending of one kind (each key, settled or not), in the order they were owed."""
        rows = self.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.declaration_id == self._id(declaration), OutboxRow.kind == kind)
            .order_by(OutboxRow.id)
        )
        return [_owed(row, declaration.slug) for row in rows]

    def unsettled(self, declaration: Declaration) -> list[Owed]:
        """Every share still owed, in the order they were owed."""
        rows = self.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.declaration_id == self._id(declaration), OutboxRow.outcome.is_(None))
            .order_by(OutboxRow.id)
        )
        return [_owed(row, declaration.slug) for row in rows]

    def settle(
        self,
        declaration: Declaration,
        kind: str,
        key: dict[str, Any],
        party: str,
        outcome: str,
        at: str,
    ) -> bool:
        """Record how one party's share went; False when it was already settled (another sender was first)."""
        row = self.session.scalar(
            select(OutboxRow).where(
                OutboxRow.declaration_id == self._id(declaration),
                OutboxRow.kind == kind,
                OutboxRow.key == canonical_json(key),
                OutboxRow.party == party,
            )
        )
        if row is None or row.outcome is not None:
            return False
        row.outcome, row.settled_at = outcome, at
        return True


def _owed(row: OutboxRow, slug: str) -> Owed:
    return Owed(
        declaration=slug,
        kind=row.kind,
        key=json.loads(row.key),
        party=row.party,
        outcome=row.outcome,
    )
