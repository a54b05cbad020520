"""What accord notices about a delegation's file before it becomes proposals: stamp, authorship, hidden text."""

from __future__ import annotations

from typing import Any

from drafting.documents import STAMP_DECLARATION, STAMP_PARTY, STAMP_VERSION
from drafting.wordml.models import Reading


def flag(code: str, message: str) -> dict[str, str]:
    """One flag on a submission."""
    return {"code": code, "message": message}


def submission_flags(
    reading: Reading, *, declaration: str, version: str, party_code: str, party_name: str
) -> list[dict[str, str]]:
    """Flags for a submission: stamp mismatches, authors other than the party, and the reader's warnings."""
    flags = _stamp_flags(reading.custom_properties, declaration=declaration, version=version, party=party_code)
    others = [a for a in reading.authors if a and a.casefold() not in {party_name.casefold(), party_code.casefold()}]
    if others:
        flags.append(flag(
            "author-differs",
            f"changes or comments are authored by {', '.join(others)}; they are attributed to {party_name} "
            "(the submitting party), the Word author is kept for information",
        ))
    flags.extend(flag(w.code, w.message) for w in reading.warnings)
    return flags


def _stamp_flags(props: dict[str, str], *, declaration: str, version: str, party: str) -> list[dict[str, str]]:
    if STAMP_PARTY not in props:
        return [flag("unstamped", "the file carries no accord stamp; it was not made from the copy sent to the party")]
    flags = []
    if props.get(STAMP_PARTY) != party:
        flags.append(flag("stamp-party", f"the file was sent to {props.get(STAMP_PARTY)}, but submitted by {party}"))
    if props.get(STAMP_DECLARATION) != declaration:
        flags.append(flag("stamp-declaration", f"the file belongs to declaration {props.get(STAMP_DECLARATION)!r}"))
    if props.get(STAMP_VERSION) != version:
        flags.append(flag("stamp-version", f"the file was made on {props.get(STAMP_VERSION)}, the round is on {version}"))
    return flags


def reading_summary(reading: Reading) -> dict[str, Any]:
    """Counts a person sees for a submission."""
    by_type: dict[str, int] = {}
    for change in reading.changes:
        by_type[change.type.value] = by_type.get(change.type.value, 0) + 1
    changed = {c.paragraph for c in reading.changes if c.paragraph is not None}
    return {
        "paragraphs": len(reading.paragraphs),
        "paragraphs_changed": len(changed),
        "changes": len(reading.changes),
        "changes_by_type": dict(sorted(by_type.items())),
        "comments": len(reading.comments),
        "authors": reading.authors,
    }
