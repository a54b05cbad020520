"""A unit of work in memory, for unit tests of the use cases (cosmicpython's tests/unit/test_handlers.py):
``FakeRepository`` keeps transient rows in lists and answers the repository's lookups from them, while the real
``storage.repository.Repository`` code maps them to the aggregates and writes their state back; ``FakeUnitOfWork``
keeps events and documents; ``FakeStore.transaction`` rolls everything back when the work raises.

    app = fake_app(tmp_path); seed_declaration(app, parties=("AT", "BO", "ES"))
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from drafting.canonical import GENESIS, canonical_json, event_hash, sha256_hex
from drafting.events import DomainEvent
from drafting.negotiation import Artifact, Declaration, Event, RoundState, VersionState
from flows.bootstrap import App, Settings
from flows.publish import RecordingPublisher
from storage import VerifyReport
from storage.outbox import Owed
from storage.repository import Repository
from storage.schema import (
    ApprovalRow,
    DecisionRow,
    DeclarationRow,
    PartyRow,
    RoundRow,
    SilenceRow,
    SubmissionRow,
    VersionRow,
)
from tests.docxbuild import build_docx

T = TypeVar("T")
SLUG = "eu-celac"
ZERO_DRAFT = build_docx(
    "<w:p><w:r><w:t>Agreed.</w:t></w:r></w:p>"
)  # the seed's text as a Word file


def amended(words: str) -> bytes:
    """The seed's paragraph ("Agreed.") with ``words`` inserted before its full stop as a tracked change."""
    return build_docx(
        '<w:p><w:r><w:t xml:space="preserve">Agreed</w:t></w:r>'
        '<w:ins w:id="1" w:author="Delegation" w:date="2026-12-01T10:00:00Z">'
        f'<w:r><w:t xml:space="preserve"> {words}</w:t></w:r></w:ins>'
        "<w:r><w:t>.</w:t></w:r></w:p>"
    )


