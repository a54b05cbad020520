"""What the dashboard shows, built from the record's values (drafting/dashboard_model.py): each paragraph's
status, the timeline's bars and marks, who submitted, the parties' order. No database; the page's drawing is
tests/unit/test_dashboard_render.py's."""

from __future__ import annotations

from dataclasses import replace

from drafting import events as ev
from drafting.dashboard import (
    AD_REF,
    AGREED,
    AMENDED,
    BRACKETED,
    UNCHANGED,
    Dashboard,
    DocumentGroup,
    Link,
)
from drafting.dashboard_model import Record, dashboard, undecided_round
from drafting.lifecycle import Round, Silence
from drafting.negotiation import (
    Declaration,
    Party,
    Role,
    RoundState,
    SilenceState,
    Submission,
    VersionState,
)
from tests.unit.records import log, version

ZONE = "Europe/Brussels"
DECLARATION = Declaration(slug="d", title="T", languages=["en"], timezone=ZONE, created_at="x")
PARTIES = [
    Party(code="MX", name="Mexico"),
    Party(code="ES", name="Spain", role=Role.CO_PRESIDENCY),
    Party(code="SEC", name="Secretariat", role=Role.SECRETARIAT),
    Party(code="AT", name="Austria"),
]


ZERO = version(0, VersionState.CIRCULATED, [(k, "Same.", "unchanged") for k in ("p1", "p2", "p3")])
REV1 = version(
    1,
    VersionState.CIRCULATED,
    [
        ("p1", "Same.", "unchanged"),
        ("p2", "Changed.", "unchanged"),
        ("p3", "[a / b]", "bracketed"),
        ("p3.1", "New.", "new"),
    ],
)
ROUNDS = [
    Round(
        "d",
        1,
        "Zero draft",
        RoundState.DECIDED,
        "2026-12-01T09:00:00Z",
        None,
        "2026-12-02T09:00:00Z",
    ),
    Round("d", 2, "Rev.1", RoundState.OPEN, "2026-12-03T09:00:00Z", "2026-12-09T08:00:00Z"),
]


EVENTS = log(
    (
        ev.SilenceBroken(silence=1, version="Rev.1", party="MX", reason="no", until="u"),
        "2026-12-04T10:00:00Z",
    ),
    (
        ev.VersionAgreed(version="Rev.1", text_sha256="t", blob="b", via="agreement"),
        "2026-12-05T10:00:00Z",
    ),
)
SILENCE = Silence(
    "d", 1, "Rev.1", "t", "2026-12-05T00:00:00Z", SilenceState.BROKEN, "2026-12-04T00:00:00Z"
)
SUBMITTED = Submission(
    id=1,
    round=2,
    party="MX",
    blob_sha256="s",
    filename="mx.docx",
    received_at="2026-12-04T08:00:00Z",
    status="current",
    late=True,
)


RECORD = Record(
    declaration=DECLARATION,
    events=EVENTS,
    versions=[ZERO, REV1],
    rounds=ROUNDS,
    parties=PARTIES,
    silences=[SILENCE],
    received={2: [SUBMITTED]},
    pending=frozenset(),
    synopses=frozenset({1}),
)


def _page(**changes: object) -> Dashboard:
    return dashboard(replace(RECORD, **changes), documents=[], audit=[], pdf_note="")


def test_each_paragraph_has_its_status_and_its_synopsis_row() -> None:
    cells = _page().cells
    assert [(c.key, c.number, c.status) for c in cells] == [
        ("p1", "1", UNCHANGED),
        ("p2", "2", AMENDED),
        ("p3", "3", BRACKETED),
        ("p3.1", "4", AD_REF),
    ]
    assert [c.synopsis for c in cells][:3] == [f"round-1/synopsis.html#p{i}" for i in (1, 2, 3)]
    assert cells[3].synopsis is None and cells[0].synopsis_round == 1
    assert _page(pending=frozenset({"p1"})).cells[0].status == AMENDED
    agreed = REV1.model_copy(update={"state": VersionState.AGREED})
    assert {c.status for c in _page(versions=[ZERO, agreed]).cells} == {AGREED}


def test_bars_marks_and_boards_follow_the_record() -> None:
    page = _page()
    assert [(b.label, b.end, b.kind) for b in page.bars] == [
        ("Round 1", "2026-12-02T09:00:00Z", "round"),
        ("Round 2 (open)", "2026-12-09T08:00:00Z", "round-open"),
        ("Silence on Rev.1", "2026-12-05T00:00:00Z", "silence-broken"),
    ]
    assert [(m.lane, m.label) for m in page.marks] == [
        ("Rounds", "deadline 2"),
        ("Versions", "Zero draft"),
        ("Versions", "Rev.1"),
        ("Silence", "broken by MX"),
        ("Agreement", "Rev.1 agreed"),
    ]
    first, second = page.boards
    assert (first.received, first.expected, first.delegations) == ({}, 2, 0)
    assert second.received["MX"].late and second.received["MX"].at.startswith(
        "Fri 04 Dec 2026 09:00"
    )
    assert second.delegations == 1
    assert [p.code for p in page.parties] == ["ES", "AT", "MX"]  # co-presidency first
    assert [at for at, _ in page.milestones] == [e.occurred_at for e in EVENTS]
    assert [(c.version, c.bracketed) for c in page.brackets] == [("Zero draft", 0), ("Rev.1", 1)]


def test_only_an_undecided_round_on_the_current_version_marks_paragraphs() -> None:
    assert undecided_round(ROUNDS, REV1) is ROUNDS[1]
    assert undecided_round(ROUNDS, ZERO) is None  # compiled on another version
    assert undecided_round(ROUNDS[:1], ZERO) is None  # decided
    assert undecided_round([], ZERO) is None


def test_the_page_names_the_declaration_and_its_state() -> None:
    links = [Link("History", "audit/history.html")]
    page = dashboard(
        RECORD, documents=[DocumentGroup("Versions", [])], audit=links, pdf_note="no PDFs"
    )
    assert (page.title, page.symbol, page.version, page.pdf_note) == (
        "T",
        "D/L.1",
        "Rev.1",
        "no PDFs",
    )
    assert page.state and page.documents == [DocumentGroup("Versions", [])] and page.audit == links
