"""Sending documents to the parties, against the unit of work in memory (tests/unit/fakes.py) and a mailer in
memory (tests/fakes.py): a round's copies, a reminder, a submission's receipt, a circulation, a silence's notice;
what each records, that a second run sends nothing, and that `accord resend` sends again only what failed."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import NotFound, WrongState
from drafting.negotiation import RoundState, VersionState
from flows.usecases import rounds, routing, silence, submissions
from tests.fakes import FakeMailer
from tests.unit.fakes import (
    SLUG,
    ZERO_DRAFT,
    add_round,
    add_version,
    amended,
    fake_app,
    seed_declaration,
)

UNTIL = "2026-12-05T09:00:00Z"
REFUSED = "failed: 550 no such mailbox"


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def mailer(app: Any, **outcomes: str) -> FakeMailer:
    """Every party with an address (its code, lower case, at example.org) and a mailer in memory; ``outcomes``:
    what a party's mail gets instead of "mailed", by code."""
    for party in app.store.uow.repo.parties_:
        party.email = f"{party.code.lower()}@example.org"
    app.mail = FakeMailer({f"{code.lower()}@example.org": how for code, how in outcomes.items()})
    return app.mail  # type: ignore[no-any-return]


def last(app: Any) -> tuple[str, dict[str, Any]]:
    event = app.store.uow.log_[-1]
    return event.type, event.payload


def seeded(app: Any) -> Any:
    """The declaration with its zero draft's Word file stored (the copies are stamped from it)."""
    repo = seed_declaration(app, template=ZERO_DRAFT)
    app.store.uow.documents[repo.versions_[0].blob_sha256] = ZERO_DRAFT
    return repo


def test_each_party_gets_its_own_stamped_copy_once(app: Any) -> None:
    seeded(app)
    sent = mailer(app)
    rounds.open_round(app, SLUG, deadline="2026-12-04T18:00:00+01:00")
    copies = routing.distribute_round(app, SLUG)
    assert copies.parties == dict.fromkeys(["AT", "BO", "ES", "MX"], routing.MAILED)
    assert last(app) == (
        "accord.round.distributed",
        {"round": 1, "version": "Zero draft", "parties": copies.parties},
    )
    [mx] = sent.to("mx@example.org")
    assert mx.subject == f"[{SLUG}] round 1 on Zero draft: your copy"
    assert "until Fri 04 Dec 2026 18:00 CET (17:00 UTC)" in mx.body
    assert [name for name, _ in mx.files] == [f"{SLUG}-Zero-draft-MX.docx"]
    assert (
        len({data for m in sent.sent for _, data in m.files}) == 4
    )  # each copy stamped for its party
    assert routing.distribute_round(app, SLUG).skipped == "round 1 copies already sent"
    with pytest.raises(NotFound, match="has no round 2"):
        routing.distribute_round(app, SLUG, 2)
    again = routing.distribute_round(app, SLUG, again=True, only=frozenset({"AT"}))
    # the first sending again of these copies
    assert again.parties == {"AT": routing.MAILED} and last(app)[1]["resent"] == "1"


def test_a_reminder_goes_to_the_delegations_that_have_not_submitted(app: Any) -> None:
    seeded(app)
    sent = mailer(app)
    rounds.open_round(app, SLUG, deadline="2026-12-04T18:00:00Z")
    submissions.submit(app, SLUG, party="MX", data=amended("in full"), filename="MX.docx")
    reminded = routing.remind(app, SLUG, by="account:7")
    assert reminded.parties == {"AT": routing.MAILED}
    assert last(app) == (
        "accord.round.reminder-sent",
        {
            "round": 1,
            "deadline": "2026-12-04T18:00:00Z",
            "parties": {"AT": "mailed"},
            "by": "account:7",
        },
    )
    assert [m.subject for m in sent.sent] == [
        f"[{SLUG}] round 1 closes Fri 04 Dec 2026 19:00 CET (18:00 UTC)"
    ]
    assert routing.remind(app, SLUG).skipped == "round 1 reminder already sent"
    assert routing.remind(app, SLUG, 2).skipped == f"round 2 of {SLUG} is not open"


