"""A declaration in two authentic languages (issue 15), created from the command line: an English and a Spanish
zero draft aligned paragraph by paragraph, refused when they do not align, and parties working in the language the
parties file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import samples
from tests import factories
from tests.bilingual_fixtures import SLUG, accord, bilingual, create, create_with_languages  # noqa: F401 (fixtures)
from tests.cli_runner import Accord


def _shortened(tmp_path: Path, drop: int) -> Path:
    """The Spanish sample without its paragraph ``drop`` (1-based)."""
    lines = [
        line
        for line in samples.source_path("es").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    del lines[drop - 1]
    path = tmp_path / "short.es.docx"
    path.write_bytes(samples.build_docx("\n".join(lines) + "\n", language="es"))
    return path


def test_two_zero_drafts_make_one_declaration_in_two_languages(accord: Accord) -> None:
    out = bilingual(accord).stdout
    assert "zero draft of 48 paragraphs" in out
    spanish = accord.home / "declarations" / SLUG / "versions" / "Zero draft.es.docx"
    assert f"zero draft (es): {spanish}" in out and spanish.is_file()
    created, issued = [e["payload"] for e in accord.json("log", SLUG)]
    assert created["languages"] == ["en", "es"]
    assert created["translations"]["es"]["filename"] == "water-resilience.es.docx"
    assert set(created["party_languages"].values()) == {"en"}  # the sample's file names no language
    assert issued["translations"]["es"]["paragraphs"] == 48
    accord("verify", SLUG)
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_one_zero_draft_stays_a_declaration_in_one_language(accord: Accord) -> None:
    """A bare --zero-draft FILE records nothing of languages beyond ["en"]: its events are as they always were."""
    create(accord, str(samples.docx_path("en")))
    created, issued = [e["payload"] for e in accord.json("log", SLUG)]
    assert created["languages"] == ["en"]
    assert not {"translations", "party_languages", "accepted_warnings"} & set(created)
    assert "translations" not in issued


def test_parties_work_in_the_language_the_parties_file_names(
    accord: Accord, tmp_path: Path
) -> None:
    create_with_languages(accord, tmp_path)
    languages = accord.json("log", SLUG)[0]["payload"]["party_languages"]
    assert (languages["BO"], languages["MX"], languages["ES"], languages["DE"]) == (
        "es",
        "es",
        "en",
        "en",
    )
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_zero_drafts_of_different_lengths_are_refused_naming_the_first_divergence(
    accord: Accord, tmp_path: Path
) -> None:
    error = accord.refused(
        "declaration",
        "create",
        SLUG,
        "--title",
        "t",
        "--zero-draft",
        f"en={samples.docx_path('en')}",
        "--zero-draft",
        f"es={_shortened(tmp_path, 48)}",
        "--parties",
        str(samples.parties_path()),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    assert (
        "do not align" in error and "48" in error
    )  # the first divergence: paragraph 48, missing in Spanish
    assert not (accord.home / "declarations" / SLUG).exists()


@pytest.mark.parametrize("code", ["xx", "EN", "spanish"])
def test_an_unknown_language_code_is_refused_before_any_file_is_read(
    accord: Accord, code: str
) -> None:
    error = accord.refused(
        "declaration",
        "create",
        SLUG,
        "--title",
        "t",
        "--zero-draft",
        f"en={samples.docx_path('en')}",
        "--zero-draft",
        f"{code}=missing.docx",
        "--parties",
        "missing.csv",
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    assert "is not a language code" in error or "LANG=FILE" in error


def test_the_shared_eu_celac_sample_in_english_and_spanish(accord: Accord) -> None:
    """The shared EU-CELAC sample's two language versions align (47 paragraphs each) and replay."""
    en = factories.shared_path("samples/declarations/eu-celac-drugs-hlm-sample.en.docx")
    es = factories.shared_path("samples/declarations/eu-celac-drugs-hlm-sample.es.docx")
    out = create(accord, f"en={en}", f"es={es}").stdout
    assert "zero draft of 47 paragraphs" in out and "zero draft (es)" in out
    assert accord.json("log", SLUG)[1]["payload"]["translations"]["es"]["paragraphs"] == 47
    assert "replayed byte for byte" in accord("replay", SLUG).stdout
