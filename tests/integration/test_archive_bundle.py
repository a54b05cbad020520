"""The archive bundle: it verifies alone (its verify.py, the standard library only) and through accord, it is
deterministic, and its verify.py catches any change to a document, an event, a text or the file list."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import IntegrityError
from tests.audit_fixtures import SLUG, Run, accord, home, make, negotiated  # noqa: F401 (fixtures)
from tests.audit_scenario import (
    rewrite,
    silent_edit,
    unpack,
    verify_py,
)

# --- the archive bundle --------------------------------------------------------------------------------------------


@pytest.fixture
def agreed(make: Callable[[], Any]) -> Any:
    """The copy with Rev.2 agreed by silence: a first silence broken by an objection, a second one expired."""
    from flows.usecases.silence import adopt, expire, object_to, start_silence

    app = make()
    for objection in (True, False):
        start_silence(app, SLUG, (app.step() + timedelta(days=2)).isoformat())
        if objection:
            app.step(hours=1)
            object_to(app, SLUG, party="AT", reason="one more day, please")
    app.step(days=3)
    assert expire(app, SLUG) is not None and adopt(app, SLUG) == "Rev.2"
    return app


def test_the_bundle_verifies_alone_and_through_accord(
    agreed: Any, accord: Run, tmp_path: Path
) -> None:
    from drafting.canonical import sha256_hex
    from flows.usecases.replay import replay

    bundle = tmp_path / "audit.zip"
    result = accord("archive", SLUG, "--out", bundle, "--no-pdf")
    assert result.exit_code == 0, result.output
    standalone = verify_py(unpack(bundle, tmp_path / "unpacked"))
    assert standalone.returncode == 0, standalone.stdout + standalone.stderr
    assert "recomputes from the zero draft" in standalone.stdout and "ok:" in standalone.stdout
    assert verify_py(tmp_path / "unpacked", str(bundle)).returncode == 0
    for target in (bundle, tmp_path / "unpacked"):
        checked = accord("verify", target)
        assert checked.exit_code == 0 and "hash chain verifies" in checked.output, checked.output
    archived = json.loads(accord("log", SLUG, "--json").stdout)[-1]
    assert archived["type"] == "accord.declaration.archived"
    with zipfile.ZipFile(
        bundle
    ) as sealed:  # the seal is the bundle's last event and records its pages
        assert json.loads(sealed.read("events.jsonl").splitlines()[-1])["hash"] == archived["hash"]
        assert archived["payload"]["files"]["README.txt"] == sha256_hex(sealed.read("README.txt"))
    assert {
        "README.txt",
        "agreed.akn.xml",
        "blame.html",
        "blame.json",
        "history.html",
        "texts.json",
        "verify.py",
    } == set(archived["payload"]["files"])
    assert archived["payload"]["version"] == "Rev.2" and archived["payload"]["state"] == "agreed"
    report = replay(agreed, SLUG)  # the archive is rebuilt byte for byte too
    assert {
        "accord.declaration.archived",
        "accord.silence.broken",
        "accord.silence.expired",
        "accord.version.agreed",
    } <= set(report.by_type)


def test_the_bundle_is_deterministic(agreed: Any, tmp_path: Path) -> None:
    from flows.usecases.archive import archive

    first = archive(agreed, SLUG, tmp_path / "first.zip", convert=None)
    second = archive(agreed, SLUG, tmp_path / "second.zip", convert=None)
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    assert (second.seal, second.reused, first.reused) == (first.seal, True, False)
    with zipfile.ZipFile(tmp_path / "first.zip") as archived:
        infos = archived.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = {i.filename for i in infos}
    assert {
        "manifest.json",
        "verify.py",
        "events.jsonl",
        "texts.json",
        "agreed/audit-Rev.2.docx",
    } <= names
    assert any(n.startswith("rounds/round-02/compilation/synopsis") for n in names)
    assert any(n.startswith("rounds/round-01/decisions/") for n in names)


BUNDLE_TAMPERING: dict[str, tuple[Callable[[Path], None], str]] = {
    "a document": (
        lambda b: rewrite(b, _a_submission(b), lambda d: d + b"x", manifest=False),
        "manifest",
    ),
    "a document and the manifest": (
        lambda b: rewrite(b, _a_submission(b), lambda d: d + b"x"),
        "not a document the event log records",
    ),
    "an event and the manifest": (
        lambda b: rewrite(b, "events.jsonl", lambda d: d.replace(b'"AT"', b'"BE"', 1)),
        "hash does not match",
    ),
    "the agreed text and the manifest": (
        lambda b: rewrite(b, "texts.json", lambda d: d.replace(b"cooperation", b"coordination", 1)),
        "texts.json does not match the sha256 the log recorded",
    ),
    "a lineage operation and the manifest": (
        lambda b: rewrite(
            b, "texts.json", lambda d: d.replace(b"adds clause 2.", b"adds clause 9.", 1)
        ),
        "texts.json does not match the sha256 the log recorded",
    ),
    "an added file": (lambda b: (b / "extra.txt").write_text("hello"), "not in the manifest"),
}


def _a_submission(bundle: Path) -> str:
    return next(
        p.relative_to(bundle).as_posix()
        for p in sorted(bundle.glob("rounds/round-01/submissions/*"))
    )


@pytest.mark.parametrize("kind", sorted(BUNDLE_TAMPERING))
def test_the_bundles_verify_py_catches_any_change(
    kind: str, agreed: Any, accord: Run, tmp_path: Path
) -> None:
    from flows.usecases.archive import archive

    bundle = tmp_path / "audit.zip"
    archive(agreed, SLUG, bundle, convert=None)
    folder = unpack(bundle, tmp_path / "unpacked")
    change, message = BUNDLE_TAMPERING[kind]
    change(folder)
    result = verify_py(folder)
    assert result.returncode == 1 and result.stdout.splitlines()[-1].startswith("MISMATCH:"), (
        result.stdout
    )
    assert message in result.stdout
    checked = accord("verify", folder)
    assert checked.exit_code == 1 and message in checked.output


def test_an_sql_edit_reaches_an_unsealed_bundle_and_its_verify_py_catches_it(
    agreed: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.usecases import archive as archiving

    silent_edit(home)
    with pytest.raises(IntegrityError, match="Rev.2"):
        archiving.archive(agreed, SLUG, tmp_path / "refused.zip", convert=None)
    bundle = (
        tmp_path / "forged.zip"
    )  # a forger's accord that skips the checks: the seal records the edited text
    monkeypatch.setattr(archiving, "verify", lambda *args, **kwargs: None)
    monkeypatch.setattr(archiving, "check_bundle", lambda *args, **kwargs: [])
    archiving.archive(agreed, SLUG, bundle, convert=None)
    result = verify_py(unpack(bundle, tmp_path / "forged"), str(bundle))
    assert (
        result.returncode == 1 and "Rev.2: its text does not match the text_sha256" in result.stdout
    )


@pytest.mark.libreoffice
def test_the_bundle_carries_a_pdf_when_libreoffice_is_installed(
    agreed: Any, tmp_path: Path
) -> None:
    from flows.usecases.archive import archive, soffice_pdf
    from flows.usecases.replay import replay

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice headless is absent: apt-get install libreoffice-writer-nogui")
    made = archive(agreed, SLUG, tmp_path / "audit.zip", convert=soffice_pdf)
    assert made.pdf
    with zipfile.ZipFile(tmp_path / "audit.zip") as bundle:
        assert bundle.read("agreed/audit-Rev.2.pdf").startswith(b"%PDF")
    assert (
        replay(agreed, SLUG).by_type["accord.declaration.archived"] > 0
    )  # the stored PDF stands in for LibreOffice
