"""Where a declaration stands, from its log alone (drafting/standing.py): the overall state first, decision
progress per co-presidency, times in the declaration's zone."""

from __future__ import annotations

from drafting import events as ev
from drafting.standing import (
    AGREED,
    APPROVING,
    ARCHIVED,
    CIRCULATED,
    DECIDING,
    DRAFT,
    OPEN,
    SILENCE,
    DecisionProgress,
    decision_progress,
    overall,
)
from drafting.wording import Teller
from tests.unit.records import log

CHAIRS = ["ES", "BO"]
BRUSSELS = Teller("Europe/Brussels", {"ES": "Spain", "BO": "Bolivia"})


ZERO = (
    ev.VersionIssued(version="Zero draft", number=0, blob="b", text_sha256="t", paragraphs=3),
    "2026-12-01T08:00:00Z",
)
OPENED = (
    ev.RoundOpened(
        round=1, version="Zero draft", deadline="2026-12-04T17:00:00Z", parties=("ES", "BO", "MX")
    ),
    "2026-12-01T09:00:00Z",
)
CLOSED = (ev.RoundClosed(round=1, reason="closed", submissions=(1,)), "2026-12-05T09:00:00Z")
COMPILED = (
    ev.CompilationReady(
        round=1, version="Zero draft", documents={}, submissions=(1,), proposals=14, conflicts=1
    ),
    "2026-12-05T09:00:00Z",
)
VOTES = {f"P{n:03d}": "accept" for n in range(1, 10)}
ES_DECIDED = (
    ev.DecisionRecorded(round=1, party="ES", blob="b", filename="ES.json", decisions=VOTES),
    "2026-12-06T09:00:00Z",
)
REV1 = (
    ev.VersionIssued(version="Rev.1", number=1, blob="b", text_sha256="t", paragraphs=3, round=1),
    "2026-12-07T09:00:00Z",
)
APPROVED = [
    (ev.VersionApproved(version="Rev.1", party=p), "2026-12-07T10:00:00Z") for p in ("BO", "ES")
]
CIRCULATED_REV1 = (
    ev.VersionCirculated(version="Rev.1", blob="b", approved_by=("BO", "ES")),
    "2026-12-07T10:00:00Z",
)
SILENT = (
    ev.SilenceStarted(
        silence=1, version="Rev.1", until="2026-12-20T17:00:00Z", text_sha256="t", blob="b"
    ),
    "2026-12-08T09:00:00Z",
)
EXPIRED = (
    ev.SilenceExpired(silence=1, version="Rev.1", until="2026-12-20T17:00:00Z", text_sha256="t"),
    "2026-12-20T17:00:00Z",
)
AGREED_REV1 = (
    ev.VersionAgreed(version="Rev.1", text_sha256="t", blob="b", via="silence", silence=1),
    "2026-12-20T17:00:00Z",
)
SEALED = (
    ev.DeclarationArchived(
        version="Rev.1", state="agreed", text_sha256="t", files={}, events=12, head="h", pdf=None
    ),
    "2026-12-21T09:00:00Z",
)


def test_each_phase_of_a_negotiation_in_order() -> None:
    steps = [
        ZERO,
        OPENED,
        CLOSED,
        COMPILED,
        ES_DECIDED,
        REV1,
        *APPROVED,
        CIRCULATED_REV1,
        SILENT,
        EXPIRED,
        AGREED_REV1,
        SEALED,
    ]
    phases = [
        overall(log(*steps[:n]), CHAIRS, BRUSSELS).phase
        for n in (1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13)
    ]
    assert phases == [
        DRAFT,
        OPEN,
        DECIDING,
        DECIDING,
        APPROVING,
        APPROVING,
        CIRCULATED,
        SILENCE,
        CIRCULATED,
        AGREED,
        ARCHIVED,
    ]


def test_an_open_round_says_its_deadline_in_the_declaration_zone() -> None:
    said = overall(log(ZERO, OPENED), CHAIRS, BRUSSELS)
    assert said.summary == "Round 1 open on Zero draft until Fri 04 Dec 2026 18:00 CET (17:00 UTC)"
    assert said.until == "2026-12-04T17:00:00Z" and said.round == 1
    no_deadline = (OPENED[0].model_copy(update={"deadline": None}), OPENED[1])
    assert (
        overall(log(ZERO, no_deadline), CHAIRS).summary
        == "Round 1 open on Zero draft with no deadline"
    )


def test_decision_progress_per_co_presidency() -> None:
    events = log(ZERO, OPENED, CLOSED, COMPILED, ES_DECIDED)
    assert decision_progress(events, CHAIRS) == [
        DecisionProgress(party="ES", decided=9, proposals=14),
        DecisionProgress(party="BO", decided=0, proposals=14),
    ]
    said = overall(events, CHAIRS, BRUSSELS).summary
    assert (
        said == "Round 1 compiled (1 conflict group), awaiting decisions: ES 9/14 decided, BO none"
    )
    agreeing = log(
        ZERO, OPENED, CLOSED, (COMPILED[0].model_copy(update={"conflicts": 0}), COMPILED[1])
    )
    assert overall(agreeing, CHAIRS, BRUSSELS).summary.startswith("Round 1 compiled, awaiting")
    assert decision_progress(log(ZERO, OPENED), CHAIRS) == [], (
        "nothing to decide while the round is open"
    )


def test_a_later_decision_file_replaces_the_earlier_count() -> None:
    again = (
        ES_DECIDED[0].model_copy(update={"decisions": {"P001": "reject"}}),
        "2026-12-06T10:00:00Z",
    )
    [es, _] = decision_progress(log(ZERO, OPENED, CLOSED, COMPILED, ES_DECIDED, again), CHAIRS)
    assert es.decided == 1


def test_a_revision_waits_for_the_co_presidency_that_has_not_approved() -> None:
    said = overall(
        log(ZERO, OPENED, CLOSED, COMPILED, ES_DECIDED, REV1, APPROVED[0]), CHAIRS, BRUSSELS
    )
    assert said.summary == "Rev.1 issued, awaiting approval by Spain"


def test_agreement_and_archive_come_first_whatever_else_the_log_holds() -> None:
    events = log(
        ZERO,
        OPENED,
        CLOSED,
        COMPILED,
        ES_DECIDED,
        REV1,
        *APPROVED,
        CIRCULATED_REV1,
        SILENT,
        EXPIRED,
        AGREED_REV1,
        SEALED,
    )
    said = overall(events, CHAIRS, BRUSSELS)
    assert said.summary == (
        "Rev.1 agreed on Sun 20 Dec 2026 18:00 CET (17:00 UTC); "
        "archived on Mon 21 Dec 2026 10:00 CET (09:00 UTC)"
    )
    assert (said.agreed_at, said.archived_at) == ("2026-12-20T17:00:00Z", "2026-12-21T09:00:00Z")


def test_a_broken_silence_leaves_the_version_circulated() -> None:
    broken = (
        ev.SilenceBroken(
            silence=1, version="Rev.1", party="MX", reason="para 3", until="2026-12-20T17:00:00Z"
        ),
        "2026-12-09T09:00:00Z",
    )
    events = log(
        ZERO, OPENED, CLOSED, COMPILED, ES_DECIDED, REV1, *APPROVED, CIRCULATED_REV1, SILENT, broken
    )
    assert overall(events, CHAIRS).phase == CIRCULATED
