"""`accord demo` end to end (in-process steps): the agreed text, its archive, and an audit that finds nothing."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from drafting.wordml.reader import read_docx
from flows.bootstrap import bootstrap
from flows.demo import SLUG, run_demo


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    lines: list[str] = []
    outputs = run_demo(home, parties=6, fresh=False, say=lines.append)
    assert Path(outputs["overview"]).exists() and Path(outputs["archive"]).exists()
    assert any(
        re.fullmatch(r"Rev\.1 approved .*; \d+ paragraphs? bracketed", line) for line in lines
    ), lines  # one language: no list of languages
    # what it says, it says as a person reads it: times in the declaration's zone, counts in the right number
    assert not [
        line for line in lines if re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\b1 \w+s\b", line)
    ], lines
    assert any("silence procedure until" in line and "CET" in line for line in lines), lines
    return home


def test_the_demo_ends_with_an_agreed_text_without_brackets(demo_home: Path) -> None:
    from flows.usecases.status import status

    state = status(bootstrap(demo_home), SLUG)
    labels = {v.label: v.state for v in state.versions}
    assert labels["Rev.2"] == "agreed", labels
    rev2 = read_docx((demo_home / "declarations" / SLUG / "versions" / "Rev.2.docx").read_bytes())
    assert "[" not in rev2.accepted_text.replace("[Host city]", "").replace("[date]", "")


def test_the_demo_negotiates_the_declaration_shipped_with_accord(demo_home: Path) -> None:
    from flows import samples
    from flows.usecases.status import status

    state = status(bootstrap(demo_home), SLUG)
    assert state.declaration.title == samples.title("en") and len(state.parties) == 60
    compilation = read_docx(
        (demo_home / "declarations" / SLUG / "round-1" / "compilation.docx").read_bytes()
    )
    assert (
        "require targeted, predictable and adequate support" in compilation.accepted_text
    )  # a scripted proposal
    assert any(
        "Small island developing States need predictable finance" in c.text
        for c in compilation.comments
    )


def test_round_one_compilation_has_every_party_as_author_and_a_conflict(demo_home: Path) -> None:
    folder = demo_home / "declarations" / SLUG / "round-1"
    synopsis = json.loads((folder / "synopsis.json").read_text())
    compilation = read_docx((folder / "compilation.docx").read_bytes())
    assert synopsis["conflicts"], "the demo stages one overlap on purpose"
    authors = {c.author for c in compilation.changes}
    assert {"Spain", "Bolivia"}.isdisjoint(
        authors
    )  # co-presidencies decide, they did not propose in round 1
    assert len(synopsis["parties"]) == 6


def test_the_demo_verifies_replays_and_traces_every_character(demo_home: Path) -> None:
    from flows.usecases.blame import blame
    from flows.usecases.replay import replay
    from flows.usecases.status import verify

    app = bootstrap(demo_home)
    assert verify(app, SLUG)["ok"]
    assert replay(app, SLUG).events > 0
    result = blame(app, SLUG)
    assert result.version == "Rev.2"
    assert {span.source for span in result.spans} <= {"zero-draft", "proposal"}
    assert any(span.source == "proposal" for span in result.spans)


def test_the_archive_holds_the_agreed_text_and_its_verifier(demo_home: Path) -> None:
    bundle = demo_home / "declarations" / SLUG / "archive" / f"{SLUG}-archive.zip"
    names = zipfile.ZipFile(bundle).namelist()
    assert "verify.py" in names and "manifest.json" in names
    assert any(name.endswith(".docx") and "Rev.2" in name for name in names)


def test_the_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    from drafting.errors import InvalidInput

    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(InvalidInput, match="not made by `accord demo`"):
        run_demo(tmp_path, parties=2, fresh=True, say=print)
    assert (tmp_path / "precious.txt").exists()


@pytest.fixture(scope="module")
def bilingual_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make demo`: the sample negotiated in English and Spanish (CELAC delegations on the Spanish text)."""
    home = tmp_path_factory.mktemp("bilingual") / "home"
    lines: list[str] = []
    run_demo(home, parties=6, fresh=False, say=lines.append, bilingual=True)
    assert any(line.startswith("  translator: Rev.1 in es") for line in lines), lines
    # both texts' brackets counted (they hold the same groups): said once, with both languages
    assert any(
        re.fullmatch(r"Rev\.1 approved .*; [1-9]\d* paragraphs? bracketed \(en, es\)", line)
        for line in lines
    ), lines
    assert any(line.endswith("; 0 paragraphs bracketed (en, es)") for line in lines), lines
    return home


def test_the_bilingual_demo_agrees_both_texts_and_traces_every_character(
    bilingual_home: Path,
) -> None:
    from flows.usecases.blame import blame
    from flows.usecases.replay import replay
    from flows.usecases.status import status, verify

    app = bootstrap(bilingual_home)
    assert status(app, SLUG).versions[-1].state == "agreed"
    folder = bilingual_home / "declarations" / SLUG
    spanish = read_docx((folder / "versions" / "Agreed text.es.docx").read_bytes())
    assert (
        "Acogemos con beneplácito el Convenio" in spanish.accepted_text
    )  # Austria's amendment, translated
    synopsis = json.loads((folder / "round-1" / "synopsis.json").read_text())
    assert synopsis["languages"] == ["en", "es"] and any(
        row.get("in", {}).get("es", {}).get("proposals") for row in synopsis["paragraphs"]
    )
    assert verify(app, SLUG)["ok"] and replay(app, SLUG).events > 0
    assert {span.source for span in blame(app, SLUG).spans} <= {
        "zero-draft",
        "proposal",
        "translation",
    }
    names = zipfile.ZipFile(folder / "archive" / f"{SLUG}-archive.zip").namelist()
    assert {f"agreed/{SLUG}-Rev.2.es.docx", "agreed.es.akn.xml"} <= set(names)


def test_the_bilingual_demo_groups_paragraph_8_and_brackets_both_authentic_texts_alike(
    bilingual_home: Path,
) -> None:
    """Austria rewords paragraph 8's clause in English, Argentina deletes it in Spanish: one group of round 1. Every
    paragraph of Rev.1 holds as many bracket groups in English as in Spanish (the translator carries them)."""
    from drafting.concordance import bracket_spans

    folder = bilingual_home / "declarations" / SLUG
    synopsis = json.loads((folder / "round-1" / "synopsis.json").read_text())
    assert "p025" in [group["paragraph"] for group in synopsis["across"]]
    english, spanish = (
        [
            p.text_accepted
            for p in read_docx((folder / "versions" / name).read_bytes()).paragraphs
            if p.container == "body"
        ]
        for name in ("Rev.1.docx", "Rev.1.es.docx")
    )
    groups = [
        (len(bracket_spans(en)), len(bracket_spans(es)))
        for en, es in zip(english, spanish, strict=True)
    ]
    assert [n for n, _ in groups] == [n for _, n in groups] and any(n for n, _ in groups)
