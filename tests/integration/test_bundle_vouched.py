"""The log vouches for every file of a bundle (issue 12, finding 2), sealing twice gives one bundle and one seal
(finding 11), and the secretariat's key signs the head so that a log rewritten from genesis is caught.

A forger who changes the PDF (or the README, or adds a file) and its manifest entry passed both verifiers: they
took the bundle's own pages from the bundle's own manifest. The seal, the bundle's last event, now records the
sha256 of every page; documents are vouched for by the sha256 their events name.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from drafting.canonical import canonical_json, event_hash, sha256_hex
from tests.audit_fixtures import SLUG, Run, accord, home, make, negotiated  # noqa: F401 (fixtures)
from tests.audit_scenario import query, rewrite, sql, unpack, verify_py

PDF_NAME = "agreed/audit-Rev.2.pdf"


class FakeOffice:
    """Stands in for LibreOffice: a different PDF each run, as soffice makes (its dates and ids change)."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, docx: bytes) -> bytes:
        self.runs += 1
        return b"%PDF-1.4 the agreed text, run " + str(self.runs).encode() + b"\n%%EOF\n"


@pytest.fixture
def agreed(make: Callable[[], Any]) -> Any:  # noqa: F811
    """Rev.2 agreed by a silence without objection."""
    from flows.usecases.silence import adopt, expire, start_silence

    app = make()
    start_silence(app, SLUG, (app.step() + timedelta(days=2)).isoformat())
    app.step(days=3)
    assert expire(app, SLUG) is not None and adopt(app, SLUG) == "Rev.2"
    return app


@pytest.fixture
def bundle(agreed: Any, tmp_path: Path) -> Path:
    """The sealed bundle, with a PDF, unpacked."""
    from flows.usecases.archive import archive

    archive(agreed, SLUG, tmp_path / "audit.zip", convert=FakeOffice())
    return unpack(tmp_path / "audit.zip", tmp_path / "unpacked")


def _refused(folder: Path, accord: Run, expected: str, *args: str) -> None:  # noqa: F811
    alone = verify_py(folder, *args)
    assert alone.returncode == 1 and alone.stdout.splitlines()[-1].startswith("MISMATCH:"), (
        alone.stdout
    )
    assert expected in alone.stdout, alone.stdout
    through = accord("verify", folder, *args)
    assert through.exit_code == 1 and expected in through.output, through.output


def test_an_intact_bundle_is_vouched_for_file_by_file(bundle: Path, accord: Run) -> None:  # noqa: F811
    alone = verify_py(bundle)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "vouched: " in alone.stdout and "not vouched" not in alone.stdout
    assert accord("verify", bundle).exit_code == 0


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            PDF_NAME,
            lambda d: d.replace(b"agreed text", b"forged text"),
            f"{PDF_NAME} does not match the sha256 the log",
        ),
        (
            "README.txt",
            lambda d: d + b"Approved by everyone.\n",
            "README.txt does not match the sha256 the log",
        ),
        (
            "history.html",
            lambda d: d.replace(b"<body", b"<body data-x", 1),
            "history.html does not match the sha256",
        ),
        (
            "blame.json",
            lambda d: d.replace(b"AT", b"BE", 1),
            "blame.json does not match the sha256 the log",
        ),
    ],
)
def test_a_changed_page_and_its_manifest_entry_are_refused(
    bundle: Path,
    accord: Run,
    name: str,  # noqa: F811
    change: Callable[[bytes], bytes],
    expected: str,
) -> None:
    rewrite(bundle, name, change)
    _refused(bundle, accord, expected)


@pytest.mark.parametrize(
    "name", ["agreed/audit-Rev.2-final.pdf", "notes.txt", "rounds/round-01/extra.docx", "blame.css"]
)
def test_an_added_file_with_a_manifest_entry_is_refused(
    bundle: Path, accord: Run, name: str
) -> None:  # noqa: F811
    (bundle / name).write_bytes(b"%PDF-1.4 something else")
    rewrite(bundle, name, lambda d: d)
    _refused(bundle, accord, f"{name} is not vouched for by the log")


