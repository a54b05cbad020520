"""Redlines between two Word files or two versions of a declaration.

Comparing two files needs no database: this module imports the storage layer only inside the functions on a
declaration's versions, so `accord diff OLD.docx NEW.docx` starts without SQLAlchemy (a test checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafting.documents import accepted_draft, body_texts
from drafting.redline import redline_document
from drafting.redline_html import redline_html
from drafting.wordml.reader import read_docx

if TYPE_CHECKING:
    from flows.bootstrap import App

FIXED_DATE = "2000-01-01T00:00:00Z"


def redline_files(old: bytes, new: bytes, *, names: tuple[str, str], author: str) -> bytes:
    """Tracked changes that turn the first file's text into the second's (in the first file's styles)."""
    old_text = accepted_draft(read_docx(old, name=names[0]), name=names[0])
    new_texts = body_texts(read_docx(new, name=names[1]))
    return redline_document(old, old_text, new_texts, author=author, date=FIXED_DATE)


def redline_versions(app: App, slug: str, first: str, second: str, *, author: str) -> bytes:
    """Tracked changes from one version of a declaration to another."""
    from flows.usecases.texts import template_of, version_text

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        old, new = uow.repo.version(declaration, first), uow.repo.version(declaration, second)
        template = template_of(uow, declaration)
        new_text = version_text(new)
        return redline_document(
            template, version_text(old), [p.text for p in new_text.paragraphs], author=author, date=new.created_at,
            title=f"{declaration.title}: {old.label} to {new.label}",
        )



def redline_page_files(old: bytes, new: bytes, *, names: tuple[str, str]) -> str:
    """The first file's text to the second's as an HTML redline."""
    old_texts = body_texts(read_docx(old, name=names[0]))
    return redline_html(old_texts, body_texts(read_docx(new, name=names[1])), title=f"{names[0]} to {names[1]}",
                        old_label=names[0], new_label=names[1])


def redline_page_versions(app: App, slug: str, first: str, second: str) -> str:
    """One version of a declaration to another as an HTML redline."""
    from flows.usecases.texts import version_text

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        old, new = uow.repo.version(declaration, first), uow.repo.version(declaration, second)
        return redline_html([p.text for p in version_text(old).paragraphs], [p.text for p in version_text(new).paragraphs],
                            title=declaration.title, old_label=old.label, new_label=new.label)