class FakeRepository(Repository):
    """The repository's lookups answered from lists of transient rows (no session, no SQL)."""

    def __init__(
        self,
    ) -> None:  # no session: what would use one is overridden below, or goes to _add
        self._begin()
        self.declarations: list[DeclarationRow] = []
        self.parties_: list[PartyRow] = []
        self.versions_: list[VersionRow] = []
        self.rounds_: list[RoundRow] = []
        self.submissions_: list[SubmissionRow] = []
        self.approvals_: list[ApprovalRow] = []
        self.decisions_: list[DecisionRow] = []
        self.silences_: list[SilenceRow] = []
        self.artifacts_: list[tuple[str, Artifact]] = []

    @property
    def session(self) -> Any:  # type: ignore[override]
        """What add_declaration calls (add, flush), the rows kept in their lists."""
        return _Adding(self)

    def _id(self, rows: list[Any]) -> int:
        return len(rows) + 1

    def _find_declaration_row(self, slug: str) -> DeclarationRow | None:
        return next((d for d in self.declarations if d.slug == slug), None)

    def _find_party_rows(self, declaration: Declaration) -> list[PartyRow]:
        mine = (p for p in self.parties_ if p.declaration_id == self._declaration_id(declaration))
        return sorted(mine, key=lambda p: p.code)

    def _find_party_row(self, declaration: Declaration, code: str) -> PartyRow | None:
        return next((p for p in self._find_party_rows(declaration) if p.code == code), None)

    def _find_party_codes(self, ids: set[int]) -> dict[int, str]:
        return {p.id: p.code for p in self.parties_ if p.id in ids}

    def _version_rows(self, declaration: Declaration) -> list[VersionRow]:
        mine = (v for v in self.versions_ if v.declaration_id == self._declaration_id(declaration))
        return sorted(mine, key=lambda v: v.number)

    def _round_rows(self, declaration: Declaration) -> list[tuple[RoundRow, str]]:
        labels = {v.id: v.label for v in self.versions_}
        mine = (r for r in self.rounds_ if r.declaration_id == self._declaration_id(declaration))
        return [(r, labels[r.base_version_id]) for r in sorted(mine, key=lambda r: r.number)]

    def _round_submission_rows(self, round_id: int, *, current_only: bool) -> list[SubmissionRow]:
        return [
            s
            for s in self.submissions_
            if s.round_id == round_id and (s.status == "current" or not current_only)
        ]

    def _find_submission_rows(self, round_id: int, party_id: int) -> list[SubmissionRow]:
        return [s for s in self.submissions_ if (s.round_id, s.party_id) == (round_id, party_id)]

    def _decision_rows(self, round_id: int, *, current_only: bool) -> list[DecisionRow]:
        return [
            d
            for d in self.decisions_
            if d.round_id == round_id and (d.status == "current" or not current_only)
        ]

    def _submission_count(self, declaration_id: int) -> int:
        rounds = {r.id for r in self.rounds_ if r.declaration_id == declaration_id}
        return sum(1 for s in self.submissions_ if s.round_id in rounds)

    def _approval_rows(self, version_id: int) -> list[ApprovalRow]:
        return [a for a in self.approvals_ if a.version_id == version_id]

    def _add(self, row: Any) -> None:
        """A new row kept in its list, numbered as the database would."""
        rows: list[Any] = {
            ApprovalRow: self.approvals_,
            DecisionRow: self.decisions_,
            DeclarationRow: self.declarations,
            PartyRow: self.parties_,
            RoundRow: self.rounds_,
            SilenceRow: self.silences_,
            SubmissionRow: self.submissions_,
            VersionRow: self.versions_,
        }[type(row)]
        row.id = self._id(rows)
        rows.append(row)

    def next_silence_number(self, declaration: Declaration) -> int:
        ids = {v.id for v in self._version_rows(declaration)}
        return 1 + sum(1 for s in self.silences_ if s.version_id in ids)

    def _silence_rows(self, version_id: int) -> list[SilenceRow]:
        return [s for s in self.silences_ if s.version_id == version_id]

    def add_artifact(self, declaration: Declaration, artifact: Artifact) -> None:
        self.artifacts_.append((declaration.slug, artifact))

    def artifacts(self, declaration: Declaration, *, kind: str | None = None) -> list[Artifact]:
        return [
            a
            for slug, a in self.artifacts_
            if slug == declaration.slug and (not kind or a.kind == kind)
        ]


class _Adding:
    """The two calls of a session by which the repository adds a declaration: ``add`` keeps the row in its list,
    numbered, so ``flush`` has nothing left to do."""

    def __init__(self, repo: FakeRepository) -> None:
        self.add = repo._add

    def flush(self) -> None:
        pass


@dataclass
class FakeOutbox:
    """The outbox's surface in memory: each party's share of a sending, owed until settled."""

    shares: list[Owed] = field(default_factory=list)

    def owe(
        self,
        declaration: Declaration,
        kind: str,
        key: dict[str, Any],
        parties: Iterable[str],
        at: str,
    ) -> None:
        known = {o.party for o in self.sending(declaration, kind, key)}
        # as storage keeps it: canonical JSON, its keys sorted
        key = json.loads(canonical_json(key))
        self.shares += [
            Owed(declaration.slug, kind, key, party, None) for party in sorted(set(parties) - known)
        ]

    def sending(self, declaration: Declaration, kind: str, key: dict[str, Any]) -> list[Owed]:
        return sorted(
            (
                o
                for o in self.shares
                if (o.declaration, o.kind, o.key) == (declaration.slug, kind, key)
            ),
            key=lambda o: o.party,
        )

    def of_kind(self, declaration: Declaration, kind: str) -> list[Owed]:
        return [o for o in self.shares if (o.declaration, o.kind) == (declaration.slug, kind)]

    def unsettled(self, declaration: Declaration) -> list[Owed]:
        return [o for o in self.shares if o.declaration == declaration.slug and o.outcome is None]

    def settle(
        self,
        declaration: Declaration,
        kind: str,
        key: dict[str, Any],
        party: str,
        outcome: str,
        at: str,
    ) -> bool:
        for i, o in enumerate(self.shares):
            if (o.declaration, o.kind, o.key, o.party, o.outcome) == (
                declaration.slug,
                kind,
                key,
                party,
                None,
            ):
                self.shares[i] = Owed(o.declaration, kind, key, party, outcome)
                return True
        return False


