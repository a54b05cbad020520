"""A declaration opened in LibreOffice and saved unchanged is no amendment (issue 16).

Before drafting/characters.py, the Doha, Awaza and trafficking declarations so saved gave 2, 1 and 3 untracked
amendments each: their U+2011 came back as w:noBreakHyphen. Each sample is the zero draft of a declaration; one
delegation submits the sample as LibreOffice saves it, another accord's own copy as LibreOffice saves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flows.bootstrap import bootstrap
from flows.publish import RecordingPublisher
from tests import factories
from tests.libreoffice import Office, resave_with_libreoffice

pytestmark = pytest.mark.libreoffice

DECLARATIONS = factories.SHARED / "samples" / "declarations"


def _samples() -> list[Any]:
    found = sorted(DECLARATIONS.glob("*.docx"))
    if not found:
        reason = (
            f"no sample declarations in {DECLARATIONS} (../shared is absent; set ACCORD_SHARED_DIR)"
        )
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-samples")]
    return [pytest.param(path, id=path.stem) for path in found]


@pytest.mark.parametrize("sample", _samples())
def test_a_declaration_saved_unchanged_by_libreoffice_is_no_amendment(
    sample: Path, libreoffice: Office, tmp_path: Path
) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.declarations import create_declaration
    from flows.usecases.rounds import open_round
    from flows.usecases.submissions import submit

    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=factories.Clock(),
        publisher=RecordingPublisher(),
    )
    try:
        created = create_declaration(
            app,
            slug="sample",
            title=sample.stem,
            zero_draft=sample.read_bytes(),
            zero_draft_name=sample.name,
            parties_csv=factories.parties_csv(6),
            parties_name="parties.csv",
            co_presidencies=list(factories.CO_PRESIDENCIES),
        )
        open_round(app, "sample")
        first, second = factories.delegations(6)[:2]
        for party, source in ((first, sample), (second, Path(created.zero_draft))):
            saved = resave_with_libreoffice(source, tmp_path / party)
            submit(app, "sample", party=party, data=saved.read_bytes(), filename=saved.name)
        compiled = close_and_compile(app, "sample")
    finally:
        app.store.engine.dispose()
    assert (compiled.submissions, compiled.proposals) == (2, 0)


@pytest.mark.parametrize("name", ["awaza-8", "doha-8", "trafficking-8"])
def test_a_compilation_returned_through_libreoffice_gives_the_decisions_made_in_it(
    name: str, libreoffice: Office, tmp_path: Path
) -> None:
    """Before drafting/characters.py, a co-presidency's compilation saved by LibreOffice was refused as edited."""
    from drafting.decisions import decisions_from_docx
    from tests.compilation_fixtures import NAMES, named_round, reading_of
    from tests.word_review import accept_all, returned

    round_ = named_round(name)
    merged, document = round_.compiled
    for label, sent in (("unchanged", document), ("accepted", returned(document, accept_all))):
        source = tmp_path / f"{label}.docx"
        source.write_bytes(sent)
        saved = resave_with_libreoffice(source, tmp_path / label)
        expected = decisions_from_docx(reading_of(sent), round_.base, merged, NAMES)
        assert (
            decisions_from_docx(reading_of(saved.read_bytes()), round_.base, merged, NAMES)
            == expected
        )
        assert bool(expected) == (label == "accepted")


@pytest.mark.parametrize("sample", _samples())
def test_libreoffice_shows_accords_non_breaking_hyphens_as_its_own(
    sample: Path, libreoffice: Office, tmp_path: Path
) -> None:
    """accord writes U+2011 in w:t; LibreOffice reads it as its non-breaking hyphen (U+2011 in its text too)."""
    from drafting.documents import render_version, zero_draft_from_reading
    from drafting.wordml.reader import read_docx

    base = zero_draft_from_reading(read_docx(sample.read_bytes()), name=sample.name)
    copy = tmp_path / sample.name
    copy.write_bytes(render_version(sample.read_bytes(), base, title=sample.stem, stamp={}))
    assert libreoffice.read(copy)["accepted"].count("\u2011") == base.plain.count("\u2011")
