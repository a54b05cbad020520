"""What failed to reach a party by mail is listed by `accord status` and sent again, to those parties only, by
`accord resend` (after the secretariat mended the mail settings); a later success clears the failure."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from flows.bootstrap import SmtpSettings
from flows.runtime import free_port
from flows.usecases import routing
from flows.usecases.rounds import open_round
from flows.usecases.status import event_log, status, status_lines
from tests import factories
from tests.integration.test_mail import SLUG, Script, _app, server  # noqa: F401 (a fixture)


def test_failed_mail_is_listed_then_sent_again_to_those_parties(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    port, script = server
    app = _app(make_app, free_port())  # the settings point nowhere: every copy fails
    open_round(app, SLUG)
    first = routing.distribute_round(app, SLUG)
    assert all(how.startswith("failed") for how in first.parties.values())
    [failed] = status(app, SLUG).as_json()["failed_mail"]
    assert failed["event"] == "accord.round.distributed" and failed["key"] == 1
    assert set(failed["parties"]) == set(first.parties)

    app.settings.smtp = SmtpSettings(host="127.0.0.1", port=port, backoff=0.0)  # mended
    script.replies = ["550 5.1.1 no such mailbox"]  # one party's address is still wrong
    [again] = routing.resend_failed(app, SLUG)
    assert again.event == "accord.round.distributed" and set(again.parties) == set(first.parties)
    still = [party for party, how in again.parties.items() if how != routing.MAILED]
    assert len(still) == 1 and script.delivered == len(first.parties) - 1
    [left] = status(app, SLUG).as_json()["failed_mail"]
    assert list(left["parties"]) == still  # the others' later success cleared their failure

    [last] = routing.resend_failed(app, SLUG)
    assert list(last.parties) == still and last.parties[still[0]] == routing.MAILED
    assert (
        status(app, SLUG).as_json()["failed_mail"] == [] and routing.resend_failed(app, SLUG) == []
    )


def test_two_resends_at_once_send_each_letter_once(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    """Bug: two `accord resend` started together both read the copies as failed, both numbered their sending
    "1" and both mailed every letter (8 letters for 4 parties, 3 tries in 3). The failed sendings are now claimed
    (owed under their number) in one transaction, so the second finds them pending."""
    port, script = server
    apps = [_app(make_app, free_port()), make_app()]  # two commands at once: an app each
    open_round(apps[0], SLUG)
    first = routing.distribute_round(apps[0], SLUG)
    for app in apps:
        app.settings.smtp = SmtpSettings(host="127.0.0.1", port=port, backoff=0.0)  # mended
    barrier, sent = threading.Barrier(2), []

    def resend(app: Any) -> None:
        barrier.wait()
        sent.append(routing.resend_failed(app, SLUG))

    threads = [threading.Thread(target=resend, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(deliveries) for deliveries in sent) == [0, 1]
    assert script.delivered == len(first.parties)
    again = [e for e in event_log(apps[0], SLUG) if e["payload"].get("resent")]
    assert [e["payload"]["resent"] for e in again] == ["1"]
    assert status(apps[0], SLUG).as_json()["failed_mail"] == []
    assert status(apps[0], SLUG).as_json()["owed"] == []


def test_a_resend_cut_short_before_its_event_is_logged_by_the_next_resend(
    make_app: Callable[..., Any], server: tuple[int, Script], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after a resend's last letter went and before its event: nothing failed and nothing is owed, so the
    log would never say it was sent; the next `accord resend` logs it (each party's outcome) and sends nothing."""
    port, script = server
    app = _app(make_app, free_port())
    open_round(app, SLUG)
    first = routing.distribute_round(app, SLUG)
    app.settings.smtp = SmtpSettings(host="127.0.0.1", port=port, backoff=0.0)  # mended

    def crash(*args: Any) -> bool:
        raise OSError("the process died")

    with monkeypatch.context() as patch:
        patch.setattr(routing, "record", crash)
        with pytest.raises(OSError, match="the process died"):
            routing.resend_failed(app, SLUG)
    assert script.delivered == len(first.parties)
    shown = status(app, SLUG).as_json()
    assert (shown["failed_mail"], shown["owed"]) == ([], [])  # the gap: only the outbox knows
    assert not [e for e in event_log(app, SLUG) if e["payload"].get("resent")]

    [logged] = routing.resend_failed(app, SLUG)
    assert logged.parties == {party: routing.MAILED for party in first.parties}
    assert script.delivered == len(first.parties)  # no letter twice
    [again] = [e["payload"] for e in event_log(app, SLUG) if e["payload"].get("resent")]
    assert (again["resent"], again["parties"]) == ("1", logged.parties)
    assert routing.resend_failed(app, SLUG) == []


def test_a_closed_rounds_copies_are_no_longer_owed(make_app: Callable[..., Any]) -> None:
    from flows.usecases.rounds import close_round

    app = _app(make_app, free_port())
    open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    assert status(app, SLUG).as_json()["failed_mail"]
    close_round(app, SLUG)
    assert (
        status(app, SLUG).as_json()["failed_mail"] == [] and routing.resend_failed(app, SLUG) == []
    )


