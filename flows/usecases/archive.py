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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drafting import archiving
from drafting.archiving import (
    agreed_or_current,
    media_type,
    pretty,
    readme,
    reusable,
    version_texts,
    zip_bytes,
)
from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, InvalidInput, WrongState
from drafting.events import DeclarationArchived
from drafting.negotiation import SECRETARIAT, Artifact, Declaration, Event, Version
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
from flows.usecases.status import checked_anchor, verify
from flows.usecases.texts import names_of
from storage import UnitOfWork
from storage.signing import head_message, parse_public_key, unsigned_hash

ARCHIVED = DeclarationArchived.TYPE
Converter = Callable[[bytes], "bytes | None"]
Signer = Callable[
    [bytes], dict[str, str]
]  # the message -> the signature record (storage.signing.sign)
Translated = dict[
    str, tuple[bytes, bytes | None]
]  # by language: the agreed text's document and its PDF


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

    @classmethod
    def of(cls, out: Path, bundle: Bundle, seal: Event, reused: bool) -> Archived:
        """What was written at ``out``, sealed by ``seal``."""
        sealed = DeclarationArchived.from_payload(seal.payload)
        manifest = bundle.files[bundle_verify.MANIFEST]
        return cls(
            str(out),
            sealed.version,
            len(bundle.files),
            sha256_hex(bundle.data),
            sha256_hex(manifest),
            sealed.pdf is not None,
            seal.seq,
            sealed.signature is not None,
            reused,
        )


@dataclass(frozen=True)
class Bundle:
    """The bundle's files by name, and the deterministic zip of them."""

    files: dict[str, bytes]
    data: bytes

    @classmethod
    def of(cls, files: dict[str, bytes]) -> Bundle:
        """The files zipped."""
        return cls(files, zip_bytes(files))


@dataclass(frozen=True)
class _Loaded:
    """What sealing reads first: the agreed text as a document, the PDFs already made of it, the log's last
    event; in each further language, the agreed text's document and its stored PDF."""

    label: str
    docx: bytes
    pdf: bytes | None
    last: Event | None
    others: Translated


@dataclass(frozen=True)
class _Sealing:
    """What the seal records besides the records: made before its transaction."""

    slug: str
    label: str
    pdf: bytes | None
    translated: Translated
    signer: Signer | None
    verifier: bytes | None
    by: str | None


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
    loaded = _load(app, slug, stored_pdf=convert is not None)
    pdf, translated = _pdfs(app, loaded, convert, convert_in)
    sealing = _Sealing(slug, loaded.label, pdf, translated, signer, verifier, by)
    last = loaded.last
    reused = last is not None and reusable(last, loaded.label, pdf, signing=signer is not None)
    bundle, seal = (
        _resealed(app, slug) if reused else change(app, lambda uow: _seal(uow, app, sealing))
    )
    write_file(app, out, bundle.data, root=out.parent)
    publish_dashboard(app, slug)
    return Archived.of(out, bundle, seal, reused)


def _load(app: App, slug: str, *, stored_pdf: bool) -> _Loaded:
    """The agreed text and what is stored of it (its PDF only when one is wanted)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        agreed = agreed_version(uow, declaration)
        last = uow.log(declaration, after=uow.event_count(declaration) - 1)
        return _Loaded(
            agreed.label,
            agreed_text(uow, declaration, agreed),
            _stored_pdf(uow, declaration, agreed.number) if stored_pdf else None,
            last[-1] if last else None,
            _further(uow, declaration, agreed),
        )


def _further(uow: UnitOfWork, declaration: Declaration, agreed: Version) -> Translated:
    """In each further language, the agreed text's document and its stored PDF (None: none stored)."""
    return {
        lang: (
            agreed_text(uow, declaration, agreed, lang),
            _stored_pdf(uow, declaration, agreed.number, lang),
        )
        for lang in agreed.content.translations
    }


def _pdfs(
    app: App,
    loaded: _Loaded,
    convert: Converter | None,
    convert_in: Callable[[str, bytes], "bytes | None"] | None,
) -> tuple[bytes | None, Translated]:
    """The agreed text's PDF, and its document and PDF in each further language: as stored, else made."""
    pdf, others = loaded.pdf, loaded.others
    if convert is soffice_pdf and others and pdf is None:  # one LibreOffice run for every language
        pdf, others = _print_all(app, loaded.docx, others)
    if pdf is None and convert is not None:
        pdf = convert(loaded.docx)
    if convert_in is None and convert is not None:
        convert_in = lambda _language, document: convert(document)  # noqa: E731
    return pdf, {
        lang: (
            document,
            stored if stored is not None or convert_in is None else convert_in(lang, document),
        )
        for lang, (document, stored) in others.items()
    }


