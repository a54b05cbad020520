"""The archive bundle as values (drafting.archiving): the seal, whether a seal can be reused, texts.json, the
manifest, the README and the deterministic zip."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from drafting.archiving import (
    PDF,
    ZIP_TIME,
    agreed_or_current,
    manifest,
    media_type,
    pretty,
    readme,
    reusable,
    seal,
    version_texts,
    zip_bytes,
)
from drafting.canonical import GENESIS, sha256_hex
from drafting.events import DeclarationArchived
from drafting.negotiation import Version, VersionState
from tests.unit import records
from tests.unit.records import logged


def version(number: int, state: VersionState, **content: Any) -> Version:
    """A version whose text is one agreed paragraph."""
    return records.version(number, state, [("p001", "Agreed.", "unchanged")], **content)


AGREED = version(1, VersionState.AGREED)
PAGES = {"README.txt": "r" * 64, "agreed/eu-celac-Rev.1.pdf": "p" * 64}


def test_the_seal_records_what_the_old_payload_did() -> None:
    log = [logged(1, "accord.declaration.created", {}), logged(2, "accord.version.agreed", {})]
    sealed = seal(AGREED, log, PAGES, "agreed/eu-celac-Rev.1.pdf", None)
    assert sealed.payload() == {
        "version": "Rev.1",
        "state": "agreed",
        "text_sha256": AGREED.text_sha256,
        "events": 2,
        "head": log[-1].hash,
        "files": PAGES,
        "pdf": "p" * 64,
    }  # no "by", no "signature": the CLI sealed it without a key
    by_portal = seal(AGREED, [], PAGES, "agreed/none.pdf", "account:7").payload()
    assert (by_portal["head"], by_portal["events"], by_portal["pdf"], by_portal["by"]) == (
        GENESIS,
        0,
        None,
        "account:7",
    )


@pytest.mark.parametrize(
    ("payload", "label", "pdf", "signing", "reused"),
    [
        ({"version": "Rev.1", "files": {}, "pdf": None}, "Rev.1", None, False, True),
        (
            {"version": "Rev.1", "files": {}, "pdf": sha256_hex(b"%PDF")},
            "Rev.1",
            b"%PDF",
            False,
            True,
        ),
        ({"version": "Rev.1", "files": {}, "pdf": None}, "Rev.1", b"%PDF", False, False),
        ({"version": "Rev.1", "files": {}, "pdf": None}, "Rev.2", None, False, False),
        (
            {"version": "Rev.1", "files": 12, "pdf": None},
            "Rev.1",
            None,
            False,
            False,
        ),  # before pages
        ({"version": "Rev.1", "files": {}, "pdf": None}, "Rev.1", None, True, False),  # a key now
        (
            {"version": "Rev.1", "files": {}, "pdf": None, "signature": {}},
            "Rev.1",
            None,
            True,
            True,
        ),
    ],
)
def test_a_seal_is_reused_only_when_it_seals_the_same_thing(
    payload: dict[str, object], label: str, pdf: bytes | None, signing: bool, reused: bool
) -> None:
    last = logged(5, DeclarationArchived.TYPE, payload)
    assert reusable(last, label, pdf, signing) is reused


def test_no_seal_is_reused_after_another_logged() -> None:
    last = logged(5, "accord.version.agreed", {"version": "Rev.1", "files": {}, "pdf": None})
    assert not reusable(last, "Rev.1", None, False)


def test_the_agreed_version_else_the_current_one() -> None:
    zero, rev1 = version(0, VersionState.AGREED), version(1, VersionState.CIRCULATED)
    assert agreed_or_current([zero, rev1]) is zero
    assert agreed_or_current([version(0, VersionState.CIRCULATED), rev1]) is rev1


def test_texts_json_carries_each_version_and_its_translations() -> None:
    es = {"text": AGREED.content.text.model_dump(), "blob": "b" * 64, "template": "t" * 64}
    texts = version_texts(
        [
            version(0, VersionState.CIRCULATED),
            version(1, VersionState.AGREED, round=1, translations={"es": es}),
        ]
    )
    assert [sorted(t) for t in texts] == [
        ["label", "lineage", "number", "parent", "round", "text"],
        ["label", "lineage", "number", "parent", "round", "text", "translations"],
    ]
    assert (texts[1]["label"], texts[1]["round"], list(texts[1]["translations"])) == (
        "Rev.1",
        1,
        ["es"],
    )


def test_the_manifest_names_the_sealed_text_and_every_file() -> None:
    log = [logged(1, "accord.declaration.created", {})]
    sealed = DeclarationArchived.from_payload(seal(AGREED, log, PAGES, "x.pdf", None).payload())
    made = manifest("Declaration", sealed, log, {"b.txt": b"b", "a.txt": b"a"})
    assert made == {
        "title": "Declaration",
        "agreed": {"version": "Rev.1", "state": "agreed", "text_sha256": AGREED.text_sha256},
        "events": {"count": 1, "head": log[0].hash},
        "files": {"a.txt": sha256_hex(b"a"), "b.txt": sha256_hex(b"b")},
    }
    assert list(made["files"]) == ["a.txt", "b.txt"]


def test_pages_and_their_media_types() -> None:
    assert [media_type(n) for n in ("a/x.pdf", "history.html", "texts.json", "verify.py")] == [
        PDF,
        "text/html",
        "application/json",
        "text/plain",
    ]
    assert pretty({"b": 1, "a": "ñ"}) == '{\n "a": "ñ",\n "b": 1\n}\n'.encode()


def test_the_readme_lists_each_further_language() -> None:
    one, two = readme("d", "T", "Rev.1", []), readme("d", "T", "Rev.1", ["es", "fr"])
    assert one.startswith("T\nArchive of declaration d: Rev.1 and its whole record")
    assert "blame.es.html" not in one
    extra = (
        "blame.es.html  the same for the text in es\nblame.fr.html  the same for the text in fr\n"
    )
    assert two == one.replace("agreed.akn.xml", extra + "agreed.akn.xml")


def test_the_zip_is_the_same_bytes_whatever_the_order_given() -> None:
    files = {"verify.py": b"print()", "a/b.txt": b"b" * 1000}
    made = zip_bytes(files)
    assert made == zip_bytes(dict(reversed(files.items())))
    with zipfile.ZipFile(io.BytesIO(made)) as bundle:
        infos = bundle.infolist()
        assert [i.filename for i in infos] == ["a/b.txt", "verify.py"]
        assert {i.date_time for i in infos} == {ZIP_TIME}
        assert [i.external_attr >> 16 for i in infos] == [0o644, 0o755]
        assert bundle.read("a/b.txt") == b"b" * 1000