def test_a_bundle_sealed_before_pages_were_recorded_says_which_files_are_not_vouched_for(
    bundle: Path, accord: Run
) -> None:  # noqa: F811
    """An older bundle's log ends before the seal: it still verifies, and says plainly what nothing vouches for."""
    lines = (bundle / "events.jsonl").read_bytes().splitlines(keepends=True)
    (bundle / "events.jsonl").write_bytes(b"".join(lines[:-1]))
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["events"] = {"count": len(lines) - 1, "head": json.loads(lines[-2])["hash"]}
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rewrite(bundle, "events.jsonl", lambda d: d)
    alone = verify_py(bundle)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    note = next(
        line
        for line in alone.stdout.splitlines()
        if line.startswith("note: not vouched for by the log")
    )
    assert all(name in note for name in ("README.txt", "history.html", "blame.html", PDF_NAME))
    rewrite(
        bundle, "README.txt", lambda d: d + b"x"
    )  # and a document still must be one the log names
    assert (
        verify_py(bundle).returncode == 0
    )  # (the README of such a bundle is exactly what it cannot vouch for)
    rewrite(bundle, "texts.json", lambda d: d.replace(b"cooperation", b"coordination", 1))
    assert "text_sha256 recorded when it was issued" in verify_py(bundle).stdout


def test_archive_twice_gives_one_bundle_and_one_seal(agreed: Any, tmp_path: Path) -> None:
    """LibreOffice makes different bytes each run: the PDF is made once per version and kept with the seal."""
    from flows.usecases.archive import archive

    office = FakeOffice()
    first = archive(agreed, SLUG, tmp_path / "first.zip", convert=office)
    second = archive(agreed, SLUG, tmp_path / "second.zip", convert=office)
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    assert first.bundle_sha256 == second.bundle_sha256 and office.runs == 1
    assert (first.reused, second.reused, second.seal) == (False, True, first.seal)
    seals = query(tmp_path, "SELECT seq FROM events WHERE type = 'accord.declaration.archived'")
    assert seals == [(first.seal,)]
    unsigned_then_signed = archive(
        agreed, SLUG, tmp_path / "third.zip", convert=office, signer=_signer()[0]
    )
    assert not unsigned_then_signed.reused and unsigned_then_signed.signed and office.runs == 1
    without_pdf = archive(
        agreed, SLUG, tmp_path / "fourth.zip", convert=None
    )  # --no-pdf means none
    assert not without_pdf.reused and not without_pdf.pdf
    assert archive(agreed, SLUG, tmp_path / "fifth.zip", convert=office).pdf and office.runs == 1


