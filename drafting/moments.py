"""Times as accord stores them (ISO 8601 UTC), shown as a person reads them in the declaration's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def in_zone(moment: str, zone: str) -> datetime:
    """A stored UTC time in the declaration's zone (in UTC when the zone is unknown)."""
    when = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)
    try:
        return when.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return when


def local_time(moment: str, zone: str) -> str:
    """A stored UTC time as a person reads it in the declaration's zone, e.g. 'Fri 04 Dec 2026 18:00 CET (17:00 UTC)'."""
    local = in_zone(moment, zone)
    text = f"{local:%a %d %b %Y %H:%M} {local.tzname()}"
    return (
        text if local.utcoffset() == timedelta(0) else f"{text} ({local.astimezone(UTC):%H:%M} UTC)"
    )
