"""Blame: for every span of a version's text, the zero draft, the decided proposal or the recorded editorial change
it came from, or ``untraceable`` when no record explains it; as JSON and as a page (drafting.blame_page)."""

from __future__ import annotations

from pathlib import Path

from drafting.blame_page import blame_page
from drafting.provenance import Blame, VersionRecord, blame_versions
from flows.bootstrap import App
from flows.usecases.common import write_file
from storage import UnitOfWork
from storage.repository import version_content
from storage.schema import DeclarationRow


def version_records(uow: UnitOfWork, declaration: DeclarationRow) -> list[VersionRecord]:
    """Every version's stored text and lineage, oldest first."""
    rows = uow.repo.versions(declaration)
    labels = {row.id: row.label for row in rows}
    records = []
    for row in rows:
        content = version_content(row)
        records.append(VersionRecord(label=row.label, parent=labels.get(row.parent_id or 0), text=content.text,
                                     lineage=content.lineage, round=content.round, translated=content.translated))
    return records


def blame_in(uow: UnitOfWork, slug: str, version: str | None = None) -> Blame:
    """Blame one version (default: the current one) inside a unit of work."""
    declaration = uow.repo.declaration(slug)
    row = uow.repo.version(declaration, version) if version else uow.repo.current_version(declaration)
    return blame_versions(version_records(uow, declaration))[row.label]


def blame(app: App, slug: str, version: str | None = None) -> Blame:
    """Blame one version of the declaration (a label such as Rev.2, or its number)."""
    with app.store.reading() as uow:
        return blame_in(uow, slug, version)


def names(app: App, slug: str) -> dict[str, str]:
    """Party code -> name, for pages."""
    with app.store.reading() as uow:
        return {p.code: p.name for p in uow.repo.parties(uow.repo.declaration(slug))}


def blame_html(result: Blame, *, title: str, names: dict[str, str]) -> str:
    """The blame page of a version (drafting.blame_page)."""
    return blame_page(result, title=title, names=names)


def write_blame(app: App, slug: str, version: str | None, page: Path) -> Path:
    """Write the blame page of a version."""
    with app.store.reading() as uow:
        result = blame_in(uow, slug, version)
        declaration = uow.repo.declaration(slug)
        title, parties = declaration.title, {p.code: p.name for p in uow.repo.parties(declaration)}
    return write_file(app, page, blame_html(result, title=title, names=parties).encode("utf-8"), root=page.parent)
