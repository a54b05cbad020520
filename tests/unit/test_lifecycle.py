"""The aggregates whose state moves (drafting/lifecycle.py): each method checks its preconditions, raises the
domain's error, changes the state and returns the event that records it. In memory, no database."""

from __future__ import annotations

import pytest

from drafting.errors import WrongState
from drafting.events import (
    DeadlineReached,
    RoundClosed,
    RoundOpened,
    SilenceBroken,
    SilenceExpired,
    SilenceStarted,
    VersionAgreed,
    VersionApproved,
    VersionCirculated,
)
from drafting.lifecycle import Round, Silence, Version
from drafting.negotiation import RoundState, SilenceState, VersionState

AT = "2026-12-01T10:00:00Z"
LATER = "2026-12-08T10:00:00Z"
CHAIRS = ("BO", "ES")


def version(
    state: VersionState = VersionState.CIRCULATED, brackets: tuple[tuple[str, str], ...] = ()
) -> Version:
    return Version("eu-celac", 1, "Rev.1", state, "ab" * 32, "cd" * 32, brackets=brackets)


def test_a_round_opens_on_a_circulated_version_and_closes_once() -> None:
    opened, event = Round.open_after(None, version(), AT, LATER, ["MX", "AT"])
    assert event == RoundOpened(round=1, version="Rev.1", deadline=LATER, parties=("AT", "MX"))
    assert opened.is_open and not opened.is_late(AT) and opened.is_late("2026-12-09T00:00:00Z")
    closed = opened.close(LATER, "closed", [3, 4])
    assert closed == RoundClosed(round=1, reason="closed", submissions=(3, 4))
    assert opened.state is RoundState.CLOSED and opened.closed_at == LATER and opened.is_late(AT)
    with pytest.raises(WrongState, match="no open round to close"):
        opened.close(LATER, "again", [])
    second, event = Round.open_after(opened, version(), LATER, None, [])
    assert second.number == 2 and event.deadline is None


def test_a_round_refuses_to_open_while_one_is_open_or_on_a_draft() -> None:
    opened, _ = Round.open_after(None, version(), AT, None, [])
    with pytest.raises(WrongState, match="round 1 of 'eu-celac' is still open"):
        Round.open_after(opened, version(), AT, None, [])
    with pytest.raises(WrongState, match="Rev.1 of 'eu-celac' is draft, not circulated"):
        Round.open_after(None, version(VersionState.DRAFT), AT, None, [])


def test_a_deadline_is_reached_only_by_its_open_round_once_past() -> None:
    opened, _ = Round.open_after(None, version(), AT, LATER, [])
    assert opened.deadline_reached(1, AT) is None
    assert opened.deadline_reached(2, LATER) is None
    assert opened.deadline_reached(1, LATER) == DeadlineReached(round=1, deadline=LATER)
    opened.close(LATER, "deadline", [])
    assert opened.deadline_reached(1, LATER) is None


def test_a_round_is_decided_once_after_closing() -> None:
    opened, _ = Round.open_after(None, version(), AT, None, [])
    with pytest.raises(WrongState, match="no revision is due"):
        opened.decided()
    opened.close(AT, "closed", [])
    assert opened.awaiting_decisions()
    opened.decided()
    assert opened.state is RoundState.DECIDED and not opened.awaiting_decisions()


def test_both_co_presidencies_approve_a_draft_before_it_circulates() -> None:
    draft = version(VersionState.DRAFT)
    assert draft.approve("ES", CHAIRS) == [VersionApproved(version="Rev.1", party="ES")]
    assert (
        draft.state is VersionState.DRAFT
    )  # approved by one: still a draft (there is no "approved" state)
    with pytest.raises(WrongState, match="ES has already approved Rev.1"):
        draft.approve("ES", CHAIRS)
    approval, circulation = draft.approve("BO", CHAIRS)
    assert approval == VersionApproved(version="Rev.1", party="BO")
    assert circulation == VersionCirculated(version="Rev.1", blob="ab" * 32, approved_by=CHAIRS)
    assert draft.state is VersionState.CIRCULATED
    with pytest.raises(WrongState, match="only a draft revision awaits approval"):
        draft.approve("BO", CHAIRS)


def test_agreement_refuses_brackets_an_open_round_and_a_second_time() -> None:
    with pytest.raises(WrongState, match="1 bracketed paragraph"):
        version(brackets=(("p002", "[a / b]"),)).agree(None)
    with pytest.raises(WrongState, match="round 3 is open"):
        version().agree(3)
    text = version()
    assert text.agree(None) == VersionAgreed(
        version="Rev.1", text_sha256="cd" * 32, blob="ab" * 32, via="agreement"
    )
    assert text.state is VersionState.AGREED
    with pytest.raises(WrongState, match="already agreed"):
        text.agree(None)


