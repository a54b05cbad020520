"""Archiving against the unit of work in memory (tests/unit/fakes.py): the pages stored, the seal recorded over
them (signed when a key is given), the bundle written; sealing again with nothing new records nothing; a bundle
that does not verify, or records that do not, leave no seal and no file.

The fake's records (a seeded version, no issuing event) are not a whole negotiation, so the bundle's own checks
(verify.py, run by ``check_bundle``) refuse them: that refusal is tested here, and the other tests stand in a
check that keeps the bundle it was given. tests/integration/test_archive_bundle.py runs the real checks."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, WrongState
from drafting.negotiation import VersionState
from flows.usecases import archive as archiving
from flows.usecases import silence
from storage.signing import head_message, unsigned_hash
from tests.docxbuild import build_docx
from tests.unit.fakes import SLUG, ZERO_DRAFT, add_version, fake_app, seed_declaration

PDF = b"%PDF-1.7 the agreed text"
PAGES = [
    "README.txt",
    "agreed.akn.xml",
    "agreed/eu-celac-Zero_draft.pdf",
    "blame.html",
    "blame.json",
    "history.html",
    "texts.json",
    "verify.py",
]


@pytest.fixture
def app(tmp_path: Path) -> Any:
    """A declaration whose zero draft was agreed."""
    app = fake_app(tmp_path)
    repo = seed_declaration(app)
    repo.versions_[0].blob_sha256 = app.store.uow.put_blob(ZERO_DRAFT)
    silence.agree(app, SLUG)
    app.clock.step()
    return app


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bundles ``check_bundle`` was given (each passes)."""
    seen: list[bytes] = []
    monkeypatch.setattr(archiving, "check_bundle", lambda bundle, *_: seen.append(bundle) or [])
    return seen


def types(app: Any) -> list[str]:
    return [e.type for e in app.store.uow.log_]


def test_the_seal_records_every_page_and_the_bundle_is_written(
    app: Any, checked: list[bytes], tmp_path: Path
) -> None:
    made = archiving.archive(app, SLUG, tmp_path / "out" / "bundle.zip", convert=lambda _: PDF)
    seal = app.store.uow.log_[-1]
    assert types(app) == ["accord.version.agreed", "accord.declaration.archived"]
    assert (seal.seq, seal.actor, seal.occurred_at) == (2, "secretariat", app.now())
    assert sorted(seal.payload["files"]) == PAGES
    assert {k: seal.payload[k] for k in ("version", "state", "events", "pdf")} == {
        "version": "Zero draft",
        "state": "agreed",
        "events": 1,
        "pdf": sha256_hex(PDF),
    }
    assert seal.payload["head"] == app.store.uow.log_[0].hash and "by" not in seal.payload
    stored = app.store.uow.repo.artifacts_
    assert [(a.kind, a.name, a.version) for _, a in stored if a.kind == "archive-pdf"] == [
        ("archive-pdf", "agreed/eu-celac-Zero_draft.pdf", 0)
    ]
    bundle = (tmp_path / "out" / "bundle.zip").read_bytes()
    assert checked == [bundle] and made.bundle_sha256 == sha256_hex(bundle)
    with zipfile.ZipFile(io.BytesIO(bundle)) as files:
        manifest = json.loads(files.read("manifest.json"))
        assert files.read("agreed/eu-celac-Zero_draft.docx") == ZERO_DRAFT
        assert files.read("agreed/eu-celac-Zero_draft.pdf") == PDF
        assert len(files.namelist()) == made.files
    assert set(manifest["files"]) == set(PAGES) | {
        "agreed/eu-celac-Zero_draft.docx",
        "events.jsonl",
    }
    assert (made.version, made.pdf, made.seal, made.signed, made.reused) == (
        "Zero draft",
        True,
        2,
        False,
        False,
    )


def test_sealing_again_with_nothing_new_records_nothing(
    app: Any, checked: list[bytes], tmp_path: Path
) -> None:
    first = archiving.archive(app, SLUG, tmp_path / "a.zip", convert=lambda _: PDF)
    app.clock.step()
    again = archiving.archive(app, SLUG, tmp_path / "b.zip", convert=lambda _: b"%PDF other bytes")
    assert again.reused and again.seal == first.seal and len(types(app)) == 2  # the stored PDF kept
    assert (tmp_path / "b.zip").read_bytes() == (tmp_path / "a.zip").read_bytes()
    signed = archiving.archive(app, SLUG, tmp_path / "c.zip", signer=lambda _: {"sig": "x"})
    assert (
        not signed.reused and signed.signed and signed.seal == 3
    )  # a key now: sealed again, signed


