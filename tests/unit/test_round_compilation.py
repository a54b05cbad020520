"""A round's compilation as values (drafting.round_compilation): the files each language gets, what is stored and
the amendments decided on, from the texts and contributions the compile use case loads."""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache

from drafting.brackets import COVER_PAGE, FIRST_RULES
from drafting.compilation import Received
from drafting.documents import STAMP_LANGUAGE, STAMP_ROUND, STAMP_VERSION
from drafting.merge import merge
from drafting.proposals import PartyProposals
from drafting.round_compilation import (
    CompiledDocuments,
    RoundToCompile,
    artifact_kind,
    compile_documents,
    media_type,
)
from drafting.wordml.reader import read_docx
from drafting.wordml.writer import OutIdentity
from tests.compilation_fixtures import (
    NAMES,
    Edits,
    contribution,
    sample_base,
    sample_bytes,
    tracked,
)


@cache
def contributions_on(sample: str) -> tuple[PartyProposals, ...]:
    """Austria rewords the first paragraph; Mexico adds one after the second."""
    template, base = sample_bytes(sample), sample_base(sample)
    first = base.paragraphs[0].text
    word = first.split()[-1]
    edits = {
        "AT": Edits(base).replace(0, word, word.upper()),
        "MX": Edits(base).insert_after(1, "Mexico's new paragraph."),
    }
    return tuple(
        contribution(tracked(template, base, e.result, author=NAMES[code]), base, code, n + 1)
        for n, (code, e) in enumerate(edits.items())
    )


def _task(languages: dict[str, str], rules: int = COVER_PAGE) -> RoundToCompile:
    return RoundToCompile(
        declaration="water",
        title="Water",
        round_number=2,
        version="Rev.1",
        bases={lang: sample_base(sample) for lang, sample in languages.items()},
        contributions={lang: list(contributions_on(s)) for lang, s in languages.items()},
        names=NAMES,
        templates={lang: sample_bytes(sample) for lang, sample in languages.items()},
        date="2026-12-01T18:00:00Z",
        identity=OutIdentity(
            header=["WATER/L.1 Compilation, round 2 on Rev.1", "Draft"], footer="WATER/L.1"
        ),
        brackets=[],
        rules=rules,
        deadline="Fri 04 Dec 2026 18:00 CET",
        received=Received(delegations=2, of=58),
    )


def _stamp(compiled: CompiledDocuments, name: str) -> dict[str, str]:
    return read_docx(compiled.files[name]).custom_properties


def test_one_language_gets_one_compilation_without_a_language_stamp() -> None:
    compiled = compile_documents(_task({"en": "water"}))
    assert list(compiled.files) == ["compilation.docx", "synopsis.json", "synopsis.html"]
    stamp = _stamp(compiled, "compilation.docx")
    assert (stamp[STAMP_VERSION], stamp[STAMP_ROUND]) == ("Rev.1", "2")
    assert STAMP_LANGUAGE not in stamp
    assert compiled.merged == merge(list(contributions_on("water")))
    assert "languages" not in compiled.stored
    assert len(compiled.stored["contributions"]) == 2
    assert json.loads(compiled.files["synopsis.json"])["round"] == 2


def test_two_languages_get_a_compilation_each_and_one_set_of_amendments_tagged_by_language() -> (
    None
):
    compiled = compile_documents(_task({"en": "water", "es": "water-es"}))
    assert list(compiled.files) == [
        "compilation.en.docx",
        "compilation.es.docx",
        "synopsis.json",
        "synopsis.html",
    ]
    assert [
        _stamp(compiled, f"compilation.{lang}.docx")[STAMP_LANGUAGE] for lang in ("en", "es")
    ] == [
        "en",
        "es",
    ]
    english = merge(list(contributions_on("water")))
    spanish = merge(list(contributions_on("water-es")))
    ids = [p.id for p in compiled.merged.proposals]
    assert ids == [p.id for p in english.proposals] + [f"{p.id}.es" for p in spanish.proposals]
    assert list(compiled.stored["languages"]) == ["es"]
    assert len(compiled.contributions) == 4


def test_a_declaration_created_before_cover_pages_gets_none() -> None:
    with_cover = compile_documents(_task({"en": "water"})).files["compilation.docx"]
    without = compile_documents(_task({"en": "water"}, rules=FIRST_RULES)).files["compilation.docx"]
    assert b"Base version: Rev.1" in _parts(with_cover)
    assert b"Base version" not in _parts(without)


def _parts(docx: bytes) -> bytes:
    """Every part of a Word file, joined."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return b"".join(z.read(name) for name in z.namelist())


def test_each_file_is_stored_with_its_kind_and_media_type() -> None:
    assert [artifact_kind(n) for n in ("compilation.docx", "compilation.es.docx")] == [
        "compilation",
        "compilation",
    ]
    assert artifact_kind("synopsis.json") == "synopsis-json"
    assert artifact_kind("proposals.json") == "proposals"
    assert media_type("synopsis.html").startswith("text/html")
    assert media_type("proposals.json") == "application/json"
    assert media_type("compilation.docx").endswith("wordprocessingml.document")


def test_what_is_stored_and_recorded_of_a_compilation() -> None:
    """The proposals are stored first, then the files; each stored file is an artifact of the round, by name; the
    event names every stored file and counts what was compiled."""
    compiled = compile_documents(_task({"en": "water"}))
    files = compiled.stored_files()
    assert list(files) == ["proposals.json", "compilation.docx", "synopsis.json", "synopsis.html"]
    assert json.loads(files["proposals.json"]) == compiled.stored
    blobs = {name: str(n) * 64 for n, name in enumerate(files)}
    artifacts = compiled.artifacts(blobs, round_number=2, at="2026-12-01T18:00:00Z")
    assert [(a.name, a.kind, a.blob_sha256[0], a.round) for a in artifacts] == [
        ("compilation.docx", "compilation", "1", 2),
        ("proposals.json", "proposals", "0", 2),
        ("synopsis.html", "synopsis-html", "3", 2),
        ("synopsis.json", "synopsis-json", "2", 2),
    ]
    ready = compiled.ready(2, "Rev.1", blobs)
    assert (ready.round, ready.version, ready.documents) == (2, "Rev.1", blobs)
    assert ready.submissions == (1, 2)
    assert (ready.proposals, ready.conflicts) == (
        len(compiled.merged.proposals),
        compiled.conflicts,
    )
