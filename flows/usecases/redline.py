"""Redlines between two Word files or two versions of a declaration."""

from __future__ import annotations

from drafting.documents import accepted_draft, body_texts
from drafting.redline import redline_document
from drafting.wordml.reader import read_docx
from flows.bootstrap import App
from flows.usecases.texts import template_of, version_text

FIXED_DATE = "2000-01-01T00:00:00Z"


def redline_files(old: bytes, new: bytes, *, names: tuple[str, str], author: str) -> bytes:
    """Tracked changes that turn the first file's text into the second's (in the first file's styles)."""
    old_text = accepted_draft(read_docx(old, name=names[0]), name=names[0])
    new_texts = body_texts(read_docx(new, name=names[1]))
    return redline_document(old, old_text, new_texts, author=author, date=FIXED_DATE)


def redline_versions(app: App, slug: str, first: str, second: str, *, author: str) -> bytes:
    """Tracked changes from one version of a declaration to another."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        old, new = uow.repo.version(declaration, first), uow.repo.version(declaration, second)
        template = template_of(uow, declaration)
        new_text = version_text(new)
        return redline_document(
            template, version_text(old), [p.text for p in new_text.paragraphs], author=author, date=new.created_at,
            title=f"{declaration.title}: {old.label} to {new.label}",
        )

