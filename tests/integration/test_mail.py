"""Mail to the parties: a failure that may pass (a 4xx reply, a dropped connection) is tried again; a refusal
(5xx, a bad address) is not; a server that cannot be reached is not tried again for every other party. The
letters stay in the outboxes whatever happens, and the report says what happened to each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from flows.bootstrap import SmtpSettings
from flows.usecases import routing
from tests import factories

SLUG = "mail"


class Script:
    """An SMTP server (aiosmtpd) answering DATA from a list of replies, then 250; it counts every DATA."""

    def __init__(self) -> None:
        self.replies: list[str] = []
        self.tries = 0
        self.delivered = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.tries += 1
        reply = self.replies.pop(0) if self.replies else "250 OK"
        self.delivered += reply.startswith("250")
        return reply


@pytest.fixture
def server() -> Iterator[tuple[int, Script]]:
    from aiosmtpd.controller import Controller

    from flows.runtime import free_port

    script = Script()
    controller = Controller(script, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, script
    finally:
        controller.stop()


def _app(make_app: Callable[..., Any], port: int, n: int = 4) -> Any:
    from flows.usecases.declarations import create_declaration

    app = make_app()
    app.settings.smtp = SmtpSettings(host="127.0.0.1", port=port, backoff=0.0)
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
        co_presidencies=["ES", "BO"],
    )
    return app


def _send(app: Any) -> dict[str, str]:
    return routing.notify_all(
        app, SLUG, "test", "body", "note.txt", kind="accord.silence.started", key={"silence": 1}
    ).parties


def test_a_reply_to_try_later_is_tried_again(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    port, script = server
    app = _app(make_app, port)
    script.replies = ["451 4.3.0 try again later", "421 4.7.0 busy"]
    outcome = _send(app)
    assert set(outcome.values()) == {routing.MAILED} and script.delivered == len(outcome)
    assert script.tries == len(outcome) + 2


def test_a_refusal_is_not_tried_again_and_the_others_still_go(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    port, script = server
    app = _app(make_app, port)
    script.replies = ["552 5.3.4 message too big"]
    outcome = _send(app)
    failed = [party for party, value in outcome.items() if value != routing.MAILED]
    assert len(failed) == 1 and outcome[failed[0]].startswith("failed: SMTPDataError: (552")
    assert script.tries == len(outcome) and script.delivered == len(outcome) - 1


def test_a_server_that_keeps_saying_later_is_given_up_for_this_sending(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    port, script = server
    app = _app(make_app, port)
    script.replies = ["451 4.3.0 try again later"] * 3
    outcome = list(_send(app).values())
    assert outcome[0].startswith("failed: 3 attempts, SMTPDataError: (451")
    assert all(
        value.startswith("failed: not tried, the mail server was unreachable")
        for value in outcome[1:]
    )
    assert script.tries == 3


def test_an_unreachable_server_is_tried_for_one_letter_only(
    make_app: Callable[..., Any], tmp_path: Any
) -> None:
    from flows.runtime import free_port

    app = _app(make_app, free_port())  # nobody listens there
    outcome = list(_send(app).values())
    assert outcome[0].startswith("failed: 3 attempts, ConnectionRefusedError")
    assert all(
        value.startswith("failed: not tried, the mail server was unreachable")
        for value in outcome[1:]
    )
    notes = sorted(
        p.parent.name for p in (app.home / "declarations" / SLUG / "outbox").glob("*/note.txt")
    )
    assert len(notes) == len(outcome)  # every letter is in its party's outbox all the same


def test_each_party_is_mailed_its_own_stamped_copy_when_a_round_opens(
    make_app: Callable[..., Any], server: tuple[int, Script]
) -> None:
    from email import message_from_bytes, policy

    from drafting.documents import STAMP_PARTY, STAMP_ROUND
    from drafting.wordml.reader import read_docx
    from flows.usecases.rounds import close_round, open_round

    port, script = server
    app = _app(make_app, port)
    mails: list[Any] = []
    original = script.handle_DATA

    async def keep(server: Any, session: Any, envelope: Any) -> str:
        mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return await original(server, session, envelope)

    script.handle_DATA = keep  # type: ignore[method-assign]
    open_round(app, SLUG, deadline="2099-01-04T18:00:00+01:00")
    sent = routing.distribute_round(app, SLUG)
    assert set(sent.parties.values()) == {routing.MAILED} and len(mails) == len(sent.parties)
    for mail in mails:
        party = mail["To"].split("@")[0].upper()
        [attachment] = list(mail.iter_attachments())
        stamp = read_docx(attachment.get_payload(decode=True)).custom_properties
        assert stamp[STAMP_PARTY] == party and stamp[STAMP_ROUND] == "1"
        assert (
            "Round 1 is open on Zero draft until Sun 04 Jan 2099" in mail.get_body().get_content()
        )
    assert routing.distribute_round(app, SLUG).skipped == "round 1 copies already sent"
    close_round(app, SLUG)
    assert routing.distribute_round(app, SLUG).skipped == "round 1 of mail is not open"
