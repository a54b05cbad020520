"""What the dashboard (index.html) shows, built from the record's values: the current version's paragraphs with
their status, the timeline's bars and marks, who submitted in each round, the milestones in plain words.

Pure: flows/usecases/dashboard.py loads a ``Record`` (and links the files it finds in the declaration's folder),
``dashboard`` builds the ``Dashboard`` and drafting/dashboard.py draws it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from drafting import events as ev
from drafting.dashboard import (
    AD_REF,
    AGREED,
    AMENDED,
    BRACKETED,
    UNCHANGED,
    Bar,
    Board,
    BracketCount,
    Cell,
    Dashboard,
    DocumentGroup,
    Link,
    Mark,
    Moment,
    PartyRow,
    Received,
)
from drafting.history import read_events
from drafting.lifecycle import Round, Silence
from drafting.moments import local_time
from drafting.negotiation import (
    Declaration,
    Event,
    Party,
    Role,
    RoundState,
    SilenceState,
    Submission,
    Version,
    VersionState,
    default_symbol,
)
from drafting.standing import overall
from drafting.text import DraftParagraph, ParagraphStatus
from drafting.wording import Teller, say

_MILESTONES = (
    ev.DeclarationCreated,
    ev.VersionIssued,
    ev.VersionEdited,
    ev.VersionCirculated,
    ev.RoundOpened,
    ev.RoundClosed,
    ev.CompilationReady,
    ev.SilenceStarted,
    ev.SilenceBroken,
    ev.SilenceExpired,
    ev.VersionAgreed,
    ev.DeclarationArchived,
)


@dataclass(frozen=True)
class Record:
    """What the dashboard is read from, as the repository hands it out."""

    declaration: Declaration
    events: Sequence[Event]
    versions: Sequence[Version]  # in order: the last is the current one
    rounds: Sequence[Round]
    parties: Sequence[Party]
    silences: Sequence[Silence]  # on every version, in the versions' order
    received: Mapping[int, Sequence[Submission]]  # round number -> its current submissions
    pending: frozenset[str]  # paragraphs with proposals not yet decided (undecided_round's)
    synopses: frozenset[int]  # the rounds whose synopsis page was written

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def teller(self) -> Teller:
        return Teller(self.declaration.timezone, {p.code: p.name for p in self.parties})


def undecided_round(rounds: Sequence[Round], current: Version) -> Round | None:
    """The latest round when its proposals on the current version are not decided yet (they mark paragraphs
    amended), else None."""
    latest = rounds[-1] if rounds else None
    if latest is None or latest.base_version != current.label or latest.state is RoundState.DECIDED:
        return None
    return latest


def dashboard(
    record: Record, *, documents: list[DocumentGroup], audit: list[Link], pdf_note: str
) -> Dashboard:
    """The page from the record, with the documents and audit pages found in the declaration's folder."""
    declaration, teller = record.declaration, record.teller
    co_presidencies = [p.code for p in record.parties if p.role == Role.CO_PRESIDENCY]
    return Dashboard(
        title=declaration.title,
        slug=declaration.slug,
        symbol=declaration.symbol or default_symbol(declaration.slug),
        zone=declaration.timezone,
        state=overall(record.events, co_presidencies, teller).summary,
        version=record.current.label,
        cells=cells(record),
        bars=bars(record),
        marks=marks(record),
        boards=boards(record),
        parties=party_rows(record.parties),
        brackets=[BracketCount(v.label, len(v.content.text.bracketed())) for v in record.versions],
        documents=documents,
        milestones=milestones(record.events, teller),
        audit=audit,
        pdf_note=pdf_note,
    )


def milestones(events: Sequence[Event], teller: Teller) -> list[Moment]:
    """What happened to the declaration, its versions and rounds, in plain words (no deliveries, no refusals)."""
    return [
        Moment(e.occurred_at, say(e, teller))
        for e in events
        if ev.EVENTS.get(e.type) in _MILESTONES
    ]