def test_no_reminder_after_the_deadline_or_without_an_open_round(app: Any) -> None:
    repo = seeded(app)
    assert routing.remind(app, SLUG).skipped == f"round - of {SLUG} is not open"
    add_round(repo, RoundState.OPEN, deadline="2026-12-01T08:00:00Z")
    assert routing.remind(app, SLUG).skipped == f"round 1 of {SLUG}: the deadline has passed"
    assert app.store.uow.log_ == []


def test_a_submission_is_filed_in_the_inbox_and_acknowledged_once(app: Any) -> None:
    seeded(app)
    sent = mailer(app)
    rounds.open_round(app, SLUG)
    received = submissions.submit(
        app, SLUG, party="MX", data=amended("in full"), filename="MX.docx"
    )
    filed = routing.file_submission(app, SLUG, received.submission)
    inbox = Path(filed.files[0])
    assert inbox.name == "MX-1-MX.docx" and inbox.read_bytes() == amended("in full")
    assert last(app) == (
        "accord.submission.filed",
        {
            "submission": 1,
            "round": 1,
            "party": "MX",
            "inbox": "MX-1-MX.docx",
            "acknowledged": "mailed",
        },
    )
    assert [m.subject for m in sent.to("mx@example.org")] == [f"[{SLUG}] received: MX.docx"]
    assert routing.file_submission(app, SLUG, 1).skipped == "submission 1 already filed"
    with pytest.raises(NotFound, match="has no submission 9"):
        routing.file_submission(app, SLUG, 9)


def test_a_version_circulates_to_every_party_once_both_approved(app: Any) -> None:
    repo = seeded(app)
    sent = mailer(app)
    circulated = routing.circulate_version(app, SLUG)
    assert circulated.parties == dict.fromkeys(["AT", "BO", "ES", "MX"], routing.MAILED)
    assert last(app) == (
        "accord.version.distributed",
        {"version": "Zero draft", "parties": circulated.parties},
    )
    assert {name for m in sent.sent for name, _ in m.files} == {f"{SLUG}-Zero-draft.docx"}
    assert routing.circulate_version(app, SLUG).skipped == "Zero draft already distributed"
    add_version(repo, 1, VersionState.DRAFT)
    with pytest.raises(WrongState, match="Rev.1 of 'eu-celac' is draft; both co-presidencies"):
        routing.circulate_version(app, SLUG)
    with pytest.raises(WrongState, match="no round has a compilation yet"):
        routing.route_compilation(app, SLUG)


def test_a_silence_starts_with_its_notice_to_every_party(app: Any) -> None:
    repo = seeded(app)
    sent = mailer(app)
    started = silence.start_silence(app, SLUG, UNTIL, by="account:7")
    assert (started.silence, started.state, started.notice_owed) == (1, "running", "")
    assert started.notified == dict.fromkeys(["AT", "BO", "ES", "MX"], routing.MAILED)
    assert repo.versions_[0].state == "silence"
    assert last(app)[0] == "accord.silence.started" and last(app)[1]["by"] == "account:7"
    [mx] = sent.to("mx@example.org")
    assert (
        mx.subject
        == f"[{SLUG}] silence procedure on Zero draft until Sat 05 Dec 2026 10:00 CET (09:00 UTC)"
    )
    assert mx.body.startswith(
        "Declaration\n\nZero draft is circulated under silence until Sat 05 Dec"
    )
    assert mx.body.endswith(f"in the portal: {app.settings.portal_url}/declarations/{SLUG}\n")
    assert routing.notify_silence(app, SLUG, 1).parties == started.notified  # nothing sent twice
    assert len(sent.sent) == 4


