"""The safety gate against hostile uploads: the catalogue ``HOSTILE`` (tests/hostile.py) refused with one-line
reasons, and what must pass (minimal files, links kept as warnings, zip64, the real Word corpus)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from drafting.errors import (
    BadZipEntry,
    LegacyOrEncrypted,
    NotAWordFile,
    RefusedFile,
    UnsafeXml,
)
from drafting.wordml._safexml import parse_part
from drafting.wordml.gate import GateLimits, open_package
from tests.gatebuild import (
    DOCUMENT,
    NAME,
    WORD_MAIN,
    R,
    Unseekable,
    corpus_files,
    docx,
    docx_parts,
    ole,
    settings_rel,
    with_zip64_end,
)
from tests.hostile import HOSTILE, Case


def assert_refused(case: Case, data: bytes | None = None, name: str = NAME) -> str:
    with pytest.raises(RefusedFile) as caught:
        open_package(case.build() if data is None else data, name=name, limits=case.limits)
    message = str(caught.value)
    assert type(caught.value) is case.refused, message
    assert len(message.splitlines()) == 1, message
    assert case.fragment in message, message
    return message


@pytest.mark.parametrize("case", HOSTILE, ids=[case.id for case in HOSTILE])
def test_hostile_upload_is_refused_with_a_one_line_reason(case: Case) -> None:
    message = assert_refused(case)
    assert message.startswith(f"{NAME}: refused, ")
    assert "; " in message.removeprefix(NAME)  # a reason, then what to do


def test_the_catalogue_covers_every_refusal_class() -> None:
    assert {case.refused for case in HOSTILE} == set(RefusedFile.__subclasses__())


def test_a_hostile_file_name_cannot_break_the_message_onto_two_lines() -> None:
    name = "ES\n\u202edraft.docx\r\n"
    message = assert_refused(HOSTILE[0], name=name)
    assert message.startswith("ES??draft.docx??: refused")


def test_a_minimal_docx_passes() -> None:
    package = open_package(docx(), name=NAME)
    assert package.name == NAME
    assert package.main_part == "word/document.xml"
    assert package.parts["word/document.xml"] == DOCUMENT
    assert package.content_types["word/document.xml"] == WORD_MAIN
    assert package.external_links == []
    assert package.warnings == []


def test_hyperlinks_and_external_pictures_are_reported_not_refused() -> None:
    data = docx(
        doc_rels=(
            ("rId1", R + "hyperlink", "https://www.un.org/en/", "External"),
            ("rId2", R + "hyperlink", "mailto:secretariat@example.org", "External"),
            ("rId3", R + "image", "http://tracker.example/pixel.png", "External"),
        )
    )
    package = open_package(data, name=NAME)
    assert [
        (link.part, link.rel_id, link.type, link.target) for link in package.external_links
    ] == [
        ("word/document.xml", "rId1", "hyperlink", "https://www.un.org/en/"),
        ("word/document.xml", "rId2", "hyperlink", "mailto:secretariat@example.org"),
        ("word/document.xml", "rId3", "image", "http://tracker.example/pixel.png"),
    ]
    assert [warning.code for warning in package.warnings] == [
        "external-hyperlink",
        "external-image",
    ]
    assert all(warning.message.startswith(f"{NAME}: ") for warning in package.warnings)
    assert "2 hyperlink link(s)" in package.warnings[0].message


def test_a_template_on_a_local_drive_is_a_warning() -> None:
    package = open_package(
        settings_rel(R + "attachedTemplate", r"file:///R:\TEMPLATE\POOL.dotm"), name=NAME
    )
    assert [link.type for link in package.external_links] == ["attachedTemplate"]
    assert [warning.code for warning in package.warnings] == ["attached-template"]


def test_zip64_members_and_data_descriptors_pass() -> None:
    zip64 = io.BytesIO()
    with zipfile.ZipFile(zip64, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in docx_parts().items():
            with archive.open(part, "w", force_zip64=True) as out:
                out.write(data)
    streamed = Unseekable()
    with zipfile.ZipFile(streamed, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in docx_parts().items():
            archive.writestr(part, data)
    assert zipfile.ZipFile(io.BytesIO(bytes(streamed.data))).infolist()[0].flag_bits & 0x08
    for data in (zip64.getvalue(), bytes(streamed.data), with_zip64_end(docx())):
        assert open_package(data, name=NAME).main_part == "word/document.xml"


def test_a_misplaced_zip64_end_record_is_refused() -> None:
    assert_refused(
        Case(
            "zip64",
            lambda: with_zip64_end(docx(), locator_offset=3),
            BadZipEntry,
            "zip64 end record",
        )
    )


def test_an_embedded_ole_package_is_a_warning() -> None:
    package = open_package(
        docx(extra={"word/embeddings/oleObject1.bin": ole("\x01Ole10Native", "\x01CompObj")}),
        name=NAME,
    )
    assert [warning.code for warning in package.warnings] == ["embedded-file"]


def test_an_embedded_ole_object_without_macros_passes() -> None:
    open_package(
        docx(extra={"word/embeddings/oleObject1.bin": ole("\x01Ole", "CONTENTS")}), name=NAME
    )


def test_a_stream_name_in_ole_content_is_not_a_directory_entry() -> None:
    data = ole("WordDocument") + b"x" + "EncryptedPackage\x00".encode("utf-16-le") * 40
    assert_refused(Case("doc", lambda: data, LegacyOrEncrypted, "legacy Word 97-2003 .doc"))


def test_parse_part_refuses_a_utf16_doctype_on_its_own() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    with pytest.raises(UnsafeXml, match="DOCTYPE"):
        parse_part(data.encode("utf-16"), part="word/document.xml", name=NAME)


def test_comments_and_cdata_are_not_declarations() -> None:
    document = DOCUMENT.replace(b"<w:body>", b"<w:body><!-- P1 --><![CDATA[x]]>")
    open_package(docx(document=document), name=NAME)


def test_gate_limits_reject_unknown_settings() -> None:
    with pytest.raises(ValueError):
        GateLimits(max_ratoi=10)  # type: ignore[call-arg]


@pytest.mark.parametrize("path", corpus_files())
def test_real_word_files_pass(path: Path) -> None:
    package = open_package(path.read_bytes(), name=path.name)
    assert package.main_part in package.parts


@pytest.mark.parametrize(
    "name, extension",
    [
        ("minutes\u202excod.exe", ".exe"),  # shows as "minutesexe.docx"
        ("ES-draft\u202efdp.docx.pdf", ".pdf"),
        ("MX\u200b.docx\u2066.js\u2069", ".js"),
        ("\u202eMX", "none"),
    ],
)
def test_a_name_hiding_its_real_extension_behind_controls_is_refused(
    name: str, extension: str
) -> None:
    """Regression (issue 12, hostile-file catalogue): such names passed on ba8d25a."""
    with pytest.raises(NotAWordFile) as caught:
        open_package(docx(), name=name)
    message = str(caught.value)
    assert f"hides its real extension ({extension})" in message and len(message.splitlines()) == 1


def test_a_name_with_controls_whose_real_extension_is_docx_passes() -> None:
    assert open_package(docx(), name="Espa\u00f1a\u200b.docx").name == "Espa\u00f1a\u200b.docx"
