"""Work bounded by the base (issue 12, finding 7): a file that passes the upload limits but would make the
compilation's work explode is refused at submission, saying which limit, and the refusal is logged."""

from __future__ import annotations

from typing import Any

import pytest

from drafting.errors import RefusedFile
from drafting.intake import WorkLimits, check_work
from drafting.redline import redline_document
from tests import factories


def _file(extra_paragraphs: int, comments: int = 0) -> bytes:
    base = factories.base_text()
    texts = [p.text for p in base.paragraphs] + [
        f"New paragraph {i} on cooperation." for i in range(extra_paragraphs)
    ]
    return redline_document(
        factories.zero_draft(),
        base,
        texts,
        author="Mexico",
        date=factories.REDLINE_DATE,
        comments={i: f"comment {i}" for i in range(comments)},
        stamp=factories.stamp("MX"),
    )


def test_a_file_far_larger_than_its_base_is_refused_and_logged(app: Any) -> None:
    """Regression: on ba8d25a this 2,000-paragraph file (70 KB) was received; 20,000 took `round close` 30 s."""
    from flows.usecases.status import event_log
    from flows.usecases.submissions import submit

    factories.open_declaration(app, n=60)
    base = len(factories.base_text().paragraphs)
    with pytest.raises(
        RefusedFile,
        match=rf"MX.docx: refused, {base + 2000:,} paragraphs is more than the limit of "
        rf"{2 * base + 20} for this draft \(2x the base's {base} paragraphs \+ 20\)",
    ):
        submit(app, factories.SLUG, party="MX", data=_file(2000), filename="MX.docx")
    refused = [
        e for e in event_log(app, factories.SLUG) if e["type"] == "accord.submission.refused"
    ]
    assert len(refused) == 1 and f"{base + 2000:,} paragraphs" in refused[0]["payload"]["reason"]
    assert (
        submit(app, factories.SLUG, party="MX", data=_file(60), filename="MX.docx").submission == 1
    )


def test_each_limit_is_named() -> None:
    from drafting.wordml.reader import read_docx

    reading = read_docx(
        _file(107 - len(factories.base_text().paragraphs), comments=90), name="MX.docx"
    )
    assert len(reading.paragraphs) == 107  # 90 of them with a comment
    check_work(reading, base_paragraphs=47, name="MX.docx")
    with pytest.raises(
        RefusedFile,
        match=r"90 comments is more than the limit of 88 for this draft \(2 per base paragraph",
    ):
        check_work(reading, base_paragraphs=44, name="MX.docx")
    with pytest.raises(RefusedFile, match="tracked changes is more than the limit of 10 "):
        check_work(reading, base_paragraphs=47, name="MX.docx", limits=WorkLimits(max_changes=10))
    with pytest.raises(RefusedFile, match="107 paragraphs is more than the limit of 100 "):
        check_work(reading, base_paragraphs=40, name="MX.docx")


def test_a_file_made_on_a_different_text_is_refused_and_logged(app: Any) -> None:
    """Regression: a file made on another text (here the declaration's Spanish version, or another declaration)
    was received, then its word diff against the base ground for minutes at `round close`."""
    from flows import samples
    from flows.usecases.status import event_log
    from flows.usecases.submissions import submit

    factories.open_declaration(app, n=60)
    other = samples.docx_path("es").read_bytes()
    with pytest.raises(
        RefusedFile,
        match=r"^MX.docx: refused, made on a different text: only 0% of the paragraphs "
        r"of Zero draft are found in it; download your copy of Zero draft",
    ):
        submit(app, factories.SLUG, party="MX", data=other, filename="MX.docx")
    refused = [
        e for e in event_log(app, factories.SLUG) if e["type"] == "accord.submission.refused"
    ]
    assert len(refused) == 1 and "made on a different text" in refused[0]["payload"]["reason"]
    assert factories.submit(app, "MX").submission == 1  # the party's own copy, edited, is received
