"""Agreed in both languages (issue 15): agreement needs every language aligned; the archive holds both texts, each
with its blame, and its verifier checks both; an editorial change leaves the other language pending; the diff of
two versions in Spanish."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.bilingual_fixtures import (
    SLUG,
    accord,  # noqa: F401 (a fixture)
    aligned,
    revised,  # noqa: F401 (a fixture)
    round_in_two_languages,  # noqa: F401 (a fixture)
    translator_file,
)
from tests.cli_runner import Accord


def test_agreement_needs_every_languagealigned(revised: Accord) -> None:
    revised("approve", SLUG, "--party", "ES")
    revised("approve", SLUG, "--party", "BO", "--pending-translation")
    error = revised.refused("agree", SLUG)
    assert "not aligned in every language (translation pending: en 21; es 21)" in error
    assert "translation pending" in revised.refused(
        "silence", SLUG, "--until", "2030-01-01T00:00:00Z"
    )


def test_the_archive_holds_both_texts_and_its_verifier_checks_both(
    revised: Accord, tmp_path: Path
) -> None:
    from flows.bundle_verify import Mismatch, verify

    accord = aligned(revised, tmp_path)
    accord("agree", SLUG)
    versions = accord.home / "declarations" / SLUG / "versions"
    assert (versions / "Agreed text.docx").is_file() and (
        versions / "Agreed text.es.docx"
    ).is_file()
    bundle = tmp_path / "bundle.zip"
    accord("archive", SLUG, "--out", str(bundle), "--no-pdf")
    with zipfile.ZipFile(bundle) as files:
        names = set(files.namelist())
        texts = json.loads(files.read("texts.json"))
    assert {
        f"agreed/{SLUG}-Rev.1.docx",
        f"agreed/{SLUG}-Rev.1.es.docx",
        "agreed.akn.xml",
        "agreed.es.akn.xml",
    } <= names
    assert texts["versions"][1]["translations"]["es"]["paragraphs"][20]["text"].endswith(
        "con las comunidades (traducido)"
    )
    said: list[str] = []
    verify(str(bundle), say=said.append)
    assert "texts: 2 texts in further languages match the hashes the log recorded" in said
    assert "replayed byte for byte" in accord("replay", SLUG).stdout
    # a Spanish text altered in the bundle is caught by the text checks themselves (the seal catches it first)
    texts["versions"][1]["translations"]["es"]["paragraphs"][3]["text"] += " (cambiado)"
    with pytest.raises(
        Mismatch, match="Rev.1: its es text does not match the text_sha256 the log recorded"
    ):
        _texts_checked(bundle, tmp_path / "unpacked", {"texts.json": texts}, said)


def _texts_checked(bundle: Path, folder: Path, changed: dict[str, object], said: list[str]) -> None:
    """The bundle unpacked into ``folder`` with ``changed`` files written as JSON (None: removed), and the checks
    of texts.json run on it as they are (the seal, which would catch the change first, is not asked)."""
    from flows import bundle_verify

    with zipfile.ZipFile(bundle) as files:
        files.extractall(folder)
    for name, value in changed.items():
        if value is None:
            (folder / name).unlink()
        else:
            (folder / name).write_text(json.dumps(value), encoding="utf-8")
    unpacked = bundle_verify.Files(str(folder))
    manifest = unpacked.json("manifest.json")
    events = bundle_verify.check_events(unpacked, manifest, said.append)
    bundle_verify.check_texts(unpacked, manifest, events, said.append)


def test_an_editorial_change_leaves_the_other_language_pending(
    revised: Accord, tmp_path: Path
) -> None:
    accord = aligned(revised, tmp_path)
    fixed = translator_file(accord, tmp_path, "Rev.1.docx", {3: "(corrected)"})
    accord("edit", SLUG, "--file", str(fixed), "--reason", "a typo in paragraph 3")
    edited = accord.json("log", SLUG)[-1]["payload"]
    assert edited["version"] == "Rev.2" and edited["pending"] == []
    assert edited["translations"]["es"]["pending"] == ["p003"]
    accord("verify", SLUG)
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


# --- blame of every language (issue 15 item 6) ----------------------------------------------------------------


def test_each_text_has_its_blame_in_the_archive_and_from_the_command_line(
    revised: Accord, tmp_path: Path
) -> None:
    """The Spanish text's words are blamed on the amendments made on it (P001.es by BO) and on the translator's
    upload (for Rev.1); the bundle holds blame.es.html and blame.es.json beside blame.html, and its verifier checks
    that each blame covers its text."""
    from flows.bundle_verify import Mismatch, verify

    accord = aligned(revised, tmp_path)
    accord("agree", SLUG)
    spanish = accord.json("blame", SLUG, "--language", "es")
    spans = spanish["spans"]
    assert (
        "".join(s["text"] for s in spans)
        .split("\n")[20]
        .endswith("con las comunidades (traducido)")
    )
    by_bo = [s for s in spans if s["source"] == "proposal"]
    assert [(s["party"], s["proposal"], s["round"]) for s in by_bo] == [("BO", "P001.es", 1)]
    translated = [s for s in spans if s["source"] == "translation"]
    assert "(traducido)" in "".join(s["text"] for s in translated)
    assert {s["introduced"] for s in translated} == {"Rev.1"} and not [
        s for s in spans if s["source"] == "untraceable"
    ]
    english = accord.json("blame", SLUG)
    assert [(s["party"], s["proposal"]) for s in english["spans"] if s["source"] == "proposal"] == [
        ("AT", "P001")
    ]
    assert english == accord.json("blame", SLUG, "--language", "en")
    page = tmp_path / "blame.es.html"
    accord("blame", SLUG, "--language", "es", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert (
        '<p class="text" lang="es">' in html and "translation for Rev.1 by the secretariat" in html
    )
    assert "Rev.1, its text in es" in html
    folder = accord.home / "declarations" / SLUG
    assert (folder / "audit" / "blame.es.html").read_text(
        encoding="utf-8"
    ) == html  # the dashboard's, beside it
    assert 'href="audit/blame.es.html"' in (folder / "index.html").read_text(encoding="utf-8")
    bundle = tmp_path / "bundle.zip"
    accord("archive", SLUG, "--out", str(bundle), "--no-pdf")
    with zipfile.ZipFile(bundle) as files:
        assert json.loads(files.read("blame.es.json")) == spanish
        assert files.read("blame.es.html").decode("utf-8") == html
        assert "blame.es.html" in files.read("README.txt").decode("utf-8")
    said: list[str] = []
    verify(str(bundle), say=said.append)
    assert "blame: 2 text(s) of Rev.1, every character attributed" in said
    assert "replayed byte for byte" in accord("replay", SLUG).stdout
    # the blame checks themselves (the seal catches an altered page first): a Spanish blame that is not the text
    with zipfile.ZipFile(bundle) as files:
        altered = json.loads(files.read("blame.es.json"))
    altered["spans"][0]["text"] = "X" + altered["spans"][0]["text"]
    with pytest.raises(Mismatch, match="blame.es.json does not blame the text of Rev.1"):
        _texts_checked(bundle, tmp_path / "altered", {"blame.es.json": altered}, said)
    _texts_checked(
        bundle, tmp_path / "older", {"blame.es.json": None}, said
    )  # sealed before: noted
    assert said[-1] == "note: no blame.es.json (sealed before accord blamed every language)"


def test_blame_of_a_language_the_declaration_lacks_is_refused(revised: Accord) -> None:
    error = revised.refused("blame", SLUG, "--language", "fr")
    assert "--language 'fr': 'santa-cruz' is negotiated in en, es; blame one of them" in error


# --- accord diff of a further language -------------------------------------------------------------------------


def test_diff_of_two_versions_in_spanish(revised: Accord, tmp_path: Path) -> None:
    """The Spanish redline holds the amendment made on the Spanish text (in the Spanish zero draft's styles), not
    the English one's."""
    from drafting.wordml.reader import read_docx

    out, page = tmp_path / "zero-to-rev1.es.docx", tmp_path / "zero-to-rev1.es.html"
    revised(
        "diff",
        SLUG,
        "Zero draft",
        "Rev.1",
        "--language",
        "es",
        "--out",
        str(out),
        "--html",
        str(page),
    )
    paragraphs = [
        p for p in read_docx(out.read_bytes(), name=out.name).paragraphs if p.container == "body"
    ]
    assert paragraphs[20].text_accepted.endswith("con las comunidades")
    assert not paragraphs[20].text_rejected.endswith("con las comunidades")
    assert paragraphs[0].text_accepted.startswith("Declaración de Santa Cruz")
    html = page.read_text(encoding="utf-8")
    assert "con las comunidades" in html and "with communities" not in html
    english = tmp_path / "zero-to-rev1.docx"
    revised("diff", SLUG, "Zero draft", "Rev.1", "--out", str(english))
    first = [
        p
        for p in read_docx(english.read_bytes(), name=english.name).paragraphs
        if p.container == "body"
    ]
    assert first[20].text_accepted.endswith("with communities")
    assert "is negotiated in en, es" in revised.refused(
        "diff", SLUG, "Zero draft", "Rev.1", "--language", "fr"
    )
    assert "give SLUG OLD NEW, not two files" in revised.refused(
        "diff", str(out), str(english), "--language", "es"
    )
