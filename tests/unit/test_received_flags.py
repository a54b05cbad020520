"""What accord notices about a received file (drafting.intake.received_flags, same_file, submission_summary):
lateness first, the made-on language when it is not the party's, the same current file again a no-op."""

from __future__ import annotations

from drafting.intake import received_flags, same_file, submission_summary
from drafting.negotiation import Party, Submission, SubmissionFlag
from drafting.wordml.reader import read_docx
from tests.compilation_fixtures import sample_bytes

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
