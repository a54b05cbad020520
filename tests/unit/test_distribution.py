"""Who receives what and what failed (drafting/distribution.py): pure functions, no store, no mail."""

from __future__ import annotations

from typing import Any, NamedTuple

from drafting import distribution
from drafting.distribution import Letter, RoundCopies
from drafting.lifecycle import Round
from drafting.negotiation import Declaration, Event, Party, Role, RoundState, Submission

PARTIES = [
    Party(code="AT", name="Austria"),
    Party(code="BO", name="Bolivia", role=Role.CO_PRESIDENCY, language="es"),
    Party(code="UN", name="Secretariat", role=Role.SECRETARIAT),
]
DECLARATION = Declaration(slug="eu-celac", title="Declaration", languages=["en", "es"])


def a_round(
    state: RoundState = RoundState.OPEN, number: int = 2, deadline: str | None = None
) -> Round:
    return Round("eu-celac", number, "Rev.1", state, "2026-12-01T09:00:00Z", deadline)


class Share(NamedTuple):
    """A share as the outbox gives it (storage.outbox.Owed), its kind left out."""

    key: dict[str, Any]
    party: str
    outcome: str | None


def event(type: str, **payload: Any) -> Event:
    return Event(
        declaration="eu-celac",
        seq=1,
        type=type,
        actor="secretariat",
        payload=payload,
        occurred_at="2026-12-01T09:00:00Z",
        prev_hash="",
        hash="",
    )


def test_file_names_recipients_and_letters() -> None:
    assert (
        distribution.file_name("eu-celac", "Zero draft", "round", 2)
        == "eu-celac-Zero-draft-round-2"
    )
    assert [p.code for p in distribution.recipients(PARTIES)] == [
        "AT",
        "BO",
    ]  # never the secretariat
    assert [p.code for p in distribution.recipients(PARTIES, ("co-presidency",))] == ["BO"]
    letters = distribution.letters(PARTIES[:2], "subject", "body", "note.txt")
    assert letters[0] == Letter("AT", None, "subject", "body", "note.txt")
    assert distribution.only(letters, frozenset({"BO"})) == letters[1:]
    assert distribution.only(letters, None) == letters


def test_a_round_is_open_for_sending_and_who_has_not_submitted() -> None:
    assert distribution.if_open(a_round(), 0) == a_round() == distribution.if_open(a_round(), 2)
    assert distribution.if_open(a_round(), 1) is None and distribution.if_open(None, 0) is None
    assert distribution.if_open(a_round(RoundState.CLOSED), 0) is None
    received = Submission(
        id=1,
        round=2,
        party="AT",
        blob_sha256="",
        filename="",
        received_at="",
        status="current",
        late=False,
    )
    assert distribution.not_submitted(PARTIES, [received]) == []
    assert distribution.not_submitted(PARTIES, []) == PARTIES[:1]  # delegations only
    assert distribution.until(a_round(), "UTC") == "the close of the round"
    assert (
        distribution.until(a_round(deadline="2026-12-04T17:00:00Z"), "UTC")
        == "Fri 04 Dec 2026 17:00 UTC"
    )


def test_a_copy_is_named_in_its_partys_language() -> None:
    copies = RoundCopies(DECLARATION, a_round(), "Rev.1", PARTIES[:2], {})
    assert [copies.name(p) for p in PARTIES[:2]] == [
        "eu-celac-Rev.1-AT.docx",
        "eu-celac-Rev.1-BO.es.docx",
    ]


def test_a_later_success_clears_a_failure_and_a_closed_rounds_copies_are_moot() -> None:
    failed = "failed: 550"
    events = [
        event("accord.round.distributed", round=1, parties={"AT": failed}),
        event("accord.version.routed", round=1, parties={"AT": failed, "BO": failed}),
        event("accord.version.routed", round=1, parties={"BO": "mailed"}, resent="now"),
        event("accord.version.distributed", version="Rev.1", parties={"AT": "mailed"}),
    ]
    assert distribution.failed_deliveries(events, {}) == {
        ("accord.round.distributed", 1): {"AT": failed},
        ("accord.version.routed", 1): {"AT": failed},
    }
    closed = [event("accord.round.closed", round=1), *events]
    assert distribution.failed_deliveries(closed, {}) == {
        ("accord.version.routed", 1): {"AT": failed}
    }


