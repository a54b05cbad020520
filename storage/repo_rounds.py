"""The repository's rounds (their aggregates) and what is received in them: submissions and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, select

from drafting import lifecycle
from drafting.canonical import canonical_json
from drafting.errors import NotFound
from drafting.negotiation import Decision, Declaration, Submission
from storage.aggregates import round_from
from storage.repo_versions import VersionsRepository
from storage.schema import DecisionRow, RoundRow, SubmissionRow, VersionRow
from storage.values import to_decision, to_submission

if TYPE_CHECKING:
    from drafting.intake import Received

# Statements every submission runs, built once: building a select costs about as much as running it.
_ROUNDS = (
    select(RoundRow, VersionRow.label)
    .join(VersionRow, VersionRow.id == RoundRow.base_version_id)
    .where(RoundRow.declaration_id == bindparam("declaration"))
    .order_by(RoundRow.number)
)
_PARTY_SUBMISSIONS = (
    select(SubmissionRow)
    .where(
        SubmissionRow.round_id == bindparam("round"), SubmissionRow.party_id == bindparam("party")
    )
    .order_by(SubmissionRow.id)
)
_SUBMISSION_COUNT = (
    select(func.count())
    .select_from(SubmissionRow)
    .join(RoundRow, RoundRow.id == SubmissionRow.round_id)
    .where(RoundRow.declaration_id == bindparam("declaration"))
)


class RoundsRepository(VersionsRepository):
    """Rounds, submissions and decisions inside one session."""

    def _begin(self) -> None:
        super()._begin()
        self._party_submission_rows: dict[tuple[int, int], list[SubmissionRow]] = {}

    # rounds: handed out as their aggregates (drafting.lifecycle.Round), one object per row and transaction
    def add_round(self, declaration: Declaration, opened: lifecycle.Round) -> None:
        """A round just opened; its later changes are written back by ``sync``."""
        row = RoundRow(
            declaration_id=self._declaration_id(declaration),
            number=opened.number,
            state=opened.state.value,
            base_version_id=self._version_row(self.version(declaration, opened.base_version)).id,
            opened_at=opened.opened_at,
            deadline=opened.deadline,
        )
        self._add(row)
        self.tracked.keep(opened, row)

    def rounds(self, declaration: Declaration) -> list[lifecycle.Round]:
        """The declaration's rounds in order."""
        return [
            self._round(declaration.slug, row, base) for row, base in self._round_rows(declaration)
        ]

    def latest_round(self, declaration: Declaration) -> lifecycle.Round | None:
        """The latest round, or None before the first."""
        rounds = self.rounds(declaration)
        return rounds[-1] if rounds else None

    def round(self, declaration: Declaration, number: int) -> lifecycle.Round:
        """Round ``number``, or NotFound."""
        for found in self.rounds(declaration):
            if found.number == number:
                return found
        raise NotFound(f"{declaration.slug!r} has no round {number}")

    def _round_rows(self, declaration: Declaration) -> list[tuple[RoundRow, str]]:
        """Each round's row with its base version's label."""
        found = self.session.execute(_ROUNDS, {"declaration": self._declaration_id(declaration)})
        return [(row, label) for row, label in found]

    def _round(self, slug: str, row: RoundRow, base: str) -> lifecycle.Round:
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Round):
            return found
        return self._keep(round_from(row, slug, base), row)

    def _round_row(self, handed_out: lifecycle.Round) -> RoundRow:
        row = self.tracked.row_of(handed_out)
        assert isinstance(row, RoundRow), "a round the repository did not hand out"
        return row

    # submissions and decisions: values naming their party by code
    def add_submission(self, round: lifecycle.Round, received: Received) -> Submission:
        """A party's file for a round, numbered within the declaration; it supersedes the party's earlier ones."""
        round_row = self._round_row(round)
        party_row = self._party_row(self.declaration(round.declaration), received.party)
        for earlier in self._submission_rows(round_row.id, party_row.id):
            earlier.status = "superseded"
        row = SubmissionRow(
            round_id=round_row.id,
            party_id=party_row.id,
            number=1 + self._submission_count(round_row.declaration_id),
            blob_sha256=received.blob_sha256,
            filename=received.filename,
            received_at=received.received_at,
            status="current",
            late=received.late,
            flags=canonical_json([f.model_dump() for f in received.flags]),
            summary=canonical_json(received.summary.model_dump()),
        )
        self._add(row)
        self._party_submission_rows[(round_row.id, party_row.id)].append(row)
        return to_submission(row, round.number, received.party)

    def _submission_count(self, declaration_id: int) -> int:
        return self.session.scalar(_SUBMISSION_COUNT, {"declaration": declaration_id}) or 0

    def submissions(
        self, round: lifecycle.Round, *, current_only: bool = False
    ) -> list[Submission]:
        """A round's submissions in the order received (only the current ones: none superseded)."""
        rows = self._round_submission_rows(self._round_row(round).id, current_only=current_only)
        codes = self._party_codes({row.party_id for row in rows})
        return [to_submission(row, round.number, codes[row.party_id]) for row in rows]

    def _round_submission_rows(self, round_id: int, *, current_only: bool) -> list[SubmissionRow]:
        query = select(SubmissionRow).where(SubmissionRow.round_id == round_id)
        if current_only:
            query = query.where(SubmissionRow.status == "current")
        return list(self.session.scalars(query.order_by(SubmissionRow.id)))

    def party_submissions(self, round: lifecycle.Round, party: str) -> list[Submission]:
        """One party's submissions in a round, in the order received."""
        party_row = self._party_row(self.declaration(round.declaration), party)
        return [
            to_submission(row, round.number, party)
            for row in self._submission_rows(self._round_row(round).id, party_row.id)
        ]

    def _submission_rows(self, round_id: int, party_id: int) -> list[SubmissionRow]:
        """A party's submission rows in a round, read once per transaction (add_submission appends)."""
        key = (round_id, party_id)
        if key not in self._party_submission_rows:
            self._party_submission_rows[key] = self._find_submission_rows(round_id, party_id)
        return self._party_submission_rows[key]

    def _find_submission_rows(self, round_id: int, party_id: int) -> list[SubmissionRow]:
        return list(
            self.session.scalars(_PARTY_SUBMISSIONS, {"round": round_id, "party": party_id})
        )

    def add_decision(self, round: lifecycle.Round, decision: Decision) -> None:
        """A co-presidency's decisions on a round; they supersede its earlier ones."""
        round_row = self._round_row(round)
        party_row = self._party_row(self.declaration(round.declaration), decision.party)
        for earlier in self._decision_rows(round_row.id, current_only=True):
            if earlier.party_id == party_row.id:
                earlier.status = "superseded"
        self._add(
            DecisionRow(
                round_id=round_row.id,
                party_id=party_row.id,
                blob_sha256=decision.blob_sha256,
                decisions=canonical_json(decision.decisions),
                received_at=decision.received_at,
                status=decision.status,
            )
        )

    def decisions(self, round: lifecycle.Round, *, current_only: bool = True) -> list[Decision]:
        """A round's decisions in the order received (only the current ones unless told)."""
        rows = self._decision_rows(self._round_row(round).id, current_only=current_only)
        codes = self._party_codes({row.party_id for row in rows})
        return [to_decision(row, codes[row.party_id]) for row in rows]

    def _decision_rows(self, round_id: int, *, current_only: bool) -> list[DecisionRow]:
        query = select(DecisionRow).where(DecisionRow.round_id == round_id)
        if current_only:
            query = query.where(DecisionRow.status == "current")
        return list(self.session.scalars(query.order_by(DecisionRow.id)))
