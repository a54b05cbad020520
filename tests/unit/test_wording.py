"""Plain words for every event (drafting/wording.py): no internal event name, times in the declaration's zone, no
repetition, counts with the right number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from drafting import events as ev
from drafting.negotiation import Event
from drafting.wording import Teller, count, listing, say

T0, T1 = "2026-12-04T17:00:00Z", "2026-12-08T08:00:00Z"
ONE_PARTY = {"ES": "outbox only (no SMTP settings)"}
# One recorded payload per event class, as accord writes them.
SAMPLES: dict[type[ev.DomainEvent], dict[str, Any]] = {
    ev.DeclarationCreated: {
        "slug": "d",
        "title": "T",
        "timezone": "Europe/Brussels",
        "languages": ["en"],
        "parties": [{"code": "ES", "name": "Spain", "bloc": "EU", "role": "co-presidency"}],
        "zero_draft": {"original": "ab", "filename": "zero.docx"},
    },
    ev.VersionIssued: {
        "version": "Rev.1",
        "number": 1,
        "blob": "b",
        "text_sha256": "t",
        "paragraphs": 1,
        "round": 1,
        "bracketed": ["3"],
    },
    ev.VersionEdited: {
        "version": "Rev.2",
        "number": 2,
        "parent": "Rev.1",
        "blob": "b",
        "text_sha256": "t",
        "paragraphs": 3,
        "reason": "house style",
        "source": {"blob": "s", "filename": "e.docx"},
        "operations": 1,
        "lineage_sha256": "l",
    },
    ev.VersionTranslated: {
        "version": "Rev.1",
        "language": "es",
        "blob": "b",
        "text_sha256": "t",
        "paragraphs": 3,
        "aligned": ["p002"],
        "pending": [],
        "translations": {},
        "source": {"blob": "s", "filename": "Rev.1.es.docx"},
    },
    ev.VersionApproved: {"version": "Rev.1", "party": "ES"},
    ev.VersionCirculated: {"version": "Rev.1", "blob": "b", "approved_by": ["BO", "ES"]},
    ev.VersionAgreed: {
        "version": "Rev.2",
        "text_sha256": "t",
        "blob": "b",
        "via": "silence",
        "silence": 1,
    },
    ev.DeclarationArchived: {
        "version": "Rev.2",
        "state": "agreed",
        "text_sha256": "t",
        "files": {},
        "events": 1,
        "head": "h",
        "pdf": None,
    },
    ev.RoundOpened: {"round": 1, "version": "Zero draft", "deadline": T1, "parties": ["ES"]},
    ev.SubmissionReceived: {
        "round": 1,
        "party": "MX",
        "submission": 1,
        "blob": "b",
        "filename": "MX.docx",
        "late": True,
        "superseded": [],
        "flags": [],
    },
    ev.SubmissionRefused: {
        "party": "MX",
        "filename": "x.txt",
        "sha256": "s",
        "size": 1,
        "reason": "not Word",
    },
    ev.DecisionRefused: {
        "party": "MX",
        "filename": "x.json",
        "sha256": "s",
        "size": 1,
        "reason": "not a co-presidency",
    },
    ev.ApprovalRefused: {"party": "MX", "reason": "not a co-presidency"},
    ev.DeadlineReached: {"round": 1, "deadline": T1},
    ev.DeadlineExtended: {"round": 1, "deadline": T1, "previous": T0, "by": "account:4"},
    ev.RoundClosed: {"round": 1, "reason": "closed", "submissions": [1]},
    ev.CompilationReady: {
        "round": 1,
        "version": "Zero draft",
        "documents": {},
        "submissions": [1],
        "proposals": 1,
        "conflicts": 1,
    },
    ev.DecisionRecorded: {
        "round": 1,
        "party": "ES",
        "blob": "b",
        "filename": "ES.json",
        "decisions": {"P001": "accept", "P002": "reject"},
    },
    ev.SilenceStarted: {
        "silence": 1,
        "version": "Rev.2",
        "until": T0,
        "text_sha256": "t",
        "blob": "b",
    },
    ev.SilenceBroken: {
        "silence": 1,
        "version": "Rev.2",
        "party": "MX",
        "reason": "para 3",
        "until": T0,
    },
    ev.SilenceExpired: {"silence": 1, "version": "Rev.2", "until": T0, "text_sha256": "t"},
    ev.SubmissionFiled: {
        "submission": 1,
        "round": 1,
        "party": "MX",
        "inbox": "MX-1-MX.docx",
        "acknowledged": "mailed",
    },
    ev.VersionRouted: {
        "round": 1,
        "version": "Zero draft",
        "parties": {"ES": "mailed", "BO": "mailed"},
        "files": ["compilation.docx"],
    },
    ev.VersionDistributed: {"version": "Rev.2", "parties": ONE_PARTY, "resent": T0},
    ev.RoundDistributed: {"round": 1, "version": "Zero draft", "parties": ONE_PARTY},
    ev.ReminderSent: {
        "round": 1,
        "deadline": T1,
        "parties": {"MX": "failed: refused", "ES": "mailed"},
    },
}
TELLER = Teller("Europe/Brussels", {"ES": "Spain", "BO": "Bolivia", "MX": "Mexico"})


def _event(kind: type[ev.DomainEvent], payload: dict[str, Any]) -> Event:
    return Event(
        declaration="d",
        seq=1,
        type=kind.TYPE,
        actor="secretariat",
        payload=payload,
        occurred_at=T0,
        prev_hash="",
        hash="",
    )


def test_there_is_a_sample_of_every_event_class() -> None:
    assert set(SAMPLES) == set(ev.EVENTS.values())


@pytest.mark.parametrize("kind", sorted(SAMPLES, key=lambda k: k.TYPE), ids=lambda k: k.TYPE)
def test_every_event_reads_as_plain_words(kind: type[ev.DomainEvent]) -> None:
    sentence = say(_event(kind, SAMPLES[kind]), TELLER)
    assert "accord." not in sentence
    assert not [name for name in ev.EVENTS if name.removeprefix("accord.") in sentence], sentence
    assert not re.search(r"\d{4}-\d\d-\d\dT", sentence), "a raw ISO time"
    assert sentence[0].isupper(), sentence
    assert not re.search(r"\b(\w+) \(\1\)", sentence), "a word repeated in brackets"
    assert not re.search(r"\b1 \w+s\b", sentence.replace("1 December", "")), sentence


def test_times_are_in_the_declaration_zone() -> None:
    started = say(_event(ev.SilenceStarted, SAMPLES[ev.SilenceStarted]), TELLER)
    assert started == "Silence procedure on Rev.2 until Fri 04 Dec 2026 18:00 CET (17:00 UTC)"
    opened = say(_event(ev.RoundOpened, SAMPLES[ev.RoundOpened]), Teller("UTC"))
    assert opened.endswith("deadline Tue 08 Dec 2026 08:00 UTC")
    assert say(_event(ev.RoundOpened, {**SAMPLES[ev.RoundOpened], "deadline": None})).endswith(
        "deadline none"
    )


def test_a_closed_round_is_not_said_twice_and_counts_agree_in_number() -> None:
    closed = say(_event(ev.RoundClosed, SAMPLES[ev.RoundClosed]), TELLER)
    assert closed == "Round 1 closed with 1 submission"
    compiled = say(
        _event(ev.CompilationReady, {**SAMPLES[ev.CompilationReady], "proposals": 2}), TELLER
    )
    assert compiled == "Round 1 compiled: 2 proposals, 1 conflict group"
    why = say(
        _event(ev.RoundClosed, {**SAMPLES[ev.RoundClosed], "reason": "deadline", "submissions": []})
    )
    assert why == "Round 1 closed with 0 submissions: deadline"


def test_parties_are_named_and_failures_counted() -> None:
    assert (
        say(_event(ev.VersionApproved, SAMPLES[ev.VersionApproved]), TELLER)
        == "Spain approved Rev.1"
    )
    reminder = say(_event(ev.ReminderSent, SAMPLES[ev.ReminderSent]), TELLER)
    assert reminder.startswith("Reminder to 2 parties (1 failed): ")
    assert say(_event(ev.VersionCirculated, SAMPLES[ev.VersionCirculated]), TELLER).endswith(
        "Bolivia and Spain"
    )


def test_an_unreadable_or_unknown_event_is_still_said_plainly() -> None:
    unknown = _event(ev.VersionApproved, {}).model_copy(update={"type": "accord.something.new"})
    assert "accord." not in say(unknown)
    assert "cannot read" in say(_event(ev.VersionApproved, {"version": "Rev.1"}))


def test_counts_and_lists() -> None:
    assert [count(n, "party") for n in (0, 1, 2)] == ["0 parties", "1 party", "2 parties"]
    assert (
        count(1, "conflict group") == "1 conflict group"
        and count(3, "submission") == "3 submissions"
    )
    assert [listing(x) for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "",
        "A",
        "A and B",
        "A, B and C",
    ]