def test_the_outbox_tells_the_order_of_sendings_and_a_share_still_owed_is_not_failed() -> None:
    """Regression: a sending again cut short (its shares owed, its event not logged) left the log's failure
    standing, so `accord resend` sent it once more while `accord tick` finished it."""
    distributed, failed = "accord.round.distributed", "failed: 550"
    first = [Share({"round": 1}, "AT", failed), Share({"round": 1}, "MX", failed)]
    cut_short = [
        Share({"round": 1, "resent": "1"}, "AT", "mailed"),
        Share({"round": 1, "resent": "1"}, "MX", None),
    ]
    events = [event(distributed, round=1, parties={"AT": failed, "MX": failed})]
    assert distribution.failed_deliveries(events, {distributed: first}) == {
        (distributed, 1): {"AT": failed, "MX": failed}
    }
    assert distribution.failed_deliveries(events, {distributed: first + cut_short}) == {}
    # the first sending again is finished after a second one to AT: the order owed counts, not the log's
    again = [Share({"round": 1, "resent": "1"}, "AT", failed), cut_short[1]]
    second = Share({"round": 1, "resent": "2"}, "AT", "mailed")
    later = [
        *events,
        event(distributed, round=1, parties={"AT": "mailed"}, resent="2"),
        event(distributed, round=1, parties={"AT": failed, "MX": "mailed"}, resent="1"),
    ]
    assert distribution.failed_deliveries(later, {distributed: [*first, *again, second]}) == {}


def test_the_logs_sendings_from_before_the_outbox_come_first() -> None:
    routed, failed = "accord.version.routed", "failed: 550"
    # no share of this sending: it was sent before the outbox
    events = [event(routed, round=1, parties={"BO": failed, "ES": failed})]
    again = [Share({"round": 1, "resent": "1"}, "BO", "mailed")]
    assert distribution.failed_deliveries(events, {routed: again}) == {(routed, 1): {"ES": failed}}
    closed = [
        event("accord.round.closed", round=1),
        event("accord.round.distributed", round=1, parties={}),
    ]
    copies = {"accord.round.distributed": [Share({"round": 1}, "AT", failed)]}
    assert distribution.failed_deliveries(closed, copies) == {}  # a closed round's copies are moot


def test_a_notices_latest_share_counts_and_a_silence_no_longer_running_is_moot() -> None:
    kind, failed = "accord.silence.started", "failed: 550"
    shares = [
        Share({"silence": 1}, "AT", failed),
        Share({"silence": 1}, "MX", failed),
        Share({"silence": 2}, "MX", failed),
        Share({"silence": 1, "resent": "t"}, "AT", "mailed"),
        Share({"silence": 1, "resent": "u"}, "MX", None),  # owed: tick sends it
    ]
    assert distribution.failed_notices(kind, shares, [1]) == {}
    assert distribution.failed_notices(kind, shares[:3], [1, 2]) == {
        (kind, 1): {"AT": failed, "MX": failed},
        (kind, 2): {"MX": failed},
    }


def test_a_sending_again_all_settled_but_not_logged_is_found_to_log() -> None:
    distributed, routed, mailed = "accord.round.distributed", "accord.version.routed", "mailed"
    settled = [Share({"round": 1, "resent": "1"}, p, mailed) for p in ("AT", "MX")]
    half = [
        Share({"round": 1, "resent": "2"}, "AT", mailed),
        Share({"round": 1, "resent": "2"}, "MX", None),
    ]
    # a first sending: serve and the command itself finish it
    first = [Share({"round": 1}, "AT", mailed)]
    routing = [Share({"round": 2, "resent": "1"}, "AT", "failed: 550")]
    shares = {distributed: [*first, *settled, *half], routed: routing}
    # the routed one's letter failed, but it went too: that sending is over, its event missing
    assert distribution.unlogged_again([], shares) == [(distributed, 1, "1"), (routed, 2, "1")]
    logged = [event(distributed, round=1, resent="1", parties={"AT": mailed, "MX": mailed})]
    assert distribution.unlogged_again(logged, shares) == [(routed, 2, "1")]
    closed = [event("accord.round.closed", round=1)]
    assert distribution.unlogged_again(closed, shares) == [(routed, 2, "1")]  # moot
