"""Reads and writes of the negotiation's entities: domain values and aggregates in, domain values and aggregates
out; the rows stay here (mapped by storage/values.py and storage/aggregates.py)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from drafting import lifecycle
from drafting.canonical import canonical_json
from drafting.errors import NotFound
from drafting.negotiation import (
    Approval,
    Artifact,
    Decision,
    Declaration,
    Party,
    Submission,
    Version,
    VersionContent,
    VersionState,
)
from storage.aggregates import Tracked, round_from, silence_from, version_from
from storage.schema import (
    ApprovalRow,
    ArtifactRow,
    Base,
    DecisionRow,
    DeclarationRow,
    PartyRow,
    RoundRow,
    SilenceRow,
    SubmissionRow,
    VersionRow,
)
from storage.values import (
    to_artifact,
    to_decision,
    to_declaration,
    to_party,
    to_submission,
    to_version,
)

A = TypeVar("A", lifecycle.Round, lifecycle.Version, lifecycle.Silence)

# Statements every submission runs, built once: building a select costs about as much as running it.
_DECLARATION = select(DeclarationRow).where(DeclarationRow.slug == bindparam("slug"))
_PARTY = select(PartyRow).where(
    PartyRow.declaration_id == bindparam("declaration"), PartyRow.code == bindparam("code")
)
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


def declaration_row(repo: Repository, declaration: Declaration) -> DeclarationRow:
    """The row behind a declaration, for storage's own modules (the event log, verify, the outbox)."""
    return repo._declaration_row(declaration)


class Repository:
    """Entity access inside one session (one transaction); the unit of work owns commit and retry."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._begin()

    def _begin(self) -> None:
        """What one transaction remembers: the aggregates handed out (their state is written back by ``sync``)
        and the rows behind the values handed out (so that using a value costs no second read)."""
        self.tracked = Tracked()
        self._declarations: dict[str, DeclarationRow] = {}  # by slug
        self._version_rows_by_key: dict[tuple[str, int], VersionRow] = {}  # by slug and number
        self._parties: dict[tuple[str, str], PartyRow] = {}  # by slug and code
        self._party_codes_by_id: dict[int, str] = {}
        self._party_submission_rows: dict[tuple[int, int], list[SubmissionRow]] = {}

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

    def sync(self) -> None:
        """Write the state of every aggregate handed out back to its row."""
        self.tracked.sync()

    def _keep(self, aggregate: A, row: RoundRow | VersionRow | SilenceRow) -> A:
        self.tracked.keep(aggregate, row)
        return aggregate

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

    # submissions, decisions and approvals: values naming their party by code
    def add_submission(
        self,
        round: lifecycle.Round,
        party: str,
        *,
        blob_sha256: str,
        filename: str,
        received_at: str,
        late: bool,
        flags: list[dict[str, str]],
        summary: dict[str, Any],
    ) -> Submission:
        """A party's file for a round, numbered within the declaration; it supersedes the party's earlier ones."""
        round_row = self._round_row(round)
        party_row = self._party_row(self.declaration(round.declaration), party)
        for earlier in self._submission_rows(round_row.id, party_row.id):
            earlier.status = "superseded"
        row = SubmissionRow(
            round_id=round_row.id,
            party_id=party_row.id,
            number=1 + self._submission_count(round_row.declaration_id),
            blob_sha256=blob_sha256,
            filename=filename,
            received_at=received_at,
            status="current",
            late=late,
            flags=canonical_json(flags),
            summary=canonical_json(summary),
        )
        self._add(row)
        self._party_submission_rows[(round_row.id, party_row.id)].append(row)
        return to_submission(row, round.number, party)

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

    def _add(self, row: Base) -> None:
        """A new row in this transaction, its id assigned."""
        self.session.add(row)
        self.session.flush()

    # artifacts and silence
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
