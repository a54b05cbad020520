"""All wiring in one place: settings, the database and the ports for side effects (clock, documents, mail,
publisher, Word reader), each an adapter from flows.adapters that a test may replace with a fake."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from drafting.errors import InvalidInput
from drafting.lru import Lru
from drafting.wordml.gate import GateLimits
from drafting.wordml.models import Reading
from drafting.wordml.reader import read_docx
from flows.adapters.files import DocumentSink, FolderSink
from flows.adapters.mail import Mailer, SmtpSettings, mailer_for
from flows.adapters.scratch import Scratch
from flows.adapters.translation import Translator
from flows.publish import Publisher, publisher_from_env
from storage import Store, database_url, make_engine, upgrade

__all__ = [
    "App",
    "Clock",
    "Reader",
    "Settings",
    "SmtpSettings",
    "bootstrap",
    "iso",
    "read_upload",
    "utc_now",
]

HOME_ENV = "ACCORD_HOME"
DEFAULT_HOME = "accord-home"


@dataclass
class Settings:
    """Everything configurable, read from ACCORD_* environment variables with sensible defaults."""

    home: Path
    database_url: str
    limits: GateLimits = field(default_factory=GateLimits)
    smtp: SmtpSettings | None = None
    reminder_hours: float = 24.0
    portal_url: str = (
        "http://127.0.0.1:8000"  # where people reach the portal: the notices link to it
    )

    @classmethod
    def from_env(cls, home: Path | None = None, url: str | None = None) -> Settings:
        """Settings for a home folder (argument, $ACCORD_HOME, or ./accord-home)."""
        home = (home or Path(os.environ.get(HOME_ENV, DEFAULT_HOME))).resolve()
        smtp = _smtp_from_env()
        limits = _limits_from_env()
        reminder_hours = _number("ACCORD_REMINDER_HOURS", 24, "a number of hours, e.g. 24")
        portal = os.environ.get("ACCORD_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
        return cls(
            home=home,
            database_url=database_url(home, url),
            limits=limits,
            smtp=smtp,
            reminder_hours=reminder_hours,
            portal_url=portal,
        )


def _smtp_from_env() -> SmtpSettings | None:
    """The SMTP settings when $ACCORD_SMTP_HOST is set; None (no mail) when it is not."""
    smtp_host = os.environ.get("ACCORD_SMTP_HOST")
    if not smtp_host:
        return None
    port = int(_number("ACCORD_SMTP_PORT", 25, "a port number, e.g. 25"))
    attempts = _number("ACCORD_SMTP_ATTEMPTS", 3, "how many times to try a letter, e.g. 3")
    return SmtpSettings(
        host=smtp_host,
        port=port,
        sender=os.environ.get("ACCORD_SMTP_SENDER", "accord@localhost"),
        attempts=max(1, int(attempts)),
    )


def _limits_from_env() -> GateLimits:
    """The gate's limits, the upload size from $ACCORD_MAX_UPLOAD_BYTES (a positive whole number)."""
    upload = _number(
        "ACCORD_MAX_UPLOAD_BYTES",
        GateLimits().max_upload_bytes,
        "a number of bytes, e.g. 26214400",
    )
    if upload < 1 or upload != int(upload):
        raise InvalidInput(
            f"ACCORD_MAX_UPLOAD_BYTES={upload!r} is not a positive whole number of bytes"
        )
    return GateLimits(max_upload_bytes=int(upload))


def _number(name: str, default: float, what: str) -> float:
    """A number from the environment; a value that is none is refused in words."""
    value = os.environ.get(name, str(default))
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise InvalidInput(f"{name}={value!r} is not {what}; set it right or unset it")
    return number


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock, in UTC (the Clock adapter; tests pass a function of their own)."""
    return datetime.now(UTC)


Reader = Callable[[bytes, str, GateLimits], Reading]


def read_upload(data: bytes, name: str, limits: GateLimits) -> Reading:
    """The Word reader: the safety gate, then the reading (a pure function of bytes, name and limits)."""
    return read_docx(data, name=name, limits=limits)


@dataclass
class App:
    """What every use case receives: settings, the store, and the ports (clock, publisher, reader, mail, files)."""

    settings: Settings
    store: Store
    publisher: Publisher
    clock: Clock = utc_now
    reader: Reader = read_upload  # replay swaps in one that reads ahead in worker processes
    mail: Mailer | None = None  # None: the adapter settings.smtp asks for, read at each sending
    files: DocumentSink = field(init=False)  # the home folder; a test may put a MemorySink here
    scratch: Scratch = field(init=False)  # temporary folders, under the home
    # Readings by the sha256 of their stored JSON, as this app made or loaded them: a compilation in the process
    # that received the round's files (`accord serve`, replay) skips loading 60 readings again (~1 ms each). The
    # key is the content's hash, so a hit is the stored reading itself; about 215 KiB each.
    readings: Lru[str, Reading] = field(default_factory=lambda: Lru(128))
    # Write the dashboard and audit pages (flows/usecases/dashboard.py) whenever documents are published; replay's
    # scratch app does not: its folder is thrown away, and the pages cost ~0.1 s at each publication
    pages: bool = True
    # A translation service for `accord translate --draft` (flows/adapters/translation.py): none is shipped
    translator: Translator | None = None

    def __post_init__(self) -> None:
        self.files = FolderSink(self.settings.home)
        self.scratch = Scratch(self.settings.home / "tmp")

    @property
    def mailer(self) -> Mailer:
        """The mail port: the one given, else SMTP with the settings' retry policy (or none without SMTP)."""
        return self.mail if self.mail is not None else mailer_for(self.settings.smtp)

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
    clock: Clock | None = None,
    publisher: Publisher | None = None,
    mail: Mailer | None = None,
    create: bool = True,
    translator: Translator | None = None,
) -> App:
    """Create the home folder (unless ``create`` is false), connect and migrate the database, and wire the app."""
    settings = Settings.from_env(home, url)
    if create:
        settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = App(
        settings=settings,
        store=Store(engine),
        publisher=publisher or publisher_from_env(),
        clock=clock or utc_now,
        mail=mail,
        translator=translator,
    )
    app.scratch.sweep()  # what a killed run left: its temporary folders, and a LibreOffice it had started
    return app
