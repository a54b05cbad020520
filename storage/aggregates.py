"""The aggregates of drafting/lifecycle.py made from their rows (a version from the value the repository hands out),
and their state written back.

The repository remembers which row each aggregate it handed out came from; ``Tracked.sync`` writes every one's
state back, before each event is recorded and at the end of the transaction, so a state change and its event
are committed together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from drafting import negotiation
from drafting.bilingual import pending_by_language, pending_note
from drafting.canonical import canonical_json
from drafting.lifecycle import Round, Silence, Version
from drafting.negotiation import RoundState, SilenceState
from storage.schema import RoundRow, SilenceRow, VersionRow


def version_from(version: negotiation.Version, approved_by: set[str], first: str = "en") -> Version:
    """A version as its aggregate: the value the repository hands out, with who approved it (``first``: the
    declaration's first language)."""
    content = version.content
    return Version(
        declaration=version.declaration,
        number=version.number,
        label=version.label,
        state=version.state,
        blob_sha256=version.blob_sha256,
        text_sha256=version.text_sha256,
        brackets=tuple((p.key, p.text) for p in content.text.bracketed()),
        approved_by=approved_by,
        pending=pending_note(content.text, pending_by_language(first, content)),
    )


def round_from(row: RoundRow, declaration: str, base_label: str) -> Round:
    """A round row as its aggregate."""
    return Round(
        declaration=declaration,
        number=row.number,
        base_version=base_label,
        state=RoundState(row.state),
        opened_at=row.opened_at,
        deadline=row.deadline,
        closed_at=row.closed_at,
    )


def silence_from(row: SilenceRow, declaration: str, label: str) -> Silence:
    """A silence row as its aggregate."""
    objection = json.loads(row.objection) if row.objection else None
    return Silence(
        declaration=declaration,
        number=row.number,
        version=label,
        text_sha256=row.text_sha256,
        until=row.until,
        state=SilenceState(row.state),
        started_at=row.started_at,
        ended_at=row.ended_at,
        objection=objection,
    )


@dataclass
class Tracked:
    """The aggregates handed out in one transaction, each with the row it came from."""

    pairs: list[tuple[Round | Version | Silence, RoundRow | VersionRow | SilenceRow]] = field(
        default_factory=list
    )

    def find(self, row: RoundRow | VersionRow | SilenceRow) -> Round | Version | Silence | None:
        """The aggregate already handed out for this row (one object per row and transaction, so that no stale
        copy writes its state back over a newer one)."""
        return next((a for a, r in self.pairs if r is row), None)

    def row_of(
        self, aggregate: Round | Version | Silence
    ) -> RoundRow | VersionRow | SilenceRow | None:
        """The row an aggregate handed out came from (None: not handed out in this transaction)."""
        return next((r for a, r in self.pairs if a is aggregate), None)

    def keep(
        self, aggregate: Round | Version | Silence, row: RoundRow | VersionRow | SilenceRow
    ) -> None:
        """Remember where an aggregate came from."""
        self.pairs.append((aggregate, row))

    def sync(self) -> None:
        """Write every aggregate's state back to its row."""
        for aggregate, row in self.pairs:
            row.state = aggregate.state.value
            if isinstance(aggregate, Round) and isinstance(row, RoundRow):
                row.closed_at, row.deadline = aggregate.closed_at, aggregate.deadline
            elif isinstance(aggregate, Silence) and isinstance(row, SilenceRow):
                row.ended_at = aggregate.ended_at
                row.objection = canonical_json(aggregate.objection) if aggregate.objection else None
