"""The history of a declaration: its versions with what followed each, its rounds with their submissions,
compilation, proposals and decisions, and the whole event log in plain words, every document linked.

Built by pure functions from the typed events (drafting.events), the versions the record holds and each
compilation's stored proposals, as the read model of drafting/history_model.py (``History.as_json()`` is what
`accord history --json` prints); ``history_html`` is the page (history.html beside the dashboard, in every
archive bundle, on the secretariat's desk).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from drafting import events as ev
from drafting.brackets import FIRST_RULES, STABLE_IDS
from drafting.decisions import Resolution
from drafting.history_model import (
    CompilationFiles,
    CompiledRound,
    DocumentLink,
    Heading,
    History,
    HistoryCompilation,
    HistoryDecision,
    HistoryParty,
    HistoryRound,
    HistorySubmission,
    HistoryVersion,
    Milestone,
    ProposalOutcome,
    TimelineEntry,
    VersionApproval,
)
from drafting.logged_documents import Document, documents_of
from drafting.moments import local_time
from drafting.negotiation import Declaration, Event, Party, Version
from drafting.templating import page_templates
from drafting.wording import Teller, count, say

_ENV = page_templates()
_ENV.filters["counted"] = count

# an event and its class's reading (None: one this accord cannot read)
_Logged = tuple[Event, ev.DomainEvent | None]
_Links = Mapping[int, tuple[DocumentLink, ...]]  # event seq -> the documents it names
_T = TypeVar("_T", bound=ev.DomainEvent)


def compilation_files(events: Sequence[Event]) -> dict[int, CompilationFiles]:
    """By the seq of each compilation event naming a proposals.json: the files the history reads of it."""
    stable = _stable(events)
    return {
        e.seq: CompilationFiles(
            d.documents["proposals.json"], d.documents.get("synopsis.json") if stable else None
        )
        for e, d in read_events(events)
        if isinstance(d, ev.CompilationReady) and "proposals.json" in d.documents
    }


def _stable(events: Sequence[Event]) -> bool:
    """Whether the declaration gives bracket ids stable across revisions (its creation records the rules)."""
    created = _reading(events[0]) if events else None
    rules = created.rules if isinstance(created, ev.DeclarationCreated) else None
    return (rules or FIRST_RULES) >= STABLE_IDS


def history_of(
    declaration: Declaration,
    parties: Sequence[Party],
    events: Sequence[Event],
    versions: Sequence[Version],
    compiled: Mapping[int, CompiledRound],
) -> History:
    """The history from the record: ``compiled`` holds each compilation's proposals by its event's seq."""
    docs = documents_of(list(events))
    links = _links(docs)
    teller = Teller(declaration.timezone, {p.code: p.name for p in parties})
    logged = read_events(events)
    issued = _versions(logged, {v.label: v for v in versions}, links, teller)
    return History(
        declaration=Heading(
            slug=declaration.slug, title=declaration.title, timezone=declaration.timezone
        ),
        parties=tuple(
            HistoryParty(code=p.code, name=p.name, bloc=p.bloc, role=p.role) for p in parties
        ),
        versions=issued,
        rounds=_rounds(logged, links, compiled, issued),
        timeline=tuple(_entry(e, d, teller, links) for e, d in logged),
        documents=len(docs),
    )


def read_events(events: Sequence[Event]) -> list[_Logged]:
    """Each event with its class's reading (None for one this accord cannot read)."""
    return [(e, _reading(e)) for e in events]


def _reading(event: Event) -> ev.DomainEvent | None:
    """The event as its class, or None for one this accord cannot read (the timeline still says so)."""
    try:
        return ev.parse(event)
    except (KeyError, ValidationError):
        return None


def _links(docs: Sequence[Document]) -> dict[int, tuple[DocumentLink, ...]]:
    by_seq: dict[int, tuple[DocumentLink, ...]] = {}
    for doc in docs:
        link = DocumentLink(path=doc.path, sha256=doc.sha256, name=doc.name)
        by_seq[doc.seq] = (*by_seq.get(doc.seq, ()), link)
    return by_seq


