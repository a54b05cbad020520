"""The archive: a sealed bundle an auditor verifies alone with `python3 verify.py`, and `accord verify BUNDLE.zip`.

The bundle holds the agreed (or current) text as .docx and PDF, every version, submission, compilation, synopsis
and decision, the event log as JSON lines, every version's text and lineage (texts.json), the history and the
blame pages, manifest.json with the sha256 of every file, and verify.py. The zip is deterministic: fixed times,
sorted names, fixed compression; the same records give the same bytes.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from drafting.canonical import canonical_json, sha256_hex
from drafting.errors import IntegrityError, InvalidInput, WrongState
from drafting.negotiation import SECRETARIAT
from flows import bundle_verify
from flows.bootstrap import App
from flows.usecases.blame import blame_html, blame_in
from flows.usecases.common import change, write_file
from flows.usecases.history import documents_of, history_data, history_html, safe_name
from flows.usecases.status import verify
from storage import UnitOfWork, parse_anchor
from storage.eventlog import read_events
from storage.schema import DeclarationRow, EventRow, VersionRow

ARCHIVED = "accord.declaration.archived"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PDF = "application/pdf"
Converter = Callable[[bytes], "bytes | None"]


@dataclass(frozen=True)
class Archived:
    path: str
    version: str
    files: int
    bundle_sha256: str
    manifest_sha256: str
    pdf: bool


def soffice_pdf(docx: bytes) -> bytes | None:
    """The document as PDF by LibreOffice headless, or None when it is not installed or fails."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="accord-pdf-") as tmp:
        source = Path(tmp) / "agreed.docx"
        source.write_bytes(docx)
        profile = (Path(tmp) / "profile").as_uri()  # its own profile: a running LibreOffice does not interfere
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp,
                   str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        made = Path(tmp) / "agreed.pdf"
        return made.read_bytes() if made.exists() else None


def archive(app: App, slug: str, out: Path, *, convert: Converter | None = soffice_pdf) -> Archived:
    """Verify the records, seal the bundle at ``out`` after checking it as an auditor would, record the event."""
    verify(app, slug)
    with app.store.reading() as uow:
        agreed = agreed_version(uow, uow.repo.declaration(slug))
        label, docx = agreed.label, uow.blob(agreed.blob_sha256)
    pdf = convert(docx) if convert is not None else None
    with app.store.reading() as uow:
        if agreed_version(uow, uow.repo.declaration(slug)).label != label:
            raise WrongState(f"{slug!r}: the agreed text changed while archiving; run `accord archive` again")
        files, manifest = build_bundle(uow, slug, pdf=pdf)
    bundle = zip_bytes(files)
    check_bundle(bundle, slug)
    write_file(out, bundle)
    payload = {"version": label, "state": manifest["agreed"]["state"], "text_sha256": manifest["agreed"]["text_sha256"],
               "bundle_sha256": sha256_hex(bundle), "manifest_sha256": sha256_hex(files["manifest.json"]),
               "files": len(files), "events": manifest["events"]["count"], "head": manifest["events"]["head"],
               "pdf": sha256_hex(pdf) if pdf else None}
    change(app, lambda uow: _record(uow, app, slug, label, pdf, payload))
    return Archived(str(out), label, len(files), payload["bundle_sha256"], payload["manifest_sha256"], pdf is not None)


def _record(uow: UnitOfWork, app: App, slug: str, label: str, pdf: bytes | None, payload: dict[str, Any]) -> None:
    now = app.now()  # read once: every row of one action carries one moment, so that replay reproduces it
    declaration = uow.repo.declaration(slug)
    if pdf:
        version = uow.repo.version(declaration, label)
        uow.repo.add_artifact(declaration, version_id=version.id, kind="archive-pdf",
                              name=f"{safe_name(slug)}-{safe_name(label)}.pdf", blob_sha256=uow.put_blob(pdf, PDF),
                              created_at=now)
    uow.append(declaration, ARCHIVED, SECRETARIAT, payload, now)


def agreed_version(uow: UnitOfWork, declaration: DeclarationRow) -> VersionRow:
    """The latest agreed version, else the current one."""
    versions = uow.repo.versions(declaration)
    agreed = [v for v in versions if v.state == "agreed"]
    return (agreed or versions)[-1]


