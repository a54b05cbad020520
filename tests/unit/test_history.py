"""The history read model (drafting/history.py) and the documents a log names (drafting/logged_documents.py),
built from typed events in memory: versions and what followed them, rounds with their proposals' outcomes, the
timeline in plain words, and the JSON `accord history --json` prints."""

from __future__ import annotations

from typing import Any

from drafting import events as ev
from drafting.history import compilation_files, history_html, history_of
from drafting.history_model import CompilationFiles, CompiledRound, History
from drafting.logged_documents import documents_of, safe_name
from drafting.merge import MergedProposal
from drafting.negotiation import Declaration, Event, Party, Role, Version, VersionState
from tests.unit.records import log, version

ZONE = "Europe/Brussels"
DECLARATION = Declaration(slug="d", title="T", languages=["en"], timezone=ZONE, created_at="x")
PARTIES = [
    Party(code="ES", name="Spain", role=Role.CO_PRESIDENCY),
    Party(code="BO", name="Bolivia", role=Role.CO_PRESIDENCY),
    Party(code="MX", name="Mexico"),
]
RESOLVED = {"proposal": "P001", "outcome": "applied", "decisions": {"ES": "accept", "BO": None}}


def _log(*events: ev.DomainEvent) -> list[Event]:
    """The events one hour apart."""
    return log(*((e, f"2026-12-01T{seq:02d}:00:00Z") for seq, e in enumerate(events, start=1)))


def _version(number: int, state: VersionState, resolutions: list[dict[str, Any]]) -> Version:
    paragraphs = [("p001", "Agreed.", "unchanged")]
    return version(
        number, state, paragraphs, **({"resolutions": resolutions} if resolutions else {})
    )


CREATED = ev.DeclarationCreated(
    slug="d",
    title="T",
    timezone=ZONE,
    languages=("en",),
    parties=(ev.PartyEntry(code="ES", name="Spain", bloc="EU", role="co-presidency"),),
    zero_draft=ev.ZeroDraftFile(original="z", filename="../zero draft.docx"),
    rules=2,
)
ZERO = ev.VersionIssued(version="Zero draft", number=0, blob="v0", text_sha256="t0", paragraphs=1)
ROUND = [
    ev.RoundOpened(round=1, version="Zero draft", deadline=None, parties=("MX",)),
    ev.SubmissionReceived(
        round=1,
        party="MX",
        submission=1,
        blob="s1",
        filename="mx.docx",
        late=False,
        superseded=(),
        flags=("authors",),
        by="token:3",
    ),
    ev.DeadlineExtended(round=1, deadline="2026-12-09T08:00:00Z", previous=None),
    ev.RoundClosed(round=1, reason="closed", submissions=(1,)),
    ev.CompilationReady(
        round=1,
        version="Zero draft",
        documents={"proposals.json": "pj", "synopsis.json": "sj"},
        submissions=(1,),
        proposals=1,
        conflicts=0,
    ),
    ev.DecisionRecorded(
        round=1, party="ES", blob="d1", filename="es.json", decisions={"P001": "accept"}
    ),
]
REV1 = ev.VersionIssued(
    version="Rev.1",
    number=1,
    blob="v1",
    text_sha256="t1",
    paragraphs=1,
    round=1,
    bracketed=("p001",),
    outcomes={"applied": 1},
)
APPROVED = ev.VersionApproved(version="Rev.1", party="ES")
CIRCULATED = ev.VersionCirculated(version="Rev.1", blob="v1", approved_by=("ES", "BO"))
PROPOSAL = MergedProposal(
    id="P001",
    start=0,
    end=7,
    deleted="Agreed.",
    inserted="Agreed\u2029anew.",
    paragraph="p001",
    parties=["MX"],
    sources=["MX-1"],
)
EVENTS = _log(CREATED, ZERO, *ROUND, REV1, APPROVED, CIRCULATED)
VERSIONS = [
    _version(0, VersionState.CIRCULATED, []),
    _version(1, VersionState.CIRCULATED, [RESOLVED]),
]


def _history(compiled: dict[int, CompiledRound] | None = None) -> History:
    found = {7: CompiledRound([PROPOSAL], {"P001": "B1 resolved: keeps 'anew'"})}
    return history_of(
        DECLARATION, PARTIES, EVENTS, VERSIONS, found if compiled is None else compiled
    )