def _entry(e: Event, d: ev.DomainEvent | None, teller: Teller, links: _Links) -> TimelineEntry:
    return TimelineEntry(
        seq=e.seq,
        at=e.occurred_at,
        local=local_time(e.occurred_at, teller.zone),
        type=e.type,
        actor=e.actor,
        summary=say(e, teller),
        documents=links.get(e.seq, ()),
        hash=e.hash,
        by=getattr(d, "by", None)
        or None,  # the portal's account: only the events people do have one
    )


# --- versions -------------------------------------------------------------------------------------------------------

_MILESTONES = (
    ev.VersionTranslated,
    ev.VersionCirculated,
    ev.SilenceStarted,
    ev.SilenceBroken,
    ev.SilenceExpired,
    ev.VersionAgreed,
)


def _versions(
    logged: Sequence[_Logged], stored: Mapping[str, Version], links: _Links, teller: Teller
) -> tuple[HistoryVersion, ...]:
    """Each version issued (a translation puts a version's text again: a milestone of the version it aligns)."""
    return tuple(
        _version(e, d, stored[d.version], [x for x in logged if x[0].seq > e.seq], links, teller)
        for e, d in logged
        if isinstance(d, ev.VersionIssued | ev.VersionEdited) and d.version in stored
    )


def _version(
    e: Event,
    d: ev.VersionIssued | ev.VersionEdited,
    stored: Version,
    later: Sequence[_Logged],
    links: _Links,
    teller: Teller,
) -> HistoryVersion:
    return HistoryVersion(
        label=d.version,
        number=d.number,
        at=e.occurred_at,
        state=stored.state,
        **_how(d),
        text_sha256=d.text_sha256,
        paragraphs=d.paragraphs,
        resolutions={
            r["proposal"]: Resolution.model_validate(r) for r in stored.content.resolutions
        },
        documents=links.get(e.seq, ()),
        approvals=_approvals(d.version, later),
        milestones=_milestones(d.version, later, teller),
    )


def _approvals(label: str, later: Sequence[_Logged]) -> tuple[VersionApproval, ...]:
    return tuple(
        VersionApproval(party=y.party, at=x.occurred_at)
        for x, y in later
        if isinstance(y, ev.VersionApproved) and y.version == label
    )


def _milestones(label: str, later: Sequence[_Logged], teller: Teller) -> tuple[Milestone, ...]:
    return tuple(
        Milestone(type=x.type, at=x.occurred_at, summary=say(x, teller))
        for x, y in later
        if isinstance(y, _MILESTONES) and y.version == label
    )


def _how(d: ev.VersionIssued | ev.VersionEdited) -> dict[str, Any]:
    """How the version came: its kind, round or reason, and what its round left bracketed."""
    if isinstance(d, ev.VersionEdited):
        return {
            "kind": "editorial",
            "round": None,
            "reason": d.reason,
            "bracketed": (),
            "outcomes": {},
        }
    return {
        "kind": "zero draft" if d.number == 0 else "revision",
        "round": d.round,
        "reason": None,
        "bracketed": d.bracketed or (),
        "outcomes": d.outcomes or {},
    }


# --- rounds ---------------------------------------------------------------------------------------------------------

_IN_ROUND = (
    ev.SubmissionReceived,
    ev.RoundClosed,
    ev.DeadlineExtended,
    ev.CompilationReady,
    ev.DecisionRecorded,
)
_RoundLog = Sequence[tuple[Event, ev.DomainEvent]]


def _rounds(
    logged: Sequence[_Logged],
    links: _Links,
    compiled: Mapping[int, CompiledRound],
    versions: Sequence[HistoryVersion],
) -> tuple[HistoryRound, ...]:
    """Each round as its last opening and the events of it since."""
    opened = {d.round: (e, d) for e, d in logged if isinstance(d, ev.RoundOpened)}
    revisions = {v.round: v for v in versions if v.kind == "revision"}
    return tuple(
        _round(e, d, _round_log(logged, e.seq, n), links, compiled, revisions.get(n))
        for n, (e, d) in sorted(opened.items())
    )


