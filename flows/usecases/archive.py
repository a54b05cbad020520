"""The archive: a sealed bundle an auditor verifies alone with `python3 verify.py`, and `accord verify BUNDLE.zip`.

The bundle holds the agreed (or current) text as .docx and PDF, every version, submission, compilation, synopsis
and decision, the event log as JSON lines, every version's text and lineage (texts.json), the history and the
blame pages, manifest.json with the sha256 of every file, and verify.py. The log vouches for every file but the
manifest: documents by the sha256 their events name, and the pages made for the bundle (PDF, README, history,
blame, texts, verify.py) by the sha256 the sealing event (the bundle's last event) records; the secretariat's key,
when there is one, signs that event. The zip is deterministic: fixed times, sorted names, fixed compression; the
same records give the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, InvalidInput, WrongState
from drafting.negotiation import SECRETARIAT, Artifact, Declaration, Event, Version, VersionState
from flows import bundle_verify
from flows.adapters.scratch import Scratch
from flows.bootstrap import App
from flows.usecases.blame import blame_html, blame_in
from flows.usecases.common import change, write_file
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import agreed_text
from flows.usecases.export import akn_of
from flows.usecases.history import documents_of, history_data, history_html, safe_name
from flows.usecases.pdf import pdf_of
from flows.usecases.status import verify
from storage import UnitOfWork, parse_anchor
from storage.signing import head_message, parse_public_key, unsigned_hash

ARCHIVED = "accord.declaration.archived"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PDF = "application/pdf"
Converter = Callable[[bytes], "bytes | None"]
Signer = Callable[
    [bytes], dict[str, str]
]  # the message -> the signature record (storage.signing.sign)


@dataclass(frozen=True)
class Archived:
    path: str
    version: str
    files: int
    bundle_sha256: str
    manifest_sha256: str
    pdf: bool
    seal: int  # the event that records the bundle's pages
    signed: bool
    reused: bool  # the log's last event already sealed this bundle: nothing new was recorded


def soffice_pdf(docx: bytes, scratch: Scratch | None = None) -> bytes | None:
    """The document as PDF by LibreOffice headless (steady bytes: see flows/usecases/pdf.py), or None when it is
    not installed or fails; ``scratch``: the home's scratch folders (see ``pdf_of``)."""
    return pdf_of({"agreed.docx": docx}, scratch=scratch).get("agreed.docx")


def archive(
    app: App,
    slug: str,
    out: Path,
    *,
    convert: Converter | None = soffice_pdf,
    signer: Signer | None = None,
    verifier: bytes | None = None,
    convert_in: Callable[[str, bytes], "bytes | None"] | None = None,
    by: str | None = None,
) -> Archived:
    """Verify the records; record the seal (the sha256 of every page of the bundle, signed when a key is given)
    and build the bundle from the log in one transaction, checked as an auditor would; write it at ``out``.

    Sealing again with nothing new in the log gives the same bundle and no second event: the PDF is made once
    per version (LibreOffice's bytes differ each run) and the pages are kept with the seal that records them.
    ``verifier``: the verify.py to ship (default: this accord's; replay ships the one the seal recorded);
    ``convert_in(language, docx)``: the PDF of the agreed text in a further language (default: ``convert``);
    ``by``: the account that seals it through the portal (None: the CLI)."""
    verify(app, slug)
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        agreed = agreed_version(uow, declaration)
        label, docx = agreed.label, agreed_text(uow, declaration, agreed)
        pdf = _stored_pdf(uow, declaration, agreed.number) if convert is not None else None
        last = uow.log(declaration, after=uow.event_count(declaration) - 1)
        others = {
            lang: (
                agreed_text(uow, declaration, agreed, lang),
                _stored_pdf(uow, declaration, agreed.number, lang),
            )
            for lang in agreed.content.translations
        }
    if convert is soffice_pdf and others and pdf is None:  # one LibreOffice run for every language
        made = pdf_of(
            {"agreed.docx": docx} | {f"agreed.{lang}.docx": d for lang, (d, _) in others.items()},
            scratch=app.scratch,
        )
        pdf = made.get("agreed.docx")
        others = {
            lang: (d, stored or made.get(f"agreed.{lang}.docx"))
            for lang, (d, stored) in others.items()
        }
    if pdf is None and convert is not None:
        pdf = convert(docx)
    # the agreed text in each language after the first: its document and PDF are pages of the bundle
    if convert_in is None and convert is not None:
        convert_in = lambda _language, document: convert(document)  # noqa: E731
    translated = {
        lang: (
            document,
            stored if stored is not None or convert_in is None else convert_in(lang, document),
        )
        for lang, (document, stored) in others.items()
    }
    reused = bool(last) and _reusable(last[-1], label, pdf, signer)
    if reused:
        seal = last[-1]
        with app.store.reading() as uow:
            bundle = zip_bytes(bundle_files(uow, slug))
    else:
        bundle, seal = change(
            app, lambda uow: _seal(uow, app, slug, label, pdf, signer, translated, verifier, by)
        )
    write_file(app, out, bundle, root=out.parent)
    publish_dashboard(app, slug)
    with zipfile.ZipFile(io.BytesIO(bundle)) as files:
        count, manifest = len(files.namelist()), files.read(bundle_verify.MANIFEST)
    return Archived(
        str(out),
        label,
        count,
        sha256_hex(bundle),
        sha256_hex(manifest),
        seal.payload.get("pdf") is not None,
        seal.seq,
        "signature" in seal.payload,
        reused,
    )


