"""The documents accord issues for a declaration, each saying on every page what it is (symbol, version, date,
status, page X of Y), written from the log's times so that a replay writes the same bytes."""

from __future__ import annotations

from drafting.documents import AGREED_TEXT, STAMP_DECLARATION, STAMP_VERSION, render_version, version_identity
from drafting.text import DraftText
from drafting.wordml.writer import OutIdentity
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.texts import template_of, version_text
from storage import UnitOfWork
from storage.repository import to_declaration
from storage.schema import DeclarationRow, VersionRow

AGREED_KIND = "agreed-text"  # the artifact holding the agreed text as a document


def identity_of(declaration: DeclarationRow, name: str, *, state: str, at: str) -> OutIdentity:
    """What a document of ``declaration`` says of itself (``at``: the recorded time of the action that made it)."""
    return version_identity(to_declaration(declaration), name, state=state, at=at)


def issue_version(uow: UnitOfWork, declaration: DeclarationRow, text: DraftText, *, label: str, at: str,
                  state: str = "draft", name: str | None = None) -> bytes:
    """A version as a Word file in the zero draft's styles, stamped and with its identity on every page."""
    return render_version(template_of(uow, declaration), text, title=declaration.title,
                          stamp={STAMP_DECLARATION: declaration.slug, STAMP_VERSION: label},
                          identity=identity_of(declaration, name or label, state=state, at=at))


def issue_agreed_text(uow: UnitOfWork, declaration: DeclarationRow, version: VersionRow, at: str) -> str:
    """Write the agreed version as the Agreed text (status "Agreed", dated ``at``), store it; its sha256."""
    document = issue_version(uow, declaration, version_text(version), label=version.label, at=at, state="agreed",
                             name=f"{AGREED_TEXT} ({version.label})")
    digest = uow.put_blob(document)
    uow.repo.add_artifact(declaration, version_id=version.id, kind=AGREED_KIND, name=f"{AGREED_TEXT}.docx",
                          blob_sha256=digest, created_at=at)
    return digest


def agreed_text(uow: UnitOfWork, declaration: DeclarationRow, version: VersionRow) -> bytes:
    """The agreed text as a document, or the version as issued when it has none (not agreed, or agreed before)."""
    made = [a for a in uow.repo.artifacts(declaration, kind=AGREED_KIND) if a.version_id == version.id]
    return uow.blob(made[-1].blob_sha256 if made else version.blob_sha256)


def write_agreed_text(app: App, slug: str) -> None:
    """Put the agreed text in the declaration's versions folder, next to the versions as issued."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        made = uow.repo.artifacts(declaration, kind=AGREED_KIND)
        data = uow.blob(made[-1].blob_sha256) if made else None
    if data is not None:
        write_file(declaration_dir(app, slug) / "versions" / f"{AGREED_TEXT}.docx", data)
