"""The declaration's dashboard: index.html in its folder, with the history and blame pages beside it (audit/),
written whenever the declaration's files are published and by `accord dashboard`. Derived files only: nothing
here is recorded in the log or stored as a blob, so replay is unaffected."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from drafting import events as ev
from drafting.dashboard import Dashboard, DocumentGroup, Link, dashboard_html
from drafting.dashboard_model import Record, dashboard, undecided_round
from drafting.history import history_html
from drafting.lifecycle import Round
from drafting.logged_documents import documents_of
from drafting.negotiation import Declaration
from flows.adapters.files import confine, inside
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.documents import AD_REFERENDUM_KIND, AGREED_KIND
from flows.usecases.history import history_data
from flows.usecases.texts import load_compilation
from storage import UnitOfWork

INDEX = "index.html"
AUDIT = "audit"  # history.html, its documents/ and blame.html, beside index.html


def publish_dashboard(app: App, slug: str) -> Path | None:
    """Write index.html and the audit pages beside the declaration's documents, as each use case that publishes
    them does (no PDFs printed here: LibreOffice takes seconds; `accord dashboard --pdf` and the archive flow do);
    None, writing nothing, for an app without pages (replay's scratch app)."""
    return write_dashboard(app, slug) if app.pages else None


def write_dashboard(app: App, slug: str, *, pdf: bool = False, out: Path | None = None) -> Path:
    """Print the PDFs first when ``pdf`` (when LibreOffice is installed; without it, the page says so), write the
    audit pages and index.html in the declaration's folder; with ``out``, also copy the page and every file it links
    to into that folder. The page written."""
    from flows.usecases.pdf import libreoffice, write_pdfs

    folder = declaration_dir(app, slug)
    if pdf:
        write_pdfs(app, slug)
    write_audit(app, slug, confine(folder, AUDIT))
    with app.store.reading() as uow:
        page = dashboard_of(uow, slug, folder, printing=libreoffice() is not None)
    index = write_file(app, confine(folder, INDEX), dashboard_html(page).encode("utf-8"))
    return index if out is None else copy_site(app, folder, out)


def write_audit(app: App, slug: str, folder: Path) -> None:
    """history.html with the documents it links to (documents/, each written once: its path names one version of
    it), and blame.html of the current version (blame.es.html ... of its text in each further language)."""
    with app.store.reading() as uow:
        files = _unwritten_documents(uow, slug, folder)
        pages = {"history.html": history_html(history_data(uow, slug))} | _blame_pages(uow, slug)
    for path, data in sorted(files.items()):
        write_file(app, confine(folder, "documents", *PurePosixPath(path).parts), data)
    for name, page in pages.items():
        write_file(app, confine(folder, name), page.encode("utf-8"))


def _unwritten_documents(uow: UnitOfWork, slug: str, folder: Path) -> dict[str, bytes]:
    """The documents the log names that are not in ``folder``/documents yet, by their path there."""
    events = uow.log(uow.repo.declaration(slug))
    return {
        d.path: uow.blob(d.sha256)
        for d in documents_of(events)
        if not confine(folder, "documents", *PurePosixPath(d.path).parts).is_file()
    }


def _blame_pages(uow: UnitOfWork, slug: str) -> dict[str, str]:
    """blame.html of the current version, and blame.es.html ... of its text in each further language (issue 15)."""
    from flows.usecases.blame import blame_html, blame_in

    declaration = uow.repo.declaration(slug)
    names = {p.code: p.name for p in uow.repo.parties(declaration)}
    pages = {"blame.html": blame_html(blame_in(uow, slug), title=declaration.title, names=names)}
    for lang in declaration.languages[1:]:
        blamed = blame_in(uow, slug, language=lang)
        page = blame_html(blamed, title=declaration.title, names=names, language=lang)
        pages[f"blame.{lang}.html"] = page
    return pages


def copy_site(app: App, folder: Path, out: Path) -> Path:
    """index.html and every file under ``folder`` it or the audit pages link to, copied into ``out``."""
    for path in sorted(
        p for p in folder.rglob("*") if p.is_file() and _published(p.relative_to(folder))
    ):
        target = inside(out, out.joinpath(*path.relative_to(folder).parts))
        write_file(app, target, path.read_bytes(), root=out)
    return out / INDEX


def _published(relative: Path) -> bool:
    """What the site holds: the pages, versions, rounds' compilations and synopses, audit pages and archives (not
    the parties' outboxes or inboxes, nor accord's bookkeeping)."""
    top = relative.parts[0]
    if len(relative.parts) == 1:
        return top == INDEX
    if top.startswith("round-"):
        return relative.parts[1] not in ("inbox", "outbox")
    return top in ("versions", AUDIT, "archive")


def dashboard_of(uow: UnitOfWork, slug: str, folder: Path, *, printing: bool) -> Dashboard:
    """What index.html shows, read from the record and the files in ``folder``."""
    record = _record(uow, uow.repo.declaration(slug))
    files = _Files(folder, slug, printing)
    note = "" if printing else _NO_PDF.format(slug=slug)
    links = _documents(uow, record, files)
    return dashboard(
        record, documents=links, audit=_audit(files, record.declaration), pdf_note=note
    )


_NO_PDF = (
    "PDFs are not available: LibreOffice is not installed where accord runs; "
    "install it and run `accord dashboard {slug} --pdf`."
)


def _record(uow: UnitOfWork, declaration: Declaration) -> Record:
    """The declaration's record as the dashboard reads it."""
    versions, rounds = uow.repo.versions(declaration), uow.repo.rounds(declaration)
    synopses = uow.repo.artifacts(declaration, kind="synopsis-html")
    return Record(
        declaration=declaration,
        events=uow.log(declaration),
        versions=versions,
        rounds=rounds,
        parties=uow.repo.parties(declaration),
        silences=[s for v in versions for s in uow.repo.silences(v)],
        received={r.number: uow.repo.submissions(r, current_only=True) for r in rounds},
        pending=_pending(uow, declaration, rounds),
        synopses=frozenset(a.round for a in synopses if a.round is not None),
    )


def _pending(uow: UnitOfWork, declaration: Declaration, rounds: list[Round]) -> frozenset[str]:
    """Paragraphs with proposals not yet decided: the latest round's, when it was compiled on the current
    version (NotFound when the declaration has no version)."""
    undecided = undecided_round(rounds, uow.repo.current_version(declaration))
    stored = load_compilation(uow, declaration, undecided) if undecided else None
    return frozenset(p.paragraph for p in stored.merged.proposals) if stored else frozenset()


def _audit(files: _Files, declaration: Declaration) -> list[Link]:
    """The history and blame pages (one blame page for each further language)."""
    blames = [
        files.link(f"Blame ({lang})", f"{AUDIT}/blame.{lang}.html")
        for lang in declaration.languages[1:]
    ]
    return [
        files.link("History", f"{AUDIT}/history.html"),
        files.link("Blame", f"{AUDIT}/blame.html"),
        *blames,
    ]


class _Files:
    """Links to the files in the declaration's folder: a link where the file is, else why it is not."""

    def __init__(self, folder: Path, slug: str, printing: bool) -> None:
        self.folder, self.slug, self.printing = folder, slug, printing

    def link(self, name: str, relative: str, missing: str = "not written in this folder") -> Link:
        exists = (self.folder / relative).is_file()
        return Link(name, _href(relative) if exists else None, "" if exists else missing)

    def with_pdf(self, name: str, relative: str) -> Link:
        """The Word file, with its PDF beside it (where LibreOffice prints them)."""
        word = self.link(name, relative)
        if not self.printing:
            return word
        pdf = self.link(
            "PDF",
            relative.removesuffix(".docx") + ".pdf",
            f"not printed yet: `accord dashboard {self.slug} --pdf` prints it",
        )
        return Link(word.name, word.href, word.missing, pdf)


def _href(relative: str) -> str:
    from urllib.parse import quote

    return quote(relative)


def _documents(uow: UnitOfWork, record: Record, files: _Files) -> list[DocumentGroup]:
    """The versions (with the agreed texts), each compiled round's compilation and synopsis, and the archive."""
    compiled = {a.round for a in uow.repo.artifacts(record.declaration, kind="compilation")}
    archived = any(e.type == ev.DeclarationArchived.TYPE for e in record.events)
    return [
        DocumentGroup("Versions", _texts(uow, record, files)),
        *(
            _compiled(files, r.number, r.base_version)
            for r in record.rounds
            if r.number in compiled
        ),
        DocumentGroup("Archive", _archives(files, archived)),
    ]


def _texts(uow: UnitOfWork, record: Record, files: _Files) -> list[Link]:
    """Each version's document, then the texts written as agreed ad referendum and as agreed."""
    kinds = (AD_REFERENDUM_KIND, AGREED_KIND)
    agreed = [a for k in kinds for a in uow.repo.artifacts(record.declaration, kind=k)]
    return [
        files.with_pdf(f"{v.label}.docx", f"versions/{v.label}.docx") for v in record.versions
    ] + [files.with_pdf(a.name, f"versions/{a.name}") for a in agreed]


def _compiled(files: _Files, number: int, base: str) -> DocumentGroup:
    """A compiled round's compilation (with its PDF), synopsis page and synopsis data."""
    folder = f"round-{number}"
    return DocumentGroup(
        f"Round {number}: compilation of the proposals on {base}",
        [
            files.with_pdf("compilation.docx", f"{folder}/compilation.docx"),
            files.link("synopsis.html", f"{folder}/synopsis.html"),
            files.link("synopsis.json (the same data, for tools)", f"{folder}/synopsis.json"),
        ],
    )


def _archives(files: _Files, archived: bool) -> list[Link]:
    """The sealed bundles in the folder's archive/, or why there is none."""
    folder = files.folder / "archive"
    names = sorted(p.name for p in folder.glob("*.zip")) if folder.is_dir() else []
    if names:
        return [files.link(name, f"archive/{name}") for name in names]
    if archived:
        why = "sealed, but written outside this folder (accord archive --out)"
        return [Link("archive bundle", None, why)]
    return [Link("archive bundle", None, "not sealed yet")]