def test_a_silence_is_refused_on_a_bracketed_text_and_nothing_is_owed(app: Any) -> None:
    seed_declaration(app, brackets=("p002",))
    with pytest.raises(WrongState, match="cannot start a silence procedure"):
        silence.start_silence(app, SLUG, UNTIL)
    assert app.store.uow.log_ == [] and app.store.uow.outbox.shares == []


def test_a_failed_silence_notice_is_sent_again_by_resend_once(app: Any) -> None:
    """Regression: a silence's notice that failed to reach a party was settled as failed in the outbox, but
    `accord resend` read the routing events only and never sent it again."""
    seeded(app)
    sent = mailer(app, MX=REFUSED)
    assert silence.start_silence(app, SLUG, UNTIL).notified == {
        "AT": routing.MAILED,
        "BO": routing.MAILED,
        "ES": routing.MAILED,
        "MX": REFUSED,
    }
    [again] = routing.resend_failed(app, SLUG)
    assert (again.event, again.parties) == (
        "accord.silence.started",
        {"MX": REFUSED},
    )  # still refused
    with app.store.reading() as uow:  # the latest sending counts: MX's notice failed again
        failed = routing.failed_mail(uow, uow.repo.declaration(SLUG))
    assert failed == {("accord.silence.started", 1): {"MX": REFUSED}}
    sent.outcomes = {}  # the address mended; the clock has not moved: a sending of its own all the same
    [last_time] = routing.resend_failed(app, SLUG)
    assert last_time.parties == {"MX": routing.MAILED} and routing.resend_failed(app, SLUG) == []
    assert collections.Counter(m.to for m in sent.sent) == collections.Counter(
        f"{c}@example.org" for c in ("at", "bo", "es", "mx")
    )  # each party's notice once
    assert len({m.message_id for m in sent.sent}) == 4  # a notice sent again keeps its Message-ID
    assert [e.type for e in app.store.uow.log_] == [
        "accord.silence.started"
    ]  # no event for a notice


def test_a_broken_silences_failed_notice_is_moot(app: Any) -> None:
    seeded(app)
    mailer(app, MX=REFUSED)
    silence.start_silence(app, SLUG, UNTIL)
    silence.object_to(app, SLUG, party="AT", reason="paragraph 3")
    assert routing.resend_failed(app, SLUG) == []
    assert routing.notify_silence(app, SLUG, 1).skipped == f"silence 1 of {SLUG} is not running"


def test_a_notice_sent_again_and_cut_short_is_finished_by_tick_under_its_own_key(app: Any) -> None:
    from flows.usecases.owed import deliver_owed

    seeded(app)
    sent = mailer(app, AT=REFUSED, MX=REFUSED)
    silence.start_silence(app, SLUG, UNTIL)
    sent.outcomes, app.clock.moment = {}, app.clock.moment.replace(minute=5)

    def crash(mail: Any) -> None:
        raise OSError("the process died")

    sent.before = crash
    with pytest.raises(OSError, match="the process died"):
        routing.resend_failed(app, SLUG)
    resent = {"silence": 1, "resent": "1"}
    assert [
        (o.key, o.party)
        for o in app.store.uow.outbox.unsettled(app.store.uow.repo.declaration(SLUG))
    ] == [
        (resent, "AT"),
        (resent, "MX"),
    ]
    sent.before = None
    app.clock.step()
    [line] = deliver_owed(app, SLUG, unfollowed_only=True)
    assert (
        line
        == f"owed accord.silence.started resent {resent['resent']} silence 1 to AT, MX: 2 mailed"
    )
    with app.store.reading() as uow:
        assert routing.failed_mail(uow, uow.repo.declaration(SLUG)) == {}
    assert sorted(m.to for m in sent.sent) == [f"{c}@example.org" for c in ("at", "bo", "es", "mx")]


