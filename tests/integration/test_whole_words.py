"""No proposal and no bracket begins or ends inside a word, on the EU-CELAC sample and the three UN General Assembly
2025 declarations, with scripted edits (character splices that cut through words, as Word stores some edits) in
files accord writes and in the same files saved again by LibreOffice."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from drafting.amendments import is_boundary, is_word_char
from drafting.decisions import ACCEPT, REJECT, reconcile
from drafting.merge import Merged, merge
from drafting.proposals import base_string
from drafting.revision import next_revision, operations
from drafting.text import DraftText
from tests.compilation_fixtures import (
    NAMES,
    contribution,
    sample_base,
    sample_bytes,
    scenario,
    tracked,
)
from tests.factories import SHARED

pytestmark = pytest.mark.skipif(
    not (SHARED / "samples/declarations").exists(), reason="needs ../shared/samples/declarations"
)
SAMPLES = ["eu-celac", "eu-celac-es", "awaza", "doha", "trafficking"]
SPLICES = ["", "s", "as well as", "UN ", "-related", "further ", "acción", ", including"]


def spliced(base: DraftText, seed: int) -> list[str]:
    """A party's text: a few splices at random characters, inside words as often as not."""
    rng = random.Random(seed)
    texts = [p.text for p in base.paragraphs]
    for _ in range(6):
        index = rng.randrange(len(texts))
        text = texts[index]
        i = rng.randrange(len(text) + 1)
        texts[index] = (
            text[:i] + rng.choice(SPLICES) + text[min(len(text), i + rng.randrange(12)) :]
        )
    return texts


def assert_whole_words(base: DraftText, merged: Merged) -> None:
    text = base_string(base)
    for p in merged.proposals:
        party = text[: p.start] + p.inserted + text[p.end :]
        assert is_boundary(text, p.start) and is_boundary(text, p.end), (p.id, p.deleted)
        assert is_boundary(party, p.start) and is_boundary(party, p.start + len(p.inserted)), (
            p.id,
            p.inserted,
        )


def assert_brackets_on_words(revision: DraftText) -> None:
    """No "[" or "]" stands between two letters of a word ("a[nd / s well as]", "drug[-related]")."""
    for paragraph in revision.paragraphs:
        text = paragraph.text
        for m in re.finditer(r"[\[\]]", text):
            before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            assert not (before and after and is_word_char(before) and is_word_char(after)), text[
                max(0, m.start() - 30) : m.end() + 30
            ]
            assert is_boundary(
                text.replace("[", "").replace("]", ""),
                m.start() - text.count("[", 0, m.start()) - text.count("]", 0, m.start()),
            )


def disputed(merged: Merged) -> dict[str, dict[str, str]]:
    """Spain accepts everything it can, Bolivia rejects everything: every amendment and conflict bracketed."""
    spain = {p.id: ACCEPT for p in merged.proposals if p.group is None}
    for group in merged.conflicts:
        spain.update({pid: ACCEPT if i == 0 else REJECT for i, pid in enumerate(group.proposals)})
    return {"ES": spain, "BO": {p.id: REJECT for p in merged.proposals}}


@pytest.mark.parametrize("sample", SAMPLES)
def test_spliced_edits_become_whole_word_proposals_and_brackets(sample: str) -> None:
    template, base = sample_bytes(sample), sample_base(sample)
    codes = ["AR", "AT", "BR", "MX"]
    merged = merge(
        [
            contribution(
                tracked(template, base, spliced(base, n), author=NAMES[code]), base, code, n + 1
            )
            for n, code in enumerate(codes)
        ]
    )
    assert merged.proposals
    assert_whole_words(base, merged)
    revision, _ = next_revision(
        base, operations(base, merged, reconcile(merged, disputed(merged), ["ES", "BO"]))
    )
    assert_brackets_on_words(revision)


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_scenario_rounds_give_whole_word_proposals(sample: str) -> None:
    round_ = scenario(sample, ["AR", "AT", "BR", "MX", "FR", "CL", "PE", "CO"])
    merged, _ = round_.compiled
    assert_whole_words(round_.base, merged)


@pytest.mark.libreoffice
@pytest.mark.parametrize("sample", ["awaza", "doha", "trafficking"])
def test_files_saved_by_libreoffice_give_whole_word_proposals(sample: str, tmp_path: Path) -> None:
    from tests.integration.test_libreoffice_made import resave_with_libreoffice

    template, base = sample_bytes(sample), sample_base(sample)
    original = tmp_path / "AR.docx"
    original.write_bytes(tracked(template, base, spliced(base, 11), author="Argentina"))
    resaved = resave_with_libreoffice(original, tmp_path / "lo").read_bytes()
    found = contribution(resaved, base, "AR")
    assert found.proposals
    assert_whole_words(base, merge([found]))