def _reusable(event: Event, label: str, pdf: bytes | None, signer: Signer | None) -> bool:
    """The last event is a seal of this version, with this PDF (or none), signed if a key is given now."""
    payload = event.payload
    if (
        event.type != ARCHIVED
        or not isinstance(payload.get("files"), dict)
        or payload.get("version") != label
    ):
        return False
    if payload.get("pdf") != (sha256_hex(pdf) if pdf is not None else None):
        return False
    return signer is None or "signature" in payload


def _stored_pdf(
    uow: UnitOfWork, declaration: Declaration, version: int, language: str | None = None
) -> bytes | None:
    made = [
        a
        for a in uow.repo.artifacts(declaration, kind="archive-pdf")
        if a.version == version
        and a.name.endswith(".pdf")
        and a.name.endswith(f".{language}.pdf") == (language is not None)
    ]
    return uow.blob(made[-1].blob_sha256) if made else None


def _seal(
    uow: UnitOfWork,
    app: App,
    slug: str,
    label: str,
    pdf: bytes | None,
    signer: Signer | None,
    translated: dict[str, tuple[bytes, bytes | None]],
    verifier: bytes | None = None,
    by: str | None = None,
) -> tuple[bytes, Event]:
    now = (
        app.now()
    )  # read once: every row of one action carries one moment, so that replay reproduces it
    declaration = uow.repo.declaration(slug)
    agreed = agreed_version(uow, declaration)
    if agreed.label != label:
        raise WrongState(
            f"{slug!r}: the agreed text changed while archiving; run `accord archive` again"
        )
    recorded: dict[str, str] = {}
    for name, data in sorted(bundle_pages(uow, slug, agreed, pdf, translated, verifier).items()):
        recorded[name] = uow.put_blob(data, _media_type(name))
        uow.repo.add_artifact(
            declaration,
            Artifact(
                kind="archive-pdf" if name.endswith(".pdf") else "archive-page",
                name=name,
                blob_sha256=recorded[name],
                created_at=now,
                version=agreed.number,
            ),
        )
    events = uow.log(declaration)
    payload: dict[str, Any] = {
        "version": label,
        "state": agreed.state,
        "text_sha256": agreed.text_sha256,
        "events": len(events),
        "head": events[-1].hash if events else bundle_verify.GENESIS,
        "files": recorded,
        "pdf": recorded.get(f"{_stem(slug, label)}.pdf"),
    } | ({"by": by} if by else {})
    if signer is not None:
        unsigned = unsigned_hash(
            prev_hash=payload["head"],
            declaration=slug,
            seq=len(events) + 1,
            type=ARCHIVED,
            actor=SECRETARIAT,
            payload=payload,
            occurred_at=now,
        )
        payload["signature"] = signer(head_message(slug, len(events) + 1, unsigned))
    seal = uow.append(declaration, ARCHIVED, SECRETARIAT, payload, now)
    bundle = zip_bytes(bundle_files(uow, slug))
    check_bundle(
        bundle, slug, app.scratch
    )  # before the commit: a bundle that does not verify leaves no seal behind
    return bundle, seal