def test_status_and_resend_on_the_command_line(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows.cli import app as cli

    app = _app(make_app, free_port())
    open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    monkeypatch.setenv("ACCORD_HOME", str(app.home))
    monkeypatch.setenv("ACCORD_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("ACCORD_SMTP_ATTEMPTS", "1")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    runner = CliRunner()
    shown = runner.invoke(cli, ["status", SLUG]).output
    assert (
        "mail failed: accord.round.distributed 1 to " in shown
        and f"`accord resend {SLUG}`" in shown
    )
    resent = runner.invoke(cli, ["resend", SLUG])
    assert resent.exit_code == 0 and resent.output.count("accord.round.distributed: ") == 4
    assert "silences" in runner.invoke(cli, ["resend", "--help"]).output  # their notices too


def test_a_failed_silence_notice_is_listed_then_sent_again_to_that_party(
    make_app: Callable[..., Any],
) -> None:
    """Regression: a silence's notice that failed to reach a party was settled as failed in the outbox, but
    `accord status` did not list it and `accord resend` (which read the routing events only) never sent it
    again."""
    from flows.usecases import silence
    from tests.fakes import FakeMailer

    app = _app(make_app, free_port())
    address = "be@example.org"
    app.mail = mailer = FakeMailer({address: "failed: 550 5.1.1 no such mailbox"})
    started = silence.start_silence(app, SLUG, "2026-12-24T12:00:00Z")
    [refused] = [party for party, how in (started.notified or {}).items() if how != routing.MAILED]
    [again] = routing.resend_failed(app, SLUG)  # still refused: listed, and sent again only to it
    assert (again.event, list(again.parties)) == ("accord.silence.started", [refused])
    [failed] = status(app, SLUG).as_json()["failed_mail"]
    assert (failed["event"], failed["key"], list(failed["parties"])) == (
        "accord.silence.started",
        1,
        [refused],
    )
    assert (
        f"  mail failed: accord.silence.started 1 to {refused}; `accord resend {SLUG}` sends it again"
        in status_lines(status(app, SLUG))
    )
    mailer.outcomes = {}  # the address mended
    [last] = routing.resend_failed(app, SLUG)
    assert last.parties == {refused: routing.MAILED} and len(mailer.to(address)) == 1
    assert len(mailer.sent) == len(started.notified or {})  # each party's notice once
    assert (
        status(app, SLUG).as_json()["failed_mail"] == [] and routing.resend_failed(app, SLUG) == []
    )
    assert status(app, SLUG).as_json()["owed"] == []


def _refusing(app: Any, codes: list[str]) -> Any:
    """A mailer in memory refusing these parties' addresses."""
    from tests.fakes import FakeMailer

    app.mail = FakeMailer(
        {f"{code.lower()}@example.org": "failed: 550 no mailbox" for code in codes}
    )
    return app.mail


def test_a_resend_cut_short_is_pending_not_failed_and_finished_once(
    make_app: Callable[..., Any],
) -> None:
    """Regression: a sending again cut short (owed, one letter gone, then a crash) was still listed as failed, so a
    second `accord resend` sent the letters once more under a key of its own while tick finished the first: a
    party got its copy twice (one Message-ID)."""
    from flows.usecases.deadlines import tick

    app = _app(make_app, free_port())
    codes = [p.code for p in factories.parties(4)][-2:]
    mailer = _refusing(app, codes)
    open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    mailer.outcomes = {}  # mended

    def crash(mail: Any) -> None:
        if mail.to == f"{codes[1].lower()}@example.org":
            raise OSError("the process died")

    mailer.before = crash
    with pytest.raises(OSError, match="the process died"):
        routing.resend_failed(app, SLUG)
    state = status(app, SLUG).as_json()
    assert state["failed_mail"] == [] and [o["parties"] for o in state["owed"]] == [[codes[1]]]
    mailer.before = None
    assert routing.resend_failed(app, SLUG) == []  # nothing failed: nothing sent twice
    assert tick(app, SLUG) == [
        f"owed accord.round.distributed resent 1 round 1 to {codes[1]}: 2 mailed"
    ]
    assert [len(mailer.to(f"{c.lower()}@example.org")) for c in codes] == [1, 1]  # each once
    state = status(app, SLUG).as_json()
    assert state["failed_mail"] == [] and state["owed"] == []


def test_two_resends_at_the_same_moment_are_two_sendings(make_app: Callable[..., Any]) -> None:
    """Regression: a sending again was keyed by the clock, so a second `accord resend` at the same moment found
    the first one's key, settled, and sent nothing."""
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    app = _app(lambda: make_app(clock=lambda: moment), free_port())
    [code] = [p.code for p in factories.parties(4)][-1:]
    mailer = _refusing(app, [code])
    open_round(app, SLUG)
    routing.distribute_round(app, SLUG)
    [first] = routing.resend_failed(app, SLUG)
    assert first.parties == {code: "failed: 550 no mailbox"}
    mailer.outcomes = {}  # mended; the clock has not moved
    [second] = routing.resend_failed(app, SLUG)
    assert second.parties == {code: routing.MAILED}
    assert len(mailer.to(f"{code.lower()}@example.org")) == 1
    assert status(app, SLUG).as_json()["failed_mail"] == []
    keys = [
        e["payload"].get("resent") for e in event_log(app, SLUG) if e["type"] == routing.DISTRIBUTED
    ]
    assert keys == [None, "1", "2"]
