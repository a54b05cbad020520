"""Times as accord stores them (ISO 8601 UTC) and as a person gives and reads them (with a zone)."""

from __future__ import annotations

from datetime import datetime, timedelta

from drafting.errors import InvalidInput
from drafting.moments import local_time
from flows.bootstrap import iso

__all__ = ["HORIZON", "local_time", "parse_moment"]

HORIZON = timedelta(
    days=100 * 365
)  # the furthest deadline accepted: reminders and ticks compute around it


def _zoned(value: str, option: str) -> datetime:
    """The time ``value`` writes in ISO 8601, which must name its zone."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{option} {value!r} is not ISO 8601; write e.g. 2026-12-04T18:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(
            f"{option} {value!r} has no time zone; add one, e.g. {value}+01:00 or {value}Z"
        )
    return moment


def parse_moment(value: str, now: str, *, option: str = "--until") -> str:
    """An ISO 8601 time with a zone, in the future, normalised to UTC; a naive time is refused."""
    moment = _zoned(value, option)
    try:  # 9999-12-31T23:59:59-23:59 is past the last moment Python can hold in UTC
        stamp, latest = (
            iso(moment),
            iso(datetime.fromisoformat(now.replace("Z", "+00:00")) + HORIZON),
        )
    except OverflowError:
        stamp, latest = "9999", ""
    if stamp <= now:
        raise InvalidInput(f"{option} {value} is already past (now {now}); give a later time")
    if stamp > latest:
        raise InvalidInput(
            f"{option} {value} is more than {HORIZON.days // 365} years ahead; give a nearer time"
        )
    return stamp
