"""The documents accord issues for a declaration, each saying on every page what it is (symbol, version, date,
status, page X of Y), written from the log's times so that a replay writes the same bytes."""

from __future__ import annotations

from collections.abc import Sequence

from drafting.documents import (
    AGREED_TEXT,
    Anchored,
    STAMP_DECLARATION,
    STAMP_VERSION,
    render_version,
    version_identity,
)
from drafting.negotiation import VersionState
from drafting.text import DraftText
from drafting.wordml.writer import OutIdentity
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.texts import template_of, version_text
from storage import UnitOfWork
from storage.repository import to_declaration
from storage.schema import DeclarationRow, VersionRow

AGREED_KIND = "agreed-text"  # the artifact holding the agreed text as a document
AD_REFERENDUM_KIND = "ad-referendum-text"  # and the text circulated under silence, agreed ad referendum


def identity_of(declaration: DeclarationRow, name: str, *, state: str, at: str) -> OutIdentity | None:
    """What a document of ``declaration`` says of itself (``at``: the recorded time of the action that made it).

    None for a declaration whose creation recorded no symbol (made before documents carried their identity): its
    documents are written as they were then, so that its log replays byte for byte."""
    if declaration.symbol is None:
        return None
    return version_identity(to_declaration(declaration), name, state=state, at=at)


def issue_version(uow: UnitOfWork, declaration: DeclarationRow, text: DraftText, *, label: str, at: str,
                  state: str = "draft", name: str | None = None, comments: Sequence[Anchored] = ()) -> bytes:
    """A version as a Word file in the zero draft's styles, stamped and with its identity on every page;
    ``comments`` (who holds each bracket) are dated ``at``."""
    return render_version(template_of(uow, declaration), text, title=declaration.title,
                          stamp={STAMP_DECLARATION: declaration.slug, STAMP_VERSION: label},
                          identity=identity_of(declaration, name or label, state=state, at=at),
                          comments=comments, date=at)


def issue_stated_text(uow: UnitOfWork, declaration: DeclarationRow, label: str, state: VersionState,
                      at: str) -> str | None:
    """Write version ``label`` as ``state`` makes it: under silence "Agreed ad referendum", agreed the "Agreed
    text", dated ``at``; store it as an artifact and return its sha256. None (nothing written) for a declaration
    whose documents carry no identity (see ``identity_of``): its log records no such document."""
    if declaration.symbol is None:
        return None
    version = uow.repo.version(declaration, label)
    agreed = state is VersionState.AGREED
    name = f"{AGREED_TEXT} ({label})" if agreed else label  # the status line says ad referendum
    document = issue_version(uow, declaration, version_text(version), label=label, at=at, state=state.value,
                             name=name)
    digest = uow.put_blob(document)
    file_name = f"{AGREED_TEXT}.docx" if agreed else f"{label} ad referendum.docx"
    uow.repo.add_artifact(declaration, version_id=version.id, kind=AGREED_KIND if agreed else AD_REFERENDUM_KIND,
                          name=file_name, blob_sha256=digest, created_at=at)
    return digest


def agreed_text(uow: UnitOfWork, declaration: DeclarationRow, version: VersionRow) -> bytes:
    """The agreed text as a document, or the version as issued when it has none (not agreed, or agreed before)."""
    made = [a for a in uow.repo.artifacts(declaration, kind=AGREED_KIND) if a.version_id == version.id]
    return uow.blob(made[-1].blob_sha256 if made else version.blob_sha256)


def stated_texts(uow: UnitOfWork, declaration: DeclarationRow) -> dict[str, bytes]:
    """The texts written as agreed ad referendum or agreed, by file name."""
    return {a.name: uow.blob(a.blob_sha256) for kind in (AD_REFERENDUM_KIND, AGREED_KIND)
            for a in uow.repo.artifacts(declaration, kind=kind)}


def write_stated_texts(app: App, slug: str) -> None:
    """Put the texts agreed ad referendum or agreed in the declaration's versions folder, beside the versions."""
    with app.store.reading() as uow:
        texts = stated_texts(uow, uow.repo.declaration(slug))
    for name, data in texts.items():
        write_file(app, confine(declaration_dir(app, slug), "versions", name), data)
    from flows.usecases.dashboard import publish_dashboard  # here: the dashboard reads this module's kinds

    publish_dashboard(app, slug)
