"""All wiring in one place: settings, the database, the clock and the event publisher."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from drafting.errors import InvalidInput
from drafting.wordml.gate import GateLimits
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


@dataclass
class Settings:
    """Everything configurable, read from ACCORD_* environment variables with sensible defaults."""

    home: Path
    database_url: str
    limits: GateLimits = field(default_factory=GateLimits)
    smtp: SmtpSettings | None = None
    reminder_hours: float = 24.0
    write_outbox: bool = True  # replay turns it off: outbox copies are derived files, not part of the record

    @classmethod
    def from_env(cls, home: Path | None = None, url: str | None = None) -> Settings:
        """Settings for a home folder (argument, $ACCORD_HOME, or ./accord-home)."""
        home = (home or Path(os.environ.get(HOME_ENV, DEFAULT_HOME))).resolve()
        smtp_host = os.environ.get("ACCORD_SMTP_HOST")
        smtp = None
        if smtp_host:
            smtp = SmtpSettings(
                host=smtp_host,
                port=int(os.environ.get("ACCORD_SMTP_PORT", "25")),
                sender=os.environ.get("ACCORD_SMTP_SENDER", "accord@localhost"),
            )
        limits = GateLimits(
            max_upload_bytes=int(os.environ.get("ACCORD_MAX_UPLOAD_BYTES", GateLimits().max_upload_bytes))
        )
        reminder = os.environ.get("ACCORD_REMINDER_HOURS", "24")
        try:
            reminder_hours = float(reminder)
        except ValueError:
            raise InvalidInput(f"ACCORD_REMINDER_HOURS={reminder!r} is not a number of hours; e.g. 24") from None
        return cls(home=home, database_url=database_url(home, url), limits=limits, smtp=smtp,
                   reminder_hours=reminder_hours)


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


@dataclass
class App:
    """What every use case receives: settings, the store, the clock and the publisher."""

    settings: Settings
    store: Store
    publisher: Publisher
    clock: Callable[[], datetime] = utc_now

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
