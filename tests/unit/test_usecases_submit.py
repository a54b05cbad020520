"""Submitting a party's Word file, against the unit of work in memory (tests/unit/fakes.py): what is stored and
recorded, that a later file supersedes an earlier one, and that a refused file leaves no submission and no
document behind (only its refusal in the log). The Word files are built here (tests/docxbuild.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.canonical import sha256_hex
from drafting.errors import NotAWordFile, RefusedFile, WrongState
from flows.usecases import rounds, submissions
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, amended, fake_app, seed_declaration


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def types(app: Any) -> list[tuple[str, str]]:
    return [(e.type, e.actor) for e in app.store.uow.log_]


def test_a_submission_is_stored_recorded_and_superseded_by_the_next(app: Any) -> None:
    repo = seed_declaration(app)
    rounds.open_round(app, SLUG)
    first = submissions.submit(
        app, SLUG, party="MX", data=amended("and welcomed"), filename="a.docx"
    )
    assert (first.submission, first.round, first.party, first.late) == (1, 1, "MX", False)
    assert app.store.uow.documents[first.sha256] == amended("and welcomed")
    second = submissions.submit(app, SLUG, party="MX", data=amended("and noted"), filename="b.docx")
    assert (second.submission, second.superseded) == (2, [1])
    assert (
        [(s.number, s.status, s.filename) for s in repo.submissions_]
        == [
            (1, "superseded", "a.docx"),
            (2, "current", "b.docx"),
        ]
    )  # the repository applies the rule: a party's new file supersedes its earlier ones in the round
    assert types(app)[1:] == [
        ("accord.submission.received", "MX"),
        ("accord.submission.received", "MX"),
    ]
    assert app.store.uow.log_[-1].payload["superseded"] == [1]
    again = submissions.submit(app, SLUG, party="MX", data=amended("and noted"), filename="b.docx")
    assert again.duplicate and len(app.store.uow.log_) == 3  # the same file again: nothing recorded


def test_a_refused_file_leaves_no_submission_and_no_document(app: Any) -> None:
    repo = seed_declaration(app)
    rounds.open_round(app, SLUG)
    documents = dict(app.store.uow.documents)
    with pytest.raises(NotAWordFile):
        submissions.submit(
            app, SLUG, party="MX", data=b"MZ\x90\x00 not a Word file", filename="x.docx"
        )
    with pytest.raises(RefusedFile, match="made on a different text"):
        submissions.submit(
            app,
            SLUG,
            party="MX",
            data=build_docx("<w:p><w:r><w:t>Another text entirely.</w:t></w:r></w:p>"),
            filename="y.docx",
        )
    assert repo.submissions_ == [] and app.store.uow.documents == documents
    assert types(app)[1:] == [
        ("accord.submission.refused", "MX"),
        ("accord.submission.refused", "MX"),
    ]
    refused = app.store.uow.log_[1].payload
    assert (refused["filename"], refused["sha256"]) == (
        "x.docx",
        sha256_hex(b"MZ\x90\x00 not a Word file"),
    )  # the hostile bytes themselves are not kept, only their hash


def test_no_submission_before_a_round_opens(app: Any) -> None:
    repo = seed_declaration(app)
    with pytest.raises(WrongState, match="has no round yet"):
        submissions.submit(app, SLUG, party="MX", data=amended("and welcomed"), filename="a.docx")
    assert repo.submissions_ == [] and app.store.uow.log_ == []