def test_a_silence_broken_in_time_circulates_the_text_again() -> None:
    text = version()
    silence, started = Silence.start(1, text, LATER, AT, None)
    assert started == SilenceStarted(
        silence=1, version="Rev.1", until=LATER, text_sha256="cd" * 32, blob="ab" * 32
    )
    assert text.state is VersionState.SILENCE and silence.state is SilenceState.RUNNING
    with pytest.raises(WrongState, match="under silence"):
        Silence.start(2, text, LATER, AT, None)
    broken = silence.object("VE", "no", AT, "UTC", text)
    assert broken == SilenceBroken(silence=1, version="Rev.1", party="VE", reason="no", until=LATER)
    assert text.state is VersionState.CIRCULATED and silence.objection == {
        "party": "VE",
        "reason": "no",
    }
    with pytest.raises(WrongState, match="already broken"):
        silence.object("MX", "me too", AT, "UTC", text)
    assert silence.expire(LATER) is None


def test_a_silence_that_expires_is_adopted_and_refuses_late_objections() -> None:
    text = version()
    silence, _ = Silence.start(2, text, LATER, AT, None)
    assert silence.expire(AT) is None  # not yet due
    with pytest.raises(WrongState, match="an objection after that does not count"):
        silence.object("VE", "late", LATER, "UTC", text)
    assert silence.expire(LATER) == SilenceExpired(
        silence=2, version="Rev.1", until=LATER, text_sha256="cd" * 32
    )
    agreed = silence.adopt(text)
    assert agreed == VersionAgreed(
        version="Rev.1", text_sha256="cd" * 32, blob="ab" * 32, via="silence", silence=2
    )
    assert silence.adopt(text) is None  # agreed already: nothing more to adopt


def test_a_declaration_is_created_with_its_parties_and_its_zero_draft_issued() -> None:
    from drafting.errors import InvalidInput
    from drafting.events import ZeroDraftFile
    from drafting.lifecycle import create
    from drafting.negotiation import Declaration, Party, Role
    from drafting.text import DraftParagraph, DraftText

    text = DraftText(paragraphs=[DraftParagraph(key="p001", text="Agreed.")])
    parties = [
        Party(code="ES", name="Spain", role=Role.CO_PRESIDENCY),
        Party(code="MX", name="Mexico"),
    ]
    zero = ZeroDraftFile(original="ef" * 32, filename="zero.docx")
    created, issued = create(
        Declaration(slug="eu-celac", title="T"), parties, zero, "ab" * 32, text
    )
    assert [p.code for p in created.parties] == ["ES", "MX"] and created.parties[
        0
    ].role == "co-presidency"
    assert created.zero_draft == zero and created.languages == ("en",) and created.timezone == "UTC"
    assert issued.payload() == {
        "version": "Zero draft",
        "number": 0,
        "blob": "ab" * 32,
        "text_sha256": text.sha256,
        "paragraphs": 1,
    }
    with pytest.raises(InvalidInput, match="is not a declaration slug"):
        create(Declaration(slug="eu celac", title="T"), parties, zero, "ab" * 32, text)


def test_a_round_s_deadline_moves_later_only_while_it_is_open() -> None:
    from drafting.errors import InvalidInput, WrongState
    from drafting.lifecycle import Round
    from drafting.negotiation import RoundState

    open_ = Round(
        "d",
        1,
        "Zero draft",
        RoundState.OPEN,
        "2026-12-01T09:00:00Z",
        deadline="2026-12-04T17:00:00Z",
    )
    with pytest.raises(InvalidInput, match="only moved later"):
        open_.extend("2026-12-04T16:00:00Z", "2026-12-02T09:00:00Z")
    moved = open_.extend("2026-12-05T17:00:00Z", "2026-12-02T09:00:00Z")
    assert (moved.previous, moved.deadline, open_.deadline) == (
        "2026-12-04T17:00:00Z",
        "2026-12-05T17:00:00Z",
        "2026-12-05T17:00:00Z",
    )
    with pytest.raises(WrongState, match="has passed"):
        open_.extend("2026-12-09T17:00:00Z", "2026-12-06T09:00:00Z")
    closed = Round("d", 1, "Zero draft", RoundState.CLOSED, "2026-12-01T09:00:00Z")
    with pytest.raises(WrongState, match="no open round"):
        closed.extend("2026-12-09T17:00:00Z", "2026-12-02T09:00:00Z")
