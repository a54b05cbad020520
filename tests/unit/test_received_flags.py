"""What accord notices about a received file (drafting.intake): lateness first, the made-on language when it is
not the party's, the same current file again a no-op; the texts a file may be made on; what a received file
becomes and the event that records it."""

from __future__ import annotations

import pytest

from drafting.canonical import sha256_hex
from drafting.errors import RefusedFile
from drafting.intake import (
    Drafts,
    Receiving,
    Upload,
    flag,
    received_flags,
    same_file,
    submission_received,
    submission_summary,
)
from drafting.lifecycle import Round
from drafting.negotiation import (
    Declaration,
    Party,
    RoundState,
    Submission,
    SubmissionFlag,
    SubmissionSummary,
)
from drafting.wordml.reader import read_docx
from tests.compilation_fixtures import sample_base, sample_bytes
from tests.docxbuild import build_docx

MEXICO = Party(code="MX", name="Mexico", language="es")


def _flags(language: str | None, late: tuple[str, str | None] | None) -> list[SubmissionFlag]:
    return received_flags(
        read_docx(sample_bytes("water"), name="MX.docx"),
        declaration="water",
        version="Zero draft",
        party=MEXICO,
        works_in="es",
        language=language,
        late=late,
    )


def test_a_late_file_made_on_another_language_is_flagged_late_first_and_language_last() -> None:
    codes = [f.code for f in _flags("en", ("2026-12-05T10:00:00Z", "2026-12-04T18:00:00Z"))]
    assert codes[0] == "late" and codes[-1] == "language-differs"
    (late,) = [
        f
        for f in _flags(None, ("2026-12-05T10:00:00Z", "2026-12-04T18:00:00Z"))
        if f.code == "late"
    ]
    assert late.message == "received 2026-12-05T10:00:00Z, after the deadline 2026-12-04T18:00:00Z"
    assert _flags("en", None)[-1].message == (
        "Mexico works in es; this file was made on the en text, and its amendments are read on that text"
    )


def test_a_file_on_time_and_in_the_partys_language_has_neither_flag() -> None:
    codes = {f.code for f in _flags("es", None)}
    assert not codes & {"late", "language-differs"}


def _submission(id: int, digest: str, status: str) -> Submission:
    return Submission(
        id=id, round=1, party="MX", blob_sha256=digest, filename="MX.docx",
        received_at="2026-12-01T10:00:00Z", status=status, late=False,
    )  # fmt: skip


def test_only_the_current_file_sent_again_is_the_same_file() -> None:
    previous = [_submission(1, "a" * 64, "superseded"), _submission(2, "b" * 64, "current")]
    assert same_file(previous, "b" * 64) == previous[1]
    assert same_file(previous, "a" * 64) is None  # an earlier file again becomes current


def test_the_summary_names_the_language_only_when_there_is_one() -> None:
    reading = read_docx(sample_bytes("water"), name="MX.docx")
    assert "language" not in submission_summary(reading, "r" * 64, None).model_dump()
    summary = submission_summary(reading, "r" * 64, "es")
    assert (summary.language, summary.reading) == ("es", "r" * 64)


def _drafts(*languages: str) -> Drafts:
    samples = {"en": "water", "es": "water-es"}
    texts = {"Zero draft": {lang: sample_base(samples[lang]) for lang in languages}}
    return Drafts.of("Zero draft", texts, languages[0])


def test_the_drafts_name_each_further_language_and_find_the_one_a_file_was_made_on() -> None:
    drafts = _drafts("en", "es")
    assert list(drafts.texts) == ["Zero draft", "Zero draft (es)"]
    assert list(drafts.languages) == ["en", "es"]
    spanish = read_docx(sample_bytes("water-es"), name="MX.docx")
    assert drafts.check(spanish, name="MX.docx", party="MX") == "es"
    english = read_docx(sample_bytes("water"), name="MX.docx")
    assert _drafts("en").check(english, name="MX.docx", party="MX") is None  # one language


def test_a_file_made_on_another_text_is_refused_unless_replayed() -> None:
    other = read_docx(build_docx("<w:p><w:r><w:t>Another text entirely.</w:t></w:r></w:p>"))
    with pytest.raises(RefusedFile, match="made on a different text"):
        _drafts("en").check(other, name="x.docx", party="MX")
    assert _drafts("en").check(other, name="x.docx", party="MX", made_on=False) is None


def _receiving(previous: list[Submission]) -> Receiving:
    declaration = Declaration(slug="water", title="Water", languages=["en", "es"])
    opened, deadline = "2026-12-01T10:00:00Z", "2026-12-04T18:00:00Z"
    current = Round("water", 1, "Zero draft", RoundState.OPEN, opened, deadline=deadline)
    return Receiving(declaration, MEXICO, current, previous)


def test_a_received_file_is_late_flagged_summarised_and_supersedes_the_current_one() -> None:
    previous = [_submission(1, "a" * 64, "superseded"), _submission(2, "b" * 64, "current")]
    data = sample_bytes("water")
    upload = Upload("MX-3.docx", data, read_docx(data, name="MX-3.docx"), "en")
    received = _receiving(previous).receive(upload, "r" * 64, "2026-12-05T10:00:00Z")
    assert (received.party, received.blob_sha256, received.filename) == (
        "MX",
        sha256_hex(data),
        "MX-3.docx",
    )
    assert received.late and received.superseded == [2]
    codes = [f.code for f in received.flags]
    assert codes[0] == "late" and codes[-1] == "language-differs"
    assert (received.summary.reading, received.summary.language) == ("r" * 64, "en")
    assert _receiving(previous).same_file("b" * 64) == previous[1]


def test_the_event_records_the_stored_submission() -> None:
    stored = Submission(
        id=3, round=1, party="MX", blob_sha256="c" * 64, filename="MX-3.docx",
        received_at="2026-12-05T10:00:00Z", status="current", late=True,
        flags=(flag("late", "received late"), flag("unstamped", "no stamp")),
        summary=SubmissionSummary(reading="r" * 64, language="es"),
    )  # fmt: skip
    event = submission_received(stored, [2], by="account:7", reading="r" * 64)
    assert event.model_dump() == {
        "round": 1,
        "party": "MX",
        "submission": 3,
        "blob": "c" * 64,
        "filename": "MX-3.docx",
        "late": True,
        "superseded": (2,),
        "flags": ("late", "unstamped"),
        "by": "account:7",
        "language": "es",
        "reading": "r" * 64,
    }
