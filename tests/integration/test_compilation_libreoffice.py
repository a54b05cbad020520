"""compilation.docx opened by LibreOffice: it loads, and its accept-all / reject-all texts, its authors and its
comments agree with accord's reader and with the invariants (2, 8 and 60 parties on the samples)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from drafting.compilation import author_of
from drafting.proposals import base_string, paragraph_starts
from tests.compilation_fixtures import (
    NAMES,
    ROUNDS,
    Scenario,
    base_lines,
    named_round,
    reading_of,
    whole_paragraphs,
)
from tests.libreoffice import Office
from tests.word_review import accept_all, by_author, returned

pytestmark = pytest.mark.libreoffice


@pytest.fixture(params=[name for name in ROUNDS if name != "eu-celac-es-8"], scope="module")
def round_(request: pytest.FixtureRequest) -> Scenario:
    return named_round(request.param)


@pytest.fixture(scope="module")
def seen(
    round_: Scenario, libreoffice: Office, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """What LibreOffice sees in the round's compilation.docx."""
    path = tmp_path_factory.mktemp("compilation") / "compilation.docx"
    path.write_bytes(round_.compiled[1])
    return libreoffice.read(path)


def test_libreoffice_opens_it_and_agrees_with_accord(
    round_: Scenario, seen: dict[str, Any]
) -> None:
    reading = reading_of(round_.compiled[1])
    assert seen["rejected"] == reading.rejected_text == round_.base.plain
    assert seen["accepted"] == reading.accepted_text


def test_libreoffice_lists_every_change_with_its_partys_name(
    round_: Scenario, seen: dict[str, Any]
) -> None:
    merged, document = round_.compiled
    authors = {r["author"] for r in seen["redlines"]}
    assert authors == {c.author for c in reading_of(document).changes}
    assert {author_of(p.parties, NAMES) for p in merged.proposals if p.group is None} <= authors
    assert {r["type"] for r in seen["redlines"]} <= {"Insert", "Delete"}
    assert all(r["date"] == "2026-12-01T18:00:00" for r in seen["redlines"])


def test_libreoffice_shows_the_comments(round_: Scenario, seen: dict[str, Any]) -> None:
    reading = reading_of(round_.compiled[1])
    assert Counter((c["author"], c["text"]) for c in seen["comments"]) == Counter(
        (c.author, c.text) for c in reading.comments
    )
    assert seen["comment_anchors"] == len(reading.comments)


def test_accepting_a_paragraph_one_party_alone_touched_in_libreoffice(
    round_: Scenario, seen: dict[str, Any]
) -> None:
    merged, document = round_.compiled
    lines, accepted = base_lines(reading_of(document)), seen["accepted"].split("\n")
    starts = paragraph_starts(round_.base) + [len(base_string(round_.base)) + 1]
    checked = 0
    for index in range(len(round_.base.paragraphs)):
        parties = {
            c
            for p in merged.proposals
            if p.start <= starts[index + 1] - 1 and starts[index] <= p.end
            for c in p.parties
        }
        if len(parties) == 1 and index in lines:
            assert accepted[lines[index]] == round_.submissions[parties.pop()].texts[index]
            checked += 1
    assert checked >= 2


def test_numbering_and_styles_survive(
    round_: Scenario, seen: dict[str, Any], libreoffice: Office, tmp_path: Path
) -> None:
    """Each base paragraph left whole has its zero-draft paragraph's style and list label in LibreOffice."""
    zero = tmp_path / "zero.docx"
    zero.write_bytes(round_.template)
    original = libreoffice.read(zero)
    whole = whole_paragraphs(reading_of(round_.compiled[1]))
    assert len(whole) > len(round_.base.paragraphs) // 2
    for index, (shown, _) in whole.items():
        slot = round_.base.paragraphs[index].template_index
        assert slot is not None
        assert seen["styles"][shown] == original["styles"][slot]
        assert seen["list_labels"][shown] == original["list_labels"][slot]


def test_libreoffice_reads_the_compilation_returned_with_decisions(
    round_: Scenario, libreoffice: Office, tmp_path: Path
) -> None:
    """What a co-presidency sends back (some changes accepted, some rejected, some left) still opens, and
    LibreOffice and accord agree on what it says."""
    merged, document = round_.compiled
    first = NAMES[sorted(round_.submissions)[0]]
    last = NAMES[sorted(round_.submissions)[-1]]
    for decide in (by_author({first: "accept", last: "reject"}), accept_all):
        path = tmp_path / "returned.docx"
        path.write_bytes(returned(document, decide))
        seen, reading = libreoffice.read(path), reading_of(path.read_bytes())
        assert (seen["accepted"], seen["rejected"]) == (
            reading.accepted_text,
            reading.rejected_text,
        )
        assert {r["author"] for r in seen["redlines"]} == {c.author for c in reading.changes}