@dataclass
class FakeUnitOfWork:
    """The unit of work's surface, in memory: the repository, documents by sha256, the declaration's log."""

    repo: FakeRepository = field(default_factory=FakeRepository)
    documents: dict[str, bytes] = field(default_factory=dict)
    log_: list[Event] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)

    def put_blob(self, data: bytes, media_type: str = "") -> str:
        self.documents[sha256_hex(data)] = data
        return sha256_hex(data)

    def blob(self, digest: str) -> bytes:
        return self.documents[digest]

    def log(self, declaration: Declaration, *, after: int = 0) -> list[Event]:
        return [e for e in self.log_ if e.declaration == declaration.slug and e.seq > after]

    def event_count(self, declaration: Declaration) -> int:
        return len(self.log(declaration))

    def log_lines(self, declaration: Declaration) -> bytes:
        """As the real one: each event as one canonical JSON object on its own line."""
        lines = (canonical_json(e.model_dump()) + "\n" for e in self.log(declaration))
        return "".join(lines).encode("utf-8")

    def verify(self, declaration: Declaration) -> VerifyReport:
        """The chain recomputed (the fake's tables and documents have no log to be checked against)."""
        events, prev = self.log(declaration), GENESIS
        report = VerifyReport(events=len(events), blobs=len(self.documents))
        for e in events:
            fields = e.model_dump(exclude={"hash", "declaration", "prev_hash", "payload"})
            digest = event_hash(
                prev_hash=prev,
                declaration=e.declaration,
                payload=canonical_json(e.payload),
                **fields,
            )
            report.problems += (
                [] if (e.prev_hash, e.hash) == (prev, digest) else [f"event {e.seq}: hash"]
            )
            prev = report.head = e.hash
        return report

    def record(
        self, declaration: Declaration, event: DomainEvent, actor: str, occurred_at: str
    ) -> Event:
        """As the real one: the aggregates' state written back, the event chained after the last."""
        self.repo.sync()
        return self.append(declaration, event.TYPE, actor, event.payload(), occurred_at)

    def append(
        self,
        declaration: Declaration,
        type: str,
        actor: str,
        payload: dict[str, Any],
        occurred_at: str,
    ) -> Event:
        before = self.log(declaration)
        seq, prev = len(before) + 1, before[-1].hash if before else GENESIS
        digest = event_hash(
            prev_hash=prev,
            declaration=declaration.slug,
            seq=seq,
            type=type,
            actor=actor,
            payload=canonical_json(payload),
            occurred_at=occurred_at,
        )
        event = Event(
            declaration=declaration.slug,
            seq=seq,
            type=type,
            actor=actor,
            payload=payload,
            occurred_at=occurred_at,
            prev_hash=prev,
            hash=digest,
        )
        self.log_.append(event)
        self.events.append(event)
        return event


