"""The event-driven use cases in the embedded mode (no Prefect): deadlines, reminders, routing, mail, silence."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import Forbidden, InvalidInput, WrongState
from flows.bootstrap import SmtpSettings, iso
from flows.usecases import deadlines, routing, silence, times
from flows.usecases.status import event_log, verify
from tests import factories

SLUG = factories.SLUG


def types(app: Any, slug: str = SLUG) -> list[str]:
    return [e["type"] for e in event_log(app, slug)]


def later(clock: factories.Clock, **delta: float) -> str:
    from datetime import timedelta

    return iso(clock.moment + timedelta(**delta))


@pytest.fixture
def mailbox() -> Iterator[tuple[int, list[EmailMessage]]]:
    """A local SMTP server (aiosmtpd) collecting what accord sends."""
    from aiosmtpd.controller import Controller

    from flows.runtime import free_port

    received: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(  # type: ignore[arg-type]
                message_from_bytes(envelope.content, policy=policy.default)
            )
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, received
    finally:
        controller.stop()


def create_with_emails(app: Any, n: int = 8, timezone: str = "UTC") -> None:
    from flows.usecases.declarations import create_declaration

    rows = "".join(
        f"{p.code},{p.name},{p.bloc},{p.code.lower()}@example.org\n" for p in factories.parties(n)
    )
    create_declaration(
        app,
        slug=SLUG,
        title=factories.TITLE,
        zero_draft=factories.zero_draft(),
        zero_draft_name="zero.docx",
        parties_csv="code,name,bloc,email\n" + rows,
        parties_name="parties.csv",
        co_presidencies=list(factories.CO_PRESIDENCIES),
        timezone=timezone,
    )


def test_tick_at_the_deadline_closes_compiles_and_routes(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    factories.open_declaration(app, n=6, deadline=later(clock, hours=2))
    factories.submit(app, factories.delegations(6)[0])
    [owed] = deadlines.tick(
        app, SLUG
    )  # the use case opened the round: its copies are owed, and tick sends them
    assert owed.startswith("owed accord.round.distributed round 1")
    assert deadlines.tick(app, SLUG) == []  # nothing due yet: ticking early changes nothing
    clock.advance(hours=2, minutes=1)
    lines = deadlines.tick(app, SLUG)
    assert len(lines) == 1 and "closed and compiled (1 submissions)" in lines[0]
    log = types(app)
    assert (
        log.index("accord.round.deadline-reached")
        < log.index("accord.round.closed")
        < log.index("accord.compilation.ready")
        < log.index("accord.version.routed")
    )
    for chair in factories.CO_PRESIDENCIES:
        names = sorted(p.name for p in routing.outbox(app, SLUG, chair).iterdir())
        assert (
            f"{SLUG}-round-1-compilation.docx" in names and f"{SLUG}-round-1-synopsis.html" in names
        )
    assert deadlines.tick(app, SLUG) == []  # applied once
    assert types(app).count("accord.round.closed") == 1
    verify(app, SLUG)


def test_close_at_deadline_is_idempotent_and_waits_for_the_deadline(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    factories.open_declaration(app, n=4, deadline=later(clock, minutes=30))
    assert deadlines.reach_deadline(app, SLUG, 1) is False  # not yet
    assert deadlines.close_at_deadline(app, SLUG, 1) is None
    clock.advance(minutes=31)
    assert deadlines.reach_deadline(app, SLUG, 1) is True
    assert (
        deadlines.reach_deadline(app, SLUG, 1) is False
    )  # a second run (trigger + schedule) adds nothing
    assert deadlines.close_at_deadline(app, SLUG, 1) is not None
    assert deadlines.close_at_deadline(app, SLUG, 1) is None
    assert types(app).count("accord.round.deadline-reached") == 1


def test_reminder_goes_once_to_the_delegations_that_have_not_submitted(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    factories.open_declaration(app, n=6, deadline=later(clock, hours=48))
    done = factories.delegations(6)[0]
    factories.submit(app, done)
    kinds = [t.kind for t in deadlines.timers(app, SLUG)]
    assert kinds == [deadlines.REMIND, deadlines.CLOSE]
    clock.advance(hours=25)
    assert [line for line in deadlines.tick(app, SLUG) if "reminder sent" in line]
    sent = [e for e in event_log(app, SLUG) if e["type"] == "accord.round.reminder-sent"]
    assert len(sent) == 1
    assert sorted(sent[0]["payload"]["parties"]) == sorted(
        c for c in factories.delegations(6) if c != done
    )
    assert deadlines.tick(app, SLUG) == []
    assert [t.kind for t in deadlines.timers(app, SLUG)] == [deadlines.CLOSE]


def test_no_reminder_when_the_round_opens_closer_to_the_deadline_than_the_reminder() -> None:
    assert deadlines.reminder_time("2026-11-28T09:00:00Z", "2026-11-28T18:00:00Z", 24) is None
    assert (
        deadlines.reminder_time("2026-11-28T09:00:00Z", "2026-11-30T18:00:00Z", 24)
        == "2026-11-29T18:00:00Z"
    )


def test_routing_mails_the_compilation_to_both_co_presidencies(
    make_app: Callable[..., Any], clock: factories.Clock, mailbox: tuple[int, list[EmailMessage]]
) -> None:
    port, received = mailbox
    app = make_app()
    app.settings.smtp = SmtpSettings(host="127.0.0.1", port=port, sender="secretariat@example.org")
    create_with_emails(app)
    from flows.usecases.compile import close_and_compile
    from flows.usecases.rounds import open_round

    open_round(app, SLUG)
    factories.submit(app, "AT")
    close_and_compile(app, SLUG)
    sent = routing.route_compilation(app, SLUG)
    assert sent.parties == {"BO": routing.MAILED, "ES": routing.MAILED}
    assert sorted(m["To"] for m in received) == ["bo@example.org", "es@example.org"]
    attachments = [part.get_filename() for part in received[0].iter_attachments()]
    assert f"{SLUG}-round-1-compilation.docx" in attachments
    assert routing.route_compilation(app, SLUG).skipped  # once; `accord route --again` resends
    assert len(received) == 2


def test_mail_failure_is_recorded_not_raised(make_app: Callable[..., Any]) -> None:
    from flows.runtime import free_port

    app = make_app()
    app.settings.smtp = SmtpSettings(
        host="127.0.0.1", port=free_port(), backoff=0.0
    )  # nobody listens there
    create_with_emails(app, n=4)
    outcome = routing.notify_all(
        app, SLUG, "test", "body", "note.txt", kind="accord.silence.started", key={"silence": 1}
    ).parties
    assert all(value.startswith("failed: ") for value in outcome.values())


def test_file_submission_is_idempotent(make_app: Callable[..., Any]) -> None:
    app = make_app()
    factories.open_declaration(app, n=4)
    receipt = factories.submit(app, factories.delegations(4)[0])
    first = routing.file_submission(app, SLUG, receipt.submission)
    assert Path(first.files[0]).is_file() and not first.skipped
    assert routing.file_submission(app, SLUG, receipt.submission).skipped
    assert types(app).count("accord.submission.filed") == 1


def test_reconcile_schedules_every_timer_and_every_missed_follow_up(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    from flows.serve import reconcile

    app = make_app()
    factories.open_declaration(app, n=4, deadline=later(clock, hours=48))
    receipt = factories.submit(app, factories.delegations(4)[0])
    planned: list[tuple[str, dict[str, Any], str, str]] = []

    def schedule(deployment: str, parameters: dict[str, Any], at: str, key: str) -> str:
        planned.append((deployment, parameters, at, key))
        return key

    reconcile(app, schedule)
    deadline = deadlines.timers(app, SLUG)[-1]
    assert [(d, p) for d, p, _, _ in planned] == [
        ("send-reminders", {"slug": SLUG, "round_number": 1}),
        ("close-round", {"slug": SLUG, "round_number": 1}),
        ("distribute-round", {"slug": SLUG, "round_number": 1}),
        ("ingest-submission", {"slug": SLUG, "submission": receipt.submission}),
    ]
    assert planned[1][2:] == (
        deadline.at,
        deadline.key,
    )  # a future timer keeps its run: same time, same key
    routing.distribute_round(app, SLUG)
    routing.file_submission(app, SLUG, receipt.submission)
    clock.advance(hours=49)
    planned.clear()
    reconcile(app, schedule)
    assert [d for d, _, at, key in planned if at == app.now() or "late@" in key] == ["close-round"]


def test_silence_expires_without_objection_and_the_text_is_agreed(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    create_with_emails(app, n=4, timezone="Europe/Brussels")
    started = silence.start_silence(app, SLUG, later(clock, days=3))
    assert started.until_local.endswith(" CET (09:00 UTC)")
    assert set(started.notified or {}) == set(factories.delegations(4)) | set(
        factories.CO_PRESIDENCIES
    )
    assert silence.end_silence(app, SLUG) is None  # not yet
    clock.advance(days=3, seconds=1)
    with pytest.raises(WrongState, match="silence ended"):
        silence.object_to(app, SLUG, party="AT", reason="too late")
    assert silence.end_silence(app, SLUG) == "Zero draft"
    log = types(app)
    assert log[-2:] == ["accord.silence.expired", "accord.version.agreed"]
    agreed = event_log(app, SLUG)[-1]["payload"]
    assert agreed["via"] == "silence" and agreed["text_sha256"] == started.text_sha256
    assert silence.end_silence(app, SLUG) is None and types(app) == log
    verify(app, SLUG)


def test_an_objection_breaks_the_silence(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    factories.create_declaration(app, n=4)
    silence.start_silence(app, SLUG, later(clock, hours=5))
    with pytest.raises(Forbidden):
        silence.object_to(app, SLUG, party="XX", reason="not a party")
    with pytest.raises(InvalidInput):
        silence.object_to(app, SLUG, party="AT", reason="  ")
    broken = silence.object_to(app, SLUG, party="AT", reason="paragraph 3 needs consultation")
    assert broken.state == "broken"
    clock.advance(hours=6)
    assert deadlines.tick(app, SLUG) == []  # a broken silence has no timer
    assert silence.end_silence(app, SLUG) is None
    log = types(app)
    assert (
        "accord.silence.broken" in log
        and "accord.silence.expired" not in log
        and "accord.version.agreed" not in log
    )
    assert silence.silences(app, SLUG)[0].state == "broken"
    silence.start_silence(
        app, SLUG, later(clock, hours=1)
    )  # the version is circulated again: a new silence


def test_silence_and_agreement_refusals(
    make_app: Callable[..., Any], clock: factories.Clock
) -> None:
    app = make_app()
    factories.open_declaration(app, n=4)
    with pytest.raises(WrongState, match="round 1 is open"):
        silence.start_silence(app, SLUG, later(clock, hours=1))
    with pytest.raises(WrongState, match="no silence procedure is running"):
        silence.object_to(app, SLUG, party="AT", reason="why")
    with pytest.raises(InvalidInput, match="no time zone"):
        times.parse_moment("2026-12-01T10:00:00", app.now())


def test_agree_refuses_bracketed_paragraphs_and_lists_them(make_app: Callable[..., Any]) -> None:
    app = make_app()
    factories.create_declaration(app, n=4)
    _bracket_paragraph(app, 2)
    with pytest.raises(WrongState, match="1 bracketed paragraph") as refusal:
        silence.agree(app, SLUG)
    assert "p003" in str(refusal.value)
    _bracket_paragraph(app, None)
    assert silence.agree(app, SLUG) == "Zero draft"
    with pytest.raises(WrongState, match="already agreed"):
        silence.agree(app, SLUG)


def _bracket_paragraph(app: Any, index: int | None) -> None:
    """Test-only: mark one paragraph of the current version bracketed (None: clear all)."""
    from drafting.negotiation import VersionContent

    def work(uow: Any) -> None:
        version = uow.repo.current_version(uow.repo.declaration(SLUG))
        meta = json.loads(version.stored)
        for i, paragraph in enumerate(meta["text"]["paragraphs"]):
            paragraph["status"] = "bracketed" if i == index else "unchanged"
        uow.repo.set_version_content(
            version,
            VersionContent.model_validate(meta),
            blob_sha256=version.blob_sha256,
            text_sha256=version.text_sha256,
        )

    app.store.transaction(work)


def test_missed_follow_ups_only_within_the_current_round() -> None:
    from drafting.negotiation import Event
    from flows.serve import missed

    def log(*entries: tuple[str, dict[str, Any]]) -> list[Event]:
        return [
            Event(
                declaration=SLUG,
                seq=i,
                type=t,
                actor="x",
                payload=p,
                occurred_at="2026-11-28T09:00:00Z",
                prev_hash="0" * 64,
                hash=f"{i:064d}",
            )
            for i, (t, p) in enumerate(entries, 1)
        ]

    old_round = [
        ("accord.round.opened", {"round": 1}),
        ("accord.submission.received", {"submission": 1}),
        ("accord.compilation.ready", {"round": 1}),
        ("accord.version.circulated", {"version": "Rev.1"}),
    ]
    assert missed(log(*old_round)) == [
        ("distribute-round", {"round_number": 1}),
        ("ingest-submission", {"submission": 1}),
        ("route-compilation", {"round_number": 1}),
        ("circulate-revision", {"version": "Rev.1"}),
    ]
    current = [
        ("accord.round.opened", {"round": 2}),
        ("accord.submission.received", {"submission": 2}),
        ("accord.submission.filed", {"submission": 2}),
        ("accord.round.deadline-reached", {"round": 2}),
        ("accord.round.closed", {"round": 2}),
    ]
    assert missed(log(*old_round, *current)) == [
        ("close-round", {"round_number": 0})
    ]  # closed, never compiled
    decided = [
        ("accord.compilation.ready", {"round": 2}),
        ("accord.decision.recorded", {"round": 2}),
    ]
    assert missed(log(*old_round, *current, *decided)) == []
