"""Every document accord writes says what it is: symbol, version, date in the declaration's zone, status, page X
of Y (Word fields) in its header and footer; a party's copy says whose it is and opens with Track Changes on."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from drafting.documents import (
    AD_REFERENDUM,
    AGREED,
    DRAFT,
    local_date,
    local_moment,
    render_version,
    stamp_for_parties,
    status_of,
    version_identity,
)
from drafting.negotiation import Declaration, default_symbol
from drafting.wordml.reader import read_docx
from tests import factories
from tests.docxbuild import build_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W}
DECLARATION = Declaration(
    slug="eu-celac",
    title="Political Declaration",
    timezone="Europe/Brussels",
    symbol="EU-CELAC/HLM/2026/L.1",
)
AT = "2026-12-04T23:30:00Z"  # already 5 December in Brussels


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_thumbnail(docx: bytes) -> bytes:
    """The template with a thumbnail, as Word saves one (the repository's sample has none)."""
    package = parts(docx)
    package["docProps/thumbnail.jpeg"] = b"\xff\xd8\xff\xd9"
    package["_rels/.rels"] = package["_rels/.rels"].replace(
        b"</Relationships>",
        (
            b'<Relationship Id="rIdThumbnail" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            b'metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>'
        ),
    )
    package["[Content_Types].xml"] = package["[Content_Types].xml"].replace(
        b'<Default Extension="xml"',
        b'<Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="xml"',
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def text_of(xml: bytes) -> str:
    root = etree.fromstring(xml)
    return "|".join(
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in root.iter(f"{{{W}}}p")
    )


def instructions(xml: bytes) -> list[str]:
    return [(i.text or "").strip() for i in etree.fromstring(xml).iter(f"{{{W}}}instrText")]


@pytest.fixture(scope="module")
def version() -> bytes:
    identity = version_identity(DECLARATION, "Rev.1", state="draft", at=AT)
    return render_version(
        factories.zero_draft(), factories.base_text(), title="t", stamp={}, identity=identity
    )


def test_header_and_footer_say_symbol_version_date_status_and_page_of_pages(version: bytes) -> None:
    package = parts(version)
    header, footer = (
        text_of(package["word/header-accord.xml"]),
        text_of(package["word/footer-accord.xml"]),
    )
    assert "EU-CELAC/HLM/2026/L.1" in header and "Rev.1" in header and "5 December 2026" in header
    assert DRAFT in header
    assert "EU-CELAC/HLM/2026/L.1 · Rev.1" in footer and "page" in footer and "of" in footer
    assert instructions(package["word/footer-accord.xml"]) == ["PAGE", "NUMPAGES"]


def test_every_section_shows_the_header_and_footer_on_every_page(version: bytes) -> None:
    package = parts(version)
    document = etree.fromstring(package["word/document.xml"])
    rels = {
        r.get("Id"): r.get("Target")
        for r in etree.fromstring(package["word/_rels/document.xml.rels"])
    }
    sections = list(document.iter(f"{{{W}}}sectPr"))
    assert sections
    for section in sections:
        assert (
            section.find("w:titlePg", NS) is None
        )  # a first-page header would leave page 1 without it
        refs = {
            (ref.tag.split("}")[1], ref.get(f"{{{W}}}type"), rels[ref.get(f"{{{R}}}id")])
            for ref in section
            if ref.tag in (f"{{{W}}}headerReference", f"{{{W}}}footerReference")
        }
        assert refs == {
            ("headerReference", "default", "header-accord.xml"),
            ("footerReference", "default", "footer-accord.xml"),
        }
    types = etree.fromstring(package["[Content_Types].xml"])
    assert {o.get("PartName") for o in types} >= {
        "/word/header-accord.xml",
        "/word/footer-accord.xml",
    }


def test_properties_name_accord_and_the_declaration_and_the_thumbnail_is_gone() -> None:
    template = with_thumbnail(factories.zero_draft())
    assert b"thumbnail" in parts(template)["_rels/.rels"]  # one to lose
    identity = version_identity(DECLARATION, "Rev.1", state="draft", at=AT)
    package = parts(
        render_version(template, factories.base_text(), title="t", stamp={}, identity=identity)
    )
    assert (
        not any("thumbnail" in name for name in package)
        and b"thumbnail" not in package["_rels/.rels"]
    )
    core = package["docProps/core.xml"].decode()
    assert "python-docx" not in core and "<dc:creator>accord</dc:creator>" in core
    assert (
        "EU-CELAC/HLM/2026/L.1 Rev.1" in core
        and "<dc:title>Political Declaration</dc:title>" in core
    )
    assert b"<Application>accord</Application>" in package["docProps/app.xml"]
    assert b"trackRevisions" not in package["word/settings.xml"]  # the version itself is clean


def test_the_text_read_back_is_the_version_and_the_reader_sees_no_change_in_the_margins(
    version: bytes,
) -> None:
    reading = read_docx(version)
    assert [p.text_accepted for p in reading.paragraphs if p.container == "body"] == [
        p.text for p in factories.base_text().paragraphs
    ]
    assert not reading.changes and not [w for w in reading.warnings if "header" in w.message]


def test_a_template_with_its_own_headers_keeps_none_of_them() -> None:
    header = (
        b'<w:hdr xmlns:w="' + W.encode() + b'"><w:p><w:r><w:t>OLD HEADER</w:t></w:r></w:p></w:hdr>'
    )
    body = (
        '<w:p><w:r><w:t>One.</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="first" r:id="rIdH"/>'
        "<w:titlePg/></w:sectPr>"
    )
    template = build_docx(body, extra_parts={"word/header1.xml": header})
    template = _relate_header(template)
    identity = version_identity(DECLARATION, "Zero draft", state="circulated", at=AT)
    from drafting.text import zero_draft_text

    written = parts(
        render_version(template, zero_draft_text(["One."]), title="t", stamp={}, identity=identity)
    )
    assert (
        "word/header1.xml" not in written
        and b"header1" not in written["word/_rels/document.xml.rels"]
    )
    assert b"titlePg" not in written["word/document.xml"] and b"OLD HEADER" not in b"".join(
        written.values()
    )


def _relate_header(docx: bytes) -> bytes:
    """Add the relationship rIdH -> header1.xml that build_docx does not know about."""
    package = parts(docx)
    rels = package["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdH" Type="'
        + R.encode()
        + b'/header" Target="header1.xml"/></Relationships>',
    )
    package["word/_rels/document.xml.rels"] = rels
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in package.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_party_copy_says_whose_it_is_and_opens_with_track_changes_on(version: bytes) -> None:
    copies = stamp_for_parties(
        version,
        declaration="eu-celac",
        version="Rev.1",
        round_number=2,
        parties=["MX", "ES"],
        names={"MX": "Mexico", "ES": "Spain"},
        returned_by="2026-12-04 18:00 CET",
    )
    mexico = parts(copies["MX"])
    header = text_of(mexico["word/header-accord.xml"])
    assert header.startswith("Copy for Mexico, round 2, returned by 2026-12-04 18:00 CET|")
    assert "EU-CELAC/HLM/2026/L.1" in header and "Copy for Spain" in text_of(
        parts(copies["ES"])["word/header-accord.xml"]
    )
    settings = etree.fromstring(mexico["word/settings.xml"])
    names = [etree.QName(child).localname for child in settings]
    assert "trackRevisions" in names
    # schema order: trackRevisions after the view/zoom/proofState group, before defaultTabStop and what follows
    for before in ("zoom", "proofState"):
        if before in names:
            assert names.index(before) < names.index("trackRevisions")
    if "defaultTabStop" in names:
        assert names.index("trackRevisions") < names.index("defaultTabStop")
    assert read_docx(copies["MX"]).custom_properties["accord.party"] == "MX"
    again = stamp_for_parties(
        version,
        declaration="eu-celac",
        version="Rev.1",
        round_number=2,
        parties=["MX", "ES"],
        names={"MX": "Mexico", "ES": "Spain"},
        returned_by="2026-12-04 18:00 CET",
    )
    assert again == copies


def test_same_inputs_give_the_same_bytes(version: bytes) -> None:
    identity = version_identity(DECLARATION, "Rev.1", state="draft", at=AT)
    assert (
        render_version(
            factories.zero_draft(), factories.base_text(), title="t", stamp={}, identity=identity
        )
        == version
    )


def test_status_follows_the_version_state() -> None:
    assert [status_of(s) for s in ("draft", "circulated", "silence", "agreed")] == [
        DRAFT,
        DRAFT,
        AD_REFERENDUM,
        AGREED,
    ]


def test_the_symbol_defaults_from_the_slug() -> None:
    assert (
        Declaration(slug="eu-celac_2026", title="t").symbol
        == default_symbol("eu-celac_2026")
        == "EU-CELAC-2026/L.1"
    )
    assert DECLARATION.symbol == "EU-CELAC/HLM/2026/L.1"


def test_times_are_written_in_the_declarations_zone() -> None:
    assert local_moment("2026-12-04T17:00:00Z", "Europe/Brussels") == "2026-12-04 18:00 CET"
    assert local_moment("2026-07-04T17:00:00Z", "America/Mexico_City") == "2026-07-04 11:00 CST"
    assert (
        local_date(AT, "Europe/Brussels") == "5 December 2026"
        and local_date(AT, "UTC") == "4 December 2026"
    )


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
    st.sampled_from(["UTC", "Europe/Brussels", "America/Lima", "Pacific/Kiritimati", "Not/AZone"]),
)
def test_the_date_shown_is_the_local_calendar_date(moment: datetime, zone: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    except ZoneInfoNotFoundError:
        local = moment.replace(
            tzinfo=UTC
        )  # an unknown zone falls back to UTC rather than failing a document
    assert local_date(stamp, zone) == f"{local.day} {local:%B %Y}"
    assert abs(local.replace(tzinfo=None) - moment) <= timedelta(hours=14)


def test_a_copy_of_a_document_without_accords_header_still_shows_whose_it_is() -> None:
    plain = build_docx("<w:p><w:r><w:t>Text.</w:t></w:r></w:p>")
    copy = parts(
        stamp_for_parties(
            plain,
            declaration="d",
            version="Rev.1",
            round_number=1,
            parties=["MX"],
            names={"MX": "Mexico"},
        )["MX"]
    )
    assert text_of(copy["word/header-accord.xml"]).startswith("Copy for Mexico, round 1")
    assert (
        b"headerReference" in copy["word/document.xml"]
        and b"trackRevisions" in copy["word/settings.xml"]
    )