def _print_all(app: App, docx: bytes, others: Translated) -> tuple[bytes | None, Translated]:
    """The agreed text in every language printed by one LibreOffice run (a PDF already stored is kept)."""
    made = pdf_of(
        {"agreed.docx": docx} | {f"agreed.{lang}.docx": d for lang, (d, _) in others.items()},
        scratch=app.scratch,
    )
    return made.get("agreed.docx"), {
        lang: (d, stored or made.get(f"agreed.{lang}.docx")) for lang, (d, stored) in others.items()
    }


def _resealed(app: App, slug: str) -> tuple[Bundle, Event]:
    """The bundle the log's last event already seals, and that event."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        return Bundle.of(bundle_files(uow, slug)), uow.log(declaration)[-1]


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


def _seal(uow: UnitOfWork, app: App, sealing: _Sealing) -> tuple[Bundle, Event]:
    """Store the pages, record the seal that vouches for them, and check the bundle it makes."""
    # read once: every row of one action carries one moment, so that replay reproduces it
    now = app.now()
    declaration = uow.repo.declaration(sealing.slug)
    agreed = _unchanged(uow, declaration, sealing.label)
    event = _seal_event(uow, declaration, agreed, sealing, now)
    seal = uow.record(declaration, event, SECRETARIAT, now)
    bundle = Bundle.of(bundle_files(uow, sealing.slug))
    # before the commit: a bundle that does not verify leaves no seal behind
    check_bundle(bundle.data, sealing.slug, app.scratch)
    return bundle, seal


def _seal_event(
    uow: UnitOfWork, declaration: Declaration, agreed: Version, sealing: _Sealing, now: str
) -> DeclarationArchived:
    """The pages made and stored, and the seal over them (signed when a key is given)."""
    slug = sealing.slug
    pages = bundle_pages(uow, slug, agreed, sealing.pdf, sealing.translated, sealing.verifier)
    recorded = _stored_pages(uow, declaration, agreed, pages, now)
    log = uow.log(declaration)
    pdf_name = f"{_stem(slug, agreed.label)}.pdf"
    event = archiving.seal(agreed, log, recorded, pdf_name, sealing.by)
    return event if sealing.signer is None else _signed(event, slug, log, now, sealing.signer)


def _unchanged(uow: UnitOfWork, declaration: Declaration, label: str) -> Version:
    """The agreed version, refused when it is no longer the one read before the transaction."""
    agreed = agreed_version(uow, declaration)
    if agreed.label != label:
        raise WrongState(
            f"{declaration.slug!r}: the agreed text changed while archiving; run `accord archive` again"
        )
    return agreed


def _stored_pages(
    uow: UnitOfWork, declaration: Declaration, agreed: Version, pages: dict[str, bytes], now: str
) -> dict[str, str]:
    """Each page stored and kept as an artifact of the agreed version; their sha256 by name."""
    recorded: dict[str, str] = {}
    for name, data in sorted(pages.items()):
        recorded[name] = uow.put_blob(data, media_type(name))
        kind = "archive-pdf" if name.endswith(".pdf") else "archive-page"
        uow.repo.add_artifact(
            declaration,
            Artifact(
                kind=kind,
                name=name,
                blob_sha256=recorded[name],
                created_at=now,
                version=agreed.number,
            ),
        )
    return recorded


def _signed(
    event: DeclarationArchived, slug: str, log: list[Event], now: str, signer: Signer
) -> DeclarationArchived:
    """The seal with the secretariat's signature of its hash (computed without the signature)."""
    seq = len(log) + 1
    unsigned = unsigned_hash(
        prev_hash=event.head,
        declaration=slug,
        seq=seq,
        type=event.TYPE,
        actor=SECRETARIAT,
        payload=event.payload(),
        occurred_at=now,
    )
    return event.model_copy(update={"signature": signer(head_message(slug, seq, unsigned))})


def agreed_version(uow: UnitOfWork, declaration: Declaration) -> Version:
    """The latest agreed version, else the current one."""
    return agreed_or_current(uow.repo.versions(declaration))


def _stem(slug: str, label: str) -> str:
    return f"agreed/{safe_name(slug)}-{safe_name(label)}"


