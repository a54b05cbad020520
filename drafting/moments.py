"""Times as accord stores them (ISO 8601 UTC), shown as a person reads them in the declaration's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_time(moment: str, zone: str) -> str:
    """A stored UTC time as a person reads it in the declaration's zone, e.g. 'Fri 04 Dec 2026 18:00 CET (17:00 UTC)'."""
    when = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)
    try:
        local = when.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        local = when
    text = f"{local:%a %d %b %Y %H:%M} {local.tzname()}"
    return text if local.utcoffset() == timedelta(0) else f"{text} ({when:%H:%M} UTC)"
