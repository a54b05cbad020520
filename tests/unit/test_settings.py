"""Settings read from the environment, and the publisher's choice of Prefect mirroring."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.errors import InvalidInput
from flows.bootstrap import Settings
from flows.publish import PrefectPublisher, publisher_from_env


def test_reminder_hours_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_REMINDER_HOURS", "6.5")
    assert Settings.from_env(tmp_path).reminder_hours == 6.5
    monkeypatch.delenv("ACCORD_REMINDER_HOURS")
    assert Settings.from_env(tmp_path).reminder_hours == 24.0


def test_a_reminder_setting_that_is_not_a_number_is_refused_in_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_REMINDER_HOURS", "a day")
    with pytest.raises(InvalidInput, match="ACCORD_REMINDER_HOURS"):
        Settings.from_env(tmp_path)


def test_mail_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings.from_env(tmp_path).smtp is None  # no host: outbox folders only
    monkeypatch.setenv("ACCORD_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("ACCORD_SMTP_PORT", "587")
    monkeypatch.setenv("ACCORD_SMTP_ATTEMPTS", "1")
    smtp = Settings.from_env(tmp_path).smtp
    assert smtp is not None and (smtp.host, smtp.port, smtp.attempts) == (
        "mail.example.org",
        587,
        1,
    )


@pytest.mark.parametrize(
    ("name", "value"), [("ACCORD_SMTP_PORT", "smtp"), ("ACCORD_SMTP_ATTEMPTS", "three")]
)
def test_a_mail_setting_that_is_not_a_number_is_refused_in_words(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInput, match=f"^{name}='{value}' is not "):
        Settings.from_env(tmp_path)


def test_events_go_to_prefect_only_while_an_api_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo starts its Prefect server after the app is wired: the choice is made at each publish."""
    sent: list[object] = []
    monkeypatch.setattr(PrefectPublisher, "publish", lambda self, events: sent.extend(events))
    publisher = publisher_from_env()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    publisher.publish(["first"])  # type: ignore[list-item]
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    publisher.publish(["second"])  # type: ignore[list-item]
    assert sent == ["second"]