def build_bundle(uow: UnitOfWork, slug: str, *, pdf: bytes | None = None) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of the bundle (manifest.json included) and the manifest, from one consistent read."""
    declaration = uow.repo.declaration(slug)
    events = read_events(uow.session, declaration)
    agreed = agreed_version(uow, declaration)
    stem = f"agreed/{safe_name(slug)}-{safe_name(agreed.label)}"
    files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    files[f"{stem}.docx"] = uow.blob(agreed.blob_sha256)
    if pdf:
        files[f"{stem}.pdf"] = pdf
    files["events.jsonl"] = _event_lines(uow, declaration)
    files["texts.json"] = _pretty({"declaration": slug, "versions": _texts(uow, declaration)})
    files["history.html"] = history_html(history_data(uow, slug), prefix="").encode("utf-8")
    blamed = blame_in(uow, slug, agreed.label)
    names = {p.code: p.name for p in uow.repo.parties(declaration)}
    files["blame.json"] = _pretty(blamed.as_json())
    files["blame.html"] = blame_html(blamed, title=declaration.title, names=names).encode("utf-8")
    files["verify.py"] = Path(bundle_verify.__file__).read_bytes()
    files["README.txt"] = _readme(slug, declaration.title, agreed.label).encode("utf-8")
    manifest = {
        "format": bundle_verify.FORMAT, "declaration": slug, "title": declaration.title,
        "agreed": {"version": agreed.label, "state": agreed.state, "text_sha256": agreed.text_sha256},
        "events": {"count": len(events), "head": events[-1].hash if events else bundle_verify.GENESIS},
        "files": {name: sha256_hex(data) for name, data in sorted(files.items())},
    }
    files["manifest.json"] = _pretty(manifest)
    return files, manifest


def _event_lines(uow: UnitOfWork, declaration: DeclarationRow) -> bytes:
    """The log as stored, one canonical JSON object per line (the payload parsed from its canonical text)."""
    rows = uow.session.scalars(select(EventRow).where(EventRow.declaration_id == declaration.id).order_by(EventRow.seq))
    lines = [canonical_json({"declaration": declaration.slug, "seq": r.seq, "type": r.type, "actor": r.actor,
                             "occurred_at": r.occurred_at, "payload": json.loads(r.payload),
                             "prev_hash": r.prev_hash, "hash": r.hash}) for r in rows]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _texts(uow: UnitOfWork, declaration: DeclarationRow) -> list[dict[str, Any]]:
    versions = uow.repo.versions(declaration)
    labels = {v.id: v.label for v in versions}
    out = []
    for v in versions:
        meta = json.loads(v.meta)
        out.append({"label": v.label, "number": v.number, "parent": labels.get(v.parent_id or 0),
                    "round": meta.get("round"), "text": meta["text"], "lineage": meta.get("lineage") or []})
    return out


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _readme(slug: str, title: str, label: str) -> str:
    return (f"{title}\nArchive of declaration {slug}: {label} and its whole record, sealed by accord.\n\n"
            "Verify it with nothing but Python 3.8+:  python3 verify.py   (or: python3 verify.py BUNDLE.zip)\n"
            "It checks every file against manifest.json, the hash chain of events.jsonl, that every document is\n"
            "one the log records, and recomputes the agreed text from the zero draft and the recorded operations\n"
            "of every revision (texts.json). Compare the head hash it prints with the declaration's\n"
            "accord.declaration.archived event in the live record.\n\n"
            "agreed/      the agreed (or current) text, .docx and PDF\n"
            "versions/    every version as issued        zero-draft/  the zero draft as uploaded\n"
            "rounds/      per round: submissions, compilation and synopsis, decisions\n"
            "editorial/   files of recorded editorial changes\n"
            "history.html the timeline a person reads     blame.html   where every character of the text comes from\n")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted names, fixed times and permissions, maximum deflate."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3
            info.external_attr = (0o755 if name == "verify.py" else 0o644) << 16
            bundle.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def check_bundle(bundle: bytes, slug: str) -> list[str]:
    """Run the bundle's own checks on the zip before it is sealed; refuse a bundle that does not verify."""
    with tempfile.TemporaryDirectory(prefix="accord-bundle-") as tmp:
        path = Path(tmp) / f"{slug}.zip"
        path.write_bytes(bundle)
        lines: list[str] = []
        try:
            bundle_verify.verify(str(path), say=lines.append)
        except bundle_verify.Mismatch as error:
            raise IntegrityError(f"{slug}: the records do not verify, nothing was archived: {error}") from None
    return lines


def verify_bundle(path: Path, anchor: str | None = None) -> list[str]:
    """`accord verify BUNDLE.zip|FOLDER [--anchor SEQ:HASH]`: the checks of the bundle's verify.py, with accord's
    own copy of it."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such bundle; give the .zip or the unpacked folder")
    if anchor is not None:
        try:
            parse_anchor(anchor)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    lines: list[str] = []
    try:
        bundle_verify.verify(str(path), say=lines.append, anchor=anchor)
        shipped = bundle_verify.Files(str(path)).read("verify.py")
    except bundle_verify.Mismatch as error:
        raise IntegrityError(f"{path.name}: {error}") from None
    except bundle_verify.NotABundle as error:
        raise InvalidInput(f"{error}; give an archive made by `accord archive`") from None
    if shipped != Path(bundle_verify.__file__).read_bytes():
        lines.insert(-1, "note: the bundle's verify.py differs from this accord's; these checks used accord's own")
    return lines
