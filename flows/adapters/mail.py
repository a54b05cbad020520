"""The Mailer port and its adapters: SMTP with the retry policy, and none (no SMTP settings: outbox folders only).

Whether to try again, and for how long, is the adapter's business; routing only learns how a letter went.
"""

from __future__ import annotations

import mimetypes
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

MAILED = "mailed"
NO_SMTP = "outbox only (no SMTP settings)"


@dataclass(frozen=True)
class SmtpSettings:
    """Where routing and reminder mail goes (none: no mail, outbox folders only)."""

    host: str
    port: int = 25
    sender: str = "accord@localhost"
    attempts: int = (
        3  # per letter, for failures that may pass (the server unreachable or busy, a 4xx reply)
    )
    backoff: float = 2.0  # seconds before the second attempt, doubling after


@dataclass(frozen=True)
class Mail:
    """One e-mail: to whom, about what, and its attachments (file name, bytes)."""

    to: str
    subject: str
    body: str
    files: tuple[tuple[str, bytes], ...] = ()
    message_id: str = (
        ""  # the same for every sending of one letter, so a letter sent twice can be told apart
    )


@dataclass(frozen=True)
class Sent:
    """How sending one mail went: the outcome recorded per party, and whether the server seems down."""

    outcome: str  # mailed | outbox only (...) | failed: ...
    server_down: bool = False

    @property
    def ok(self) -> bool:
        """Whether the mail left (or there was no mail to send)."""
        return not self.outcome.startswith("failed")


class Mailer(Protocol):
    """The port: send one mail and say how it went (never raises for a mail that could not go)."""

    def send(self, mail: Mail) -> Sent:
        """Send ``mail``; a failure is an outcome, not an exception."""
        ...


class NoMailer:
    """No SMTP settings: nothing is mailed, documents wait in the outbox folders."""

    def send(self, mail: Mail) -> Sent:
        """Send nothing."""
        return Sent(NO_SMTP)


class SmtpMailer:
    """SMTP, trying again after failures that may pass (a 4xx reply, no conversation), with doubling waits."""

    def __init__(
        self,
        settings: SmtpSettings,
        sleep: Callable[[float], None] = time.sleep,
        connect: Callable[..., smtplib.SMTP] = smtplib.SMTP,
    ) -> None:
        self.settings = settings
        self.sleep, self.connect = (
            sleep,
            connect,
        )  # a test passes its own, to check the policy without a server

    def send(self, mail: Mail) -> Sent:
        """Send one mail, trying again after failures that may pass."""
        try:
            message = compose(self.settings.sender, mail)
        except (
            ValueError,
            TypeError,
        ) as bad:  # e.g. a newline in the address: no server will take it
            return Sent(f"failed: the mail could not be written: {bad}"[:300])
        error: Exception | None = None
        attempt = 0
        for attempt in range(max(1, self.settings.attempts)):
            if attempt:
                self.sleep(self.settings.backoff * 2 ** (attempt - 1))
            error = self._try(message)
            if error is None:
                return Sent(MAILED)
            if _permanent(error):
                break
        tries = f"{attempt + 1} attempts, " if attempt else ""
        # down: no conversation, or a server still answering "try later" (421, 451 ...) after every attempt
        return Sent(
            f"failed: {tries}{type(error).__name__}: {error}"[:300],
            server_down=not _permanent(error),
        )

    def _try(self, message: EmailMessage) -> Exception | None:
        try:
            with self.connect(self.settings.host, self.settings.port, timeout=20) as client:
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as failed:
            return failed
        return None


def _permanent(error: Exception | None) -> bool:
    """A refused address, or a 5xx reply: trying again will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def compose(sender: str, mail: Mail) -> EmailMessage:
    """The e-mail message, its files attached."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, mail.to, mail.subject
    if mail.message_id:
        message["Message-ID"] = f"<{mail.message_id}>"
    message.set_content(mail.body)
    for name, data in mail.files:
        kind = (mimetypes.guess_type(name)[0] or "application/octet-stream").split("/", 1)
        message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return message


def mailer_for(settings: SmtpSettings | None) -> Mailer:
    """The adapter the settings ask for."""
    return NoMailer() if settings is None else SmtpMailer(settings)