def agreed_version(uow: UnitOfWork, declaration: Declaration) -> Version:
    """The latest agreed version, else the current one."""
    versions = uow.repo.versions(declaration)
    agreed = [
        v for v in versions if uow.repo.get_version(declaration, v).state is VersionState.AGREED
    ]
    return (agreed or versions)[-1]


def _stem(slug: str, label: str) -> str:
    return f"agreed/{safe_name(slug)}-{safe_name(label)}"


def _media_type(name: str) -> str:
    return {".pdf": PDF, ".html": "text/html", ".json": "application/json"}.get(
        Path(name).suffix, "text/plain"
    )


def bundle_pages(
    uow: UnitOfWork,
    slug: str,
    agreed: Version,
    pdf: bytes | None,
    translated: dict[str, tuple[bytes, bytes | None]] | None = None,
    verifier: bytes | None = None,
) -> dict[str, bytes]:
    """The files the seal vouches for by their sha256: the pages made for the bundle, and the PDF; in a
    declaration in several languages, the agreed text in each further language (document, PDF, Akoma Ntoso)."""
    declaration = uow.repo.declaration(slug)
    pages = {
        "texts.json": _pretty({"declaration": slug, "versions": _texts(uow, declaration)}),
        "history.html": history_html(history_data(uow, slug), prefix="").encode("utf-8"),
    }
    blamed = blame_in(uow, slug, agreed.label)
    names = {p.code: p.name for p in uow.repo.parties(declaration)}
    pages["blame.json"] = _pretty(blamed.as_json())
    pages["blame.html"] = blame_html(blamed, title=declaration.title, names=names).encode("utf-8")
    pages[bundle_verify.AKN] = akn_of(uow, slug, agreed.label)[1]
    pages["verify.py"] = verifier or Path(bundle_verify.__file__).read_bytes()
    pages["README.txt"] = _readme(
        slug, declaration.title, agreed.label, sorted(translated or {})
    ).encode("utf-8")
    if pdf:
        pages[f"{_stem(slug, agreed.label)}.pdf"] = pdf
    for lang, (document, translated_pdf) in (translated or {}).items():
        pages[f"{_stem(slug, agreed.label)}.{lang}.docx"] = document
        blamed_in = blame_in(uow, slug, agreed.label, lang)  # issue 15: each text with its blame
        pages[f"blame.{lang}.json"] = _pretty(blamed_in.as_json())
        pages[f"blame.{lang}.html"] = blame_html(
            blamed_in, title=declaration.title, names=names, language=lang
        ).encode("utf-8")
        pages[bundle_verify.AKN.replace(".akn", f".{lang}.akn")] = akn_of(
            uow, slug, agreed.label, lang
        )[1]
        if translated_pdf:
            pages[f"{_stem(slug, agreed.label)}.{lang}.pdf"] = translated_pdf
    return pages


def bundle_files(uow: UnitOfWork, slug: str) -> dict[str, bytes]:
    """Every file of the bundle sealed by the log's last event: the documents the log names, the pages the seal
    recorded, the log itself and the manifest."""
    declaration = uow.repo.declaration(slug)
    events = uow.log(declaration)
    seal = events[-1].payload
    agreed = uow.repo.version(declaration, seal["version"])
    files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    files[f"{_stem(slug, agreed.label)}.docx"] = agreed_text(uow, declaration, agreed)
    files.update((name, uow.blob(digest)) for name, digest in seal["files"].items())
    files["events.jsonl"] = _event_lines(uow, declaration)
    manifest = {
        "format": bundle_verify.FORMAT,
        "declaration": slug,
        "title": declaration.title,
        "agreed": {
            "version": agreed.label,
            "state": seal["state"],
            "text_sha256": seal["text_sha256"],
        },
        "events": {"count": len(events), "head": events[-1].hash},
        "files": {name: sha256_hex(data) for name, data in sorted(files.items())},
    }
    files[bundle_verify.MANIFEST] = _pretty(manifest)
    return files


