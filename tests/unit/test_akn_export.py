"""What `accord export` takes from the records for Akoma Ntoso (drafting.akn): the lifecycle up to the next
version's issue, the version in one of its languages, the expression's language first. No schema needed."""

from __future__ import annotations

from drafting.akn import AknVersion, expressed_in, lifecycle_events
from drafting.negotiation import Declaration, VersionState
from tests.unit import records
from tests.unit.records import logged

LOG = [
    logged(1, "accord.declaration.created"),
    logged(2, "accord.version.issued", {"number": 0, "version": "Zero draft"}),
    logged(3, "accord.round.opened", {"round": 1, "version": "Zero draft"}),
    logged(4, "accord.version.issued", {"number": 1, "version": "Rev.1"}),
    logged(5, "accord.version.edited", {"number": 2, "version": "Rev.2"}),
    logged(6, "accord.version.agreed", {"version": "Rev.2"}),
]


def test_the_lifecycle_ends_before_the_next_version_is_issued_or_edited() -> None:
    assert [e.seq for e in lifecycle_events(LOG, 0)] == [1, 2, 3]
    assert [e.seq for e in lifecycle_events(LOG, 1)] == [1, 2, 3, 4]
    assert [e.seq for e in lifecycle_events(LOG, 2)] == [1, 2, 3, 4, 5, 6]
    assert lifecycle_events([], 0) == []
    opened = lifecycle_events(LOG, 0)[2]
    assert (opened.type, opened.actor, opened.at, opened.version) == (
        "accord.round.opened",
        "secretariat",
        "2026-12-01T09:00:00Z",
        "Zero draft",
    )


def test_the_expression_in_a_further_language() -> None:
    declaration = Declaration(slug="d", title="T", languages=["en", "es", "fr"])
    assert expressed_in(declaration, None) is declaration
    assert expressed_in(declaration, "fr").languages == ["fr", "en", "es"]
    spanish = {"paragraphs": [{"key": "p001", "text": "Acordado.", "status": "unchanged"}]}
    es = {"text": spanish, "blob": "b" * 64, "template": "t" * 64}
    agreed = [("p001", "Agreed.", "unchanged")]
    version = records.version(1, VersionState.AGREED, agreed, translations={"es": es})
    first, other = AknVersion.of(version), AknVersion.of(version, "es")
    assert (first.label, first.number, first.issued_at, first.state) == (
        "Rev.1",
        1,
        "2026-12-02T08:00:00Z",
        "agreed",
    )
    assert [p.text for p in first.text.paragraphs] == ["Agreed."]
    assert [p.text for p in other.text.paragraphs] == ["Acordado."]
