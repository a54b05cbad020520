"""Blame: for every span of a version's text, the zero draft, the decided proposal or the recorded editorial change
it came from, or ``untraceable`` when no record explains it; as JSON and as a page (drafting.blame_page)."""

from __future__ import annotations

from pathlib import Path

from drafting import identifiers
from drafting.blame_page import blame_page
from drafting.errors import InvalidInput
from drafting.negotiation import Declaration, Translation, Version, VersionContent
from drafting.provenance import Blame, VersionRecord, blame_versions
from flows.bootstrap import App
from flows.usecases.common import write_file
from storage import UnitOfWork


def version_records(
    uow: UnitOfWork, declaration: Declaration, language: str | None = None
) -> list[VersionRecord]:
    """Every version's stored text and lineage in ``language`` (default: the first), oldest first."""
    further = None if language == first_language(declaration) else language
    return [_record(version, further) for version in uow.repo.versions(declaration)]


def _record(version: Version, language: str | None) -> VersionRecord:
    """A version's text and lineage in a further ``language`` (None: the first)."""
    content = version.content
    kept: VersionContent | Translation = (
        content if language is None else content.translations[language]
    )
    return VersionRecord(
        label=version.label,
        parent=version.parent,
        text=kept.text,
        lineage=kept.lineage,
        round=content.round,
        translated=kept.translated,
    )


def first_language(declaration: Declaration) -> str:
    """The declaration's first language (its others are translations of a version's text)."""
    return declaration.first_language


def blame_language(declaration: Declaration, language: str | None) -> str | None:
    """``language`` checked against the declaration's; None for the first (its blame is the one of old)."""
    languages = declaration.languages
    if language is None or language == languages[0]:
        return None
    if language not in languages:
        raise InvalidInput(
            f"--language {identifiers.shown(language)}: {declaration.slug!r} is negotiated in "
            f"{', '.join(languages)}; blame one of them"
        )
    return language


def blame_in(
    uow: UnitOfWork, slug: str, version: str | None = None, language: str | None = None
) -> Blame:
    """Blame one version (default: the current one) in one language (default: the first) inside a unit of work."""
    declaration = uow.repo.declaration(slug)
    row = (
        uow.repo.version(declaration, version) if version else uow.repo.current_version(declaration)
    )
    records = version_records(uow, declaration, blame_language(declaration, language))
    return blame_versions(records)[row.label]


def blame(app: App, slug: str, version: str | None = None, language: str | None = None) -> Blame:
    """Blame one version of the declaration (a label such as Rev.2, or its number) in one of its languages."""
    with app.store.reading() as uow:
        return blame_in(uow, slug, version, language)


def names(app: App, slug: str) -> dict[str, str]:
    """Party code -> name, for pages."""
    with app.store.reading() as uow:
        return {p.code: p.name for p in uow.repo.parties(uow.repo.declaration(slug))}


def blame_html(
    result: Blame, *, title: str, names: dict[str, str], language: str | None = None
) -> str:
    """The blame page of a version (drafting.blame_page), of its text in ``language`` when not the first."""
    return blame_page(result, title=title, names=names, language=language)


def write_blame(
    app: App, slug: str, version: str | None, page: Path, language: str | None = None
) -> Path:
    """Write the blame page of a version in one of its languages."""
    with app.store.reading() as uow:
        result = blame_in(uow, slug, version, language)
        declaration = uow.repo.declaration(slug)
        title, parties = declaration.title, {p.code: p.name for p in uow.repo.parties(declaration)}
        shown = blame_language(declaration, language)
    page_html = blame_html(result, title=title, names=parties, language=shown)
    return write_file(app, page, page_html.encode("utf-8"), root=page.parent)