def test_an_old_seal_in_the_live_log_still_verifies_and_replays(
    agreed: Any,
    accord: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A log written before seals recorded pages: its archived event carries the bundle's hash instead."""
    from flows.usecases.archive import ARCHIVED, archive
    from flows.usecases.common import change
    from flows.usecases.replay import replay

    def old_seal(uow: Any) -> None:
        declaration = uow.repo.declaration(SLUG)
        uow.append(
            declaration,
            ARCHIVED,
            "secretariat",
            {
                "version": "Rev.2",
                "state": "agreed",
                "text_sha256": "0" * 64,
                "bundle_sha256": "1" * 64,
                "manifest_sha256": "2" * 64,
                "files": 40,
                "events": 20,
                "head": "3" * 64,
                "pdf": None,
            },
            agreed.now(),
        )

    change(agreed, old_seal)
    assert accord("verify", SLUG).exit_code == 0
    assert ARCHIVED in replay(agreed, SLUG).by_type  # appended as it was, byte for byte
    made = archive(agreed, SLUG, tmp_path / "after.zip", convert=None)
    assert (
        not made.reused
        and verify_py(unpack(tmp_path / "after.zip", tmp_path / "after")).returncode == 0
    )


# --- signed heads --------------------------------------------------------------------------------------------------


def _signer() -> tuple[Any, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from storage.signing import public_hex, sign

    key = Ed25519PrivateKey.generate()
    return (lambda message: sign(key, message)), public_hex(key)


def test_key_create_and_show(accord: Run, home: Path) -> None:  # noqa: F811
    created = accord("key", "create")
    assert created.exit_code == 0, created.output
    path = home / "home" / "keys" / "secretariat.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public = created.output.splitlines()[-1].removeprefix("public key: ")
    assert accord("key", "show").output.strip() == public and len(public) == 64
    again = accord("key", "create")
    assert (
        again.exit_code == 2
        and again.output.startswith("error: ")
        and "already there" in again.output
    )
    path.chmod(0o644)
    loose = accord("key", "show")
    assert loose.exit_code == 2 and "chmod 600" in loose.output


def test_signed_heads_catch_a_log_rewritten_from_genesis(
    agreed: Any,
    accord: Run,
    home: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A forger with the database but not the key rewrites one event and every hash after it: the chain, the
    tables and the bundle's pages all agree again; only the signature does not."""
    public = accord("key", "create").output.splitlines()[-1].removeprefix("public key: ")
    made = accord("archive", SLUG, "--out", tmp_path / "audit.zip", "--no-pdf")
    assert made.exit_code == 0 and "unsigned" not in made.output, made.output
    folder = unpack(tmp_path / "audit.zip", tmp_path / "unpacked")
    alone = verify_py(folder, "--key", public)  # -I -S: no site-packages, so no cryptography
    assert alone.returncode == 0 and "checked by RFC 8032 arithmetic" in alone.stdout, (
        alone.stdout + alone.stderr
    )
    assert (
        "checked with the cryptography package" in accord("verify", folder, "--key", public).output
    )
    signed = accord("verify", SLUG, "--key", public)
    assert (
        signed.exit_code == 0
        and f"signed: the head at event {_last_seq(home)} verifies" in signed.output
    )

    _rewrite_from(home, _first_seq(home, "accord.submission.received"))
    assert accord("verify", SLUG).exit_code == 0  # nothing but the key can tell
    caught = accord("verify", SLUG, "--key", public)
    assert caught.exit_code == 1 and "signature does not verify" in caught.output, caught.output
    _rewrite_bundle(folder)
    assert verify_py(folder).returncode == 0
    _refused(folder, accord, "signature does not verify", "--key", public)
    other = _signer()[1]
    assert "not by " + other[:16] in accord("verify", SLUG, "--key", other).output


def test_a_log_without_a_signed_head_fails_with_a_key(accord: Run) -> None:  # noqa: F811
    result = accord("verify", SLUG, "--key", "ab" * 32)
    assert result.exit_code == 1 and "no event of the log is signed" in result.output
    malformed = accord("verify", SLUG, "--key", "not-a-key")
    assert malformed.exit_code == 2 and "is not a public key" in malformed.output


def _last_seq(home: Path) -> int:
    return int(query(home, "SELECT MAX(seq) FROM events")[0][0])


def _first_seq(home: Path, kind: str) -> int:
    return int(query(home, f"SELECT MIN(seq) FROM events WHERE type = '{kind}'")[0][0])


def _forge(payload: dict[str, Any], kind: str) -> dict[str, Any]:
    """A change the tables do not show: a submission's flags (the reading's warnings)."""
    if kind == "accord.submission.received":
        return {**payload, "flags": [*payload["flags"], "forged"]}
    return payload


def _rewrite_from(home: Path, seq: int) -> None:
    rows = query(home, "SELECT seq, type, actor, payload, occurred_at FROM events ORDER BY seq")
    prev = query(home, f"SELECT hash FROM events WHERE seq = {seq - 1}")[0][0]
    for number, kind, actor, payload, occurred_at in rows[seq - 1 :]:
        body = canonical_json(
            _forge(json.loads(payload), kind) if number == seq else json.loads(payload)
        )
        digest = event_hash(
            prev_hash=prev,
            declaration=SLUG,
            seq=number,
            type=kind,
            actor=actor,
            payload=body,
            occurred_at=occurred_at,
        )
        sql(
            home,
            f"UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = {number}",
            params=(body, prev, digest),
        )
        prev = digest


def _rewrite_bundle(folder: Path) -> None:
    events = [json.loads(line) for line in (folder / "events.jsonl").read_bytes().splitlines()]
    first = next(e["seq"] for e in events if e["type"] == "accord.submission.received")
    prev = events[first - 2]["hash"]
    for event in events[first - 1 :]:
        if event["seq"] == first:
            event["payload"] = _forge(event["payload"], event["type"])
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(
            prev_hash=prev,
            declaration=SLUG,
            seq=event["seq"],
            type=event["type"],
            actor=event["actor"],
            payload=canonical_json(event["payload"]),
            occurred_at=event["occurred_at"],
        )
    (folder / "events.jsonl").write_bytes(
        b"".join(canonical_json(e).encode() + b"\n" for e in events)
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["events"]["head"] = prev
    manifest["files"]["events.jsonl"] = sha256_hex((folder / "events.jsonl").read_bytes())
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
