"""A round's deadline as a person reads it: in their time zone, with the time left."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class DeadlineView:
    zone: str  # the zone shown (a valid IANA name)
    local: str | None  # e.g. "Fri 04 Dec 2026 18:00 CET", None without a deadline
    utc: str | None
    left: str | None  # e.g. "2 d 3 h", or the word for "passed"
    zones: tuple[str, ...]


@functools.cache
def all_zones() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


@functools.lru_cache(maxsize=64)
def zone_options(selected: str) -> Markup:
    """The ``<option>`` of every zone, ``selected`` marked: some 600 on every page, written once per zone (a
    third of a page's time went into writing them)."""
    return Markup(
        "".join(
            f"<option{' selected' if zone == selected else ''}>{escape(zone)}</option>"
            for zone in all_zones()
        )
    )


def deadline_view(
    round_: dict[str, Any] | None, zone: str, now: datetime, t: dict[str, str]
) -> DeadlineView:
    """The deadline of a round (a dict as ``views.declaration`` gives it) in ``zone`` (UTC when unknown)."""
    zone = zone if zone in all_zones() else "UTC"
    deadline = (round_ or {}).get("deadline")
    if not deadline:
        return DeadlineView(zone, None, None, None, all_zones())
    when = datetime.fromisoformat(deadline.replace("Z", "+00:00")).astimezone(UTC)
    local = when.astimezone(zoneinfo.ZoneInfo(zone))
    return DeadlineView(
        zone,
        f"{local:%a %d %b %Y %H:%M} {local.tzname()}",
        f"{when:%Y-%m-%d %H:%M} UTC",
        time_left(when - now.astimezone(UTC), t),
        all_zones(),
    )


def time_left(delta: Any, t: dict[str, str]) -> str:
    """Days, hours and minutes left, or "passed"."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return t["passed"]
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    parts = [t["days"].format(n=days)] if days else []
    parts += [t["hours"].format(n=hours)] if hours or days else []
    parts += [] if days else [t["minutes"].format(n=max(1, rest // 60))]
    return " ".join(parts)