def _round_log(
    logged: Sequence[_Logged], since: int, number: int
) -> list[tuple[Event, ev.DomainEvent]]:
    return [
        (e, d)
        for e, d in logged
        if isinstance(d, _IN_ROUND) and e.seq > since and d.round == number
    ]


def _round(
    opening: Event,
    opened: ev.RoundOpened,
    log: _RoundLog,
    links: _Links,
    compiled: Mapping[int, CompiledRound],
    revision: HistoryVersion | None,
) -> HistoryRound:
    closing, compiling = _last(log, ev.RoundClosed), _last(log, ev.CompilationReady)
    extended = _last(log, ev.DeadlineExtended)
    proposals = _proposals(compiled.get(compiling[0].seq) if compiling else None)
    return HistoryRound(
        number=opened.round,
        version=opened.version,
        opened=opening.occurred_at,
        deadline=extended[1].deadline if extended else opened.deadline,
        closed=closing[0].occurred_at if closing else None,
        reason=closing[1].reason if closing else None,
        submissions=tuple(_submission(e, d, links) for e, d in _all(log, ev.SubmissionReceived)),
        compilation=_compilation(*compiling, links) if compiling else None,
        proposals=_decided(proposals, revision),
        decisions=tuple(_decision(e, d, links) for e, d in _all(log, ev.DecisionRecorded)),
        revision=revision.label if revision else None,
    )


def _all(log: _RoundLog, kind: type[_T]) -> list[tuple[Event, _T]]:
    return [(e, d) for e, d in log if isinstance(d, kind)]


def _last(log: _RoundLog, kind: type[_T]) -> tuple[Event, _T] | None:
    found = _all(log, kind)
    return found[-1] if found else None


def _submission(e: Event, d: ev.SubmissionReceived, links: _Links) -> HistorySubmission:
    return HistorySubmission(
        seq=e.seq,
        party=d.party,
        at=e.occurred_at,
        late=d.late,
        filename=d.filename,
        superseded=d.superseded,
        flags=d.flags,
        documents=links.get(e.seq, ()),
    )


def _compilation(e: Event, d: ev.CompilationReady, links: _Links) -> HistoryCompilation:
    return HistoryCompilation(
        at=e.occurred_at,
        proposals=d.proposals,
        conflicts=d.conflicts,
        documents=links.get(e.seq, ()),
    )


def _decision(e: Event, d: ev.DecisionRecorded, links: _Links) -> HistoryDecision:
    votes = list(d.decisions.values())
    return HistoryDecision(
        party=d.party,
        at=e.occurred_at,
        filename=d.filename,
        accepted=votes.count("accept"),
        rejected=votes.count("reject"),
        documents=links.get(e.seq, ()),
    )


def _proposals(compiled: CompiledRound | None) -> list[ProposalOutcome]:
    """The round's proposals, undecided; with stable bracket ids, what each one resolving a group does to it."""
    if compiled is None:
        return []
    return [
        ProposalOutcome(
            id=p.id,
            parties=tuple(p.parties),
            paragraph=p.paragraph,
            group=p.group,
            deleted=p.deleted.replace("\u2029", "\n"),
            inserted=p.inserted.replace("\u2029", "\n"),
            resolves=compiled.resolves.get(p.id),
        )
        for p in compiled.proposals
    ]


def _decided(
    proposals: Sequence[ProposalOutcome], revision: HistoryVersion | None
) -> tuple[ProposalOutcome, ...]:
    """The proposals with the outcome and decisions the round's revision resolved them with."""
    resolutions = revision.resolutions if revision else {}
    return tuple(_resolved(p, resolutions.get(p.id)) for p in proposals)


def _resolved(proposal: ProposalOutcome, resolution: Resolution | None) -> ProposalOutcome:
    if resolution is None:
        return proposal
    return proposal.model_copy(
        update={"outcome": str(resolution.outcome), "decisions": dict(resolution.decisions)}
    )


def history_html(history: History, *, prefix: str = "documents/") -> str:
    """The history as a self-contained page; document links are ``prefix`` + their bundle path."""
    return _ENV.get_template("history.html.j2").render(
        **dict(history),
        prefix=prefix,
        local=local_time,
        names={p.code: p.name for p in history.parties},
    )