def test_tick_delivers_what_is_owed_then_applies_each_timer_as_it_comes_due(app: Any) -> None:
    from flows.usecases import deadlines

    seeded(app)
    mailer(app)
    rounds.open_round(app, SLUG, deadline="2026-12-04T18:00:00Z")
    assert [(t.kind, t.at) for t in deadlines.timers(app, SLUG)] == [
        ("remind", "2026-12-03T18:00:00Z"),
        ("close", "2026-12-04T18:00:00Z"),
    ]
    assert deadlines.tick(app, SLUG) == [
        "owed accord.round.distributed round 1 to AT, BO, ES, MX: 4 mailed"
    ]  # the copies owed since the round opened
    submissions.submit(app, SLUG, party="MX", data=amended("in full"), filename="MX.docx")
    app.clock.step(days=3)
    assert deadlines.tick(app, SLUG) == ["round 1: reminder sent to AT"]
    app.clock.step(days=1)
    assert deadlines.tick(app, SLUG) == [
        "round 1: deadline Fri 04 Dec 2026 19:00 CET (18:00 UTC) passed; closed and compiled "
        "(1 submissions); routed to BO, ES"
    ]
    silence.start_silence(app, SLUG, "2026-12-06T09:00:00Z")
    assert [t.kind for t in deadlines.timers(app, SLUG)] == ["end-silence"]
    app.clock.step(days=1)
    assert deadlines.tick(app, SLUG) == [
        "silence 1 on Zero draft ended Sun 06 Dec 2026 10:00 CET (09:00 UTC) without objection; "
        "Zero draft agreed"
    ]
    assert deadlines.tick(app, SLUG) == [] and deadlines.timers(app, SLUG) == []


def test_a_resend_cut_short_is_pending_not_failed_and_tick_finishes_it_once(app: Any) -> None:
    """Regression: a sending again of a round's copies cut short (owed to AT and MX, AT's letter gone, then a
    crash) was still listed as failed (the log's outcome), so a second `accord resend` sent both letters again
    under a key of its own while tick finished the first: each party got its copy twice."""
    from flows.usecases.owed import deliver_owed

    seeded(app)
    sent = mailer(app, AT=REFUSED, MX=REFUSED)
    rounds.open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    sent.outcomes = {}  # the addresses mended

    def crash(mail: Any) -> None:
        if mail.to == "mx@example.org":
            raise OSError("the process died")

    sent.before = crash
    with pytest.raises(OSError, match="the process died"):
        routing.resend_failed(app, SLUG)
    with app.store.reading() as uow:  # AT reached, MX still owed: neither failed
        assert routing.failed_mail(uow, uow.repo.declaration(SLUG)) == {}
    sent.before = None
    assert routing.resend_failed(app, SLUG) == []
    assert deliver_owed(app, SLUG) == [
        "owed accord.round.distributed resent 1 round 1 to MX: 2 mailed"  # AT's and MX's letters
    ]
    assert deliver_owed(app, SLUG) == []
    assert sorted(m.to for m in sent.sent) == [f"{c}@example.org" for c in ("at", "bo", "es", "mx")]
    with app.store.reading() as uow:
        assert routing.failed_mail(uow, uow.repo.declaration(SLUG)) == {}
    assert last(app)[1]["parties"] == {"AT": routing.MAILED, "MX": routing.MAILED}


def test_two_resends_at_the_same_moment_are_two_sendings(app: Any) -> None:
    """Regression: a sending again was keyed by the clock, so a second `accord resend` at the same moment found
    the first one's key, settled, and sent nothing."""
    seeded(app)
    sent = mailer(app, MX=REFUSED)
    rounds.open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    [first] = routing.resend_failed(app, SLUG)
    assert first.parties == {"MX": REFUSED}  # still refused
    sent.outcomes = {}  # the address mended; the clock has not moved
    [second] = routing.resend_failed(app, SLUG)
    assert second.parties == {"MX": routing.MAILED} and len(sent.to("mx@example.org")) == 1
    distributed = [e.payload for e in app.store.uow.log_ if e.type == routing.DISTRIBUTED]
    assert [payload.get("resent") for payload in distributed] == [None, "1", "2"]
