"""A declaration negotiated in two authentic languages (issue 15), through the command line: created from an
English and a Spanish zero draft aligned paragraph by paragraph (refused when they do not align), a round in which
parties work on either text, the translation step, circulation, and replay byte for byte."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from flows import samples
from flows.bootstrap import App
from flows.demo_parties import bilingual_parties_csv
from tests import factories
from tests.cli_runner import Accord

SLUG = "santa-cruz"


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    return Accord(Path(accord_env["ACCORD_HOME"]))


def _create(accord: Accord, *drafts: str, extra: tuple[str, ...] = ()) -> object:
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


def _bilingual(accord: Accord) -> object:
    return _create(accord, f"en={samples.docx_path('en')}", f"es={samples.docx_path('es')}")


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
    out = _bilingual(accord).stdout
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
    _create(accord, str(samples.docx_path("en")))
    created, issued = [e["payload"] for e in accord.json("log", SLUG)]
    assert created["languages"] == ["en"]
    assert not {"translations", "party_languages", "accepted_warnings"} & set(created)
    assert "translations" not in issued


def _create_with_languages(accord: Accord, tmp_path: Path) -> None:
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


def test_parties_work_in_the_language_the_parties_file_names(
    accord: Accord, tmp_path: Path
) -> None:
    _create_with_languages(accord, tmp_path)
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
    out = _create(accord, f"en={en}", f"es={es}").stdout
    assert "zero draft of 47 paragraphs" in out and "zero draft (es)" in out
    assert accord.json("log", SLUG)[1]["payload"]["translations"]["es"]["paragraphs"] == 47
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


# --- a round on both texts -----------------------------------------------------------------------------------


def _redline(tmp_path: Path, lang: str, party: str, paragraph: int, addition: str) -> Path:
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
    _create_with_languages(accord, tmp_path)
    accord("round", "open", SLUG)
    return accord


def test_each_party_receives_its_copy_in_its_language(round_in_two_languages: Accord) -> None:
    from drafting.wordml.reader import read_docx

    outbox = round_in_two_languages.home / "declarations" / SLUG / "outbox"
    spanish = read_docx(
        (outbox / "BO" / f"{SLUG}-Zero-draft-BO.es.docx").read_bytes(), name="BO.docx"
    )
    english = read_docx((outbox / "AT" / f"{SLUG}-Zero-draft-AT.docx").read_bytes(), name="AT.docx")
    assert spanish.paragraphs[0].text_accepted.startswith("Declaración de Santa Cruz")
    assert english.paragraphs[0].text_accepted.startswith("Santa Cruz Declaration")
    assert spanish.custom_properties["accord.party"] == "BO"


def _decide_round_1(accord: Accord, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps({"decisions": {"P001": "accept", "P001.es": "accept", "P002.es": "reject"}})
    )
    accord("decide", SLUG, "--party", "ES", str(decisions))
    assert "Rev.1 issued" in accord("decide", SLUG, "--party", "BO", str(decisions)).stdout


def _submit_round_1(accord: Accord, tmp_path: Path) -> None:
    bo = accord(
        "submit",
        SLUG,
        "--party",
        "BO",
        str(_redline(tmp_path, "es", "BO", 21, "con las comunidades")),
    ).stdout
    at = accord(
        "submit", SLUG, "--party", "AT", str(_redline(tmp_path, "en", "AT", 21, "with communities"))
    ).stdout
    assert "made on the es text" in bo and "made on the en text" in at
    # a Spanish file from an English party: read on the Spanish text (by alignment), and flagged
    de = accord(
        "submit", SLUG, "--party", "DE", str(_redline(tmp_path, "es", "DE", 26, "en 2030"))
    ).stdout
    assert "made on the es text" in de and "flag language-differs: Germany works in en" in de


def test_the_portal_gives_a_delegate_the_copy_in_its_language(
    round_in_two_languages: Accord,
) -> None:
    from drafting.access import AccountRole, Principal
    from drafting.wordml.reader import read_docx
    from flows.bootstrap import bootstrap
    from flows.portal.views import Acting, stamped_copy

    app = bootstrap(round_in_two_languages.home)
    try:
        name, data = stamped_copy(
            app, Acting(Principal(by="account:1", role=AccountRole.DELEGATE), SLUG, "MX")
        )
        english, _ = stamped_copy(
            app, Acting(Principal(by="account:2", role=AccountRole.DELEGATE), SLUG, "DE")
        )
    finally:
        app.store.engine.dispose()
    assert name == f"{SLUG}-Zero-draft-round-1-MX.es.docx" and english.endswith("-DE.docx")
    assert (
        read_docx(data, name=name)
        .paragraphs[0]
        .text_accepted.startswith("Declaración de Santa Cruz")
    )


def test_a_round_on_both_texts_compiles_each_and_decides_in_one_place(
    round_in_two_languages: Accord, tmp_path: Path
) -> None:
    accord = round_in_two_languages
    _submit_round_1(accord, tmp_path)
    closed = accord("round", "close", SLUG, "--yes").stdout
    folder = accord.home / "declarations" / SLUG / "round-1"
    assert (folder / "compilation.en.docx").is_file() and (folder / "compilation.es.docx").is_file()
    assert "3 proposals" in closed
    synopsis = json.loads((folder / "synopsis.json").read_text(encoding="utf-8"))
    row = next(r for r in synopsis["paragraphs"] if r["key"] == "p021")
    assert [p["id"] for p in row["proposals"]] == ["P001"]
    assert [(p["id"], p["inserted"].strip()) for p in row["in"]["es"]["proposals"]] == [
        ("P001.es", "con las comunidades")
    ]
    html = (folder / "synopsis.html").read_text(encoding="utf-8")
    assert '<td lang="es">' in html and "con las comunidades" in html and "with communities" in html
    _decide_round_1(accord, tmp_path)
    issued = accord.json("log", SLUG)[-1]["payload"]
    assert issued["pending"] == ["p021"]  # changed in both texts: each holds words the other lacks
    assert issued["translations"]["es"]["pending"] == ["p021"]
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_co_presidency_decides_on_the_spanish_compilation_returned_from_word(
    round_in_two_languages: Accord, tmp_path: Path
) -> None:
    """The compilation returned is read on the text it was made on (found by alignment): accepting every change of
    compilation.es.docx decides the amendments made on the Spanish text, and leaves the English ones undecided."""
    from tests.word_review import accept_all, returned

    accord = round_in_two_languages
    _submit_round_1(accord, tmp_path)
    accord("round", "close", SLUG, "--yes")
    spanish = accord.home / "declarations" / SLUG / "round-1" / "compilation.es.docx"
    back = tmp_path / "compilation-BO.docx"
    back.write_bytes(returned(spanish.read_bytes(), accept_all))
    assert (
        "BO: 2 accepted, 0 rejected, 1 undecided"
        in accord("decide", SLUG, "--party", "BO", str(back)).stdout
    )
    decided = accord.json("log", SLUG)[-1]["payload"]["decisions"]
    assert decided == {"P001.es": "accept", "P002.es": "accept"}
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


@pytest.fixture
def revised(round_in_two_languages: Accord, tmp_path: Path) -> Accord:
    """Rev.1 issued from round 1: paragraph 21 pending translation into both languages."""
    _submit_round_1(round_in_two_languages, tmp_path)
    round_in_two_languages("round", "close", SLUG, "--yes")
    _decide_round_1(round_in_two_languages, tmp_path)
    return round_in_two_languages


def _translated(accord: Accord, tmp_path: Path, name: str, changes: dict[int, str]) -> Path:
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


def _margins(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(
            re.sub(r"<[^>]+>", " ", archive.read(n).decode())
            for n in archive.namelist()
            if re.fullmatch(r"word/header[^/]*\.xml", n)
        )


def test_a_translation_aligns_the_pending_paragraphs_and_then_the_version_circulates(
    revised: Accord, tmp_path: Path
) -> None:
    accord = revised
    versions = accord.home / "declarations" / SLUG / "versions"
    assert "Translation pending: en 21; es 21" in _margins(versions / "Rev.1.es.docx")
    aligned = accord(
        "align", SLUG, code=1
    ).stdout  # accord align reads the model's texts and what is pending
    assert "48 paragraphs: 47 aligned, 0 mismatch, 1 translation pending" in aligned
    accord("approve", SLUG, "--party", "ES")
    assert "translation pending: en 21; es 21" in accord.refused("approve", SLUG, "--party", "BO")
    done = accord(
        "translate",
        SLUG,
        "--language",
        "es",
        str(
            _translated(accord, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"})
        ),
        "--role",
        "translator",
    ).stdout
    assert "Rev.1 in es: paragraph(s) 21 aligned; Translation pending: en 21" in done
    done = accord(
        "translate",
        SLUG,
        "--language",
        "en",
        str(_translated(accord, tmp_path, "Rev.1.docx", {21: "with communities (translated)"})),
    ).stdout
    assert "every language aligned" in done
    assert (
        "48 paragraphs: 48 aligned, 0 mismatch, 0 translation pending"
        in accord("align", SLUG).stdout
    )
    assert "circulated" in accord("approve", SLUG, "--party", "BO").stdout
    assert "Translation pending" not in _margins(versions / "Rev.1.es.docx")
    log = accord.json("log", SLUG)
    assert [e["actor"] for e in log if e["type"] == "accord.version.translated"] == [
        "translator",
        "translator",
    ]
    accord("verify", SLUG)
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_translation_that_changes_a_paragraph_not_pending_is_refused_naming_it(
    revised: Accord, tmp_path: Path
) -> None:
    upload = _translated(revised, tmp_path, "Rev.1.es.docx", {21: "traducido", 30: "y algo más"})
    error = revised.refused("translate", SLUG, "--language", "es", str(upload))
    assert (
        "paragraph 30 differs from Rev.1 in es but its translation is not pending (pending: 21)"
        in error
    )
    assert not [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]


def test_only_the_translator_uploads_a_translation(revised: Accord, tmp_path: Path) -> None:
    upload = _translated(revised, tmp_path, "Rev.1.es.docx", {21: "traducido"})
    assert "may not upload a translation" in revised.refused(
        "translate", SLUG, "--language", "es", str(upload), "--role", "delegate"
    )


def test_circulated_with_translation_pending_every_document_says_so(revised: Accord) -> None:
    revised("approve", SLUG, "--party", "ES")
    out = revised("approve", SLUG, "--party", "BO", "--pending-translation").stdout
    assert "circulated (Translation pending: en 21; es 21)" in out
    approval = [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.approved"][-1]
    assert approval["payload"]["pending_translation"] is True
    revised("round", "open", SLUG)
    outbox = revised.home / "declarations" / SLUG / "outbox"
    assert "Translation pending: en 21; es 21" in _margins(
        outbox / "BO" / f"{SLUG}-Rev.1-BO.es.docx"
    )
    assert "Translation pending: en 21; es 21" in _margins(outbox / "AT" / f"{SLUG}-Rev.1-AT.docx")
    assert "replayed byte for byte" in revised("replay", SLUG).stdout


def test_a_file_made_on_neither_text_is_refused(round_in_two_languages: Accord) -> None:
    other = factories.shared_path("samples/declarations/eu-celac-drugs-hlm-sample.es.docx")
    error = round_in_two_languages.refused("submit", SLUG, "--party", "MX", str(other))
    assert "refused for MX, it was not made on this version's text in any of its languages" in error


# --- agreed in both languages ------------------------------------------------------------------------------


def _aligned(revised: Accord, tmp_path: Path) -> Accord:
    revised(
        "translate",
        SLUG,
        "--language",
        "es",
        str(
            _translated(revised, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"})
        ),
    )
    revised(
        "translate",
        SLUG,
        "--language",
        "en",
        str(_translated(revised, tmp_path, "Rev.1.docx", {21: "with communities (translated)"})),
    )
    revised("approve", SLUG, "--party", "ES")
    revised("approve", SLUG, "--party", "BO")
    return revised


def test_agreement_needs_every_language_aligned(revised: Accord) -> None:
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

    accord = _aligned(revised, tmp_path)
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
    accord = _aligned(revised, tmp_path)
    fixed = _translated(accord, tmp_path, "Rev.1.docx", {3: "(corrected)"})
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

    accord = _aligned(revised, tmp_path)
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


# --- a translation-service hook (issue 15 item 8): an interface, no implementation shipped ---------------------


class _Marking:
    """A stand-in translation service: each paragraph followed by a marker saying from what into what."""

    def __init__(self) -> None:
        self.asked: list[tuple[list[str], str, str]] = []

    def translate(self, paragraphs: list[str], source: str, target: str) -> list[str]:
        self.asked.append((list(paragraphs), source, target))
        return [f"{text} (de {source} a {target})" for text in paragraphs]


def test_without_a_translation_service_a_draft_is_refused(revised: Accord, tmp_path: Path) -> None:
    error = revised.refused(
        "translate", SLUG, "--language", "es", "--draft", str(tmp_path / "draft.docx")
    )
    assert "no translation service is configured (accord ships none" in error
    assert not (tmp_path / "draft.docx").exists()
    assert "give the translated .docx, or --draft OUT.docx" in revised.refused(
        "translate", SLUG, "--language", "es"
    )


def test_a_translation_service_drafts_the_pending_paragraphs_for_the_translator(
    revised: Accord, tmp_path: Path
) -> None:
    """The service is asked for the pending paragraph only (21, from the English text); its draft, as tracked
    changes on Rev.1.es.docx, is accepted by `accord translate` and aligns paragraph 21 in Spanish."""
    from drafting.documents import body_texts
    from drafting.wordml.reader import read_docx
    from flows.adapters import Translator
    from flows.bootstrap import bootstrap
    from flows.usecases.translate import draft_translation

    service = _Marking()
    assert isinstance(service, Translator)
    app = bootstrap(revised.home, translator=service)
    try:
        made = draft_translation(app, SLUG, language="es", out=tmp_path / "draft.es.docx")
    finally:
        app.store.engine.dispose()
    assert made.paragraphs == ["21"] and made.version == "Rev.1"
    [(asked, source, target)] = service.asked
    assert (
        (source, target) == ("en", "es")
        and len(asked) == 1
        and asked[0].endswith("with communities")
    )
    texts = body_texts(read_docx((tmp_path / "draft.es.docx").read_bytes(), name="draft.es.docx"))
    assert texts[20] == f"{asked[0]} (de en a es)"
    done = revised("translate", SLUG, "--language", "es", str(tmp_path / "draft.es.docx")).stdout
    assert "Rev.1 in es: paragraph(s) 21 aligned; Translation pending: en 21" in done


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


# --- the translator's page in the portal ----------------------------------------------------------------------


def _translator_client(accord: Accord) -> tuple[App, TestClient, str]:
    """A translator account signed in to the portal on ``accord``'s home: (the app, a TestClient, its ``by``)."""
    from drafting.access import AccountRole
    from flows.bootstrap import bootstrap
    from flows.portal import accounts
    from flows.portal.app import create_app

    app = bootstrap(accord.home)
    token = accounts.invite(app, "translator@example.org", AccountRole.TRANSLATOR).token
    accounts.accept(app, token, "a long and unusual passphrase")
    signed = accounts.sign_in(app, "translator@example.org", "a long and unusual passphrase")
    assert signed is not None
    found = accounts.session_account(app, signed.cookie)
    assert found is not None
    client = TestClient(create_app(app))
    client.cookies.set("accord_session", signed.cookie)
    return app, client, found[0].principal.by


