"""`accord export`: a version in a standard format, Akoma Ntoso 3.0 (drafting/akn.py), from the records alone."""

from __future__ import annotations

from pathlib import Path

from drafting.akn import AknVersion, akn_statement, expressed_in, lifecycle_events
from drafting.archiving import agreed_or_current
from drafting.errors import InvalidInput
from flows.bootstrap import App
from flows.usecases.common import write_file
from storage import UnitOfWork


def akn_of(
    uow: UnitOfWork, slug: str, label: str | None = None, language: str | None = None
) -> tuple[str, bytes]:
    """The version ``label`` (default: the agreed one, else the current one) as Akoma Ntoso; (label, bytes).
    Its lifecycle and workflow are the log's events up to the issue of the next version. ``language``: its
    expression in a language after the declaration's first."""
    declaration = uow.repo.declaration(slug)
    version = (
        uow.repo.version(declaration, label)
        if label
        else agreed_or_current(uow.repo.versions(declaration))
    )
    return version.label, akn_statement(
        expressed_in(declaration, language),
        AknVersion.of(version, language),
        uow.repo.parties(declaration),
        lifecycle_events(uow.log(declaration), version.number),
        created_at=declaration.created_at,
    )


def export_akn(app: App, slug: str, out: Path, *, label: str | None = None) -> str:
    """Write the version as Akoma Ntoso 3.0 XML at ``out``; the label exported."""
    if out.suffix.lower() != ".xml":
        raise InvalidInput(f"{out}: an Akoma Ntoso file is XML; give a path ending in .xml")
    with app.store.reading() as uow:
        exported, data = akn_of(uow, slug, label)
    write_file(app, out, data, root=out.parent)
    return exported