def bundle_pages(
    uow: UnitOfWork,
    slug: str,
    agreed: Version,
    pdf: bytes | None,
    translated: Translated | None = None,
    verifier: bytes | None = None,
) -> dict[str, bytes]:
    """The files the seal vouches for by their sha256: the pages made for the bundle, and the PDF; in a
    declaration in several languages, the agreed text in each further language (document, PDF, Akoma Ntoso)."""
    declaration, label, translated = uow.repo.declaration(slug), agreed.label, translated or {}
    names = names_of(uow, declaration)
    pages = {
        "texts.json": pretty(
            {"declaration": slug, "versions": version_texts(uow.repo.versions(declaration))}
        ),
        "history.html": history_html(history_data(uow, slug), prefix="").encode("utf-8"),
        bundle_verify.AKN: akn_of(uow, slug, label)[1],
        "verify.py": verifier or Path(bundle_verify.__file__).read_bytes(),
        "README.txt": readme(slug, declaration.title, label, sorted(translated)).encode("utf-8"),
    } | _blame_pages(uow, declaration, label, None, names)
    if pdf:
        pages[f"{_stem(slug, label)}.pdf"] = pdf
    for lang, made in translated.items():
        pages |= _language_pages(uow, declaration, label, lang, made, names)
    return pages


def _blame_pages(
    uow: UnitOfWork,
    declaration: Declaration,
    label: str,
    language: str | None,
    names: dict[str, str],
) -> dict[str, bytes]:
    """The blame of the agreed text in ``language`` (None: the first), as JSON and as a page."""
    blamed = blame_in(uow, declaration.slug, label, language)
    page = blame_html(blamed, title=declaration.title, names=names, language=language)
    suffix = "" if language is None else f".{language}"
    return {
        f"blame{suffix}.json": pretty(blamed.as_json()),
        f"blame{suffix}.html": page.encode("utf-8"),
    }


def _language_pages(
    uow: UnitOfWork,
    declaration: Declaration,
    label: str,
    language: str,
    made: tuple[bytes, bytes | None],
    names: dict[str, str],
) -> dict[str, bytes]:
    """The agreed text in a further language: its document, PDF, Akoma Ntoso and blame (issue 15)."""
    stem, (document, pdf) = _stem(declaration.slug, label), made
    pages = {
        f"{stem}.{language}.docx": document,
        bundle_verify.AKN.replace(".akn", f".{language}.akn"): akn_of(
            uow, declaration.slug, label, language
        )[1],
    } | _blame_pages(uow, declaration, label, language, names)
    if pdf:
        pages[f"{stem}.{language}.pdf"] = pdf
    return pages


def bundle_files(uow: UnitOfWork, slug: str) -> dict[str, bytes]:
    """Every file of the bundle sealed by the log's last event: the documents the log names, the pages the seal
    recorded, the log itself and the manifest."""
    declaration = uow.repo.declaration(slug)
    events = uow.log(declaration)
    sealed = DeclarationArchived.from_payload(events[-1].payload)
    agreed = uow.repo.version(declaration, sealed.version)
    files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    files[f"{_stem(slug, agreed.label)}.docx"] = agreed_text(uow, declaration, agreed)
    files.update((name, uow.blob(digest)) for name, digest in events[-1].payload["files"].items())
    files["events.jsonl"] = uow.log_lines(declaration)
    manifest = archiving.manifest(declaration.title, sealed, events, files)
    files[bundle_verify.MANIFEST] = pretty(
        {"format": bundle_verify.FORMAT, "declaration": slug} | manifest
    )
    return files


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
    checked_anchor(anchor)
    lines, shipped = _bundle_checks(path, anchor, None if key is None else parse_public_key(key))
    if shipped != Path(bundle_verify.__file__).read_bytes():
        lines.insert(
            -1,
            "note: the bundle's verify.py differs from this accord's; these checks used accord's own",
        )
    return lines


def _bundle_checks(path: Path, anchor: str | None, key: str | None) -> tuple[list[str], bytes]:
    """What the checks said, and the verify.py the bundle ships; a bundle that fails them refused."""
    lines: list[str] = []
    try:
        bundle_verify.verify(str(path), say=lines.append, anchor=anchor, key=key)
        return lines, bundle_verify.Files(str(path)).read("verify.py")
    except bundle_verify.Mismatch as error:
        raise IntegrityError(f"{path.name}: {error}") from None
    except bundle_verify.NotABundle as error:
        raise InvalidInput(f"{error}; give an archive made by `accord archive`") from None
