"""The SMTP adapter's policy, without a server: what is tried again, how long it waits, what counts as down."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest

from flows.adapters.mail import MAILED, Mail, SmtpMailer, SmtpSettings, compose

MAIL = Mail(
    "mx@example.org", "[eu-celac] round 1", "body", (("copy.docx", b"PK"),), message_id="abc@accord"
)


class Server:
    """A scripted SMTP connection: each attempt takes the next answer (None: accepted; an exception: raised)."""

    def __init__(self, *answers: Exception | None) -> None:
        self.answers = list(answers)
        self.accepted: list[Any] = []

    def __call__(self, host: str, port: int, timeout: float) -> Server:
        return self

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_message(self, message: Any) -> None:
        answer = self.answers.pop(0)
        if answer is not None:
            raise answer
        self.accepted.append(message)


def _send(server: Server, attempts: int = 3) -> tuple[str, bool, list[float]]:
    waits: list[float] = []
    mailer = SmtpMailer(
        SmtpSettings("mail.example.org", attempts=attempts, backoff=2.0),
        sleep=waits.append,
        connect=server,
    )
    sent = mailer.send(MAIL)
    return sent.outcome, sent.server_down, waits


def test_a_reply_to_try_later_is_tried_again_after_doubling_waits() -> None:
    busy = smtplib.SMTPResponseException(451, b"try later")
    server = Server(busy, busy, None)
    assert _send(server) == (MAILED, False, [2.0, 4.0])
    assert server.accepted[0]["Message-ID"] == "<abc@accord>"


@pytest.mark.parametrize(
    "refusal",
    [
        smtplib.SMTPResponseException(550, b"no such user"),
        smtplib.SMTPRecipientsRefused({"mx@example.org": (550, b"no")}),
    ],
)
def test_a_refusal_is_not_tried_again_and_the_server_is_not_down(refusal: Exception) -> None:
    outcome, down, waits = _send(Server(refusal))
    assert outcome.startswith("failed: ") and "attempts" not in outcome
    assert (down, waits) == (False, [])


def test_no_conversation_after_every_attempt_means_the_server_is_down() -> None:
    outcome, down, waits = _send(Server(*[ConnectionRefusedError("refused")] * 3))
    assert (
        outcome.startswith("failed: 3 attempts, ConnectionRefusedError")
        and down
        and waits == [2.0, 4.0]
    )


def test_an_address_no_server_would_take_fails_that_letter_only_without_a_connection() -> None:
    server = Server()
    outcome, down, _ = _send_to(server, "mx@example.org\nBcc: everyone@example.org")
    assert (
        outcome.startswith("failed: the mail could not be written")
        and not down
        and server.accepted == []
    )


def _send_to(server: Server, address: str) -> tuple[str, bool, list[float]]:
    mailer = SmtpMailer(SmtpSettings("mail.example.org"), sleep=lambda _: None, connect=server)
    sent = mailer.send(Mail(address, "subject", "body"))
    return sent.outcome, sent.server_down, []


def test_the_message_carries_its_files_and_its_id() -> None:
    message = compose("accord@example.org", MAIL)
    assert [part.get_filename() for part in message.iter_attachments()] == ["copy.docx"]
    assert message["Message-ID"] == "<abc@accord>" and message["To"] == "mx@example.org"
