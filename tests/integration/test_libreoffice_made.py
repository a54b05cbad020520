"""Files written by LibreOffice (another real client) read just as exactly as Word's.

LibreOffice opens a delegation's file and saves it again as .docx: every part is LibreOffice's own XML (its own
ids, run splits, rsid-free markup, comment anchors). accord's reader must see the same tracked changes, the same
accept-all and reject-all texts as LibreOffice itself, and the same comments.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafting.wordml.reader import read_docx
from tests import factories
from tests.libreoffice import Office, libreoffice_read, resave_with_libreoffice

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("code", ["MX", "FR", "BR"])
def test_a_delegation_file_saved_by_libreoffice_reads_the_same(
    code: str, libreoffice: Office, tmp_path: Path
) -> None:
    original = tmp_path / f"{code}.docx"
    original.write_bytes(factories.party_submission(code))
    made = resave_with_libreoffice(original, tmp_path / "lo")
    ours, theirs = read_docx(original.read_bytes()), read_docx(made.read_bytes())
    assert b"LibreOffice" in zipfile.ZipFile(made).read(
        "docProps/app.xml"
    )  # written by LibreOffice, not us
    view = libreoffice_read(made)
    assert theirs.accepted_text == view["accepted"] == ours.accepted_text
    assert theirs.rejected_text == view["rejected"] == ours.rejected_text
    assert {c.author for c in theirs.changes} == {c.author for c in ours.changes}
    assert [c.text for c in theirs.comments] == [c.text for c in ours.comments]


def test_a_compilation_saved_by_libreoffice_keeps_every_party_and_both_views(
    libreoffice: Office, tmp_path: Path
) -> None:
    from drafting.compilation import compilation_document
    from tests.compilation_fixtures import NAMES, sample_base, sample_bytes, scenario

    round_ = scenario("eu-celac", sorted(NAMES)[:8])
    merged, _ = round_.compiled
    source = tmp_path / "compilation.docx"
    source.write_bytes(
        compilation_document(
            sample_bytes(),
            sample_base(),
            merged,
            names=NAMES,
            date="2026-12-01T18:00:00Z",
            stamp={},
            title="Compilation",
        )
    )
    made = resave_with_libreoffice(source, tmp_path / "lo")
    ours, theirs = read_docx(source.read_bytes()), read_docx(made.read_bytes())
    view = libreoffice_read(made)
    assert theirs.accepted_text == view["accepted"] == ours.accepted_text
    assert theirs.rejected_text == view["rejected"] == ours.rejected_text == sample_base().plain
    assert {c.author for c in theirs.changes} == {c.author for c in ours.changes}
    assert len(theirs.comments) == len(ours.comments)