def cells(record: Record) -> list[Cell]:
    """The current version's paragraphs with their status and, where a synopsis lists them, a link to it."""
    zero = {p.key: p.text for p in record.versions[0].content.text.paragraphs}
    listed = _listed(record)
    agreed = record.current.state == VersionState.AGREED
    return [
        Cell(
            key=p.key,
            number=str(number),
            status=AGREED if agreed else _status(p, record.pending, zero),
            text=p.text,
            synopsis=f"round-{listed[p.key]}/synopsis.html#{p.key}" if p.key in listed else None,
            synopsis_round=listed.get(p.key),
        )
        for number, p in enumerate(record.current.content.text.paragraphs, start=1)
    ]


def _status(paragraph: DraftParagraph, pending: frozenset[str], zero: Mapping[str, str]) -> str:
    """Bracketed, amended by a proposal not yet decided, agreed ad referendum (agreed or new in a revision),
    amended since the zero draft, or unchanged."""
    if paragraph.status == ParagraphStatus.BRACKETED:
        return BRACKETED
    if paragraph.key in pending:
        return AMENDED
    if paragraph.status in (ParagraphStatus.AGREED, ParagraphStatus.NEW):
        return AD_REF
    return AMENDED if zero.get(paragraph.key) != paragraph.text else UNCHANGED


def _listed(record: Record) -> dict[str, int]:
    """Paragraph key -> the latest round whose synopsis has a row for it."""
    texts = {v.label: v.content.text for v in record.versions}
    found: dict[str, int] = {}
    for round_ in record.rounds:
        if round_.number in record.synopses:
            found |= {p.key: round_.number for p in texts[round_.base_version].paragraphs}
    return found


def bars(record: Record) -> list[Bar]:
    """Each round, from its opening to its closing (an open one to its deadline or the end of the record), and
    each silence procedure."""
    end_of_record = record.events[-1].occurred_at if record.events else ""
    return [_round_bar(r, end_of_record) for r in record.rounds] + [
        _silence_bar(s) for s in record.silences
    ]


def _round_bar(r: Round, end_of_record: str) -> Bar:
    if r.closed_at:
        return Bar("Rounds", r.opened_at, r.closed_at, f"Round {r.number}", "round")
    end = max(r.deadline or r.opened_at, end_of_record)
    return Bar("Rounds", r.opened_at, end, f"Round {r.number} (open)", "round-open")


def _silence_bar(s: Silence) -> Bar:
    kind = "silence-broken" if s.state is SilenceState.BROKEN else "silence"
    return Bar("Silence", s.started_at, s.ended_at or s.until, f"Silence on {s.version}", kind)


def marks(record: Record) -> list[Mark]:
    """Deadlines, versions, then the agreement, each broken silence and the archive in log order."""
    found = [
        Mark("Rounds", r.deadline, f"deadline {r.number}", "deadline")
        for r in record.rounds
        if r.deadline
    ]
    found += [Mark("Versions", v.created_at, v.label, "version") for v in record.versions]
    return found + [
        m for e, d in read_events(record.events) if (m := _event_mark(e, d)) is not None
    ]


def _event_mark(e: Event, d: ev.DomainEvent | None) -> Mark | None:
    if isinstance(d, ev.VersionAgreed):
        return Mark("Agreement", e.occurred_at, f"{d.version} agreed", "agreed")
    if isinstance(d, ev.SilenceBroken):
        return Mark("Silence", e.occurred_at, f"broken by {d.party}", "broken")
    if isinstance(d, ev.DeclarationArchived):
        return Mark("Agreement", e.occurred_at, "archived", "archived")
    return None


def boards(record: Record) -> list[Board]:
    """Who submitted in each round, and how many of the delegations asked to."""
    roles = {p.code: p.role for p in record.parties}
    expected = sum(1 for role in roles.values() if role == Role.DELEGATION)
    zone = record.declaration.timezone
    found = []
    for r in record.rounds:
        current = record.received.get(r.number, ())
        received = {s.party: Received(local_time(s.received_at, zone), s.late) for s in current}
        delegations = len({s.party for s in current if roles[s.party] == Role.DELEGATION})
        found.append(Board(r.number, r.base_version, received, expected, delegations))
    return found


def party_rows(parties: Sequence[Party]) -> list[PartyRow]:
    """Code, name and role of each party that submits or decides: the co-presidencies first."""
    ordered = sorted(parties, key=lambda p: (p.role != Role.CO_PRESIDENCY, p.code))
    return [PartyRow(p.code, p.name, p.role) for p in ordered if p.role != Role.SECRETARIAT]
