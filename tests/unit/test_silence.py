"""The silence procedure's rules: times in UTC shown in the declaration's zone, refusals, brackets."""

from __future__ import annotations

import json
from typing import Any

import pytest

from drafting.errors import InvalidInput
from drafting.lifecycle import agreement_refusal, describe_brackets, objection_refusal
from drafting.negotiation import Version, VersionState
from flows.usecases.times import local_time, parse_moment
from storage.aggregates import version_from

NOW = "2026-12-01T10:00:00Z"


def test_until_is_stored_in_utc() -> None:
    assert parse_moment("2026-12-11T18:00:00+01:00", NOW) == "2026-12-11T17:00:00Z"
    assert parse_moment("2026-12-11T17:00:00Z", NOW) == "2026-12-11T17:00:00Z"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-12-11T18:00:00", "no time zone"),
        ("next friday", "not ISO 8601"),
        ("2026-11-30T18:00:00Z", "already past"),
    ],
)
def test_bad_until_is_refused_saying_why(value: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_moment(value, NOW)


def test_times_are_shown_in_the_declaration_zone() -> None:
    assert (
        local_time("2026-12-11T17:00:00Z", "Europe/Brussels")
        == "Fri 11 Dec 2026 18:00 CET (17:00 UTC)"
    )
    assert (
        local_time("2026-07-10T16:00:00Z", "Europe/Brussels")
        == "Fri 10 Jul 2026 18:00 CEST (16:00 UTC)"
    )
    assert (
        local_time("2026-12-11T17:00:00Z", "America/La_Paz")
        == "Fri 11 Dec 2026 13:00 -04 (17:00 UTC)"
    )
    assert local_time("2026-12-11T17:00:00Z", "UTC") == "Fri 11 Dec 2026 17:00 UTC"
    assert local_time("2026-12-11T17:00:00Z", "Not/A_Zone") == "Fri 11 Dec 2026 17:00 UTC"


def _version(meta: dict[str, Any]) -> Version:
    """A version as the repository hands it out, holding ``meta`` as its stored content."""
    return Version(
        number=2,
        label="Rev.2",
        blob_sha256="b" * 64,
        text_sha256="t" * 64,
        state=VersionState.CIRCULATED,
        created_at=NOW,
        declaration="eu-celac",
        stored=json.dumps(meta),
    )


def test_bracketed_paragraphs_are_listed() -> None:
    meta = {
        "text": {
            "paragraphs": [
                {"key": "p001", "text": "Agreed.", "status": "unchanged"},
                {
                    "key": "p002",
                    "text": "[Recognise / Affirm] the role of ...",
                    "status": "bracketed",
                },
                {"key": "p002.1", "text": "New text", "status": "new"},
            ]
        }
    }
    brackets = list(version_from(_version(meta), set()).brackets)
    assert brackets == [("p002", "[Recognise / Affirm] the role of ...")]
    assert "p002 '[Recognise / Affirm] the role of ...'" in describe_brackets(brackets)
    assert version_from(_version({"text": {"paragraphs": []}}), set()).brackets == ()
    many = [(f"p{i:03d}", "x") for i in range(12)]
    assert describe_brackets(many).endswith("and 4 more")


def test_agreement_refusals() -> None:
    brackets = [("p002", "[a / b]")]
    assert agreement_refusal("circulated", "Rev.2", [], None) is None
    assert "bracketed" in (agreement_refusal("circulated", "Rev.2", brackets, None) or "")
    assert "round 3 is open" in (agreement_refusal("circulated", "Rev.2", [], 3) or "")
    assert "already agreed" in (agreement_refusal("agreed", "Rev.2", [], None) or "")
    assert "under silence" in (agreement_refusal("silence", "Rev.2", [], None) or "")
    assert "approve" in (agreement_refusal("draft", "Rev.2", [], None) or "")


def test_objection_refusals() -> None:
    until = "2026-12-11T17:00:00Z"
    assert objection_refusal("running", until, "2026-12-11T16:59:59Z", "UTC") is None
    assert "ended Fri 11 Dec 2026 18:00 CET" in (
        objection_refusal("running", until, until, "Europe/Brussels") or ""
    )
    assert "already broken" in (objection_refusal("broken", until, NOW, "UTC") or "")
    assert "no silence" in (objection_refusal(None, None, NOW, "UTC") or "")