def test_the_signature_is_of_the_seal_without_it(
    app: Any, checked: list[bytes], tmp_path: Path
) -> None:
    messages: list[bytes] = []
    archiving.archive(
        app,
        SLUG,
        tmp_path / "a.zip",
        convert=None,
        signer=lambda message: messages.append(message) or {"sig": "x"},
        by="account:7",
    )
    seal = app.store.uow.log_[-1]
    assert seal.payload["signature"] == {"sig": "x"} and seal.payload["by"] == "account:7"
    assert seal.payload["pdf"] is None
    unsigned = unsigned_hash(
        prev_hash=seal.prev_hash,
        declaration=SLUG,
        seq=seal.seq,
        type=seal.type,
        actor=seal.actor,
        payload=seal.payload,
        occurred_at=seal.occurred_at,
    )
    assert messages == [head_message(SLUG, seal.seq, unsigned)]


def test_a_bundle_that_does_not_verify_leaves_no_seal(app: Any, tmp_path: Path) -> None:
    with pytest.raises(IntegrityError, match="nothing was archived: texts.json has Zero draft"):
        archiving.archive(app, SLUG, tmp_path / "a.zip", convert=None)
    assert types(app) == ["accord.version.agreed"] and app.store.uow.repo.artifacts_ == []
    assert not (tmp_path / "a.zip").exists()


def test_records_that_do_not_verify_are_not_archived(
    app: Any, checked: list[bytes], tmp_path: Path
) -> None:
    agreed = app.store.uow.log_[0]
    app.store.uow.log_[0] = agreed.model_copy(update={"payload": {"version": "Rev.9"}})
    with pytest.raises(IntegrityError, match="restore from the archive"):
        archiving.archive(app, SLUG, tmp_path / "a.zip", convert=None)
    assert checked == [] and len(types(app)) == 1


def test_the_agreed_text_must_not_change_while_archiving(
    app: Any, checked: list[bytes], tmp_path: Path
) -> None:
    def converted(docx: bytes) -> bytes:  # a newer version agreed while LibreOffice prints
        add_version(app.store.uow.repo, 1, VersionState.AGREED)
        return PDF

    with pytest.raises(WrongState, match="the agreed text changed while archiving"):
        archiving.archive(app, SLUG, tmp_path / "a.zip", convert=converted)
    assert len(types(app)) == 1 and checked == []


def test_each_further_language_has_its_text_pdf_akoma_ntoso_and_blame(
    tmp_path: Path, checked: list[bytes]
) -> None:
    app = fake_app(tmp_path)
    repo = seed_declaration(app)
    spanish = build_docx("<w:p><w:r><w:t>Acordado.</w:t></w:r></w:p>")
    zero = repo.versions_[0]
    zero.blob_sha256 = app.store.uow.put_blob(ZERO_DRAFT)
    repo.declarations[0].languages = "en,es"
    paragraphs = [{"key": "p001", "text": "Acordado.", "status": "unchanged"}]
    es = {"text": {"paragraphs": paragraphs}, "blob": app.store.uow.put_blob(spanish)}
    zero.meta = json.dumps(
        json.loads(zero.meta) | {"translations": {"es": es | {"template": es["blob"]}}}
    )
    silence.agree(app, SLUG)
    archiving.archive(app, SLUG, tmp_path / "a.zip", convert=lambda docx: b"%PDF " + docx[-8:])
    pages = app.store.uow.log_[-1].payload["files"]
    stem = "agreed/eu-celac-Zero_draft"
    assert sorted(set(pages) - set(PAGES)) == [
        "agreed.es.akn.xml",
        f"{stem}.es.docx",
        f"{stem}.es.pdf",
        "blame.es.html",
        "blame.es.json",
    ]
    documents = app.store.uow.documents
    assert documents[pages[f"{stem}.es.docx"]] == spanish
    assert (
        documents[pages[f"{stem}.es.pdf"]] == b"%PDF " + spanish[-8:]
    )  # convert, in each language
    assert b"blame.es.html  the same for the text in es" in documents[pages["README.txt"]]
