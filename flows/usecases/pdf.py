"""PDFs of the documents accord issues, printed by LibreOffice when it is installed, next to each .docx.

LibreOffice stamps each PDF with the time of printing and a random file id (/CreationDate, /ID, /DocChecksum);
they are replaced, keeping their length so every offset in the file stays right, by a fixed date and an id drawn
from the .docx: the same document gives the same PDF bytes with the same LibreOffice.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from drafting.negotiation import Declaration
from flows.adapters.files import confine
from flows.adapters.scratch import GROUP_FILE, Scratch, run_killed
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.documents import stated_texts
from storage import UnitOfWork

PDF_INDEX = "pdf.json"  # name.pdf -> sha256 of the .docx it was printed from: an unchanged document is not reprinted
_CREATED = re.compile(rb"/CreationDate\s*\(D:\d{14}")
_IDS = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def pdf_of(
    documents: dict[str, bytes], *, timeout: float = 180.0, scratch: Scratch | None = None
) -> dict[str, bytes]:
    """Each named .docx as PDF, by one headless LibreOffice run ({} when it is not installed or fails).

    LibreOffice runs in a process group killed whole at the end (``run_killed``); in ``scratch`` (the home's), a
    kill -9 of accord mid-conversion leaves the group's number for the next start's sweep to kill."""
    binary = libreoffice()
    if binary is None or not documents:
        return {}
    with (
        scratch.folder("pdf")
        if scratch
        else tempfile.TemporaryDirectory(prefix="accord-pdf-") as tmp
    ):
        return _printed(binary, Path(tmp), documents, timeout)


def _printed(
    binary: str, folder: Path, documents: dict[str, bytes], timeout: float
) -> dict[str, bytes]:
    """The documents written in ``folder`` under plain names and printed by one LibreOffice run, steadied."""
    names = sorted(documents)
    sources = [folder / f"{index:04d}.docx" for index in range(len(names))]
    for source, name in zip(sources, names, strict=True):
        source.write_bytes(documents[name])
    if not run_killed(_command(binary, folder, sources), folder / GROUP_FILE, timeout):
        return {}
    made = {
        name: folder / "pdf" / f"{source.stem}.pdf"
        for source, name in zip(sources, names, strict=True)
    }
    return {
        name: steady(path.read_bytes(), documents[name])
        for name, path in made.items()
        if path.exists()
    }


def _command(binary: str, folder: Path, sources: list[Path]) -> list[str]:
    """LibreOffice headless printing the sources to ``folder``/pdf, with a profile of its own (a running
    LibreOffice does not interfere)."""
    profile = (folder / "profile").as_uri()
    return [
        binary,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "pdf"),
        *map(str, sources),
    ]


def libreoffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def steady(pdf: bytes, docx: bytes) -> bytes:
    """``pdf`` without the time and random id of its printing: a fixed date, an id from the .docx's sha256."""
    seed = hashlib.sha256(docx).hexdigest()[:32].upper().encode()
    pdf = _CREATED.sub(b"/CreationDate(D:20000101000000", pdf)
    pdf = _IDS.sub(lambda m: m.group(1) + seed + m.group(3) + seed + m.group(5), pdf)
    return _CHECKSUM.sub(lambda m: m.group(1) + seed, pdf)


def issued_documents(app: App, slug: str) -> dict[str, bytes]:
    """Every version as issued, the agreed text and each round's compilation, by path in the declaration's folder."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        found = _versions_issued(uow, declaration)
        found |= {f"versions/{name}": data for name, data in stated_texts(uow, declaration).items()}
        found |= {
            f"round-{a.round}/{a.name}": uow.blob(a.blob_sha256)
            for a in uow.repo.artifacts(declaration, kind="compilation")
            if a.round is not None
        }
    return found


def _versions_issued(uow: UnitOfWork, declaration: Declaration) -> dict[str, bytes]:
    """Every version as issued, in each of its languages."""
    versions = uow.repo.versions(declaration)
    found = {f"versions/{v.label}.docx": uow.blob(v.blob_sha256) for v in versions}
    return found | {
        f"versions/{v.label}.{lang}.docx": uow.blob(t.blob)
        for v in versions
        for lang, t in v.content.translations.items()
    }


def write_pdfs(app: App, slug: str) -> list[Path] | None:
    """Print every issued document to PDF next to its .docx (those already printed from the same bytes are kept);
    the PDFs written, None when LibreOffice is not installed."""
    if libreoffice() is None:
        return None
    folder = declaration_dir(app, slug)
    index = _index(folder)
    documents = issued_documents(app, slug)
    wanted = {n: d for n, d in documents.items() if not _printed_from(folder, index, n, d)}
    written = []
    for name, pdf in sorted(pdf_of(wanted, scratch=app.scratch).items()):
        written.append(write_file(app, confine(folder, *PurePosixPath(_pdf_name(name)).parts), pdf))
        index[_pdf_name(name)] = hashlib.sha256(documents[name]).hexdigest()
    if written:
        _write_index(app, folder, index)
    return written


def _index(folder: Path) -> dict[str, str]:
    """The PDFs printed in the declaration's folder: name.pdf -> the sha256 of the .docx printed."""
    path = folder / PDF_INDEX
    loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return loaded


def _write_index(app: App, folder: Path, index: dict[str, str]) -> None:
    index_json = json.dumps(index, indent=1, sort_keys=True) + "\n"
    write_file(app, folder / PDF_INDEX, index_json.encode("utf-8"))


def _printed_from(folder: Path, index: dict[str, str], name: str, docx: bytes) -> bool:
    """The document's PDF is in the folder, printed from these bytes."""
    pdf = _pdf_name(name)
    return index.get(pdf) == hashlib.sha256(docx).hexdigest() and (folder / pdf).exists()


def _pdf_name(docx: str) -> str:
    return docx.removesuffix(".docx") + ".pdf"
