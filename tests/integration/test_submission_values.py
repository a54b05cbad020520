"""A submission's flags and summary are typed values (SubmissionFlag, SubmissionSummary in drafting/negotiation.py),
stored as the same canonical JSON as when they were plain dicts, so that rows written before read back as they
were, and ``accord status --json`` shows them as it did."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from drafting.canonical import canonical_json
from flows.usecases.status import status
from tests import factories

# A summary stored before readings were kept (0ec70ae), and one of a file made on the Spanish text.
_BEFORE_READINGS = (
    '{"authors":["Austria"],"changes":3,"changes_by_type":{"delete":1,"insert":2},"comments":1,'
    '"paragraphs":12,"paragraphs_changed":2}'
)
_ON_SPANISH = (
    '{"authors":["Austria"],"changes":3,"changes_by_type":{"delete":1,"insert":2},"comments":1,'
    '"language":"es","paragraphs":12,"paragraphs_changed":2,"reading":"' + "r" * 64 + '"}'
)


def _columns(app: Any, number: int) -> tuple[str, str]:
    with app.store.engine.connect() as connection:
        flags, summary = connection.execute(
            text("SELECT flags, summary FROM submissions WHERE number = :number"),
            {"number": number},
        ).one()
    return flags, summary


def _store_summary(app: Any, number: int, summary: str) -> None:
    with app.store.engine.begin() as connection:
        connection.execute(
            text("UPDATE submissions SET summary = :summary WHERE number = :number"),
            {"summary": summary, "number": number},
        )


def _submissions(app: Any) -> list[dict[str, Any]]:
    return list(status(app, factories.SLUG).as_json()["latest_round"]["submissions"])


def test_flags_and_summary_are_stored_as_the_canonical_json_of_plain_dicts(app: Any) -> None:
    factories.open_declaration(app, n=4)
    at, be = factories.delegations(4)[:2]
    receipt = factories.submit(app, at, stamped_for=be, author="Someone Else")
    flags, summary = _columns(app, receipt.submission)
    assert [f.code for f in receipt.flags] == ["stamp-party", "author-differs"]
    assert flags == canonical_json([{"code": f.code, "message": f.message} for f in receipt.flags])
    stored = json.loads(summary)
    assert summary == canonical_json(stored)
    assert sorted(stored) == [
        "authors",
        "changes",
        "changes_by_type",
        "comments",
        "paragraphs",
        "paragraphs_changed",
        "reading",
    ]  # no language in a declaration in one language: absent, not null
    (shown,) = _submissions(app)
    assert (shown["flags"], shown["summary"]) == (json.loads(flags), stored)


def test_summaries_stored_before_read_back_and_show_as_they_were(app: Any) -> None:
    factories.open_declaration(app, n=4)
    at, be = factories.delegations(4)[:2]
    first, second = factories.submit(app, at), factories.submit(app, be)
    _store_summary(app, first.submission, _BEFORE_READINGS)
    _store_summary(app, second.submission, _ON_SPANISH)
    with app.store.reading() as uow:
        current = uow.repo.latest_round(uow.repo.declaration(factories.SLUG))
        assert current is not None
        summaries = [s.summary for s in uow.repo.submissions(current)]
    assert [(s.reading, s.language) for s in summaries] == [(None, None), ("r" * 64, "es")]
    assert [canonical_json(s.model_dump()) for s in summaries] == [_BEFORE_READINGS, _ON_SPANISH]
    assert [s["summary"] for s in _submissions(app)] == [
        json.loads(_BEFORE_READINGS),
        json.loads(_ON_SPANISH),
    ]
