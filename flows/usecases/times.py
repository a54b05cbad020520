"""Times as accord stores them (ISO 8601 UTC) and as a person gives and reads them (with a zone)."""

from __future__ import annotations

from datetime import datetime

from drafting.errors import InvalidInput
from drafting.moments import local_time
from flows.bootstrap import iso

__all__ = ["local_time", "parse_moment"]


def parse_moment(value: str, now: str, *, option: str = "--until") -> str:
    """An ISO 8601 time with a zone, in the future, normalised to UTC; a naive time is refused."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{option} {value!r} is not ISO 8601; write e.g. 2026-12-04T18:00:00+01:00") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{option} {value!r} has no time zone; add one, e.g. {value}+01:00 or {value}Z")
    stamp = iso(moment)
    if stamp <= now:
        raise InvalidInput(f"{option} {value} is already past (now {now}); give a later time")
    return stamp