def _send(client: TestClient, path: Path, language: str) -> Any:
    page = client.get(f"/declarations/{SLUG}/translation")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return client.post(
        f"/declarations/{SLUG}/translation",
        data={"csrf": csrf.group(1), "language": language},
        files={"file": (path.name, path.read_bytes(), docx)},
    )


def test_a_translator_aligns_the_spanish_text_through_the_portal(
    revised: Accord, tmp_path: Path
) -> None:
    app, client, by = _translator_client(revised)
    try:
        own = client.get(f"/declarations/{SLUG}")
        assert f'href="/declarations/{SLUG}/translation"' in own.text
        page = client.get(f"/declarations/{SLUG}/translation")
        assert page.status_code == 200 and "Rev.1" in page.text
        spanish = page.text.split('id="language-es"')[1]
        assert (
            "<td>21</td>" in spanish and "with communities" in spanish
        )  # the English source of paragraph 21
        download = client.get(f"/declarations/{SLUG}/translation/es.docx")
        assert (
            download.status_code == 200
            and download.content
            == (revised.home / "declarations" / SLUG / "versions" / "Rev.1.es.docx").read_bytes()
        )
        done = _send(
            client,
            _translated(
                revised, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"}
            ),
            "es",
        )
    finally:
        app.store.engine.dispose()
    assert done.status_code == 201, done.text
    assert "Rev.1 in es: paragraph(s) 21 aligned." in done.text
    assert "Translation pending: en 21" in done.text
    translated = [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]
    assert [(e["actor"], e["payload"]["aligned"], e["payload"]["by"]) for e in translated] == [
        ("translator", ["p021"], by)
    ]
    assert by.startswith("account:")
    assert (
        "48 paragraphs: 47 aligned, 0 mismatch, 1 translation pending"
        in revised("align", SLUG, code=1).stdout
    )
    assert "replayed byte for byte" in revised("replay", SLUG).stdout


def test_the_portal_shows_and_logs_a_translation_that_changes_a_paragraph_not_pending(
    revised: Accord, tmp_path: Path
) -> None:
    app, client, by = _translator_client(revised)
    try:
        upload = _translated(
            revised, tmp_path, "Rev.1.es.docx", {21: "traducido", 30: "y algo más"}
        )
        refused = _send(client, upload, "es")
        with app.store.reading() as uow:
            logged = [row for row in uow.accounts.security_log() if row[1] == "access.refused"]
    finally:
        app.store.engine.dispose()
    assert refused.status_code == 422, refused.text
    said = "paragraph 30 differs from Rev.1 in es but its translation is not pending (pending: 21)"
    assert said in refused.text
    assert [(by in row[4], said in row[4]) for row in logged] == [(True, True)]
    assert not [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]
