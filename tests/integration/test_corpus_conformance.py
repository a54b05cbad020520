"""The reader against the 40 real Word files of ../shared/corpus/real-word (see its SOURCES.md for how the
expected texts and counts were made). Set ACCORD_CORPUS to read the corpus from elsewhere."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from drafting.wordml.models import ChangeType, Reading, SegmentKind
from drafting.wordml.reader import read_docx, view_lines

CORPUS = Path(
    os.environ.get("ACCORD_CORPUS")
    or Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real-word"
)
MANIFEST = CORPUS / "manifest.json"
_NOTE_TYPES = frozenset(ChangeType) - {
    ChangeType.ROW_INSERT,
    ChangeType.ROW_DELETE,
    ChangeType.CELL_INSERT,
    ChangeType.CELL_DELETE,
}


def _entries() -> list[Any]:
    if not MANIFEST.is_file():
        reason = f"real-Word corpus not found at {CORPUS} (set ACCORD_CORPUS to its folder)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-corpus")]
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return [pytest.param(entry, id=entry["file"]) for entry in entries]


ENTRIES = _entries()


@functools.lru_cache(maxsize=None)
def _read(file: str) -> Reading:
    return read_docx((CORPUS / file).read_bytes(), name=file)


def _expected(entry: dict[str, Any], view: str) -> bytes:
    return (CORPUS / f"{entry['file'].removesuffix('.docx')}.{view}.txt").read_bytes()


def test_the_corpus_has_forty_files() -> None:
    if not MANIFEST.is_file():
        pytest.skip(f"real-Word corpus not found at {CORPUS} (set ACCORD_CORPUS to its folder)")
    assert len(ENTRIES) == 40


@pytest.mark.parametrize("entry", ENTRIES)
def test_file_is_the_one_in_the_manifest(entry: dict[str, Any]) -> None:
    reading = _read(entry["file"])
    assert (
        reading.sha256
        == entry["sha256"]
        == hashlib.sha256((CORPUS / entry["file"]).read_bytes()).hexdigest()
    )


@pytest.mark.parametrize("entry", ENTRIES)
def test_accepted_text_is_exact(entry: dict[str, Any]) -> None:
    accepted = _read(entry["file"]).accepted_text.encode("utf-8")
    assert accepted == _expected(entry, "accepted")
    assert hashlib.sha256(accepted).hexdigest() == entry["accepted_text_sha256"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_rejected_text_is_exact(entry: dict[str, Any]) -> None:
    rejected = _read(entry["file"]).rejected_text.encode("utf-8")
    assert rejected == _expected(entry, "rejected")
    assert hashlib.sha256(rejected).hexdigest() == entry["rejected_text_sha256"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_paragraph_counts_of_both_views(entry: dict[str, Any]) -> None:
    paragraphs = _read(entry["file"]).paragraphs
    assert len(view_lines(paragraphs, accepted=True)) == entry["accepted_paragraphs"]
    assert len(view_lines(paragraphs, accepted=False)) == entry["rejected_paragraphs"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_comments_and_threads(entry: dict[str, Any]) -> None:
    comments = _read(entry["file"]).comments
    assert len(comments) == entry["counts"]["comments"]
    assert sum(c.parent is not None for c in comments) == entry["features"]["comment_replies"]
    assert sum(c.resolved for c in comments) == entry["features"]["comments_done"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_authors_of_document_comments_and_notes(entry: dict[str, Any]) -> None:
    assert _read(entry["file"]).authors == sorted(entry["counts"]["authors"])


@pytest.mark.parametrize("entry", ENTRIES)
def test_footnote_and_endnote_revisions_are_reported(entry: dict[str, Any]) -> None:
    changes = _read(entry["file"]).changes
    for part, feature in (("footnotes", "footnote_revisions"), ("endnotes", "endnote_revisions")):
        assert (
            sum(c.part == part and c.type in _NOTE_TYPES for c in changes)
            == entry["features"][feature]
        )
        assert all(c.paragraph is None for c in changes if c.part == part)


@pytest.mark.parametrize("entry", ENTRIES)
def test_structure_is_consistent(entry: dict[str, Any]) -> None:
    reading = _read(entry["file"])
    assert [p.index for p in reading.paragraphs] == list(range(len(reading.paragraphs)))
    for para in reading.paragraphs:
        assert (
            "".join(s.text for s in para.segments if s.kind is not SegmentKind.DELETE)
            == para.text_accepted
        )
        assert (
            "".join(s.text for s in para.segments if s.kind is not SegmentKind.INSERT)
            == para.text_rejected
        )
        assert all(s.text for s in para.segments)
    ids = [c.id for c in reading.changes]
    assert len(ids) == len(set(ids))
    known = {c.id for c in reading.changes}
    assert {s.change_id for p in reading.paragraphs for s in p.segments if s.change_id} <= known


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_reading_survives_its_json(entry: dict[str, Any]) -> None:
    """Readings cross as JSON (stored at intake, handed back by replay's read-ahead worker): nothing may change."""
    reading = _read(entry["file"])
    text = reading.model_dump_json()
    again = Reading.model_validate_json(text)
    assert again == reading and again.model_dump_json() == text


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_second_reading_is_the_first(
    entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate and the reader remember inflated parts, verdicts and style flags by fingerprint: a read with
    everything remembered reads what a read with nothing remembered does."""
    from drafting.lru import Lru
    from drafting.wordml import _members, _zipcheck, gate, reader

    monkeypatch.setattr(
        _zipcheck, "_INFLATED", _members.InflatedParts(minimum=0)
    )  # small members too
    monkeypatch.setattr(gate, "_VETTED", Lru(gate._VETTED.maxsize))
    monkeypatch.setattr(reader, "_STYLES", Lru(reader._STYLES.maxsize))
    data = (CORPUS / entry["file"]).read_bytes()
    cold = read_docx(data, name=entry["file"])
    assert _zipcheck._INFLATED.parts and gate._VETTED
    assert read_docx(data, name=entry["file"]) == cold
