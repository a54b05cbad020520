"""Issue 15's Done when, with edits made in LibreOffice: on the shared EU-CELAC sample in English and Spanish, a
CELAC party (Mexico) edits its Spanish copy and an EU party (Germany) its English copy, each in LibreOffice with
changes recorded; both are accepted on the right base, compiled into both compilations, decided in one place,
revised, translated once (the translator's edit made in LibreOffice too) and aligned. Skipped, saying why, where
../shared or LibreOffice is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.demo_parties import bilingual_parties_csv
from tests import factories
from tests.cli_runner import Accord
from tests.libreoffice import Office

pytestmark = pytest.mark.libreoffice

SLUG = "eu-celac-drugs"
SAMPLE = "samples/declarations/eu-celac-drugs-hlm-sample"


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


def _copy(accord: Accord, party: str, spanish: bool) -> Path:
    """The stamped copy of the zero draft in the party's outbox, in its language."""
    copies = [
        p
        for p in (accord.home / "declarations" / SLUG / "outbox" / party).glob("*.docx")
        if p.name.endswith(".es.docx") == spanish
    ]
    assert len(copies) == 1, copies
    return copies[0]


def _created(accord: Accord, tmp_path: Path) -> None:
    """The shared EU-CELAC sample in English and Spanish; CELAC parties work in Spanish, EU parties in English."""
    en, es = factories.shared_path(f"{SAMPLE}.en.docx"), factories.shared_path(f"{SAMPLE}.es.docx")
    parties = tmp_path / "parties.csv"
    parties.write_text(bilingual_parties_csv(), encoding="utf-8")
    drafts = [
        arg for lang, path in (("en", en), ("es", es)) for arg in ("--zero-draft", f"{lang}={path}")
    ]
    accord(
        "declaration",
        "create",
        SLUG,
        "--title",
        "EU-CELAC drugs",
        *drafts,
        "--parties",
        str(parties),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )


def test_edits_made_in_libreoffice_on_both_texts_go_through_a_whole_round(
    accord: Accord, libreoffice: Office, tmp_path: Path
) -> None:
    _created(accord, tmp_path)
    accord("round", "open", SLUG)
    mexico = libreoffice.edit(
        _copy(accord, "MX", spanish=True), tmp_path / "MX.es.docx", {10: " y la sociedad civil"}
    )
    germany = libreoffice.edit(
        _copy(accord, "DE", spanish=False), tmp_path / "DE.docx", {12: " and civil society"}
    )
    assert "made on the es text" in accord("submit", SLUG, "--party", "MX", str(mexico)).stdout
    assert "made on the en text" in accord("submit", SLUG, "--party", "DE", str(germany)).stdout
    accord("round", "close", SLUG, "--yes")
    folder = accord.home / "declarations" / SLUG / "round-1"
    assert (folder / "compilation.en.docx").is_file() and (folder / "compilation.es.docx").is_file()
    synopsis = {
        row["key"]: row
        for row in json.loads((folder / "synopsis.json").read_text("utf-8"))["paragraphs"]
    }
    assert [
        (p["id"], p["parties"], p["inserted"].strip())
        for p in synopsis["p010"]["in"]["es"]["proposals"]
    ] == [("P001.es", ["MX"], "y la sociedad civil")]
    assert [
        (p["id"], p["parties"], p["inserted"].strip()) for p in synopsis["p012"]["proposals"]
    ] == [("P001", ["DE"], "and civil society")]
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps({"decisions": {"P001.es": "accept", "P001": "reject"}}), encoding="utf-8"
    )
    accord("decide", SLUG, "--party", "ES", str(decisions))
    assert "Rev.1 issued" in accord("decide", SLUG, "--party", "BO", str(decisions)).stdout
    issued = accord.json("log", SLUG)[-1]["payload"]
    assert issued["pending"] == ["p010"] and issued["translations"]["es"]["pending"] == []
    revised = accord.home / "declarations" / SLUG / "versions" / "Rev.1.docx"
    translation = libreoffice.edit(
        revised, tmp_path / "translated" / "Rev.1.docx", {10: " and civil society"}
    )
    done = accord("translate", SLUG, "--language", "en", str(translation)).stdout
    assert "Rev.1 in en: paragraph(s) 10 aligned; every language aligned" in done
    assert (
        "47 paragraphs: 47 aligned, 0 mismatch, 0 translation pending"
        in accord("align", SLUG).stdout
    )
    english = accord.json("blame", SLUG)["spans"]
    assert "civil society" in "".join(s["text"] for s in english if s["source"] == "translation")
    spanish = accord.json("blame", SLUG, "--language", "es")["spans"]
    assert [(s["party"], s["proposal"]) for s in spanish if s["source"] == "proposal"] == [
        ("MX", "P001.es")
    ]
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_paragraph_amended_in_both_languages_in_libreoffice_keeps_its_bracket_in_both(
    accord: Accord, libreoffice: Office, tmp_path: Path
) -> None:
    """Mexico (Spanish) and Germany (English) amend paragraph 10 in LibreOffice: one group; Bolivia rejects
    Mexico's words, so they are bracketed in Spanish, and the English translation must carry the bracket."""
    _created(accord, tmp_path)
    accord("round", "open", SLUG)
    mexico = libreoffice.edit(
        _copy(accord, "MX", spanish=True), tmp_path / "MX.es.docx", {10: " y la sociedad civil"}
    )
    germany = libreoffice.edit(
        _copy(accord, "DE", spanish=False), tmp_path / "DE.docx", {10: " and the private sector"}
    )
    accord("submit", SLUG, "--party", "MX", str(mexico))
    accord("submit", SLUG, "--party", "DE", str(germany))
    assert "2 proposals, 1 conflict groups" in accord("round", "close", SLUG, "--yes").stdout
    for code, verdict in (("ES", "accept"), ("BO", "reject")):
        decisions = tmp_path / f"decisions-{code}.json"
        decisions.write_text(json.dumps({"decisions": {"P001": "accept", "P001.es": verdict}}))
        accord("decide", SLUG, "--party", code, str(decisions))
    issued = accord.json("log", SLUG)[-1]["payload"]
    assert issued["pending"] == ["p010"] and issued["translations"]["es"]["pending"] == ["p010"]
    revised = accord.home / "declarations" / SLUG / "versions" / "Rev.1.docx"
    plain = libreoffice.edit(revised, tmp_path / "plain" / "Rev.1.docx", {10: " and civil society"})
    assert (
        "paragraph 10 has no bracketed passage in en but 1 bracketed passage in es"
        in accord.refused("translate", SLUG, "--language", "en", str(plain))
    )
    carried = libreoffice.edit(
        revised, tmp_path / "carried" / "Rev.1.docx", {10: " [and civil society]"}
    )
    assert (
        "paragraph(s) 10 aligned"
        in accord("translate", SLUG, "--language", "en", str(carried)).stdout
    )
    spanish = accord.home / "declarations" / SLUG / "versions" / "Rev.1.es.docx"
    words = libreoffice.edit(
        spanish, tmp_path / "es" / "Rev.1.es.docx", {10: " y el sector privado"}
    )
    assert (
        "every language aligned" in accord("translate", SLUG, "--language", "es", str(words)).stdout
    )
    assert "replayed byte for byte" in accord("replay", SLUG).stdout
