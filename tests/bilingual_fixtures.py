"""The steps shared by the tests of a declaration in two authentic languages (issue 15; tests/integration/
test_bilingual_*.py): the declaration "santa-cruz" created from the English and Spanish samples, round 1 in which
BO amends paragraph 21 in Spanish and AT in English (and DE, an EU party, on the Spanish text), Rev.1 decided with
paragraph 21 pending translation into both languages, and a translator's file."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from flows import samples
from flows.demo_parties import bilingual_parties_csv
from tests.cli_runner import Accord

SLUG = "santa-cruz"


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


def create(accord: Accord, *drafts: str, extra: tuple[str, ...] = ()) -> object:
    options = [arg for draft in drafts for arg in ("--zero-draft", draft)]
    return accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "Santa Cruz Declaration",
        *options,
        "--parties",
        str(samples.parties_path()),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
        *extra,
    )


def bilingual(accord: Accord) -> object:
    return create(accord, f"en={samples.docx_path('en')}", f"es={samples.docx_path('es')}")


def create_with_languages(accord: Accord, tmp_path: Path) -> None:
    """CELAC parties work in Spanish, EU parties in English (the parties file's language column)."""
    parties = tmp_path / "parties.csv"
    parties.write_text(bilingual_parties_csv(), encoding="utf-8")
    accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "Santa Cruz",
        "--zero-draft",
        f"en={samples.docx_path('en')}",
        "--zero-draft",
        f"es={samples.docx_path('es')}",
        "--parties",
        str(parties),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )


def redline(tmp_path: Path, lang: str, party: str, paragraph: int, addition: str) -> Path:
    """``party``'s file made on the ``lang`` zero draft: ``addition`` at the end of ``paragraph`` (1-based)."""
    from drafting.documents import zero_draft_from_reading
    from drafting.redline import redline_document
    from drafting.wordml.reader import read_docx

    data = samples.docx_path(lang).read_bytes()
    base = zero_draft_from_reading(read_docx(data, name="zero.docx"), name="zero.docx")
    texts = [p.text for p in base.paragraphs]
    texts[paragraph - 1] += " " + addition
    path = tmp_path / f"{party}.{lang}.docx"
    path.write_bytes(
        redline_document(
            data,
            base,
            texts,
            author=party,
            date="2026-12-01T10:00:00Z",
            stamp={
                "accord.declaration": SLUG,
                "accord.version": "Zero draft",
                "accord.round": "1",
                "accord.party": party,
            },
        )
    )
    return path


@pytest.fixture
def round_in_two_languages(accord: Accord, tmp_path: Path) -> Accord:
    """CELAC parties work in Spanish, EU parties in English; round 1 open on the zero draft."""
    create_with_languages(accord, tmp_path)
    accord("round", "open", SLUG)
    return accord


def decide_round_1(accord: Accord, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps({"decisions": {"P001": "accept", "P001.es": "accept", "P002.es": "reject"}})
    )
    accord("decide", SLUG, "--party", "ES", str(decisions))
    assert "Rev.1 issued" in accord("decide", SLUG, "--party", "BO", str(decisions)).stdout


def submit_round_1(accord: Accord, tmp_path: Path) -> None:
    bo = accord(
        "submit",
        SLUG,
        "--party",
        "BO",
        str(redline(tmp_path, "es", "BO", 21, "con las comunidades")),
    ).stdout
    at = accord(
        "submit", SLUG, "--party", "AT", str(redline(tmp_path, "en", "AT", 21, "with communities"))
    ).stdout
    assert "made on the es text" in bo and "made on the en text" in at
    # a Spanish file from an English party: read on the Spanish text (by alignment), and flagged
    de = accord(
        "submit", SLUG, "--party", "DE", str(redline(tmp_path, "es", "DE", 26, "en 2030"))
    ).stdout
    assert "made on the es text" in de and "flag language-differs: Germany works in en" in de


@pytest.fixture
def revised(round_in_two_languages: Accord, tmp_path: Path) -> Accord:
    """Rev.1 issued from round 1: paragraph 21 pending translation into both languages."""
    submit_round_1(round_in_two_languages, tmp_path)
    round_in_two_languages("round", "close", SLUG, "--yes")
    decide_round_1(round_in_two_languages, tmp_path)
    return round_in_two_languages


def translator_file(accord: Accord, tmp_path: Path, name: str, changes: dict[int, str]) -> Path:
    """The translator's file: the draft ``name`` with text added at the end of paragraphs (1-based)."""
    from drafting.documents import accepted_draft
    from drafting.redline import redline_document
    from drafting.wordml.reader import read_docx

    data = (accord.home / "declarations" / SLUG / "versions" / name).read_bytes()
    base = accepted_draft(read_docx(data, name=name), name=name)
    texts = [p.text for p in base.paragraphs]
    for number, words in changes.items():
        texts[number - 1] += " " + words
    path = tmp_path / f"translated-{name}"
    path.write_bytes(
        redline_document(data, base, texts, author="translator", date="2026-12-02T10:00:00Z")
    )
    return path


def margins(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(
            re.sub(r"<[^>]+>", " ", archive.read(n).decode())
            for n in archive.namelist()
            if re.fullmatch(r"word/header[^/]*\.xml", n)
        )


def aligned(revised: Accord, tmp_path: Path) -> Accord:
    revised(
        "translate",
        SLUG,
        "--language",
        "es",
        str(
            translator_file(
                revised, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"}
            )
        ),
    )
    revised(
        "translate",
        SLUG,
        "--language",
        "en",
        str(
            translator_file(revised, tmp_path, "Rev.1.docx", {21: "with communities (translated)"})
        ),
    )
    revised("approve", SLUG, "--party", "ES")
    revised("approve", SLUG, "--party", "BO")
    return revised
