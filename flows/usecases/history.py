"""The history of a declaration from its event log: rounds, submissions, proposals, decisions and versions, with
every document they produced, as JSON and as a page a person reads."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from drafting.history import compilation_files, history_of
from drafting.history import history_html as history_html
from drafting.history_model import CompilationFiles, CompiledRound, History
from drafting.logged_documents import Document as Document
from drafting.logged_documents import documents_of as documents_of
from drafting.logged_documents import safe_name as safe_name
from drafting.merge import StoredCompilation
from drafting.synopsis import resolved_brackets
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import write_file
from storage import UnitOfWork


def history(app: App, slug: str) -> History:
    """The declaration's history."""
    with app.store.reading() as uow:
        return history_data(uow, slug)


def history_data(uow: UnitOfWork, slug: str) -> History:
    """The history inside a unit of work (the archive reads it in the same transaction as the rest)."""
    declaration = uow.repo.declaration(slug)
    events = uow.log(declaration)
    compiled = {seq: _compiled(uow, files) for seq, files in compilation_files(events).items()}
    parties, versions = uow.repo.parties(declaration), uow.repo.versions(declaration)
    return history_of(declaration, parties, events, versions, compiled)


def _compiled(uow: UnitOfWork, files: CompilationFiles) -> CompiledRound:
    """A compilation's stored proposals and, with stable bracket ids, which of them resolve a bracket group."""
    stored = StoredCompilation.model_validate_json(uow.blob(files.proposals))
    resolves = resolved_brackets(json.loads(uow.blob(files.synopsis))) if files.synopsis else {}
    return CompiledRound(stored.merged.proposals, resolves)


def write_history(app: App, slug: str, page: Path) -> list[Path]:
    """Write the page and, in ``documents/`` beside it, every document it links to; return what was written."""
    with app.store.reading() as uow:
        data = history_data(uow, slug)
        events = uow.log(uow.repo.declaration(slug))
        files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    beside = page.parent
    written = [
        write_file(app, confine(beside, "documents", *PurePosixPath(path).parts), blob, root=beside)
        for path, blob in sorted(files.items())
    ]
    return [write_file(app, page, history_html(data).encode("utf-8"), root=beside), *written]