def _event_lines(uow: UnitOfWork, declaration: Declaration) -> bytes:
    """The log as stored, one canonical JSON object per line (the payload parsed from its canonical text)."""
    return uow.log_lines(declaration)


def _texts(uow: UnitOfWork, declaration: Declaration) -> list[dict[str, Any]]:
    versions = uow.repo.versions(declaration)
    out = []
    for v in versions:
        content = v.content
        entry = {
            "label": v.label,
            "number": v.number,
            "parent": v.parent,
            "round": content.round,
            "text": content.text.model_dump(mode="json"),
            "lineage": content.lineage,
        }
        if (
            content.translations
        ):  # a declaration in several languages: its text in each further language
            entry["translations"] = {
                lang: t.text.model_dump(mode="json") for lang, t in content.translations.items()
            }
        out.append(entry)
    return out


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _languages_line(languages: list[str]) -> str:
    """The README's line on the further languages' blame pages (none in a declaration in one language)."""
    return "".join(f"blame.{lang}.html  the same for the text in {lang}\n" for lang in languages)


def _readme(slug: str, title: str, label: str, languages: list[str]) -> str:
    return (
        f"{title}\nArchive of declaration {slug}: {label} and its whole record, sealed by accord.\n\n"
        "Verify it with nothing but Python 3.8+:  python3 verify.py   (or: python3 verify.py BUNDLE.zip)\n"
        "It checks every file against manifest.json, the hash chain of events.jsonl, that the log vouches for\n"
        "every file (documents by the sha256 their events name, this bundle's pages by the sha256 its seal,\n"
        "the last event, records), and recomputes the agreed text from the zero draft and the recorded\n"
        "operations of every revision (texts.json). With --key PUBLIC_KEY (the secretariat's, as\n"
        "`accord key show` prints it) it checks the signed head: a log rewritten without the key fails.\n\n"
        "agreed/      the agreed (or current) text, .docx and PDF\n"
        "versions/    every version as issued        zero-draft/  the zero draft as uploaded\n"
        "rounds/      per round: submissions, compilation and synopsis, decisions\n"
        "editorial/   files of recorded editorial changes\n"
        "history.html the timeline a person reads     blame.html   where every character of the text comes from\n"
        f"{_languages_line(languages)}"
        "agreed.akn.xml  the agreed (or current) text as Akoma Ntoso 3.0 (OASIS LegalDocML)\n"
    )


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


def check_bundle(bundle: bytes, slug: str, scratch: Scratch) -> list[str]:
    """Run the bundle's own checks on the zip before it is sealed; refuse a bundle that does not verify."""
    with scratch.folder("bundle") as tmp:
        path = Path(tmp) / f"{slug}.zip"
        path.write_bytes(bundle)
        lines: list[str] = []
        try:
            bundle_verify.verify(str(path), say=lines.append)
        except bundle_verify.Mismatch as error:
            raise IntegrityError(
                f"{slug}: the records do not verify, nothing was archived: {error}"
            ) from None
    return lines


def verify_bundle(path: Path, anchor: str | None = None, key: str | None = None) -> list[str]:
    """`accord verify BUNDLE.zip|FOLDER [--anchor SEQ:HASH] [--key PUBLIC_KEY]`: the checks of the bundle's
    verify.py, with accord's own copy of it."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such bundle; give the .zip or the unpacked folder")
    if anchor is not None:
        try:
            parse_anchor(anchor)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    key = None if key is None else parse_public_key(key)
    lines: list[str] = []
    try:
        bundle_verify.verify(str(path), say=lines.append, anchor=anchor, key=key)
        shipped = bundle_verify.Files(str(path)).read("verify.py")
    except bundle_verify.Mismatch as error:
        raise IntegrityError(f"{path.name}: {error}") from None
    except bundle_verify.NotABundle as error:
        raise InvalidInput(f"{error}; give an archive made by `accord archive`") from None
    if shipped != Path(bundle_verify.__file__).read_bytes():
        lines.insert(
            -1,
            "note: the bundle's verify.py differs from this accord's; these checks used accord's own",
        )
    return lines
