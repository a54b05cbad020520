"""Reads and writes of the negotiation's entities; rows become domain values through the ``to_*`` functions."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from drafting import lifecycle
from drafting.canonical import canonical_json
from drafting.errors import NotFound
from drafting.negotiation import (
    Bloc,
    Declaration,
    Party,
    Role,
    Round,
    RoundState,
    Submission,
    Version,
    VersionContent,
    VersionState,
)
from storage.aggregates import Tracked, round_from, silence_from, version_from
from storage.schema import (
    ApprovalRow,
    ArtifactRow,
    DecisionRow,
    DeclarationRow,
    PartyRow,
    RoundRow,
    SilenceRow,
    SubmissionRow,
    VersionRow,
)


def to_declaration(row: DeclarationRow) -> Declaration:
    return Declaration(
        slug=row.slug,
        title=row.title,
        languages=row.languages.split(","),
        timezone=row.timezone,
        symbol=row.symbol or "",
    )


def to_party(row: PartyRow) -> Party:
    return Party(
        code=row.code,
        name=row.name,
        bloc=Bloc(row.bloc),
        role=Role(row.role),
        email=row.email,
        language=row.language,
    )


def to_version(row: VersionRow, parent_label: str | None = None) -> Version:
    return Version(
        number=row.number,
        label=row.label,
        blob_sha256=row.blob_sha256,
        text_sha256=row.text_sha256,
        state=VersionState(row.state),
        created_at=row.created_at,
        parent=parent_label,
        meta=json.loads(row.meta),
    )


def version_content(row: VersionRow) -> VersionContent:
    """What a version holds besides its document, typed."""
    return VersionContent.model_validate_json(row.meta)


def to_round(row: RoundRow, base_label: str) -> Round:
    return Round(
        number=row.number,
        base_version=base_label,
        state=RoundState(row.state),
        opened_at=row.opened_at,
        deadline=row.deadline,
        closed_at=row.closed_at,
    )


def to_submission(row: SubmissionRow, round_number: int, party_code: str) -> Submission:
    return Submission(
        id=row.number,
        round=round_number,
        party=party_code,
        blob_sha256=row.blob_sha256,
        filename=row.filename,
        received_at=row.received_at,
        status=row.status,
        late=row.late,
        flags=json.loads(row.flags),
        summary=json.loads(row.summary),
    )


A = TypeVar("A", lifecycle.Round, lifecycle.Version, lifecycle.Silence)

# Statements every submission runs, built once: building a select costs about as much as running it.
_DECLARATION = select(DeclarationRow).where(DeclarationRow.slug == bindparam("slug"))
_PARTY = select(PartyRow).where(
    PartyRow.declaration_id == bindparam("declaration"), PartyRow.code == bindparam("code")
)
_ROUNDS = (
    select(RoundRow)
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


class Repository:
    """Entity access inside one session (one transaction); the unit of work owns commit and retry."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tracked = Tracked()

    # aggregates (drafting/lifecycle.py): their state is written back by ``sync``
    def get_version(
        self, declaration: DeclarationRow, row: VersionRow | None = None
    ) -> lifecycle.Version:
        """A version (the current one unless a row is given) as its aggregate, with its approvals."""
        row = row or self.current_version(declaration)
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Version):
            return found
        approved = {self.party_by_id(a.party_id).code for a in self.approvals(row)}
        return self._keep(
            version_from(row, declaration.slug, approved, declaration.languages.split(",")[0]), row
        )

    def get_round(self, declaration: DeclarationRow, row: RoundRow) -> lifecycle.Round:
        """A round as its aggregate."""
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Round):
            return found
        return self._keep(
            round_from(row, declaration.slug, self.version_by_id(row.base_version_id).label), row
        )

    def get_latest_round(self, declaration: DeclarationRow) -> lifecycle.Round | None:
        """The latest round as its aggregate, or None before the first."""
        row = self.latest_round(declaration)
        return self.get_round(declaration, row) if row is not None else None

    def get_silence(self, declaration: DeclarationRow, row: SilenceRow) -> lifecycle.Silence:
        """A silence procedure as its aggregate."""
        found = self.tracked.find(row)
        if isinstance(found, lifecycle.Silence):
            return found
        return self._keep(
            silence_from(row, declaration.slug, self.version_by_id(row.version_id).label), row
        )

    def sync(self) -> None:
        """Write the state of every aggregate handed out back to its row."""
        self.tracked.sync()

    def _keep(self, aggregate: A, row: RoundRow | VersionRow | SilenceRow) -> A:
        self.tracked.keep(aggregate, row)
        return aggregate

    # declarations and parties
    def add_declaration(
        self, declaration: Declaration, created_at: str, *, symbol_recorded: bool = True
    ) -> DeclarationRow:
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
        return row

    def find_declaration(self, slug: str) -> DeclarationRow | None:
        return self.session.scalar(_DECLARATION, {"slug": slug})

    def declaration(self, slug: str) -> DeclarationRow:
        row = self.find_declaration(slug)
        if row is None:
            raise NotFound(
                f"declaration {slug!r} does not exist; create it with `accord declaration create`"
            )
        return row

    def all_declarations(self) -> list[DeclarationRow]:
        return list(self.session.scalars(select(DeclarationRow).order_by(DeclarationRow.slug)))

    def add_party(self, declaration: DeclarationRow, party: Party) -> PartyRow:
        row = PartyRow(
            declaration_id=declaration.id,
            code=party.code,
            name=party.name,
            bloc=party.bloc.value,
            role=party.role.value,
            email=party.email,
            language=party.language,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def parties(self, declaration: DeclarationRow) -> list[PartyRow]:
        return list(
            self.session.scalars(
                select(PartyRow)
                .where(PartyRow.declaration_id == declaration.id)
                .order_by(PartyRow.code)
            )
        )

    def party_roles(self, slug: str) -> dict[str, str]:
        """Each party's code and role in a declaration (none when there is no such declaration): what an
        authorization asks, read as two columns (the rows of 195 parties cost a page ~1.5 ms)."""
        rows = self.session.execute(
            select(PartyRow.code, PartyRow.role)
            .join(DeclarationRow, PartyRow.declaration_id == DeclarationRow.id)
            .where(DeclarationRow.slug == slug)
        )
        return {code: role for code, role in rows}

    def party(self, declaration: DeclarationRow, code: str) -> PartyRow:
        row = self.session.scalar(_PARTY, {"declaration": declaration.id, "code": code})
        if row is None:
            raise NotFound(
                f"party {code!r} is not a party to {declaration.slug!r}; check the code in `accord status {declaration.slug}`"
            )
        return row

    def party_by_id(self, party_id: int) -> PartyRow:
        row = self.session.get(PartyRow, party_id)
        assert row is not None
        return row

    # versions
    def set_version_content(self, row: VersionRow, content: VersionContent) -> None:
        """A version's content after a translation aligned its languages (its text may change with it)."""
        row.meta = canonical_json(content.stored())

    def add_version(
        self, declaration: DeclarationRow, content: VersionContent, **fields: Any
    ) -> VersionRow:
        row = VersionRow(
            declaration_id=declaration.id, meta=canonical_json(content.stored()), **fields
        )
        self.session.add(row)
        self.session.flush()
        return row

    def versions(self, declaration: DeclarationRow) -> list[VersionRow]:
        return list(
            self.session.scalars(
                select(VersionRow)
                .where(VersionRow.declaration_id == declaration.id)
                .order_by(VersionRow.number)
            )
        )

    def current_version(self, declaration: DeclarationRow) -> VersionRow:
        versions = self.versions(declaration)
        if not versions:
            raise NotFound(f"declaration {declaration.slug!r} has no version yet")
        return versions[-1]

    def version(self, declaration: DeclarationRow, label: str) -> VersionRow:
        for row in self.versions(declaration):
            if row.label.lower() == label.lower() or str(row.number) == label:
                return row
        raise NotFound(
            f"{declaration.slug!r} has no version {label!r}; known: "
            + ", ".join(v.label for v in self.versions(declaration))
        )

    def version_by_id(self, version_id: int) -> VersionRow:
        row = self.session.get(VersionRow, version_id)
        assert row is not None
        return row

    # rounds
    def add_round(self, declaration: DeclarationRow, opened: lifecycle.Round) -> RoundRow:
        row = RoundRow(
            declaration_id=declaration.id,
            number=opened.number,
            state=opened.state.value,
            base_version_id=self.version(declaration, opened.base_version).id,
            opened_at=opened.opened_at,
            deadline=opened.deadline,
        )
        self.session.add(row)
        self.session.flush()
        self.tracked.keep(opened, row)
        return row

    def rounds(self, declaration: DeclarationRow) -> list[RoundRow]:
        return list(self.session.scalars(_ROUNDS, {"declaration": declaration.id}))

    def latest_round(self, declaration: DeclarationRow) -> RoundRow | None:
        rounds = self.rounds(declaration)
        return rounds[-1] if rounds else None

    def round(self, declaration: DeclarationRow, number: int) -> RoundRow:
        for row in self.rounds(declaration):
            if row.number == number:
                return row
        raise NotFound(f"{declaration.slug!r} has no round {number}")

    # submissions
    def add_submission(self, **fields: Any) -> SubmissionRow:
        flags = fields.pop("flags", [])
        summary = fields.pop("summary", {})
        declaration_id = self.session.get(RoundRow, fields["round_id"]).declaration_id  # type: ignore[union-attr]
        number = 1 + (self.session.scalar(_SUBMISSION_COUNT, {"declaration": declaration_id}) or 0)
        row = SubmissionRow(
            flags=canonical_json(flags), summary=canonical_json(summary), number=number, **fields
        )
        self.session.add(row)
        self.session.flush()
        return row

    def submissions(
        self, round_row: RoundRow, *, current_only: bool = False
    ) -> list[SubmissionRow]:
        query = select(SubmissionRow).where(SubmissionRow.round_id == round_row.id)
        if current_only:
            query = query.where(SubmissionRow.status == "current")
        return list(self.session.scalars(query.order_by(SubmissionRow.id)))

    def party_submissions(self, round_row: RoundRow, party: PartyRow) -> list[SubmissionRow]:
        return list(
            self.session.scalars(_PARTY_SUBMISSIONS, {"round": round_row.id, "party": party.id})
        )

    # decisions and approvals
    def add_decision(self, **fields: Any) -> DecisionRow:
        decisions = fields.pop("decisions")
        row = DecisionRow(decisions=canonical_json(decisions), **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def decisions(self, round_row: RoundRow, *, current_only: bool = True) -> list[DecisionRow]:
        query = select(DecisionRow).where(DecisionRow.round_id == round_row.id)
        if current_only:
            query = query.where(DecisionRow.status == "current")
        return list(self.session.scalars(query.order_by(DecisionRow.id)))

    def add_approval(self, version: VersionRow, party: PartyRow, approved_at: str) -> ApprovalRow:
        row = ApprovalRow(version_id=version.id, party_id=party.id, approved_at=approved_at)
        self.session.add(row)
        self.session.flush()
        return row

    def approvals(self, version: VersionRow) -> list[ApprovalRow]:
        return list(
            self.session.scalars(
                select(ApprovalRow)
                .where(ApprovalRow.version_id == version.id)
                .order_by(ApprovalRow.id)
            )
        )

    # artifacts and silence
    def add_artifact(self, declaration: DeclarationRow, **fields: Any) -> ArtifactRow:
        row = ArtifactRow(declaration_id=declaration.id, **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def artifacts(
        self, declaration: DeclarationRow, *, kind: str | None = None
    ) -> list[ArtifactRow]:
        query = select(ArtifactRow).where(ArtifactRow.declaration_id == declaration.id)
        if kind:
            query = query.where(ArtifactRow.kind == kind)
        return list(self.session.scalars(query.order_by(ArtifactRow.id)))

    def next_silence_number(self, declaration: DeclarationRow) -> int:
        """Silences are numbered 1, 2 ... within their declaration."""
        return 1 + (
            self.session.scalar(
                select(func.count())
                .select_from(SilenceRow)
                .join(VersionRow, VersionRow.id == SilenceRow.version_id)
                .where(VersionRow.declaration_id == declaration.id)
            )
            or 0
        )

    def add_silence(self, declaration: DeclarationRow, silence: lifecycle.Silence) -> SilenceRow:
        row = SilenceRow(
            number=silence.number,
            version_id=self.version(declaration, silence.version).id,
            text_sha256=silence.text_sha256,
            until=silence.until,
            state=silence.state.value,
            started_at=silence.started_at,
        )
        self.session.add(row)
        self.session.flush()
        self.tracked.keep(silence, row)
        return row

    def silences(self, version: VersionRow) -> list[SilenceRow]:
        return list(
            self.session.scalars(
                select(SilenceRow)
                .where(SilenceRow.version_id == version.id)
                .order_by(SilenceRow.id)
            )
        )