def test_versions_say_how_they_came_and_what_followed() -> None:
    zero, rev1 = _history().versions
    assert (zero.kind, zero.round, zero.bracketed, zero.outcomes) == ("zero draft", None, (), {})
    assert (rev1.kind, rev1.round, rev1.bracketed, rev1.state) == (
        "revision",
        1,
        ("p001",),
        VersionState.CIRCULATED,
    )
    assert [(a.party, a.at) for a in rev1.approvals] == [("ES", "2026-12-01T10:00:00Z")]
    assert [m.type for m in rev1.milestones] == [ev.VersionCirculated.TYPE] and not zero.milestones
    assert [d.path for d in rev1.documents] == ["versions/01-Rev.1.docx"]


def test_a_round_gathers_its_events_and_its_revision_decides_its_proposals() -> None:
    [round_] = _history().rounds
    assert (round_.deadline, round_.closed, round_.reason, round_.revision) == (
        "2026-12-09T08:00:00Z",
        "2026-12-01T06:00:00Z",
        "closed",
        "Rev.1",
    )
    [submitted], [decided] = round_.submissions, round_.decisions
    assert (submitted.party, submitted.flags, submitted.seq) == ("MX", ("authors",), 4)
    assert (decided.accepted, decided.rejected) == (1, 0)
    assert round_.compilation is not None and round_.compilation.proposals == 1
    [proposal] = round_.proposals
    assert (proposal.outcome, proposal.decisions, proposal.inserted, proposal.resolves) == (
        "applied",
        {"ES": "accept", "BO": None},
        "Agreed\nanew.",
        "B1 resolved: keeps 'anew'",
    )


def test_a_round_not_yet_revised_has_undecided_proposals() -> None:
    events = _log(CREATED, ZERO, *ROUND)
    history = history_of(DECLARATION, PARTIES, events, VERSIONS[:1], {7: CompiledRound([PROPOSAL])})
    [proposal] = history.rounds[0].proposals
    assert (proposal.outcome, proposal.decisions, proposal.resolves) == ("undecided", {}, None)
    assert history.rounds[0].revision is None


def test_a_compilation_without_stored_proposals_lists_none() -> None:
    assert _history({}).rounds[0].proposals == ()


def test_the_json_leaves_out_what_is_absent_and_keeps_resolutions_as_stored() -> None:
    data = _history().as_json()
    entries = {e["seq"]: e for e in data["timeline"]}
    assert entries[4]["by"] == "token:3" and "by" not in entries[1]
    assert data["rounds"][0]["proposals"][0]["resolves"] == "B1 resolved: keeps 'anew'"
    assert (
        "resolves"
        not in _history({7: CompiledRound([PROPOSAL])}).as_json()["rounds"][0]["proposals"][0]
    )
    assert data["versions"][1]["resolutions"] == {"P001": RESOLVED}  # no "group": it was not stored
    assert data["versions"][1]["state"] == "circulated" and data["documents"] == 7
    assert data["declaration"] == {"slug": "d", "title": "T", "timezone": ZONE}


def test_the_timeline_says_every_event_even_one_it_cannot_read() -> None:
    unknown = EVENTS[0].model_copy(update={"seq": 99, "type": "accord.never.written"})
    unreadable = EVENTS[9].model_copy(update={"seq": 100, "payload": {}})
    history = history_of(DECLARATION, PARTIES, [*EVENTS, unknown, unreadable], VERSIONS, {})
    assert [e.summary for e in history.timeline[-2:]] == [
        "An event this version of accord does not know",
        "An event whose record this version of accord cannot read",
    ]
    assert history.timeline[0].local == "Tue 01 Dec 2026 02:00 CET (01:00 UTC)"


def test_compilation_files_read_the_synopsis_only_with_stable_bracket_ids() -> None:
    assert compilation_files(EVENTS) == {7: CompilationFiles("pj", "sj")}
    before = _log(CREATED.model_copy(update={"rules": None}), ZERO, *ROUND)
    assert compilation_files(before) == {7: CompilationFiles("pj", None)}


def test_the_page_escapes_what_parties_wrote() -> None:
    page = history_html(_history(), prefix="p/")
    assert 'href="p/rounds/round-01/submissions/001-MX-mx.docx"' in page
    assert "<b>B1 resolved: keeps &#39;anew&#39;</b>" in page and "Spain: accept" in page


def test_documents_keep_party_file_names_inside_their_folder() -> None:
    assert safe_name("../../etc/passwd") == "passwd" and safe_name("..") == "file"
    assert safe_name("C:\\x\\a b.docx") == "a_b.docx"
    paths = [d.path for d in documents_of(EVENTS)]
    assert paths == [
        "zero-draft/zero_draft.docx",
        "versions/00-Zero_draft.docx",
        "rounds/round-01/submissions/001-MX-mx.docx",
        "rounds/round-01/compilation/proposals.json",
        "rounds/round-01/compilation/synopsis.json",
        "rounds/round-01/decisions/0008-ES-es.json",
        "versions/01-Rev.1.docx",
    ]