class FakeStore:
    """``transaction`` and ``reading`` over one FakeUnitOfWork; a transaction that raises leaves nothing behind."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.commits = 0

    def transaction(self, work: Callable[[Any], T]) -> tuple[T, list[Event]]:
        saved = copy.deepcopy(self.uow)
        self.uow.events = []
        self.uow.repo._begin()
        try:
            result = work(self.uow)
            self.uow.repo.sync()
        except BaseException:
            self.uow.repo.__dict__.update(
                saved.repo.__dict__
            )  # the same repository stays in the tests' hands
            self.uow.documents, self.uow.log_, self.uow.events = saved.documents, saved.log_, []
            self.uow.outbox = saved.outbox
            raise
        self.commits += 1
        return result, list(self.uow.events)

    @contextmanager
    def reading(self) -> Iterator[FakeUnitOfWork]:
        self.uow.repo._begin()
        yield self.uow


class StepClock:
    """A clock that reads one moment until told to move on."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def step(self, **delta: float) -> None:
        self.moment += timedelta(**(delta or {"minutes": 1}))


def fake_app(home: Path) -> App:
    """accord wired to the in-memory store, a step clock and a recording publisher."""
    settings = Settings(home=home, database_url="fake://")
    store: Any = FakeStore()  # the Store's surface, duck-typed
    # no dashboard published after each change (test_usecases_documents.py writes it directly)
    return App(
        settings=settings,
        store=store,
        publisher=RecordingPublisher(),
        clock=StepClock(),
        pages=False,
    )


def seed_declaration(
    app: App,
    parties: tuple[str, ...] = ("AT", "BO", "ES", "MX"),
    brackets: tuple[str, ...] = (),
    template: bytes | None = None,
) -> FakeRepository:
    """A declaration with its parties (BO and ES co-presidencies) and a circulated zero draft; made before symbols
    (none recorded), so its documents carry no identity and no stated text is written. ``template``: the Word
    file uploaded as the zero draft, whose styles the documents accord writes take (compile, revise)."""
    repo: FakeRepository = app.store.uow.repo  # type: ignore[attr-defined]
    repo.declarations.append(
        DeclarationRow(
            id=1,
            slug=SLUG,
            title="Declaration",
            languages="en",
            timezone="Europe/Brussels",
            created_at=app.now(),
        )
    )
    for number, code in enumerate(parties, start=1):
        role = "co-presidency" if code in ("BO", "ES") else "delegation"
        repo.parties_.append(
            PartyRow(
                id=number,
                declaration_id=1,
                code=code,
                name=code,
                bloc="other",
                role=role,
                email=None,
            )
        )
    add_version(
        repo,
        0,
        VersionState.CIRCULATED,
        brackets,
        template=None if template is None else app.store.uow.put_blob(template),  # type: ignore[attr-defined]
    )
    return repo


def add_version(
    repo: FakeRepository,
    number: int,
    state: VersionState,
    brackets: tuple[str, ...] = (),
    template: str | None = None,
) -> VersionRow:
    """A version whose text has one agreed paragraph and the given bracketed ones (``template``: the sha256 of
    the zero draft's uploaded file)."""
    paragraphs = [{"key": "p001", "text": "Agreed.", "status": "unchanged"}]
    paragraphs += [{"key": key, "text": "[a / b]", "status": "bracketed"} for key in brackets]
    label = "Zero draft" if number == 0 else f"Rev.{number}"
    row = VersionRow(
        id=len(repo.versions_) + 1,
        declaration_id=1,
        number=number,
        label=label,
        blob_sha256=sha256_hex(label),
        text_sha256=sha256_hex(label + " text"),
        state=state.value,
        created_at="2026-12-01T09:00:00Z",
        meta=json.dumps(
            {"text": {"paragraphs": paragraphs}} | ({"template": template} if template else {})
        ),
    )
    repo.versions_.append(row)
    return row


def add_round(repo: FakeRepository, state: RoundState, deadline: str | None = None) -> RoundRow:
    """A round on the current version."""
    row = RoundRow(
        id=len(repo.rounds_) + 1,
        declaration_id=1,
        number=len(repo.rounds_) + 1,
        base_version_id=repo.versions_[-1].id,
        state=state.value,
        opened_at="2026-12-01T09:00:00Z",
        deadline=deadline,
        closed_at=None,
    )
    repo.rounds_.append(row)
    return row
