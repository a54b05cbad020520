"""The demo's case (issue 15, rules 4): Austria rewords paragraph 8's clause in English, Argentina deletes the same
clause in Spanish, and the co-presidencies split on Argentina's deletion. The compilation presents the two
languages' amendments on the paragraph together, the revision leaves paragraph 8 pending where its texts differ, and
a translation that does not carry the bracket is refused: Rev.1's two authentic texts hold the same bracket."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from flows.demo_parties import scripted_edits, translated
from tests.bilingual_fixtures import (
    SLUG,
    accord,  # noqa: F401 (a fixture)
    create_with_languages,
)
from tests.cli_runner import Accord


def _texts(data: bytes, name: str) -> list[str]:
    from drafting.documents import body_texts
    from drafting.wordml.reader import read_docx

    return body_texts(read_docx(data, name=name))


def _submitted(accord: Accord, tmp_path: Path, code: str, lang: str) -> None:
    """The party's scripted edits (the demo's) as tracked changes on its stamped copy."""
    from drafting.documents import accepted_draft
    from drafting.redline import redline_document
    from drafting.wordml.reader import read_docx

    suffix = ".es" if lang == "es" else ""
    copy = accord.home / "declarations" / SLUG / "outbox" / code
    data = (copy / f"{SLUG}-Zero-draft-{code}{suffix}.docx").read_bytes()
    base = accepted_draft(read_docx(data, name="copy.docx"), name="copy.docx")
    texts, comments = scripted_edits(_texts(data, "copy.docx"), code, code, lang, bilingual=True)
    path = tmp_path / f"{code}.docx"
    stamp = read_docx(data, name="copy.docx").custom_properties
    path.write_bytes(
        redline_document(
            data,
            base,
            texts,
            author=code,
            date="2026-12-02T10:00:00Z",
            comments=comments,
            stamp=stamp,
        )
    )
    accord("submit", SLUG, "--party", code, str(path))


@pytest.fixture
def compiled(accord: Accord, tmp_path: Path) -> tuple[Accord, str]:
    """Round 1 closed: Austria amended in English, Argentina in Spanish (both on paragraph 8)."""
    create_with_languages(accord, tmp_path)
    accord("round", "open", SLUG)
    _submitted(accord, tmp_path, "AT", "en")
    _submitted(accord, tmp_path, "AR", "es")
    return accord, accord("round", "close", SLUG, "--yes").stdout


def _comments(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/comments.xml").decode()


def test_amendments_in_both_languages_on_one_paragraph_are_one_group(
    compiled: tuple[Accord, str],
) -> None:
    accord, closed = compiled
    assert "4 proposals, 1 conflict groups" in closed  # on main: 0 conflict groups
    folder = accord.home / "declarations" / SLUG / "round-1"
    synopsis = json.loads((folder / "synopsis.json").read_text(encoding="utf-8"))
    assert [(g["paragraph"], g["number"]) for g in synopsis["across"]] == [("p025", "25")]
    group = synopsis["across"][0]["languages"]
    assert [(a["id"], a["parties"]) for a in group["en"]] == [("P001", ["AT"]), ("P002", ["AT"])]
    assert [(a["id"], a["kind"]) for a in group["es"]] == [("P002.es", "delete")]
    assert group["es"][0]["deleted"].startswith(", e invitamos a los Estados interesados")
    assert synopsis["counts"]["conflicts"] == 1
    assert "1 across languages" in (folder / "synopsis.html").read_text(encoding="utf-8")
    assert "Also amended in ES: P002.es [AR]: delete" in _comments(folder / "compilation.en.docx")
    assert "Also amended in EN: P001 [AT]" in _comments(folder / "compilation.es.docx")
    assert accord.json("log", SLUG)[-1]["payload"]["conflicts"] == 1
    assert "Round 1 compiled: 4 proposals, 1 conflict group" in json.dumps(
        accord.json("history", SLUG)
    )


def _split(accord: Accord, tmp_path: Path) -> None:
    """Spain accepts everything; Bolivia everything but Argentina's deletion: it is bracketed."""
    every = {"P001": "accept", "P002": "accept", "P001.es": "accept", "P002.es": "accept"}
    for code, decisions in (("ES", every), ("BO", every | {"P002.es": "reject"})):
        path = tmp_path / f"decisions-{code}.json"
        path.write_text(json.dumps({"decisions": decisions}))
        accord("decide", SLUG, "--party", code, str(path))


def _upload(accord: Accord, tmp_path: Path, lang: str, texts: list[str]) -> Path:
    """The translator's file: the Rev.1 draft in ``lang`` with ``texts`` as tracked changes."""
    from drafting.documents import accepted_draft
    from drafting.redline import redline_document
    from drafting.wordml.reader import read_docx

    name = "Rev.1.es.docx" if lang == "es" else "Rev.1.docx"
    data = (accord.home / "declarations" / SLUG / "versions" / name).read_bytes()
    base = accepted_draft(read_docx(data, name=name), name=name)
    path = tmp_path / f"translated-{name}"
    path.write_bytes(
        redline_document(data, base, texts, author="translator", date="2026-12-03T10:00:00Z")
    )
    return path


def _drafts(accord: Accord) -> dict[str, list[str]]:
    versions = accord.home / "declarations" / SLUG / "versions"
    return {
        lang: _texts((versions / name).read_bytes(), name)
        for lang, name in (("en", "Rev.1.docx"), ("es", "Rev.1.es.docx"))
    }


def test_a_split_decision_on_one_language_brackets_both_texts_after_translation(
    compiled: tuple[Accord, str], tmp_path: Path
) -> None:
    accord, _ = compiled
    _split(accord, tmp_path)
    issued = accord.json("log", SLUG)[-1]["payload"]
    assert issued["pending"] == ["p024", "p025"] and issued["translations"]["es"]["pending"] == [
        "p025"
    ]
    texts = _drafts(accord)
    assert "1992[, e invitamos a los Estados interesados" in texts["es"][24]
    assert "[" not in texts["en"][24]
    # the English text without the Spanish bracket: refused, naming the paragraph, nothing recorded
    unbracketed = translated(texts, "en", [23])
    error = accord.refused(
        "translate", SLUG, "--language", "en", str(_upload(accord, tmp_path, "en", unbracketed))
    )
    assert (
        "paragraph 25 has no bracketed passage in en but 1 bracketed passage in es of Rev.1"
        in error
    )
    assert not [e for e in accord.json("log", SLUG) if e["type"] == "accord.version.translated"]
    english = translated(texts, "en", [23, 24])
    assert english[24].endswith("1992[, and invite all States to accede to it];")
    accord("translate", SLUG, "--language", "en", str(_upload(accord, tmp_path, "en", english)))
    spanish = translated(_drafts(accord), "es", [24])
    assert spanish[24].startswith("8. Acogemos con beneplácito")
    assert spanish[24].endswith("1992[, e invitamos a todos los Estados a adherirse a él];")
    done = accord(
        "translate", SLUG, "--language", "es", str(_upload(accord, tmp_path, "es", spanish))
    )
    assert "every language aligned" in done.stdout
    assert "48 paragraphs: 48 aligned" in accord("align", SLUG).stdout
    assert "replayed byte for byte" in accord("replay", SLUG).stdout
