"""`accord export`: a version in a standard format, Akoma Ntoso 3.0 (drafting/akn.py), from the records alone."""

from __future__ import annotations

from pathlib import Path

from drafting.akn import AknEvent, AknVersion, akn_statement
from drafting.errors import InvalidInput
from drafting.negotiation import Declaration, Version
from flows.bootstrap import App
from flows.usecases.common import write_file
from flows.usecases.texts import version_text
from storage import UnitOfWork

ISSUED = ("accord.version.issued", "accord.version.edited")


def akn_of(
    uow: UnitOfWork, slug: str, label: str | None = None, language: str | None = None
) -> tuple[str, bytes]:
    """The version ``label`` (default: the agreed one, else the current one) as Akoma Ntoso; (label, bytes).
    Its lifecycle and workflow are the log's events up to the issue of the next version. ``language``: its
    expression in a language after the declaration's first."""
    declaration = uow.repo.declaration(slug)
    version = uow.repo.version(declaration, label) if label else _default_version(uow, declaration)
    events = uow.log(declaration)
    following = [
        e.seq for e in events if e.type in ISSUED and e.payload.get("number", -1) > version.number
    ]
    cut = min(following, default=events[-1].seq + 1 if events else 1)
    text = (
        version_text(version) if language is None else version.content.translations[language].text
    )
    exported = AknVersion(
        label=version.label,
        number=version.number,
        text=text,
        issued_at=version.created_at,
        state=version.state,
    )
    domain = declaration
    if language is not None:  # the expression's language comes first
        domain = domain.model_copy(
            update={"languages": [language, *(x for x in domain.languages if x != language)]}
        )
    return version.label, akn_statement(
        domain,
        exported,
        uow.repo.parties(declaration),
        [
            AknEvent(
                seq=e.seq,
                type=e.type,
                actor=e.actor,
                at=e.occurred_at,
                version=e.payload.get("version"),
            )
            for e in events
            if e.seq < cut
        ],
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


def _default_version(uow: UnitOfWork, declaration: Declaration) -> Version:
    versions = uow.repo.versions(declaration)
    agreed = [v for v in versions if v.state == "agreed"]
    return (agreed or versions)[-1]
