"""The documents accord writes from the record, against the unit of work in memory (tests/unit/fakes.py): a
version's redline (Word and HTML), its Akoma Ntoso export, its blame page, the history page with the documents it
links to, and the dashboard; a refusal writes nothing. The Word files are built here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from drafting.errors import InvalidInput, NotFound
from drafting.wordml.reader import read_docx
from flows.usecases import blame, concordance, dashboard, editorial, export, history, redline
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, ZERO_DRAFT, fake_app, seed_declaration
from tests.unit.test_usecases_create import bilingual

AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def edited(app: Any) -> None:
    """The seeded zero draft ("Agreed.") and Rev.1, an editorial change that inserts " in full"."""
    seed_declaration(app, template=ZERO_DRAFT)
    changed = build_docx("<w:p><w:r><w:t>Agreed in full.</w:t></w:r></w:p>")
    editorial.edit(app, SLUG, data=changed, filename="fix.docx", reason="clearer")


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_the_redline_of_two_versions_tracks_what_changed_in_the_first_s_styles(app: Any) -> None:
    edited(app)
    data = redline.redline_versions(app, SLUG, "Zero draft", "Rev.1", author="Secretariat")
    [change] = read_docx(data, name="redline.docx").changes
    assert (change.type.value, change.text, change.author, change.paragraph) == (
        "insert",
        " in full",
        "Secretariat",
        0,
    )
    assert change.date == app.store.uow.repo.versions_[-1].created_at  # the newer version's date
    page = redline.redline_page_versions(app, SLUG, "Zero draft", "Rev.1")
    assert "<h1>Declaration</h1>" in page and "Agreed<ins> in full</ins>." in page
    assert "<strong>Zero draft</strong> to <strong>Rev.1</strong>" in page


def test_a_redline_in_a_language_not_negotiated_or_of_an_unknown_version_is_refused(
    app: Any,
) -> None:
    edited(app)
    with pytest.raises(InvalidInput, match="--language 'fr': 'eu-celac' is negotiated in en"):
        redline.redline_versions(app, SLUG, "Zero draft", "Rev.1", author="S", language="fr")
    with pytest.raises(InvalidInput, match="negotiated in en"):
        redline.redline_page_versions(app, SLUG, "Zero draft", "Rev.1", language="fr")
    with pytest.raises(NotFound):
        redline.redline_page_versions(app, SLUG, "Zero draft", "Rev.9")


def test_the_akoma_ntoso_export_is_the_current_version_with_its_lifecycle(
    app: Any, tmp_path: Path
) -> None:
    edited(app)
    out = tmp_path / "out" / "rev1.xml"
    assert export.export_akn(app, SLUG, out) == "Rev.1"
    root = etree.fromstring(out.read_bytes())
    assert root.xpath("//a:FRBRExpression/a:FRBRversionNumber/@value", namespaces=AKN) == ["Rev.1"]
    assert root.xpath("//a:FRBRExpression/a:FRBRlanguage/@language", namespaces=AKN) == ["eng"]
    assert root.xpath("//a:lifecycle/a:eventRef/@refersTo", namespaces=AKN) == ["#edited"]
    assert root.xpath("//a:original/@showAs", namespaces=AKN) == ["Zero draft"]
    with app.store.reading() as uow:
        assert export.akn_of(uow, SLUG) == ("Rev.1", out.read_bytes())  # the same bytes
        label, zero = export.akn_of(uow, SLUG, "Zero draft")
    events = etree.fromstring(zero).xpath("//a:lifecycle/a:eventRef/@type", namespaces=AKN)
    assert label == "Zero draft" and events == ["generation"]  # Rev.1's edit comes after it


def test_an_export_not_to_xml_is_refused_and_writes_nothing(app: Any, tmp_path: Path) -> None:
    edited(app)
    with pytest.raises(InvalidInput, match=r"rev1.docx: an Akoma Ntoso file is XML"):
        export.export_akn(app, SLUG, tmp_path / "out" / "rev1.docx")
    assert not (tmp_path / "out").exists()


def test_a_version_in_its_second_language(app: Any, tmp_path: Path) -> None:
    bilingual(app)
    with app.store.reading() as uow:
        label, data = export.akn_of(uow, SLUG, "Zero draft", language="es")
    root = etree.fromstring(data)
    assert label == "Zero draft"
    assert root.xpath("//a:FRBRExpression/a:FRBRlanguage/@language", namespaces=AKN) == ["spa"]
    assert "Acordado." in root.xpath("string(//a:docTitle)", namespaces=AKN)
    page = blame.write_blame(app, SLUG, None, tmp_path / "es.html", language="es")
    assert "Acordado." in page.read_text(encoding="utf-8")
    spanish = redline.redline_page_versions(app, SLUG, "Zero draft", "Zero draft", language="es")
    assert "<h1>Declaration (es)</h1>" in spanish and "Acordado." in spanish


def test_the_blame_page_tags_the_editorial_change_with_its_reason(app: Any, tmp_path: Path) -> None:
    edited(app)
    page = blame.write_blame(app, SLUG, None, tmp_path / "blame.html")
    html = page.read_text(encoding="utf-8")
    assert page == tmp_path / "blame.html" and "<h1>Declaration</h1>" in html
    assert '<span class="by editorial s1"> in full</span>' in html
    assert "editorial change by the secretariat in Rev.1: clearer" in html
    assert "7 characters from the zero draft, 0 from decided proposals" in html
    zero = blame.write_blame(app, SLUG, "Zero draft", tmp_path / "zero.html").read_text()
    assert "editorial change by" not in zero and "Zero draft: where every passage" in zero
    with pytest.raises(InvalidInput, match="--language 'fr': 'eu-celac' is negotiated in en"):
        blame.write_blame(app, SLUG, None, tmp_path / "fr.html", language="fr")
    assert not (tmp_path / "fr.html").exists()


def test_the_history_page_is_written_with_every_document_it_links_to(
    app: Any, tmp_path: Path
) -> None:
    edited(app)
    page = tmp_path / "site" / "history.html"
    written = history.write_history(app, SLUG, page)
    assert written == [
        page,
        page.parent / "documents" / "editorial" / "01-Rev.1-fix.docx",
        page.parent / "documents" / "versions" / "01-Rev.1.docx",
    ]
    [event] = app.store.uow.log_
    assert written[1].read_bytes() == app.store.uow.blob(event.payload["source"]["blob"])
    assert written[2].read_bytes() == app.store.uow.blob(event.payload["blob"])
    html = page.read_text(encoding="utf-8")
    assert "Rev.1" in html and "clearer" in html
    assert 'href="documents/versions/01-Rev.1.docx"' in html


def test_the_dashboard_is_written_with_its_audit_pages_and_copied_out(
    app: Any, tmp_path: Path
) -> None:
    edited(app)
    folder = app.home / "declarations" / SLUG
    index = dashboard.write_dashboard(app, SLUG)
    assert index == folder / "index.html"
    assert files(folder) == [
        "audit/blame.html",
        "audit/documents/editorial/01-Rev.1-fix.docx",
        "audit/documents/versions/01-Rev.1.docx",
        "audit/history.html",
        "index.html",
    ]
    html = index.read_text(encoding="utf-8")
    assert 'href="audit/history.html"' in html and 'href="audit/blame.html"' in html
    copied = dashboard.write_dashboard(app, SLUG, out=tmp_path / "site")
    assert copied == tmp_path / "site" / "index.html"
    assert copied.read_bytes() == index.read_bytes()
    assert set(files(tmp_path / "site")) >= {"index.html", "audit/history.html", "audit/blame.html"}


def test_language_versions_given_as_sources_are_aligned_or_not_and_say_why() -> None:
    def source(language: str, *paragraphs: str) -> concordance.Source:
        return concordance.Source(language, f"{language}.docx", list(paragraphs), changes=0)

    en = source("en", "1. Agreed.", "2. Welcomed [in full].")
    aligned = concordance.align_sources(
        [en, source("es", "1. Acordado.", "2. Acogido [en pleno].")]
    )
    assert aligned.aligned and len(aligned.pairs) == 2 and aligned.errors == []
    short = concordance.align_sources([en, source("es", "1. Acordado.")])
    assert not short.aligned and short.errors
    assert concordance.report_lines(short, [en])[-1].startswith(
        "The language versions are not aligned"
    )
