"""All wiring in one place: settings, the database, the clock, the event publisher and the Word reader."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from drafting.errors import InvalidInput
from drafting.wordml.gate import GateLimits
from drafting.wordml.models import Reading
from drafting.wordml.reader import read_docx
from flows.publish import Publisher, publisher_from_env
from storage import Store, database_url, make_engine, upgrade

HOME_ENV = "ACCORD_HOME"
DEFAULT_HOME = "accord-home"


@dataclass(frozen=True)
class SmtpSettings:
    """Where routing and reminder mail goes (none: no mail, outbox folders only)."""

    host: str
    port: int = 25
    sender: str = "accord@localhost"
    attempts: int = 3  # per letter, for failures that may pass (the server unreachable or busy, a 4xx reply)
    backoff: float = 2.0  # seconds before the second attempt, doubling after


@dataclass
class Settings:
    """Everything configurable, read from ACCORD_* environment variables with sensible defaults."""

    home: Path
    database_url: str
    limits: GateLimits = field(default_factory=GateLimits)
    smtp: SmtpSettings | None = None
    reminder_hours: float = 24.0

    @classmethod
    def from_env(cls, home: Path | None = None, url: str | None = None) -> Settings:
        """Settings for a home folder (argument, $ACCORD_HOME, or ./accord-home)."""
        home = (home or Path(os.environ.get(HOME_ENV, DEFAULT_HOME))).resolve()
        smtp_host = os.environ.get("ACCORD_SMTP_HOST")
        smtp = None
        if smtp_host:
            smtp = SmtpSettings(
                host=smtp_host,
                port=int(_number("ACCORD_SMTP_PORT", 25, "a port number, e.g. 25")),
                sender=os.environ.get("ACCORD_SMTP_SENDER", "accord@localhost"),
                attempts=max(1, int(_number("ACCORD_SMTP_ATTEMPTS", 3, "how many times to try a letter, e.g. 3"))),
            )
        limits = GateLimits(
            max_upload_bytes=int(os.environ.get("ACCORD_MAX_UPLOAD_BYTES", GateLimits().max_upload_bytes))
        )
        reminder_hours = _number("ACCORD_REMINDER_HOURS", 24, "a number of hours, e.g. 24")
        return cls(home=home, database_url=database_url(home, url), limits=limits, smtp=smtp,
                   reminder_hours=reminder_hours)


def _number(name: str, default: float, what: str) -> float:
    """A number from the environment; a value that is none is refused in words."""
    value = os.environ.get(name, str(default))
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"{name}={value!r} is not {what}; set it right or unset it") from None


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


Reader = Callable[[bytes, str, GateLimits], Reading]


def read_upload(data: bytes, name: str, limits: GateLimits) -> Reading:
    """The Word reader: the safety gate, then the reading (a pure function of bytes, name and limits)."""
    return read_docx(data, name=name, limits=limits)


@dataclass
class App:
    """What every use case receives: settings, the store, the clock, the publisher and the Word reader."""

    settings: Settings
    store: Store
    publisher: Publisher
    clock: Callable[[], datetime] = utc_now
    reader: Reader = read_upload  # replay swaps in one that reads ahead in worker processes

    def read(self, data: bytes, name: str) -> Reading:
        """Vet and read an uploaded Word file within this deployment's limits; RefusedFile says why not."""
        return self.reader(data, name, self.settings.limits)

    @property
    def home(self) -> Path:
        return self.settings.home

    def now(self) -> str:
        """The current time as the ISO 8601 UTC string stored and hashed everywhere."""
        return iso(self.clock())


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with seconds, e.g. 2026-11-28T10:00:00Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def bootstrap(
    home: Path | None = None,
    *,
    url: str | None = None,
    clock: Callable[[], datetime] | None = None,
    publisher: Publisher | None = None,
) -> App:
    """Create the home folder, connect and migrate the database, and wire the app."""
    settings = Settings.from_env(home, url)
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return App(
        settings=settings,
        store=Store(engine),
        publisher=publisher or publisher_from_env(),
        clock=clock or utc_now,
    )
